//! Output mappings compiled to Rust: root, member chains, bracket members, indexes (negative
//! too), wildcards over arrays and objects, nested `properties`, `items` (a shape or a list of
//! members), `const`, several named outputs (an object), several unnamed ones (the first
//! non-null), consumed outputs in the typed client, and mock `value` outputs with `{{input}}`
//! templates that need no upstream. Through the client, the REST router and the MCP tools.

mod spec {
    naftiko::capability!("specs/outputs.yaml");
}

use naftiko::__private::http::{Method, StatusCode};
use naftiko::__private::serde_json::{Value, json};
use naftiko::{CallOptions, ClientError};
use naftiko_test_support::{Canned, McpServer, Upstream, parse, rest};
use spec::outputs_api::Client;
use spec::{Clients, outputs_mcp, outputs_rest};

/// The upstream document, with odd spacing so a re-serialization would show.
const DOC: &str = r#"{ "data": {
  "ship": {"name": "Ever Given", "imo": 9811000, "flag": "PA"},
  "a b": {"c": 1},
  "items": [
    {"id": 1, "name": "first", "tags": ["x"]},
    {"id": 2, "name": "second", "tags": []},
    {"id": 3, "name": "third"}
  ],
  "map": {"k1": {"v": 1}, "k2": {"v": 2}},
  "nothing": null
} }"#;

fn client(upstream: &Upstream) -> Client {
    Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client")
}

fn clients(upstream: &Upstream) -> Clients {
    Clients {
        outputs_api: client(upstream),
    }
}

/// (REST path, the mapped result) for every exposed REST operation that calls the upstream.
fn rest_cases() -> Vec<(&'static str, Value)> {
    vec![
        ("/v1/member-chain", json!("Ever Given")),
        ("/v1/bracket", json!(1)),
        ("/v1/index", json!("second")),
        ("/v1/negative-index", json!(3)),
        ("/v1/wildcard", json!([1, 2, 3])),
        ("/v1/object-wildcard", json!([1, 2])),
        (
            "/v1/nested-object",
            json!({
                "title": "Ever Given",
                "number": 9811000,
                "registry": {"flag": "PA", "kind": "container"},
                "missing": null
            }),
        ),
        (
            "/v1/array-items",
            json!([
                {"id": 1, "label": "first", "firstTag": "x"},
                {"id": 2, "label": "second", "firstTag": null},
                {"id": 3, "label": "third", "firstTag": null}
            ]),
        ),
        (
            "/v1/array-members",
            json!([
                {"id": 1, "name": "first"},
                {"id": 2, "name": "second"},
                {"id": 3, "name": "third"}
            ]),
        ),
        ("/v1/const", json!({"version": 2, "stable": true})),
        (
            "/v1/named",
            json!({"shipName": "Ever Given", "lastId": 3, "source": "recorded"}),
        ),
        ("/v1/first-of", json!("PA")),
    ]
}

// ---------------------------------------------------------------------------------------------
// Client: consumed outputs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_applies_the_consumed_output_mapping() {
    let upstream = Upstream::json(DOC).await;
    let c = client(&upstream);
    let call = CallOptions::new();

    assert_eq!(c.doc(&call).await.expect("doc"), parse(DOC.as_bytes()));
    assert_eq!(
        c.doc_first(&call).await.expect("doc_first"),
        json!({"id": 1, "name": "first", "tags": ["x"]})
    );
    assert_eq!(c.doc_last_id(&call).await.expect("doc_last_id"), json!(3));
    assert_eq!(
        c.doc_names(&call).await.expect("doc_names"),
        json!(["first", "second", "third"])
    );
    assert_eq!(
        c.doc_spaced(&call).await.expect("doc_spaced"),
        json!({"c": 1})
    );
    // The raw variant is the upstream's bytes.
    assert_eq!(
        c.doc_first_raw(&call).await.expect("raw").body.as_ref(),
        DOC.as_bytes()
    );
    let requests = upstream.requests();
    assert_eq!(requests.len(), 6);
    assert!(
        requests
            .iter()
            .all(|r| r.method == Method::GET && r.path == "/doc")
    );
}

#[tokio::test]
async fn client_mapped_call_reports_error_statuses_and_non_json() {
    let upstream = Upstream::start(|_| Canned::json(404, r#"{"error":"gone"}"#)).await;
    match client(&upstream).doc_first(&CallOptions::new()).await {
        Err(ClientError::Status { status, body }) => {
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_eq!(body.as_ref(), br#"{"error":"gone"}"#);
        }
        other => panic!("expected Status, got {other:?}"),
    }

    let upstream = Upstream::start(|_| Canned::text(200, "text/plain", "oops")).await;
    assert!(matches!(
        client(&upstream).doc_first(&CallOptions::new()).await,
        Err(ClientError::Decode(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// REST: exposed outputs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn rest_without_mapping_or_with_root_mapping_passes_the_bytes_through() {
    let upstream = Upstream::json(DOC).await;
    let router = outputs_rest::router(outputs_rest::Forward::new(clients(&upstream)));

    for path in ["/v1/none", "/v1/root"] {
        let response = rest(router.clone(), Method::GET, path, &[], "").await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.body.as_ref(),
            DOC.as_bytes(),
            "{path}: byte for byte"
        );
        assert_eq!(response.content_type(), Some("application/json"));
    }
}

#[tokio::test]
async fn rest_applies_every_output_mapping_construct() {
    let upstream = Upstream::json(DOC).await;
    let router = outputs_rest::router(outputs_rest::Forward::new(clients(&upstream)));

    for (path, expected) in rest_cases() {
        let response = rest(router.clone(), Method::GET, path, &[], "").await;
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert_eq!(response.content_type(), Some("application/json"), "{path}");
        assert_eq!(response.json(), expected, "{path}");
    }
    assert_eq!(upstream.requests().len(), rest_cases().len());
}

#[tokio::test]
async fn rest_mapped_operation_passes_error_statuses_through_and_refuses_non_json() {
    let upstream = Upstream::start(|_| Canned::json(404, r#"{"error":"gone"}"#)).await;
    let router = outputs_rest::router(outputs_rest::Forward::new(clients(&upstream)));
    let response = rest(router, Method::GET, "/v1/nested-object", &[], "").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.body.as_ref(), br#"{"error":"gone"}"#);

    let upstream = Upstream::start(|_| Canned::text(200, "text/plain", "oops")).await;
    let router = outputs_rest::router(outputs_rest::Forward::new(clients(&upstream)));
    let response = rest(router, Method::GET, "/v1/nested-object", &[], "").await;
    assert_eq!(response.status, StatusCode::BAD_GATEWAY);
    assert_eq!(response.json()["error"]["kind"], "upstream_invalid");
}

#[tokio::test]
async fn rest_mock_operation_answers_from_its_outputs_without_an_upstream() {
    let upstream = Upstream::json(DOC).await;
    let router = outputs_rest::router(outputs_rest::Forward::new(clients(&upstream)));

    let response = rest(
        router.clone(),
        Method::GET,
        "/v1/mock/IMO%209811000?kind=tanker",
        &[],
        "",
    )
    .await;

    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.json(),
        json!({
            "imo": "IMO 9811000",
            "status": "active",
            "label": "Ship IMO 9811000 (tanker)",
            "size": 400
        })
    );
    let missing = rest(router, Method::GET, "/v1/mock/1", &[], "").await;
    naftiko_test_support::assert_invalid_parameter(&missing, "kind");
    upstream.assert_untouched();
}

// ---------------------------------------------------------------------------------------------
// MCP
// ---------------------------------------------------------------------------------------------

async fn mcp(upstream: &Upstream) -> McpServer {
    McpServer::start(outputs_mcp::router(
        outputs_mcp::Tools::new(clients(upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await
}

#[tokio::test]
async fn mcp_structured_content_is_the_mapped_result() {
    let upstream = Upstream::json(DOC).await;
    let server = mcp(&upstream).await;

    let cases = [
        ("none", parse(DOC.as_bytes())),
        // Non-objects are wrapped as `result`.
        ("member-chain", json!({"result": "Ever Given"})),
        (
            "nested-object",
            json!({"title": "Ever Given", "registry": {"flag": "PA"}}),
        ),
        // `doc-names` names its own output `names`, but the tool maps the body itself: the
        // ids are not names, and the wrapper says `result`.
        (
            "array-items",
            json!({"result": [{"id": 1}, {"id": 2}, {"id": 3}]}),
        ),
        ("named", json!({"shipName": "Ever Given", "ids": [1, 2, 3]})),
    ];

    for (tool, expected) in cases {
        assert_eq!(
            server.call_ok(tool, json!({}), &[]).await,
            expected,
            "{tool}"
        );
    }
    assert_eq!(upstream.requests().len(), 5);
}

#[tokio::test]
async fn mcp_mock_tool_answers_from_its_outputs_without_an_upstream() {
    let upstream = Upstream::json(DOC).await;
    let server = mcp(&upstream).await;

    let result = server.call_ok("mock", json!({"imo": "9811000"}), &[]).await;

    assert_eq!(result, json!({"greeting": "Hello 9811000", "fixed": 7}));
    let text = server.call_err("mock", json!({}), &[]).await;
    assert!(text.contains("`imo`"), "{text}");
    upstream.assert_untouched();
}

#[tokio::test]
async fn mcp_upstream_error_status_and_non_json_are_tool_errors() {
    let upstream = Upstream::start(|_| Canned::json(503, r#"{"error":"busy"}"#)).await;
    let server = mcp(&upstream).await;
    let answer = server.call_tool_rpc("nested-object", json!({}), &[]).await;
    let result = &answer["result"];
    assert_eq!(result["isError"], true, "{answer}");
    assert!(
        result["content"][0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("503") && t.contains("busy")),
        "{answer}"
    );
    assert_eq!(result["structuredContent"], json!({"error": "busy"}));

    let upstream = Upstream::start(|_| Canned::text(200, "text/plain", "oops")).await;
    let server = mcp(&upstream).await;
    let text = server.call_err("member-chain", json!({}), &[]).await;
    assert!(text.contains("not understood"), "{text}");
}
