//! Every request body kind — JSON text template, typed JSON, text, xml, sparql, raw,
//! formUrlEncoded, the corpus's `form`, a whole-body parameter and `in: body` members — through
//! the typed client, the REST router (inputs read from the JSON request body by JSONPath) and
//! the MCP tools. The recording upstream shows the method, content type and body bytes.

mod spec {
    naftiko::capability!("specs/bodies.yaml");
}

use naftiko::__private::http::Method;
use naftiko::__private::serde_json::{Value, json};
use naftiko::{CallOptions, ClientError};
use naftiko_test_support::{McpServer, Recorded, Upstream, assert_invalid_parameter, parse, rest};
use spec::bodies_api::{self as api, Client};
use spec::{Clients, bodies_mcp, bodies_rest};

const NAME: &str = "Ever Given é";
const OK: &str = r#"{"ok":true}"#;

fn client(upstream: &Upstream) -> Client {
    Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client")
}

fn clients(upstream: &Upstream) -> Clients {
    Clients {
        bodies_api: client(upstream),
    }
}

fn rest_router(upstream: &Upstream) -> naftiko::__private::axum::Router {
    bodies_rest::router(bodies_rest::Forward::new(clients(upstream)))
}

/// (label, method, content type, body) of each operation, in spec order, for `NAME`, count 3,
/// tags `["a","b"]` and the whole body `{"a":[1,2]}`.
fn expected() -> Vec<(&'static str, Method, &'static str, String)> {
    let json = "application/json";
    let text = "text/plain; charset=utf-8";
    let form = "application/x-www-form-urlencoded";
    vec![
        (
            "json-text",
            Method::POST,
            json,
            format!(r#"{{"name": "{NAME}", "count": 3, "tags": ["a","b"]}}"#),
        ),
        (
            "json-typed",
            Method::POST,
            json,
            // serde_json writes object members sorted.
            format!(
                r#"{{"fixed":42,"flags":[true,null],"list":[1,"{NAME}"],"ship":{{"label":"IMO 3","name":"{NAME}"}}}}"#
            ),
        ),
        ("text", Method::POST, text, format!("Hello {NAME}!")),
        ("text-template", Method::POST, text, format!("plain {NAME}")),
        (
            "xml",
            Method::POST,
            "application/xml",
            format!("<ship><name>{NAME}</name></ship>"),
        ),
        (
            "sparql",
            Method::POST,
            "application/sparql-query",
            format!(r#"SELECT ?s WHERE {{ ?s ?p "{NAME}" }}"#),
        ),
        (
            "raw",
            Method::PUT,
            "application/octet-stream",
            format!("RAW:{NAME}"),
        ),
        (
            "form-url-encoded",
            Method::POST,
            form,
            "count=3&kind=tanker&name=Ever+Given+%C3%A9".to_owned(),
        ),
        (
            "form",
            Method::POST,
            form,
            "name=Ever+Given+%C3%A9".to_owned(),
        ),
        (
            "whole-body",
            Method::PATCH,
            json,
            r#"{"a":[1,2]}"#.to_owned(),
        ),
        (
            "body-members",
            Method::POST,
            json,
            format!(r#"{{"name":"{NAME}","note":"about {NAME}"}}"#),
        ),
    ]
}

fn assert_bodies(requests: &[Recorded]) {
    let expected = expected();
    assert_eq!(requests.len(), expected.len(), "{requests:?}");
    for (r, (label, method, content_type, body)) in requests.iter().zip(expected) {
        assert_eq!(r.method, method, "{label}");
        assert_eq!(r.path, "/echo", "{label}");
        assert_eq!(
            r.header_values("content-type"),
            [content_type],
            "{label}: content type"
        );
        assert_eq!(r.body_text(), body, "{label}: body bytes");
    }
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_sends_every_body_kind() {
    let upstream = Upstream::json(OK).await;
    let c = client(&upstream);
    let call = CallOptions::new();
    let name = || Some(NAME.to_owned());

    let answers = [
        c.json_text(
            &api::JsonTextParams {
                name: name(),
                count: Some("3".into()),
                tags: Some(r#"["a","b"]"#.into()),
            },
            &call,
        )
        .await,
        c.json_typed(
            &api::JsonTypedParams {
                name: name(),
                count: Some("3".into()),
            },
            &call,
        )
        .await,
        c.text(&api::TextParams { name: name() }, &call).await,
        c.text_template(&api::TextTemplateParams { name: name() }, &call)
            .await,
        c.xml(&api::XmlParams { name: name() }, &call).await,
        c.sparql(&api::SparqlParams { name: name() }, &call).await,
        c.raw(&api::RawParams { name: name() }, &call).await,
        c.form_url_encoded(&api::FormUrlEncodedParams { name: name() }, &call)
            .await,
        c.form(&api::FormParams { name: name() }, &call).await,
        c.whole_body(
            &api::WholeBodyParams {
                body: Some(r#"{"a":[1,2]}"#.into()),
            },
            &call,
        )
        .await,
        c.body_members(&api::BodyMembersParams { name: name() }, &call)
            .await,
    ];

    for answer in answers {
        assert_eq!(answer.expect("call"), json!({"ok": true}));
    }
    assert_bodies(&upstream.requests());
}

#[tokio::test]
async fn client_json_text_escapes_values_in_strings_and_keeps_json_values_outside() {
    let upstream = Upstream::json(OK).await;
    let c = client(&upstream);
    let tricky = "say \"hi\"\\ \n\t</script>";

    for (count, tags, count_sent, tags_sent) in [
        // A value that is JSON goes in as that value...
        ("3", r#"{"x": [1]}"#, json!(3), json!({"x": [1]})),
        // ...anything else as a JSON string: no member can be smuggled in.
        (
            r#"1, "admin": true"#,
            "a]",
            json!(r#"1, "admin": true"#),
            json!("a]"),
        ),
    ] {
        upstream.clear();
        c.json_text(
            &api::JsonTextParams {
                name: Some(tricky.into()),
                count: Some(count.into()),
                tags: Some(tags.into()),
            },
            &CallOptions::new(),
        )
        .await
        .expect("json_text");
        let sent = upstream.only_request().body_json();
        assert_eq!(
            sent,
            json!({"name": tricky, "count": count_sent, "tags": tags_sent})
        );
    }
}

#[tokio::test]
async fn client_whole_body_that_is_not_json_is_sent_as_a_json_string() {
    let upstream = Upstream::json(OK).await;

    client(&upstream)
        .whole_body(
            &api::WholeBodyParams {
                body: Some("plain \"words\"".into()),
            },
            &CallOptions::new(),
        )
        .await
        .expect("whole_body");

    let r = upstream.only_request();
    assert_eq!(r.body_text(), r#""plain \"words\"""#);
    assert_eq!(r.header_values("content-type"), ["application/json"]);
}

#[tokio::test]
async fn client_body_parameters_are_required() {
    let upstream = Upstream::json(OK).await;
    let c = client(&upstream);
    let call = CallOptions::new();

    let results = [
        (
            "tags",
            c.json_text(
                &api::JsonTextParams {
                    name: Some("n".into()),
                    count: Some("1".into()),
                    tags: None,
                },
                &call,
            )
            .await,
        ),
        (
            "count",
            c.json_typed(
                &api::JsonTypedParams {
                    name: Some("n".into()),
                    count: None,
                },
                &call,
            )
            .await,
        ),
        ("name", c.xml(&api::XmlParams::default(), &call).await),
        (
            "name",
            c.form_url_encoded(&api::FormUrlEncodedParams::default(), &call)
                .await,
        ),
        (
            "body",
            c.whole_body(&api::WholeBodyParams::default(), &call).await,
        ),
        (
            "name",
            c.body_members(&api::BodyMembersParams::default(), &call)
                .await,
        ),
    ];

    for (expected, result) in results {
        match result {
            Err(ClientError::MissingParameter { name }) => assert_eq!(name, expected),
            other => panic!("{expected}: expected MissingParameter, got {other:?}"),
        }
    }
    upstream.assert_untouched();
}

// ---------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn rest_sends_every_body_kind_from_json_request_body_inputs() {
    let upstream = Upstream::json(OK).await;
    let simple = json!({"name": NAME}).to_string();
    let calls: Vec<(Method, &str, String)> = vec![
        (
            Method::POST,
            "/v1/json-text",
            json!({"ship": {"name": NAME}, "count": 3, "tags": ["a", "b"]}).to_string(),
        ),
        (
            Method::POST,
            "/v1/json-typed",
            json!({"name": NAME, "count": 3}).to_string(),
        ),
        (Method::POST, "/v1/text", simple.clone()),
        (Method::POST, "/v1/text-template", simple.clone()),
        (Method::POST, "/v1/xml", simple.clone()),
        (Method::POST, "/v1/sparql", simple.clone()),
        (Method::PUT, "/v1/raw", simple.clone()),
        (Method::POST, "/v1/form-url-encoded", simple.clone()),
        (Method::POST, "/v1/form", simple.clone()),
        (
            Method::PATCH,
            "/v1/whole-body",
            r#"{"a": [1, 2]}"#.to_owned(),
        ),
        (Method::POST, "/v1/body-members", simple.clone()),
    ];

    for (method, uri, body) in calls {
        let response = rest(
            rest_router(&upstream),
            method,
            uri,
            &[("content-type", "application/json")],
            &body,
        )
        .await;
        assert_eq!(response.status, 200, "{uri}: {}", response.text());
        assert_eq!(response.body.as_ref(), OK.as_bytes(), "{uri}");
    }
    assert_bodies(&upstream.requests());
}

#[tokio::test]
async fn rest_bad_body_inputs_are_400_naming_the_parameter() {
    let upstream = Upstream::json(OK).await;
    let cases = [
        // Wrong types at the JSONPath.
        (
            "/v1/json-text",
            r#"{"ship": {"name": 5}, "count": 1, "tags": []}"#,
            "name",
        ),
        (
            "/v1/json-text",
            r#"{"ship": {"name": "n"}, "count": 1.5, "tags": []}"#,
            "count",
        ),
        (
            "/v1/json-text",
            r#"{"ship": {"name": "n"}, "count": 1, "tags": {}}"#,
            "tags",
        ),
        // Absent, where the upstream body needs it.
        (
            "/v1/json-text",
            r#"{"ship": {"name": "n"}, "count": 1}"#,
            "tags",
        ),
        ("/v1/xml", "{}", "name"),
        // Not JSON at all.
        ("/v1/xml", "name=x", "body"),
    ];

    for (uri, body, parameter) in cases {
        let response = rest(rest_router(&upstream), Method::POST, uri, &[], body).await;
        assert_invalid_parameter(&response, parameter);
    }
    let response = rest(
        rest_router(&upstream),
        Method::PATCH,
        "/v1/whole-body",
        &[],
        "",
    )
    .await;
    assert_invalid_parameter(&response, "body");
    upstream.assert_untouched();
}

// ---------------------------------------------------------------------------------------------
// MCP
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn mcp_tools_send_every_body_kind() {
    let upstream = Upstream::json(OK).await;
    let server = McpServer::start(bodies_mcp::router(
        bodies_mcp::Tools::new(clients(&upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await;
    let simple = json!({"name": NAME});
    let calls: Vec<(&str, Value)> = vec![
        (
            "json-text",
            json!({"name": NAME, "count": 3, "tags": ["a", "b"]}),
        ),
        ("json-typed", json!({"name": NAME, "count": 3})),
        ("text", simple.clone()),
        ("text-template", simple.clone()),
        ("xml", simple.clone()),
        ("sparql", simple.clone()),
        ("raw", simple.clone()),
        ("form-url-encoded", simple.clone()),
        ("form", simple.clone()),
        ("whole-body", json!({"body": {"a": [1, 2]}})),
        ("body-members", simple.clone()),
    ];

    for (tool, arguments) in calls {
        let result = server.call_ok(tool, arguments, &[]).await;
        assert_eq!(result, parse(OK.as_bytes()), "{tool}");
    }
    assert_bodies(&upstream.requests());

    let text = server
        .call_err("whole-body", json!({"body": "not an object"}), &[])
        .await;
    assert!(
        text.contains("`body`") && text.contains("expected an object"),
        "{text}"
    );
}
