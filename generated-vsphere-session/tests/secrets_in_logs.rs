//! Every log line of a whole session lifecycle, at TRACE for every crate (tracing events and
//! the `log` records reqwest writes), holds none of the secrets that went through the
//! gateway: Basic credentials, the session token, the bound API key. The answers' error
//! messages are searched too.
//!
//! One test in its own binary: it installs the process-wide subscriber and logger.

mod harness;

use std::io::Write;
use std::sync::{Arc, Mutex};

use generated_vsphere_session::demo::DemoVcenter;
use harness::{Gateway, LEGACY, SESSION_HEADER, answer, http_client, parse, refused_addr};
use naftiko::__private::serde_json::json;
use naftiko::__private::tracing;
use naftiko::Secret;

/// Everything logged, from any thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `log` records (reqwest's) into the same buffer.
struct LogCapture(Captured);

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let mut out = self.0.clone();
        let _ = writeln!(
            out,
            "log {} {}: {}",
            record.level(),
            record.target(),
            record.args()
        );
    }

    fn flush(&self) {}
}

fn install(captured: &Captured) {
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    let logger: &'static LogCapture = Box::leak(Box::new(LogCapture(captured.clone())));
    log::set_logger(logger).expect("the only logger");
    log::set_max_level(log::LevelFilter::Trace);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_any_log_line_or_error_at_trace_level() {
    let captured = Captured::default();
    install(&captured);

    const USER: &str = "administrator@vsphere.local";
    const PASSWORD: &str = "pw-Secret-7781";
    const BOUND_KEY: &str = "bind-Secret-4410";
    let basic = harness::basic(USER, PASSWORD);

    let vcenter = DemoVcenter::start().await.expect("demo vCenter");
    let gateway = Gateway::start(&vcenter.base_uri(), |settings| {
        settings
            .binds
            .insert("VMWARE_API_KEY".to_owned(), Secret::new(BOUND_KEY));
    })
    .await;
    let http = http_client();
    let mut answers = Vec::new();

    // REST: log in with Basic, use the token, log out; then the bound key as the default.
    let created = http
        .post(gateway.rest_url("/v1/session"))
        .header("authorization", &basic)
        .send()
        .await
        .expect("POST");
    assert_eq!(created.status().as_u16(), 201);
    let token = parse(&created.bytes().await.expect("body"));
    let token = token.as_str().expect("a token").to_owned();
    let info = answer(
        http.get(gateway.rest_url("/v1/session"))
            .header(SESSION_HEADER, &token)
            .send()
            .await
            .expect("GET"),
    )
    .await;
    assert_eq!(info.status, 200, "{}", info.text());
    answers.push(info.text());
    let bound = answer(
        http.get(gateway.rest_url("/v1/session"))
            .send()
            .await
            .expect("GET"),
    )
    .await;
    assert_eq!(
        bound.status,
        401,
        "the demo knows no such session: {}",
        bound.text()
    );
    answers.push(bound.text());

    // MCP: the same token through a tool, and Basic through another.
    for (tool, header, value) in [
        (
            "vmware-get-current-session-information",
            SESSION_HEADER,
            token.as_str(),
        ),
        (
            "vmware-create-new-authentication-session",
            "authorization",
            basic.as_str(),
        ),
    ] {
        let call = answer(
            http.post(gateway.mcp_url())
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .header("mcp-protocol-version", LEGACY)
                .header(header, value)
                .body(
                    json!({
                        "jsonrpc": "2.0", "id": 1, "method": "tools/call",
                        "params": {"name": tool, "arguments": {}}
                    })
                    .to_string(),
                )
                .send()
                .await
                .expect("MCP"),
        )
        .await;
        assert_eq!(call.status, 200, "{}", call.text());
        assert_eq!(call.json()["result"]["isError"], false, "{}", call.text());
    }

    let deleted = http
        .delete(gateway.rest_url("/v1/session"))
        .header(SESSION_HEADER, &token)
        .send()
        .await
        .expect("DELETE");
    assert_eq!(deleted.status().as_u16(), 204);
    gateway.stop().await.expect("a clean shutdown");

    // Failures with credentials in hand: an unreachable upstream, on REST and MCP.
    let down = Gateway::start(&format!("http://{}/api", refused_addr()), |settings| {
        settings
            .binds
            .insert("VMWARE_API_KEY".to_owned(), Secret::new(BOUND_KEY));
    })
    .await;
    let failed = answer(
        http.post(down.rest_url("/v1/session"))
            .header("authorization", &basic)
            .send()
            .await
            .expect("POST"),
    )
    .await;
    assert_eq!(failed.status, 502, "{}", failed.text());
    answers.push(failed.text());
    let failed = harness::mcp_tool_error(&down).await;
    answers.push(failed);
    down.stop().await.expect("a clean shutdown");

    let logs = captured.text();
    // The capture did see the traffic: the gateway, hyper's connections, rmcp, reqwest.
    assert!(logs.contains("listening:"), "{logs}");
    // Request data does reach the logs (the demo vCenter logs who logged in)...
    assert!(logs.contains(USER), "{logs}");
    for target in ["rmcp", "reqwest"] {
        assert!(logs.contains(target), "no {target} line captured:\n{logs}");
    }
    // ...but no secret does.
    let secrets = [
        PASSWORD,
        basic.trim_start_matches("Basic "),
        &token,
        BOUND_KEY,
    ];
    for secret in secrets {
        assert!(
            !logs.contains(secret),
            "a secret is in the logs:\n{}",
            logs.lines()
                .filter(|l| l.contains(secret))
                .collect::<Vec<_>>()
                .join("\n")
        );
        for text in &answers {
            assert!(!text.contains(secret), "a secret is in an answer: {text}");
        }
    }
}
