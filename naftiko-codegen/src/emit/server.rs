//! The capability's shared items: `Clients`, `CAPABILITY` (what the CLI needs), `serve`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::ir::{Capability, ClientAuth, Value, ValuePart};
use crate::naming::ident;

pub(super) fn items(cap: &Capability) -> TokenStream {
    let cap_docs = docs(Some(&cap.label), cap.description.as_deref());
    let label = &cap.label;
    let no_adapters =
        (cap.rest.is_empty() && cap.mcp.is_empty()).then(|| quote! { let _ = &clients; });
    let unused_settings = cap.clients.is_empty().then(|| quote! { let _ = settings; });
    let client_fields = cap.clients.iter().map(|c| {
        let f = ident(&c.module);
        let doc = format!(" Client of `{}`.", c.namespace);
        quote! { #[doc = #doc] pub #f: #f::Client, }
    });
    let client_inits = cap.clients.iter().map(|c| {
        let f = ident(&c.module);
        quote! { #f: #f::Client::builder().settings(settings)?.build()?, }
    });
    let client_infos = cap.clients.iter().map(|c| {
        let (ns, base_env) = (&c.namespace, &c.base_uri_env);
        let base: String = c
            .base_uri
            .iter()
            .map(|p| match p {
                crate::ir::UriPart::Literal(l) => l.clone(),
                crate::ir::UriPart::Variable(i) => format!("{{{}}}", c.variables[*i].name),
            })
            .collect();
        let vars = c.variables.iter().map(|v| {
            let (name, flag, env) = (&v.name, &v.flag, &v.env);
            quote! { ::naftiko::cli::VariableInfo { name: #name, flag: #flag, env: #env } }
        });
        quote! {
            ::naftiko::cli::ClientInfo { namespace: #ns, base_uri: #base, base_uri_env: #base_env, variables: &[#(#vars),*] }
        }
    });
    let bind_infos = cap.binds.iter().map(|b| {
        let (name, env) = (&b.name, &b.source);
        let file = super::opt_str(b.file.as_deref());
        quote! { ::naftiko::cli::BindInfo { name: #name, source: #env, file: #file } }
    });
    let adapter_info = |ns: &str, address: Option<&str>, port: u16| {
        let address = super::opt_str(address);
        quote! { ::naftiko::cli::AdapterInfo { namespace: #ns, address: #address, port: #port } }
    };
    let rest_infos = cap
        .rest
        .iter()
        .map(|r| adapter_info(&r.namespace, r.address.as_deref(), r.port));
    let mcp_infos = cap
        .mcp
        .iter()
        .map(|m| adapter_info(&m.namespace, m.address.as_deref(), m.port));
    let http_mcp_count = cap.mcp.iter().filter(|m| !m.stdio).count();
    let rest_listeners = cap.rest.iter().enumerate().map(|(i, r)| {
        let module = ident(&r.module);
        let router = protect(
            cap,
            r.auth.as_ref(),
            quote! { #module::router(#module::Forward::new(clients.clone())) },
        );
        listener(Surface::Rest, i, cap.rest.len(), r.port, router)
    });
    let mcp_listeners = cap
        .mcp
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.stdio)
        .map(|(i, m)| {
            let module = ident(&m.module);
            let router = protect(
                cap,
                m.auth.as_ref(),
                quote! { #module::router(#module::Tools::new(clients.clone()), &settings.mcp) },
            );
            listener(Surface::Mcp, i, http_mcp_count, m.port, router)
        });
    let stdio = cap.mcp.iter().find(|m| m.stdio).map(|m| {
        let module = ident(&m.module);
        quote! { #module::Tools::new(clients.clone()) }
    });
    // Only a spec that binds a secrets file reads one (and links the YAML parser for it).
    let load_bind_files = cap.binds.iter().any(|b| b.file.is_some()).then(|| {
        quote! {
            let mut settings = settings;
            settings.load_bind_files(&CAPABILITY)?;
        }
    });
    let control_const = cap.control.as_ref().map(|c| {
        let info = adapter_info("control", c.address.as_deref(), c.port);
        quote! {
            /// Where the control adapter listens by default.
            #[allow(dead_code)]
            const CONTROL: ::naftiko::cli::AdapterInfo = #info;
        }
    });
    let control_info = match &cap.control {
        Some(_) => quote! { ::std::option::Option::Some(CONTROL) },
        None => quote! { ::std::option::Option::None },
    };
    let listeners_mut = match &cap.control {
        Some(_) => quote! { mut listeners: ::std::vec::Vec<::naftiko::server::Listener> },
        None => quote! { listeners },
    };
    let control_listener = cap.control.as_ref().map(|c| {
        let (health, info, port) = (c.health, c.info, c.port);
        let config = super::control::config_document(cap);
        let router = protect(
            cap,
            c.auth.as_ref(),
            quote! {
                ::naftiko::control::router(::naftiko::control::ControlOptions {
                    health: #health,
                    info: #info,
                    label: CAPABILITY.label,
                    config: #config,
                    listeners: others,
                })
            },
        );
        quote! {
            let others = listeners
                .iter()
                .map(|l| (l.kind, ::std::format!("http://{}{}", l.addr, l.path)))
                .collect();
            listeners.push(::naftiko::server::Listener {
                kind: "control",
                addr: ::std::net::SocketAddr::new(settings.listen_address(&CONTROL)?, settings.control_port.unwrap_or(#port)),
                router: #router,
                path: "",
            });
        }
    });
    let serve = match &stdio {
        Some(tools) => quote! {
            ::naftiko::server::serve_with_stdio(listeners, settings.limits, ::naftiko::mcp::serve_stdio(#tools), shutdown).await
        },
        None => {
            quote! { ::naftiko::server::serve_with(listeners, settings.limits, shutdown).await }
        }
    };

    quote! {
        /// One client per consumed namespace, shared by every adapter.
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        #[allow(dead_code)]
        pub struct Clients {
            #(#client_fields)*
        }

        #[allow(dead_code)]
        impl Clients {
            /// Builds every client from server settings.
            pub fn from_settings(settings: &::naftiko::cli::Settings) -> ::std::result::Result<Self, ::naftiko::ClientError> {
                #unused_settings
                ::std::result::Result::Ok(Clients {
                    #(#client_inits)*
                })
            }
        }

        #cap_docs
        #[allow(dead_code)]
        pub static CAPABILITY: ::naftiko::cli::CapabilityInfo = ::naftiko::cli::CapabilityInfo {
            label: #label,
            clients: &[#(#client_infos),*],
            binds: &[#(#bind_infos),*],
            rest: &[#(#rest_infos),*],
            mcp: &[#(#mcp_infos),*],
            control: #control_info,
        };

        #control_const

        /// Serves every adapter until `shutdown` resolves.
        #[allow(dead_code)]
        pub async fn serve_until(
            settings: ::naftiko::cli::Settings,
            shutdown: impl ::std::future::Future<Output = ()> + ::std::marker::Send + 'static,
        ) -> ::std::result::Result<(), ::naftiko::Error> {
            #load_bind_files
            let clients = Clients::from_settings(&settings)?;
            #no_adapters
            let #listeners_mut = ::std::vec![
                #(#rest_listeners)*
                #(#mcp_listeners)*
            ];
            #control_listener
            let listeners = ::naftiko::server::with_metrics(listeners, &settings);
            #serve
        }

        /// Serves every adapter until SIGINT or SIGTERM.
        #[allow(dead_code)]
        pub async fn serve(settings: ::naftiko::cli::Settings) -> ::std::result::Result<(), ::naftiko::Error> {
            serve_until(settings, ::naftiko::server::shutdown_signal()).await
        }
    }
}

#[derive(Clone, Copy)]
enum Surface {
    Rest,
    Mcp,
}

/// A `Listener` for adapter `index` of `count` of one surface. The `--rest-port` /
/// `--mcp-port` flag applies when the surface has exactly one adapter.
fn listener(
    surface: Surface,
    index: usize,
    count: usize,
    port: u16,
    router: TokenStream,
) -> TokenStream {
    let (kind, path, infos, flag) = match surface {
        Surface::Rest => ("REST", "", quote! { rest }, quote! { rest_port }),
        Surface::Mcp => ("MCP", "/mcp", quote! { mcp }, quote! { mcp_port }),
    };
    let port_expr = if count == 1 {
        quote! { settings.#flag.unwrap_or(#port) }
    } else {
        quote! { #port }
    };
    quote! {
        ::naftiko::server::Listener {
            kind: #kind,
            addr: ::std::net::SocketAddr::new(settings.listen_address(&CAPABILITY.#infos[#index])?, #port_expr),
            router: #router,
            path: #path,
        },
    }
}

/// `router`, wrapped in the adapter's exposed authentication when it has one.
fn protect(cap: &Capability, auth: Option<&ClientAuth>, router: TokenStream) -> TokenStream {
    let Some(auth) = auth else { return router };
    let value = |v: &Value| -> TokenStream {
        let parts = v.0.iter().map(|p| match p {
            ValuePart::Literal(l) => quote! { #l },
            ValuePart::Bind(b) => {
                let name = &cap.binds[*b].name;
                let message = format!("the exposed authentication needs the bound variable {name}");
                quote! {
                    settings
                        .bind(#name)
                        .ok_or_else(|| ::naftiko::Error::Config(::std::string::String::from(#message)))?
                        .expose()
                }
            }
        });
        quote! { ::naftiko::Secret::new([#(#parts),*].concat()) }
    };
    let guard = match auth {
        ClientAuth::Bearer { token } => {
            let t = value(token);
            quote! { ::naftiko::auth::Guard::Bearer(#t) }
        }
        ClientAuth::ApiKeyHeader { name, value: v } => {
            let v = value(v);
            quote! { ::naftiko::auth::Guard::Header { name: ::naftiko::__private::http::HeaderName::from_static(#name), value: #v } }
        }
        ClientAuth::ApiKeyQuery { name, value: v } => {
            let v = value(v);
            quote! { ::naftiko::auth::Guard::Query { name: ::std::string::String::from(#name), value: #v } }
        }
        ClientAuth::Basic { username, password } => {
            let (u, p) = (value(username), value(password));
            quote! { ::naftiko::auth::Guard::Basic { username: ::std::string::String::from(#u.expose()), password: #p } }
        }
        // Refused by validation; should it ever get here, the build fails rather than serve
        // an unprotected adapter.
        ClientAuth::Digest { .. } => {
            quote! { ::std::compile_error!("digest authentication of incoming requests is not supported") }
        }
    };
    quote! { ::naftiko::auth::protect(#router, #guard) }
}
