//! The real-world dialect: `check --strict` on a community file lists every deviation from the
//! official schema with `file:line:col` and exits 1 (lenient, the same findings are warnings);
//! and an `outputRawFormat` other than json is refused with a located error.

use std::path::PathBuf;

use naftiko_codegen::{Input, Severity, check};

mod common;
use common::{run, workspace_root};

const VMS: &str = "tests/corpus/community/vmware-vsphere-vms.yaml";

/// Every deviation of `vmware-vsphere-vms.yaml` from the official alpha2 schema, as
/// (line, column, start of the message), in the order reported.
/// A finding: (line, column, start of the message).
type Deviation = (u64, u64, &'static str);

const VMS_DEVIATIONS: &[Deviation] = &[
    (
        19,
        14,
        "`{vcenter}` in baseUri is read as the client setting `vcenter` (flag -",
    ),
    (
        36,
        17,
        "`type`, `description` on consumed parameter `filter.vms` are not in th",
    ),
    (
        40,
        17,
        "`type`, `description` on consumed parameter `filter.names` are not in ",
    ),
    (
        44,
        17,
        "`type`, `description` on consumed parameter `filter.folders` are not i",
    ),
    (
        48,
        17,
        "`type`, `description` on consumed parameter `filter.datacenters` are n",
    ),
    (
        52,
        17,
        "`type`, `description` on consumed parameter `filter.hosts` are not in ",
    ),
    (
        56,
        17,
        "`type`, `description` on consumed parameter `filter.clusters` are not ",
    ),
    (
        60,
        17,
        "`type`, `description` on consumed parameter `filter.resource_pools` ar",
    ),
    (
        64,
        17,
        "`type`, `description` on consumed parameter `filter.power_states` are ",
    ),
    (
        77,
        17,
        "`type`, `description`, `required` on consumed parameter `body` are not",
    ),
    (81, 13, "`{vm}` is read as the parameter `vm`"),
    (
        105,
        11,
        "`description` on a REST adapter is not in the official schema",
    ),
    (
        130,
        20,
        "`type: object` output without `properties` passes `$.` through unchang",
    ),
    (
        120,
        23,
        "`rest.filter.vms` is read as `vsphere-vms-rest.filter.vms`, the input ",
    ),
    (
        120,
        23,
        "`with` references the undeclared input `filter.vms`",
    ),
    (
        121,
        25,
        "`rest.filter.names` is read as `vsphere-vms-rest.filter.names`, the in",
    ),
    (
        121,
        25,
        "`with` references the undeclared input `filter.names`",
    ),
    (
        122,
        27,
        "`rest.filter.folders` is read as `vsphere-vms-rest.filter.folders`, th",
    ),
    (
        122,
        27,
        "`with` references the undeclared input `filter.folders`",
    ),
    (
        123,
        31,
        "`rest.filter.datacenters` is read as `vsphere-vms-rest.filter.datacent",
    ),
    (
        123,
        31,
        "`with` references the undeclared input `filter.datacenters`",
    ),
    (
        124,
        25,
        "`rest.filter.hosts` is read as `vsphere-vms-rest.filter.hosts`, the in",
    ),
    (
        124,
        25,
        "`with` references the undeclared input `filter.hosts`",
    ),
    (
        125,
        28,
        "`rest.filter.clusters` is read as `vsphere-vms-rest.filter.clusters`, ",
    ),
    (
        125,
        28,
        "`with` references the undeclared input `filter.clusters`",
    ),
    (
        126,
        34,
        "`rest.filter.resource_pools` is read as `vsphere-vms-rest.filter.resou",
    ),
    (
        126,
        34,
        "`with` references the undeclared input `filter.resource_pools`",
    ),
    (
        127,
        32,
        "`rest.filter.power_states` is read as `vsphere-vms-rest.filter.power_s",
    ),
    (
        127,
        32,
        "`with` references the undeclared input `filter.power_states`",
    ),
    (
        139,
        20,
        "`type: object` output without `properties` passes `$.` through unchang",
    ),
    (
        136,
        17,
        "`rest.body` is read as `vsphere-vms-rest.body`, the input `body`",
    ),
    (136, 17, "`with` references the undeclared input `body`"),
    (
        140,
        13,
        "path variable `vm` is not declared in `inputParameters`",
    ),
    (
        150,
        20,
        "`type: object` output without `properties` passes `$.` through unchang",
    ),
    (
        157,
        20,
        "`type: object` output without `properties` passes `$.` through unchang",
    ),
    (
        183,
        18,
        "`type: object` output without `properties` passes `$.` through unchang",
    ),
    (
        173,
        21,
        "`tools.filter.vms` is read as `vsphere-vms-mcp.filter.vms`, the input ",
    ),
    (
        174,
        23,
        "`tools.filter.names` is read as `vsphere-vms-mcp.filter.names`, the in",
    ),
    (
        175,
        25,
        "`tools.filter.folders` is read as `vsphere-vms-mcp.filter.folders`, th",
    ),
    (
        176,
        29,
        "`tools.filter.datacenters` is read as `vsphere-vms-mcp.filter.datacent",
    ),
    (
        177,
        23,
        "`tools.filter.hosts` is read as `vsphere-vms-mcp.filter.hosts`, the in",
    ),
    (
        178,
        26,
        "`tools.filter.clusters` is read as `vsphere-vms-mcp.filter.clusters`, ",
    ),
    (
        179,
        32,
        "`tools.filter.resource_pools` is read as `vsphere-vms-mcp.filter.resou",
    ),
    (
        180,
        30,
        "`tools.filter.power_states` is read as `vsphere-vms-mcp.filter.power_s",
    ),
    (
        173,
        9,
        "tool `vmware-list-virtual-machines` has `with` but no `inputParameters",
    ),
    (
        195,
        18,
        "`type: object` output without `properties` passes `$.` through unchang",
    ),
    (
        192,
        15,
        "`tools.body` is read as `vsphere-vms-mcp.body`, the input `body`",
    ),
    (
        192,
        9,
        "tool `vmware-create-new-virtual-machine` has `with` but no `inputParam",
    ),
    (
        205,
        18,
        "`type: object` output without `properties` passes `$.` through unchang",
    ),
    (196, 7, "consumed parameter `vm` has no source"),
    (
        215,
        18,
        "`type: object` output without `properties` passes `$.` through unchang",
    ),
    (206, 7, "consumed parameter `vm` has no source"),
];

/// `(line, col, message)` of every `<file>:<line>:<col>: <severity>: <message>` line.
fn located(stderr: &str, file: &str, severity: &str) -> Vec<(u64, u64, String)> {
    let head = format!("{file}:");
    let marker = format!(": {severity}: ");
    stderr
        .lines()
        .filter(|l| l.starts_with(&head) && l.contains(&marker))
        .map(|l| {
            let rest = &l[head.len()..];
            let (position, message) = rest.split_once(&marker).expect("a marker");
            let (line, col) = position.split_once(':').expect("line:col");
            (
                line.parse().expect("a line number"),
                col.parse().expect("a column number"),
                message.to_owned(),
            )
        })
        .collect()
}

fn assert_deviations(found: &[(u64, u64, String)]) {
    for ((line, col, message), (want_line, want_col, phrase)) in found.iter().zip(VMS_DEVIATIONS) {
        assert_eq!(
            (*line, *col),
            (*want_line, *want_col),
            "`{message}` is not where `{phrase}` was expected"
        );
        assert!(message.starts_with(phrase), "{line}:{col}: `{message}`");
    }
    assert_eq!(
        found.len(),
        VMS_DEVIATIONS.len(),
        "every deviation, each once: {found:#?}"
    );
}

#[test]
fn check_strict_lists_every_deviation_of_a_community_file_and_exits_1() {
    let out = run(&["check", "--strict", VMS]);
    let stderr = String::from_utf8_lossy(&out.stderr);

    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors = located(&stderr, VMS, "error");
    assert_deviations(&errors);
    assert!(
        located(&stderr, VMS, "warning").is_empty(),
        "strict turns every warning into an error:\n{stderr}"
    );
    // Each one shows its source line with a caret under the column.
    assert!(
        stderr.contains("81 |       path: /vcenter/vm/{vm}\n   |             ^"),
        "{stderr}"
    );
    assert!(!stderr.contains(": ok: "), "{stderr}");
}

#[test]
fn check_without_strict_reports_the_same_deviations_as_warnings_and_exits_0() {
    let out = run(&["check", VMS]);
    let stderr = String::from_utf8_lossy(&out.stderr);

    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_deviations(&located(&stderr, VMS, "warning"));
    assert!(located(&stderr, VMS, "error").is_empty(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{VMS}: ok: 4 consumed operations, 4 REST operations, 4 MCP tools, {} warnings",
            VMS_DEVIATIONS.len()
        )),
        "{stderr}"
    );
}

#[test]
fn the_library_check_with_strict_refuses_with_the_same_located_errors() {
    let text = std::fs::read_to_string(workspace_root().join(VMS)).expect("read the spec");
    let input = |strict| Input {
        file: VMS,
        text: &text,
        strict,
    };

    let diags = check(&input(true)).expect_err("strict refuses");
    assert!(diags.iter().all(|d| d.severity == Severity::Error));
    let errors: Vec<_> = diags
        .iter()
        .map(|d| (d.pos.line, d.pos.column, d.message.clone()))
        .collect();
    assert_deviations(&errors);

    let (_, warnings) = check(&input(false)).expect("lenient accepts");
    let lenient: Vec<_> = warnings
        .iter()
        .map(|d| (d.pos.line, d.pos.column, d.message.clone()))
        .collect();
    assert_eq!(lenient, errors);
}

/// A spec whose one consumed operation declares `outputRawFormat: <format>` at 12:26.
fn with_format(format: &str) -> String {
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
"
    )
}

#[test]
fn every_official_output_raw_format_is_accepted_and_an_unknown_one_is_located() {
    let text = with_format("parquet");
    let diags = check(&Input {
        file: "formats.yaml",
        text: &text,
        strict: false,
    })
    .expect_err("parquet");
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "formats.yaml:12:26: error: unknown outputRawFormat `parquet`\n  = help: expected json, yaml, xml, csv, tsv, psv, html, markdown, avro or protobuf"
        ]
    );
    // No outputSchema: avro then needs a container file, protobuf reads fields by number
    // (with no mapping by name here, nothing to warn about).
    for format in [
        "json", "yaml", "xml", "csv", "tsv", "psv", "html", "markdown", "avro", "protobuf",
    ] {
        assert!(
            check(&Input {
                file: "formats.yaml",
                text: &with_format(format),
                strict: true,
            })
            .is_ok(),
            "{format}"
        );
    }
}

#[test]
fn check_names_file_line_col_of_an_unknown_output_raw_format() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dialect");
    std::fs::create_dir_all(&dir).expect("create a scratch directory");
    let spec = dir.join("parquet-format.yaml");
    std::fs::write(&spec, with_format("parquet")).expect("write the spec");
    let shown = spec.display().to_string();

    let out = run(&["check", &shown]);
    let stderr = String::from_utf8_lossy(&out.stderr);

    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "{shown}:12:26: error: unknown outputRawFormat `parquet`\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("12 |         outputRawFormat: parquet\n   |                          ^"),
        "{stderr}"
    );
}

/// The lenient constructs the end-to-end feature specs use on purpose (`tests/features/specs/`):
/// (spec, [(line, column, start of the warning)]).
const FEATURE_DEVIATIONS: &[(&str, &[Deviation])] = &[
    (
        "params.yaml",
        &[
            (19, 13, "`{imo}` is read as the parameter `imo`"),
            (
                50,
                13,
                "path variable `fleet` is not declared in `inputParameters`",
            ),
            (
                107,
                19,
                "`tools.name` is read as `params-mcp.name`, the input `name`",
            ),
            (
                107,
                9,
                "tool `get-ship-derived` has `with` but no `inputParameters`",
            ),
        ],
    ),
    (
        "bodies.yaml",
        &[(62, 17, "body `type: form` is read as `formUrlEncoded`")],
    ),
    (
        "inputs.yaml",
        &[(
            53,
            13,
            "path variable `id` is not declared in `inputParameters`",
        )],
    ),
    ("auth.yaml", &[]),
    (
        "outputs.yaml",
        &[
            (
                47,
                35,
                "`type: object` output without `properties` passes `$`",
            ),
            (
                82,
                34,
                "`type: array` output without `items` passes `$.data.items[*].id`",
            ),
            (
                89,
                34,
                "`type: array` output without `items` passes `$.data.map.*.v`",
            ),
            (
                157,
                13,
                "path variable `imo` is not declared in `inputParameters`",
            ),
        ],
    ),
];

#[test]
fn feature_specs_are_warned_about_each_lenient_construct_and_refused_under_strict() {
    for (spec, expected) in FEATURE_DEVIATIONS {
        let path = workspace_root().join("tests/features/specs").join(spec);
        let text = std::fs::read_to_string(&path).expect("read the spec");
        let input = |strict| Input {
            file: spec,
            text: &text,
            strict,
        };
        let (_, warnings) = check(&input(false)).unwrap_or_else(|d| panic!("{spec}:\n{d}"));
        let found: Vec<_> = warnings
            .iter()
            .map(|d| (d.pos.line, d.pos.column, d.message.clone()))
            .collect();
        assert_eq!(found.len(), expected.len(), "{spec}: {found:#?}");
        for ((line, col, message), (want_line, want_col, phrase)) in found.iter().zip(*expected) {
            assert_eq!((line, col), (want_line, want_col), "{spec}: `{message}`");
            assert!(
                message.starts_with(phrase),
                "{spec}:{line}:{col}: `{message}`"
            );
        }
        match check(&input(true)) {
            Ok(_) => assert!(expected.is_empty(), "{spec}: strict must refuse"),
            Err(errors) => {
                let strict: Vec<_> = errors
                    .iter()
                    .map(|d| (d.pos.line, d.pos.column, d.message.clone()))
                    .collect();
                assert_eq!(strict, found, "{spec}");
            }
        }
    }
}
