//! The control adapter (`specs/control.yaml`, `specs/control-off.yaml`), served by
//! `serve_until` on its own port: health and info endpoints answer, groups that are off are
//! 404, the adapter's bearer authentication is enforced, and `/config` shows no secret.

mod spec {
    naftiko::capability!("specs/control.yaml");
}

mod off {
    naftiko::capability!("specs/control-off.yaml");
}

use std::future::Future;

use naftiko::__private::http::StatusCode;
use naftiko::__private::reqwest;
use naftiko::__private::serde_json::Value;
use naftiko::Secret;
use naftiko::cli::Settings;
use naftiko_test_support::{free_port, http_client};

const TOKEN: &str = "ctl-T0KEN";
const PASSWORD: &str = "api-pa55word";

/// Waits until something accepts connections on `port` (the server binds on a spawned task).
async fn wait_for_listener(port: u16) {
    while tokio::net::TcpStream::connect((std::net::Ipv4Addr::LOCALHOST, port))
        .await
        .is_err()
    {
        tokio::task::yield_now().await;
    }
}

/// Runs `serve` until the returned sender is dropped, once `port` listens.
async fn start<F>(
    serve: impl FnOnce(tokio::sync::oneshot::Receiver<()>) -> F,
    port: u16,
) -> tokio::sync::oneshot::Sender<()>
where
    F: Future<Output = Result<(), naftiko::Error>> + Send + 'static,
{
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut server = tokio::spawn(serve(stopped));
    tokio::select! {
        () = wait_for_listener(port) => {}
        early = &mut server => panic!("the server stopped before serving: {early:?}"),
    }
    stop
}

/// The control and REST ports of a running `specs/control.yaml` server.
async fn serve_control() -> (u16, u16, tokio::sync::oneshot::Sender<()>) {
    let (control, rest) = (free_port(), free_port());
    let mut settings = Settings::new();
    settings.control_port = Some(control);
    settings.rest_port = Some(rest);
    settings
        .binds
        .insert("CONTROL_TOKEN".to_owned(), Secret::new(TOKEN));
    settings
        .binds
        .insert("API_PASSWORD".to_owned(), Secret::new(PASSWORD));
    let stop = start(
        |stopped| {
            spec::serve_until(settings, async move {
                let _ = stopped.await;
            })
        },
        control,
    )
    .await;
    (control, rest, stop)
}

async fn get(
    port: u16,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let mut request = http_client().get(format!("http://127.0.0.1:{port}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the control port answers");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("a body"))
}

fn json(text: &str) -> Value {
    naftiko::__private::serde_json::from_str(text).expect("JSON")
}

#[tokio::test]
async fn health_and_info_answer_with_the_token() {
    let (control, rest, _stop) = serve_control().await;
    for path in ["/health/live", "/health/ready"] {
        let (status, _, body) = get(control, path, Some(TOKEN)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        assert_eq!(json(&body)["status"], "UP", "{path}");
    }
    let (status, _, body) = get(control, "/status", Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let status = json(&body);
    assert_eq!(status["capability"], "Control plane");
    assert_eq!(status["adapters"][0]["type"], "REST");
    assert_eq!(
        status["adapters"][0]["url"],
        format!("http://127.0.0.1:{rest}")
    );
    // Metrics are not served (yet): an unknown path.
    let (status, _, _) = get(control, "/metrics", Some(TOKEN)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The REST adapter serves beside it.
    let (status, _, _) = get(rest, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn config_shows_the_shape_and_no_secret() {
    let (control, _, _stop) = serve_control().await;
    let (status, _, body) = get(control, "/config", Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for secret in [TOKEN, PASSWORD, "literal-key-123"] {
        assert!(!body.contains(secret), "/config shows `{secret}`: {body}");
    }
    let config = json(&body);
    assert_eq!(config["label"], "Control plane");
    let binds = config["binds"].as_array().expect("bind names");
    assert!(binds.contains(&Value::from("CONTROL_TOKEN")), "{binds:?}");
    assert!(binds.contains(&Value::from("API_PASSWORD")), "{binds:?}");
    let things = &config["consumes"][0];
    assert_eq!(things["namespace"], "things");
    assert_eq!(things["authentication"], "basic");
    assert_eq!(things["operations"][0]["path"], "/things");
    assert_eq!(config["exposes"][0]["type"], "rest");
    assert_eq!(config["exposes"][0]["operations"][0]["name"], "list-things");
    assert_eq!(config["exposes"][1]["type"], "control");
}

#[tokio::test]
async fn the_control_port_needs_the_token() {
    let (control, _, _stop) = serve_control().await;
    for path in ["/health/live", "/health/ready", "/status", "/config"] {
        for token in [None, Some("wrong")] {
            let (status, headers, body) = get(control, path, token).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} {token:?}: {body}");
            assert_eq!(
                headers.get("www-authenticate").map(|v| v.to_str().unwrap()),
                Some("Bearer"),
                "{path}"
            );
            assert!(!body.contains("UP"), "{path}: {body}");
        }
    }
}

#[tokio::test]
async fn groups_that_are_off_are_404() {
    let port = free_port();
    let mut settings = Settings::new();
    settings.control_port = Some(port);
    let _stop = start(
        |stopped| {
            off::serve_until(settings, async move {
                let _ = stopped.await;
            })
        },
        port,
    )
    .await;
    for path in [
        "/health/live",
        "/health/ready",
        "/status",
        "/config",
        "/metrics",
    ] {
        let (status, _, body) = get(port, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
}

#[test]
fn the_command_line_has_a_control_port_flag() {
    let matches = naftiko::cli::command("control", &spec::CAPABILITY)
        .try_get_matches_from(["control", "--control-port", "19197"])
        .expect("parse");
    let settings = Settings::from_matches(&spec::CAPABILITY, &matches);
    assert_eq!(settings.control_port, Some(19197));
    let defaults = naftiko::cli::command("control", &spec::CAPABILITY)
        .try_get_matches_from(["control"])
        .expect("parse");
    assert_eq!(
        Settings::from_matches(&spec::CAPABILITY, &defaults).control_port,
        Some(9197)
    );
}
