//! Consumed HTTP Digest authentication against a peer that checks the answers: httpbin
//! (PyPI, pinned in `tests/peers/requirements.txt`). The first call meets the challenge and
//! answers it; MD5 and SHA-256, a query string in the digest URI; wrong credentials end in
//! httpbin's 401, passed through. Through the typed client, REST and MCP.
//!
//! A peer test: skipped (visibly) when httpbin is missing, a failure under
//! `NAFTIKO_REQUIRE_PEERS=1`.

mod spec {
    naftiko::capability!("specs/digest.yaml");
}

use naftiko::__private::http::Method;
use naftiko::__private::serde_json::json;
use naftiko::{CallOptions, ClientError};
use naftiko_peers::Httpbin;
use naftiko_test_support::{McpServer, rest};
use spec::{Clients, digest_int, digest_mcp, digest_md5, digest_rest, digest_sha256};

const AUTHENTICATED: fn() -> naftiko::__private::serde_json::Value =
    || json!({"authenticated": true, "user": "captain"});

fn clients(httpbin: &Httpbin, password: &str) -> Clients {
    Clients {
        digest_md5: digest_md5::Client::builder()
            .base_uri(httpbin.url())
            .digest_user("captain")
            .digest_password(password)
            .build()
            .expect("build client"),
        digest_sha256: digest_sha256::Client::builder()
            .base_uri(httpbin.url())
            .digest_user("captain")
            .digest_password(password)
            .build()
            .expect("build client"),
        digest_int: digest_int::Client::builder()
            .base_uri(httpbin.url())
            .digest_user("captain")
            .digest_password(password)
            .build()
            .expect("build client"),
    }
}

#[tokio::test]
async fn digest_client_answers_md5_sha256_and_auth_int_challenges() {
    let Some(httpbin) = Httpbin::start() else {
        return;
    };
    let clients = clients(&httpbin, "s3cret-pass");
    let call = CallOptions::new();

    let md5 = clients.digest_md5.check(&call).await.expect("MD5");
    let sha = clients
        .digest_sha256
        .check(
            &digest_sha256::CheckParams {
                probe: Some("a b&c".into()),
            },
            &call,
        )
        .await
        .expect("SHA-256");
    let int = clients.digest_int.check(&call).await.expect("auth-int");
    // The challenge is kept: the next call answers it at once (and still passes).
    let again = clients.digest_md5.check(&call).await.expect("MD5 again");

    assert_eq!(md5, AUTHENTICATED());
    assert_eq!(sha, AUTHENTICATED());
    assert_eq!(int, AUTHENTICATED());
    assert_eq!(again, AUTHENTICATED());
}

#[tokio::test]
async fn digest_client_with_a_wrong_password_gets_the_upstream_401() {
    let Some(httpbin) = Httpbin::start() else {
        return;
    };
    let clients = clients(&httpbin, "wrong");

    let err = clients
        .digest_md5
        .check(&CallOptions::new())
        .await
        .expect_err("refused");

    assert!(
        matches!(&err, ClientError::Status { status, .. } if status.as_u16() == 401),
        "{err:?}"
    );
}

#[tokio::test]
async fn digest_rest_and_mcp_answer_the_challenge() {
    let Some(httpbin) = Httpbin::start() else {
        return;
    };
    let router = digest_rest::router(digest_rest::Forward::new(clients(&httpbin, "s3cret-pass")));

    let response = rest(router.clone(), Method::GET, "/v1/md5", &[], "").await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json(), AUTHENTICATED());
    let response = rest(router, Method::GET, "/v1/sha256?probe=x", &[], "").await;
    assert_eq!(response.status, 200, "{}", response.text());

    let server = McpServer::start(digest_mcp::router(
        digest_mcp::Tools::new(clients(&httpbin, "s3cret-pass")),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await;
    assert_eq!(server.call_ok("md5", json!({}), &[]).await, AUTHENTICATED());
}

#[tokio::test]
async fn digest_rest_with_a_wrong_password_passes_the_401_through() {
    let Some(httpbin) = Httpbin::start() else {
        return;
    };
    let router = digest_rest::router(digest_rest::Forward::new(clients(&httpbin, "wrong")));

    let response = rest(router, Method::GET, "/v1/md5", &[], "").await;

    assert_eq!(response.status, 401, "{}", response.text());
}
