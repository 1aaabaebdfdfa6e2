//! `outputSchema` of avro and protobuf operations: read relative to the spec, checked and
//! compiled at build time; every problem is a located error at the `outputSchema` value,
//! and a protobuf operation read by field names without one is a located warning.

use naftiko_codegen::ir::{Format, OutputSchema};
use naftiko_codegen::{Diagnostics, Input, Severity, check_with, ir};

/// A consumed operation with `outputRawFormat` at 12:26 and `outputSchema` at 13:23, and a
/// REST operation mapping its result by `mapping`.
fn spec(format: &str, schema: Option<&str>, mapping: &str) -> String {
    let schema = schema.map_or(String::new(), |s| format!("        outputSchema: {s}\n"));
    format!(
        "naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: api
    baseUri: http://example.com
    resources:
    - path: /doc
      operations:
      - name: doc
        method: GET
        outputRawFormat: {format}
{schema}  exposes:
  - type: rest
    namespace: web
    port: 8080
    resources:
    - path: /doc
      operations:
      - method: GET
        call: api.doc
        outputParameters:
        - type: array
          mapping: {mapping}
          items:
            type: string
            mapping: $
"
    )
}

/// The files a spec may name, as if beside it.
fn resolve(location: &str) -> Result<(String, String), String> {
    let name = location
        .trim_start_matches("file:///")
        .trim_start_matches("./");
    let text = match name {
        "page.avsc" => {
            r#"{"type": "record", "name": "Page", "fields": [{"name": "records", "type": {"type": "array", "items": "string"}}]}"#
        }
        "bad.avsc" => r#"{"type": "record", "name": "Page", "fields": [{"name": "x"}]}"#,
        "protos/records.proto" => {
            "syntax = \"proto3\";\npackage shop.v1;\nimport \"common.proto\";\nimport \"google/protobuf/timestamp.proto\";\nmessage Page { repeated Record records = 1; }\nmessage Record { string id = 1; common.Money price = 2; google.protobuf.Timestamp created_at = 3; }\n"
        }
        "protos/common.proto" => {
            "syntax = \"proto3\";\npackage common;\nmessage Money { int64 units = 1; }\n"
        }
        "broken.proto" => {
            "syntax = \"proto3\";\nmessage Page {\n  repeated Record records = 1;\n}\n"
        }
        "empty.proto" => "syntax = \"proto3\";\npackage nothing;\n",
        "missing-import.proto" => {
            "syntax = \"proto3\";\nimport \"nowhere.proto\";\nmessage A { int32 a = 1; }\n"
        }
        _ => return Err(format!("no such file {name}")),
    };
    Ok((name.to_owned(), text.to_owned()))
}

fn run(text: &str, strict: bool) -> Result<(ir::Capability, Diagnostics), Diagnostics> {
    let input = Input {
        file: "x.yaml",
        text,
        strict,
    };
    check_with(&input, Some(&resolve))
}

fn only_error(text: &str) -> String {
    let diags = run(text, false).expect_err("an error");
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors[0].clone()
}

fn schema_of(text: &str) -> (Format, Option<OutputSchema>) {
    let (cap, warnings) = run(text, true).expect("generates, even under strict");
    assert!(warnings.is_empty(), "{warnings:?}");
    let op = &cap.clients[0].operations[0];
    (op.format, op.output_schema.clone())
}

#[test]
fn an_avro_schema_is_checked_and_kept_as_written() {
    let (format, schema) = schema_of(&spec("avro", Some("page.avsc"), "$.records"));
    assert_eq!(format, Format::Avro);
    let Some(OutputSchema::Avro { json }) = schema else {
        panic!("{schema:?}")
    };
    assert!(json.contains("\"records\""));
    assert_eq!(
        schema_of(&spec("avro", None, "$.records")),
        (Format::Avro, None)
    );
}

#[test]
fn a_proto_is_compiled_with_its_imports_and_the_named_or_first_message() {
    for (schema, message) in [
        ("protos/records.proto", "shop.v1.Page"),
        ("protos/records.proto#shop.v1.Record", "shop.v1.Record"),
        // Relative to the file's package.
        ("protos/records.proto#Record", "shop.v1.Record"),
        ("file:///./protos/records.proto", "shop.v1.Page"),
    ] {
        let (format, compiled) = schema_of(&spec("protobuf", Some(schema), "$.records"));
        assert_eq!(format, Format::Protobuf);
        let Some(OutputSchema::Protobuf {
            descriptor_set,
            message: found,
        }) = compiled
        else {
            panic!("{schema}: {compiled:?}")
        };
        assert_eq!(found, message, "{schema}");
        // The set carries the imports the message needs, well-known types included.
        let text = String::from_utf8_lossy(&descriptor_set);
        for file in ["common.proto", "google/protobuf/timestamp.proto"] {
            assert!(text.contains(file), "{schema}: {file} missing");
        }
    }
}

#[test]
fn schema_files_that_cannot_be_used_are_located_errors() {
    let missing = only_error(&spec("avro", Some("nowhere.avsc"), "$.records"));
    assert!(
        missing.starts_with("x.yaml:13:23: error: cannot read `outputSchema` `nowhere.avsc`"),
        "{missing}"
    );
    let bad = only_error(&spec("avro", Some("bad.avsc"), "$.records"));
    assert!(
        bad.starts_with("x.yaml:13:23: error: `bad.avsc` is not an Avro schema: "),
        "{bad}"
    );
    let broken = only_error(&spec("protobuf", Some("broken.proto"), "$.records"));
    assert!(
        broken
            .starts_with("x.yaml:13:23: error: cannot compile `broken.proto`: broken.proto:3:12: "),
        "{broken}"
    );
    assert!(broken.contains("Record"), "{broken}");
    let import = only_error(&spec("protobuf", Some("missing-import.proto"), "$.a"));
    assert!(
        import.starts_with("x.yaml:13:23: error: cannot compile `missing-import.proto`: ")
            && import.contains("nowhere.proto"),
        "{import}"
    );
    let unknown = only_error(&spec(
        "protobuf",
        Some("protos/records.proto#shop.v1.Order"),
        "$.records",
    ));
    assert_eq!(
        unknown,
        "x.yaml:13:23: error: no message `shop.v1.Order` in `protos/records.proto`\n  = help: messages: shop.v1.Page, shop.v1.Record"
    );
    let empty = only_error(&spec("protobuf", Some("empty.proto"), "$.records"));
    assert!(
        empty.starts_with("x.yaml:13:23: error: `empty.proto` declares no message"),
        "{empty}"
    );
}

#[test]
fn protobuf_without_a_schema_mapped_by_name_is_a_located_warning() {
    let text = spec("protobuf", None, "$.records");
    let (_, warnings) = run(&text, false).expect("generates");
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "x.yaml:12:26: warning: protobuf without outputSchema: fields are known only by number; mapping `$.records` cannot match\n  = help: add `outputSchema: FILE.proto` (or `FILE.proto#package.Message`)"
        ]
    );
    let strict = run(&text, true).expect_err("refused under strict");
    assert!(
        strict
            .iter()
            .any(|d| d.severity == Severity::Error && d.pos.line == 12 && d.pos.column == 26),
        "{strict:?}"
    );
    // Field numbers match on the wire: nothing to warn about.
    let (_, warnings) = run(&spec("protobuf", None, "$.1"), true).expect("generates");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn output_schema_on_other_formats_is_named_not_dropped() {
    let text = spec("html", Some("table.products"), "$");
    let (_, warnings) = run(&text, false).expect("generates");
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "x.yaml:13:23: warning: `outputSchema` for html (a selector) is not supported yet by naftiko-rs: the whole body is kept as text\n  = help: `outputSchema` names the schema file of an avro or protobuf body"
        ]
    );
    let (_, warnings) = run(&spec("xml", Some("page.avsc"), "$"), false).expect("generates");
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "x.yaml:13:23: warning: `outputSchema` is not used for outputRawFormat `xml`\n  = help: `outputSchema` names the schema file of an avro or protobuf body"
        ]
    );
}

/// The official corpus files set `outputRawFormat` and no `outputSchema`: both generate;
/// the protobuf one, mapped by names the wire does not carry, with the warning.
#[test]
fn the_corpus_avro_and_proto_capabilities_generate() {
    let corpus = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/corpus/official/tests/formats/"
    );
    let warnings = |file: &str| -> Vec<String> {
        let text = std::fs::read_to_string(format!("{corpus}{file}")).expect("read");
        let (_, warnings) = check_with(
            &Input {
                file,
                text: &text,
                strict: false,
            },
            None,
        )
        .unwrap_or_else(|d| panic!("{file}: {d}"));
        warnings.iter().map(ToString::to_string).collect()
    };
    assert_eq!(warnings("avro-capability.yaml"), Vec::<String>::new());
    assert_eq!(
        warnings("proto-capability.yaml"),
        [
            "proto-capability.yaml:61:32: warning: protobuf without outputSchema: fields are known only by number; mapping `$.records` cannot match\n  = help: add `outputSchema: FILE.proto` (or `FILE.proto#package.Message`)"
        ]
    );
}
