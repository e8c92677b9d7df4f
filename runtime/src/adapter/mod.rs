//! What a generated adapter needs at run time besides the wire formats: the Altinn 3 APIs it
//! calls ([`Upstream`]), the deployment's settings ([`Settings`]) and the conversions its field
//! links name ([`convert`]).

pub mod convert;
mod settings;
mod upstream;

pub use settings::Settings;
pub use upstream::Upstream;
