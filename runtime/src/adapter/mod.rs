//! What a generated adapter needs at run time besides the wire formats: the Altinn 3 APIs it
//! calls ([`Upstream`]), the deployment's settings ([`Settings`]), the static description of each
//! operation ([`plan`]) and the executor that walks it ([`run`]), with the conversions its field
//! links name ([`convert`]) and the fault rules that turn REST errors into SOAP faults ([`fault`]).

mod answer;
pub mod convert;
mod exec;
mod faults;
mod markdown;
mod output;
mod paging;
pub mod plan;
mod request;
mod settings;
mod typed;
mod upstream;
mod walk;

pub use answer::{Pending, Segment, XmlAnswer, call_xml_answer};
pub use exec::{run, run_streamed};
pub use faults::{fault, no_successor};
pub use settings::Settings;
pub use typed::{
    call, call_one_way, call_xml, check_request, check_response, read_output, to_element,
};
pub use upstream::Upstream;
