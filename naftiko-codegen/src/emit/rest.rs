//! A module per REST adapter: the `Api` trait, the `Forward` implementation, the router.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, forwarded_headers, mapping, openapi};
use crate::ir::{Capability, Output, RestAdapter};
use crate::naming::ident;

pub(super) fn module(cap: &Capability, rest: &RestAdapter) -> TokenStream {
    let module = ident(&rest.module);
    let module_docs = docs(
        rest.description.as_deref(),
        [format!(
            "REST adapter `{}` (port {} by default).",
            rest.namespace, rest.port
        )
        .as_str()],
    );
    let forwarded = forwarded_headers(cap, rest.operations.iter().map(|o| o.call.client));
    let openapi = openapi::document(cap, rest);

    let trait_methods = rest.operations.iter().map(|op| {
        let f = ident(&op.fn_ident);
        let line = format!("`{} {}`", op.method, op.path);
        let d = docs(op.description.as_deref(), [line.as_str()]);
        quote! {
            #d
            fn #f(&self, call: ::naftiko::CallOptions) -> impl ::std::future::Future<Output = ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError>> + ::std::marker::Send;
        }
    });
    let forward_methods = rest.operations.iter().map(|op| {
        let f = ident(&op.fn_ident);
        let client = ident(&cap.clients[op.call.client].module);
        let raw = format_ident!("{}_raw", cap.clients[op.call.client].operations[op.call.op].method_ident);
        quote! {
            async fn #f(&self, call: ::naftiko::CallOptions) -> ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> {
                self.clients.#client.#raw(&call).await
            }
        }
    });
    let handlers = rest.operations.iter().map(|op| {
        let f = ident(&op.fn_ident);
        let handler = format_ident!("handle_{}", op.fn_ident);
        let respond = match &op.output {
            Output::Passthrough => quote! { ::naftiko::rest::passthrough(result) },
            other => {
                let map = mapping(other);
                quote! { ::naftiko::rest::mapped(result, #map) }
            }
        };
        quote! {
            async fn #handler<A: Api>(
                ::naftiko::__private::axum::extract::State(api): ::naftiko::__private::axum::extract::State<A>,
                headers: ::naftiko::__private::http::HeaderMap,
            ) -> ::naftiko::__private::axum::response::Response {
                let result = api.#f(::naftiko::CallOptions::forward(&headers, &FORWARDED_HEADERS)).await;
                #respond
            }
        }
    });
    // One `.route` per path, its methods chained, in spec order.
    let mut paths: BTreeMap<&str, (usize, Vec<TokenStream>)> = BTreeMap::new();
    for (i, op) in rest.operations.iter().enumerate() {
        let handler = format_ident!("handle_{}", op.fn_ident);
        let method = format_ident!("{}", op.method.to_ascii_lowercase());
        let entry = paths.entry(op.path.as_str()).or_insert((i, Vec::new()));
        entry.1.push(quote! { #method(#handler::<A>) });
    }
    let mut paths: Vec<_> = paths.into_iter().collect();
    paths.sort_by_key(|(_, (first, _))| *first);
    let routes = paths.iter().map(|(path, (_, methods))| {
        let (first, rest) = methods
            .split_first()
            .expect("a path has at least one method");
        quote! {
            .route(#path, ::naftiko::__private::axum::routing::#first #(.#rest)*)
        }
    });

    quote! {
        #module_docs
        #[allow(dead_code)]
        pub mod #module {
            /// The exposed operations. Implement it to serve your own logic; [`Forward`] calls the upstream.
            pub trait Api: ::std::clone::Clone + ::std::marker::Send + ::std::marker::Sync + 'static {
                #(#trait_methods)*
            }

            /// Forwards every operation to the generated clients, caller credentials included.
            #[derive(::std::clone::Clone, ::std::fmt::Debug)]
            pub struct Forward {
                clients: super::Clients,
            }

            impl Forward {
                pub fn new(clients: super::Clients) -> Self {
                    Forward { clients }
                }
            }

            impl Api for Forward {
                #(#forward_methods)*
            }

            /// The OpenAPI 3.1 document of this adapter, built at compile time.
            pub const OPENAPI: &str = #openapi;

            #forwarded

            /// The adapter's routes, plus `GET /openapi.json` and `GET /healthz`.
            pub fn router<A: Api>(api: A) -> ::naftiko::__private::axum::Router {
                ::naftiko::__private::axum::Router::new()
                    #(#routes)*
                    .route("/openapi.json", ::naftiko::__private::axum::routing::get(|| async { ::naftiko::rest::json_document(OPENAPI) }))
                    .route("/healthz", ::naftiko::__private::axum::routing::get(::naftiko::rest::healthz))
                    .fallback(::naftiko::rest::not_found)
                    .with_state(api)
            }

            #(#handlers)*
        }
    }
}
