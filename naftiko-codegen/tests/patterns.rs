//! `pattern` on exposed inputs is compiled at build time by the engine the server runs: a
//! pattern it cannot run (bad syntax, look-around) or one on a non-string input is a located
//! error, never a surprise at run time.

use naftiko_codegen::{Input, Severity, check};

fn spec(pattern: &str, kind: &str) -> String {
    format!(
        "naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: api
    baseUri: http://upstream.invalid
    resources:
    - name: ship
      path: /ships/{{{{imo}}}}
      operations:
      - name: get-ship
        method: GET
  exposes:
  - type: mcp
    namespace: tools
    port: 9090
    tools:
    - name: get-ship
      description: One ship
      call: api.get-ship
      inputParameters:
      - name: imo
        type: {kind}
        description: IMO number
        pattern: '{pattern}'
"
    )
}

fn errors(text: &str) -> Vec<String> {
    match check(&Input {
        file: "ships.yaml",
        text,
        strict: true,
    }) {
        Ok(_) => Vec::new(),
        Err(diags) => diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(ToString::to_string)
            .collect(),
    }
}

#[test]
fn a_valid_pattern_on_a_string_input_is_accepted() {
    assert_eq!(
        errors(&spec("^IMO[0-9]{7}$", "string")),
        Vec::<String>::new()
    );
}

#[test]
fn a_pattern_that_does_not_parse_is_a_located_error() {
    assert_eq!(
        errors(&spec("^IMO[0-9", "string")),
        [
            "ships.yaml:25:18: error: `pattern` `^IMO[0-9` is not a valid regular expression: unclosed character class"
        ]
    );
}

#[test]
fn look_around_is_refused_with_the_reason() {
    let errors = errors(&spec("^(?!IMO0)IMO[0-9]{7}$", "string"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("ships.yaml:25:18: error: `pattern` `^(?!IMO0)IMO[0-9]{7}$` is not a valid regular expression: look-around"),
        "{errors:?}"
    );
}

#[test]
fn a_pattern_on_a_non_string_input_is_a_located_error() {
    assert_eq!(
        errors(&spec("^[0-9]+$", "integer")),
        ["ships.yaml:25:18: error: `pattern` applies to string inputs only; this input is integer"]
    );
}
