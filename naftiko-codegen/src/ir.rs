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
    ApiKeyHeader { name: String, value: Value },
    ApiKeyQuery { name: String, value: Value },
    Bearer { token: Value },
    Basic { username: Value, password: Value },
}

/// One consumed operation: one client method.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientOp {
    pub name: String,
    pub method_ident: String,
    pub description: Option<String>,
    /// Upper-case HTTP method.
    pub method: String,
    /// The resource path, appended to the base URI.
    pub path: String,
    /// Applied to the upstream JSON by the typed method.
    pub output: Output,
    /// Name of the (first) consumed output parameter, used to wrap non-object results.
    pub result_name: String,
}

/// How a JSON result is shaped.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// The body unchanged.
    Passthrough,
    /// A chain of object members below the root (`$.a.b`).
    Members(Vec<String>),
}

/// A reference to a client operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpRef {
    pub client: usize,
    pub op: usize,
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
}

#[derive(Clone, Debug, PartialEq)]
pub struct RestOp {
    pub path: String,
    pub method: String,
    pub name: String,
    pub fn_ident: String,
    pub description: Option<String>,
    pub resource_description: Option<String>,
    pub call: OpRef,
    pub output: Output,
}

/// An MCP adapter: one generated module with a tool table and a dispatcher.
#[derive(Clone, Debug, PartialEq)]
pub struct McpAdapter {
    pub namespace: String,
    pub module: String,
    pub description: Option<String>,
    pub address: Option<String>,
    pub port: u16,
    pub tools: Vec<McpTool>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct McpTool {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub hints: Hints,
    pub call: OpRef,
    pub output: Output,
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
