//! REST `forward` and `control` adapters: what each refuses with a located error, and what
//! a control adapter accepts with a warning (an error under strict) because it needs a
//! runtime engine a compiled server does not have.

use naftiko_codegen::{Input, Severity, check};

/// Every diagnostic's first line, errors and warnings alike.
fn findings(text: &str, strict: bool) -> Vec<String> {
    let diags = match check(&Input {
        file: "x.yaml",
        text,
        strict,
    }) {
        Ok((_, warnings)) => warnings,
        Err(diags) => diags,
    };
    diags
        .iter()
        .map(|d| d.to_string().lines().next().unwrap_or_default().to_owned())
        .collect()
}

fn errors(text: &str) -> Vec<String> {
    match check(&Input {
        file: "x.yaml",
        text,
        strict: false,
    }) {
        Ok(_) => Vec::new(),
        Err(diags) => diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string().lines().next().unwrap_or_default().to_owned())
            .collect(),
    }
}

/// A REST adapter whose first resource is `resource` (indented as a list item of
/// `resources`), beside a `/ping` operation, over the consumed namespace `backend`.
fn forward_spec(resource: &str) -> String {
    format!(
        "naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: backend
    baseUri: http://upstream.invalid
    resources:
    - path: /ping
      operations:
      - {{name: ping, method: GET}}
  exposes:
  - type: rest
    namespace: proxy
    port: 8080
    resources:
{resource}
    - path: /ping
      operations:
      - {{name: ping, method: GET, call: backend.ping}}
"
    )
}

#[test]
fn a_valid_forward_is_accepted_without_findings() {
    let spec = forward_spec(
        "    - path: /api/{{path}}\n      forward: {targetNamespace: backend, trustedHeaders: [X-Request-Id]}",
    );
    assert_eq!(findings(&spec, true), Vec::<String>::new());
}

#[test]
fn an_unknown_target_namespace_is_a_located_error() {
    let spec =
        forward_spec("    - path: /api/{{path}}\n      forward:\n        targetNamespace: nowhere");
    assert_eq!(
        errors(&spec),
        ["x.yaml:18:26: error: `forward` names an unknown consumed namespace `nowhere`"]
    );
}

#[test]
fn empty_or_bad_trusted_headers_are_located_errors() {
    let empty = forward_spec(
        "    - path: /api/{{path}}\n      forward:\n        targetNamespace: backend\n        trustedHeaders: []",
    );
    assert_eq!(
        errors(&empty),
        ["x.yaml:19:25: error: `trustedHeaders` cannot be empty"]
    );
    let bad = forward_spec(
        "    - path: /api/{{path}}\n      forward:\n        targetNamespace: backend\n        trustedHeaders:\n        - X Bad\n        - Host\n        - x-id\n        - X-Id",
    );
    assert_eq!(
        errors(&bad),
        [
            "x.yaml:20:11: error: `X Bad` is not a valid header name",
            "x.yaml:21:11: error: `Host` describes one connection and cannot be forwarded",
            "x.yaml:23:11: error: duplicate trusted header `x-id`",
        ]
    );
}

#[test]
fn a_forward_path_must_end_with_its_one_placeholder() {
    for path in ["/api", "/api/{{a}}/{{b}}", "/{{a}}/x"] {
        let spec = forward_spec(&format!(
            "    - path: '{path}'\n      forward: {{targetNamespace: backend}}"
        ));
        let errors = errors(&spec);
        assert_eq!(errors.len(), 1, "{path}: {errors:?}");
        assert!(
            errors[0].starts_with(
                "x.yaml:16:13: error: a forward path must be literal segments then one placeholder"
            ),
            "{path}: {errors:?}"
        );
    }
}

#[test]
fn a_forward_that_overlaps_another_route_is_a_located_error() {
    let spec =
        forward_spec("    - path: /ping/{{rest}}\n      forward: {targetNamespace: backend}");
    assert_eq!(
        errors(&spec),
        [
            "x.yaml:17:16: error: this forward owns `/ping` and below, which overlaps the route `/ping`"
        ]
    );
}

#[test]
fn operations_beside_a_forward_are_refused() {
    let spec = forward_spec(
        "    - path: /api/{{path}}\n      forward: {targetNamespace: backend}\n      operations:\n      - {name: other, method: GET, call: backend.ping}",
    );
    assert_eq!(
        errors(&spec),
        [
            "x.yaml:19:9: error: operations beside `forward` on one resource are not supported yet by naftiko-rs"
        ]
    );
}

fn control_spec(body: &str) -> String {
    format!(
        "naftiko: 1.0.0-alpha2
capability:
  exposes:
  - type: control
    port: 9190
{body}"
    )
}

#[test]
fn engine_only_management_groups_are_warnings_then_strict_errors() {
    let spec = control_spec(
        "    management:\n      health: true\n      info: true\n      reload: true\n      validate: false\n      logs: {stream: true}\n      scripting: {enabled: true}\n    observability:\n      traces: {sampling: 0.5}\n",
    );
    let expected = [
        "x.yaml:9:15: warning: management `reload` (POST /config/reload) needs a runtime engine; naftiko-rs compiles the spec and does not serve it",
        "x.yaml:11:13: warning: management `logs` (/logs) needs a runtime engine; naftiko-rs compiles the spec and does not serve it",
        "x.yaml:12:18: warning: management `scripting` (/scripting) needs a runtime engine; naftiko-rs compiles the spec and does not serve it",
        "x.yaml:14:7: warning: `observability` is not served by naftiko-rs yet: no /metrics, /traces or exporters",
    ];
    assert_eq!(findings(&spec, false), expected);
    let strict: Vec<String> = expected
        .iter()
        .map(|w| w.replacen("warning", "error", 1))
        .collect();
    assert_eq!(findings(&spec, true), strict);
}

#[test]
fn groups_turned_off_raise_nothing() {
    let spec = control_spec(
        "    management:\n      health: false\n      reload: false\n      logs: false\n      scripting: {enabled: false}\n    observability:\n      enabled: false\n",
    );
    assert_eq!(findings(&spec, true), Vec::<String>::new());
}

#[test]
fn control_adapter_mistakes_are_located_errors() {
    assert_eq!(
        errors(&control_spec("    management:\n      health: yes\n")),
        ["x.yaml:7:15: error: `health` must be a boolean, found string `yes`"]
    );
    let no_port = "naftiko: 1.0.0-alpha2\ncapability:\n  exposes:\n  - type: control\n    management: {info: true}\n";
    assert_eq!(errors(no_port), ["x.yaml:4:5: error: missing `port`"]);
    let two = control_spec("  - type: control\n    port: 9191\n");
    assert_eq!(
        errors(&two),
        ["x.yaml:6:11: error: only one `control` adapter per capability"]
    );
}
