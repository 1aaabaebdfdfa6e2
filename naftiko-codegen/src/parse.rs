//! YAML text to the spec model: the version first, then the typed parse.

use crate::diagnostics::{Diagnostics, Pos};
use crate::spec::{self, Scalar, pos};

/// The spec versions this generator reads.
pub const SUPPORTED_VERSIONS: &[&str] = &["1.0.0-alpha1", "1.0.0-alpha2"];

fn options() -> serde_saphyr::Options {
    // serde-saphyr's default budget (250,000 nodes, 1,000,000 events) refuses specs of more
    // than ~4,800 operations (about 50 nodes each). Specs are the developer's own files, not
    // untrusted input: allow ~100,000 operations; the other limits stay.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 5_000_000;
    budget.max_events = 20_000_000;
    serde_saphyr::options! {
        strict_booleans: true,
        budget: Some(budget),
    }
}

/// Reads the document, or records why it cannot be read.
pub(crate) fn parse(text: &str, diags: &mut Diagnostics) -> Option<spec::Document> {
    let probe: spec::VersionProbe = match serde_saphyr::from_str_with_options(text, options()) {
        Ok(p) => p,
        Err(e) => {
            yaml_error(&e, diags);
            return None;
        }
    };
    let Some(version) = probe.naftiko else {
        if is_values_file(text) {
            diags
                .error(Pos::START, "a binds `location` values file, not a capability: nothing to generate; it is read by the capability that binds it")
                .help("generate the capability whose `binds` name this file in `location`");
            return None;
        }
        diags
            .error(Pos::START, "missing `naftiko` version")
            .help(format!(
                "start the file with `naftiko: {}`",
                SUPPORTED_VERSIONS[1]
            ));
        return None;
    };
    let found = match &version.value {
        Scalar::Str(s) => s.clone(),
        other => other.describe(),
    };
    if !SUPPORTED_VERSIONS.contains(&found.as_str()) {
        diags
            .error(
                pos(&version),
                format!("unsupported naftiko version `{found}`"),
            )
            .help(format!(
                "this generator reads {}",
                SUPPORTED_VERSIONS.join(" and ")
            ));
        return None;
    }
    match serde_saphyr::from_str_with_options(text, options()) {
        Ok(doc) => Some(doc),
        Err(e) => {
            yaml_error(&e, diags);
            None
        }
    }
}

/// A flat mapping of names to scalar values (`registry-bearer-token: "dummy-token"`): what
/// a `binds` entry's `location` names, not a spec (which has a key of its own, or nesting).
fn is_values_file(text: &str) -> bool {
    const SPEC_KEYS: &[&str] = &["info", "capability", "consumes", "binds", "exposes"];
    serde_saphyr::from_str_with_options::<std::collections::BTreeMap<String, Scalar>>(
        text,
        options(),
    )
    .is_ok_and(|values| {
        !values.is_empty()
            && values.values().all(|v| !matches!(v, Scalar::Composite))
            && !values.keys().any(|k| SPEC_KEYS.contains(&k.as_str()))
    })
}

fn yaml_error(e: &serde_saphyr::Error, diags: &mut Diagnostics) {
    let at = e.location().map_or(Pos::START, |l| Pos::of(&l));
    // Without the snippet serde-saphyr renders `<message> at line L, column C`; with it,
    // `error: line L column C: <message>` and a code frame, which we would repeat.
    let text = e.without_snippet().to_string();
    // serde-saphyr appends its own location; keep the first line, we locate it.
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let message = first
        .split(" at line ")
        .next()
        .unwrap_or(first)
        .trim_end_matches(',')
        .to_owned();
    diags.error(at, message);
}
