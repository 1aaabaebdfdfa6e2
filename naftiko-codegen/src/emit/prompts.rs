//! MCP prompts of one adapter: the prompt table and the messages, built by string
//! concatenation from the checked arguments (no template engine at run time).

use proc_macro2::TokenStream;
use quote::quote;

use super::opt_str;
use crate::ir::{McpAdapter, McpPrompt, PromptPart};

fn def(p: &McpPrompt) -> TokenStream {
    let name = &p.name;
    let title = opt_str(p.title.as_deref());
    let description = opt_str(p.description.as_deref());
    let arguments = p.arguments.iter().map(|a| {
        let name = &a.name;
        let title = opt_str(a.title.as_deref());
        let description = opt_str(a.description.as_deref());
        let required = a.required;
        quote! {
            ::naftiko::mcp::PromptArgumentDef {
                name: #name,
                title: #title,
                description: #description,
                required: #required,
            }
        }
    });
    quote! {
        ::naftiko::mcp::PromptDef {
            name: #name,
            title: #title,
            description: #description,
            arguments: &[#(#arguments),*],
        }
    }
}

/// `const PROMPTS` and `prompt_messages` of the `ToolSet` impl (nothing when there are none).
pub(super) fn items(mcp: &McpAdapter) -> TokenStream {
    if mcp.prompts.is_empty() {
        return quote! {};
    }
    let defs = mcp.prompts.iter().map(def);
    let mut uses_arguments = false;
    let arms: Vec<TokenStream> = mcp
        .prompts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let messages = p.messages.iter().map(|m| {
                let pieces: Vec<TokenStream> = m
                    .parts
                    .iter()
                    .map(|part| match part {
                        PromptPart::Literal(l) => quote! { #l },
                        PromptPart::Argument(a) => {
                            uses_arguments = true;
                            let name = &p.arguments[*a].name;
                            quote! { arguments.get(#name) }
                        }
                    })
                    .collect();
                let text = match pieces.as_slice() {
                    [] => quote! { ::std::string::String::new() },
                    [one] => quote! { ::std::string::String::from(#one) },
                    _ => quote! { [#(#pieces),*].concat() },
                };
                if m.assistant {
                    quote! { ::naftiko::mcp::assistant(#text) }
                } else {
                    quote! { ::naftiko::mcp::user(#text) }
                }
            });
            quote! { #i => ::std::vec![#(#messages),*], }
        })
        .collect();
    let arguments = if uses_arguments {
        quote! { arguments }
    } else {
        quote! { _arguments }
    };
    quote! {
        const PROMPTS: &'static [::naftiko::mcp::PromptDef] = &[#(#defs),*];

        fn prompt_messages(
            index: usize,
            #arguments: &::naftiko::mcp::PromptArguments,
        ) -> ::std::vec::Vec<::naftiko::__private::rmcp::model::PromptMessage> {
            match index {
                #(#arms)*
                _ => ::std::vec::Vec::new(),
            }
        }
    }
}
