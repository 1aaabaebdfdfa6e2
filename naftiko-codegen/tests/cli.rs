//! The command line on the bad specs of `tests/ui/specs/` (the same cases the trybuild test
//! pins for the macro) and on the showcase: exit status and located messages.

use std::process::Output;

mod common;
use common::{run, workspace_root};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `check tests/ui/specs/<case>.yaml` exits 1 and reports every `(line, col, phrase)` as an
/// error located in that file.
fn assert_errors(case: &str, expected: &[(u64, u64, &str)]) {
    let spec = format!("tests/ui/specs/{case}.yaml");
    let out = run(&["check", &spec]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{case}: exit status\n{err}");
    for (line, col, phrase) in expected {
        let head = format!("{spec}:{line}:{col}: error: ");
        let Some(message) = err.lines().find(|l| l.starts_with(&head)) else {
            panic!("{case}: no line starting with `{head}` in:\n{err}");
        };
        assert!(
            message.contains(phrase),
            "{case}: `{message}` does not contain `{phrase}`"
        );
    }
    let errors = err.lines().filter(|l| l.contains(": error: ")).count();
    assert_eq!(errors, expected.len(), "{case}: error count in:\n{err}");
}

#[test]
fn yaml_unclosed_flow() {
    assert_errors("yaml_unclosed_flow", &[(122, 18, "unclosed bracket '['")]);
}

#[test]
fn yaml_unclosed_flow_midfile() {
    // The `[` is at 6:9; the parser only notices at the next key, and says so there.
    assert_errors(
        "yaml_unclosed_flow_midfile",
        &[(7, 10, "illegal placement of ':' indicator")],
    );
}

#[test]
fn yaml_bad_indent() {
    assert_errors(
        "yaml_bad_indent",
        &[(27, 21, "mapping values are not allowed in this context")],
    );
}

#[test]
fn unknown_version() {
    assert_errors(
        "unknown_version",
        &[(1, 10, "unsupported naftiko version `9.9.9`")],
    );
}

#[test]
fn missing_version() {
    assert_errors("missing_version", &[(1, 1, "missing `naftiko` version")]);
}

#[test]
fn unknown_operation_rest() {
    assert_errors(
        "unknown_operation_rest",
        &[(
            68,
            15,
            "`call: vsphere-session.nosuchop` names an unknown operation `nosuchop`",
        )],
    );
}

#[test]
fn unknown_operation_tool() {
    assert_errors(
        "unknown_operation_tool",
        &[(
            99,
            13,
            "`call: vsphere-session.nosuchop` names an unknown operation `nosuchop`",
        )],
    );
}

#[test]
fn unknown_namespace() {
    assert_errors(
        "unknown_namespace",
        &[(75, 15, "names an unknown namespace `vsphere`")],
    );
}

#[test]
fn call_without_dot() {
    assert_errors(
        "call_without_dot",
        &[(
            82,
            15,
            "`call: getsessioninfo` must be `<namespace>.<operation>`",
        )],
    );
}

#[test]
fn duplicate_tool_name() {
    assert_errors(
        "duplicate_tool_name",
        &[(
            103,
            13,
            "duplicate tool name `vmware-create-new-authentication-session`",
        )],
    );
}

#[test]
fn hint_not_boolean() {
    assert_errors(
        "hint_not_boolean",
        &[(
            96,
            19,
            "hint `readOnly` must be a boolean, found string `yes`",
        )],
    );
}

#[test]
fn unknown_bind_variable() {
    assert_errors(
        "unknown_bind_variable",
        &[(52, 14, "unknown bind variable `NOPE` in `{{env.NOPE}}`")],
    );
}

#[test]
fn port_out_of_range() {
    assert_errors(
        "port_out_of_range",
        &[(57, 11, "port 70000 is out of range")],
    );
}

#[test]
fn duplicate_port() {
    assert_errors(
        "duplicate_port",
        &[(88, 11, "port 8080 is already used by another adapter")],
    );
}

#[test]
fn unknown_http_method() {
    assert_errors(
        "unknown_http_method",
        &[(34, 17, "unknown HTTP method `DELET`")],
    );
}

#[test]
fn several_errors_are_all_collected() {
    assert_errors(
        "several_errors",
        &[
            (52, 14, "unknown bind variable `NOPE`"),
            (75, 15, "names an unknown namespace `vsphere`"),
            (88, 11, "port 70000 is out of range"),
            // After the out-of-range port: the MCP adapter's tools are still checked.
            (96, 19, "hint `readOnly` must be a boolean"),
            (113, 13, "duplicate tool name"),
        ],
    );
}

#[test]
fn missing_file() {
    let spec = "tests/ui/specs/missing_file.yaml";
    assert!(!workspace_root().join(spec).exists());
    let out = run(&["check", spec]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{spec}:1:1: error: cannot read")),
        "{err}"
    );
}

#[test]
fn showcase_checks_with_warnings() {
    let out = run(&["check", "specs/vsphere-session.yaml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("specs/vsphere-session.yaml:19:14: warning: `{vcenter}` in baseUri"),
        "{err}"
    );
    assert!(
        err.contains("specs/vsphere-session.yaml:55:11: warning: `description` on a REST adapter"),
        "{err}"
    );
    assert!(!err.contains(": error: "), "{err}");
}

#[test]
fn showcase_fails_strict() {
    let out = run(&["check", "--strict", "specs/vsphere-session.yaml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("specs/vsphere-session.yaml:19:14: error: `{vcenter}` in baseUri"),
        "{err}"
    );
}

#[test]
fn showcase_expands() {
    let out = run(&["expand", "specs/vsphere-session.yaml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout.contains("pub mod vsphere_session {"), "{stdout}");
    assert!(
        stdout.contains("pub mod vsphere_session_rest {"),
        "{stdout}"
    );
    assert!(stdout.contains("pub mod vsphere_session_mcp {"), "{stdout}");
}

#[test]
fn bad_spec_does_not_expand() {
    let out = run(&["expand", "tests/ui/specs/unknown_version.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("tests/ui/specs/unknown_version.yaml:1:10: error: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reserved_rest_path() {
    // `/metrics`, like `/healthz` and `/openapi.json`, is served by the generated router: a
    // spec route there would collide with it when the router is built.
    assert_errors(
        "reserved_rest_path",
        &[(
            61,
            13,
            "REST path `/metrics` is served by every generated adapter",
        )],
    );
}

const STEP_11: &str = "tests/corpus/official/tutorial/step-11-shipyard-fleet-manifest.yml";

/// The tutorial's step 11 imports a consumes file that writes `token: "REGISTRY_TOKEN"` and
/// `value: "REGISTRY_VERSION"` without braces while it binds variables of those names: they
/// are sent as literal text, and flagged where written. Step 7 writes the braces.
#[test]
fn a_bind_name_written_without_braces_is_flagged_where_written() {
    let out = run(&["check", STEP_11]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for (line, name) in [(9, "REGISTRY_TOKEN"), (13, "REGISTRY_VERSION")] {
        let warning = format!(
            "./shared/step11-registry-consumes.yml:{line}:14: warning: `{name}` is sent as this literal text, not as the bound variable `{name}`"
        );
        assert!(err.contains(&warning), "{err}");
        let help = format!("= help: write `{{{{{name}}}}}` to send the bound value");
        assert!(err.contains(&help), "{err}");
    }
    let braced = stderr(&run(&[
        "check",
        "tests/corpus/official/tutorial/step-7-shipyard-orchestrated-lookup.yml",
    ]));
    assert!(!braced.contains("literal text"), "{braced}");
}

/// A finding located in an imported file shows no source line: the CLI holds only the spec's
/// text, and the spec's line of the same number would mislead.
#[test]
fn a_finding_in_an_imported_file_shows_no_line_of_the_spec() {
    let err = stderr(&run(&["check", STEP_11]));
    let finding = "./shared/step11-registry-consumes.yml:9:14: warning: `REGISTRY_TOKEN` is sent as this literal text, not as the bound variable `REGISTRY_TOKEN`\n  = help: ";
    assert!(err.contains(finding), "{err}");
}
