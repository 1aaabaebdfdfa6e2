//! Upstreams that misbehave on purpose, behind the whole gateway (`serve_until`, real
//! listeners): each fault is a clear status and JSON error on REST and a tool error on MCP,
//! and nothing hangs (every wait is bounded by `GENEROUS`; the gateway's own limits are short).
//! RELIABILITY.md lists each fault with the test that holds it.

mod harness;

use std::time::Duration;

use harness::{FaultyUpstream, Gateway, mcp_tool_error, read_head, refused_addr, rest_get};
use naftiko::cli::Settings;
use tokio::io::AsyncWriteExt as _;

/// Short enough that the slow cases end quickly, long enough for a loaded CI machine.
const UPSTREAM_TIMEOUT: Duration = Duration::from_millis(500);
const MAX_RESPONSE_BYTES: usize = 1024;

fn short_limits(settings: &mut Settings) {
    settings.timeout = UPSTREAM_TIMEOUT;
    settings.max_response_bytes = MAX_RESPONSE_BYTES;
}

async fn gateway(base_uri: &str) -> Gateway {
    Gateway::start(base_uri, short_limits).await
}

#[tokio::test]
async fn connection_refused_is_502_upstream_unreachable() {
    let gateway = gateway(&format!("http://{}/api", refused_addr())).await;

    let message = rest_get(&gateway).await.error(502, "upstream_unreachable");
    assert!(message.contains("upstream unreachable"), "{message}");
    let text = mcp_tool_error(&gateway).await;
    assert!(text.contains("upstream unreachable"), "{text}");
}

#[tokio::test]
async fn reset_mid_body_is_502_upstream_failed() {
    // Promises 200 bytes, sends 9, then resets the connection.
    let upstream = FaultyUpstream::start(|mut stream| async move {
        read_head(&mut stream).await;
        let _ = stream
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{\"user\":",
            )
            .await;
        let _ = stream.set_zero_linger();
    })
    .await;
    let gateway = gateway(&upstream.base_uri()).await;

    let message = rest_get(&gateway).await.error(502, "upstream_failed");
    assert!(message.contains("upstream connection failed"), "{message}");
    let text = mcp_tool_error(&gateway).await;
    assert!(text.contains("upstream connection failed"), "{text}");
    assert_eq!(upstream.connections(), 2);
}

#[tokio::test]
async fn slow_headers_are_504_upstream_timeout() {
    // Reads the request, never answers (until the test ends).
    let upstream = FaultyUpstream::start(|mut stream| async move {
        read_head(&mut stream).await;
        tokio::time::sleep(harness::GENEROUS).await;
        drop(stream);
    })
    .await;
    let gateway = gateway(&upstream.base_uri()).await;

    rest_get(&gateway).await.error(504, "upstream_timeout");
    let text = mcp_tool_error(&gateway).await;
    assert!(text.contains("upstream timed out"), "{text}");
}

#[tokio::test]
async fn slow_body_is_504_upstream_timeout() {
    // Headers at once, then a few body bytes, then nothing.
    let upstream = FaultyUpstream::start(|mut stream| async move {
        read_head(&mut stream).await;
        let _ = stream
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"us",
            )
            .await;
        tokio::time::sleep(harness::GENEROUS).await;
        drop(stream);
    })
    .await;
    let gateway = gateway(&upstream.base_uri()).await;

    rest_get(&gateway).await.error(504, "upstream_timeout");
    let text = mcp_tool_error(&gateway).await;
    assert!(text.contains("upstream timed out"), "{text}");
}

#[tokio::test]
async fn upstream_5xx_passes_through_with_its_body() {
    const BODY: &str = r#"{"error_type":"SERVICE_UNAVAILABLE","messages":[]}"#;
    let upstream = FaultyUpstream::answering(
        b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: 50\r\nconnection: close\r\n\r\n{\"error_type\":\"SERVICE_UNAVAILABLE\",\"messages\":[]}",
    )
    .await;
    let gateway = gateway(&upstream.base_uri()).await;

    let answer = rest_get(&gateway).await;
    assert_eq!(answer.status, 503, "{}", answer.text());
    assert_eq!(answer.text(), BODY);
    let text = mcp_tool_error(&gateway).await;
    assert!(
        text.contains("503") && text.contains("SERVICE_UNAVAILABLE"),
        "{text}"
    );
}

#[tokio::test]
async fn upstream_500_without_a_body_gets_a_json_error() {
    let upstream = FaultyUpstream::answering(
        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
    )
    .await;
    let gateway = gateway(&upstream.base_uri()).await;

    let message = rest_get(&gateway).await.error(500, "upstream_status");
    assert!(message.contains("500"), "{message}");
    let text = mcp_tool_error(&gateway).await;
    assert!(text.contains("500"), "{text}");
}

#[tokio::test]
async fn non_json_body_passes_through_on_rest_and_is_a_tool_error_on_mcp() {
    // The REST operations of this spec pass the upstream's answer through untouched (its
    // content type included); MCP must decode JSON to build structuredContent.
    let upstream = FaultyUpstream::answering(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 15\r\nconnection: close\r\n\r\n<html>hi</html>",
    )
    .await;
    let gateway = gateway(&upstream.base_uri()).await;

    let answer = rest_get(&gateway).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type.as_deref(), Some("text/html"));
    assert_eq!(answer.text(), "<html>hi</html>");
    let text = mcp_tool_error(&gateway).await;
    assert!(text.contains("upstream body not understood"), "{text}");
}

#[tokio::test]
async fn body_over_the_size_limit_is_502_naming_the_limit() {
    // Declared: refused from its Content-Length, before reading it.
    let declared = FaultyUpstream::start(|mut stream| async move {
        read_head(&mut stream).await;
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4096\r\nconnection: close\r\n\r\n";
        let _ = stream.write_all(head).await;
        let _ = stream.write_all(&[b' '; 4096]).await;
    })
    .await;
    // Chunked, no length: refused once it grows past the limit; the rest is never read.
    let chunked = FaultyUpstream::start(|mut stream| async move {
        read_head(&mut stream).await;
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = stream.write_all(head).await;
        for _ in 0..64 {
            if stream.write_all(b"100\r\n").await.is_err()
                || stream.write_all(&[b' '; 256]).await.is_err()
                || stream.write_all(b"\r\n").await.is_err()
            {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    })
    .await;

    for upstream in [declared, chunked] {
        let gateway = gateway(&upstream.base_uri()).await;
        let message = rest_get(&gateway).await.error(502, "upstream_too_large");
        assert!(message.contains("1024 bytes"), "{message}");
        let text = mcp_tool_error(&gateway).await;
        assert!(text.contains("over the limit of 1024 bytes"), "{text}");
    }
}

#[tokio::test]
async fn redirect_loop_is_502_upstream_failed() {
    let upstream = FaultyUpstream::answering(
        b"HTTP/1.1 302 Found\r\nlocation: /api/session\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
    )
    .await;
    let gateway = gateway(&upstream.base_uri()).await;

    let message = rest_get(&gateway).await.error(502, "upstream_failed");
    assert!(message.contains("redirect"), "{message}");
    let text = mcp_tool_error(&gateway).await;
    assert!(text.contains("redirect"), "{text}");
    // The first request and five redirects, per call; then the gateway gives up.
    assert_eq!(upstream.connections(), 12);
}

#[tokio::test]
async fn plain_http_where_tls_is_expected_is_502_naming_tls() {
    // An https base URI on a server that answers in clear text: the TLS handshake fails.
    let upstream = FaultyUpstream::start(|mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await;
    })
    .await;
    let gateway = gateway(&format!("https://{}/api", upstream.addr)).await;

    let message = rest_get(&gateway).await.error(502, "upstream_unreachable");
    assert!(
        message.to_ascii_lowercase().contains("tls") || message.contains("corrupt"),
        "{message}"
    );
    let text = mcp_tool_error(&gateway).await;
    assert!(text.contains("upstream unreachable"), "{text}");
}

#[tokio::test]
async fn garbage_instead_of_http_is_502_upstream_failed() {
    let upstream = FaultyUpstream::answering(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
    let gateway = gateway(&upstream.base_uri()).await;

    rest_get(&gateway).await.error(502, "upstream_failed");
    let text = mcp_tool_error(&gateway).await;
    assert!(text.contains("upstream connection failed"), "{text}");
}

#[tokio::test]
async fn after_upstream_failures_the_gateway_serves_and_shuts_down_cleanly() {
    let gateway = gateway(&format!("http://{}/api", refused_addr())).await;
    rest_get(&gateway).await.error(502, "upstream_unreachable");
    mcp_tool_error(&gateway).await;
    let health = harness::http_client()
        .get(gateway.rest_url("/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status().as_u16(), 200);
    gateway.stop().await.expect("a clean shutdown");
}
