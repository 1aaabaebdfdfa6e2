//! `GET /metrics` of the real server binary after a session lifecycle against the demo
//! vCenter: per-operation request counts (REST routes and MCP tool calls), the upstream
//! latency histogram and upstream errors by kind; moved with `--metrics-port`, gone with
//! `--no-metrics`.

use naftiko::__private::serde_json::json;
use naftiko_peers::{Server, free_port};
use naftiko_test_support::{LEGACY, http_client};

const BIN: &str = env!("CARGO_BIN_EXE_vsphere-session-server");

async fn get(url: &str) -> (u16, String) {
    let response = http_client().get(url).send().await.expect("send");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// The value of the sample line that starts with `series` (name and labels, exactly).
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no `{series}` in:\n{metrics}"))
}

#[tokio::test]
async fn a_lifecycle_shows_in_the_metrics() {
    let server = Server::start(BIN, &["--demo"]);
    let http = http_client();
    let session = format!("{}/v1/session", server.rest_url());
    let token: String = http
        .post(&session)
        .basic_auth("administrator", Some("secret"))
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("token");
    let token = token.trim_matches('"').to_owned();
    for _ in 0..2 {
        let info = http
            .get(&session)
            .header("vmware-api-session-id", &token)
            .send()
            .await
            .expect("info");
        assert_eq!(info.status(), 200);
    }
    let tool = http
        .post(server.mcp_url())
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", LEGACY)
        .header("vmware-api-session-id", &token)
        .body(
            json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                   "params": {"name": "vmware-get-current-session-information", "arguments": {}}})
            .to_string(),
        )
        .send()
        .await
        .expect("tool call");
    assert_eq!(tool.status(), 200);
    let logout = http
        .delete(&session)
        .header("vmware-api-session-id", &token)
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), 204);
    let after = http
        .get(&session)
        .header("vmware-api-session-id", &token)
        .send()
        .await
        .expect("info after logout");
    assert_eq!(after.status(), 401);

    let (status, metrics) = get(&format!("{}/metrics", server.rest_url())).await;

    assert_eq!(status, 200);
    let requests = |op: &str, status: u16| {
        sample(
            &metrics,
            &format!(
                "naftiko_requests_total{{surface=\"rest\",operation=\"{op}\",status=\"{status}\"}}"
            ),
        )
    };
    assert_eq!(requests("POST /v1/session", 201), 1.0);
    assert_eq!(requests("GET /v1/session", 200), 2.0);
    assert_eq!(requests("DELETE /v1/session", 204), 1.0);
    assert_eq!(requests("GET /v1/session", 401), 1.0);
    assert_eq!(
        sample(
            &metrics,
            "naftiko_tool_calls_total{tool=\"vmware-get-current-session-information\",outcome=\"ok\"}"
        ),
        1.0
    );
    assert_eq!(
        sample(
            &metrics,
            "naftiko_requests_total{surface=\"mcp\",operation=\"POST /mcp\",status=\"200\"}"
        ),
        1.0
    );
    // Six upstream calls (login, two infos, the tool's info, logout, the refused info); the
    // refused one is a 4xx error.
    let upstream = metrics
        .lines()
        .find(|l| l.starts_with("naftiko_upstream_request_duration_seconds_count{"))
        .unwrap_or_else(|| panic!("no upstream histogram in:\n{metrics}"));
    assert!(upstream.ends_with(" 6"), "{upstream}");
    let errors = metrics
        .lines()
        .find(|l| {
            l.starts_with("naftiko_upstream_errors_total{") && l.contains("kind=\"status_4xx\"")
        })
        .unwrap_or_else(|| panic!("no upstream error count in:\n{metrics}"));
    assert!(errors.ends_with(" 1"), "{errors}");
}

#[tokio::test]
async fn metrics_move_to_their_own_port_or_go_away() {
    let port = free_port();
    let moved = Server::start(BIN, &["--demo", "--metrics-port", &port.to_string()]);
    assert_eq!(get(&format!("{}/healthz", moved.rest_url())).await.0, 200);
    let (status, text) = get(&format!("http://127.0.0.1:{port}/metrics")).await;
    assert_eq!(status, 200);
    assert_eq!(
        sample(
            &text,
            "naftiko_requests_total{surface=\"rest\",operation=\"GET /healthz\",status=\"200\"}"
        ),
        1.0
    );
    assert_eq!(get(&format!("{}/metrics", moved.rest_url())).await.0, 404);

    let off = Server::start(BIN, &["--demo", "--no-metrics"]);
    assert_eq!(get(&format!("{}/metrics", off.rest_url())).await.0, 404);
    assert_eq!(get(&format!("{}/healthz", off.rest_url())).await.0, 200);
}
