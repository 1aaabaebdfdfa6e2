//! The MCP Inspector CLI (`@modelcontextprotocol/inspector`, pinned in
//! `tests/peers/node/package.json`) against the real server binary in `--demo`: `tools/list`
//! with `--strict` reports no tool-schema portability finding, and a tool call through it
//! returns the upstream's answer as structured content.
//!
//! A peer test: skipped (visibly) when the Inspector or Node >= 22 is missing, a failure
//! under `NAFTIKO_REQUIRE_PEERS=1`.

use std::process::Command;

use naftiko_peers::{NodeTool, Server, mcp_inspector, run, scratch_dir};

const TOOLS: [&str; 3] = [
    "vmware-create-new-authentication-session",
    "vmware-terminate-current-session",
    "vmware-get-current-session-information",
];

/// `mcp-inspector --cli URL --format json …` with a scratch HOME (it keeps state in
/// `~/.mcp-inspector`).
fn inspector(tool: &NodeTool, url: &str) -> Command {
    let mut command = tool.command();
    command
        .env("HOME", scratch_dir("inspector"))
        .arg("--cli")
        .arg(url)
        .args(["--format", "json"]);
    command
}

fn stdout_json(out: &std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "the Inspector failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn inspector_strict_tools_list_has_no_schema_findings_and_calls_a_tool() {
    let Some(tool) = mcp_inspector() else {
        return;
    };
    let server = Server::start(env!("CARGO_BIN_EXE_vsphere-session-server"), &["--demo"]);

    // Both protocol eras: `legacy` is the initialize handshake, `modern` 2026-07-28.
    for era in ["legacy", "modern"] {
        let out = run(inspector(&tool, &server.mcp_url()).args([
            "--method",
            "tools/list",
            "--strict",
            "--protocol-era",
            era,
        ]));
        let listed = stdout_json(&out);
        // `--format json --strict` adds `schemaFindings` to the envelope when there are any,
        // and exits 6 on an error-severity one.
        assert!(!listed.contains("schemaFindings"), "{era}: {listed}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("portability"), "{era}: {stderr}");
        assert!(
            listed.trim_start().starts_with("{\"result\":{\"tools\":["),
            "{era}: {listed}"
        );
        for name in TOOLS {
            assert!(
                listed.contains(&format!("\"name\":\"{name}\"")),
                "{era}: {listed}"
            );
        }
        assert!(listed.contains("\"openWorldHint\":true"), "{era}: {listed}");
    }

    // administrator:secret
    let out = run(inspector(&tool, &server.mcp_url()).args([
        "--method",
        "tools/call",
        "--tool-name",
        "vmware-create-new-authentication-session",
        "--header",
        "Authorization: Basic YWRtaW5pc3RyYXRvcjpzZWNyZXQ=",
    ]));
    let called = stdout_json(&out);
    assert!(called.contains("\"isError\":false"), "{called}");
    assert!(
        called.contains("\"structuredContent\":{\"result\":\""),
        "{called}"
    );

    // An upstream 401 is a tool error, which the Inspector reports with its own exit code.
    let out = run(inspector(&tool, &server.mcp_url()).args([
        "--method",
        "tools/call",
        "--tool-name",
        "vmware-get-current-session-information",
        "--header",
        "vmware-api-session-id: not-a-session",
    ]));
    assert!(!out.status.success(), "{out:?}");
    let refused = String::from_utf8_lossy(&out.stdout);
    assert!(refused.contains("\"isError\":true"), "{refused}");
    assert!(refused.contains("401"), "{refused}");
}
