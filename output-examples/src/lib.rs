//! The committed output of `altinn-bridge generate` for the shipped manifests.
//!
//! `altinn-bridge generate --check` (in CI) keeps it current; compiling it here with
//! `#![deny(warnings)]` keeps it valid Rust that depends on the runtime crate only.
#![deny(warnings)]
#![allow(missing_docs)]

pub mod generated;
