//! IR -> Rust tokens. One module per surface; each returns items for the caller's module.
//!
//! Generated code names dependencies only through `::naftiko::__private::…` and std through
//! absolute paths, so a user crate needs `naftiko` and nothing else (tokio only for a
//! `#[tokio::main]` of its own).

mod client;
mod control;
mod mcp;
mod openapi;
mod prompts;
mod resources;
mod rest;
mod server;
mod steps;

use proc_macro2::TokenStream;
use quote::quote;

use quote::format_ident;

use crate::ir::{
    Binding, Capability, Client, ClientOp, Format, Input, InputLocation, Kind, OpRef, Segment,
    Shape, Source, SourcePart,
};
use crate::naming::ident;

/// Every item generated for a capability, in a fixed order.
pub(crate) fn capability(cap: &Capability) -> TokenStream {
    let clients = cap.clients.iter().map(|c| client::module(cap, c));
    if cap.library {
        // A consumes library exposes nothing: no server, only what its importers share.
        return quote! { #(#clients)* };
    }
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
        .map(|t| {
            t.lines()
                .map(|l| format!(" {}", doc_text(l.trim_end())))
                .collect()
        })
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

/// A line of spec text (a description: prose, not Markdown we control) made safe for
/// rustdoc: outside `code spans`, `<`, `>`, `[` and `]` are escaped, so that
/// `<session id>` is not an unclosed HTML tag and `[beta]` not a broken intra-doc link, and
/// bare URLs become autolinks.
pub(crate) fn doc_text(line: &str) -> String {
    static URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"https?://[^\s<>`\[\]]+[^\s<>`\[\].,;:!?)'"]"#).expect("valid regex")
    });
    let mut out = String::with_capacity(line.len());
    let segments: Vec<&str> = line.split('`').collect();
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        // A code span needs its closing backtick.
        if i % 2 == 1 && i + 1 < segments.len() {
            out.push_str(segment);
            continue;
        }
        let mut last = 0;
        for url in URL.find_iter(segment) {
            escape_prose(&segment[last..url.start()], &mut out);
            out.push('<');
            out.push_str(url.as_str());
            out.push('>');
            last = url.end();
        }
        escape_prose(&segment[last..], &mut out);
    }
    out
}

fn escape_prose(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            c => out.push(c),
        }
    }
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

/// The `serde_json` path generated code uses.
fn json() -> TokenStream {
    quote! { ::naftiko::__private::serde_json }
}

/// `Option<&Value>` after following `path` (no wildcards) from `start: Option<&Value>`.
fn chain(start: TokenStream, path: &[Segment]) -> TokenStream {
    let steps = path.iter().map(|seg| match seg {
        Segment::Member(m) => quote! { .and_then(|v| v.get(#m)) },
        Segment::Index(i) if *i >= 0 => {
            let i = usize::try_from(*i).unwrap_or(usize::MAX);
            quote! { .and_then(|v| v.get(#i)) }
        }
        Segment::Index(i) => {
            quote! { .and_then(|v| ::naftiko::json::index(::std::option::Option::Some(v), #i)) }
        }
        Segment::Wildcard => unreachable!("split at wildcards before"),
    });
    quote! { #start #(#steps)* }
}

/// A `Value` selected by `path` from `root: &Value`; wildcards collect arrays.
fn select(root: TokenStream, path: &[Segment]) -> TokenStream {
    let json = json();
    match path.iter().position(|s| *s == Segment::Wildcard) {
        None if path.is_empty() => quote! { ::std::clone::Clone::clone(#root) },
        None => {
            let c = chain(quote! { ::std::option::Option::Some(#root) }, path);
            quote! { #c.cloned().unwrap_or(#json::Value::Null) }
        }
        Some(w) => {
            let prefix = chain(quote! { ::std::option::Option::Some(#root) }, &path[..w]);
            if w + 1 == path.len() {
                return quote! {
                    #json::Value::Array(::naftiko::json::each(#prefix).into_iter().cloned().collect())
                };
            }
            let rest = select(quote! { item }, &path[w + 1..]);
            quote! {
                #json::Value::Array(::naftiko::json::each(#prefix).into_iter().map(|item| #rest).collect())
            }
        }
    }
}

/// An expression of type `Value` building `shape` from `root: &Value`.
pub(crate) fn shape_expr(shape: &Shape, root: TokenStream) -> TokenStream {
    let json = json();
    match shape {
        Shape::Select { path, .. } => select(root, path),
        Shape::Const(value) => {
            let text = value.to_string();
            quote! { ::naftiko::json::constant(#text) }
        }
        Shape::Object {
            path, properties, ..
        } => {
            let base = if path.is_empty() {
                root.clone()
            } else if path.contains(&Segment::Wildcard) {
                let sel = select(root, path);
                quote! { &#sel }
            } else {
                let c = chain(quote! { ::std::option::Option::Some(#root) }, path);
                quote! { #c.unwrap_or(&::naftiko::json::NULL) }
            };
            let inserts = properties.iter().map(|(name, shape)| {
                let value = shape_expr(shape, quote! { base });
                quote! { map.insert(::std::string::String::from(#name), #value); }
            });
            let bind_base = (!properties.iter().all(|(_, s)| s.is_static()))
                .then(|| quote! { let base: &#json::Value = #base; });
            quote! {{
                #bind_base
                let mut map = #json::Map::new();
                #(#inserts)*
                #json::Value::Object(map)
            }}
        }
        Shape::Array { path, items, .. } => {
            let Some(items) = items.as_deref().filter(|i| !i.is_identity()) else {
                return select(root, path);
            };
            let sel = select(root, path);
            let item = shape_expr(items, quote! { item });
            // A lone object where a list is declared (an XML register with one entry, whose
            // element is not repeated) is a list of one, mapped like any entry.
            quote! {
                match #sel {
                    #json::Value::Array(items) => #json::Value::Array(items.iter().map(|item| #item).collect()),
                    one @ #json::Value::Object(_) => {
                        let item = &one;
                        #json::Value::Array(::std::vec![#item])
                    }
                    other => other,
                }
            }
        }
        Shape::Template(parts) => {
            // Only in mock operations, where `input` is in scope.
            let pieces = parts.iter().map(|p| match p {
                SourcePart::Literal(l) => quote! { ::std::string::String::from(#l) },
                SourcePart::Input(i) => {
                    let f = ident_of(&format!("__input_{i}"));
                    quote! { #f.clone() }
                }
            });
            quote! { #json::Value::String([#(#pieces),*].concat()) }
        }
        Shape::FirstOf(shapes) => {
            let mut expr = quote! { #json::Value::Null };
            for s in shapes.iter().rev() {
                let e = shape_expr(s, root.clone());
                expr = quote! {{
                    let value = #e;
                    if value.is_null() { #expr } else { value }
                }};
            }
            expr
        }
    }
}

/// A closure from the upstream JSON to the result.
pub(crate) fn mapping(shape: &Shape) -> TokenStream {
    if shape.is_identity() {
        return quote! { ::std::convert::identity };
    }
    let json = json();
    let body = shape_expr(shape, quote! { root });
    quote! {
        |root: #json::Value| -> #json::Value {
            let root = &root;
            #body
        }
    }
}

/// The runtime `Format` of a consumed operation.
pub(crate) fn format_of(cap: &Capability, call: OpRef) -> TokenStream {
    let client = &cap.clients[call.client];
    format(client, &client.operations[call.op])
}

/// The runtime `Format` of JSON (mock operations have no upstream body of their own).
pub(crate) fn format_json() -> TokenStream {
    quote! { ::naftiko::formats::Format::Json }
}

/// The runtime `Format` of an operation of `client`. An avro or protobuf schema is a
/// `static` of the client module (`client::output_schema_static`), so every use
/// shares one parsed copy; the binary links the decoders it names, and no other.
pub(crate) fn format(client: &Client, op: &ClientOp) -> TokenStream {
    let schema = |without: TokenStream| match &op.output_schema {
        Some(_) => {
            let module = ident(&client.module);
            let name = client::output_schema_ident(op);
            quote! { &super::#module::#name }
        }
        None => quote! { &::naftiko::formats::#without },
    };
    match op.format {
        Format::Json => format_json(),
        Format::Yaml => quote! { ::naftiko::formats::Format::Decoder(&::naftiko::formats::Yaml) },
        Format::Xml => quote! { ::naftiko::formats::Format::Xml },
        Format::Delimited(d) => quote! { ::naftiko::formats::Format::Delimited(#d) },
        Format::Text => quote! { ::naftiko::formats::Format::Text },
        Format::Avro => {
            let decoder = schema(quote! { AvroContainer });
            quote! { ::naftiko::formats::Format::Decoder(#decoder) }
        }
        Format::Protobuf => {
            let decoder = schema(quote! { ProtobufRaw });
            quote! { ::naftiko::formats::Format::Decoder(#decoder) }
        }
    }
}

/// The JSON Schema of a result shape (for OpenAPI).
pub(crate) fn shape_schema(shape: &Shape) -> serde_json::Value {
    use serde_json::json;
    let with_doc = |mut schema: serde_json::Value, description: &Option<String>| {
        if let (Some(d), serde_json::Value::Object(m)) = (description, &mut schema) {
            m.insert("description".into(), json!(d));
        }
        schema
    };
    // A path the upstream's answer lacks selects null (as in the reference engine): selected
    // values are declared nullable, so the documents promise only what the mapping guarantees.
    match shape {
        Shape::Select {
            kind: Some(k),
            description,
            ..
        } => with_doc(json!({ "type": [k.json_name(), "null"] }), description),
        Shape::Select { description, .. } => with_doc(json!({}), description),
        Shape::Const(v) => json!({ "const": v }),
        Shape::Object {
            properties,
            description,
            ..
        } => {
            let props: serde_json::Map<String, serde_json::Value> = properties
                .iter()
                .map(|(k, s)| (k.clone(), shape_schema(s)))
                .collect();
            with_doc(
                json!({ "type": "object", "properties": props }),
                description,
            )
        }
        Shape::Array {
            items, description, ..
        } => {
            let items = items.as_ref().map_or(json!({}), |i| shape_schema(i));
            with_doc(
                json!({ "type": ["array", "null"], "items": items }),
                description,
            )
        }
        Shape::FirstOf(shapes) => {
            json!({ "anyOf": shapes.iter().map(shape_schema).collect::<Vec<_>>() })
        }
        Shape::Template(_) => json!({ "type": "string" }),
    }
}

/// The Rust type of an input field.
fn input_type(input: &Input) -> TokenStream {
    let t = match input.kind {
        Kind::String => quote! { ::std::string::String },
        Kind::Integer => quote! { i64 },
        Kind::Number => quote! { f64 },
        Kind::Boolean => quote! { bool },
        Kind::Array | Kind::Object => quote! { ::naftiko::__private::serde_json::Value },
    };
    if input.required {
        t
    } else {
        quote! { ::std::option::Option<#t> }
    }
}

/// `<Op>Input`: a typed struct of an operation's inputs, and its parser from a REST request
/// (`from_incoming`) or MCP arguments (`from_arguments`).
/// The JSON Schema of one input's value (without its description), shared by the MCP
/// inputSchema and the OpenAPI document so that both say the same.
pub(crate) fn input_value_schema(input: &Input) -> serde_json::Value {
    let mut schema = serde_json::json!({ "type": input.kind.json_name() });
    if input.kind == Kind::Array {
        schema["items"] = serde_json::json!({});
    }
    if let Some(pattern) = &input.pattern {
        schema["pattern"] = serde_json::json!(pattern);
    }
    schema
}

pub(crate) fn input_struct(name: &str, inputs: &[Input], mcp: bool) -> TokenStream {
    let ident = ident(name);
    let fields = inputs.iter().map(|i| {
        let f = ident_of(&i.field);
        let t = input_type(i);
        let doc = format!(
            " `{}`{}",
            i.name,
            i.description
                .as_ref()
                .map(|d| format!(": {}", doc_text(d)))
                .unwrap_or_default()
        );
        quote! { #[doc = #doc] pub #f: #t, }
    });
    let needs_body = inputs
        .iter()
        .any(|i| matches!(i.location, InputLocation::Body(_)));
    let patterns: Vec<_> = inputs
        .iter()
        .enumerate()
        .filter_map(|(n, i)| {
            let source = i.pattern.as_ref()?;
            let name = format_ident!("PATTERN_{}", n);
            Some(quote! { static #name: ::naftiko::input::Pattern = ::naftiko::input::Pattern::new(#source); })
        })
        .collect();
    let inits = inputs.iter().enumerate().map(|(n, i)| {
        let f = ident_of(&i.field);
        let name = &i.name;
        let (module, raw) = match &i.location {
            InputLocation::Argument => ("json", quote! { arguments.get(#name) }),
            // A wildcard collects an array, as in output mappings.
            InputLocation::Body(path) if path.contains(&Segment::Wildcard) => {
                let selected = select(quote! { &body }, path);
                ("json", quote! { ::std::option::Option::Some(&#selected) })
            }
            InputLocation::Body(path) => (
                "json",
                chain(quote! { ::std::option::Option::Some(&body) }, path),
            ),
            InputLocation::Path => ("text", quote! { incoming.path(#name) }),
            InputLocation::Query => ("text", quote! { incoming.query(#name) }),
            InputLocation::Header => ("text", quote! { incoming.header(#name) }),
            InputLocation::Cookie => ("text", quote! { incoming.cookie(#name) }),
        };
        let conv = match (module, i.kind) {
            ("json", Kind::Array) => quote! { array },
            ("json", Kind::Object) => quote! { object },
            (_, Kind::Array | Kind::Object) => quote! { json },
            (_, Kind::String) => quote! { string },
            (_, Kind::Integer) => quote! { integer },
            (_, Kind::Number) => quote! { number },
            (_, Kind::Boolean) => quote! { boolean },
        };
        let module = ident_of(module);
        let mut value = quote! { ::naftiko::input::#module::#conv(#name, #raw)? };
        if i.pattern.is_some() {
            let pattern = format_ident!("PATTERN_{}", n);
            value = quote! { ::naftiko::input::matching(#name, #value, &#pattern)? };
        }
        if i.required {
            quote! { #f: ::naftiko::input::required(#name, #value)?, }
        } else {
            quote! { #f: #value, }
        }
    });
    let body = needs_body.then(|| quote! { let body = incoming.json_body()?; });
    let parser = if mcp {
        quote! {
            /// Reads and checks the tool's arguments.
            pub fn from_arguments(arguments: &::naftiko::__private::rmcp::model::JsonObject) -> ::std::result::Result<Self, ::naftiko::input::InputError> {
                #(#patterns)*
                ::std::result::Result::Ok(Self { #(#inits)* })
            }
        }
    } else {
        quote! {
            /// Reads and checks the operation's parameters from a request.
            pub fn from_incoming(incoming: &::naftiko::rest::Incoming) -> ::std::result::Result<Self, ::naftiko::input::InputError> {
                #(#patterns)*
                #body
                ::std::result::Result::Ok(Self { #(#inits)* })
            }
        }
    };
    quote! {
        /// The inputs of one operation, typed.
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        pub struct #ident {
            #(#fields)*
        }

        impl #ident {
            #parser
        }
    }
}

/// `<client>::<Op>Params { ... }` built from `input` for one exposed operation's bindings.
pub(crate) fn params_expr(
    cap: &Capability,
    call: OpRef,
    inputs: &[Input],
    bindings: &[Binding],
) -> TokenStream {
    let client = &cap.clients[call.client];
    let op = &client.operations[call.op];
    let module = ident(&client.module);
    let Some(params_struct) = &op.params_struct else {
        return quote! {};
    };
    let st = ident(params_struct);
    let to_param = quote! { ::naftiko::input::ToParam::to_param };
    let fields = bindings.iter().map(|b| {
        let field = ident_of(&op.params[b.param].field);
        let value = match &b.source {
            Source::Input(i) => {
                let f = ident_of(&inputs[*i].field);
                if inputs[*i].required {
                    quote! { ::std::option::Option::Some(#to_param(&input.#f)) }
                } else {
                    quote! { input.#f.as_ref().map(#to_param) }
                }
            }
            Source::Template(parts) => {
                let mut lets = Vec::new();
                let pieces: Vec<TokenStream> = parts
                    .iter()
                    .enumerate()
                    .map(|(n, p)| match p {
                        SourcePart::Literal(l) => quote! { #l },
                        SourcePart::Input(i) => {
                            let f = ident_of(&inputs[*i].field);
                            let local = format_ident!("part{}", n);
                            if inputs[*i].required {
                                lets.push(quote! { let #local = #to_param(&input.#f); });
                            } else {
                                lets.push(quote! {
                                    let ::std::option::Option::Some(#local) = input.#f.as_ref().map(#to_param) else {
                                        break 'value ::std::option::Option::None;
                                    };
                                });
                            }
                            quote! { #local.as_str() }
                        }
                    })
                    .collect();
                let optional = parts.iter().any(|p| matches!(p, SourcePart::Input(i) if !inputs[*i].required));
                let value = quote! { ::std::option::Option::Some([#(#pieces),*].concat()) };
                if optional {
                    quote! {'value: { #(#lets)* #value }}
                } else {
                    quote! {{ #(#lets)* #value }}
                }
            }
        };
        quote! { #field: #value, }
    });
    let rest =
        (bindings.len() < op.params.len()).then(|| quote! { ..::std::default::Default::default() });
    quote! { super::#module::#st { #(#fields)* #rest } }
}

/// The call of an exposed operation's client method (raw), with its params.
pub(crate) fn raw_call(
    cap: &Capability,
    call: OpRef,
    inputs: &[Input],
    bindings: &[Binding],
) -> TokenStream {
    let client = &cap.clients[call.client];
    let op = &client.operations[call.op];
    let field = ident(&client.module);
    let raw = format_ident!("{}_raw", op.method_ident);
    if op.params_struct.is_some() {
        let params = params_expr(cap, call, inputs, bindings);
        quote! {{
            let params = #params;
            self.clients.#field.#raw(&params, &call).await
        }}
    } else {
        quote! { self.clients.#field.#raw(&call).await }
    }
}

fn ident_of(name: &str) -> proc_macro2::Ident {
    ident(name)
}

/// `let __input_N = <text of input N>;` for the inputs a mock shape's templates use.
pub(crate) fn mock_input_locals(shape: &Shape, inputs: &[Input]) -> TokenStream {
    fn used(shape: &Shape, out: &mut Vec<usize>) {
        match shape {
            Shape::Template(parts) => {
                for p in parts {
                    if let SourcePart::Input(i) = p
                        && !out.contains(i)
                    {
                        out.push(*i);
                    }
                }
            }
            Shape::Object { properties, .. } => properties.iter().for_each(|(_, s)| used(s, out)),
            Shape::Array { items: Some(i), .. } => used(i, out),
            Shape::FirstOf(shapes) => shapes.iter().for_each(|s| used(s, out)),
            _ => {}
        }
    }
    let mut list = Vec::new();
    used(shape, &mut list);
    let lets = list.into_iter().map(|i| {
        let local = ident_of(&format!("__input_{i}"));
        let f = ident_of(&inputs[i].field);
        if inputs[i].required {
            quote! { let #local = ::naftiko::input::ToParam::to_param(&input.#f); }
        } else {
            quote! { let #local = input.#f.as_ref().map(::naftiko::input::ToParam::to_param).unwrap_or_default(); }
        }
    });
    quote! { #(#lets)* }
}

#[cfg(test)]
mod doc_text_tests {
    use super::doc_text;

    #[test]
    fn prose_is_escaped_code_spans_and_urls_are_not() {
        assert_eq!(
            doc_text(r#"answers {"value":"<session id>"} [beta] see https://example.com/a_b."#),
            r#"answers {"value":"&lt;session id&gt;"} \[beta\] see <https://example.com/a_b>."#
        );
        assert_eq!(doc_text("`<T>` and <b>"), "`<T>` and &lt;b&gt;");
        assert_eq!(doc_text("odd ` <x>"), "odd ` &lt;x&gt;");
    }
}
