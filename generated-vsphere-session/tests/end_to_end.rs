//! In-process end-to-end tests of the generated vSphere session capability: the typed client,
//! the REST adapter and the MCP server, each against a local upstream that records what it
//! received (see `support`), and the whole server (`serve_until`) against the demo vCenter.

mod support;

use std::time::Duration;

use generated_vsphere_session::demo::DemoVcenter;
use generated_vsphere_session::vsphere_session_rest::{self, Forward};
use generated_vsphere_session::{Clients, serve_until, vsphere_session, vsphere_session_mcp};
use naftiko::__private::axum::body::{Body, to_bytes};
use naftiko::__private::bytes::Bytes;
use naftiko::__private::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use naftiko::__private::reqwest;
use naftiko::__private::serde_json::{self, Value, json};
use naftiko::{CallOptions, ClientError, Secret};
use support::{
    Canned, SESSION_INFO, UNAUTHENTICATED_BODY, Upstream, VsphereUpstream as _, basic, free_port,
    http_client, refused_addr,
};
use tower::ServiceExt as _;

const SESSION_HEADER: &str = "vmware-api-session-id";

fn session_header(value: &'static str) -> CallOptions {
    CallOptions::new().header(
        HeaderName::from_static(SESSION_HEADER),
        HeaderValue::from_static(value),
    )
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_createsession_sends_basic_auth_and_returns_the_token() {
    let upstream = Upstream::vsphere("tok-create-1").await;
    let client = upstream.client();

    let token = client
        .createsession(
            &CallOptions::new().basic_auth("administrator@vsphere.local", &Secret::new("s3cret!")),
        )
        .await
        .expect("createsession");

    assert_eq!(token, json!("tok-create-1"));
    let request = upstream.only_request();
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path, "/api/session");
    assert!(request.body.is_empty(), "{:?}", request.body);
    assert_eq!(
        request.header("authorization"),
        Some(basic("administrator@vsphere.local", "s3cret!"))
    );
    assert_eq!(request.header(SESSION_HEADER), None);
}

#[tokio::test]
async fn client_getsessioninfo_sends_the_bound_default_session_header() {
    let upstream = Upstream::vsphere("unused").await;
    let client = upstream
        .builder()
        .vmware_api_key("k")
        .build()
        .expect("build");

    let info = client
        .getsessioninfo(&CallOptions::new())
        .await
        .expect("getsessioninfo");

    assert_eq!(info, parse(SESSION_INFO.as_bytes()));
    let request = upstream.only_request();
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.path, "/api/session");
    assert_eq!(request.header_values(SESSION_HEADER), ["k"]);
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn client_per_call_session_header_wins_over_the_default() {
    let upstream = Upstream::vsphere("unused").await;
    let client = upstream
        .builder()
        .vmware_api_key("env-default")
        .build()
        .expect("build");

    client
        .getsessioninfo(&session_header("caller-token"))
        .await
        .expect("getsessioninfo");

    assert_eq!(
        upstream.only_request().header_values(SESSION_HEADER),
        ["caller-token"]
    );
}

#[tokio::test]
async fn client_per_call_authorization_suppresses_the_default_apikey_header() {
    let upstream = Upstream::vsphere("tok-2").await;
    let client = upstream
        .builder()
        .vmware_api_key("env-default")
        .build()
        .expect("build");

    let token = client
        .createsession(&CallOptions::new().basic_auth("user", &Secret::new("pass")))
        .await
        .expect("createsession");

    assert_eq!(token, json!("tok-2"));
    let request = upstream.only_request();
    assert_eq!(request.header("authorization"), Some(basic("user", "pass")));
    assert!(
        request.header_values(SESSION_HEADER).is_empty(),
        "the default apikey header must not be sent with caller credentials: {:?}",
        request.headers
    );
}

#[tokio::test]
async fn client_without_credentials_fails_before_reaching_the_upstream() {
    let upstream = Upstream::vsphere("unused").await;
    let client = upstream.client();
    let none = CallOptions::new();

    let results = [
        client.createsession(&none).await.map(drop),
        client.getsessioninfo(&none).await.map(drop),
        client.deletesession(&none).await.map(drop),
        client.getsessioninfo_raw(&none).await.map(drop),
    ];

    for result in results {
        match result {
            Err(ClientError::MissingCredential { variable }) => {
                assert_eq!(variable, "VMWARE_API_KEY");
            }
            other => panic!("expected MissingCredential, got {other:?}"),
        }
    }
    assert!(
        upstream.requests().is_empty(),
        "nothing may reach the upstream: {:?}",
        upstream.requests()
    );
}

#[tokio::test]
async fn client_upstream_401_is_a_status_error_with_the_body() {
    let upstream = Upstream::start(|_| Canned::json(401, UNAUTHENTICATED_BODY)).await;
    let client = upstream.client();

    let err = client
        .getsessioninfo(&session_header("expired"))
        .await
        .expect_err("401 must be an error");

    match err {
        ClientError::Status { status, body } => {
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert_eq!(body, Bytes::from_static(UNAUTHENTICATED_BODY.as_bytes()));
        }
        other => panic!("expected Status, got {other:?}"),
    }
    assert_eq!(
        upstream.only_request().header_values(SESSION_HEADER),
        ["expired"]
    );

    // The raw variant answers as is.
    let raw = client
        .getsessioninfo_raw(&session_header("expired"))
        .await
        .expect("raw call");
    assert_eq!(raw.status, StatusCode::UNAUTHORIZED);
    assert_eq!(raw.body.as_ref(), UNAUTHENTICATED_BODY.as_bytes());
    assert_eq!(
        raw.content_type,
        Some(HeaderValue::from_static("application/json"))
    );
}

#[tokio::test]
async fn client_vcenter_fills_the_spec_base_uri() {
    let client = vsphere_session::Client::builder()
        .vcenter("vc.example.com:8443")
        .build()
        .expect("build");
    assert_eq!(client.base_uri(), "https://vc.example.com:8443/api");
}

#[tokio::test]
async fn client_missing_vcenter_is_a_config_error_naming_flag_and_env() {
    let err = vsphere_session::Client::builder()
        .vmware_api_key("k")
        .build()
        .expect_err("vcenter is required");
    match err {
        ClientError::Config(message) => {
            assert!(message.contains("--vcenter"), "{message}");
            assert!(message.contains("VCENTER"), "{message}");
        }
        other => panic!("expected Config, got {other:?}"),
    }
}

#[tokio::test]
async fn client_debug_never_shows_secrets() {
    let encoded = basic("admin", "pw-s3cr3t-2");
    let secrets = [
        "key-s3cr3t-1",
        "pw-s3cr3t-2",
        "hdr-s3cr3t-3",
        // base64 of "admin:pw-s3cr3t-2", as it would appear in the Authorization header
        encoded.trim_start_matches("Basic "),
    ];
    let builder = vsphere_session::Client::builder()
        .vcenter("vc.example.com")
        .vmware_api_key("key-s3cr3t-1")
        .basic_auth("admin", &Secret::new("pw-s3cr3t-2"))
        .header(
            HeaderName::from_static(SESSION_HEADER),
            HeaderValue::from_static("hdr-s3cr3t-3"),
        );
    let client = builder.clone().build().expect("build");
    let clients = Clients {
        vsphere_session: client.clone(),
    };
    let shown = [
        format!("{builder:?}"),
        format!("{builder:#?}"),
        format!("{client:?}"),
        format!("{clients:#?}"),
    ];
    for text in &shown {
        for secret in secrets {
            assert!(!text.contains(secret), "`{secret}` leaked in: {text}");
        }
    }
    // The non-secret settings are still there to debug with.
    assert!(shown[0].contains("vc.example.com"), "{}", shown[0]);
}

// ---------------------------------------------------------------------------------------------
// REST adapter, in process via `oneshot`
// ---------------------------------------------------------------------------------------------

struct RestResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RestResponse {
    fn json(&self) -> Value {
        parse(&self.body)
    }

    fn content_type(&self) -> Option<&str> {
        self.headers
            .get("content-type")
            .map(|v| v.to_str().expect("ASCII"))
    }
}

async fn rest(
    client: vsphere_session::Client,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
) -> RestResponse {
    let clients = Clients {
        vsphere_session: client,
    };
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = vsphere_session_rest::router(Forward::new(clients))
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
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

#[tokio::test]
async fn rest_post_passes_basic_auth_through_and_the_body_byte_for_byte() {
    // Odd spacing: a re-serialized body would lose it.
    const BODY: &str = " \"tok-rest-1\"\n";
    let upstream = Upstream::start(|_| Canned::json(201, BODY)).await;
    let auth = basic("administrator@vsphere.local", "s3cret!");

    let response = rest(
        upstream.client(),
        Method::POST,
        "/v1/session",
        &[("authorization", &auth)],
    )
    .await;

    assert_eq!(response.status, StatusCode::CREATED);
    assert_eq!(response.body.as_ref(), BODY.as_bytes());
    assert_eq!(response.content_type(), Some("application/json"));
    let request = upstream.only_request();
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path, "/api/session");
    assert_eq!(request.header("authorization"), Some(auth));
    assert_eq!(request.header(SESSION_HEADER), None);
}

#[tokio::test]
async fn rest_get_forwards_the_session_header_and_passes_the_body_through() {
    let upstream = Upstream::vsphere("unused").await;

    let response = rest(
        upstream.client(),
        Method::GET,
        "/v1/session",
        &[(SESSION_HEADER, "tok-get-1")],
    )
    .await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body.as_ref(), SESSION_INFO.as_bytes());
    assert_eq!(response.content_type(), Some("application/json"));
    let request = upstream.only_request();
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.path, "/api/session");
    assert_eq!(request.header_values(SESSION_HEADER), ["tok-get-1"]);
}

#[tokio::test]
async fn rest_delete_is_204_with_an_empty_body() {
    let upstream = Upstream::vsphere("unused").await;

    let response = rest(
        upstream.client(),
        Method::DELETE,
        "/v1/session",
        &[(SESSION_HEADER, "tok-del-1")],
    )
    .await;

    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert!(response.body.is_empty(), "{:?}", response.body);
    // The upstream sent no content type; the gateway must not invent one.
    assert_eq!(response.content_type(), None);
    let request = upstream.only_request();
    assert_eq!(request.method, Method::DELETE);
    assert_eq!(request.path, "/api/session");
    assert_eq!(request.header_values(SESSION_HEADER), ["tok-del-1"]);
}

#[tokio::test]
async fn rest_upstream_401_passes_through_with_vspheres_error_body() {
    let upstream = Upstream::start(|_| Canned::json(401, UNAUTHENTICATED_BODY)).await;

    let response = rest(
        upstream.client(),
        Method::GET,
        "/v1/session",
        &[(SESSION_HEADER, "stale")],
    )
    .await;

    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.body.as_ref(), UNAUTHENTICATED_BODY.as_bytes());
    assert_eq!(response.content_type(), Some("application/json"));
    assert_eq!(
        upstream.only_request().header_values(SESSION_HEADER),
        ["stale"]
    );
}

#[tokio::test]
async fn rest_caller_credentials_win_over_the_bound_default() {
    let upstream = Upstream::vsphere("tok-3").await;
    let client = upstream
        .builder()
        .vmware_api_key("env-default")
        .build()
        .expect("build");

    // The caller's session header replaces the default one.
    let response = rest(
        client.clone(),
        Method::GET,
        "/v1/session",
        &[(SESSION_HEADER, "caller-token")],
    )
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        upstream.only_request().header_values(SESSION_HEADER),
        ["caller-token"]
    );

    // The caller's Authorization suppresses the default session header.
    let auth = basic("user", "pass");
    let response = rest(
        client.clone(),
        Method::POST,
        "/v1/session",
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(response.status, StatusCode::CREATED);
    let requests = upstream.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("authorization"), Some(auth));
    assert!(requests[1].header_values(SESSION_HEADER).is_empty());

    // Without caller credentials the default applies.
    let response = rest(client, Method::GET, "/v1/session", &[]).await;
    assert_eq!(response.status, StatusCode::OK);
    let requests = upstream.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].header_values(SESSION_HEADER), ["env-default"]);
    assert_eq!(requests[2].header("authorization"), None);
}

#[tokio::test]
async fn rest_without_any_credentials_is_401_and_nothing_reaches_the_upstream() {
    let upstream = Upstream::vsphere("unused").await;

    let response = rest(upstream.client(), Method::GET, "/v1/session", &[]).await;

    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.json()["error"]["kind"], "missing_credentials");
    assert!(response.headers.contains_key("www-authenticate"));
    assert!(upstream.requests().is_empty(), "{:?}", upstream.requests());
}

#[tokio::test]
async fn rest_connection_refused_is_502_upstream_unreachable() {
    let addr = refused_addr();
    let client = vsphere_session::Client::builder()
        .base_uri(format!("http://{addr}/api"))
        .build()
        .expect("build");

    let response = rest(
        client,
        Method::POST,
        "/v1/session",
        &[("authorization", &basic("u", "p"))],
    )
    .await;

    assert_eq!(response.status, StatusCode::BAD_GATEWAY);
    assert_eq!(response.content_type(), Some("application/json"));
    let body = response.json();
    assert_eq!(body["error"]["kind"], "upstream_unreachable", "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
}

#[tokio::test]
async fn rest_upstream_slower_than_the_timeout_is_504() {
    let upstream =
        Upstream::start(|_| Canned::json(200, SESSION_INFO).delayed(Duration::from_secs(2))).await;
    let client = upstream
        .builder()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("build");

    let response = rest(
        client,
        Method::GET,
        "/v1/session",
        &[(SESSION_HEADER, "tok-slow")],
    )
    .await;

    assert_eq!(response.status, StatusCode::GATEWAY_TIMEOUT);
    let body = response.json();
    assert_eq!(body["error"]["kind"], "upstream_timeout", "{body}");
    // The request did reach the upstream before the timeout fired.
    assert_eq!(
        upstream.only_request().header_values(SESSION_HEADER),
        ["tok-slow"]
    );
}

#[tokio::test]
async fn rest_upstream_error_without_a_body_gets_a_json_error_body() {
    // The legacy vSphere API answers an unknown session with a bare 401.
    let upstream = Upstream::start(|_| Canned::empty(401)).await;

    let response = rest(
        upstream.client(),
        Method::GET,
        "/v1/session",
        &[(SESSION_HEADER, "stale")],
    )
    .await;

    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.content_type(), Some("application/json"));
    let body = response.json();
    assert_eq!(body["error"]["kind"], "upstream_status", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("401")),
        "{body}"
    );
}

#[tokio::test]
async fn rest_serves_the_openapi_document() {
    let upstream = Upstream::vsphere("unused").await;

    let response = rest(upstream.client(), Method::GET, "/openapi.json", &[]).await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.content_type(), Some("application/json"));
    let doc = response.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc, parse(vsphere_session_rest::OPENAPI.as_bytes()));
    let paths = doc["paths"].as_object().expect("paths");
    assert_eq!(
        paths.keys().collect::<Vec<_>>(),
        ["/v1/session"],
        "{paths:?}"
    );
    let session = paths["/v1/session"].as_object().expect("path item");
    let mut methods: Vec<&str> = session.keys().map(String::as_str).collect();
    methods.sort_unstable();
    assert_eq!(methods, ["delete", "get", "post"]);
    assert_eq!(session["post"]["operationId"], "createsession");
    assert_eq!(session["get"]["operationId"], "getsessioninfo");
    assert_eq!(session["delete"]["operationId"], "deletesession");
    // 204 is documented without content: the only answer without a body.
    assert!(
        session["delete"]["responses"]["204"]
            .as_object()
            .is_some_and(|r| !r.contains_key("content")),
        "{session:?}"
    );
    assert!(upstream.requests().is_empty());
}

#[tokio::test]
async fn rest_healthz_is_200() {
    let upstream = Upstream::vsphere("unused").await;

    let response = rest(upstream.client(), Method::GET, "/healthz", &[]).await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json(), json!({"status": "ok"}));
    assert!(upstream.requests().is_empty());
}

#[tokio::test]
async fn rest_unknown_route_is_404() {
    let upstream = Upstream::vsphere("unused").await;

    let response = rest(
        upstream.client(),
        Method::GET,
        "/v1/sessions",
        &[(SESSION_HEADER, "t")],
    )
    .await;

    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.json()["error"]["kind"], "not_found");
    assert!(upstream.requests().is_empty());
}

#[tokio::test]
async fn rest_unexposed_method_is_405() {
    let upstream = Upstream::vsphere("unused").await;

    let response = rest(
        upstream.client(),
        Method::PUT,
        "/v1/session",
        &[(SESSION_HEADER, "t")],
    )
    .await;

    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    let allow = response
        .headers
        .get("allow")
        .map(|v| v.to_str().expect("ASCII").to_owned())
        .unwrap_or_default();
    for method in ["GET", "POST", "DELETE"] {
        assert!(allow.contains(method), "Allow: {allow}");
    }
    assert!(upstream.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------
// MCP adapter, over real HTTP
// ---------------------------------------------------------------------------------------------

const LEGACY: &str = "2025-11-25";
const STATELESS: &str = "2026-07-28";

/// The MCP router served on an ephemeral port; stopped on drop.
struct McpServer {
    addr: std::net::SocketAddr,
    url: String,
    http: reqwest::Client,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for McpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl McpServer {
    async fn start(client: vsphere_session::Client) -> McpServer {
        let clients = Clients {
            vsphere_session: client,
        };
        let router = vsphere_session_mcp::router(
            vsphere_session_mcp::Tools::new(clients),
            &naftiko::mcp::McpOptions::default(),
        );
        let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = naftiko::__private::axum::serve(listener, router).await;
        });
        McpServer {
            addr,
            url: format!("http://{addr}/mcp"),
            http: http_client(),
            task,
        }
    }

    async fn post(
        &self,
        version: &str,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        mcp_post(&self.http, &self.url, version, body, headers).await
    }

    /// A JSON-RPC exchange of the 2025-11-25 era: HTTP 200 and a JSON body.
    async fn rpc(&self, body: Value, headers: &[(&str, &str)]) -> Value {
        rpc_ok(self.post(LEGACY, &body, headers).await).await
    }

    async fn call_tool(&self, name: &str, headers: &[(&str, &str)]) -> Value {
        self.rpc(
            json!({
                "jsonrpc": "2.0",
                "id": 3,
                "method": "tools/call",
                "params": {"name": name, "arguments": {}}
            }),
            headers,
        )
        .await
    }
}

async fn mcp_post(
    http: &reqwest::Client,
    url: &str,
    version: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = http
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", version)
        .body(body.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("send MCP request")
}

async fn rpc_ok(response: reqwest::Response) -> Value {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.bytes().await.expect("read body");
    assert_eq!(
        status,
        reqwest::StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert!(
        content_type.starts_with("application/json"),
        "content-type {content_type}: {}",
        String::from_utf8_lossy(&body)
    );
    parse(&body)
}

fn initialize_request() -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": LEGACY,
            "capabilities": {},
            "clientInfo": {"name": "end-to-end", "version": "0.0.0"}
        }
    })
}

fn tools_list_request() -> Value {
    json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})
}

/// (name, description, readOnlyHint, destructiveHint, idempotentHint), as in the spec.
const TOOLS: [(&str, &str, bool, bool, bool); 3] = [
    (
        "vmware-create-new-authentication-session",
        "Vmware Create a New Authentication Session",
        false,
        false,
        false,
    ),
    (
        "vmware-terminate-current-session",
        "Vmware Terminate the Current Session",
        false,
        true,
        true,
    ),
    (
        "vmware-get-current-session-information",
        "Vmware Get Current Session Information",
        true,
        false,
        true,
    ),
];

fn assert_tool_table(result: &Value) {
    // The table is fixed at compile time: clients may cache it for an hour, shared.
    assert_eq!(result["ttlMs"], naftiko::mcp::TOOLS_TTL_MS, "{result}");
    assert_eq!(result["cacheScope"], "public", "{result}");
    let tools = result["tools"].as_array().expect("tools array");
    assert_eq!(tools.len(), TOOLS.len(), "{result}");
    for (tool, (name, description, read_only, destructive, idempotent)) in tools.iter().zip(TOOLS) {
        assert_eq!(tool["name"], name, "{tool}");
        assert_eq!(tool["description"], description, "{tool}");
        assert_eq!(
            tool["inputSchema"],
            json!({"type": "object", "properties": {}}),
            "{tool}"
        );
        assert_eq!(
            tool["annotations"],
            json!({
                "readOnlyHint": read_only,
                "destructiveHint": destructive,
                "idempotentHint": idempotent,
                "openWorldHint": true,
            }),
            "{tool}"
        );
    }
}

#[tokio::test]
async fn mcp_initialize_answers_with_server_info_and_tools_capability() {
    let upstream = Upstream::vsphere("unused").await;
    let server = McpServer::start(upstream.client()).await;

    let response = server.rpc(initialize_request(), &[]).await;

    assert_eq!(response["id"], 1, "{response}");
    let result = &response["result"];
    assert_eq!(result["protocolVersion"], LEGACY, "{response}");
    assert_eq!(
        result["serverInfo"]["name"], "vsphere-session-mcp",
        "{response}"
    );
    assert!(result["capabilities"]["tools"].is_object(), "{response}");
    assert!(
        result["instructions"]
            .as_str()
            .is_some_and(|s| s.starts_with("MCP adapter for VMware vSphere")),
        "{response}"
    );
    assert!(upstream.requests().is_empty());
}

#[tokio::test]
async fn mcp_tools_list_matches_the_spec() {
    let upstream = Upstream::vsphere("unused").await;
    let server = McpServer::start(upstream.client()).await;

    let response = server.rpc(tools_list_request(), &[]).await;

    assert_tool_table(&response["result"]);
    assert!(upstream.requests().is_empty());
}

#[tokio::test]
async fn mcp_get_session_tool_forwards_the_session_header() {
    let upstream = Upstream::vsphere("unused").await;
    let server = McpServer::start(upstream.client()).await;

    let response = server
        .call_tool(
            "vmware-get-current-session-information",
            &[(SESSION_HEADER, "tok-mcp-1")],
        )
        .await;

    let result = &response["result"];
    assert_ne!(result["isError"], true, "{response}");
    assert_eq!(
        result["structuredContent"],
        parse(SESSION_INFO.as_bytes()),
        "{response}"
    );
    let request = upstream.only_request();
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.path, "/api/session");
    assert_eq!(request.header_values(SESSION_HEADER), ["tok-mcp-1"]);
}

#[tokio::test]
async fn mcp_create_session_tool_wraps_the_token() {
    let upstream = Upstream::vsphere("tok-mcp-2").await;
    let server = McpServer::start(upstream.client()).await;
    let auth = basic("administrator@vsphere.local", "s3cret!");

    let response = server
        .call_tool(
            "vmware-create-new-authentication-session",
            &[("authorization", &auth)],
        )
        .await;

    let result = &response["result"];
    assert_ne!(result["isError"], true, "{response}");
    assert_eq!(
        result["structuredContent"],
        json!({"result": "tok-mcp-2"}),
        "{response}"
    );
    let request = upstream.only_request();
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.header("authorization"), Some(auth));
    assert!(request.header_values(SESSION_HEADER).is_empty());
}

#[tokio::test]
async fn mcp_terminate_session_tool_succeeds_on_204() {
    let upstream = Upstream::vsphere("unused").await;
    let server = McpServer::start(upstream.client()).await;

    let response = server
        .call_tool(
            "vmware-terminate-current-session",
            &[(SESSION_HEADER, "tok-mcp-3")],
        )
        .await;

    assert_ne!(response["result"]["isError"], true, "{response}");
    let request = upstream.only_request();
    assert_eq!(request.method, Method::DELETE);
    assert_eq!(request.header_values(SESSION_HEADER), ["tok-mcp-3"]);
}

#[tokio::test]
async fn mcp_upstream_401_is_a_tool_error() {
    let upstream = Upstream::start(|_| Canned::json(401, UNAUTHENTICATED_BODY)).await;
    let server = McpServer::start(upstream.client()).await;

    let response = server
        .call_tool(
            "vmware-get-current-session-information",
            &[(SESSION_HEADER, "stale")],
        )
        .await;

    let result = &response["result"];
    assert_eq!(result["isError"], true, "{response}");
    assert_eq!(
        result["structuredContent"],
        parse(UNAUTHENTICATED_BODY.as_bytes()),
        "{response}"
    );
    assert!(
        result["content"][0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("401")),
        "{response}"
    );
    assert_eq!(
        upstream.only_request().header_values(SESSION_HEADER),
        ["stale"]
    );
}

#[tokio::test]
async fn mcp_without_credentials_is_a_tool_error_and_nothing_reaches_the_upstream() {
    let upstream = Upstream::vsphere("unused").await;
    let server = McpServer::start(upstream.client()).await;

    let response = server
        .call_tool("vmware-get-current-session-information", &[])
        .await;

    assert_eq!(response["result"]["isError"], true, "{response}");
    assert!(upstream.requests().is_empty(), "{:?}", upstream.requests());
}

#[tokio::test]
async fn mcp_unknown_tool_is_invalid_params() {
    let upstream = Upstream::vsphere("unused").await;
    let server = McpServer::start(upstream.client()).await;

    let response = server.call_tool("no-such-tool", &[]).await;

    assert_eq!(response["error"]["code"], -32602, "{response}");
    assert!(upstream.requests().is_empty());
}

#[tokio::test]
async fn mcp_foreign_origin_is_403() {
    let upstream = Upstream::vsphere("unused").await;
    let server = McpServer::start(upstream.client()).await;

    let response = server
        .post(
            LEGACY,
            &tools_list_request(),
            &[("origin", "http://evil.example")],
        )
        .await;

    assert_eq!(response.status(), reqwest::StatusCode::FORBIDDEN);

    // A local origin is accepted.
    let local = format!("http://localhost:{}", server.addr.port());
    let response = server
        .post(LEGACY, &tools_list_request(), &[("origin", &local)])
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
}

/// `_meta` every request of the 2026-07-28 era carries.
fn stateless_meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": STATELESS,
        "io.modelcontextprotocol/clientInfo": {"name": "end-to-end", "version": "0.0.0"},
        "io.modelcontextprotocol/clientCapabilities": {}
    })
}

#[tokio::test]
async fn mcp_stateless_era_discover_list_and_call() {
    let upstream = Upstream::vsphere("unused").await;
    let server = McpServer::start(upstream.client()).await;

    let discover = rpc_ok(
        server
            .post(
                STATELESS,
                &json!({
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "server/discover",
                    "params": {"_meta": stateless_meta()}
                }),
                &[("mcp-method", "server/discover")],
            )
            .await,
    )
    .await;
    let result = &discover["result"];
    assert!(
        result["supportedVersions"]
            .as_array()
            .is_some_and(|v| v.contains(&json!(STATELESS)) && v.contains(&json!(LEGACY))),
        "{discover}"
    );
    assert!(result["capabilities"]["tools"].is_object(), "{discover}");
    assert_eq!(
        result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"], "vsphere-session-mcp",
        "{discover}"
    );

    let list = rpc_ok(
        server
            .post(
                STATELESS,
                &json!({
                    "jsonrpc": "2.0",
                    "id": 2,
                    "method": "tools/list",
                    "params": {"_meta": stateless_meta()}
                }),
                &[("mcp-method", "tools/list")],
            )
            .await,
    )
    .await;
    assert_eq!(list["result"]["resultType"], "complete", "{list}");
    assert_tool_table(&list["result"]);

    let call = rpc_ok(
        server
            .post(
                STATELESS,
                &json!({
                    "jsonrpc": "2.0",
                    "id": 3,
                    "method": "tools/call",
                    "params": {
                        "name": "vmware-get-current-session-information",
                        "arguments": {},
                        "_meta": stateless_meta()
                    }
                }),
                &[
                    ("mcp-method", "tools/call"),
                    ("mcp-name", "vmware-get-current-session-information"),
                    (SESSION_HEADER, "tok-2026"),
                ],
            )
            .await,
    )
    .await;
    let result = &call["result"];
    assert_eq!(result["resultType"], "complete", "{call}");
    assert_eq!(result["isError"], false, "{call}");
    assert_eq!(
        result["structuredContent"],
        parse(SESSION_INFO.as_bytes()),
        "{call}"
    );
    assert_eq!(
        upstream.only_request().header_values(SESSION_HEADER),
        ["tok-2026"]
    );
}

// ---------------------------------------------------------------------------------------------
// The whole server: `serve_until` against the demo vCenter
// ---------------------------------------------------------------------------------------------

/// Waits until something accepts connections on `port` (the server binds on a spawned task).
async fn wait_for_listener(port: u16) {
    loop {
        if tokio::net::TcpStream::connect((std::net::Ipv4Addr::LOCALHOST, port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn serve_until_runs_the_session_lifecycle_and_shuts_down() {
    let vcenter = DemoVcenter::start().await.expect("demo vCenter");
    let rest_port = free_port();
    let mcp_port = free_port();
    let mut settings = naftiko::cli::Settings::new();
    settings.rest_port = Some(rest_port);
    settings.mcp_port = Some(mcp_port);
    settings
        .base_uris
        .insert("vsphere-session".to_owned(), vcenter.base_uri());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut server = tokio::spawn(serve_until(settings, async move {
        let _ = stopped.await;
    }));

    let generous = Duration::from_secs(30);
    tokio::time::timeout(generous, async {
        tokio::select! {
            () = async {
                wait_for_listener(rest_port).await;
                wait_for_listener(mcp_port).await;
            } => {}
            early = &mut server => panic!("serve_until stopped before serving: {early:?}"),
        }
    })
    .await
    .expect("the server listens");

    let http = http_client();
    let url = format!("http://127.0.0.1:{rest_port}/v1/session");

    let created = http
        .post(&url)
        .basic_auth("administrator@vsphere.local", Some("s3cret!"))
        .send()
        .await
        .expect("POST");
    assert_eq!(created.status(), reqwest::StatusCode::CREATED);
    let token = parse(&created.bytes().await.expect("body"));
    let token = token.as_str().expect("a bare JSON string token").to_owned();
    assert!(!token.is_empty());

    let info = http
        .get(&url)
        .header(SESSION_HEADER, &token)
        .send()
        .await
        .expect("GET");
    assert_eq!(info.status(), reqwest::StatusCode::OK);
    let info = parse(&info.bytes().await.expect("body"));
    assert_eq!(info["user"], "administrator@vsphere.local", "{info}");
    assert!(info["created_time"].is_string(), "{info}");
    assert!(info["last_accessed_time"].is_string(), "{info}");

    // The MCP listener serves the same upstream.
    let call = rpc_ok(
        mcp_post(
            &http,
            &format!("http://127.0.0.1:{mcp_port}/mcp"),
            LEGACY,
            &json!({
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {"name": "vmware-get-current-session-information", "arguments": {}}
            }),
            &[(SESSION_HEADER, &token)],
        )
        .await,
    )
    .await;
    assert_eq!(
        call["result"]["structuredContent"]["user"], "administrator@vsphere.local",
        "{call}"
    );

    let deleted = http
        .delete(&url)
        .header(SESSION_HEADER, &token)
        .send()
        .await
        .expect("DELETE");
    assert_eq!(deleted.status(), reqwest::StatusCode::NO_CONTENT);
    assert!(deleted.bytes().await.expect("body").is_empty());

    let gone = http
        .get(&url)
        .header(SESSION_HEADER, &token)
        .send()
        .await
        .expect("GET");
    assert_eq!(gone.status(), reqwest::StatusCode::UNAUTHORIZED);
    let gone = parse(&gone.bytes().await.expect("body"));
    assert_eq!(gone["error_type"], "UNAUTHENTICATED", "{gone}");

    drop(http);
    stop.send(()).expect("the server is still running");
    let result = tokio::time::timeout(generous, server)
        .await
        .expect("serve_until returns after shutdown")
        .expect("server task");
    assert!(result.is_ok(), "{result:?}");
}
