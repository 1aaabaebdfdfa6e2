//! IR -> Rust tokens. One module per surface; each returns items for the caller's module.
//!
//! Generated code names dependencies only through `::naftiko::__private::…` and std through
//! absolute paths, so a user crate needs `naftiko` and `tokio` and nothing else.

mod client;
mod mcp;
mod openapi;
mod rest;
mod server;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Capability;

/// Every item generated for a capability, in a fixed order.
pub(crate) fn capability(cap: &Capability) -> TokenStream {
    let clients = cap.clients.iter().map(|c| client::module(cap, c));
    let rest = cap.rest.iter().map(|r| rest::module(cap, r));
    let mcp = cap.mcp.iter().map(|m| mcp::module(cap, m));
    let server = server::items(cap);
    quote! {
        #(#clients)*
        #(#rest)*
        #(#mcp)*
        #server
    }
}

/// `#[doc = "..."]` lines for an optional description, then extra lines.
pub(crate) fn docs<'a>(
    text: Option<&str>,
    extra: impl IntoIterator<Item = &'a str>,
) -> TokenStream {
    let mut lines: Vec<String> = text
        .map(|t| t.lines().map(|l| format!(" {}", l.trim_end())).collect())
        .unwrap_or_default();
    let extra: Vec<&str> = extra.into_iter().collect();
    if !extra.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(extra.iter().map(|l| format!(" {l}")));
    }
    quote! { #(#[doc = #lines])* }
}

/// `Some("text")` or `None` as a `const` expression.
pub(crate) fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}

/// The `http::Method` constant for an upper-case method name.
pub(crate) fn method(name: &str) -> TokenStream {
    let ident = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
    quote! { ::naftiko::__private::http::Method::#ident }
}

/// The header names an adapter passes through from its callers: `authorization` plus each
/// called client's API-key header, deduplicated, in first-seen order.
pub(crate) fn forwarded_headers(
    cap: &Capability,
    clients: impl IntoIterator<Item = usize>,
) -> TokenStream {
    let mut names = vec!["authorization".to_owned()];
    for c in clients {
        if let Some(crate::ir::ClientAuth::ApiKeyHeader { name, .. }) = &cap.clients[c].auth
            && !names.contains(name)
        {
            names.push(name.clone());
        }
    }
    let count = names.len();
    quote! {
        static FORWARDED_HEADERS: [::naftiko::__private::http::HeaderName; #count] = [
            #(::naftiko::__private::http::HeaderName::from_static(#names)),*
        ];
    }
}

/// Compiled output mapping: a closure from the upstream JSON to the result.
pub(crate) fn mapping(output: &crate::ir::Output) -> TokenStream {
    match output {
        crate::ir::Output::Passthrough => quote! { ::std::convert::identity },
        crate::ir::Output::Members(members) => quote! {
            |value: ::naftiko::__private::serde_json::Value| {
                ::std::option::Option::Some(&value)
                    #(.and_then(|v| v.get(#members)))*
                    .cloned()
                    .unwrap_or(::naftiko::__private::serde_json::Value::Null)
            }
        },
    }
}
