//! The official Python MCP SDK (`mcp`, pinned in `tests/peers/requirements.txt`) against the
//! real server binary in `--demo`, in both protocol eras: the `initialize` handshake and the
//! stateless 2026-07-28 era. The client script is `tests/peers/mcp_sdk_client.py`.
//!
//! A peer test: skipped (visibly) when the SDK is missing, a failure under
//! `NAFTIKO_REQUIRE_PEERS=1`. See `naftiko-peers` for where the interpreter is looked for.

use std::process::Command;

use naftiko_peers::{Server, peers_dir, python_mcp_sdk, run};

const CHECKS: [&str; 6] = [
    "tools/list: 3 tools, annotations match the spec's hints",
    "create session -> token",
    "unknown tool -> JSON-RPC error -32602",
    "bad credentials -> isError (upstream 401)",
    "read-only tool -> session info for administrator@vsphere.local",
    "terminate -> the token no longer works (isError)",
];

#[test]
fn python_sdk_lists_and_calls_tools_in_both_eras() {
    let Some(python) = python_mcp_sdk() else {
        return;
    };
    let server = Server::start(env!("CARGO_BIN_EXE_vsphere-session-server"), &["--demo"]);
    for mode in ["legacy", "2026-07-28"] {
        let out = run(Command::new(&python)
            .arg(peers_dir().join("mcp_sdk_client.py"))
            .arg(server.mcp_url())
            .arg(mode));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "Python MCP SDK ({mode}) failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for check in CHECKS {
            assert!(stdout.contains(&format!("ok: {mode}: {check}")), "{stdout}");
        }
    }
}
