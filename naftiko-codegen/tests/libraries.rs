//! Consumes libraries (top-level `consumes`, no `capability`) on their own: the variables
//! their importers bind are free variables, read from the environment of the same name and
//! each reported as a located note; only clients are generated. A capability keeps refusing
//! an undeclared bind variable, an importer's binds still apply, and a binds values file
//! is named for what it is.

use naftiko_codegen::{Input, Severity, check, generate, generate_with};

mod common;
use common::run;

/// A library in the tutorial's shape: a bearer token and a namespace-wide header from the
/// importer's binds, an operation-level `{{env.TRACE_ID}}`, and a path parameter.
const LIBRARY: &str = r#"naftiko: "1.0.0-alpha2"
consumes:
  - namespace: registry
    type: http
    baseUri: "https://registry.example.com/v1"
    authentication:
      type: bearer
      token: "{{REGISTRY_TOKEN}}"
    inputParameters:
    - name: Registry-Version
      in: header
      value: "{{REGISTRY_VERSION}}"
    resources:
      - name: ship
        path: "/ships/{{imo_number}}"
        operations:
          - name: get-ship
            method: GET
            inputParameters:
              - name: X-Trace
                in: header
                value: "{{env.TRACE_ID}}"
"#;

fn input<'a>(file: &'a str, text: &'a str, strict: bool) -> Input<'a> {
    Input { file, text, strict }
}

/// `(line, col, message)` of every diagnostic of `severity`.
fn located(diags: &naftiko_codegen::Diagnostics, severity: Severity) -> Vec<(u64, u64, String)> {
    diags
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| (d.pos.line, d.pos.column, d.message.clone()))
        .collect()
}

fn free_note(name: &str) -> String {
    format!(
        "`{name}` is a free variable of this consumes library: a capability importing it binds `{name}`; generated on its own, it is read from the environment variable `{name}`"
    )
}

#[test]
fn a_library_generates_its_client_with_free_variables_noted_where_used() {
    for strict in [false, true] {
        let generated = generate(&input("lib.yaml", LIBRARY, strict)).expect("generates");

        assert_eq!(
            located(&generated.warnings, Severity::Note),
            [
                (8, 14, free_note("REGISTRY_TOKEN")),
                (12, 14, free_note("REGISTRY_VERSION")),
                (22, 24, free_note("TRACE_ID")),
            ],
            "strict: {strict}"
        );
        assert_eq!(generated.warnings.count(Severity::Warning), 0);
        let names: Vec<(&str, &str)> = generated
            .capability
            .binds
            .iter()
            .map(|b| (b.name.as_str(), b.source.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("REGISTRY_TOKEN", "REGISTRY_TOKEN"),
                ("REGISTRY_VERSION", "REGISTRY_VERSION"),
                ("TRACE_ID", "TRACE_ID"),
            ]
        );
        assert!(generated.capability.library);
        // The path variable stays a parameter of the operation.
        let op = &generated.capability.clients[0].operations[0];
        let params: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(params, ["imo_number"]);

        let code = generated.pretty();
        for wanted in [
            "pub mod registry",
            "pub async fn get_ship(",
            "pub fn registry_token(",
            "pub fn registry_version(",
            "pub fn trace_id(",
        ] {
            assert!(code.contains(wanted), "{wanted} missing:\n{code}");
        }
        // `from_env` reads each free variable from the environment variable of its name.
        let tokens = generated.tokens.to_string();
        for name in ["REGISTRY_TOKEN", "REGISTRY_VERSION", "TRACE_ID"] {
            let read = format!(":: naftiko :: env_secret (\"{name}\")");
            assert!(tokens.contains(&read), "{read} missing:\n{tokens}");
        }
        for server_part in ["CAPABILITY", "fn serve", "struct Clients", "router"] {
            assert!(!code.contains(server_part), "{server_part} in:\n{code}");
        }
    }
}

#[test]
fn a_library_that_declares_its_binds_has_no_free_variables() {
    let text = LIBRARY.replacen(
        "consumes:\n",
        "binds:\n  - namespace: env\n    keys:\n      REGISTRY_TOKEN: REG_TOKEN\n      REGISTRY_VERSION: REG_VERSION\n      TRACE_ID: TRACE\nconsumes:\n",
        1,
    );
    let generated = generate(&input("lib.yaml", &text, false)).expect("generates");

    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    let sources: Vec<&str> = generated
        .capability
        .binds
        .iter()
        .map(|b| b.source.as_str())
        .collect();
    assert_eq!(sources, ["REG_TOKEN", "REG_VERSION", "TRACE"]);
}

/// The same consumes entry inside a capability: an undeclared bind variable stays the
/// located error it always was.
#[test]
fn in_a_capability_an_undeclared_bind_variable_is_still_a_located_error() {
    let text = r#"naftiko: "1.0.0-alpha2"
capability:
  consumes:
    - namespace: registry
      type: http
      baseUri: "https://registry.example.com/v1"
      authentication:
        type: bearer
        token: "{{REGISTRY_TOKEN}}"
      resources:
        - path: "/ships"
          operations:
            - name: list-ships
              method: GET
"#;
    let diags = check(&input("cap.yaml", text, false)).expect_err("refused");

    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "cap.yaml:9:16: error: unknown bind variable `REGISTRY_TOKEN` in `{{REGISTRY_TOKEN}}`\n  = help: declare it under `binds: [{namespace: env, keys: {NAME: ENV_VAR}}]`"
        ]
    );
    assert_eq!(diags.count(Severity::Note), 0);
}

fn importer(binds: &str) -> String {
    format!(
        r#"naftiko: "1.0.0-alpha2"
{binds}capability:
  consumes:
    - import: registry
      location: ./lib.yaml
  exposes:
    - type: rest
      namespace: api
      port: 8080
      resources:
        - path: /ships/{{{{imo}}}}
          operations:
            - method: GET
              call: registry.get-ship
              with:
                imo_number: api.imo
"#
    )
}

fn resolve(location: &str) -> Result<(String, String), String> {
    assert_eq!(location, "./lib.yaml");
    Ok(("lib.yaml".to_owned(), LIBRARY.to_owned()))
}

/// Imported, the library takes its importer's binds: no free variables, no notes; an
/// importer that binds too little gets the located error in the library.
#[test]
fn imported_the_library_uses_the_importers_binds() {
    let binds = "binds:\n  - namespace: env\n    keys:\n      REGISTRY_TOKEN: REG_TOKEN\n      REGISTRY_VERSION: REG_VERSION\n      TRACE_ID: TRACE\n";
    let text = importer(binds);
    let generated =
        generate_with(&input("cap.yaml", &text, false), Some(&resolve)).expect("generates");
    assert_eq!(
        generated.warnings.count(Severity::Note),
        0,
        "{}",
        generated.warnings
    );
    assert!(!generated.capability.library);
    let sources: Vec<&str> = generated
        .capability
        .binds
        .iter()
        .map(|b| b.source.as_str())
        .collect();
    assert_eq!(sources, ["REG_TOKEN", "REG_VERSION", "TRACE"]);

    let text = importer("");
    let diags = check_imports(&text).expect_err("refused");
    let first = diags
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("an error");
    assert_eq!(
        (
            first.file.as_str(),
            first.pos.line,
            first.pos.column,
            first.message.as_str()
        ),
        (
            "lib.yaml",
            8,
            14,
            "unknown bind variable `REGISTRY_TOKEN` in `{{REGISTRY_TOKEN}}`"
        )
    );
}

fn check_imports(
    text: &str,
) -> Result<
    (
        naftiko_codegen::ir::Capability,
        naftiko_codegen::Diagnostics,
    ),
    naftiko_codegen::Diagnostics,
> {
    naftiko_codegen::check_with(&input("cap.yaml", text, false), Some(&resolve))
}

#[test]
fn a_binds_values_file_is_named_for_what_it_is() {
    let text = "registry-bearer-token: \"dummy-token\"\nregistry-api-version: \"1.0.0-alpha2\"\nport: 8080\n";
    let diags = check(&input("secrets.yaml", text, false)).expect_err("refused");
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "secrets.yaml:1:1: error: a binds `location` values file, not a capability: nothing to generate; it is read by the capability that binds it\n  = help: generate the capability whose `binds` name this file in `location`"
        ]
    );

    // Not flat, or empty: not a values file, so the version is what is missing.
    for text in [
        "info:\n  label: x\n",
        "a: 1\nb: [1, 2]\n",
        "capability: null\n",
    ] {
        let diags = check(&input("other.yaml", text, false)).expect_err("refused");
        let first = diags.iter().next().expect("a diagnostic");
        assert_eq!(first.message, "missing `naftiko` version", "{text}");
    }
}

const REGISTRY: &str = "tests/corpus/official/tutorial/shared/registry-consumes.yaml";

#[test]
fn check_on_a_corpus_library_lists_its_free_variables_as_notes_and_succeeds() {
    for args in [&["check", REGISTRY][..], &["check", "--strict", REGISTRY]] {
        let out = run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        for (line, name) in [(8, "REGISTRY_TOKEN"), (12, "REGISTRY_VERSION")] {
            let note = format!("{REGISTRY}:{line}:14: note: {}", free_note(name));
            assert!(err.contains(&note), "{err}");
        }
        assert!(
            err.contains(&format!(
                "{REGISTRY}: ok: a consumes library (clients only), 3 consumed operations, 0 REST operations, 0 MCP tools, 0 warnings, 2 notes"
            )),
            "{err}"
        );
    }
}

#[test]
fn expand_prints_a_corpus_library_as_clients_only() {
    let out = run(&["expand", REGISTRY]);
    let code = String::from_utf8_lossy(&out.stdout);

    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        code.starts_with("/// Client of the consumed namespace `registry`."),
        "{code}"
    );
    assert!(code.contains("pub fn registry_token("), "{code}");
    assert!(
        !code.contains("CAPABILITY") && !code.contains("fn serve"),
        "{code}"
    );
}

#[test]
fn new_refuses_a_library_it_has_no_server() {
    let dir = std::env::temp_dir().join(format!("naftiko-new-library-{}", std::process::id()));
    let out = run(&["new", dir.to_str().expect("utf-8 path"), "--spec", REGISTRY]);
    let err = String::from_utf8_lossy(&out.stderr);

    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "error: {REGISTRY} is a consumes library: it has no server to scaffold"
        )),
        "{err}"
    );
    assert!(!dir.exists(), "nothing written");
}
