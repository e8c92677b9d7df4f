//! The emit stage: output made from the model only.

pub mod coverage;
pub mod docs;
pub mod rust;
pub mod summary;
