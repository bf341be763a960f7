#![recursion_limit = "256"]
//! The axum server, as a library so the integration tests build the very app the binary runs.

pub mod backup;
pub mod configuration;
pub mod startup;
pub mod telemetry;
