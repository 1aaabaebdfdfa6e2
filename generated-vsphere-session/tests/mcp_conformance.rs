//! The official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned in
//! `tests/peers/node/package.json`) against the real server binary in `--demo`, one test per
//! scenario, each in every protocol era it applies to. Failures the suite cannot avoid
//! reporting against a tools-only server are listed, with reasons, in
//! `tests/peers/conformance-baseline.yaml`; anything else fails the test, and so does a
//! baseline entry that starts passing.
//!
//! A peer test: skipped (visibly) when the suite or Node >= 22 is missing, a failure under
//! `NAFTIKO_REQUIRE_PEERS=1`.

use std::path::Path;

use naftiko::__private::serde_json::{self, Value};
use naftiko_peers::{Server, mcp_conformance, peers_dir, run, scratch_dir};

const LEGACY: &str = "2025-11-25";
const STATELESS: &str = "2026-07-28";

/// Every check of every `checks.json` under `dir`, as (id, status).
fn checks(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read the results folder") {
        let file = entry.expect("entry").path().join("checks.json");
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let parsed: Value = serde_json::from_str(&text).expect("checks.json is JSON");
        for check in parsed.as_array().expect("checks.json is an array") {
            out.push((
                check["id"].as_str().unwrap_or_default().to_owned(),
                check["status"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    out
}

/// Runs `scenario` in each era against a fresh demo server; every check listed in `must_pass`
/// has to be there and succeed in every era, and the suite's own verdict has to be a pass.
fn scenario(name: &str, eras: &[&str], must_pass: &[&str]) {
    let Some(suite) = mcp_conformance() else {
        return;
    };
    let server = Server::start(env!("CARGO_BIN_EXE_vsphere-session-server"), &["--demo"]);
    for era in eras {
        let results = scratch_dir(&format!("conformance-{name}"));
        let out = run(suite
            .command()
            .env("NO_COLOR", "1")
            .args(["server", "--url", &server.mcp_url(), "--scenario", name])
            .args(["--spec-version", era])
            .arg("--expected-failures")
            .arg(peers_dir().join("conformance-baseline.yaml"))
            .arg("-o")
            .arg(&results));
        assert!(
            out.status.success(),
            "conformance {name} ({era}) failed:\n{}\n{}\nserver log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            server.log()
        );
        let checks = checks(&results);
        assert!(
            checks.iter().any(|(_, status)| status == "SUCCESS"),
            "{name} ({era}) ran no check: {checks:?}"
        );
        for id in must_pass {
            assert!(
                checks.iter().any(|(i, s)| i == id && s == "SUCCESS"),
                "{name} ({era}): check {id} did not succeed: {checks:?}"
            );
            assert!(
                !checks.iter().any(|(i, s)| i == id && s != "SUCCESS"),
                "{name} ({era}): check {id} did not succeed every time: {checks:?}"
            );
        }
    }
}

#[test]
fn conformance_server_initialize() {
    scenario("server-initialize", &[LEGACY], &["server-initialize"]);
}

#[test]
fn conformance_server_stateless() {
    scenario(
        "server-stateless",
        &[STATELESS],
        &[
            "sep-2575-server-implements-discover",
            "sep-2575-server-identifies-in-result-meta",
            "sep-2575-request-meta-invalid-missing-meta",
            "sep-2575-server-unsupported-version-error",
            "sep-2575-http-server-header-mismatch-400",
            "sep-2575-http-server-method-not-found-404-initialize",
        ],
    );
}

#[test]
fn conformance_tools_list() {
    scenario(
        "tools-list",
        &[LEGACY, STATELESS],
        &["tools-list", "tools-name-format", "wire-schema-valid"],
    );
}

#[test]
fn conformance_dns_rebinding_protection() {
    scenario(
        "dns-rebinding-protection",
        &[LEGACY, STATELESS],
        &[
            "localhost-host-rebinding-rejected",
            "localhost-host-valid-accepted",
        ],
    );
}

#[test]
fn conformance_http_header_validation() {
    scenario(
        "http-header-validation",
        &[STATELESS],
        &[
            "sep-2243-server-reject-invalid-headers",
            "sep-2243-server-reject-error-code",
            "sep-2243-header-name-case-insensitive",
        ],
    );
}

#[test]
fn conformance_caching_tools() {
    scenario(
        "caching",
        &[STATELESS],
        &[
            "sep-2549-tools-list-caching-hints",
            "sep-2549-ttl-non-negative",
            "sep-2549-cache-scope-valid",
        ],
    );
}
