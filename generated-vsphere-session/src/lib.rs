//! The VMware vSphere session capability (`specs/vsphere-session.yaml`), generated at build
//! time by `build.rs`: a typed client ([`vsphere_session::Client`]), a REST adapter
//! ([`vsphere_session_rest`]) and an MCP server ([`vsphere_session_mcp`]).
//!
//! The generated source is `$OUT_DIR/vsphere_session.rs`; `cargo run -p naftiko-codegen --
//! expand specs/vsphere-session.yaml` prints the same code. The overview below
//! is generated from the spec as well.
//!
#![doc = include_str!(concat!(env!("OUT_DIR"), "/vsphere_session.md"))]

include!(concat!(env!("OUT_DIR"), "/vsphere_session.rs"));

pub mod demo;
