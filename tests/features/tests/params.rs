//! Consumed parameters in every location (path, query, header, cookie) and at every level
//! (consumes, resource, operation), with `value` templates and pass-through, through the typed
//! client, the REST router and the MCP tools. The recording upstream shows what was sent.

mod spec {
    naftiko::capability!("specs/params.yaml");
}

use naftiko::__private::http::Method;
use naftiko::__private::serde_json::{Value, json};
use naftiko::{CallOptions, ClientError};
use naftiko_test_support::{McpServer, Recorded, Upstream, assert_invalid_parameter, rest};
use spec::params_api::{Client, GetShipParams};
use spec::{Clients, params_mcp, params_rest};

const SHIP: &str = r#"{"imo":"9811000","name":"Ever Given"}"#;

fn client(upstream: &Upstream) -> Client {
    Client::builder()
        .base_uri(upstream.url("/base"))
        .build()
        .expect("build client")
}

fn clients(upstream: &Upstream) -> Clients {
    Clients {
        params_api: client(upstream),
    }
}

fn rest_router(upstream: &Upstream) -> naftiko::__private::axum::Router {
    params_rest::router(params_rest::Forward::new(clients(upstream)))
}

async fn mcp(upstream: &Upstream) -> McpServer {
    McpServer::start(params_mcp::router(
        params_mcp::Tools::new(clients(upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await
}

/// Every parameter given.
fn full() -> GetShipParams {
    GetShipParams {
        fleet: Some("north sea".into()),
        imo: Some("IMO/9811000".into()),
        fields: Some("name,flag".into()),
        ship_name: Some("Ever Given".into()),
        x_trace: Some("t-1".into()),
        request_id: Some("42".into()),
        session: Some("s;1".into()),
        locale: Some("en-GB".into()),
    }
}

/// Only the required parameters.
fn required_only() -> GetShipParams {
    GetShipParams {
        fleet: Some("north".into()),
        imo: Some("9811000".into()),
        ship_name: Some("Ever Given".into()),
        request_id: Some("7".into()),
        locale: Some("nl".into()),
        ..GetShipParams::default()
    }
}

/// What every `get-ship` request carries whatever the parameters: the consumes-level header.
fn assert_common(r: &Recorded) {
    assert_eq!(r.method, Method::GET);
    assert_eq!(r.header_values("x-tenant"), ["acme"]);
    assert!(r.body.is_empty(), "{:?}", r.body);
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_sends_every_location_and_level() {
    let upstream = Upstream::json(SHIP).await;

    let answer = client(&upstream)
        .get_ship(&full(), &CallOptions::new())
        .await
        .expect("get_ship");

    assert_eq!(answer, json!({"imo": "9811000", "name": "Ever Given"}));
    let r = upstream.only_request();
    assert_common(&r);
    // Path values percent-encoded as one segment each (both brace styles); query values
    // form-encoded, in consumes, resource, operation order.
    assert_eq!(
        r.path,
        "/base/fleets/north%20sea/ships/IMO%2F9811000\
         ?api-version=2024-01&units=metric&fields=name%2Cflag&q=name%3AEver+Given+%26+co"
    );
    assert_eq!(r.header_values("x-trace"), ["t-1"]);
    assert_eq!(r.header_values("x-request-id"), ["req-42"]);
    assert_eq!(r.header_values("cookie"), ["session=s%3B1; lang=en-GB"]);
}

#[tokio::test]
async fn client_omits_pass_through_parameters_without_a_value() {
    let upstream = Upstream::json(SHIP).await;

    client(&upstream)
        .get_ship(&required_only(), &CallOptions::new())
        .await
        .expect("get_ship");

    let r = upstream.only_request();
    assert_common(&r);
    assert_eq!(
        r.path,
        "/base/fleets/north/ships/9811000?api-version=2024-01&units=metric&q=name%3AEver+Given+%26+co"
    );
    assert_eq!(r.header("x-trace"), None);
    assert_eq!(r.header_values("x-request-id"), ["req-7"]);
    assert_eq!(r.header_values("cookie"), ["lang=nl"]);
}

/// Takes one parameter away.
type Remove = fn(&mut GetShipParams);

#[tokio::test]
async fn client_missing_required_parameter_is_refused_before_any_request() {
    let upstream = Upstream::json(SHIP).await;
    let client = client(&upstream);
    let cases: [(&str, Remove); 5] = [
        ("fleet", |p| p.fleet = None),
        ("imo", |p| p.imo = None),
        ("shipName", |p| p.ship_name = None),
        ("requestId", |p| p.request_id = None),
        ("locale", |p| p.locale = None),
    ];

    for (name, remove) in cases {
        let mut params = full();
        remove(&mut params);
        match client.get_ship(&params, &CallOptions::new()).await {
            Err(ClientError::MissingParameter { name: missing }) => assert_eq!(missing, name),
            other => panic!("{name}: expected MissingParameter, got {other:?}"),
        }
        // The raw variant refuses too.
        assert!(matches!(
            client.get_ship_raw(&params, &CallOptions::new()).await,
            Err(ClientError::MissingParameter { .. })
        ));
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn client_header_value_with_cr_lf_is_refused_and_never_sent() {
    let upstream = Upstream::json(SHIP).await;
    let client = client(&upstream);

    for (field, value) in [
        ("x-trace", "t\r\nx-admin: 1"),
        ("x-request-id", "1\nx-admin: 1"),
    ] {
        let mut params = full();
        if field == "x-trace" {
            params.x_trace = Some(value.into());
        } else {
            params.request_id = Some(value.into());
        }
        match client.get_ship(&params, &CallOptions::new()).await {
            Err(e @ ClientError::InvalidParameter { .. }) => {
                let ClientError::InvalidParameter { name, .. } = &e else {
                    unreachable!()
                };
                assert_eq!(name, field);
                assert!(e.to_string().contains(&format!("`{field}`")), "{e}");
            }
            other => panic!("{field}: expected InvalidParameter, got {other:?}"),
        }
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn client_path_values_cannot_leave_their_segment() {
    let upstream = Upstream::json(SHIP).await;
    let client = client(&upstream);

    for (imo, sent) in [
        ("a/b?c#d", "a%2Fb%3Fc%23d"),
        ("%2F", "%252F"),
        ("...", "..."),
        ("é", "%C3%A9"),
    ] {
        upstream.clear();
        let params = GetShipParams {
            imo: Some(imo.into()),
            ..required_only()
        };
        client
            .get_ship(&params, &CallOptions::new())
            .await
            .expect("get_ship");
        let r = upstream.only_request();
        assert!(
            r.path
                .starts_with(&format!("/base/fleets/north/ships/{sent}?")),
            "{imo:?} was sent as {}",
            r.path
        );
    }
}

#[tokio::test]
async fn client_cookie_values_keep_cookie_octets_and_encode_the_rest() {
    let upstream = Upstream::json(SHIP).await;
    let client = client(&upstream);

    for (session, sent) in [
        // A base64 session token is a valid cookie value: sent byte for byte.
        ("dG9rZW4+/w==", "dG9rZW4+/w=="),
        ("a%2Fb!#$&'()*:<>?@[]^`{|}", "a%2Fb!#$&'()*:<>?@[]^`{|}"),
        // What a cookie value cannot hold is percent-encoded.
        ("a b;c,d\"e\\f", "a%20b%3Bc%2Cd%22e%5Cf"),
        ("é", "%C3%A9"),
    ] {
        upstream.clear();
        let params = GetShipParams {
            session: Some(session.into()),
            ..required_only()
        };
        client
            .get_ship(&params, &CallOptions::new())
            .await
            .expect("get_ship");
        assert_eq!(
            upstream.only_request().header_values("cookie"),
            [format!("session={sent}; lang=nl")],
            "{session:?}"
        );
    }
}

#[tokio::test]
async fn client_dot_segments_and_empty_path_values_are_refused() {
    let upstream = Upstream::json(SHIP).await;
    let client = client(&upstream);

    for imo in ["..", ".", ""] {
        let params = GetShipParams {
            imo: Some(imo.into()),
            ..required_only()
        };
        match client.get_ship(&params, &CallOptions::new()).await {
            Err(ClientError::InvalidParameter { name, .. }) => assert_eq!(name, "imo"),
            other => panic!(
                "{imo:?}: expected InvalidParameter, got {other:?}; sent {:?}",
                upstream
                    .requests()
                    .iter()
                    .map(|r| r.path.clone())
                    .collect::<Vec<_>>()
            ),
        }
    }
    upstream.assert_untouched();
}

// ---------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn rest_inputs_in_path_query_header_and_cookie_reach_their_parameters() {
    let upstream = Upstream::json(SHIP).await;

    let response = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/fleets/north%20sea/ships/IMO%2F9811000?fields=name,flag&name=Ever%20Given&trace=t-1",
        &[
            ("request-id", "42"),
            ("cookie", "other=1; session=dG9rZW4+/w=="),
        ],
        "",
    )
    .await;

    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.body.as_ref(), SHIP.as_bytes(), "passed through");
    let r = upstream.only_request();
    assert_common(&r);
    assert_eq!(
        r.path,
        "/base/fleets/north%20sea/ships/IMO%2F9811000\
         ?api-version=2024-01&units=metric&fields=name%2Cflag&q=name%3AEver+Given+%26+co"
    );
    // `with`: `$this.<ns>.trace`, the template `{{request-id}}`, the literal `en-GB`.
    assert_eq!(r.header_values("x-trace"), ["t-1"]);
    assert_eq!(r.header_values("x-request-id"), ["req-42"]);
    // The caller's cookie value goes on unchanged.
    assert_eq!(
        r.header_values("cookie"),
        ["session=dG9rZW4+/w==; lang=en-GB"]
    );
}

#[tokio::test]
async fn rest_optional_inputs_are_omitted_upstream() {
    let upstream = Upstream::json(SHIP).await;

    let response = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/fleets/north/ships/9811000?name=X",
        &[("request-id", "1")],
        "",
    )
    .await;

    assert_eq!(response.status, 200, "{}", response.text());
    let r = upstream.only_request();
    assert_eq!(
        r.path,
        "/base/fleets/north/ships/9811000?api-version=2024-01&units=metric&q=name%3AX+%26+co"
    );
    assert_eq!(r.header("x-trace"), None);
    assert_eq!(r.header_values("cookie"), ["lang=en-GB"]);
}

#[tokio::test]
async fn rest_missing_value_for_a_required_parameter_is_400_naming_it() {
    let upstream = Upstream::json(SHIP).await;

    // No `name` (-> shipName), then no `request-id` header (-> requestId).
    let no_name = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/fleets/north/ships/9811000",
        &[("request-id", "1")],
        "",
    )
    .await;
    assert_invalid_parameter(&no_name, "shipName");
    let no_request_id = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/fleets/north/ships/9811000?name=X",
        &[],
        "",
    )
    .await;
    assert_invalid_parameter(&no_request_id, "requestId");
    upstream.assert_untouched();
}

#[tokio::test]
async fn rest_cr_lf_smuggled_through_a_query_input_is_400_and_never_sent() {
    let upstream = Upstream::json(SHIP).await;

    let response = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/fleets/north/ships/9811000?name=X&trace=t%0D%0Ax-admin:%201",
        &[("request-id", "1")],
        "",
    )
    .await;

    assert_invalid_parameter(&response, "x-trace");
    upstream.assert_untouched();
}

#[tokio::test]
async fn rest_dot_segment_path_input_is_400_and_never_sent() {
    let upstream = Upstream::json(SHIP).await;

    let response = rest(
        rest_router(&upstream),
        Method::GET,
        "/v1/fleets/north/ships/%2E%2E?name=X",
        &[("request-id", "1")],
        "",
    )
    .await;

    assert_invalid_parameter(&response, "imo");
    upstream.assert_untouched();
}

// ---------------------------------------------------------------------------------------------
// MCP
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn mcp_declared_inputs_make_the_input_schema() {
    let upstream = Upstream::json(SHIP).await;
    let server = mcp(&upstream).await;

    let tool = server.tool("get-ship").await;

    assert_eq!(
        tool["inputSchema"],
        json!({
            "type": "object",
            "properties": {
                "fleet": {"type": "string", "description": "The fleet"},
                "imo": {"type": "string"},
                "shipName": {"type": "string"},
                "fields": {"type": "string"},
                "trace": {"type": "string"},
                "requestId": {"type": "integer"},
                "session": {"type": "string"}
            },
            // `required` defaults to true on tool inputs.
            "required": ["fleet", "imo", "shipName", "requestId"]
        })
    );
}

#[tokio::test]
async fn mcp_tool_call_sends_every_location_and_level() {
    let upstream = Upstream::json(SHIP).await;
    let server = mcp(&upstream).await;

    let result = server
        .call_ok(
            "get-ship",
            json!({
                "fleet": "north sea",
                "imo": "IMO/9811000",
                "shipName": "Ever Given",
                "fields": "name,flag",
                "trace": "t-1",
                "requestId": 42,
                "session": "s;1"
            }),
            &[],
        )
        .await;

    assert_eq!(result, json!({"imo": "9811000", "name": "Ever Given"}));
    let r = upstream.only_request();
    assert_common(&r);
    assert_eq!(
        r.path,
        "/base/fleets/north%20sea/ships/IMO%2F9811000\
         ?api-version=2024-01&units=metric&fields=name%2Cflag&q=name%3AEver+Given+%26+co"
    );
    assert_eq!(r.header_values("x-trace"), ["t-1"]);
    assert_eq!(r.header_values("x-request-id"), ["req-42"]);
    // `locale: '{{fleet}}-lang'`.
    assert_eq!(
        r.header_values("cookie"),
        ["session=s%3B1; lang=north%20sea-lang"]
    );
}

#[tokio::test]
async fn mcp_missing_or_mistyped_argument_is_a_tool_error_naming_it() {
    let upstream = Upstream::json(SHIP).await;
    let server = mcp(&upstream).await;
    let ok = json!({"fleet": "f", "imo": "i", "shipName": "s", "requestId": 1});

    for (name, arguments, phrase) in [
        ("shipName", without(&ok, "shipName"), "is required"),
        ("requestId", without(&ok, "requestId"), "is required"),
        (
            "requestId",
            with(&ok, "requestId", json!("x")),
            "expected an integer",
        ),
        ("fleet", with(&ok, "fleet", json!(3)), "expected a string"),
    ] {
        let text = server.call_err("get-ship", arguments, &[]).await;
        assert!(text.contains(&format!("`{name}`")), "{name}: {text}");
        assert!(text.contains(phrase), "{name}: {text}");
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn mcp_cr_lf_argument_is_a_tool_error_and_never_sent() {
    let upstream = Upstream::json(SHIP).await;
    let server = mcp(&upstream).await;

    let text = server
        .call_err(
            "get-ship",
            json!({"fleet": "f", "imo": "i", "shipName": "s", "requestId": 1, "trace": "a\r\nb: c"}),
            &[],
        )
        .await;

    assert!(text.contains("`x-trace`"), "{text}");
    upstream.assert_untouched();
}

#[tokio::test]
async fn mcp_inputs_are_derived_from_with_and_the_operation_parameters() {
    let upstream = Upstream::json(SHIP).await;
    let server = mcp(&upstream).await;

    let tool = server.tool("get-ship-derived").await;
    assert_eq!(
        tool["inputSchema"],
        json!({
            "type": "object",
            "properties": {
                "fleet": {"type": "string"},
                "imo": {"type": "string"},
                "fields": {"type": "string"},
                "name": {"type": "string"},
                "x-trace": {"type": "string"},
                "requestId": {"type": "string"},
                "session": {"type": "string"}
            },
            "required": ["fleet", "imo", "name", "requestId"]
        })
    );

    server
        .call_ok(
            "get-ship-derived",
            json!({"fleet": "f", "imo": "9", "name": "N", "requestId": "r", "x-trace": "t"}),
            &[],
        )
        .await;
    let r = upstream.only_request();
    assert_eq!(
        r.path,
        "/base/fleets/f/ships/9?api-version=2024-01&units=metric&q=name%3AN+%26+co"
    );
    assert_eq!(r.header_values("x-trace"), ["t"]);
    assert_eq!(r.header_values("x-request-id"), ["req-r"]);
    assert_eq!(r.header_values("cookie"), ["lang=fr-FR"]);
}

fn without(v: &Value, key: &str) -> Value {
    let mut v = v.clone();
    v.as_object_mut().expect("object").remove(key);
    v
}

fn with(v: &Value, key: &str, value: Value) -> Value {
    let mut v = v.clone();
    v[key] = value;
    v
}
