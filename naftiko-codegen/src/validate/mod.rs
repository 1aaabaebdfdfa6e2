//! From the spec as written to the IR: every check, every diagnostic, collected in one pass.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostics, Pos};
use crate::ir::{
    Action, BindVar, Capability, Client, ClientAuth, ClientOp, ControlAdapter, Hints, Input,
    McpAdapter, McpTool, OpRef, RestAdapter, RestForward, RestOp, Setting, Shape, UriPart, Value,
    ValuePart,
};
use crate::naming;
use crate::spec::{self, S, Scalar, pos};
use crate::template::{self, Piece};

mod control;
mod forward;
mod free;
mod inputs;
mod jsonpath;
mod output;
mod output_format;
mod prompts;
mod request;
mod resources;
mod steps;

use inputs::Surface;
use steps::Functions;

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const LATER: &str = "not supported yet by naftiko-rs";

/// Paths the generated REST router serves itself (`/metrics` when metrics are on the REST
/// port, the default): a spec route on one of them would collide.
const RESERVED_REST_PATHS: &[&str] = &["/healthz", "/openapi.json", "/metrics"];

/// Checks the document and builds the IR. `None` when any error was found.
pub(crate) fn validate(
    doc: &spec::Document,
    diags: &mut Diagnostics,
    resolve: Option<crate::Resolver<'_>>,
) -> Option<Capability> {
    let mut v = Validator {
        diags,
        bind_names: Vec::new(),
        resolve,
        raw_protobuf: Vec::new(),
    };
    v.capability(doc)
}

struct Validator<'d> {
    diags: &'d mut Diagnostics,
    /// Bound variable names, so templates can tell them from parameters.
    bind_names: Vec<String>,
    resolve: Option<crate::Resolver<'d>>,
    /// Protobuf operations without `outputSchema`, checked against their mappings at the end.
    raw_protobuf: Vec<output_format::RawProtobuf>,
}

/// Remembers names already taken in one scope, to report duplicates at the second.
struct Names<'a> {
    what: &'a str,
    seen: BTreeMap<String, Pos>,
}

impl<'a> Names<'a> {
    fn new(what: &'a str) -> Self {
        Names {
            what,
            seen: BTreeMap::new(),
        }
    }

    fn claim(&mut self, diags: &mut Diagnostics, name: &str, at: Pos) -> bool {
        if let Some(first) = self.seen.get(name) {
            diags
                .error(at, format!("duplicate {} `{name}`", self.what))
                .help(format!(
                    "first defined at line {}:{}",
                    first.line, first.column
                ));
            return false;
        }
        self.seen.insert(name.to_owned(), at);
        true
    }
}

impl Validator<'_> {
    /// A required string field, or an error at its parent.
    fn required<'s>(
        &mut self,
        field: Option<&'s S<String>>,
        parent: Pos,
        what: &str,
    ) -> Option<&'s S<String>> {
        if field.is_none() {
            self.diags.error(parent, format!("missing `{what}`"));
        }
        field
    }

    /// A required namespace that a Rust module can be named after (not empty, not `self`).
    fn namespace<'s>(
        &mut self,
        field: Option<&'s S<String>>,
        parent: Pos,
    ) -> Option<&'s S<String>> {
        let ns = self.required(field, parent, "namespace")?;
        match naming::field_ident(&ns.value) {
            Ok(_) => Some(ns),
            Err(why) => {
                self.diags
                    .error(pos(ns), format!("namespace {why}"))
                    .help("a namespace names a Rust module: use letters, digits, `-` or `_`");
                None
            }
        }
    }

    fn capability(&mut self, doc: &spec::Document) -> Option<Capability> {
        let Some(cap) = doc.capability.as_ref() else {
            if doc.consumes.is_empty() {
                self.diags.error(Pos::START, "missing `capability`");
                return None;
            }
            // A library of consumes for other capabilities to import: its clients alone.
            let mut binds = self.binds(doc.binds.iter());
            self.free_variables(&doc.consumes, &mut binds);
            let mut namespaces = Names::new("namespace");
            let clients = doc
                .consumes
                .iter()
                .filter_map(|c| self.client(c, &binds, &mut namespaces))
                .collect();
            let info = doc.info.as_ref();
            let library = Capability {
                label: info
                    .and_then(|i| i.label.clone())
                    .unwrap_or_else(|| "consumes".to_owned()),
                description: info.and_then(|i| i.description.clone()),
                binds,
                clients,
                rest: Vec::new(),
                mcp: Vec::new(),
                control: None,
                library: true,
            };
            self.raw_protobuf_warnings(&library);
            return (!self.diags.has_errors()).then_some(library);
        };
        let functions = self.functions(&cap.value.aggregates);

        let binds = self.binds(doc.binds.iter().chain(&cap.value.binds));
        let mut namespaces = Names::new("namespace");
        let mut clients: Vec<Client> = cap
            .value
            .consumes
            .iter()
            .filter_map(|c| self.client(c, &binds, &mut namespaces))
            .collect();

        let mut rest = Vec::new();
        let mut mcp = Vec::new();
        let mut ports: BTreeMap<u16, Pos> = BTreeMap::new();
        let mut stdio_at: Option<Pos> = None;
        let mut control: Option<ControlAdapter> = None;
        let mut control_at: Option<Pos> = None;
        for exposes in &cap.value.exposes {
            let at = pos(exposes);
            let e = &exposes.value;
            let Some(kind) = self.required(e.kind.as_ref(), at, "type") else {
                continue;
            };
            if kind.value == "skill" {
                // Skill groups re-list tools the MCP and REST adapters already serve.
                self.diags
                    .lenient(pos(kind), "`skill` adapters are not generated by naftiko-rs; the tools they group are served by their own adapters")
                    .help("see the README's \"Supported specs\" section");
                continue;
            }
            if kind.value == "control" {
                if let Some(first) = control_at.replace(pos(kind)) {
                    self.diags
                        .error(pos(kind), "only one `control` adapter per capability")
                        .help(format!(
                            "the first is at line {}:{}",
                            first.line, first.column
                        ));
                }
                if e.port.is_none() {
                    self.diags.error(at, "missing `port`");
                }
                let port = self.port(e, &mut ports);
                let auth = self.exposed_auth(e, &binds);
                let groups = self.control_groups(e);
                if let Some(port) = port {
                    control = Some(ControlAdapter {
                        address: e.address.as_ref().map(|a| a.value.clone()),
                        port,
                        health: groups.health,
                        info: groups.info,
                        auth,
                    });
                }
                continue;
            }
            let namespace = self.namespace(e.namespace.as_ref(), at);
            if let Some(ns) = namespace {
                namespaces.claim(self.diags, &ns.value, pos(ns));
            }
            let port = self.port(e, &mut ports);
            let auth = self.exposed_auth(e, &binds);
            match kind.value.as_str() {
                "rest" => {
                    if e.description.is_some() {
                        self.diags
                            .lenient(pos(kind), "`description` on a REST adapter is not in the official schema; kept as documentation")
                            .help("move it to the adapter's resources, or drop it");
                    }
                    // Checked even when the namespace or port is bad, so every error shows.
                    let mut forwards = Vec::new();
                    let ops = self.rest_operations(e, &clients, &functions, &mut forwards);
                    for f in &forwards {
                        clients[f.client].forwarded = true;
                    }
                    if let (Some(ns), Some(port)) = (namespace, port) {
                        rest.push(RestAdapter {
                            namespace: ns.value.clone(),
                            module: naming::snake(&ns.value),
                            description: e.description.clone(),
                            address: e.address.as_ref().map(|a| a.value.clone()),
                            port,
                            operations: ops,
                            forwards,
                            auth,
                        });
                    }
                }
                "mcp" => {
                    let stdio = match e.transport.as_ref().map(|t| (t, t.value.as_str())) {
                        None | Some((_, "http")) => false,
                        Some((t, "stdio")) => {
                            if let Some(first) = stdio_at.replace(pos(t)) {
                                self.diags
                                    .error(pos(t), "only one MCP adapter can own stdin and stdout")
                                    .help(format!(
                                        "the first is at line {}:{}",
                                        first.line, first.column
                                    ));
                            }
                            true
                        }
                        Some((t, other)) => {
                            self.diags
                                .error(pos(t), format!("unknown MCP transport `{other}`"))
                                .help("expected `http` or `stdio`");
                            false
                        }
                    };
                    let tools = self.tools(e, &clients, &functions);
                    let resources = self.mcp_resources(e, &clients);
                    let prompts = self.mcp_prompts(e);
                    if let (Some(ns), Some(port)) = (namespace, port) {
                        mcp.push(McpAdapter {
                            namespace: ns.value.clone(),
                            module: naming::snake(&ns.value),
                            description: e.description.clone(),
                            address: e.address.as_ref().map(|a| a.value.clone()),
                            port,
                            stdio,
                            tools,
                            resources,
                            prompts,
                            auth,
                        });
                    }
                }
                other => {
                    self.diags
                        .error(pos(kind), format!("unknown adapter type `{other}`"))
                        .help("expected `rest`, `mcp`, `skill` or `control`");
                }
            }
        }

        if self.diags.has_errors() {
            return None;
        }
        let info = doc.info.as_ref();
        let capability = Capability {
            label: info
                .and_then(|i| i.label.clone())
                .unwrap_or_else(|| "capability".to_owned()),
            description: info.and_then(|i| i.description.clone()),
            binds,
            clients,
            rest,
            mcp,
            control,
            library: false,
        };
        // Under strict, this warning is an error: the capability is refused.
        self.raw_protobuf_warnings(&capability);
        (!self.diags.has_errors()).then_some(capability)
    }

    /// An adapter's `authentication` of incoming requests (digest is refused).
    fn exposed_auth(&mut self, e: &spec::Exposes, binds: &[BindVar]) -> Option<ClientAuth> {
        let a = e.authentication.as_ref()?;
        let auth = self.client_auth(a, binds)?;
        if let ClientAuth::Digest { .. } = auth {
            self.diags
                .error(
                    pos(&a.value.kind),
                    format!("digest authentication of incoming requests is {LATER}"),
                )
                .help("supported on exposed adapters: apikey, bearer, basic");
            return None;
        }
        Some(auth)
    }

    fn binds<'a>(&mut self, binds: impl Iterator<Item = &'a S<spec::Bind>>) -> Vec<BindVar> {
        let mut out = Vec::new();
        let mut names = Names::new("bind variable");
        for bind in binds {
            let file = bind.value.location.as_ref().and_then(|l| {
                let path = l.value.strip_prefix("file://").map(|p| {
                    // `file:///./x` is the relative path `./x`.
                    if p.starts_with("/./") || p.starts_with("/../") {
                        p[1..].to_owned()
                    } else {
                        p.to_owned()
                    }
                });
                if path.is_none() {
                    self.diags
                        .error(pos(l), format!("bind location `{}` must be a `file://` URI", l.value))
                        .help("for example `file:///./secrets.yaml` (relative to the working directory)");
                }
                path
            });
            for (name, source) in &bind.value.keys {
                let at = pos(source);
                if !names.claim(self.diags, name, at) {
                    continue;
                }
                let Scalar::Str(source_key) = &source.value else {
                    self.diags.error(
                        at,
                        format!(
                            "bind `{name}` must name its source as a string, found {}",
                            source.value.describe()
                        ),
                    );
                    continue;
                };
                match naming::field_ident(name) {
                    Ok(setter) => out.push(BindVar {
                        name: name.clone(),
                        source: source_key.clone(),
                        setter,
                        file: file.clone(),
                    }),
                    Err(why) => {
                        self.diags.error(at, format!("bind variable {why}"));
                    }
                }
            }
        }
        self.bind_names = out.iter().map(|b| b.name.clone()).collect();
        out
    }

    /// A value that is exactly a bound variable's name, braces forgotten: it is sent as that
    /// text (as the schema says), which is almost never what the author meant.
    fn literal_bind_name(&mut self, at: Pos, name: &str) {
        self.diags
            .lenient(
                at,
                format!(
                    "`{name}` is sent as this literal text, not as the bound variable `{name}`"
                ),
            )
            .help(format!("write `{{{{{name}}}}}` to send the bound value"));
    }

    /// A template over bind variables (`{{VAR}}`, `{{env.VAR}}`, `{{<bind namespace>.VAR}}`).
    fn bound_value(&mut self, text: &S<String>, binds: &[BindVar]) -> Option<Value> {
        let at = pos(text);
        let pieces = match template::split(&text.value, false) {
            Ok(p) => p,
            Err((_, msg)) => {
                self.diags.error(at, msg);
                return None;
            }
        };
        if binds.iter().any(|b| b.name == text.value) {
            self.literal_bind_name(at, &text.value);
        }
        let mut parts = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Literal(l) => parts.push(ValuePart::Literal(l)),
                Piece::Variable { name, .. } => {
                    let var = name.rsplit('.').next().unwrap_or(&name);
                    match binds.iter().position(|b| b.name == var) {
                        Some(i) => parts.push(ValuePart::Bind(i)),
                        None => {
                            let known: Vec<&str> = binds.iter().map(|b| b.name.as_str()).collect();
                            self.diags
                                .error(at, format!("unknown bind variable `{var}` in `{}`", text.value))
                                .help(if known.is_empty() {
                                    "declare it under `binds: [{namespace: env, keys: {NAME: ENV_VAR}}]`".to_owned()
                                } else {
                                    format!("bound variables: {}", known.join(", "))
                                });
                            return None;
                        }
                    }
                }
            }
        }
        Some(Value(parts))
    }

    fn client(
        &mut self,
        consumes: &S<spec::Consumes>,
        binds: &[BindVar],
        namespaces: &mut Names<'_>,
    ) -> Option<Client> {
        let at = pos(consumes);
        let c = &consumes.value;
        if c.import.is_some() || c.location.is_some() {
            return self.imported_client(consumes, binds, namespaces);
        }
        if let Some(kind) = &c.kind
            && kind.value != "http"
        {
            self.diags
                .error(pos(kind), format!("unknown consumes type `{}`", kind.value))
                .help("expected `http`");
        }
        let ns = self.namespace(c.namespace.as_ref(), at)?;
        let fresh = namespaces.claim(self.diags, &ns.value, pos(ns));
        let base = self.required(c.base_uri.as_ref(), at, "baseUri")?;
        let (base_uri, variables) = self.base_uri(base)?;
        let auth = c
            .authentication
            .as_ref()
            .and_then(|a| self.client_auth(a, binds));

        let forward_headers = self.forward_headers(c);
        let mut operations = Vec::new();
        let mut op_names = Names::new("operation");
        let mut idents = Names::new("operation method name");
        for resource in &c.resources {
            let r = &resource.value;
            let Some(path) = self.required(r.path.as_ref(), pos(resource), "path") else {
                continue;
            };
            for operation in &r.operations {
                let o = &operation.value;
                let Some(name) = self.required(o.name.as_ref(), pos(operation), "name") else {
                    continue;
                };
                let method = self.method(o.method.as_ref(), pos(operation));
                let Some(request) = self.request(&c.input_parameters, &r.input_parameters, o, path)
                else {
                    continue;
                };
                let (format, output_schema) = self.output_format(&ns.value, &name.value, o);
                let (output, result_name) = self.consumed_output(&o.output_parameters);
                if !op_names.claim(self.diags, &name.value, pos(name)) {
                    continue;
                }
                let method_ident = match naming::field_ident(&name.value) {
                    Ok(i) => i,
                    Err(why) => {
                        self.diags.error(pos(name), format!("operation name {why}"));
                        continue;
                    }
                };
                if !idents.claim(self.diags, &method_ident, pos(name)) {
                    continue;
                }
                operations.push(ClientOp {
                    name: name.value.clone(),
                    params_struct: (!request.params.is_empty())
                        .then(|| format!("{}Params", naming::pascal(&name.value))),
                    method_ident,
                    description: o
                        .description
                        .clone()
                        .or_else(|| o.label.clone())
                        .or_else(|| r.description.clone()),
                    method: method.unwrap_or_default(),
                    path: request.path,
                    params: request.params,
                    query: request.query,
                    headers: request.headers,
                    cookies: request.cookies,
                    body: request.body,
                    format,
                    output_schema,
                    output,
                    result_name,
                });
            }
        }
        fresh.then(|| Client {
            namespace: ns.value.clone(),
            module: naming::snake(&ns.value),
            description: c.description.clone(),
            base_uri,
            variables,
            base_uri_env: format!("{}_BASE_URI", naming::screaming(&ns.value)),
            auth,
            operations,
            imported_from: None,
            forward_headers,
            forwarded: false,
        })
    }

    /// `- import: <namespace>, location: <file>, as: <name>`: the consumes entry of that
    /// namespace in the other file, validated there (diagnostics name that file).
    fn imported_client(
        &mut self,
        consumes: &S<spec::Consumes>,
        binds: &[BindVar],
        namespaces: &mut Names<'_>,
    ) -> Option<Client> {
        let at = pos(consumes);
        let c = &consumes.value;
        let import = self.required(c.import.as_ref(), at, "import")?;
        let location = self.required(c.location.as_ref(), at, "location")?;
        let Some(resolve) = self.resolve else {
            self.diags
                .error(pos(location), "imports need the spec's directory")
                .help("generate through the CLI, a build script or the macro");
            return None;
        };
        let (file, text) = match resolve(&location.value) {
            Ok(found) => found,
            Err(why) => {
                self.diags.error(
                    pos(location),
                    format!("cannot import `{}`: {why}", location.value),
                );
                return None;
            }
        };
        let mut inner = Diagnostics::new(file.clone(), self.diags.strict());
        let doc = crate::parse::parse(&text, &mut inner);
        let outer = self.diags.set_file(file.clone());
        let found = doc.as_ref().and_then(|d| {
            d.consumes
                .iter()
                .chain(d.capability.iter().flat_map(|c| &c.value.consumes))
                .find(|e| {
                    e.value
                        .namespace
                        .as_ref()
                        .is_some_and(|n| n.value == import.value)
                })
        });
        let client = match found {
            Some(entry) if entry.value.import.is_none() => {
                let mut local = Names::new("namespace");
                self.client(entry, binds, &mut local)
            }
            Some(entry) => {
                self.diags
                    .error(pos(entry), "an imported consumes entry cannot import again");
                None
            }
            None => None,
        };
        self.diags.set_file(outer);
        self.diags.absorb(inner);
        if doc.is_some() && found.is_none() {
            self.diags.error(
                pos(import),
                format!("`{file}` has no consumes with namespace `{}`", import.value),
            );
            return None;
        }
        let mut client = client?;
        let name = self.namespace(Some(c.alias.as_ref().unwrap_or(import)), pos(import))?;
        namespaces
            .claim(self.diags, &name.value, pos(name))
            .then_some(())?;
        client.namespace = name.value.clone();
        client.module = naming::snake(&name.value);
        client.base_uri_env = format!("{}_BASE_URI", naming::screaming(&name.value));
        client.imported_from = Some(file);
        Some(client)
    }

    fn base_uri(&mut self, base: &S<String>) -> Option<(Vec<UriPart>, Vec<Setting>)> {
        let at = pos(base);
        let pieces = match template::split(&base.value, true) {
            Ok(p) => p,
            Err((_, msg)) => {
                self.diags.error(at, msg);
                return None;
            }
        };
        let mut parts = Vec::new();
        let mut variables: Vec<Setting> = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Literal(l) => parts.push(UriPart::Literal(l)),
                Piece::Variable {
                    name, single_brace, ..
                } => {
                    if single_brace {
                        self.diags
                            .lenient(at, format!("`{{{name}}}` in baseUri is read as the client setting `{name}` (flag --{}, env {})", naming::kebab(&name), naming::screaming(&name)))
                            .help(format!("the schema's form is `{{{{{name}}}}}`"));
                    }
                    let index = match variables.iter().position(|v| v.name == name) {
                        Some(i) => i,
                        None => match naming::field_ident(&name) {
                            Ok(setter) => {
                                variables.push(Setting {
                                    flag: naming::kebab(&name),
                                    env: naming::screaming(&name),
                                    name,
                                    setter,
                                });
                                variables.len() - 1
                            }
                            Err(why) => {
                                self.diags.error(at, format!("baseUri variable {why}"));
                                return None;
                            }
                        },
                    };
                    parts.push(UriPart::Variable(index));
                }
            }
        }
        if variables.is_empty()
            && !(base.value.starts_with("http://") || base.value.starts_with("https://"))
        {
            self.diags.error(
                at,
                format!("baseUri `{}` is not an http(s) URL", base.value),
            );
            return None;
        }
        Some((parts, variables))
    }

    fn method(&mut self, method: Option<&S<String>>, parent: Pos) -> Option<String> {
        let m = self.required(method, parent, "method")?;
        let upper = m.value.to_ascii_uppercase();
        if METHODS.contains(&upper.as_str()) {
            Some(upper)
        } else {
            self.diags
                .error(pos(m), format!("unknown HTTP method `{}`", m.value))
                .help(format!("expected one of {}", METHODS.join(", ")));
            None
        }
    }

    fn client_auth(&mut self, auth: &S<spec::Auth>, binds: &[BindVar]) -> Option<ClientAuth> {
        let a = &auth.value;
        let at = pos(auth);
        let value = |v: Option<&S<String>>, what: &str, me: &mut Self| -> Option<Value> {
            let v = me.required(v, at, what)?;
            me.bound_value(v, binds)
        };
        match a.kind.value.as_str() {
            "apikey" => {
                let key = self.required(a.key.as_ref(), at, "key")?;
                let v = value(a.value.as_ref(), "value", self)?;
                let placement = a.placement.as_ref().map_or("header", |p| p.value.as_str());
                if http_token(&key.value).is_none() {
                    self.diags.error(
                        pos(key),
                        format!("`{}` is not a valid header or query name", key.value),
                    );
                    return None;
                }
                match placement {
                    "header" => Some(ClientAuth::ApiKeyHeader {
                        name: key.value.to_ascii_lowercase(),
                        value: v,
                    }),
                    "query" => Some(ClientAuth::ApiKeyQuery {
                        name: key.value.clone(),
                        value: v,
                    }),
                    other => {
                        let at = a.placement.as_ref().map_or(at, pos);
                        self.diags
                            .error(at, format!("unknown apikey placement `{other}`"))
                            .help("expected `header` or `query`");
                        None
                    }
                }
            }
            "bearer" => Some(ClientAuth::Bearer {
                token: value(a.token.as_ref(), "token", self)?,
            }),
            "basic" | "digest" => {
                let username = value(a.username.as_ref(), "username", self)?;
                let password = value(a.password.as_ref(), "password", self)?;
                Some(if a.kind.value == "basic" {
                    ClientAuth::Basic { username, password }
                } else {
                    ClientAuth::Digest { username, password }
                })
            }
            other => {
                self.diags
                    .error(
                        pos(&a.kind),
                        format!("authentication type `{other}` is {LATER}"),
                    )
                    .help("supported: apikey, bearer, basic, digest");
                None
            }
        }
    }

    fn consumed_output(&mut self, outputs: &[S<spec::ConsumedOutput>]) -> (Shape, String) {
        let Some(first) = outputs.first() else {
            return (Shape::IDENTITY, "result".to_owned());
        };
        if let Some(extra) = outputs.get(1) {
            self.diags.error(
                pos(extra),
                format!("more than one consumed output parameter is {LATER}"),
            );
        }
        let name = first
            .value
            .name
            .as_ref()
            .map_or_else(|| "result".to_owned(), |n| n.value.clone());
        let path = first
            .value
            .value
            .as_ref()
            .map(|v| self.path(v))
            .unwrap_or_default();
        let shape = Shape::Select {
            path,
            kind: None,
            description: None,
        };
        (shape, name)
    }

    fn port(&mut self, e: &spec::Exposes, ports: &mut BTreeMap<u16, Pos>) -> Option<u16> {
        let Some(port) = &e.port else {
            return Some(0);
        };
        let at = pos(port);
        let value = match &port.value {
            Scalar::Int(n) => *n,
            other => {
                self.diags.error(
                    at,
                    format!("port must be an integer, found {}", other.describe()),
                );
                return None;
            }
        };
        match u16::try_from(value) {
            Ok(p) if p > 0 => {
                if let Some(first) = ports.insert(p, at) {
                    self.diags
                        .error(at, format!("port {p} is already used by another adapter"))
                        .help(format!(
                            "first used at line {}:{}",
                            first.line, first.column
                        ));
                }
                Some(p)
            }
            _ => {
                self.diags
                    .error(at, format!("port {value} is out of range"))
                    .help("expected 1..=65535");
                None
            }
        }
    }

    /// The consumed operation `call: <namespace>.<operation>` names.
    fn call(&mut self, call: &S<String>, clients: &[Client]) -> Option<OpRef> {
        let at = pos(call);
        let Some((ns, op)) = call.value.split_once('.') else {
            self.diags.error(
                at,
                format!("`call: {}` must be `<namespace>.<operation>`", call.value),
            );
            return None;
        };
        let Some(client) = clients.iter().position(|c| c.namespace == ns) else {
            let known: Vec<&str> = clients.iter().map(|c| c.namespace.as_str()).collect();
            self.diags
                .error(
                    at,
                    format!("`call: {}` names an unknown namespace `{ns}`", call.value),
                )
                .help(format!("consumed namespaces: {}", known.join(", ")));
            return None;
        };
        let Some(op_index) = clients[client].operations.iter().position(|o| o.name == op) else {
            let known: Vec<&str> = clients[client]
                .operations
                .iter()
                .map(|o| o.name.as_str())
                .collect();
            self.diags
                .error(
                    at,
                    format!(
                        "`call: {}` names an unknown operation `{op}` of `{ns}`",
                        call.value
                    ),
                )
                .help(format!("operations of `{ns}`: {}", known.join(", ")));
            return None;
        };
        Some(OpRef {
            client,
            op: op_index,
        })
    }

    fn rest_operations(
        &mut self,
        e: &spec::Exposes,
        clients: &[Client],
        functions: &Functions<'_>,
        forwards: &mut Vec<RestForward>,
    ) -> Vec<RestOp> {
        let mut out = Vec::new();
        let mut routes = Names::new("route");
        let mut names = Names::new("REST operation name");
        let adapter_ns = e.namespace.as_ref().map_or("", |n| n.value.as_str());
        let mut forward_prefixes: Vec<(String, Pos)> = Vec::new();
        for resource in &e.resources {
            let r = &resource.value;
            if let Some(forward) = &r.forward {
                if let Some(f) = self.forward(resource, forward, clients, &mut names) {
                    forward_prefixes.push((f.prefix.clone(), pos(forward)));
                    forwards.push(f);
                }
                continue;
            }
            let Some(path) = self.required(r.path.as_ref(), pos(resource), "path") else {
                continue;
            };
            let route = rest_path(&path.value);
            if !path.value.starts_with('/') {
                self.diags.error(
                    pos(path),
                    format!("REST path `{}` must start with `/`", path.value),
                );
                continue;
            }
            if RESERVED_REST_PATHS.contains(&route.as_str()) {
                self.diags
                    .error(
                        pos(path),
                        format!(
                            "REST path `{}` is served by every generated adapter",
                            path.value
                        ),
                    )
                    .help(format!("reserved: {}", RESERVED_REST_PATHS.join(", ")));
                continue;
            }
            for operation in &r.operations {
                let o = &operation.value;
                let at = pos(operation);
                let Some(method) = self.method(o.method.as_ref(), at) else {
                    continue;
                };
                routes.claim(self.diags, &format!("{method} {route}"), at);
                let Some(resolved) = self.resolve(o.target(), functions) else {
                    continue;
                };
                let function = resolved.function.map(|f| f.spec);
                let name_node = o.name.as_ref().or(function.and_then(|f| f.name.as_ref()));
                let name = name_node.map_or_else(
                    || {
                        format!(
                            "{}-{}",
                            method.to_ascii_lowercase(),
                            r.name.as_ref().map_or("resource", |n| n.value.as_str())
                        )
                    },
                    |n| n.value.clone(),
                );
                let method_at = o.method.as_ref().map_or(at, pos);
                self.check_semantics(resolved.function, None, Some((&method, method_at)), at);
                let target = resolved.target;
                let declared: Vec<&S<spec::Param>> = r
                    .input_parameters
                    .iter()
                    .chain(target.input_parameters)
                    .collect();
                let surface = Surface::Rest {
                    path: &route,
                    at: pos(path),
                };
                let namespace = resolved.function.map_or(adapter_ns, |f| f.namespace);
                let Some((action, inputs, output)) =
                    self.exposed(&target, &declared, surface, namespace, at, clients)
                else {
                    continue;
                };
                let fn_ident = match naming::field_ident(&name) {
                    Ok(i) => i,
                    Err(why) => {
                        self.diags.error(at, format!("operation name {why}"));
                        continue;
                    }
                };
                // Two operations inheriting one function's name (GET and POST of one `ref`)
                // are told apart by their methods.
                let (name, fn_ident) =
                    if o.name.is_none() && function.is_some() && names.seen.contains_key(&fn_ident)
                    {
                        let name = format!("{}-{name}", method.to_ascii_lowercase());
                        let fn_ident = format!("{}_{fn_ident}", method.to_ascii_lowercase());
                        (name, fn_ident)
                    } else {
                        (name, fn_ident)
                    };
                if !names.claim(self.diags, &fn_ident, name_node.map_or(at, pos)) {
                    continue;
                }
                out.push(RestOp {
                    path: route.clone(),
                    method,
                    input_struct: (!inputs.is_empty())
                        .then(|| format!("{}Input", naming::pascal(&name))),
                    name,
                    fn_ident,
                    description: o
                        .description
                        .clone()
                        .or_else(|| o.label.clone())
                        .or_else(|| function.and_then(|f| f.description.clone())),
                    resource_description: r.description.clone(),
                    action,
                    inputs,
                    output,
                });
            }
        }
        self.forward_overlaps(&forward_prefixes, &out);
        out
    }

    /// A forward owns its prefix and everything below it: another route there is ambiguous
    /// (and the router would refuse it at start-up).
    fn forward_overlaps(&mut self, forwards: &[(String, Pos)], ops: &[RestOp]) {
        let under = |path: &str, prefix: &str| {
            path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|r| r.starts_with('/'))
        };
        for (i, (prefix, at)) in forwards.iter().enumerate() {
            let clash = ops
                .iter()
                .map(|o| o.path.as_str())
                .chain(["/healthz", "/openapi.json"])
                .chain(forwards.iter().take(i).map(|(p, _)| p.as_str()))
                .find(|other| under(other, prefix) || under(prefix, other));
            if let Some(other) = clash {
                let shown = if prefix.is_empty() { "/" } else { prefix };
                self.diags
                    .error(
                        *at,
                        format!("this forward owns `{shown}` and below, which overlaps the route `{other}`"),
                    )
                    .help("give the forward a prefix of its own, such as `/proxy/{{path}}`");
            }
        }
    }

    fn tools(
        &mut self,
        e: &spec::Exposes,
        clients: &[Client],
        functions: &Functions<'_>,
    ) -> Vec<McpTool> {
        let mut out = Vec::new();
        let mut names = Names::new("tool name");
        let adapter_ns = e.namespace.as_ref().map_or("", |n| n.value.as_str());
        for tool in &e.tools {
            let t = &tool.value;
            let at = pos(tool);
            let Some(resolved) = self.resolve(t.target(), functions) else {
                continue;
            };
            let function = resolved.function.map(|f| f.spec);
            let name_node = t.name.as_ref().or(function.and_then(|f| f.name.as_ref()));
            let Some(name) = self.required(name_node, at, "name") else {
                continue;
            };
            if name.value.is_empty()
                || name.value.len() > 64
                || !name
                    .value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
            {
                self.diags.error(
                    pos(name),
                    format!(
                        "tool name `{}` must be 1 to 64 characters of A-Z, a-z, 0-9, `_`, `-`, `.`",
                        name.value
                    ),
                );
            }
            let fresh = names.claim(self.diags, &name.value, pos(name));
            let derived = self.semantics_hints(resolved.function);
            let hints = self.hints(derived, t.hints.as_ref());
            self.check_semantics(
                resolved.function,
                Some(&hints),
                None,
                t.hints.as_ref().map_or(at, pos),
            );
            let target = resolved.target;
            let declared: Vec<&S<spec::Param>> = target.input_parameters.iter().collect();
            let namespace = resolved.function.map_or(adapter_ns, |f| f.namespace);
            let Some((action, inputs, output)) =
                self.exposed(&target, &declared, Surface::Mcp, namespace, at, clients)
            else {
                continue;
            };
            if let Some(with) = target.with
                && declared.is_empty()
                && !inputs.is_empty()
            {
                let names: Vec<String> = inputs.iter().map(|i| format!("`{}`", i.name)).collect();
                self.diags
                    .lenient(
                        pos(with),
                        format!(
                            "tool `{}` has `with` but no `inputParameters`; its inputs {} are derived as strings from `with` and the operation's parameters",
                            name.value,
                            names.join(", ")
                        ),
                    )
                    .help("declare them in `inputParameters` with a type and a description");
            }
            if fresh {
                out.push(McpTool {
                    input_struct: (!inputs.is_empty())
                        .then(|| format!("{}Input", naming::pascal(&name.value))),
                    name: name.value.clone(),
                    title: t.label.clone(),
                    description: t
                        .description
                        .clone()
                        .or_else(|| function.and_then(|f| f.description.clone())),
                    hints,
                    action,
                    inputs,
                    output,
                });
            }
        }
        out
    }

    /// What an exposed operation or tool does: its action, inputs and result.
    /// `namespace` is the one its `with` references name (the adapter's, or the aggregate's).
    fn exposed(
        &mut self,
        target: &spec::Target<'_>,
        declared: &[&S<spec::Param>],
        surface: Surface<'_>,
        namespace: &str,
        at: Pos,
        clients: &[Client],
    ) -> Option<(Action, Vec<Input>, Shape)> {
        if let (Some(steps), Some(call)) = (target.steps, target.call) {
            self.diags
                .error(pos(call), "`call` and `steps` exclude each other")
                .help(format!(
                    "the steps are at line {}:{}",
                    pos(steps).line,
                    pos(steps).column
                ));
            return None;
        }
        let call = target.call.map(|c| self.call(c, clients));
        let mut inputs = self.inputs(declared, surface);
        if let Some(steps) = target.steps {
            let orchestration = self.orchestration(
                steps,
                target.mappings,
                namespace,
                &mut inputs,
                surface,
                clients,
            );
            let output = self.orchestrated_output(target.output_parameters);
            return Some((Action::Steps(orchestration?), inputs, output));
        }
        if let Some(m) = target.mappings.first() {
            self.diags
                .lenient(pos(m), "`mappings` without `steps` are ignored")
                .help("mappings map step outputs; use `outputParameters` with `mapping`");
        }
        let output = self.exposed_output(target.output_parameters);
        match call {
            Some(call) => {
                let call = call?;
                let op = &clients[call.client].operations[call.op];
                let bindings =
                    self.bindings(namespace, target.with, op, &mut inputs, surface, at, true);
                Some((Action::Call { call, bindings }, inputs, output))
            }
            None => {
                let output = self.input_templates(output, &mut inputs, surface, at);
                if !output.is_static() {
                    self.diags.error(
                        at,
                        "missing `call` or `steps` (only operations whose outputs are all `value` or `const` may omit them)",
                    );
                    return None;
                }
                Some((Action::Mock, inputs, output))
            }
        }
    }

    /// Explicit `hints` over `derived` ones.
    fn hints(&mut self, derived: Hints, hints: Option<&S<BTreeMap<String, S<Scalar>>>>) -> Hints {
        let mut out = derived;
        let Some(hints) = hints else { return out };
        for (key, value) in &hints.value {
            let slot = match key.as_str() {
                "readOnly" => &mut out.read_only,
                "destructive" => &mut out.destructive,
                "idempotent" => &mut out.idempotent,
                "openWorld" => &mut out.open_world,
                other => {
                    self.diags
                        .lenient(pos(value), format!("unknown hint `{other}` is ignored"))
                        .help("hints are readOnly, destructive, idempotent, openWorld");
                    continue;
                }
            };
            match &value.value {
                Scalar::Bool(b) => *slot = *b,
                other => {
                    self.diags
                        .error(
                            pos(value),
                            format!("hint `{key}` must be a boolean, found {}", other.describe()),
                        )
                        .help("write `true` or `false`");
                }
            }
        }
        out
    }
}

/// A REST path with `{{x}}` written as axum's `{x}`.
fn rest_path(path: &str) -> String {
    path.replace("{{", "{").replace("}}", "}")
}

/// The header name, if `name` is a valid HTTP token.
fn http_token(name: &str) -> Option<&str> {
    (!name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)))
    .then_some(name)
}
