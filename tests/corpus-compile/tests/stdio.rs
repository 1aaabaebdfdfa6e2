//! The stdio MCP server answers `tools/list` from the Python MCP SDK's stdio client, which
//! launches it as a child process. A peer test: skipped visibly without the SDK, unless
//! `NAFTIKO_REQUIRE_PEERS=1`.

use std::process::Command;

use naftiko_peers::{drive_readme_mcp_host_entry, peers_dir, python_mcp_sdk, run};

#[test]
fn python_sdk_stdio_client_lists_the_tools() {
    let Some(python) = python_mcp_sdk() else {
        return;
    };
    let out = run(Command::new(&python)
        .arg(peers_dir().join("mcp_stdio_client.py"))
        .arg(env!("CARGO_BIN_EXE_mcp-stdio-server"))
        .arg("query-database"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Python MCP SDK stdio client failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("ok: stdio: tools/list: ['query-database']"),
        "{stdout}"
    );
}

/// The README's stdio snippet for MCP hosts works as pasted: the SDK launches the command it
/// names (its `target/debug` moved to this build's binary) and lists the tools.
#[test]
fn python_sdk_uses_the_readme_stdio_host_entry() {
    let Some(python) = python_mcp_sdk() else {
        return;
    };

    let stdout = drive_readme_mcp_host_entry(
        &python,
        "stdio",
        "\"target/debug/mcp-stdio-server\"",
        &format!("{:?}", env!("CARGO_BIN_EXE_mcp-stdio-server")),
        &["naftiko-stdio", "query-database"],
    );

    assert!(
        stdout.contains("ok: stdio: tools/list has query-database"),
        "{stdout}"
    );
}
