//! Orchestration `steps` compiled to async Rust: the call steps run concurrently (they depend
//! on the operation's inputs alone), then lookups and `mappings` build the result.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{format_of, raw_call, select, shape_expr};
use crate::ir::{Capability, Input, Orchestration, Shape, Step};

/// An expression of type `Result<Value, ClientError>` (awaited here) for the whole
/// orchestration; `self`, `input` and `call` are in scope.
pub(super) fn run(
    cap: &Capability,
    o: &Orchestration,
    inputs: &[Input],
    output: &Shape,
) -> TokenStream {
    let json = quote! { ::naftiko::__private::serde_json };
    let calls: Vec<(&str, TokenStream, TokenStream)> = o
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Call {
                name,
                call,
                bindings,
            } => {
                let raw = raw_call(cap, *call, inputs, bindings);
                let fmt = format_of(cap, *call);
                Some((name.as_str(), raw, fmt))
            }
            Step::Lookup { .. } => None,
        })
        .collect();
    let locals: Vec<_> = (0..calls.len())
        .map(|i| format_ident!("step{}", i))
        .collect();
    let futures: Vec<_> = (0..calls.len())
        .map(|i| format_ident!("call{}", i))
        .collect();
    let raws = calls.iter().map(|(_, raw, _)| raw);
    // Each call in a `let` of its own, so the generated code reads (and formats) plainly.
    let join = match calls.len() {
        0 => quote! {},
        1 => {
            let (l, raw) = (&locals[0], &calls[0].1);
            quote! { let #l = #raw; }
        }
        _ => quote! {
            #(let #futures = async { #raws };)*
            let (#(#locals),*) = ::naftiko::__private::tokio::join!(#(#futures),*);
        },
    };
    let mut call_index = 0;
    let steps = o.steps.iter().map(|s| match s {
        Step::Call { name, .. } => {
            let local = &locals[call_index];
            let fmt = &calls[call_index].2;
            call_index += 1;
            quote! { ctx.insert(#name, ::naftiko::steps::output(#name, #local, #fmt)?); }
        }
        Step::Lookup {
            name,
            index,
            match_field,
            value,
            fields,
        } => {
            let value = select(quote! { ctx.root() }, value);
            quote! {
                let found = ::naftiko::steps::lookup(ctx.get(#index), #match_field, &#value, &[#(#fields),*]);
                ctx.insert(#name, found);
            }
        }
    });
    let mappings = o.mappings.iter().map(|(target, path)| {
        let value = select(quote! { ctx.root() }, path);
        quote! { ::naftiko::steps::set(&mut out, &[#(#target),*], #value); }
    });
    let result = shape_expr(output, quote! { &out });
    quote! {
        async {
            #join
            let mut ctx = ::naftiko::steps::Context::new();
            #(#steps)*
            let mut out = #json::Value::Object(#json::Map::new());
            #(#mappings)*
            ::std::result::Result::Ok::<#json::Value, ::naftiko::ClientError>(#result)
        }
        .await
    }
}
