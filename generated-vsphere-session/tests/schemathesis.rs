//! schemathesis (PyPI, pinned in `tests/peers/requirements.txt`) against the OpenAPI document
//! the REST adapter serves at `/openapi.json`, with the built-in demo vCenter as upstream:
//! every check (no server error, status codes, content types, headers and bodies conform to
//! the document, unsupported methods refused), without credentials and with a live session.
//!
//! A peer test: skipped (visibly) when schemathesis is missing, a failure under
//! `NAFTIKO_REQUIRE_PEERS=1`.

use naftiko::__private::reqwest;
use naftiko_peers::{Server, schemathesis};

#[tokio::test]
async fn schemathesis_finds_nothing_against_the_rest_adapter_with_the_demo_upstream() {
    let Some(st) = schemathesis() else {
        return;
    };
    let server = Server::start(env!("CARGO_BIN_EXE_vsphere-session-server"), &["--demo"]);

    // Without credentials: every operation answers a documented 401.
    st.check_all(&server.rest_url(), 3, &[]);

    // With Basic credentials and a live session: the success paths (201, 200, 204).
    naftiko::client::install_crypto_provider();
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let created = http
        .post(format!("{}/v1/session", server.rest_url()))
        .basic_auth("administrator", Some("secret"))
        .send()
        .await
        .expect("log in");
    assert_eq!(created.status(), reqwest::StatusCode::CREATED);
    let token = created.text().await.expect("token");
    let session = format!("vmware-api-session-id: {}", token.trim().trim_matches('"'));
    st.check_all(
        &server.rest_url(),
        3,
        &["--auth", "administrator:secret", "--header", &session],
    );
}
