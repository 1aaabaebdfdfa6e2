//! A module per MCP adapter: the tool table and its dispatcher, from the same IR as REST.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, forwarded_headers, mapping, opt_str};
use crate::ir::{Capability, McpAdapter};
use crate::naming::ident;

/// Every tool of this release takes no arguments.
const EMPTY_SCHEMA: &str = r#"{"type":"object","properties":{}}"#;

pub(super) fn module(cap: &Capability, mcp: &McpAdapter) -> TokenStream {
    let module = ident(&mcp.module);
    let module_docs = docs(
        mcp.description.as_deref(),
        [format!(
            "MCP adapter `{}` (Streamable HTTP at `/mcp`, port {} by default).",
            mcp.namespace, mcp.port
        )
        .as_str()],
    );
    let server_name = &mcp.namespace;
    let instructions = opt_str(mcp.description.as_deref());
    let forwarded = forwarded_headers(cap, mcp.tools.iter().map(|t| t.call.client));
    let defs = mcp.tools.iter().map(|t| {
        let name = &t.name;
        let title = opt_str(t.title.as_deref());
        let description = opt_str(t.description.as_deref());
        let h = t.hints;
        let (read_only, destructive, idempotent, open_world) =
            (h.read_only, h.destructive, h.idempotent, h.open_world);
        quote! {
            ::naftiko::mcp::ToolDef {
                name: #name,
                title: #title,
                description: #description,
                input_schema: #EMPTY_SCHEMA,
                read_only: #read_only,
                destructive: #destructive,
                idempotent: #idempotent,
                open_world: #open_world,
            }
        }
    });
    let arms = mcp.tools.iter().enumerate().map(|(i, t)| {
        let client = &cap.clients[t.call.client];
        let field = ident(&client.module);
        let op = &client.operations[t.call.op];
        let raw = format_ident!("{}_raw", op.method_ident);
        let result_name = &op.result_name;
        let map = mapping(&t.output);
        quote! {
            #i => ::naftiko::mcp::result(self.clients.#field.#raw(&call).await, #result_name, #map),
        }
    });

    quote! {
        #module_docs
        #[allow(dead_code)]
        pub mod #module {
            /// The tools of this adapter, each calling the generated client.
            #[derive(::std::clone::Clone, ::std::fmt::Debug)]
            pub struct Tools {
                clients: super::Clients,
            }

            impl Tools {
                pub fn new(clients: super::Clients) -> Self {
                    Tools { clients }
                }
            }

            #forwarded

            impl ::naftiko::mcp::ToolSet for Tools {
                const SERVER_NAME: &'static str = #server_name;
                const INSTRUCTIONS: ::std::option::Option<&'static str> = #instructions;
                const TOOLS: &'static [::naftiko::mcp::ToolDef] = &[#(#defs),*];

                fn forwarded_headers() -> &'static [::naftiko::__private::http::HeaderName] {
                    &FORWARDED_HEADERS
                }

                async fn call(
                    &self,
                    index: usize,
                    _arguments: ::naftiko::__private::rmcp::model::JsonObject,
                    call: ::naftiko::CallOptions,
                ) -> ::naftiko::__private::rmcp::model::CallToolResult {
                    match index {
                        #(#arms)*
                        _ => ::naftiko::mcp::invalid_arguments("unknown tool"),
                    }
                }
            }

            /// The Streamable HTTP endpoint at `/mcp`: stateless, both protocol eras.
            pub fn router(tools: Tools, options: &::naftiko::mcp::McpOptions) -> ::naftiko::__private::axum::Router {
                ::naftiko::mcp::router(tools, options)
            }
        }
    }
}
