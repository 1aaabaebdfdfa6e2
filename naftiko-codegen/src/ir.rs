//! The resolved capability: every reference checked, every template split, every name chosen.
//! Emitters read only this.

/// One capability, ready to emit.
#[derive(Clone, Debug, PartialEq)]
pub struct Capability {
    pub label: String,
    pub description: Option<String>,
    pub binds: Vec<BindVar>,
    pub clients: Vec<Client>,
    pub rest: Vec<RestAdapter>,
    pub mcp: Vec<McpAdapter>,
    /// The management listener, when the spec exposes a `control` adapter.
    pub control: Option<ControlAdapter>,
    /// A consumes library (a file with top-level `consumes` and no `capability`): its
    /// clients alone are generated, no server.
    pub library: bool,
}

/// A variable from `binds`, read once at start-up.
#[derive(Clone, Debug, PartialEq)]
pub struct BindVar {
    /// The variable name templates use (`VMWARE_API_KEY`).
    pub name: String,
    /// The environment variable it is read from.
    pub source: String,
    /// The builder method that sets it (`vmware_api_key`).
    pub setter: String,
    /// The secrets file it is read from (`source` is then its key there).
    pub file: Option<String>,
}

/// A consumed HTTP API: one generated client module.
#[derive(Clone, Debug, PartialEq)]
pub struct Client {
    pub namespace: String,
    pub module: String,
    pub description: Option<String>,
    pub base_uri: Vec<UriPart>,
    /// Variables of the base URI (`{vcenter}`), settings of the client.
    pub variables: Vec<Setting>,
    /// Environment variable that replaces the whole base URI.
    pub base_uri_env: String,
    pub auth: Option<ClientAuth>,
    pub operations: Vec<ClientOp>,
    /// The file it was imported from, if any.
    pub imported_from: Option<String>,
    /// The consumes-level header parameters whose `value` is made of literals and bind
    /// variables: the headers a forwarded request carries (lower-case names).
    pub forward_headers: Vec<(String, Value)>,
    /// Some REST resource forwards to this namespace: the client gets a `forward` method.
    pub forwarded: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum UriPart {
    Literal(String),
    /// Index into [`Client::variables`].
    Variable(usize),
}

/// A named setting: builder method, command-line flag and environment variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    pub name: String,
    pub setter: String,
    pub flag: String,
    pub env: String,
}

/// A value built from literals and bind variables.
#[derive(Clone, Debug, PartialEq)]
pub struct Value(pub Vec<ValuePart>);

#[derive(Clone, Debug, PartialEq)]
pub enum ValuePart {
    Literal(String),
    /// Index into [`Capability::binds`].
    Bind(usize),
}

/// How the client authenticates by default (callers may override per client or per call).
#[derive(Clone, Debug, PartialEq)]
pub enum ClientAuth {
    ApiKeyHeader {
        name: String,
        value: Value,
    },
    ApiKeyQuery {
        name: String,
        value: Value,
    },
    Bearer {
        token: Value,
    },
    Basic {
        username: Value,
        password: Value,
    },
    /// HTTP Digest (RFC 7616): answered after the upstream's challenge (consumed APIs only).
    Digest {
        username: Value,
        password: Value,
    },
}

/// One consumed operation: one client method.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientOp {
    pub name: String,
    pub method_ident: String,
    /// `<Op>Params`, when the operation has parameters.
    pub params_struct: Option<String>,
    pub description: Option<String>,
    /// Upper-case HTTP method.
    pub method: String,
    /// The resource path, appended to the base URI.
    pub path: Vec<PathPart>,
    /// Every named value the request needs, in first-use order.
    pub params: Vec<Param>,
    pub query: Vec<Field>,
    pub headers: Vec<Field>,
    pub cookies: Vec<Field>,
    pub body: Option<Body>,
    /// How the upstream body becomes JSON (`outputRawFormat`).
    pub format: Format,
    /// The schema an avro or protobuf body is read with (`outputSchema`), checked at build
    /// time and embedded in the binary.
    pub output_schema: Option<OutputSchema>,
    /// Applied to the upstream JSON by the typed method.
    pub output: Shape,
    /// Name of the (first) consumed output parameter, used to wrap non-object results.
    pub result_name: String,
}

impl ClientOp {
    /// The path as written, with `{name}` for parameters (for docs and diagnostics).
    pub fn path_text(&self) -> String {
        self.path
            .iter()
            .map(|p| match p {
                PathPart::Literal(l) => l.clone(),
                PathPart::Param(i) => format!("{{{}}}", self.params[*i].name),
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum PathPart {
    Literal(String),
    Param(usize),
}

/// A named value of a consumed operation: a field of its `<Op>Params` struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub field: String,
    /// Used where a value is needed (path, template, body): absent is an error, not "".
    pub required: bool,
}

/// A query parameter, header or cookie of a consumed operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub value: Template,
    /// Sent only when its parameter has a value (a declared parameter without `value`).
    pub optional: bool,
}

/// Text with parameters in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Template(pub Vec<TemplatePart>);

#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    /// Index into [`ClientOp::params`].
    Param(usize),
    /// Index into [`Capability::binds`].
    Bind(usize),
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// JSON text with parameters; `true` where a parameter sits inside a JSON string.
    JsonText(Vec<(TemplatePart, bool)>),
    /// A JSON structure whose strings may hold parameters.
    Json(JsonTemplate),
    /// Text of a given content type (text, xml, sparql, raw).
    Text {
        content_type: String,
        template: Template,
    },
    /// `application/x-www-form-urlencoded` pairs.
    Form(Vec<(String, Template)>),
    /// `multipart/form-data` parts, in order.
    Multipart(Vec<MultipartPart>),
}

impl Body {
    /// Every template part of the body, in order.
    pub fn template_parts(&self) -> Vec<&TemplatePart> {
        fn json_parts<'a>(t: &'a JsonTemplate, out: &mut Vec<&'a TemplatePart>) {
            match t {
                JsonTemplate::String(template) => out.extend(&template.0),
                JsonTemplate::Array(items) => items.iter().for_each(|i| json_parts(i, out)),
                JsonTemplate::Object(members) => {
                    members.iter().for_each(|(_, v)| json_parts(v, out))
                }
                JsonTemplate::Literal(_) => {}
            }
        }
        let mut out = Vec::new();
        match self {
            Body::JsonText(parts) => out.extend(parts.iter().map(|(p, _)| p)),
            Body::Text { template, .. } => out.extend(&template.0),
            Body::Form(pairs) => out.extend(pairs.iter().flat_map(|(_, t)| &t.0)),
            Body::Multipart(parts) => out.extend(parts.iter().flat_map(|p| &p.value.0)),
            Body::Json(t) => json_parts(t, &mut out),
        }
        out
    }
}

/// One part of a multipart body: a field, or a file when it has a `filename`.
#[derive(Clone, Debug, PartialEq)]
pub struct MultipartPart {
    pub name: String,
    pub value: Template,
    pub filename: Option<String>,
    pub content_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JsonTemplate {
    Literal(serde_json::Value),
    String(Template),
    Array(Vec<JsonTemplate>),
    Object(Vec<(String, JsonTemplate)>),
}

/// A consumed operation's `outputRawFormat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Xml,
    /// csv, tsv, psv: delimiter-separated values with a header row.
    Delimited(u8),
    /// html, markdown: kept as text.
    Text,
    /// An Avro object container file, or with `outputSchema` also a bare binary datum.
    Avro,
    /// Protocol Buffers: by the `outputSchema` message, else raw fields keyed by number.
    Protobuf,
}

/// A consumed operation's `outputSchema`, read and checked at build time.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputSchema {
    /// An Avro schema (`.avsc`), as JSON text.
    Avro { json: String },
    /// A compiled `.proto`: its `FileDescriptorSet` (imports included), encoded, and the
    /// full name of the message a body holds.
    Protobuf {
        descriptor_set: Vec<u8>,
        message: String,
    },
}

/// One step of a compiled JSONPath.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    Member(String),
    Index(i64),
    /// `[*]` or `.*`: every element (arrays) or value (objects).
    Wildcard,
}

/// The declared type of an input or output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}

impl Kind {
    pub fn json_name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }
}

/// How a result is built from the upstream JSON, compiled to Rust.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// The value at a path (the root when empty).
    Select {
        path: Vec<Segment>,
        kind: Option<Kind>,
        description: Option<String>,
    },
    /// A constant (`const`, or a mock `value`).
    Const(serde_json::Value),
    /// An object built member by member, relative to the value at `path`.
    Object {
        path: Vec<Segment>,
        properties: Vec<(String, Shape)>,
        description: Option<String>,
    },
    /// Each element of the array at `path`, shaped by `items` (unchanged when `None`).
    Array {
        path: Vec<Segment>,
        items: Option<Box<Shape>>,
        description: Option<String>,
    },
    /// The first of these that is not null.
    FirstOf(Vec<Shape>),
    /// A string built from the operation's inputs (mock outputs such as `"{{imo}}"`).
    Template(Vec<SourcePart>),
}

impl Shape {
    pub const IDENTITY: Shape = Shape::Select {
        path: Vec::new(),
        kind: None,
        description: None,
    };

    /// Built from constants alone: needs no upstream call.
    pub fn is_static(&self) -> bool {
        match self {
            Shape::Const(_) | Shape::Template(_) => true,
            Shape::Select { .. } => false,
            Shape::Object { properties, .. } => properties.iter().all(|(_, s)| s.is_static()),
            Shape::Array { items, .. } => items.as_ref().is_some_and(|i| i.is_static()),
            Shape::FirstOf(shapes) => shapes.iter().all(Shape::is_static),
        }
    }

    /// The whole upstream body, unchanged: REST can pass the bytes through.
    pub fn is_identity(&self) -> bool {
        matches!(self, Shape::Select { path, .. } if path.is_empty())
    }
}

/// A parameter of an exposed operation or tool.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub name: String,
    pub field: String,
    pub location: InputLocation,
    pub kind: Kind,
    pub required: bool,
    pub description: Option<String>,
    /// A regular expression the value must match (string inputs; checked at build time).
    pub pattern: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum InputLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// A member of the JSON request body (the whole body when empty).
    Body(Vec<Segment>),
    /// An MCP tool argument.
    Argument,
}

/// Where a consumed parameter's value comes from, for one exposed operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// Index into the called operation's [`ClientOp::params`].
    pub param: usize,
    pub source: Source,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// An input, converted to text.
    Input(usize),
    /// Text with inputs in it; absent when one of them is absent.
    Template(Vec<SourcePart>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum SourcePart {
    Literal(String),
    Input(usize),
}

/// A reference to a client operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpRef {
    pub client: usize,
    pub op: usize,
}

/// What an exposed operation does with its inputs.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Answers from its outputs alone (mock `value` and `const` outputs).
    Mock,
    /// One consumed operation; [`Shape`] maps its body.
    Call { call: OpRef, bindings: Vec<Binding> },
    /// Orchestration `steps`; [`Shape`] maps the object their `mappings` build.
    Steps(Orchestration),
}

impl Action {
    /// The consumed operation, for a single call.
    pub fn call(&self) -> Option<OpRef> {
        match self {
            Action::Call { call, .. } => Some(*call),
            _ => None,
        }
    }

    /// Every consumed operation this action may call.
    pub fn calls(&self) -> Vec<OpRef> {
        match self {
            Action::Mock => Vec::new(),
            Action::Call { call, .. } => vec![*call],
            Action::Steps(o) => o
                .steps
                .iter()
                .filter_map(|s| match s {
                    Step::Call { call, .. } => Some(*call),
                    Step::Lookup { .. } => None,
                })
                .collect(),
        }
    }
}

/// Compiled `steps` and `mappings`. Call steps depend on the operation's inputs alone, so
/// they all run concurrently; lookups then join their results in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Orchestration {
    pub steps: Vec<Step>,
    /// `targetName` (split at dots) <- a JSONPath over `{step-name: step output}`.
    pub mappings: Vec<(Vec<String>, Vec<Segment>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// A consumed operation; its output is the decoded upstream body.
    Call {
        name: String,
        call: OpRef,
        bindings: Vec<Binding>,
    },
    /// The entries of an earlier call step's output whose `match_field` equals the value(s)
    /// at `value`, each cut down to `fields`.
    Lookup {
        name: String,
        /// Name of the call step whose output is the index.
        index: String,
        match_field: String,
        value: Vec<Segment>,
        fields: Vec<String>,
    },
}

impl Step {
    pub fn name(&self) -> &str {
        match self {
            Step::Call { name, .. } | Step::Lookup { name, .. } => name,
        }
    }
}

/// A REST adapter: one generated module with a trait, a forwarder and a router.
#[derive(Clone, Debug, PartialEq)]
pub struct RestAdapter {
    pub namespace: String,
    pub module: String,
    pub description: Option<String>,
    pub address: Option<String>,
    pub port: u16,
    pub operations: Vec<RestOp>,
    /// Resources that proxy to a consumed namespace.
    pub forwards: Vec<RestForward>,
    /// Credentials callers must present.
    pub auth: Option<ClientAuth>,
}

/// A REST resource with `forward`: every method on `prefix` and below goes to a consumed
/// namespace's base URI plus the rest of the path.
#[derive(Clone, Debug, PartialEq)]
pub struct RestForward {
    /// The literal part of the resource path before its placeholder (`/forward`), no
    /// trailing slash; the placeholder captures everything after it.
    pub prefix: String,
    /// The placeholder's name (`path`), for the OpenAPI document.
    pub placeholder: String,
    /// The `Api` method that forwards (`forward_notion`).
    pub fn_ident: String,
    pub description: Option<String>,
    /// Index into [`Capability::clients`].
    pub client: usize,
    /// Incoming headers copied upstream, lower-case.
    pub trusted_headers: Vec<String>,
}

/// A `control` adapter: engine-provided management endpoints on their own listener.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlAdapter {
    pub address: Option<String>,
    pub port: u16,
    /// `GET /health/live` and `GET /health/ready`.
    pub health: bool,
    /// `GET /status` and `GET /config`.
    pub info: bool,
    /// Credentials callers must present.
    pub auth: Option<ClientAuth>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RestOp {
    pub path: String,
    pub method: String,
    pub name: String,
    pub fn_ident: String,
    /// `<Op>Input`, when the operation has inputs.
    pub input_struct: Option<String>,
    pub description: Option<String>,
    pub resource_description: Option<String>,
    pub action: Action,
    pub inputs: Vec<Input>,
    pub output: Shape,
}

/// An MCP adapter: one generated module with a tool table and a dispatcher.
#[derive(Clone, Debug, PartialEq)]
pub struct McpAdapter {
    pub namespace: String,
    pub module: String,
    pub description: Option<String>,
    pub address: Option<String>,
    pub port: u16,
    /// Served over stdin/stdout instead of HTTP.
    pub stdio: bool,
    pub tools: Vec<McpTool>,
    pub resources: Vec<McpResource>,
    pub prompts: Vec<McpPrompt>,
    /// Credentials callers must present.
    pub auth: Option<ClientAuth>,
}

/// An MCP resource: a file's text embedded at build time, or read through the client.
#[derive(Clone, Debug, PartialEq)]
pub struct McpResource {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub mime_type: Option<String>,
    /// The URI as written (`data://users/{userId}/profile`).
    pub uri: String,
    /// The URI split at its `{variable}` placeholders.
    pub uri_parts: Vec<UriTemplatePart>,
    pub content: ResourceContent,
}

impl McpResource {
    /// A URI template (listed by `resources/templates/list`), not a fixed URI.
    pub fn is_template(&self) -> bool {
        self.uri_parts
            .iter()
            .any(|p| matches!(p, UriTemplatePart::Variable(_)))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum UriTemplatePart {
    Literal(String),
    Variable(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResourceContent {
    /// A file's text, embedded at build time.
    Static(String),
    /// Read through the client; the URI's variables are the inputs.
    Read {
        /// `<Resource>UriParams`, when the URI has variables.
        input_struct: Option<String>,
        action: Action,
        inputs: Vec<Input>,
        output: Shape,
    },
}

/// An MCP prompt: messages built from its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct McpPrompt {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub arguments: Vec<PromptArgument>,
    pub messages: Vec<PromptMessage>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PromptArgument {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PromptMessage {
    /// `assistant` rather than `user`.
    pub assistant: bool,
    pub parts: Vec<PromptPart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PromptPart {
    Literal(String),
    /// Index into [`McpPrompt::arguments`].
    Argument(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct McpTool {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub hints: Hints,
    /// `<Tool>Input`, when the tool has inputs.
    pub input_struct: Option<String>,
    pub action: Action,
    pub inputs: Vec<Input>,
    pub output: Shape,
}

/// MCP tool annotations, every one resolved (the protocol's defaults are pessimistic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hints {
    pub read_only: bool,
    pub destructive: bool,
    pub idempotent: bool,
    pub open_world: bool,
}

impl Default for Hints {
    /// The MCP defaults: assume the worst of a tool that says nothing.
    fn default() -> Self {
        Hints {
            read_only: false,
            destructive: true,
            idempotent: false,
            open_world: true,
        }
    }
}
