//! The corpus walk: every spec kept under `tests/corpus/` (copies of the official and
//! community files) either generates and compiles warning-free (this crate builds under
//! `#![deny(warnings)]`, and clippy `-D warnings` in CI), or is refused with a located error.

use naftiko_corpus_check::{GENERATED, REFUSED};

/// The specs that generate today. A spec leaving this list is a regression; one joining it
/// is progress: update the list.
const EXPECTED: &[&str] = &[
    "community/nlm-biomedical-literature-research.yaml",
    "community/twilio-shared-messaging.yaml",
    "community/vmware-vsphere-session.yaml",
    "community/vmware-vsphere-vms.yaml",
    "official/assets/capability-example.yml",
    "official/schemas/examples/forecast-aggregate.yml",
    "official/tests/aggregates/aggregate-basic.yaml",
    "official/tests/aggregates/aggregate-hints-override.yaml",
    "official/tests/aggregates/aggregate-shared-mock.yaml",
    "official/tests/aggregates/aggregate-step-with-namespace.yaml",
    "official/tests/baseuri-trailing-slash-capability.yaml",
    "official/tests/control/control-capability.yaml",
    "official/tests/control/control-observability-disabled.yaml",
    "official/tests/control/control-scripting-capability.yaml",
    "official/tests/formats/avro-capability.yaml",
    "official/tests/formats/csv-capability.yaml",
    "official/tests/formats/html-capability.yaml",
    "official/tests/formats/markdown-capability.yaml",
    "official/tests/formats/proto-capability.yaml",
    "official/tests/formats/xml-capability.yaml",
    "official/tests/formats/yaml-capability.yaml",
    "official/tests/http/http-body-capability.yaml",
    "official/tests/http/http-forward-value-capability.yaml",
    "official/tests/http/http-header-query-capability.yaml",
    "official/tests/mcp/mcp-capability.yaml",
    "official/tests/mcp/mcp-hints-capability.yaml",
    "official/tests/mcp/mcp-resources-prompts-capability.yaml",
    "official/tests/mcp/mcp-stdio-capability.yaml",
    "official/tests/mcp/mcp-step-with-namespace-capability.yaml",
    "official/tests/mcp/mcp-tool-handler-with-mustache-capability.yaml",
    "official/tests/nested-object-output-capability.yaml",
    "official/tests/observability/observability-capability.yaml",
    "official/tests/observability/observability-disabled.yaml",
    "official/tests/register.capability.yml",
    "official/tests/rules/spectral-semantics-consistent.yaml",
    "official/tests/rules/spectral-semantics-inconsistent.yaml",
    "official/tests/skill-capability.yaml",
    "official/tutorial/shared/legacy-consumes.yaml",
    "official/tutorial/shared/registry-consumes.yaml",
    "official/tutorial/shared/step11-registry-consumes.yml",
    "official/tutorial/shared/step5-registry-consumes.yaml",
    "official/tutorial/shared/step6-registry-consumes.yaml",
    "official/tutorial/shared/step7-registry-consumes.yml",
    "official/tutorial/step-1-shipyard-mock.yml",
    "official/tutorial/step-10-shipyard-rest-adapter.yml",
    "official/tutorial/step-11-shipyard-fleet-manifest.yml",
    "official/tutorial/step-2-shipyard-wiring.yml",
    "official/tutorial/step-3-shipyard-auth.yml",
    "official/tutorial/step-4-shipyard-output-shaping.yml",
    "official/tutorial/step-5-shipyard-multi-source.yml",
    "official/tutorial/step-6-shipyard-write-operations.yml",
    "official/tutorial/step-7-shipyard-orchestrated-lookup.yml",
    "official/tutorial/step-8-shipyard-skill-groups.yml",
    "official/tutorial/step-9-shipyard-aggregates.yml",
];

#[test]
fn the_expected_specs_generate_and_compile() {
    assert_eq!(GENERATED, EXPECTED);
}

#[test]
fn every_refused_spec_has_a_located_error() {
    for (file, first) in REFUSED {
        let located = first
            .strip_prefix(file)
            .and_then(|rest| rest.strip_prefix(':'))
            .and_then(|rest| {
                let mut parts = rest.splitn(3, ':');
                let line: u64 = parts.next()?.parse().ok()?;
                let col: u64 = parts.next()?.parse().ok()?;
                let message = parts.next()?.strip_prefix(" error: ")?;
                Some((line, col, message))
            });
        let Some((line, col, message)) = located else {
            panic!("{file}: not a located error: {first}");
        };
        assert!(line >= 1 && col >= 1, "{first}");
        assert!(!message.is_empty(), "{first}");
    }
}

/// A spec with a control adapter and script steps: the control adapter generates now, so
/// what stops it is the script step, by design.
#[test]
fn the_script_step_example_is_refused_for_its_script_step() {
    let file = "official/schemas/examples/script-step.yml";
    let first = first_error_of(file);
    assert!(
        first.starts_with(&format!(
            "{file}:53:21: error: `script` step `filter-active`"
        )),
        "{first}"
    );
}

/// The tutorial's secrets file is data that capabilities bind, not a spec: refused for what
/// it is, not for a missing version.
#[test]
fn the_tutorial_secrets_file_is_refused_as_a_binds_values_file() {
    let file = "official/tutorial/shared/secrets.yaml";
    let first = first_error_of(file);
    assert_eq!(
        first,
        format!(
            "{file}:1:1: error: a binds `location` values file, not a capability: nothing to generate; it is read by the capability that binds it"
        )
    );
}

/// The first error of a refused spec.
fn first_error_of(file: &str) -> &'static str {
    REFUSED
        .iter()
        .find(|(f, _)| *f == file)
        .map(|(_, first)| *first)
        .unwrap_or_else(|| panic!("{file} is refused"))
}

fn count_specs(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .map(|p| {
            if p.is_dir() {
                count_specs(&p)
            } else {
                usize::from(p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            }
        })
        .sum()
}

#[test]
fn every_spec_is_accounted_for() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    println!(
        "corpus: {} generate and compile, {} refused",
        GENERATED.len(),
        REFUSED.len()
    );
    assert_eq!(GENERATED.len() + REFUSED.len(), count_specs(&corpus));
}
