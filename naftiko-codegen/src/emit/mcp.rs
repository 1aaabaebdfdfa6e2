//! A module per MCP adapter: the tool table and its dispatcher, from the same IR as REST.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, forwarded_headers, input_struct, mapping, opt_str, raw_call};
use crate::ir::{Action, Capability, Input, McpAdapter, ResourceContent};
use crate::naming::ident;

/// The tool's input JSON Schema: root `type: object`, `items` on arrays, `required` listed.
fn input_schema(inputs: &[Input]) -> String {
    let mut properties = serde_json::Map::new();
    for i in inputs {
        let mut p = super::input_value_schema(i);
        if let Some(d) = &i.description {
            p["description"] = serde_json::json!(d);
        }
        properties.insert(i.name.clone(), p);
    }
    let required: Vec<&str> = inputs
        .iter()
        .filter(|i| i.required)
        .map(|i| i.name.as_str())
        .collect();
    let mut schema = serde_json::json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = serde_json::json!(required);
    }
    schema.to_string()
}

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
    let resource_calls = mcp.resources.iter().flat_map(|r| match &r.content {
        ResourceContent::Read { action, .. } => action.calls(),
        ResourceContent::Static(_) => Vec::new(),
    });
    let forwarded = forwarded_headers(
        cap,
        mcp.tools
            .iter()
            .flat_map(|t| t.action.calls())
            .chain(resource_calls)
            .map(|c| c.client),
    );
    let resource_structs = super::resources::structs(mcp);
    let resource_items = super::resources::items(cap, mcp);
    let prompt_items = super::prompts::items(mcp);
    let input_structs = mcp
        .tools
        .iter()
        .filter_map(|t| Some(input_struct(t.input_struct.as_ref()?, &t.inputs, true)));
    let arguments = if mcp.tools.iter().any(|t| t.input_struct.is_some()) {
        quote! { arguments }
    } else {
        quote! { _arguments }
    };
    let defs = mcp.tools.iter().map(|t| {
        let name = &t.name;
        let title = opt_str(t.title.as_deref());
        let description = opt_str(t.description.as_deref());
        let h = t.hints;
        let schema = input_schema(&t.inputs);
        let (read_only, destructive, idempotent, open_world) =
            (h.read_only, h.destructive, h.idempotent, h.open_world);
        quote! {
            ::naftiko::mcp::ToolDef {
                name: #name,
                title: #title,
                description: #description,
                input_schema: #schema,
                read_only: #read_only,
                destructive: #destructive,
                idempotent: #idempotent,
                open_world: #open_world,
            }
        }
    });
    let arms = mcp.tools.iter().enumerate().map(|(i, t)| {
        let map = mapping(&t.output);
        let parse = t.input_struct.as_ref().map(|name| {
            let st = ident(name);
            quote! {
                let input = match #st::from_arguments(&arguments) {
                    ::std::result::Result::Ok(input) => input,
                    ::std::result::Result::Err(e) => return ::naftiko::mcp::invalid_arguments(e.to_string()),
                };
            }
        });
        let unused = t.input_struct.is_some().then(|| quote! { let _ = &input; });
        let body = match &t.action {
            Action::Call { call, bindings } => {
                let call = *call;
                // The consumed output's name only names what the consumed operation gave;
                // a tool that maps the body itself wraps a non-object result as `result`.
                let result_name = if t.output.is_identity() {
                    cap.clients[call.client].operations[call.op].result_name.as_str()
                } else {
                    "result"
                };
                let raw = raw_call(cap, call, &t.inputs, bindings);
                let format = super::format_of(cap, call);
                quote! { ::naftiko::mcp::result(#raw, #format, #result_name, #map) }
            }
            Action::Steps(o) => {
                let run = super::steps::run(cap, o, &t.inputs, &t.output);
                quote! {
                    ::naftiko::mcp::result(
                        #run.map(|value| ::naftiko::RawResponse::from_json(&value)),
                        ::naftiko::formats::Format::Json,
                        "result",
                        ::std::convert::identity,
                    )
                }
            }
            Action::Mock => {
                let locals = super::mock_input_locals(&t.output, &t.inputs);
                let value = super::shape_expr(&t.output, quote! { &::naftiko::json::NULL });
                quote! {{
                    let _ = &call;
                    #locals
                    ::naftiko::mcp::result(::std::result::Result::Ok(::naftiko::RawResponse::from_json(&#value)), ::naftiko::formats::Format::Json, "result", ::std::convert::identity)
                }}
            }
        };
        quote! {
            #i => {
                #parse
                #unused
                #body
            }
        }
    });

    quote! {
        #module_docs
        #[allow(dead_code)]
        pub mod #module {
            #(#input_structs)*
            #(#resource_structs)*

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
                    #arguments: ::naftiko::__private::rmcp::model::JsonObject,
                    call: ::naftiko::CallOptions,
                ) -> ::naftiko::__private::rmcp::model::CallToolResult {
                    match index {
                        #(#arms)*
                        _ => ::naftiko::mcp::invalid_arguments("unknown tool"),
                    }
                }

                #resource_items
                #prompt_items
            }

            /// The Streamable HTTP endpoint at `/mcp`: stateless, both protocol eras.
            pub fn router(tools: Tools, options: &::naftiko::mcp::McpOptions) -> ::naftiko::__private::axum::Router {
                ::naftiko::mcp::router(tools, options)
            }
        }
    }
}
