//! The legacy vSphere CIS session capability (`specs/vsphere-cis-session.yaml`), generated at
//! build time by `build.rs`: typed clients for logging in ([`cis_login::Client`], Basic
//! credentials) and for using a session ([`cis_session::Client`], header
//! `vmware-api-session-id`), a REST adapter ([`cis_session_rest`]) and an MCP server
//! ([`cis_session_mcp`]).
//!
//! The generated source is `$OUT_DIR/vsphere_cis_session.rs`; `cargo run -p naftiko-codegen --
//! expand specs/vsphere-cis-session.yaml` prints the same code. The overview below
//! is generated from the spec as well.
//!
#![doc = include_str!(concat!(env!("OUT_DIR"), "/vsphere_cis_session.md"))]

include!(concat!(env!("OUT_DIR"), "/vsphere_cis_session.rs"));
