//! Typed exposed inputs: REST inputs in path, query, header, cookie and the JSON body (by
//! JSONPath), and MCP tool arguments, of every type (string, integer, number, boolean, array,
//! object), with `required`, feeding consumed parameters by name, `with` reference, template
//! or literal. Bad input is a 400 (REST) or `isError` (MCP) naming the parameter.

mod spec {
    naftiko::capability!("specs/inputs.yaml");
}

use naftiko::__private::http::Method;
use naftiko::__private::serde_json::{Value, json};
use naftiko_test_support::{McpServer, Upstream, assert_invalid_parameter, rest};
use spec::inputs_api::Client;
use spec::{Clients, inputs_mcp, inputs_rest};

const OK: &str = r#"{"ok":true}"#;

fn clients(upstream: &Upstream) -> Clients {
    Clients {
        inputs_api: Client::builder()
            .base_uri(upstream.url("/api"))
            .build()
            .expect("build client"),
    }
}

fn rest_router(upstream: &Upstream) -> naftiko::__private::axum::Router {
    inputs_rest::router(inputs_rest::Forward::new(clients(upstream)))
}

async fn mcp(upstream: &Upstream) -> McpServer {
    McpServer::start(inputs_mcp::router(
        inputs_mcp::Tools::new(clients(upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await
}

/// A REST body with every body input present.
fn rest_body() -> Value {
    json!({
        "s": "text \"quoted\"",
        "nested": {"i": -12},
        "n": 0.5,
        "flags": [false, true],
        "arr": ["a", 1, null],
        "obj": {"k": {"deep": [1]}},
        "items": [{"id": "x"}, {"id": 2}, {"other": 0}]
    })
}

/// What the upstream receives for [`rest_body`] (or the same MCP arguments).
fn upstream_body() -> Value {
    json!({
        "s": "text \"quoted\"",
        "i": -12,
        "n": 0.5,
        "b": true,
        "arr": ["a", 1, null],
        "obj": {"k": {"deep": [1]}},
        "ids": ["x", 2, null]
    })
}

// ---------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn rest_typed_inputs_from_every_location_reach_the_upstream() {
    let upstream = Upstream::json(OK).await;

    let response = rest(
        rest_router(&upstream),
        Method::PUT,
        "/v1/items/7?limit=10",
        &[
            ("ratio", "0.25"),
            ("cookie", "pref=true"),
            ("content-type", "application/json"),
        ],
        &rest_body().to_string(),
    )
    .await;

    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.body.as_ref(), OK.as_bytes());
    let r = upstream.only_request();
    assert_eq!(r.method, Method::PUT);
    assert_eq!(r.path, "/api/items/7?limit=10");
    assert_eq!(r.header_values("x-ratio"), ["0.25"]);
    assert_eq!(r.header_values("cookie"), ["pref=true"]);
    assert_eq!(r.header_values("content-type"), ["application/json"]);
    assert_eq!(r.body_json(), upstream_body());
}

#[tokio::test]
async fn rest_absent_optional_inputs_are_not_sent() {
    let upstream = Upstream::json(OK).await;

    let response = rest(
        rest_router(&upstream),
        Method::PUT,
        "/v1/items/7",
        &[],
        &rest_body().to_string(),
    )
    .await;

    assert_eq!(response.status, 200, "{}", response.text());
    let r = upstream.only_request();
    assert_eq!(r.path, "/api/items/7");
    assert_eq!(r.header("x-ratio"), None);
    assert_eq!(r.header("cookie"), None);
}

type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, String, &'a str, &'a str);

#[tokio::test]
async fn rest_mistyped_or_missing_inputs_are_400_naming_them() {
    let upstream = Upstream::json(OK).await;
    let body = |f: &dyn Fn(&mut Value)| {
        let mut b = rest_body();
        f(&mut b);
        b.to_string()
    };
    let good = rest_body().to_string();
    // (uri, headers, body, parameter named, phrase of the message)
    let cases: Vec<Case<'_>> = vec![
        (
            "/v1/items/seven",
            vec![],
            good.clone(),
            "id",
            "expected an integer",
        ),
        (
            "/v1/items/7?limit=1.5",
            vec![],
            good.clone(),
            "limit",
            "expected an integer",
        ),
        (
            "/v1/items/7",
            vec![("ratio", "fast")],
            good.clone(),
            "ratio",
            "expected a number",
        ),
        (
            "/v1/items/7",
            vec![("ratio", "NaN")],
            good.clone(),
            "ratio",
            "expected a number",
        ),
        (
            "/v1/items/7",
            vec![("cookie", "pref=yes")],
            good.clone(),
            "pref",
            "expected true or false",
        ),
        (
            "/v1/items/7",
            vec![],
            body(&|b| b["s"] = Value::Null),
            "s",
            "is required",
        ),
        (
            "/v1/items/7",
            vec![],
            body(&|b| b["s"] = json!(1)),
            "s",
            "expected a string",
        ),
        (
            "/v1/items/7",
            vec![],
            body(&|b| b["nested"]["i"] = json!("1")),
            "i",
            "expected an integer",
        ),
        (
            "/v1/items/7",
            vec![],
            body(&|b| b["n"] = json!("0.5")),
            "n",
            "expected a number",
        ),
        (
            "/v1/items/7",
            vec![],
            body(&|b| b["flags"] = json!([1])),
            "b",
            "expected a boolean",
        ),
        (
            "/v1/items/7",
            vec![],
            body(&|b| b["arr"] = json!({})),
            "arr",
            "expected an array",
        ),
        (
            "/v1/items/7",
            vec![],
            body(&|b| b["obj"] = json!([])),
            "obj",
            "expected an object",
        ),
        // Optional REST inputs that the upstream body needs: refused before any request.
        (
            "/v1/items/7",
            vec![],
            body(&|b| b["obj"] = Value::Null),
            "obj",
            "has no value",
        ),
        (
            "/v1/items/7",
            vec![],
            body(&|b| b["flags"] = json!([])),
            "b",
            "has no value",
        ),
    ];

    for (uri, headers, body, parameter, phrase) in cases {
        let response = rest(rest_router(&upstream), Method::PUT, uri, &headers, &body).await;
        let error = assert_invalid_parameter(&response, parameter);
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(phrase), "{parameter}: {error}");
        if phrase != "has no value" {
            // Checked against the declared inputs, the parameter is named in its own member.
            assert_eq!(error["error"]["parameter"], parameter, "{error}");
        }
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn rest_with_literals_and_templates_fill_consumed_parameters() {
    let upstream = Upstream::json(OK).await;

    let response = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/items/a%20b/page?size=5&label=L1",
        &[],
        "",
    )
    .await;

    assert_eq!(response.status, 200, "{}", response.text());
    let r = upstream.only_request();
    // `p: 2` (a number), `sz: '{{inputs-rest.size}}0'`, `exact: true` (a boolean).
    assert_eq!(r.path, "/api/items/a%20b?page=2&size=50&exact=true");
    assert_eq!(r.header_values("x-label"), ["label L1"]);

    // `label` is optional on the REST side, but its template needs it.
    let response = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/items/x/page?size=5",
        &[],
        "",
    )
    .await;
    assert_invalid_parameter(&response, "label");
    // `size` is declared required.
    let response = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/items/x/page?label=L",
        &[],
        "",
    )
    .await;
    let error = assert_invalid_parameter(&response, "size");
    assert_eq!(error["error"]["parameter"], "size");
    assert_eq!(upstream.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// MCP
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn mcp_typed_inputs_make_the_input_schema() {
    let upstream = Upstream::json(OK).await;
    let server = mcp(&upstream).await;

    let tool = server.tool("update").await;

    assert_eq!(
        tool["inputSchema"],
        json!({
            "type": "object",
            "properties": {
                "id": {"type": "integer", "description": "The item"},
                "limit": {"type": "integer"},
                "ratio": {"type": "number"},
                "pref": {"type": "boolean"},
                "s": {"type": "string"},
                "i": {"type": "integer"},
                "n": {"type": "number"},
                "b": {"type": "boolean"},
                "arr": {"type": "array", "items": {}},
                "obj": {"type": "object"},
                "ids": {"type": "array", "items": {}}
            },
            "required": ["id", "s", "i", "n", "b", "arr", "obj", "ids"]
        })
    );
    assert_eq!(tool["description"], "Every input type");
}

fn mcp_arguments() -> Value {
    json!({
        "id": 7,
        "limit": 10,
        "ratio": 0.25,
        "pref": false,
        "s": "text \"quoted\"",
        "i": -12,
        "n": 0.5,
        "b": true,
        "arr": ["a", 1, null],
        "obj": {"k": {"deep": [1]}},
        "ids": ["x", 2, null]
    })
}

#[tokio::test]
async fn mcp_typed_arguments_reach_the_upstream() {
    let upstream = Upstream::json(OK).await;
    let server = mcp(&upstream).await;

    let result = server.call_ok("update", mcp_arguments(), &[]).await;

    assert_eq!(result, json!({"ok": true}));
    let r = upstream.only_request();
    assert_eq!(r.method, Method::PUT);
    assert_eq!(r.path, "/api/items/7?limit=10");
    assert_eq!(r.header_values("x-ratio"), ["0.25"]);
    assert_eq!(r.header_values("cookie"), ["pref=false"]);
    assert_eq!(r.body_json(), upstream_body());
}

#[tokio::test]
async fn mcp_mistyped_or_missing_arguments_are_tool_errors_naming_them() {
    let upstream = Upstream::json(OK).await;
    let server = mcp(&upstream).await;
    let cases = [
        ("id", json!("7"), "expected an integer"),
        ("limit", json!(1.5), "expected an integer"),
        ("ratio", json!("0.5"), "expected a number"),
        ("pref", json!("true"), "expected a boolean"),
        ("s", Value::Null, "is required"),
        ("i", json!(true), "expected an integer"),
        ("arr", json!("a,b"), "expected an array"),
        ("obj", json!([1]), "expected an object"),
    ];

    for (name, value, phrase) in cases {
        let mut arguments = mcp_arguments();
        arguments[name] = value;
        let text = server.call_err("update", arguments, &[]).await;
        assert!(text.contains(&format!("`{name}`")), "{name}: {text}");
        assert!(text.contains(phrase), "{name}: {text}");
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn mcp_with_literals_and_templates_fill_consumed_parameters() {
    let upstream = Upstream::json(OK).await;
    let server = mcp(&upstream).await;

    server
        .call_ok("page", json!({"id": "i-1", "size": 2.5, "label": "L"}), &[])
        .await;
    let r = upstream.only_request();
    assert_eq!(r.path, "/api/items/i-1?page=3&size=2.5&exact=false");
    assert_eq!(r.header_values("x-label"), ["label mcp-L"]);

    // The optional `label` feeds a template that needs it.
    let text = server
        .call_err("page", json!({"id": "i-1", "size": 1}), &[])
        .await;
    assert!(text.contains("`label`"), "{text}");
    assert_eq!(upstream.requests().len(), 1);
}

/// Hostile bodies (RELIABILITY.md): malformed JSON (a lone surrogate escape included) is a 400 naming `body`,
/// nothing sent; the content type is not what decides: a JSON body labelled `text/plain` is
/// read as JSON, a non-JSON body labelled `application/json` is refused.
#[tokio::test]
async fn rest_body_that_is_not_json_is_400_whatever_its_content_type() {
    let upstream = Upstream::json(OK).await;
    for (content_type, body) in [
        ("application/json", "{\"s\": "),
        ("application/json", "s=1&n=2"),
        ("text/plain", "not json"),
        ("application/json", "{\"s\": \"\\ud800\"}"),
    ] {
        let response = rest(
            rest_router(&upstream),
            Method::PUT,
            "/v1/items/7",
            &[("content-type", content_type)],
            body,
        )
        .await;
        let error = assert_invalid_parameter(&response, "body");
        assert!(
            error["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("not JSON")),
            "{error}"
        );
    }
    upstream.assert_untouched();

    let response = rest(
        rest_router(&upstream),
        Method::PUT,
        "/v1/items/7",
        &[("content-type", "text/plain")],
        &rest_body().to_string(),
    )
    .await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text());
    assert_eq!(upstream.only_request().body_json(), upstream_body());
}
