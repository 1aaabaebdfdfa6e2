//! The README's Streamable HTTP snippet for MCP hosts works as pasted: the Python MCP SDK,
//! configured from exactly that entry (only the port moved to the test server's), lists the
//! tools of `vsphere-session-server --demo` and logs in with the snippet's credentials.
//!
//! A peer test: skipped (visibly) when the SDK is missing, a failure under
//! `NAFTIKO_REQUIRE_PEERS=1`.

use naftiko_peers::{Server, drive_readme_mcp_host_entry, python_mcp_sdk};

#[test]
fn python_sdk_uses_the_readme_http_host_entry() {
    let Some(python) = python_mcp_sdk() else {
        return;
    };
    let server = Server::start(env!("CARGO_BIN_EXE_vsphere-session-server"), &["--demo"]);

    let stdout = drive_readme_mcp_host_entry(
        &python,
        "streamable-http",
        "http://127.0.0.1:9090/mcp",
        &server.mcp_url(),
        &[
            "vsphere-session",
            "vmware-get-current-session-information",
            "vmware-create-new-authentication-session",
        ],
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
