//! Dev-only helpers for end-to-end tests of generated capabilities.
//!
//! - [`Upstream`]: an axum server on an ephemeral 127.0.0.1 port that records every request it
//!   receives (method, path and query, headers, body bytes) and answers each with what a
//!   programmable closure returns ([`Canned`]).
//! - [`rest`]: one request through a generated REST router, in process (`tower` oneshot).
//! - [`McpServer`]: a generated MCP router served on an ephemeral port, spoken to with
//!   JSON-RPC over HTTP.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use naftiko::__private::axum::body::{Body, to_bytes};
use naftiko::__private::axum::extract::{Request, State};
use naftiko::__private::axum::response::{IntoResponse, Response};
use naftiko::__private::axum::{self, Router};
use naftiko::__private::bytes::Bytes;
use naftiko::__private::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use naftiko::__private::reqwest;
use naftiko::__private::serde_json::{self, Value, json};
use tower::ServiceExt as _;

// ---------------------------------------------------------------------------------------------
// The recording upstream
// ---------------------------------------------------------------------------------------------

/// One request as the upstream received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: Method,
    /// Path and query, as sent.
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    /// Every value of header `name`, as strings.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().expect("ASCII header").to_owned())
            .collect()
    }

    /// The single value of header `name`, if any (panics on duplicates).
    pub fn header(&self, name: &str) -> Option<String> {
        let mut values = self.header_values(name);
        assert!(values.len() <= 1, "duplicate `{name}` headers: {values:?}");
        values.pop()
    }

    /// The body as UTF-8 text.
    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }

    /// The body parsed as JSON.
    pub fn body_json(&self) -> Value {
        parse(&self.body)
    }
}

/// A programmed answer.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub body: Bytes,
    /// Wait this long before answering (the slow-upstream case only).
    pub delay: Option<Duration>,
}

impl Canned {
    /// A JSON body sent byte for byte as given.
    pub fn json(status: u16, body: &str) -> Self {
        Canned::text(status, "application/json", body)
    }

    /// A body of any content type, sent byte for byte as given.
    pub fn text(status: u16, content_type: &'static str, body: &str) -> Self {
        Canned {
            status,
            content_type: Some(content_type),
            body: Bytes::copy_from_slice(body.as_bytes()),
            delay: None,
        }
    }

    /// Binary bytes of any content type (Avro, protobuf).
    pub fn bytes(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        Canned {
            status,
            content_type: Some(content_type),
            body: body.into(),
            delay: None,
        }
    }

    /// No body, no content type.
    pub fn empty(status: u16) -> Self {
        Canned {
            status,
            content_type: None,
            body: Bytes::new(),
            delay: None,
        }
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

type Responder = Arc<dyn Fn(&Recorded) -> Canned + Send + Sync>;

#[derive(Clone)]
struct UpstreamState {
    requests: Arc<Mutex<Vec<Recorded>>>,
    responder: Responder,
}

/// A running recording upstream. Dropping it stops the server task.
pub struct Upstream {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Upstream {
    /// Serves on 127.0.0.1:0, answering every request with `responder(&request)`.
    pub async fn start(
        responder: impl Fn(&Recorded) -> Canned + Send + Sync + 'static,
    ) -> Upstream {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let state = UpstreamState {
            requests: requests.clone(),
            responder: Arc::new(responder),
        };
        let router = Router::new().fallback(record).with_state(state);
        let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind the recording upstream");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Upstream {
            addr,
            requests,
            task,
        }
    }

    /// An upstream that answers every request with the same JSON body and status 200.
    pub async fn json(body: &'static str) -> Upstream {
        Upstream::start(move |_| Canned::json(200, body)).await
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.requests).clone()
    }

    /// The one request received so far (panics unless exactly one).
    pub fn only_request(&self) -> Recorded {
        let mut requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request: {requests:?}");
        requests.remove(0)
    }

    /// Forgets the requests received so far.
    pub fn clear(&self) {
        lock(&self.requests).clear();
    }

    /// Panics unless nothing reached the upstream.
    pub fn assert_untouched(&self) {
        let requests = self.requests();
        assert!(
            requests.is_empty(),
            "nothing may reach the upstream: {requests:?}"
        );
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn record(State(state): State<UpstreamState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let recorded = Recorded {
        method: parts.method,
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
        headers: parts.headers,
        body,
    };
    let canned = (state.responder)(&recorded);
    lock(&state.requests).push(recorded);
    if let Some(delay) = canned.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = (
        StatusCode::from_u16(canned.status).expect("valid status"),
        Body::from(canned.body),
    )
        .into_response();
    if let Some(ct) = canned.content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/// A port that was free a moment ago (bind 127.0.0.1:0, read the port, close).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("bind an ephemeral port")
        .port()
}

/// An address nothing listens on: bound, then closed.
pub fn refused_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    addr
}

/// A plain HTTP client for talking to servers under test (no proxy).
pub fn http_client() -> reqwest::Client {
    naftiko::client::install_crypto_provider();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("build reqwest client")
}

/// `Basic base64(user:password)`, computed independently of the runtime's encoder.
pub fn basic(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}");
    let mut bits = String::new();
    for b in input.bytes() {
        write!(bits, "{b:08b}").expect("write to a String");
    }
    while !bits.len().is_multiple_of(6) {
        bits.push('0');
    }
    let mut out = String::from("Basic ");
    for chunk in bits.as_bytes().chunks(6) {
        let index = usize::from_str_radix(std::str::from_utf8(chunk).expect("ASCII"), 2)
            .expect("binary digits");
        out.push(char::from(ALPHABET[index]));
    }
    while !(out.len() - "Basic ".len()).is_multiple_of(4) {
        out.push('=');
    }
    out
}

/// JSON from bytes, or a panic that shows them.
pub fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

// ---------------------------------------------------------------------------------------------
// REST, in process
// ---------------------------------------------------------------------------------------------

/// A REST answer, read whole.
#[derive(Debug)]
pub struct RestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RestResponse {
    pub fn json(&self) -> Value {
        parse(&self.body)
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }

    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get("content-type")
            .map(|v| v.to_str().expect("ASCII"))
    }
}

/// Sends one request through `router` in process: `method uri`, headers, body.
pub async fn rest(
    router: Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> RestResponse {
    let mut request = naftiko::__private::http::Request::builder()
        .method(method)
        .uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Body::from(body.to_owned()))
        .expect("a valid request");
    let response = router.oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("read body");
    RestResponse {
        status,
        headers,
        body,
    }
}

/// Asserts a 400 whose JSON body names `parameter`; returns the body.
pub fn assert_invalid_parameter(response: &RestResponse, parameter: &str) -> Value {
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "{}",
        response.text()
    );
    let body = response.json();
    assert_eq!(body["error"]["kind"], "invalid_parameter", "{body}");
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(
        message.contains(&format!("`{parameter}`")),
        "the message must name `{parameter}`: {body}"
    );
    body
}

// ---------------------------------------------------------------------------------------------
// MCP, over HTTP
// ---------------------------------------------------------------------------------------------

/// The protocol version of the `initialize` era.
pub const LEGACY: &str = "2025-11-25";

/// An MCP router served on an ephemeral port; stopped on drop.
pub struct McpServer {
    url: String,
    http: reqwest::Client,
    /// The serving task, when this helper started the server.
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for McpServer {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

impl McpServer {
    /// Serves `router` (a generated `<ns>_mcp::router`) on 127.0.0.1:0.
    pub async fn start(router: Router) -> McpServer {
        let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        McpServer {
            url: format!("http://{addr}/mcp"),
            http: http_client(),
            task: Some(task),
        }
    }

    /// Speaks to an MCP endpoint served elsewhere (a whole generated server), e.g.
    /// `http://127.0.0.1:<port>/mcp`.
    pub fn connect(url: impl Into<String>) -> McpServer {
        McpServer {
            url: url.into(),
            http: http_client(),
            task: None,
        }
    }

    /// One JSON-RPC exchange: HTTP 200, a JSON body, returned whole.
    pub async fn rpc(&self, body: Value, headers: &[(&str, &str)]) -> Value {
        let mut request = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", LEGACY)
            .body(body.to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("send MCP request");
        let status = response.status();
        let bytes = response.bytes().await.expect("read body");
        assert_eq!(
            status,
            reqwest::StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        parse(&bytes)
    }

    /// `tools/list`: the `result` member.
    pub async fn list_tools(&self) -> Value {
        let answer = self
            .rpc(
                json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}),
                &[],
            )
            .await;
        answer["result"].clone()
    }

    /// The tool named `name` in `tools/list`.
    pub async fn tool(&self, name: &str) -> Value {
        let list = self.list_tools().await;
        list["tools"]
            .as_array()
            .expect("tools array")
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("no tool `{name}` in {list}"))
            .clone()
    }

    /// `tools/call`: the whole JSON-RPC answer (a `result` or an `error`).
    pub async fn call_tool_rpc(
        &self,
        name: &str,
        arguments: Value,
        headers: &[(&str, &str)],
    ) -> Value {
        self.rpc(
            json!({
                "jsonrpc": "2.0",
                "id": 2,
                "method": "tools/call",
                "params": {"name": name, "arguments": arguments}
            }),
            headers,
        )
        .await
    }

    /// `tools/call` that must succeed: the `structuredContent` (checked against the text).
    pub async fn call_ok(&self, name: &str, arguments: Value, headers: &[(&str, &str)]) -> Value {
        let answer = self.call_tool_rpc(name, arguments, headers).await;
        let result = &answer["result"];
        assert_eq!(result["isError"], json!(false), "{answer}");
        let structured = result["structuredContent"].clone();
        let text = result["content"][0]["text"].as_str().expect("text content");
        assert_eq!(parse(text.as_bytes()), structured, "{answer}");
        structured
    }

    /// `tools/call` that must be a tool error: its text.
    pub async fn call_err(&self, name: &str, arguments: Value, headers: &[(&str, &str)]) -> String {
        let answer = self.call_tool_rpc(name, arguments, headers).await;
        let result = &answer["result"];
        assert_eq!(result["isError"], json!(true), "{answer}");
        result["content"][0]["text"]
            .as_str()
            .expect("text content")
            .to_owned()
    }
}
