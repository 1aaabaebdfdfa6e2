//! The stdio MCP server answers `tools/list` from the Python MCP SDK's stdio client, which
//! launches it as a child process. A peer test: skipped visibly without the SDK, unless
//! `NAFTIKO_REQUIRE_PEERS=1`.

use std::process::Command;

use naftiko_peers::{peers_dir, python_mcp_sdk, readme_mcp_host_snippet, run, scratch_dir};

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
    let snippet = readme_mcp_host_snippet("stdio");
    let documented = "\"target/debug/mcp-stdio-server\"";
    assert_eq!(snippet.matches(documented).count(), 1, "{snippet}");
    let binary = format!("{:?}", env!("CARGO_BIN_EXE_mcp-stdio-server"));
    let config = scratch_dir("mcp-host-stdio").join("mcp.json");
    std::fs::write(&config, snippet.replace(documented, &binary)).unwrap();

    let out = run(Command::new(&python)
        .arg(peers_dir().join("mcp_host_config.py"))
        .arg(&config)
        .args(["naftiko-stdio", "query-database"]));

    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("ok: stdio: tools/list has query-database"),
        "{stdout}"
    );
}
