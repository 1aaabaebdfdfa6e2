//! Consumed authentication of every kind — apikey in a header of any name (`Authorization`
//! included) or the query, bearer, basic — with values from binds, through the typed client,
//! the REST router and the MCP tools; caller credentials win over the bound default, and a
//! missing bind with no caller credentials stops the call before any request.

mod spec {
    naftiko::capability!("specs/auth.yaml");
}

use naftiko::__private::http::{HeaderName, HeaderValue, Method, StatusCode};
use naftiko::__private::serde_json::json;
use naftiko::{CallOptions, ClientError, Secret};
use naftiko_test_support::{McpServer, Recorded, Upstream, basic, rest};
use spec::{Clients, auth_mcp, auth_rest};

const OK: &str = r#"{"user":"u"}"#;
/// A key with characters that need encoding in a query.
const KEY: &str = "k&1 =";
const KINDS: [&str; 6] = [
    "key-header",
    "key-authorization",
    "key-query",
    "bearer",
    "basic",
    "from-env",
];

/// Every client pointed at `upstream`, with the bound variables set (`with_key`) or not.
fn clients(upstream: &Upstream, with_key: bool) -> Clients {
    let base = upstream.url("");
    macro_rules! build {
        ($module:ident $(, $setter:ident($value:expr))*) => {{
            let mut b = spec::$module::Client::builder().base_uri(base.clone());
            if with_key {
                b = b $(.$setter($value))*;
            }
            b.build().expect("build client")
        }};
    }
    Clients {
        key_header: build!(key_header, api_key(KEY)),
        key_authorization: build!(key_authorization, api_key(KEY)),
        key_query: build!(key_query, api_key(KEY)),
        bearer: build!(bearer, api_key(KEY)),
        basic: build!(basic, user("admin"), api_key(KEY)),
        from_env: spec::from_env::Client::builder()
            .base_uri(base.clone())
            .from_env()
            .build()
            .expect("build client"),
    }
}

/// The value `from-env` reads: its bind names `CARGO_PKG_NAME`, which cargo sets for tests.
fn pkg() -> String {
    std::env::var("CARGO_PKG_NAME").expect("cargo test sets CARGO_PKG_NAME")
}

/// Asserts the spec's default credentials of `kind` on a recorded request.
fn assert_default(kind: &str, r: &Recorded) {
    let (path, authorization, api_key) = match kind {
        "key-header" => ("/whoami".to_owned(), None, Some(KEY)),
        "key-authorization" => ("/whoami".to_owned(), Some(format!("Token {KEY}")), None),
        "key-query" => ("/whoami?q=x&api_key=k%261+%3D".to_owned(), None, None),
        "bearer" => ("/whoami".to_owned(), Some(format!("Bearer {KEY}")), None),
        "basic" => ("/whoami".to_owned(), Some(basic("admin", KEY)), None),
        "from-env" => (
            "/whoami".to_owned(),
            Some(format!("Bearer pkg-{}", pkg())),
            None,
        ),
        other => unreachable!("{other}"),
    };
    assert_eq!(r.path, path, "{kind}");
    assert_eq!(r.header("authorization"), authorization, "{kind}");
    assert_eq!(r.header("x-api-key").as_deref(), api_key, "{kind}");
}

/// Asserts that the caller's `Authorization: Bearer caller` went instead of the default.
fn assert_caller(kind: &str, r: &Recorded) {
    let path = if kind == "key-query" {
        "/whoami?q=x"
    } else {
        "/whoami"
    };
    assert_eq!(r.path, path, "{kind}: no api_key with caller credentials");
    assert_eq!(
        r.header_values("authorization"),
        ["Bearer caller"],
        "{kind}"
    );
    assert_eq!(r.header("x-api-key"), None, "{kind}");
}

fn bearer_caller() -> CallOptions {
    CallOptions::new().header(
        HeaderName::from_static("authorization"),
        HeaderValue::from_static("Bearer caller"),
    )
}

/// Calls `kind`'s whoami with the client.
async fn call(clients: &Clients, kind: &str, options: &CallOptions) -> Result<(), ClientError> {
    let answer = match kind {
        "key-header" => clients.key_header.whoami(options).await,
        "key-authorization" => clients.key_authorization.whoami(options).await,
        "key-query" => clients.key_query.whoami(options).await,
        "bearer" => clients.bearer.whoami(options).await,
        "basic" => clients.basic.whoami(options).await,
        "from-env" => clients.from_env.whoami(options).await,
        other => unreachable!("{other}"),
    }?;
    assert_eq!(answer, json!({"user": "u"}));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_sends_the_bound_default_credentials_of_each_kind() {
    let upstream = Upstream::json(OK).await;
    let clients = clients(&upstream, true);

    for kind in KINDS {
        upstream.clear();
        call(&clients, kind, &CallOptions::new()).await.expect(kind);
        assert_default(kind, &upstream.only_request());
    }
}

#[tokio::test]
async fn client_caller_credentials_win_over_each_default() {
    let upstream = Upstream::json(OK).await;
    let clients = clients(&upstream, true);

    for kind in KINDS {
        upstream.clear();
        call(&clients, kind, &bearer_caller()).await.expect(kind);
        assert_caller(kind, &upstream.only_request());
    }

    // The spec's own API-key header from the caller replaces the bound one.
    upstream.clear();
    let mine = CallOptions::new().header(
        HeaderName::from_static("x-api-key"),
        HeaderValue::from_static("caller-key"),
    );
    call(&clients, "key-header", &mine)
        .await
        .expect("key-header");
    let r = upstream.only_request();
    assert_eq!(r.header_values("x-api-key"), ["caller-key"]);
    assert_eq!(r.header("authorization"), None);

    // Per-call basic credentials replace a bound basic default.
    upstream.clear();
    let caller = CallOptions::new().basic_auth("caller", &Secret::new("pw"));
    call(&clients, "basic", &caller).await.expect("basic");
    assert_eq!(
        upstream.only_request().header_values("authorization"),
        [basic("caller", "pw")]
    );
}

#[tokio::test]
async fn client_without_bind_or_caller_credentials_fails_before_any_request() {
    let upstream = Upstream::json(OK).await;
    let clients = clients(&upstream, false);

    for kind in KINDS.into_iter().filter(|k| *k != "from-env") {
        match call(&clients, kind, &CallOptions::new()).await {
            // `basic` needs USER first, then API_KEY.
            Err(ClientError::MissingCredential { variable }) => {
                let expected = if kind == "basic" { "USER" } else { "API_KEY" };
                assert_eq!(variable, expected, "{kind}");
            }
            other => panic!("{kind}: expected MissingCredential, got {other:?}"),
        }
    }
    upstream.assert_untouched();

    // Caller credentials are enough on their own.
    for kind in KINDS {
        upstream.clear();
        call(&clients, kind, &bearer_caller()).await.expect(kind);
        assert_caller(kind, &upstream.only_request());
    }
}

// ---------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn rest_sends_the_bound_default_credentials_of_each_kind() {
    let upstream = Upstream::json(OK).await;

    let router = auth_rest::router(auth_rest::Forward::new(clients(&upstream, true)));

    for kind in KINDS {
        upstream.clear();
        let response = rest(router.clone(), Method::GET, &format!("/v1/{kind}"), &[], "").await;
        assert_eq!(response.status, 200, "{kind}: {}", response.text());
        assert_eq!(response.body.as_ref(), OK.as_bytes());
        assert_default(kind, &upstream.only_request());
    }
}

#[tokio::test]
async fn rest_caller_credentials_are_forwarded_and_win() {
    let upstream = Upstream::json(OK).await;

    let router = auth_rest::router(auth_rest::Forward::new(clients(&upstream, true)));

    for kind in KINDS {
        upstream.clear();
        let response = rest(
            router.clone(),
            Method::GET,
            &format!("/v1/{kind}"),
            &[("authorization", "Bearer caller")],
            "",
        )
        .await;
        assert_eq!(response.status, 200, "{kind}: {}", response.text());
        assert_caller(kind, &upstream.only_request());
    }

    upstream.clear();
    let response = rest(
        router,
        Method::GET,
        "/v1/key-header",
        &[("x-api-key", "caller-key")],
        "",
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        upstream.only_request().header_values("x-api-key"),
        ["caller-key"]
    );
}

#[tokio::test]
async fn rest_without_any_credentials_is_401_and_nothing_is_sent() {
    let upstream = Upstream::json(OK).await;

    let router = auth_rest::router(auth_rest::Forward::new(clients(&upstream, false)));

    for kind in KINDS.into_iter().filter(|k| *k != "from-env") {
        let response = rest(router.clone(), Method::GET, &format!("/v1/{kind}"), &[], "").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{kind}");
        assert_eq!(response.json()["error"]["kind"], "missing_credentials");
        assert!(response.headers.contains_key("www-authenticate"), "{kind}");
    }
    upstream.assert_untouched();
}

// ---------------------------------------------------------------------------------------------
// MCP
// ---------------------------------------------------------------------------------------------

async fn mcp(upstream: &Upstream, with_key: bool) -> McpServer {
    McpServer::start(auth_mcp::router(
        auth_mcp::Tools::new(clients(upstream, with_key)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await
}

#[tokio::test]
async fn mcp_sends_default_credentials_and_caller_credentials_win() {
    let upstream = Upstream::json(OK).await;
    let server = mcp(&upstream, true).await;

    for kind in KINDS {
        upstream.clear();
        let result = server.call_ok(kind, json!({}), &[]).await;
        assert_eq!(result, json!({"user": "u"}));
        assert_default(kind, &upstream.only_request());

        upstream.clear();
        server
            .call_ok(kind, json!({}), &[("authorization", "Bearer caller")])
            .await;
        assert_caller(kind, &upstream.only_request());
    }

    upstream.clear();
    server
        .call_ok("key-header", json!({}), &[("x-api-key", "caller-key")])
        .await;
    assert_eq!(
        upstream.only_request().header_values("x-api-key"),
        ["caller-key"]
    );
}

#[tokio::test]
async fn mcp_without_any_credentials_is_a_tool_error_and_nothing_is_sent() {
    let upstream = Upstream::json(OK).await;
    let server = mcp(&upstream, false).await;

    for kind in KINDS.into_iter().filter(|k| *k != "from-env") {
        let text = server.call_err(kind, json!({}), &[]).await;
        assert!(text.contains("no credentials"), "{kind}: {text}");
    }
    upstream.assert_untouched();
}

/// Transport errors drop the URL (`ClientError::from_reqwest`), so a key placed in the query
/// never reaches an error's `Display` or `Debug` (RELIABILITY.md, secrets).
#[tokio::test]
async fn a_query_placed_key_is_in_no_error() {
    const SECRET: &str = "qk-Secret-99";
    let refused = naftiko_test_support::refused_addr();
    let client = spec::key_query::Client::builder()
        .base_uri(format!("http://{refused}"))
        .api_key(SECRET)
        .build()
        .expect("build client");
    let err = client
        .whoami(&CallOptions::new())
        .await
        .expect_err("refused");
    let shown = format!("{err} {err:?}");
    assert!(matches!(err, ClientError::Connect(_)), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");

    let slow = Upstream::start(|_| {
        naftiko_test_support::Canned::json(200, OK).delayed(std::time::Duration::from_secs(2))
    })
    .await;
    let client = spec::key_query::Client::builder()
        .base_uri(slow.url(""))
        .api_key(SECRET)
        .timeout(std::time::Duration::from_millis(200))
        .build()
        .expect("build client");
    let err = client
        .whoami(&CallOptions::new())
        .await
        .expect_err("timed out");
    let shown = format!("{err} {err:?}");
    assert!(matches!(err, ClientError::Timeout), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
    // The key did go out, in the query.
    assert!(slow.only_request().path.contains(SECRET));
}
