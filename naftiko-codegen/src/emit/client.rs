//! A client module per consumed namespace: `Client`, `ClientBuilder`, one method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, mapping, method};
use crate::ir::{
    Body, Capability, Client, ClientAuth, ClientOp, Field, JsonTemplate, OutputSchema, Param,
    PathPart, Template, TemplatePart, UriPart, Value, ValuePart,
};
use crate::naming::ident;

pub(super) fn module(cap: &Capability, client: &Client) -> TokenStream {
    let module = ident(&client.module);
    let namespace = &client.namespace;
    let module_docs = docs(
        client.description.as_deref(),
        [format!("Client of the consumed namespace `{namespace}`.").as_str()],
    );
    let auth_binds = client_binds(client);
    let param_binds = param_binds(client);
    let client_bind_fields = param_binds.iter().map(|&b| {
        let field = ident(&cap.binds[b].setter);
        quote! { #field: ::std::option::Option<::naftiko::Secret>, }
    });
    let client_bind_inits = param_binds.iter().map(|&b| {
        let field = ident(&cap.binds[b].setter);
        quote! { #field: self.#field.clone(), }
    });
    let bind_fields = auth_binds.iter().map(|&b| {
        let field = ident(&cap.binds[b].setter);
        quote! { #field: ::std::option::Option<::naftiko::Secret>, }
    });
    let bind_setters = auth_binds.iter().map(|&b| {
        let bind = &cap.binds[b];
        let field = ident(&bind.setter);
        let doc = format!(
            " Sets the bound variable `{}` (environment: `{}`).",
            bind.name, bind.source
        );
        quote! {
            #[doc = #doc]
            pub fn #field(mut self, value: impl ::std::convert::Into<::naftiko::Secret>) -> Self {
                self.#field = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let from_env = auth_binds.iter().map(|&b| {
        let bind = &cap.binds[b];
        let field = ident(&bind.setter);
        let source = &bind.source;
        quote! {
            if let ::std::option::Option::Some(v) = ::naftiko::env_secret(#source) {
                self.#field = ::std::option::Option::Some(v);
            }
        }
    });
    let from_env_mut = (!auth_binds.is_empty()).then(|| quote! { mut });
    let from_settings_binds = auth_binds.iter().map(|&b| {
        let bind = &cap.binds[b];
        let field = ident(&bind.setter);
        let name = &bind.name;
        quote! {
            if let ::std::option::Option::Some(v) = settings.bind(#name) {
                self.#field = ::std::option::Option::Some(v.clone());
            }
        }
    });
    let var_fields = client.variables.iter().map(|v| {
        let field = ident(&v.setter);
        quote! { #field: ::std::option::Option<::std::string::String>, }
    });
    let var_setters = client.variables.iter().map(|v| {
        let field = ident(&v.setter);
        let doc = format!(" Sets `{{{}}}` in the base URI (flag `--{}`, environment `{}`).", v.name, v.flag, v.env);
        quote! {
            #[doc = #doc]
            pub fn #field(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.#field = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let from_settings_vars = client.variables.iter().map(|v| {
        let field = ident(&v.setter);
        let name = &v.name;
        quote! {
            if let ::std::option::Option::Some(v) = settings.variable(#name) {
                self.#field = ::std::option::Option::Some(v.to_owned());
            }
        }
    });
    let base = base_uri(client);
    let auth = default_auth(cap, client);
    let params_structs = client.operations.iter().filter_map(params_struct);
    let forward = client.forwarded.then(|| forward_method(cap, client));
    let output_schemas = client.operations.iter().filter_map(output_schema_static);
    let methods = client.operations.iter().map(|op| {
        let typed = ident(&op.method_ident);
        let raw = format_ident!("{}_raw", op.method_ident);
        let call_line = format!("`{} {}`", op.method, op.path_text());
        let typed_docs = docs(op.description.as_deref(), [call_line.as_str(), "", "Returns the upstream's JSON (mapped as the spec says); 4xx and 5xx answers are `ClientError::Status`."]);
        let raw_doc = format!(" {call_line}, answered as is (any status), for pass-through.");
        let map = mapping(&op.output);
        let format = super::format(client, op);
        let (params_arg, params_pass) = match &op.params_struct {
            Some(name) => {
                let st = ident(name);
                (quote! { params: &#st, }, quote! { params, })
            }
            None => (quote! {}, quote! {}),
        };
        let send = request(cap, op);
        quote! {
            #typed_docs
            pub async fn #typed(&self, #params_arg call: &::naftiko::CallOptions) -> ::std::result::Result<::naftiko::__private::serde_json::Value, ::naftiko::ClientError> {
                let raw = self.#raw(#params_pass call).await?.error_for_status()?;
                let map = #map;
                ::std::result::Result::Ok(map(raw.decode(#format)?))
            }

            #[doc = #raw_doc]
            pub async fn #raw(&self, #params_arg call: &::naftiko::CallOptions) -> ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> {
                #send
            }
        }
    });

    quote! {
        #module_docs
        #[allow(dead_code)]
        pub mod #module {
            /// The consumed namespace this client calls.
            pub const NAMESPACE: &str = #namespace;

            /// A typed client: one method per consumed operation. Cheap to clone (shared pool).
            #[derive(::std::clone::Clone, ::std::fmt::Debug)]
            pub struct Client {
                upstream: ::naftiko::client::Upstream,
                #(#client_bind_fields)*
            }

            /// Configures a [`Client`]: base-URI variables, credentials, timeouts, TLS.
            #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::default::Default)]
            pub struct ClientBuilder {
                config: ::naftiko::ClientConfig,
                #(#var_fields)*
                #(#bind_fields)*
            }

            #(#params_structs)*
            #(#output_schemas)*

            impl Client {
                /// Starts configuring a client.
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::default()
                }

                /// The base URI calls go to.
                pub fn base_uri(&self) -> &str {
                    self.upstream.base_uri()
                }

                #(#methods)*
                #forward
            }

            impl ClientBuilder {
                #(#var_setters)*
                #(#bind_setters)*

                /// Reads the bound variables from the environment.
                pub fn from_env(#from_env_mut self) -> Self {
                    #(#from_env)*
                    self
                }

                /// Applies server settings: base-URI override and variables, binds, TLS, timeout.
                pub fn settings(mut self, settings: &::naftiko::cli::Settings) -> ::std::result::Result<Self, ::naftiko::ClientError> {
                    self.config = settings.client_config(NAMESPACE, self.config)?;
                    #(#from_settings_vars)*
                    #(#from_settings_binds)*
                    ::std::result::Result::Ok(self)
                }

                /// Replaces the spec's whole base URI, variables included.
                pub fn base_uri(mut self, uri: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.config.base_uri(uri);
                    self
                }

                /// Time allowed for a whole call (default 30 s).
                pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                    self.config.timeout(timeout);
                    self
                }

                /// Time allowed to connect (default 10 s).
                pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                    self.config.connect_timeout(timeout);
                    self
                }

                /// Also trusts the CA certificates of this PEM bundle.
                pub fn ca_certificates_pem(mut self, pem: &[u8]) -> ::std::result::Result<Self, ::naftiko::ClientError> {
                    self.config.ca_certificates_pem(pem)?;
                    ::std::result::Result::Ok(self)
                }

                /// Turns off TLS certificate verification. Only for test servers you control.
                pub fn danger_accept_invalid_certs(mut self, insecure: bool) -> Self {
                    self.config.danger_accept_invalid_certs(insecure);
                    self
                }

                /// A header sent on every call; credential headers replace the default authentication.
                pub fn header(mut self, name: ::naftiko::__private::http::HeaderName, value: ::naftiko::__private::http::HeaderValue) -> Self {
                    self.config.header(name, value);
                    self
                }

                /// Basic credentials on every call, instead of the spec's default authentication.
                pub fn basic_auth(mut self, username: &str, password: &::naftiko::Secret) -> Self {
                    self.config.basic_auth(username, password);
                    self
                }

                /// Uses an existing HTTP client and its connection pool.
                pub fn http_client(mut self, client: ::naftiko::__private::reqwest::Client) -> Self {
                    self.config.http_client(client);
                    self
                }

                /// Builds the client; fails on a missing base-URI variable or bad TLS material.
                pub fn build(self) -> ::std::result::Result<Client, ::naftiko::ClientError> {
                    #base
                    #auth
                    ::std::result::Result::Ok(Client {
                        #(#client_bind_inits)*
                        upstream: ::naftiko::client::Upstream::new(self.config, base, auth)?,
                    })
                }
            }
        }
    }
}

/// The bind variables request parameters (and forwarded requests' headers) read, in
/// first-use order.
fn param_binds(client: &Client) -> Vec<usize> {
    let mut out = Vec::new();
    for op in &client.operations {
        for part in template_parts(op) {
            if let TemplatePart::Bind(b) = part
                && !out.contains(b)
            {
                out.push(*b);
            }
        }
    }
    for b in forward_binds(client) {
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// The bind variables the headers of forwarded requests read, in first-use order.
fn forward_binds(client: &Client) -> Vec<usize> {
    let mut out = Vec::new();
    if !client.forwarded {
        return out;
    }
    for (_, value) in &client.forward_headers {
        for part in &value.0 {
            if let ValuePart::Bind(b) = part
                && !out.contains(b)
            {
                out.push(*b);
            }
        }
    }
    out
}

/// `forward`: a request a REST `forward` resource built, sent with this namespace's own
/// header parameters and authentication.
fn forward_method(cap: &Capability, client: &Client) -> TokenStream {
    let binds = forward_binds(client).into_iter().map(|b| {
        let bind = &cap.binds[b];
        let field = ident(&bind.setter);
        let message = format!(
            "the bound variable {} is not set (environment variable {})",
            bind.name, bind.source
        );
        quote! {
            let ::std::option::Option::Some(#field) = self.#field.as_ref() else {
                return ::std::result::Result::Err(::naftiko::ClientError::Config(::std::string::String::from(#message)));
            };
        }
    });
    let headers = client.forward_headers.iter().map(|(name, value)| {
        let v = value_expr(cap, value);
        quote! { request.header(#name, #v)?; }
    });
    let mutable = (!client.forward_headers.is_empty()).then(|| quote! { mut });
    quote! {
        /// Sends a request a REST `forward` resource built (method, path below the base URI,
        /// query and body as received), adding this namespace's header parameters and
        /// authentication. Any status is returned as is.
        pub async fn forward(&self, #mutable request: ::naftiko::request::Request, call: &::naftiko::CallOptions) -> ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> {
            #(#binds)*
            #(#headers)*
            self.upstream.send_request(request, call).await
        }
    }
}

/// Every template part of an operation's query, headers, cookies and body.
fn template_parts(op: &ClientOp) -> Vec<&TemplatePart> {
    let mut out: Vec<&TemplatePart> = Vec::new();
    for f in op.query.iter().chain(&op.headers).chain(&op.cookies) {
        out.extend(&f.value.0);
    }
    if let Some(body) = &op.body {
        out.extend(body.template_parts());
    }
    out
}

/// Every bind variable the client reads (authentication and parameters), first-use order.
fn client_binds(client: &Client) -> Vec<usize> {
    let mut out = auth_binds(client);
    for b in param_binds(client) {
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// The bind variables the client's default authentication reads, in first-use order.
fn auth_binds(client: &Client) -> Vec<usize> {
    let mut out = Vec::new();
    let values: Vec<&Value> = match &client.auth {
        None => vec![],
        Some(ClientAuth::ApiKeyHeader { value, .. } | ClientAuth::ApiKeyQuery { value, .. }) => {
            vec![value]
        }
        Some(ClientAuth::Bearer { token }) => vec![token],
        Some(
            ClientAuth::Basic { username, password } | ClientAuth::Digest { username, password },
        ) => vec![username, password],
    };
    for value in values {
        for part in &value.0 {
            if let ValuePart::Bind(b) = part
                && !out.contains(b)
            {
                out.push(*b);
            }
        }
    }
    out
}

/// `let base: String = ...;` from the variables, unless the config replaces it.
fn base_uri(client: &Client) -> TokenStream {
    let needed = client.variables.iter().map(|v| {
        let field = ident(&v.setter);
        let (name, flag, env, base_env) = (&v.name, &v.flag, &v.env, &client.base_uri_env);
        quote! {
            let ::std::option::Option::Some(#field) = self.#field.as_deref() else {
                return ::std::result::Result::Err(::naftiko::ClientError::missing_setting(#name, #flag, #env, #base_env));
            };
        }
    });
    let pushes = client.base_uri.iter().map(|part| match part {
        UriPart::Literal(l) => quote! { base.push_str(#l); },
        UriPart::Variable(i) => {
            let field = ident(&client.variables[*i].setter);
            quote! { base.push_str(#field); }
        }
    });
    quote! {
        let base = if self.config.base_uri_override().is_some() {
            ::std::string::String::new()
        } else {
            #(#needed)*
            let mut base = ::std::string::String::new();
            #(#pushes)*
            base
        };
    }
}

/// An expression of type `&str` for a value over bind variables bound as locals.
fn value_expr(cap: &Capability, value: &Value) -> TokenStream {
    let parts: Vec<TokenStream> = value
        .0
        .iter()
        .map(|p| match p {
            ValuePart::Literal(l) => quote! { #l },
            ValuePart::Bind(b) => {
                let local = ident(&cap.binds[*b].setter);
                quote! { #local.expose() }
            }
        })
        .collect();
    match parts.as_slice() {
        [one] => one.clone(),
        _ => quote! { &[#(#parts),*].concat() },
    }
}

/// `let auth: DefaultAuth = ...;`, `Missing` when a bind it needs is unset.
fn default_auth(cap: &Capability, client: &Client) -> TokenStream {
    let Some(auth) = &client.auth else {
        return quote! { let auth = ::naftiko::client::DefaultAuth::None; };
    };
    let binds = auth_binds(client);
    let header = super::opt_str(match auth {
        ClientAuth::ApiKeyHeader { name, .. } => Some(name.as_str()),
        _ => None,
    });
    let lets = binds.iter().map(|&b| {
        let bind = &cap.binds[b];
        let local = ident(&bind.setter);
        let name = &bind.name;
        quote! {
            let ::std::option::Option::Some(#local) = self.#local.as_ref() else {
                break 'auth ::naftiko::client::DefaultAuth::missing(#name, #header);
            };
        }
    });
    let make = match auth {
        ClientAuth::ApiKeyHeader { name, value } => {
            let v = value_expr(cap, value);
            quote! { ::naftiko::client::DefaultAuth::header(#name, #v)? }
        }
        ClientAuth::ApiKeyQuery { name, value } => {
            let v = value_expr(cap, value);
            quote! { ::naftiko::client::DefaultAuth::Query { name: #name, value: ::naftiko::Secret::new(#v) } }
        }
        ClientAuth::Bearer { token } => {
            let v = value_expr(cap, token);
            quote! { ::naftiko::client::DefaultAuth::bearer(#v)? }
        }
        ClientAuth::Basic { username, password } => {
            let (u, p) = (value_expr(cap, username), value_expr(cap, password));
            quote! { ::naftiko::client::DefaultAuth::basic(#u, #p) }
        }
        ClientAuth::Digest { username, password } => {
            let (u, p) = (value_expr(cap, username), value_expr(cap, password));
            quote! { ::naftiko::client::DefaultAuth::digest(#u, #p) }
        }
    };
    if binds.is_empty() {
        return quote! { let auth = #make; };
    }
    quote! {
        let auth = 'auth: {
            #(#lets)*
            #make
        };
    }
}

/// `<Op>Params`: every named value of the operation, as text.
fn params_struct(op: &ClientOp) -> Option<TokenStream> {
    let name = ident(op.params_struct.as_ref()?);
    let doc = format!(
        " The parameters of `{}`. Required ones missing are refused before any request.",
        op.name
    );
    let fields = op.params.iter().map(|p| {
        let f = ident(&p.field);
        let doc = format!(
            " `{}`{}",
            p.name,
            if p.required { " (required)" } else { "" }
        );
        quote! { #[doc = #doc] pub #f: ::std::option::Option<::std::string::String>, }
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::default::Default, ::std::cmp::PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    })
}

/// The local holding a required parameter's value.
fn local(p: &Param) -> proc_macro2::Ident {
    format_ident!("param_{}", p.field.trim_start_matches("r#"))
}

/// `&str` text of a template over required-parameter locals.
fn template_str(op: &ClientOp, t: &Template) -> TokenStream {
    let parts: Vec<TokenStream> =
        t.0.iter()
            .map(|p| match p {
                TemplatePart::Literal(l) => quote! { #l },
                TemplatePart::Param(i) => {
                    let l = local(&op.params[*i]);
                    quote! { #l }
                }
                TemplatePart::Bind(b) => {
                    let l = format_ident!("bind_{}", b);
                    quote! { #l }
                }
            })
            .collect();
    match parts.as_slice() {
        [] => quote! { "" },
        [one] => one.clone(),
        _ => quote! { &[#(#parts),*].concat() },
    }
}

/// The body of a `*_raw` method: build the request, send it.
fn request(cap: &Capability, op: &ClientOp) -> TokenStream {
    let http_method = method(&op.method);
    let simple = op.params.is_empty()
        && op.query.is_empty()
        && op.headers.is_empty()
        && op.cookies.is_empty()
        && op.body.is_none();
    if simple {
        let path = op.path_text();
        return quote! { self.upstream.send(#http_method, #path, call).await };
    }
    let required = op.params.iter().filter(|p| p.required).map(|p| {
        let l = local(p);
        let f = ident(&p.field);
        let name = &p.name;
        quote! {
            let ::std::option::Option::Some(#l) = params.#f.as_deref() else {
                return ::std::result::Result::Err(::naftiko::ClientError::MissingParameter { name: #name });
            };
        }
    });
    let mut used_binds: Vec<usize> = Vec::new();
    for part in template_parts(op) {
        if let TemplatePart::Bind(b) = part
            && !used_binds.contains(b)
        {
            used_binds.push(*b);
        }
    }
    let binds = used_binds.iter().map(|&b| {
        let bind = &cap.binds[b];
        let field = ident(&bind.setter);
        let local = format_ident!("bind_{}", b);
        let message = format!(
            "the bound variable {} is not set (environment variable {})",
            bind.name, bind.source
        );
        quote! {
            let ::std::option::Option::Some(#local) = self.#field.as_ref().map(::naftiko::Secret::expose) else {
                return ::std::result::Result::Err(::naftiko::ClientError::Config(::std::string::String::from(#message)));
            };
        }
    });
    let path = op.path.iter().map(|p| match p {
        PathPart::Literal(l) => quote! { request.push_path(#l); },
        PathPart::Param(i) => {
            let l = local(&op.params[*i]);
            let name = &op.params[*i].name;
            quote! { request.push_path_value(#name, #l)?; }
        }
    });
    let field = |f: &Field, call: TokenStream, fallible: bool| {
        let name = &f.name;
        let q = if fallible {
            quote! { ? }
        } else {
            quote! {}
        };
        match (f.optional, f.value.0.as_slice()) {
            (true, [TemplatePart::Param(i)]) if !op.params[*i].required => {
                let pf = ident(&op.params[*i].field);
                quote! {
                    if let ::std::option::Option::Some(value) = params.#pf.as_deref() {
                        request.#call(#name, value)#q;
                    }
                }
            }
            _ => {
                let value = template_str(op, &f.value);
                quote! { request.#call(#name, #value)#q; }
            }
        }
    };
    let query = op.query.iter().map(|f| field(f, quote! { query }, false));
    let headers = op.headers.iter().map(|f| field(f, quote! { header }, true));
    let cookies = op
        .cookies
        .iter()
        .map(|f| field(f, quote! { cookie }, false));
    let body = op.body.as_ref().map(|b| body(op, b));
    quote! {
        #(#required)*
        #(#binds)*
        let mut request = ::naftiko::request::Request::new(#http_method, ::std::string::String::new());
        #(#path)*
        #(#query)*
        #(#headers)*
        #(#cookies)*
        #body
        self.upstream.send_request(request, call).await
    }
}

fn body(op: &ClientOp, body: &Body) -> TokenStream {
    let json = quote! { ::naftiko::__private::serde_json };
    match body {
        Body::JsonText(parts) => {
            let pushes = parts.iter().map(|(p, in_string)| match p {
                TemplatePart::Literal(l) => quote! { body.push_str(#l); },
                TemplatePart::Param(i) => {
                    let l = local(&op.params[*i]);
                    quote! { ::naftiko::request::push_json_value(&mut body, #l, #in_string); }
                }
                TemplatePart::Bind(b) => {
                    let l = format_ident!("bind_{}", b);
                    quote! { ::naftiko::request::push_json_value(&mut body, #l, #in_string); }
                }
            });
            quote! {
                let mut body = ::std::string::String::new();
                #(#pushes)*
                request.body("application/json", body);
            }
        }
        Body::Json(t) => {
            let value = json_value(op, t);
            quote! { request.json_body(&#value); }
        }
        Body::Text {
            content_type,
            template,
        } => {
            let text = template_str(op, template);
            quote! { request.body(#content_type, ::std::string::String::from(#text)); }
        }
        Body::Form(pairs) => {
            let pairs = pairs.iter().map(|(k, t)| {
                let v = template_str(op, t);
                quote! { (#k, #v) }
            });
            let _ = &json;
            quote! { request.form_body([#(#pairs),*]); }
        }
        Body::Multipart(parts) => {
            let opt = |s: &Option<String>| match s {
                Some(s) => quote! { ::std::option::Option::Some(#s) },
                None => quote! { ::std::option::Option::None },
            };
            let parts = parts.iter().map(|p| {
                let name = &p.name;
                let value = template_str(op, &p.value);
                let filename = opt(&p.filename);
                let content_type = opt(&p.content_type);
                quote! {
                    ::naftiko::request::Part { name: #name, value: #value, filename: #filename, content_type: #content_type }
                }
            });
            quote! { request.multipart_body(&[#(#parts),*]); }
        }
    }
}

fn json_value(op: &ClientOp, t: &JsonTemplate) -> TokenStream {
    let json = quote! { ::naftiko::__private::serde_json };
    match t {
        JsonTemplate::Literal(v) => {
            let text = v.to_string();
            quote! { ::naftiko::json::constant(#text) }
        }
        JsonTemplate::String(t) => {
            let s = template_str(op, t);
            quote! { #json::Value::String(::std::string::String::from(#s)) }
        }
        JsonTemplate::Array(items) => {
            let items = items.iter().map(|i| json_value(op, i));
            quote! { #json::Value::Array(::std::vec![#(#items),*]) }
        }
        JsonTemplate::Object(members) => {
            let inserts = members.iter().map(|(k, v)| {
                let v = json_value(op, v);
                quote! { map.insert(::std::string::String::from(#k), #v); }
            });
            quote! {{
                let mut map = #json::Map::new();
                #(#inserts)*
                #json::Value::Object(map)
            }}
        }
    }
}

/// The name of the `static` holding an operation's `outputSchema`.
pub(super) fn output_schema_ident(op: &ClientOp) -> proc_macro2::Ident {
    let base = op.method_ident.trim_start_matches("r#").to_uppercase();
    format_ident!("{}_OUTPUT_SCHEMA", base)
}

/// An operation's avro or protobuf schema, embedded as checked at build time; the runtime
/// parses it once, on first use.
fn output_schema_static(op: &ClientOp) -> Option<TokenStream> {
    let name = output_schema_ident(op);
    let (ty, value) = match op.output_schema.as_ref()? {
        OutputSchema::Avro { json } => (
            quote! { ::naftiko::formats::AvroSchema },
            quote! { ::naftiko::formats::AvroSchema::new(#json) },
        ),
        OutputSchema::Protobuf {
            descriptor_set,
            message,
        } => {
            let bytes = proc_macro2::Literal::byte_string(descriptor_set);
            (
                quote! { ::naftiko::formats::ProtobufSchema },
                quote! { ::naftiko::formats::ProtobufSchema::new(#bytes, #message) },
            )
        }
    };
    let doc = format!(
        " The `outputSchema` of `{}`, read when first used.",
        op.name
    );
    Some(quote! {
        #[doc = #doc]
        pub static #name: #ty = #value;
    })
}
