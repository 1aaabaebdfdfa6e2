//! MCP resources and prompts: every mistake is a located error at the node that holds it
//! (duplicate names, URI variables `with` does not use or does not know, `location` that is
//! not `file:///` or names no file, `template` with `location`, unknown placeholders).

use naftiko_codegen::{Input, Severity, check_with, ir};

const HEAD: &str = "naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: api
    baseUri: http://upstream.invalid
    resources:
    - name: user
      path: /users/{{id}}
      operations:
      - name: get-user
        method: GET
  exposes:
  - type: mcp
    namespace: tools
    port: 9090
";

/// Files the spec may name: `file:///./<name>`.
fn resolve(location: &str) -> Result<(String, String), String> {
    let name = location.trim_start_matches("file:///./");
    match name {
        "guide.md" => Ok((name.to_owned(), "# Guide\n".to_owned())),
        "review.md" => Ok((
            name.to_owned(),
            "Review {{code}} and {{style}}\n".to_owned(),
        )),
        _ => Err(format!("no such file {name}")),
    }
}

fn run(body: &str) -> Result<ir::Capability, Vec<String>> {
    let text = format!("{HEAD}{body}");
    let input = Input {
        file: "x.yaml",
        text: &text,
        strict: false,
    };
    match check_with(&input, Some(&resolve)) {
        Ok((cap, _)) => Ok(cap),
        Err(diags) => Err(diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(ToString::to_string)
            .collect()),
    }
}

fn errors(body: &str) -> Vec<String> {
    run(body).err().unwrap_or_default()
}

/// Asserts exactly one error, at `line:col`, containing `message`.
fn assert_one(body: &str, at: &str, message: &str) {
    let errors = errors(body);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(&format!("x.yaml:{at}: error: ")),
        "expected an error at {at}: {errors:#?}"
    );
    assert!(errors[0].contains(message), "{errors:#?}");
}

#[test]
fn valid_resources_and_prompts_build_their_ir() {
    let cap = run("    resources:
    - name: guide
      uri: docs://guide
      location: file:///./guide.md
    - name: user
      uri: data://users/{userId}
      call: api.get-user
      with:
        id: '{{userId}}'
    prompts:
    - name: review
      arguments:
      - name: code
      - name: style
        required: false
      location: file:///./review.md
")
    .expect("valid");
    let mcp = &cap.mcp[0];
    assert_eq!(
        mcp.resources[0].content,
        ir::ResourceContent::Static("# Guide\n".into())
    );
    assert!(!mcp.resources[0].is_template());
    assert!(mcp.resources[1].is_template());
    let prompt = &mcp.prompts[0];
    assert_eq!(
        prompt
            .arguments
            .iter()
            .map(|a| (a.name.as_str(), a.required))
            .collect::<Vec<_>>(),
        [("code", true), ("style", false)]
    );
    assert_eq!(
        prompt.messages,
        [ir::PromptMessage {
            assistant: false,
            parts: vec![
                ir::PromptPart::Literal("Review ".into()),
                ir::PromptPart::Argument(0),
                ir::PromptPart::Literal(" and ".into()),
                ir::PromptPart::Argument(1),
                ir::PromptPart::Literal("\n".into()),
            ],
        }]
    );
}

#[test]
fn duplicate_resource_and_prompt_names_are_located_at_the_second() {
    assert_one(
        "    resources:
    - name: guide
      uri: docs://a
      location: file:///./guide.md
    - name: guide
      uri: docs://b
      location: file:///./guide.md
",
        "21:13",
        "duplicate resource name `guide`",
    );
    assert_one(
        "    prompts:
    - name: p
      template: [{role: user, content: hi}]
    - name: p
      template: [{role: user, content: hi}]
",
        "20:13",
        "duplicate prompt name `p`",
    );
}

#[test]
fn uri_variables_must_be_used_by_with_and_with_must_use_only_them() {
    assert_one(
        "    resources:
    - name: user
      uri: data://users/{userId}/{x}
      call: api.get-user
      with:
        id: '{{userId}}'
",
        "19:12",
        "URI variable `{x}` is not used in `with`",
    );
    // The misspelt variable, and so the URI variable nothing uses.
    let errors = errors(
        "    resources:
    - name: user
      uri: data://users/{userId}
      call: api.get-user
      with:
        id: '{{user}}'
",
    );
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].starts_with(
            "x.yaml:22:13: error: `user` is not a variable of the resource URI `data://users/{userId}`"
        ),
        "{errors:#?}"
    );
    assert!(
        errors[1].starts_with("x.yaml:19:12: error: URI variable `{userId}` is not used"),
        "{errors:#?}"
    );
}

#[test]
fn locations_must_be_file_uris_naming_a_readable_file() {
    assert_one(
        "    resources:
    - name: guide
      uri: docs://guide
      location: https://example.com/guide.md
",
        "20:17",
        "must be a `file:///` URI",
    );
    assert_one(
        "    resources:
    - name: guide
      uri: docs://guide
      location: file:///./absent.md
",
        "20:17",
        "cannot read `file:///./absent.md`",
    );
    assert_one(
        "    prompts:
    - name: p
      location: file:///./absent.md
",
        "19:17",
        "cannot read `file:///./absent.md`",
    );
}

#[test]
fn template_and_location_exclude_each_other() {
    assert_one(
        "    prompts:
    - name: p
      template: [{role: user, content: hi}]
      location: file:///./guide.md
",
        "20:17",
        "`template` and `location` exclude each other",
    );
    assert_one(
        "    resources:
    - name: user
      uri: data://user
      call: api.get-user
      location: file:///./guide.md
",
        "21:17",
        "`location` excludes `call` and `steps`",
    );
}

#[test]
fn unknown_placeholders_are_located_at_the_text_that_holds_them() {
    assert_one(
        "    prompts:
    - name: p
      arguments:
      - name: who
      template:
      - role: user
        content: Hello {{who}} from {{where}}
",
        "23:18",
        "`{{where}}` is not an argument of prompt `p`",
    );
    // In a file, at its `location`.
    assert_one(
        "    prompts:
    - name: review
      arguments:
      - name: code
      location: file:///./review.md
",
        "21:17",
        "`{{style}}` is not an argument of prompt `review`",
    );
}

#[test]
fn static_resources_cannot_be_templates_and_roles_are_user_or_assistant() {
    assert_one(
        "    resources:
    - name: guide
      uri: docs://{page}
      location: file:///./guide.md
",
        "19:12",
        "static resource `guide` cannot have URI variables",
    );
    assert_one(
        "    prompts:
    - name: p
      template: [{role: system, content: hi}]
",
        "19:25",
        "unknown message role `system`",
    );
}
