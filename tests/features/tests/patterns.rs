//! `pattern` on exposed string inputs: a value that does not match never reaches the
//! upstream (REST 400, MCP `isError`, both naming the parameter and the pattern); matching
//! values pass; the OpenAPI document and the MCP inputSchema carry the same pattern.

mod spec {
    naftiko::capability!("specs/patterns.yaml");
}

use naftiko::__private::http::Method;
use naftiko::__private::serde_json::{Value, json};
use naftiko_test_support::{McpServer, Upstream, assert_invalid_parameter, rest};
use spec::ships_api::Client;
use spec::{Clients, ships_mcp, ships_rest};

const SHIP: &str = r#"{"name":"Northern Star"}"#;

fn clients(upstream: &Upstream) -> Clients {
    Clients {
        ships_api: Client::builder()
            .base_uri(upstream.url("/api"))
            .build()
            .expect("build client"),
    }
}

fn rest_router(upstream: &Upstream) -> naftiko::__private::axum::Router {
    ships_rest::router(ships_rest::Forward::new(clients(upstream)))
}

async fn mcp(upstream: &Upstream) -> McpServer {
    McpServer::start(ships_mcp::router(
        ships_mcp::Tools::new(clients(upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await
}

#[tokio::test]
async fn rest_matching_values_reach_the_upstream() {
    let upstream = Upstream::json(SHIP).await;

    let response = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/ships/IMO9321483?flag=NO",
        &[],
        "",
    )
    .await;

    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        upstream.only_request().path,
        "/api/ships/IMO9321483?flag=NO"
    );
}

#[tokio::test]
async fn rest_values_that_do_not_match_are_400_naming_parameter_and_pattern() {
    let upstream = Upstream::json(SHIP).await;
    let cases = [
        ("/v1/ships/IMO93", "imo", "^IMO[0-9]{7}$"),
        // Anchored patterns anchor: a match inside a longer value is not enough.
        ("/v1/ships/xIMO9321483", "imo", "^IMO[0-9]{7}$"),
        ("/v1/ships/IMO9321483?flag=nor", "flag", "^[A-Z]{2}$"),
        ("/v1/ships/IMO9321483?flag=", "flag", "^[A-Z]{2}$"),
    ];

    for (uri, parameter, pattern) in cases {
        let response = rest(rest_router(&upstream), Method::GET, uri, &[], "").await;
        let body = assert_invalid_parameter(&response, parameter);
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(pattern), "{uri}: {body}");
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn rest_openapi_parameters_carry_the_patterns() {
    let doc: Value = naftiko::__private::serde_json::from_str(ships_rest::OPENAPI).unwrap();

    let parameters = &doc["paths"]["/v1/ships/{imo}"]["get"]["parameters"];

    let schema_of = |name: &str| {
        parameters
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == name))
            .map(|p| p["schema"].clone())
    };
    assert_eq!(
        schema_of("imo"),
        Some(json!({"type": "string", "pattern": "^IMO[0-9]{7}$"}))
    );
    assert_eq!(
        schema_of("flag"),
        Some(json!({"type": "string", "pattern": "^[A-Z]{2}$"}))
    );
}

#[tokio::test]
async fn mcp_input_schema_carries_the_patterns() {
    let upstream = Upstream::json(SHIP).await;
    let server = mcp(&upstream).await;

    let tool = server.tool("get-ship").await;

    assert_eq!(
        tool["inputSchema"]["properties"],
        json!({
            "imo": {"type": "string", "pattern": "^IMO[0-9]{7}$", "description": "IMO number"},
            "flag": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO country code"}
        })
    );
}

#[tokio::test]
async fn mcp_arguments_are_checked_against_their_patterns() {
    let upstream = Upstream::json(SHIP).await;
    let server = mcp(&upstream).await;

    let text = server
        .call_err("get-ship", json!({"imo": "IMO93"}), &[])
        .await;
    assert!(text.contains("`imo`"), "{text}");
    assert!(text.contains("^IMO[0-9]{7}$"), "{text}");
    let text = server
        .call_err("get-ship", json!({"imo": "IMO9321483", "flag": "no"}), &[])
        .await;
    assert!(text.contains("`flag`"), "{text}");
    upstream.assert_untouched();

    let result = server
        .call_ok("get-ship", json!({"imo": "IMO9321483"}), &[])
        .await;
    assert_eq!(result, json!({"name": "Northern Star"}));
    assert_eq!(upstream.only_request().path, "/api/ships/IMO9321483");
}
