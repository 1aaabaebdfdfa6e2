//! The official Naftiko tutorial's last steps, end to end: the corpus files
//! `tests/corpus/official/tutorial/step-{7,9,10,11}-*.yml` (and the consumes files they import
//! from `shared/`) as generated, served against a Shipyard upstream of ours (`shipyard.rs`),
//! through the REST routes and the MCP tools, and once each as the whole generated server;
//! and two of the `shared/` consumes libraries generated on their own (`libraries.rs`).
//!
//! Every expected answer below is worked out by hand from the fixture data in `shipyard.rs`.

mod checks;
mod expected;
mod libraries;
mod shipyard;
mod step10;
mod step11;
mod step7;
mod step9;

use std::net::{Ipv4Addr, SocketAddr};

use naftiko::__private::serde_json::{Value, json};
use naftiko::cli::Settings;
use naftiko::{Secret, auth::Guard};
use naftiko_test_support::{Recorded, Upstream, free_port};

/// The header an MCP caller presents: the exposed adapter's bearer token.
pub(crate) const MCP_AUTH: (&str, &str) = ("authorization", "Bearer sk-mcp-YYYYYYYYYYYY");

/// Server settings as `serve` reads them: both upstreams pointed at the fixture, and the
/// bound variables set to the values of the tutorial's `shared/secrets.yaml`.
pub(crate) fn settings(upstream: &Upstream) -> Settings {
    let mut settings = Settings::new();
    settings
        .base_uris
        .insert("registry".into(), upstream.url("/registry"));
    settings
        .base_uris
        .insert("legacy".into(), upstream.url("/dockyard"));
    for (name, value) in [
        ("REGISTRY_TOKEN", shipyard::REGISTRY_TOKEN),
        ("REGISTRY_VERSION", shipyard::REGISTRY_VERSION),
        ("DOCKYARD_API_KEY", shipyard::DOCKYARD_API_KEY),
        ("MCP_SERVER_TOKEN", shipyard::MCP_SERVER_TOKEN),
    ] {
        settings.binds.insert(name.into(), Secret::new(value));
    }
    settings
}

/// The guard the generated server puts in front of the MCP adapter (`authentication: bearer`).
pub(crate) fn mcp_guard() -> Guard {
    Guard::Bearer(Secret::new(shipyard::MCP_SERVER_TOKEN))
}

/// Settings for a whole server on loopback ports: (settings, REST address, MCP address).
pub(crate) fn server_settings(upstream: &Upstream) -> (Settings, SocketAddr, SocketAddr) {
    let mut settings = settings(upstream);
    settings.address = Some(Ipv4Addr::LOCALHOST.into());
    let rest = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()));
    let mcp = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()));
    settings.rest_port = Some(rest.port());
    settings.mcp_port = Some(mcp.port());
    (settings, rest, mcp)
}

/// Waits until something accepts connections on `addr` (the server task has bound it).
pub(crate) async fn listening(addr: SocketAddr) {
    for _ in 0..500 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("nothing listens on {addr}");
}

/// `(method path)` of every request, sorted (concurrent steps arrive in any order).
pub(crate) fn sorted_requests(upstream: &Upstream) -> Vec<String> {
    let mut seen: Vec<String> = upstream
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    seen.sort();
    seen
}

/// Asserts the registry credentials a request carried.
pub(crate) fn assert_registry_credentials(r: &Recorded, token: &str, version: &str) {
    assert_eq!(
        r.header_values("authorization"),
        [format!("Bearer {token}")],
        "{} {}",
        r.method,
        r.path
    );
    assert_eq!(
        r.header_values("registry-version"),
        [version],
        "{} {}",
        r.method,
        r.path
    );
}

/// An MCP array result, as `structuredContent` wraps it.
pub(crate) fn wrapped(value: Value) -> Value {
    json!({ "result": value })
}
