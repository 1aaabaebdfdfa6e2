//! `naftiko::capability!` and the build.rs route expand to the same items.
#![deny(warnings)]

use std::path::Path;

use naftiko::mcp::ToolSet;

/// The macro route, relative to this crate's manifest like any user's.
mod via_macro {
    naftiko::capability!("../specs/vsphere-session.yaml");
}

const BUILD_OUTPUT: &str = include_str!(concat!(env!("OUT_DIR"), "/vsphere_session.rs"));

fn items(file: &str) -> Vec<String> {
    syn::parse_file(file)
        .expect("generated code parses")
        .items
        .iter()
        .map(|item| quote::quote!(#item).to_string())
        .collect()
}

#[test]
fn macro_tokens_equal_build_script_tokens() {
    let expanded = naftiko_codegen::expand_macro(
        quote::quote!("../specs/vsphere-session.yaml"),
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    let macro_items = items(&naftiko_codegen::pretty(&expanded));
    let build_items = items(BUILD_OUTPUT);
    // The macro adds one item: the include_str! that makes rustc rebuild on spec change.
    let (tracker, rest) = macro_items.split_first().expect("macro output has items");
    assert!(tracker.contains("include_str") && tracker.contains("vsphere-session.yaml"));
    assert_eq!(rest.len(), build_items.len());
    for (m, b) in rest.iter().zip(&build_items) {
        assert_eq!(m, b);
    }
}

#[test]
fn both_routes_serve_the_same_surface() {
    assert_eq!(
        via_macro::vsphere_session_rest::OPENAPI,
        generated_vsphere_session::vsphere_session_rest::OPENAPI
    );
    let a: Vec<&str> = <via_macro::vsphere_session_mcp::Tools as ToolSet>::TOOLS
        .iter()
        .map(|t| t.name)
        .collect();
    let b: Vec<&str> = <generated_vsphere_session::vsphere_session_mcp::Tools as ToolSet>::TOOLS
        .iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(a, b);
}
