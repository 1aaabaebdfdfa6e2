//! The MCP server of generated capabilities: a generic rmcp `ServerHandler` over a tool
//! table and a dispatcher that generated code supplies.
//!
//! The handler logic (tool lookup, JSON-RPC errors, caching hints, results) is the same for
//! every spec, so it lives here once; generated code provides [`ToolSet`]: the static tool,
//! resource and prompt tables, one `match` arm per tool and per dynamic resource that calls
//! the generated client, and one per prompt that builds its messages.

use std::future::Future;
use std::sync::Arc;

use http::HeaderName;
use rmcp::model::{
    CacheScope, CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock as Content,
    ErrorData, GetPromptRequestParams, GetPromptResponse, GetPromptResult, Implementation,
    JsonObject, ListPromptsRequestMethod, ListPromptsResult, ListResourceTemplatesResult,
    ListResourcesRequestMethod, ListResourcesResult, ListToolsResult, PaginatedRequestParams,
    PromptMessage, PromptsCapability, ReadResourceRequestParams, ReadResourceResponse,
    ReadResourceResult, ResourcesCapability, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{RoleServer, ServerHandler};
use tracing::Instrument;

use crate::client::{CallOptions, RawResponse};
use crate::error::ClientError;

mod prompts;
mod resources;

pub use prompts::{PromptArgumentDef, PromptArguments, PromptDef, assistant, user};
pub use resources::{ResourceDef, UriPart, read_body, read_mapped, read_value, resource_not_found};

/// How long clients may cache `tools/list`: the tool table is fixed at compile time.
pub const TOOLS_TTL_MS: u64 = 3_600_000;

/// One tool, as generated from the spec.
#[derive(Clone, Copy, Debug)]
pub struct ToolDef {
    pub name: &'static str,
    pub title: Option<&'static str>,
    pub description: Option<&'static str>,
    /// The JSON Schema of the arguments, as JSON text.
    pub input_schema: &'static str,
    pub read_only: bool,
    pub destructive: bool,
    pub idempotent: bool,
    pub open_world: bool,
}

impl ToolDef {
    fn to_tool(self) -> Tool {
        let schema: JsonObject = serde_json::from_str(self.input_schema)
            .expect("generated input schemas are JSON objects");
        let mut tool = Tool::new_with_raw(
            self.name,
            self.description.map(Into::into),
            Arc::new(schema),
        );
        tool.title = self.title.map(str::to_owned);
        let mut annotations = ToolAnnotations::new()
            .read_only(self.read_only)
            .destructive(self.destructive)
            .idempotent(self.idempotent)
            .open_world(self.open_world);
        annotations.title = self.title.map(str::to_owned);
        tool.annotations = Some(annotations);
        tool
    }
}

/// What generated code implements for each MCP adapter.
pub trait ToolSet: Clone + Send + Sync + 'static {
    /// Server name and version for `initialize` / `server/discover`.
    const SERVER_NAME: &'static str;
    /// Instructions for the model: the adapter's description.
    const INSTRUCTIONS: Option<&'static str>;
    /// The tools, in spec order.
    const TOOLS: &'static [ToolDef];
    /// Request headers passed through to the upstream (caller credentials).
    fn forwarded_headers() -> &'static [HeaderName];
    /// Calls tool number `index` of [`Self::TOOLS`].
    fn call(
        &self,
        index: usize,
        arguments: JsonObject,
        call: CallOptions,
    ) -> impl Future<Output = CallToolResult> + Send;
    /// The resources and resource templates, in spec order.
    const RESOURCES: &'static [ResourceDef] = &[];
    /// The prompts, in spec order.
    const PROMPTS: &'static [PromptDef] = &[];
    /// Reads resource number `index` of [`Self::RESOURCES`] through the client (static ones
    /// never get here); `params` holds the values of its URI template's variables.
    fn read_resource(
        &self,
        index: usize,
        uri: String,
        params: JsonObject,
        call: CallOptions,
    ) -> impl Future<Output = Result<ReadResourceResult, ErrorData>> + Send {
        let _ = (index, params, call);
        std::future::ready(Err(resources::resource_not_found(&uri)))
    }
    /// The messages of prompt number `index` of [`Self::PROMPTS`], its arguments checked.
    fn prompt_messages(index: usize, arguments: &PromptArguments) -> Vec<PromptMessage> {
        let _ = (index, arguments);
        Vec::new()
    }
}

/// Caller credentials to pass through, from the MCP request's HTTP headers.
fn call_options<T: ToolSet>(context: &RequestContext<RoleServer>) -> CallOptions {
    context
        .extensions
        .get::<http::request::Parts>()
        .map(|parts| CallOptions::forward(&parts.headers, T::forwarded_headers()))
        .unwrap_or_default()
}

/// The rmcp handler for a [`ToolSet`].
#[derive(Clone)]
pub struct McpServer<T: ToolSet> {
    tools: T,
    table: Arc<Vec<Tool>>,
}

impl<T: ToolSet> McpServer<T> {
    pub fn new(tools: T) -> Self {
        McpServer {
            tools,
            table: Arc::new(T::TOOLS.iter().map(|t| t.to_tool()).collect()),
        }
    }
}

impl<T: ToolSet> ServerHandler for McpServer<T> {
    fn get_info(&self) -> ServerConfig {
        let mut capabilities = ServerCapabilities::builder().enable_tools().build();
        // Advertised only when the adapter has some, so clients do not ask for empty lists.
        if !T::RESOURCES.is_empty() {
            capabilities.resources = Some(ResourcesCapability::default());
        }
        if !T::PROMPTS.is_empty() {
            capabilities.prompts = Some(PromptsCapability::default());
        }
        let mut config = ServerConfig::new(capabilities).with_server_info(Implementation::new(
            T::SERVER_NAME,
            env!("CARGO_PKG_VERSION"),
        ));
        if let Some(instructions) = T::INSTRUCTIONS {
            config = config.with_instructions(instructions);
        }
        config
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.table.as_ref().clone())
            .with_ttl_ms(TOOLS_TTL_MS)
            .with_cache_scope(CacheScope::Public))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.table.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(index) = T::TOOLS.iter().position(|t| t.name == request.name) else {
            return Err(ErrorData::invalid_params(
                format!("unknown tool `{}`", request.name),
                None,
            ));
        };
        let call = call_options::<T>(&context);
        let arguments = request.arguments.unwrap_or_default();
        // rmcp may run this on a task of its own: the request's span does not reach here.
        let span = tracing::info_span!(
            "tool",
            id = call
                .headers()
                .get(crate::request_id::HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default(),
            name = T::TOOLS[index].name,
        );
        let result = self
            .tools
            .call(index, arguments, call)
            .instrument(span)
            .await;
        crate::metrics::tool_called(T::TOOLS[index].name, result.is_error == Some(true));
        Ok(result.into())
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        if T::RESOURCES.is_empty() {
            return Err(ErrorData::method_not_found::<ListResourcesRequestMethod>());
        }
        let fixed = T::RESOURCES.iter().filter(|r| !r.is_template());
        Ok(
            ListResourcesResult::with_all_items(fixed.map(|r| r.to_resource()).collect())
                .with_ttl_ms(TOOLS_TTL_MS)
                .with_cache_scope(CacheScope::Public),
        )
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        if T::RESOURCES.is_empty() {
            return Err(ErrorData::method_not_found::<ListResourcesRequestMethod>());
        }
        let templates = T::RESOURCES.iter().filter(|r| r.is_template());
        Ok(ListResourceTemplatesResult::with_all_items(
            templates.map(|r| r.to_template()).collect(),
        )
        .with_ttl_ms(TOOLS_TTL_MS)
        .with_cache_scope(CacheScope::Public))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let uri = request.uri;
        // A fixed URI wins over a template that would also match it.
        let found = T::RESOURCES
            .iter()
            .position(|r| !r.is_template() && r.uri == uri)
            .map(|index| (index, JsonObject::new()))
            .or_else(|| {
                T::RESOURCES
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.is_template())
                    .find_map(|(index, r)| Some((index, r.captures(&uri)?)))
            });
        let Some((index, params)) = found else {
            return Err(resources::resource_not_found(&uri));
        };
        let def = &T::RESOURCES[index];
        if let Some(text) = def.text {
            return Ok(resources::static_contents(def, text).into());
        }
        let call = call_options::<T>(&context);
        Ok(self
            .tools
            .read_resource(index, uri, params, call)
            .await?
            .into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        if T::PROMPTS.is_empty() {
            return Err(ErrorData::method_not_found::<ListPromptsRequestMethod>());
        }
        Ok(
            ListPromptsResult::with_all_items(T::PROMPTS.iter().map(|p| p.to_prompt()).collect())
                .with_ttl_ms(TOOLS_TTL_MS)
                .with_cache_scope(CacheScope::Public),
        )
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        let Some(index) = T::PROMPTS.iter().position(|p| p.name == request.name) else {
            return Err(ErrorData::invalid_params(
                format!("unknown prompt `{}`", request.name),
                None,
            ));
        };
        let def = &T::PROMPTS[index];
        let arguments =
            PromptArguments::check(def.name, def.arguments, request.arguments.as_ref())?;
        let mut result = GetPromptResult::new(T::prompt_messages(index, &arguments));
        result.description = def.description.map(str::to_owned);
        Ok(result.into())
    }
}

/// Options of the MCP endpoint.
#[derive(Clone, Debug)]
pub struct McpOptions {
    /// `Host` values accepted (DNS-rebinding protection); empty accepts any.
    pub allowed_hosts: Vec<String>,
    /// `Origin` values accepted; requests with any other Origin get 403.
    pub allowed_origins: Vec<String>,
}

impl Default for McpOptions {
    fn default() -> Self {
        McpOptions {
            allowed_hosts: vec!["localhost".into(), "127.0.0.1".into(), "::1".into()],
            allowed_origins: vec!["http://localhost:*".into(), "http://127.0.0.1:*".into()],
        }
    }
}

/// The Streamable HTTP service: stateless, JSON responses, both protocol eras.
pub fn service<T: ToolSet>(
    tools: T,
    options: &McpOptions,
) -> StreamableHttpService<McpServer<T>, NeverSessionManager> {
    let mut config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None)
        .with_allowed_origins(options.allowed_origins.clone())
        .enforce_origin_validation();
    config = if options.allowed_hosts.is_empty() {
        config.disable_allowed_hosts()
    } else {
        config.with_allowed_hosts(options.allowed_hosts.clone())
    };
    let server = McpServer::new(tools);
    StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(NeverSessionManager::default()),
        config,
    )
}

/// Serves the tool set over stdin/stdout (the `stdio` transport) until the client closes
/// stdin. Logs go to stderr only.
pub async fn serve_stdio<T: ToolSet>(tools: T) -> Result<(), crate::Error> {
    use rmcp::ServiceExt;
    let running = McpServer::new(tools)
        .serve(rmcp::transport::io::stdio())
        .await
        .map_err(|e| crate::Error::Config(format!("MCP over stdio: {e}")))?;
    running
        .waiting()
        .await
        .map_err(|e| crate::Error::Config(format!("MCP over stdio: {e}")))?;
    Ok(())
}

/// An axum router serving the tool set at `/mcp`.
pub fn router<T: ToolSet>(tools: T, options: &McpOptions) -> axum::Router {
    axum::Router::new()
        .route_service("/mcp", service(tools, options))
        .layer(axum::middleware::from_fn(jsonrpc_error_body))
        .fallback(crate::rest::not_found)
}

/// The most rmcp reads of a request body (its default).
const MAX_MCP_BODY: usize = 4 * 1024 * 1024;

/// rmcp refuses bad requests (malformed JSON, wrong content type, foreign Origin) with a
/// plain-text body; clients get a JSON-RPC error object instead (id null, as JSON-RPC asks
/// when the request's id is unknown), rmcp's text as the message. rmcp answers a body that
/// is not a JSON-RPC message with 415, as if the media type were wrong: that is a 400, a
/// parse error (-32700) for bad JSON, an invalid request (-32600) for other JSON.
async fn jsonrpc_error_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    use rmcp::model::ErrorCode;
    use serde::de::IgnoredAny;
    let error = |status: http::StatusCode, code: ErrorCode, message: &str| {
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": null,
            "error": { "code": code.0, "message": message },
        });
        (status, axum::Json(body)).into_response()
    };
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_MCP_BODY).await else {
        let message = format!("the request body is over {MAX_MCP_BODY} bytes or unreadable");
        return error(
            http::StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::INVALID_REQUEST,
            &message,
        );
    };
    let response = next
        .run(axum::extract::Request::from_parts(
            parts,
            axum::body::Body::from(body.clone()),
        ))
        .await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let text = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    if text.starts_with("fail to deserialize") {
        let code = if serde_json::from_slice::<IgnoredAny>(&body).is_ok() {
            ErrorCode::INVALID_REQUEST
        } else {
            ErrorCode::PARSE_ERROR
        };
        return error(http::StatusCode::BAD_REQUEST, code, &text);
    }
    error(status, ErrorCode::INVALID_REQUEST, &text)
}

/// A tool result from an upstream answer: `isError` for 4xx/5xx and failures; on success the
/// mapped JSON as `structuredContent` (non-objects wrapped as `{result_name: value}`) and as text.
pub fn result(
    upstream: Result<RawResponse, ClientError>,
    format: crate::formats::Format,
    result_name: &str,
    map: impl FnOnce(serde_json::Value) -> serde_json::Value,
) -> CallToolResult {
    let raw = match upstream {
        Ok(raw) => raw,
        Err(e) => return CallToolResult::error(vec![Content::text(e.to_string())]),
    };
    if raw.status.is_client_error() || raw.status.is_server_error() {
        let mut text = format!("upstream answered {}", raw.status);
        if !raw.body.is_empty() {
            text.push_str(": ");
            text.push_str(&String::from_utf8_lossy(&raw.body));
        }
        let mut out = CallToolResult::error(vec![Content::text(text)]);
        if let Ok(body @ serde_json::Value::Object(_)) = raw.json() {
            out.structured_content = Some(body);
        }
        return out;
    }
    let value = match raw.decode(format) {
        Ok(v) => v,
        Err(e) => return CallToolResult::error(vec![Content::text(e.to_string())]),
    };
    if value.is_null() {
        return CallToolResult::success(vec![Content::text(format!(
            "upstream answered {} with no content",
            raw.status
        ))]);
    }
    let structured = match map(value) {
        object @ serde_json::Value::Object(_) => object,
        other => serde_json::json!({ result_name: other }),
    };
    let mut out = CallToolResult::success(vec![Content::text(structured.to_string())]);
    out.structured_content = Some(structured);
    out
}

/// A tool result for arguments that do not fit the tool's schema.
pub fn invalid_arguments(message: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![Content::text(message.into())])
}
