//! The README's Streamable HTTP snippet for MCP hosts works as pasted: the Python MCP SDK,
//! configured from exactly that entry (only the port moved to the test server's), lists the
//! tools of `vsphere-session-server --demo` and logs in with the snippet's credentials.
//!
//! A peer test: skipped (visibly) when the SDK is missing, a failure under
//! `NAFTIKO_REQUIRE_PEERS=1`.

use std::process::Command;

use naftiko_peers::{Server, peers_dir, python_mcp_sdk, readme_mcp_host_snippet, run, scratch_dir};

#[test]
fn python_sdk_uses_the_readme_http_host_entry() {
    let Some(python) = python_mcp_sdk() else {
        return;
    };
    let snippet = readme_mcp_host_snippet("streamable-http");
    let documented = "http://127.0.0.1:9090/mcp";
    assert_eq!(snippet.matches(documented).count(), 1, "{snippet}");
    let server = Server::start(env!("CARGO_BIN_EXE_vsphere-session-server"), &["--demo"]);
    let config = scratch_dir("mcp-host-http").join("mcp.json");
    std::fs::write(&config, snippet.replace(documented, &server.mcp_url())).unwrap();

    let out = run(Command::new(&python)
        .arg(peers_dir().join("mcp_host_config.py"))
        .arg(&config)
        .args(["vsphere-session", "vmware-get-current-session-information"])
        .arg("vmware-create-new-authentication-session"));

    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("ok: http: tools/list has vmware-get-current-session-information"),
        "{stdout}"
    );
    // A token came back: the snippet's Basic credentials reached the (demo) vCenter.
    assert!(
        stdout.contains("ok: http: vmware-create-new-authentication-session -> {\"result\": \""),
        "{stdout}"
    );
}
