//! A module per REST adapter: the `Api` trait, the `Forward` implementation, the router.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, forwarded_headers, input_struct, mapping, openapi, raw_call};
use crate::ir::{Action, Capability, RestAdapter, RestOp};
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
    let forwarded = forwarded_headers(
        cap,
        rest.operations
            .iter()
            .flat_map(|o| o.action.calls())
            .map(|c| c.client),
    );
    let openapi = openapi::document(cap, rest);

    let input_structs = rest
        .operations
        .iter()
        .filter_map(|op| Some(input_struct(op.input_struct.as_ref()?, &op.inputs, false)));
    let result = quote! { ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> };
    let input_arg = |op: &RestOp| match &op.input_struct {
        Some(name) => {
            let st = ident(name);
            quote! { input: #st, }
        }
        None => quote! {},
    };
    let trait_methods = rest.operations.iter().map(|op| {
        let f = ident(&op.fn_ident);
        let line = format!("`{} {}`", op.method, op.path);
        let d = docs(op.description.as_deref(), [line.as_str()]);
        let input = input_arg(op);
        quote! {
            #d
            fn #f(&self, #input call: ::naftiko::CallOptions) -> impl ::std::future::Future<Output = #result> + ::std::marker::Send;
        }
    });
    let forward_methods = rest.operations.iter().map(|op| {
        let f = ident(&op.fn_ident);
        let input = input_arg(op);
        let body = match &op.action {
            Action::Call { call, bindings } => raw_call(cap, *call, &op.inputs, bindings),
            Action::Steps(o) => {
                let run = super::steps::run(cap, o, &op.inputs, &op.output);
                quote! {
                    let value = #run?;
                    ::std::result::Result::Ok(::naftiko::RawResponse::from_json(&value))
                }
            }
            Action::Mock => {
                let locals = super::mock_input_locals(&op.output, &op.inputs);
                let value = super::shape_expr(&op.output, quote! { &::naftiko::json::NULL });
                quote! {
                    let _ = call;
                    #locals
                    ::std::result::Result::Ok(::naftiko::RawResponse::from_json(&#value))
                }
            }
        };
        let unused = op
            .input_struct
            .is_some()
            .then(|| quote! { let _ = &input; });
        quote! {
            async fn #f(&self, #input call: ::naftiko::CallOptions) -> #result {
                #unused
                #body
            }
        }
    });
    let forward_trait_methods = rest.forwards.iter().map(|f| {
        let name = ident(&f.fn_ident);
        let line = format!(
            "Every method on `{0}` and below, forwarded to `{1}` (see `naftiko::forward`).",
            if f.prefix.is_empty() { "/" } else { &f.prefix },
            cap.clients[f.client].namespace
        );
        let d = docs(f.description.as_deref(), [line.as_str()]);
        quote! {
            #d
            fn #name(&self, request: ::naftiko::request::Request, call: ::naftiko::CallOptions) -> impl ::std::future::Future<Output = #result> + ::std::marker::Send;
        }
    });
    let forward_impls = rest.forwards.iter().map(|f| {
        let name = ident(&f.fn_ident);
        let client = ident(&cap.clients[f.client].module);
        quote! {
            async fn #name(&self, request: ::naftiko::request::Request, call: ::naftiko::CallOptions) -> #result {
                self.clients.#client.forward(request, &call).await
            }
        }
    });
    let forward_handlers = rest.forwards.iter().map(|f| {
        let name = ident(&f.fn_ident);
        let handler = format_ident!("handle_{}", f.fn_ident);
        let prefix = &f.prefix;
        let count = f.trusted_headers.len();
        let trusted = f.trusted_headers.iter().map(|h| {
            quote! { ::naftiko::__private::http::HeaderName::from_static(#h) }
        });
        quote! {
            async fn #handler<A: Api>(
                ::naftiko::__private::axum::extract::State(api): ::naftiko::__private::axum::extract::State<A>,
                request: ::naftiko::__private::axum::extract::Request,
            ) -> ::naftiko::__private::axum::response::Response {
                static TRUSTED: [::naftiko::__private::http::HeaderName; #count] = [#(#trusted),*];
                match ::naftiko::forward::read(request, #prefix, &TRUSTED).await {
                    ::std::result::Result::Ok((request, call)) => ::naftiko::rest::passthrough(api.#name(request, call).await),
                    ::std::result::Result::Err(response) => response,
                }
            }
        }
    });
    let forward_routes = rest.forwards.iter().map(|f| {
        let handler = format_ident!("handle_{}", f.fn_ident);
        let exact = if f.prefix.is_empty() {
            "/".to_owned()
        } else {
            f.prefix.clone()
        };
        let below = format!("{}/{{*rest}}", f.prefix);
        let slash = format!("{}/", f.prefix);
        let slash = (!f.prefix.is_empty()).then(|| {
            quote! { .route(#slash, ::naftiko::__private::axum::routing::any(#handler::<A>)) }
        });
        quote! {
            .route(#exact, ::naftiko::__private::axum::routing::any(#handler::<A>))
            #slash
            .route(#below, ::naftiko::__private::axum::routing::any(#handler::<A>))
        }
    });
    let handlers = rest.operations.iter().map(|op| {
        let f = ident(&op.fn_ident);
        let handler = format_ident!("handle_{}", op.fn_ident);
        let respond = if op.action.call().is_none() || op.output.is_identity() {
            quote! { ::naftiko::rest::passthrough(result) }
        } else {
            let map = mapping(&op.output);
            let format = op.action.call().map_or_else(super::format_json, |c| super::format_of(cap, c));
            quote! { ::naftiko::rest::mapped(result, #format, #map) }
        };
        match &op.input_struct {
            Some(name) => {
                let st = ident(name);
                quote! {
                    async fn #handler<A: Api>(
                        ::naftiko::__private::axum::extract::State(api): ::naftiko::__private::axum::extract::State<A>,
                        incoming: ::naftiko::rest::Incoming,
                    ) -> ::naftiko::__private::axum::response::Response {
                        let input = match #st::from_incoming(&incoming) {
                            ::std::result::Result::Ok(input) => input,
                            ::std::result::Result::Err(e) => return ::naftiko::rest::input_error(&e),
                        };
                        let result = api.#f(input, ::naftiko::CallOptions::forward(&incoming.headers, &FORWARDED_HEADERS)).await;
                        #respond
                    }
                }
            }
            None => quote! {
                async fn #handler<A: Api>(
                    ::naftiko::__private::axum::extract::State(api): ::naftiko::__private::axum::extract::State<A>,
                    headers: ::naftiko::__private::http::HeaderMap,
                ) -> ::naftiko::__private::axum::response::Response {
                    let result = api.#f(::naftiko::CallOptions::forward(&headers, &FORWARDED_HEADERS)).await;
                    #respond
                }
            },
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
            #(#input_structs)*

            /// The exposed operations. Implement it to serve your own logic; [`Forward`] calls the upstream.
            pub trait Api: ::std::clone::Clone + ::std::marker::Send + ::std::marker::Sync + 'static {
                #(#trait_methods)*
                #(#forward_trait_methods)*
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
                #(#forward_impls)*
            }

            /// The OpenAPI 3.1 document of this adapter, built at compile time.
            pub const OPENAPI: &str = #openapi;

            #forwarded

            /// The adapter's routes, plus `GET /openapi.json` and `GET /healthz`.
            pub fn router<A: Api>(api: A) -> ::naftiko::__private::axum::Router {
                ::naftiko::__private::axum::Router::new()
                    #(#routes)*
                    #(#forward_routes)*
                    .route("/openapi.json", ::naftiko::__private::axum::routing::get(|| async { ::naftiko::rest::json_document(OPENAPI) }))
                    .route("/healthz", ::naftiko::__private::axum::routing::get(::naftiko::rest::healthz))
                    .fallback(::naftiko::rest::not_found)
                    .with_state(api)
            }

            #(#handlers)*
            #(#forward_handlers)*
        }
    }
}
