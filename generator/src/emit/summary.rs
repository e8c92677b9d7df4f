//! The `inspect` summary (placeholder).
use crate::model::Contract;

/// A readable summary of the contract.
pub fn render(contract: &Contract) -> String {
    format!("{} WSDL(s), {} OpenAPI document(s)\n", contract.soap.len(), contract.rest.len())
}
