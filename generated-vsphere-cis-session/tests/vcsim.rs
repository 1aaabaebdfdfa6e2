//! The legacy CIS session capability against a real, stateful peer: govmomi's vCenter
//! simulator (`tests/peers/vcsim/main.go`, built with Debian's Go and govmomi), over TLS with
//! its own self-signed certificate. The session lifecycle (login -> info -> logout -> 401),
//! bad credentials and TLS verification, through the generated clients, the REST adapter and
//! the MCP server (the real `vsphere-cis-session-server` binary).
//!
//! A peer test: skipped (visibly) when Go or govmomi is missing, a failure under
//! `NAFTIKO_REQUIRE_PEERS=1`.

use generated_vsphere_cis_session::{cis_login, cis_session};
use naftiko::__private::http::{HeaderName, HeaderValue};
use naftiko::__private::reqwest::{self, StatusCode};
use naftiko::__private::serde_json::{Value, json};
use naftiko::{CallOptions, ClientError, Secret};
use naftiko_peers::{Server, Vcsim};

const USER: &str = "administrator@vsphere.local";
const PASSWORD: &str = "Admin!23";
const SESSION_HEADER: &str = "vmware-api-session-id";

fn pem(vcsim: &Vcsim) -> Vec<u8> {
    std::fs::read(vcsim.ca_file()).expect("read the simulator's certificate")
}

fn session_header(token: &str) -> CallOptions {
    CallOptions::new().header(
        HeaderName::from_static(SESSION_HEADER),
        HeaderValue::from_str(token).expect("token is a header value"),
    )
}

fn http() -> reqwest::Client {
    naftiko::client::install_crypto_provider();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("build reqwest client")
}

/// The server binary against the simulator, trusting its certificate the given way.
fn server(vcsim: &Vcsim, tls: &[&str], env: &[(&str, &str)]) -> Server {
    let mut args = vec!["--vcenter", vcsim.host()];
    args.extend_from_slice(tls);
    Server::start_with_env(env!("CARGO_BIN_EXE_vsphere-cis-session-server"), &args, env)
}

fn ca_flag(vcsim: &Vcsim) -> [&str; 2] {
    ["--ca-cert", vcsim.ca_file().to_str().expect("UTF-8 path")]
}

async fn json_body(response: reqwest::Response) -> (StatusCode, Option<String>, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().expect("ASCII").to_owned());
    let body = response.bytes().await.expect("read body");
    let value = naftiko::__private::serde_json::from_slice(&body).unwrap_or_else(|e| {
        panic!(
            "{status}: not JSON ({e}): {:?}",
            String::from_utf8_lossy(&body)
        )
    });
    (status, content_type, value)
}

// ---------------------------------------------------------------------------------------------
// Generated clients
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn vcsim_client_login_info_logout_then_401() {
    let Some(vcsim) = Vcsim::start() else {
        return;
    };
    // Login with the bound credentials (what VSPHERE_USER / VSPHERE_PASSWORD would set).
    let login = cis_login::Client::builder()
        .vcenter(vcsim.host())
        .ca_certificates_pem(&pem(&vcsim))
        .expect("the simulator's certificate")
        .vsphere_user(USER)
        .vsphere_password(PASSWORD)
        .build()
        .expect("build the login client");
    let session = cis_session::Client::builder()
        .vcenter(vcsim.host())
        .ca_certificates_pem(&pem(&vcsim))
        .expect("the simulator's certificate")
        .build()
        .expect("build the session client");

    let token = login.create(&CallOptions::new()).await.expect("login");
    let token = token
        .as_str()
        .expect("$.value is the session id")
        .to_owned();
    assert!(token.len() >= 16, "{token}");

    let info = session.get(&session_header(&token)).await.expect("info");
    assert_eq!(info["user"], USER, "{info}");
    assert!(info["created_time"].is_string(), "{info}");
    assert!(info["last_accessed_time"].is_string(), "{info}");

    // The bound session id works as well as the caller's header.
    let bound = cis_session::Client::builder()
        .vcenter(vcsim.host())
        .ca_certificates_pem(&pem(&vcsim))
        .expect("the simulator's certificate")
        .vsphere_session_id(token.as_str())
        .build()
        .expect("build");
    assert_eq!(
        bound.get(&CallOptions::new()).await.expect("info")["user"],
        USER
    );

    // The legacy API answers DELETE with 200 and no body: `$.value` of nothing is null.
    let deleted = session
        .delete(&session_header(&token))
        .await
        .expect("logout");
    assert_eq!(deleted, Value::Null);

    match session.get(&session_header(&token)).await {
        Err(ClientError::Status { status, .. }) => assert_eq!(status, StatusCode::UNAUTHORIZED),
        other => panic!("expected 401 after logout, got {other:?}"),
    }
}

#[tokio::test]
async fn vcsim_client_bad_credentials_are_401_and_caller_credentials_win() {
    let Some(vcsim) = Vcsim::start() else {
        return;
    };
    let login = cis_login::Client::builder()
        .vcenter(vcsim.host())
        .ca_certificates_pem(&pem(&vcsim))
        .expect("the simulator's certificate")
        .vsphere_user(USER)
        .vsphere_password(PASSWORD)
        .build()
        .expect("build");

    // vcsim refuses an empty password; the caller's (bad) credentials win over the bound ones.
    let refused = login
        .create(&CallOptions::new().basic_auth(USER, &Secret::new("")))
        .await;
    match refused {
        Err(ClientError::Status { status, .. }) => assert_eq!(status, StatusCode::UNAUTHORIZED),
        other => panic!("expected 401, got {other:?}"),
    }
    let session = cis_session::Client::builder()
        .vcenter(vcsim.host())
        .ca_certificates_pem(&pem(&vcsim))
        .expect("the simulator's certificate")
        .build()
        .expect("build");
    match session.get(&session_header("no-such-session")).await {
        Err(ClientError::Status { status, .. }) => assert_eq!(status, StatusCode::UNAUTHORIZED),
        other => panic!("expected 401, got {other:?}"),
    }
}

#[tokio::test]
async fn vcsim_client_tls_rejects_the_self_signed_certificate_unless_trusted() {
    let Some(vcsim) = Vcsim::start() else {
        return;
    };
    let call = CallOptions::new().basic_auth(USER, &Secret::new(PASSWORD));

    let default = cis_login::Client::builder()
        .vcenter(vcsim.host())
        .build()
        .expect("build");
    match default.create(&call).await {
        Err(ClientError::Connect(message)) => {
            assert!(message.contains("certificate"), "{message}");
        }
        other => panic!("expected a TLS failure, got {other:?}"),
    }

    let trusting = cis_login::Client::builder()
        .vcenter(vcsim.host())
        .ca_certificates_pem(&pem(&vcsim))
        .expect("the simulator's certificate")
        .build()
        .expect("build");
    assert!(trusting.create(&call).await.expect("login").is_string());

    let insecure = cis_login::Client::builder()
        .vcenter(vcsim.host())
        .danger_accept_invalid_certs(true)
        .build()
        .expect("build");
    assert!(insecure.create(&call).await.expect("login").is_string());
}

// ---------------------------------------------------------------------------------------------
// REST adapter (the server binary)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn vcsim_rest_login_info_logout_then_401() {
    let Some(vcsim) = Vcsim::start() else {
        return;
    };
    let server = server(&vcsim, &ca_flag(&vcsim), &[]);
    let http = http();
    let url = format!("{}/v1/session", server.rest_url());

    let (status, content_type, token) = json_body(
        http.post(&url)
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .expect("login"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The simulator labels its JSON text/plain; the adapter answers JSON.
    assert_eq!(content_type.as_deref(), Some("application/json"));
    let token = token.as_str().expect("a JSON string").to_owned();

    let (status, _, info) = json_body(
        http.get(&url)
            .header(SESSION_HEADER, &token)
            .send()
            .await
            .expect("info"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert_eq!(info["user"], USER, "{info}");
    assert!(info["created_time"].is_string(), "{info}");

    let (status, _, deleted) = json_body(
        http.delete(&url)
            .header(SESSION_HEADER, &token)
            .send()
            .await
            .expect("logout"),
    )
    .await;
    assert_eq!((status, deleted), (StatusCode::OK, Value::Null));

    // The simulator's 401 has no body: the adapter gives it a JSON one.
    let (status, content_type, error) = json_body(
        http.get(&url)
            .header(SESSION_HEADER, &token)
            .send()
            .await
            .expect("info"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{error}");
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(error["error"]["kind"], "upstream_status", "{error}");
}

#[tokio::test]
async fn vcsim_rest_bound_credentials_log_in_and_bad_caller_credentials_are_401() {
    let Some(vcsim) = Vcsim::start() else {
        return;
    };
    let server = server(
        &vcsim,
        &ca_flag(&vcsim),
        &[("VSPHERE_USER", USER), ("VSPHERE_PASSWORD", PASSWORD)],
    );
    let http = http();
    let url = format!("{}/v1/session", server.rest_url());

    // No credentials in the request: the bound ones log in.
    let (status, _, token) = json_body(http.post(&url).send().await.expect("login")).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert!(token.is_string(), "{token}");

    // The caller's Authorization wins over the bound credentials, and vcsim refuses it.
    let (status, _, error) = json_body(
        http.post(&url)
            .basic_auth(USER, Some(""))
            .send()
            .await
            .expect("login"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{error}");
    assert_eq!(error["error"]["kind"], "upstream_status", "{error}");
}

#[tokio::test]
async fn vcsim_rest_tls_rejected_by_default_is_502_with_the_reason() {
    let Some(vcsim) = Vcsim::start() else {
        return;
    };
    let server = server(&vcsim, &[], &[]);
    let response = http()
        .post(format!("{}/v1/session", server.rest_url()))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .expect("login");
    let (status, _, error) = json_body(response).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{error}");
    assert_eq!(error["error"]["kind"], "upstream_unreachable", "{error}");
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("certificate") && message.contains("UnknownIssuer"),
        "{message}"
    );
}

#[tokio::test]
async fn vcsim_rest_insecure_accepts_the_self_signed_certificate() {
    let Some(vcsim) = Vcsim::start() else {
        return;
    };
    let server = server(&vcsim, &["--insecure"], &[]);
    let (status, _, token) = json_body(
        http()
            .post(format!("{}/v1/session", server.rest_url()))
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .expect("login"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert!(token.is_string(), "{token}");
}

// ---------------------------------------------------------------------------------------------
// MCP server (the server binary), 2025-11-25 era
// ---------------------------------------------------------------------------------------------

/// `tools/call` of `tool`; the JSON-RPC `result`.
async fn call_tool(
    http: &reqwest::Client,
    server: &Server,
    tool: &str,
    header: (&str, &str),
) -> Value {
    let response = http
        .post(server.mcp_url())
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .header(header.0, header.1)
        .body(
            json!({
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {"name": tool, "arguments": {}}
            })
            .to_string(),
        )
        .send()
        .await
        .expect("tools/call");
    let (status, _, body) = json_body(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["result"].clone()
}

#[tokio::test]
async fn vcsim_mcp_login_info_logout_then_tool_error() {
    let Some(vcsim) = Vcsim::start() else {
        return;
    };
    let server = server(&vcsim, &ca_flag(&vcsim), &[]);
    let http = http();
    let basic = format!("Basic {}", base64(format!("{USER}:{PASSWORD}").as_bytes()));

    let login = call_tool(
        &http,
        &server,
        "vsphere-cis-login",
        ("authorization", &basic),
    )
    .await;
    assert_eq!(login["isError"], false, "{login}");
    let token = login["structuredContent"]["result"]
        .as_str()
        .unwrap_or_else(|| panic!("no session id: {login}"))
        .to_owned();

    let info = call_tool(
        &http,
        &server,
        "vsphere-cis-session-info",
        (SESSION_HEADER, &token),
    )
    .await;
    assert_eq!(info["isError"], false, "{info}");
    assert_eq!(info["structuredContent"]["user"], USER, "{info}");

    let logout = call_tool(
        &http,
        &server,
        "vsphere-cis-logout",
        (SESSION_HEADER, &token),
    )
    .await;
    assert_eq!(logout["isError"], false, "{logout}");

    let after = call_tool(
        &http,
        &server,
        "vsphere-cis-session-info",
        (SESSION_HEADER, &token),
    )
    .await;
    assert_eq!(after["isError"], true, "{after}");
    assert!(
        after["content"][0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("401")),
        "{after}"
    );

    let empty_password = format!("Basic {}", base64(format!("{USER}:").as_bytes()));
    let refused = call_tool(
        &http,
        &server,
        "vsphere-cis-login",
        ("authorization", &empty_password),
    )
    .await;
    assert_eq!(refused["isError"], true, "{refused}");
}

/// Standard base64, written out here so the test does not trust the runtime's encoder.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63])
            } else {
                '='
            });
        }
    }
    out
}

#[test]
fn base64_matches_known_vectors() {
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
}
