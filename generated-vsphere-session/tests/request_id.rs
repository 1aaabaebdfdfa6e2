//! Request tracing through the real server binary: a request's id (the caller's
//! `X-Request-Id`, or a generated one) is returned to the caller, forwarded to the upstream,
//! and on the server's log lines for that request (`--log-format json`).

use naftiko::__private::serde_json::{self, Value, json};
use naftiko_peers::Server;
use naftiko_test_support::{LEGACY, Upstream, http_client};

const SESSION: &str = r#"{"user":"administrator","created_time":"t0","last_accessed_time":"t1"}"#;

async fn server_and_upstream() -> (Server, Upstream) {
    let upstream = Upstream::json(SESSION).await;
    let server = Server::start_with_env(
        env!("CARGO_BIN_EXE_vsphere-session-server"),
        &["--base-uri", &upstream.url("/api"), "--log-format", "json"],
        &[("RUST_LOG", "info,naftiko=debug")],
    );
    (server, upstream)
}

/// The JSON log lines whose span is the request with this id.
fn logged_for(server: &Server, id: &str) -> Vec<Value> {
    server
        .log()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["span"]["id"] == id)
        .collect()
}

#[tokio::test]
async fn caller_request_id_reaches_response_upstream_and_log() {
    let (server, upstream) = server_and_upstream().await;

    let response = http_client()
        .get(format!("{}/v1/session", server.rest_url()))
        .header("x-request-id", "trace-4f2a.9")
        .header("vmware-api-session-id", "token")
        .send()
        .await
        .expect("send");

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "trace-4f2a.9");
    assert_eq!(
        upstream.only_request().header("x-request-id").as_deref(),
        Some("trace-4f2a.9")
    );
    let lines = logged_for(&server, "trace-4f2a.9");
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "request done"
                && l["fields"]["status"] == 200
                && l["span"]["path"] == "/v1/session"),
        "no log line of the request:\n{}",
        server.log()
    );
}

#[tokio::test]
async fn a_request_without_a_usable_id_gets_a_generated_one() {
    let (server, upstream) = server_and_upstream().await;

    // An id with a space could smuggle text into logs: replaced.
    let response = http_client()
        .get(format!("{}/v1/session", server.rest_url()))
        .header("x-request-id", "two words")
        .header("vmware-api-session-id", "token")
        .send()
        .await
        .expect("send");

    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 32, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    assert_eq!(
        upstream.only_request().header("x-request-id"),
        Some(id.clone())
    );
    assert!(!logged_for(&server, &id).is_empty(), "{}", server.log());
}

#[tokio::test]
async fn mcp_tool_calls_forward_the_request_id() {
    let (server, upstream) = server_and_upstream().await;

    let response = http_client()
        .post(server.mcp_url())
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", LEGACY)
        .header("x-request-id", "mcp-call-7")
        .header("vmware-api-session-id", "token")
        .body(
            json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                   "params": {"name": "vmware-get-current-session-information", "arguments": {}}})
            .to_string(),
        )
        .send()
        .await
        .expect("send");

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "mcp-call-7");
    let body: Value =
        serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON-RPC answer");
    assert_eq!(body["result"]["isError"], false, "{body}");
    assert_eq!(
        upstream.only_request().header("x-request-id").as_deref(),
        Some("mcp-call-7")
    );
}
