//! Clients that misbehave, against the whole gateway (`serve_until`, real listeners) with a
//! well-behaved upstream that records what reaches it: malformed input is refused with a
//! 4xx before anything is sent upstream, and slow clients are cut off.
//! RELIABILITY.md lists each input with the test that holds it.

mod harness;

use std::time::Duration;

use harness::{
    Gateway, LEGACY, SESSION_HEADER, answer, http_client, mcp_post, raw_exchange, raw_status,
    read_to_close,
};
use naftiko::__private::http::Method;
use naftiko::__private::serde_json::json;
use naftiko::cli::Settings;
use naftiko_test_support::{Canned, Upstream};
use tokio::io::AsyncWriteExt as _;

const MAX_REQUEST_BYTES: usize = 4096;
const READ_TIMEOUT: Duration = Duration::from_millis(500);

fn small_limits(settings: &mut Settings) {
    settings.limits.max_request_bytes = MAX_REQUEST_BYTES;
    settings.limits.request_read_timeout = READ_TIMEOUT;
}

/// A vCenter answering every session call, and the gateway in front of it.
async fn setup() -> (Upstream, Gateway) {
    let upstream = Upstream::start(|r| match r.method {
        Method::GET => Canned::json(200, r#"{"user":"u"}"#),
        _ => Canned::json(201, r#""tok""#),
    })
    .await;
    let gateway = Gateway::start(&upstream.url("/api"), small_limits).await;
    (upstream, gateway)
}

fn tools_list() -> String {
    json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}).to_string()
}

/// A JSON-RPC error answer: HTTP 4xx and `error.code`.
fn assert_jsonrpc_error(answer: &harness::Answer, code: i64) {
    assert_eq!(answer.status, 400, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["error"]["code"], code, "{body}");
}

#[tokio::test]
async fn mcp_malformed_json_is_a_parse_error() {
    let (upstream, gateway) = setup().await;

    for body in [&b"{"[..], b"{\"jsonrpc\":\"2.0\",", b"not json at all", b""] {
        let answer = mcp_post(&gateway, body.to_vec()).await;
        assert_jsonrpc_error(&answer, -32700);
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn mcp_invalid_utf8_is_a_parse_error() {
    let (upstream, gateway) = setup().await;

    let answer = mcp_post(
        &gateway,
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\\xff\xfe\"}".to_vec(),
    )
    .await;
    assert_jsonrpc_error(&answer, -32700);
    upstream.assert_untouched();
}

#[tokio::test]
async fn mcp_valid_json_that_is_not_jsonrpc_is_an_invalid_request() {
    let (upstream, gateway) = setup().await;

    for body in [
        json!({"hello": "world"}),
        json!([]),
        json!(42),
        json!({"jsonrpc": "2.0", "id": 1, "method": 7}),
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": "nope"}),
    ] {
        let answer = mcp_post(&gateway, body.to_string()).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.text());
        assert_eq!(
            answer.json()["error"]["code"],
            -32600,
            "{body}: {}",
            answer.text()
        );
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn mcp_wrong_content_type_is_415_and_wrong_accept_406() {
    let (upstream, gateway) = setup().await;
    let http = http_client();

    let wrong_type = http
        .post(gateway.mcp_url())
        .header("content-type", "text/plain")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", LEGACY)
        .body(tools_list())
        .send()
        .await
        .expect("send");
    let wrong_type = answer(wrong_type).await;
    assert_eq!(wrong_type.status, 415, "{}", wrong_type.text());
    assert_eq!(wrong_type.json()["error"]["code"], -32600);

    let wrong_accept = http
        .post(gateway.mcp_url())
        .header("content-type", "application/json")
        .header("accept", "text/html")
        .header("mcp-protocol-version", LEGACY)
        .body(tools_list())
        .send()
        .await
        .expect("send");
    assert_eq!(wrong_accept.status().as_u16(), 406);
    upstream.assert_untouched();
}

#[tokio::test]
async fn oversized_bodies_are_413_on_rest_and_mcp() {
    let (upstream, gateway) = setup().await;
    let http = http_client();
    let big = vec![b' '; MAX_REQUEST_BYTES + 1];

    // With a Content-Length.
    let rest = answer(
        http.post(gateway.rest_url("/v1/session"))
            .header("authorization", "Basic dTpw")
            .body(big.clone())
            .send()
            .await
            .expect("send"),
    )
    .await;
    let message = rest.error(413, "request_too_large");
    assert!(message.contains("4096 bytes"), "{message}");
    let mcp = mcp_post(&gateway, big.clone()).await;
    mcp.error(413, "request_too_large");

    // Chunked, no length: refused once it grows past the limit.
    for (listener, path) in [(gateway.rest, "/v1/session"), (gateway.mcp, "/mcp")] {
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\naccept: application/json, text/event-stream\r\nauthorization: Basic dTpw\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n",
            MAX_REQUEST_BYTES + 1
        )
        .into_bytes();
        request.extend_from_slice(&big);
        request.extend_from_slice(b"\r\n0\r\n\r\n");
        let answer = raw_exchange(listener, &request).await;
        let text = String::from_utf8_lossy(&answer);
        assert_eq!(raw_status(&answer), Some(413), "{text}");
        assert!(text.contains("request_too_large"), "{text}");
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn cr_lf_in_a_forwarded_header_is_400_and_never_forwarded() {
    let (upstream, gateway) = setup().await;

    // A bare CR inside the value, a CR LF that would start a smuggled header, and an
    // obsolete line folding: hyper refuses each while parsing, before any handler.
    for request in [
        &b"GET /v1/session HTTP/1.1\r\nhost: 127.0.0.1\r\nvmware-api-session-id: tok\rx-injected: 1\r\n\r\n"[..],
        b"GET /v1/session HTTP/1.1\r\nhost: 127.0.0.1\r\nvmware-api-session-id: tok\r\n x-injected: 1\r\n\r\n",
        b"GET /v1/session HTTP/1.1\r\nhost: 127.0.0.1\r\nvmware-api-session-id: tok\nx\r\n\r\n",
    ] {
        let answer = raw_exchange(gateway.rest, request).await;
        assert_eq!(
            raw_status(&answer),
            Some(400),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn non_utf8_header_bytes_are_forwarded_byte_for_byte_never_reinterpreted() {
    let (upstream, gateway) = setup().await;

    let answer = raw_exchange(
        gateway.rest,
        b"GET /v1/session HTTP/1.1\r\nhost: 127.0.0.1\r\nvmware-api-session-id: tok-\xff\xfe\r\nconnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(
        raw_status(&answer),
        Some(200),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    let received = upstream.only_request();
    let sent = received
        .headers
        .get(SESSION_HEADER)
        .expect("forwarded")
        .as_bytes();
    assert_eq!(sent, b"tok-\xff\xfe");
}

#[tokio::test]
async fn unknown_routes_are_404_and_unserved_methods_405() {
    let (upstream, gateway) = setup().await;
    let http = http_client();

    for url in [
        gateway.rest_url("/v1/nope"),
        gateway.rest_url("/v1/session/%FF%FE"),
        format!("http://{}/nope", gateway.mcp),
    ] {
        let response = answer(http.get(&url).send().await.expect("send")).await;
        response.error(404, "not_found");
    }
    let put = http
        .put(gateway.rest_url("/v1/session"))
        .send()
        .await
        .expect("send");
    assert_eq!(put.status().as_u16(), 405);
    // The stateless MCP endpoint serves POST only.
    for method in [Method::GET, Method::PUT] {
        let response = http
            .request(method.clone(), gateway.mcp_url())
            .header("accept", "application/json, text/event-stream")
            .send()
            .await
            .expect("send");
        assert_eq!(response.status().as_u16(), 405, "{method}");
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn mcp_foreign_host_is_403() {
    let (upstream, gateway) = setup().await;

    let response = http_client()
        .post(gateway.mcp_url())
        .header("host", "evil.example")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", LEGACY)
        .body(tools_list())
        .send()
        .await
        .expect("send");
    let response = answer(response).await;
    assert_eq!(response.status, 403, "{}", response.text());
    assert_eq!(response.json()["error"]["code"], -32600);
    upstream.assert_untouched();
}

#[tokio::test]
async fn garbage_instead_of_http_is_400_and_closed() {
    let (upstream, gateway) = setup().await;

    for listener in [gateway.rest, gateway.mcp] {
        let answer = raw_exchange(
            listener,
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
        )
        .await;
        assert_eq!(
            raw_status(&answer),
            Some(400),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn slow_headers_get_the_connection_closed() {
    let (upstream, gateway) = setup().await;

    // Half a request head, then silence: the server must hang up by itself.
    let mut stream = tokio::net::TcpStream::connect(gateway.rest)
        .await
        .expect("connect");
    stream
        .write_all(b"GET /v1/session HTTP/1.1\r\nhost: 127.0.0.1\r\n")
        .await
        .expect("write");
    let answer = read_to_close(&mut stream).await;
    assert!(
        answer.is_empty() || raw_status(&answer) == Some(408),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    upstream.assert_untouched();
}

#[tokio::test]
async fn slow_body_is_408_and_closed() {
    let (upstream, gateway) = setup().await;

    for listener in [gateway.rest, gateway.mcp] {
        let path = if listener == gateway.rest {
            "/v1/session"
        } else {
            "/mcp"
        };
        let mut stream = tokio::net::TcpStream::connect(listener)
            .await
            .expect("connect");
        let head = format!(
            "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\naccept: application/json, text/event-stream\r\nauthorization: Basic dTpw\r\ncontent-length: 100\r\n\r\n{{\"a\":"
        );
        stream.write_all(head.as_bytes()).await.expect("write");
        let answer = read_to_close(&mut stream).await;
        assert_eq!(
            raw_status(&answer),
            Some(408),
            "{}",
            String::from_utf8_lossy(&answer)
        );
        assert!(
            String::from_utf8_lossy(&answer).contains("request_timeout"),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    upstream.assert_untouched();
}
