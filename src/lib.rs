//! naftiko: runtime support for code generated from Naftiko capability specs.
//!
//! The [`capability!`] macro (or a build script using `naftiko-codegen`) turns a capability
//! YAML into typed Rust at compile time. That code calls into this crate for what is the same
//! for every spec: HTTP client configuration and credentials ([`client`]), REST responses
//! ([`rest`]), the MCP server handler ([`mcp`]), the server command line ([`cli`]) and
//! start-up ([`server`]). Nothing here reads a spec.

pub use naftiko_macros::capability;

mod allocator;
pub mod auth;
pub mod cli;
pub mod client;
pub mod control;
pub mod digest;
mod error;
pub mod formats;
pub mod forward;
pub mod input;
pub mod json;
pub mod mcp;
pub mod metrics;
pub mod request;
pub mod request_id;
pub mod rest;
mod secret;
pub mod server;
pub mod steps;

pub use client::{CallOptions, ClientConfig, RawResponse};
pub use error::{ClientError, Error};
pub use secret::{Secret, env_secret};

pub use allocator::Allocator;

/// Dependencies re-exported for generated code. Not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use axum;
    pub use bytes;
    pub use clap;
    pub use http;
    pub use reqwest;
    pub use rmcp;
    pub use rustls;
    pub use serde;
    pub use serde_json;
    pub use tokio;
    pub use tracing;
}
