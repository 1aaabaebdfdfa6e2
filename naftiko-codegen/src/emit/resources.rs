//! MCP resources of one adapter: the resource table (static text embedded) and the reads of
//! dynamic ones, each calling the generated client.

use proc_macro2::TokenStream;
use quote::quote;

use super::{input_struct, mapping, opt_str, raw_call};
use crate::ir::{Action, Capability, McpAdapter, McpResource, ResourceContent, UriTemplatePart};
use crate::naming::ident;

/// The `<Resource>UriParams` structs of the adapter's URI templates.
pub(super) fn structs(mcp: &McpAdapter) -> Vec<TokenStream> {
    mcp.resources
        .iter()
        .filter_map(|r| match &r.content {
            ResourceContent::Read {
                input_struct: Some(name),
                inputs,
                ..
            } => Some(input_struct(name, inputs, true)),
            _ => None,
        })
        .collect()
}

fn def(r: &McpResource) -> TokenStream {
    let (name, uri) = (&r.name, &r.uri);
    let title = opt_str(r.title.as_deref());
    let description = opt_str(r.description.as_deref());
    let mime_type = opt_str(r.mime_type.as_deref());
    let parts = r.uri_parts.iter().map(|p| match p {
        UriTemplatePart::Literal(l) => quote! { ::naftiko::mcp::UriPart::Literal(#l) },
        UriTemplatePart::Variable(v) => quote! { ::naftiko::mcp::UriPart::Variable(#v) },
    });
    let text = match &r.content {
        ResourceContent::Static(text) => opt_str(Some(text)),
        ResourceContent::Read { .. } => opt_str(None),
    };
    quote! {
        ::naftiko::mcp::ResourceDef {
            name: #name,
            title: #title,
            description: #description,
            mime_type: #mime_type,
            uri: #uri,
            parts: &[#(#parts),*],
            text: #text,
        }
    }
}

/// `const RESOURCES` and `read_resource` of the `ToolSet` impl (nothing when there are none).
pub(super) fn items(cap: &Capability, mcp: &McpAdapter) -> TokenStream {
    if mcp.resources.is_empty() {
        return quote! {};
    }
    let defs = mcp.resources.iter().map(def);
    let arms: Vec<TokenStream> = mcp
        .resources
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let ResourceContent::Read {
                input_struct,
                action,
                inputs,
                output,
            } = &r.content
            else {
                return None;
            };
            let mime_type = opt_str(r.mime_type.as_deref());
            let parse = input_struct.as_ref().map(|name| {
                let st = ident(name);
                quote! {
                    let input = match #st::from_arguments(&params) {
                        ::std::result::Result::Ok(input) => input,
                        ::std::result::Result::Err(e) => return ::std::result::Result::Err(
                            ::naftiko::__private::rmcp::model::ErrorData::invalid_params(e.to_string(), ::std::option::Option::None),
                        ),
                    };
                }
            });
            let read = match action {
                Action::Call { call, bindings } => {
                    let raw = raw_call(cap, *call, inputs, bindings);
                    if output.is_identity() {
                        quote! { ::naftiko::mcp::read_body(uri, #mime_type, #raw) }
                    } else {
                        let format = super::format_of(cap, *call);
                        let map = mapping(output);
                        quote! { ::naftiko::mcp::read_mapped(uri, #mime_type, #raw, #format, #map) }
                    }
                }
                Action::Steps(o) => {
                    let run = super::steps::run(cap, o, inputs, output);
                    quote! { ::naftiko::mcp::read_value(uri, #mime_type, #run) }
                }
                // Validation gives every dynamic resource a call or steps.
                Action::Mock => return None,
            };
            Some(quote! {
                #i => {
                    #parse
                    #read
                }
            })
        })
        .collect();
    let read = (!arms.is_empty()).then(|| {
        let uses_params = mcp.resources.iter().any(|r| {
            matches!(
                r.content,
                ResourceContent::Read {
                    input_struct: Some(_),
                    ..
                }
            )
        });
        let params = if uses_params {
            quote! { params }
        } else {
            quote! { _params }
        };
        quote! {
            async fn read_resource(
                &self,
                index: usize,
                uri: ::std::string::String,
                #params: ::naftiko::__private::rmcp::model::JsonObject,
                call: ::naftiko::CallOptions,
            ) -> ::std::result::Result<::naftiko::__private::rmcp::model::ReadResourceResult, ::naftiko::__private::rmcp::model::ErrorData> {
                match index {
                    #(#arms)*
                    _ => ::std::result::Result::Err(::naftiko::mcp::resource_not_found(&uri)),
                }
            }
        }
    });
    quote! {
        const RESOURCES: &'static [::naftiko::mcp::ResourceDef] = &[#(#defs),*];
        #read
    }
}
