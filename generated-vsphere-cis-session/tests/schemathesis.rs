//! schemathesis (PyPI, pinned in `tests/peers/requirements.txt`) against the OpenAPI document
//! the legacy CIS session REST adapter serves, with govmomi's vCenter simulator as upstream
//! (bodiless 401s, `text/plain` JSON, 200 with no body on logout): every check, without
//! credentials, with a stale session, and with a live one.
//!
//! A peer test: skipped (visibly) when schemathesis, Go or govmomi is missing, a failure under
//! `NAFTIKO_REQUIRE_PEERS=1`.

use naftiko::__private::reqwest;
use naftiko_peers::{Server, Vcsim, schemathesis};

#[tokio::test]
async fn schemathesis_finds_nothing_against_the_rest_adapter_with_vcsim_upstream() {
    let Some(st) = schemathesis() else {
        return;
    };
    let Some(vcsim) = Vcsim::start() else {
        return;
    };
    let ca = vcsim.ca_file().to_str().expect("UTF-8 path").to_owned();
    let server = Server::start(
        env!("CARGO_BIN_EXE_vsphere-cis-session-server"),
        &["--vcenter", vcsim.host(), "--ca-cert", &ca],
    );
    let url = server.rest_url();

    st.check_all(&url, 3, &[]);
    st.check_all(
        &url,
        3,
        &[
            "--auth",
            "administrator:secret",
            "--header",
            "vmware-api-session-id: no-such-session",
        ],
    );

    naftiko::client::install_crypto_provider();
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let login = http
        .post(format!("{url}/v1/session"))
        .basic_auth("administrator", Some("secret"))
        .send()
        .await
        .expect("log in");
    assert_eq!(login.status(), reqwest::StatusCode::OK);
    let token = login.text().await.expect("token");
    let session = format!("vmware-api-session-id: {}", token.trim().trim_matches('"'));
    st.check_all(
        &url,
        3,
        &["--auth", "administrator:secret", "--header", &session],
    );
}
