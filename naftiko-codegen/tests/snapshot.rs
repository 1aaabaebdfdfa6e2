//! The generated Rust for every spec in `specs/`, pinned. A change to the generator shows up
//! here as a reviewed diff: run with `UPDATE_SNAPSHOTS=1` to rewrite, then read `git diff`.
//! The snapshots are also compiled warning-free (`tests/snapshots_compile.rs` in the root package).

use std::path::Path;

use naftiko_codegen::{Input, generate};

fn check_snapshot(spec: &str, snapshot: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = std::fs::read_to_string(root.join(spec)).unwrap();
    let generated = generate(&Input {
        file: spec,
        text: &text,
        strict: false,
    })
    .unwrap_or_else(|d| panic!("{spec} does not generate:\n{}", d.render(&text)));
    let actual = format!(
        "// Snapshot of {spec}. Regenerate: UPDATE_SNAPSHOTS=1 cargo test -p naftiko-codegen --test snapshot\n{}",
        generated.pretty()
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(snapshot);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_SNAPSHOTS=1)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{snapshot} differs from the generator's output from line {}:\n  snapshot:  {:?}\n  generated: {:?}\nreview, then UPDATE_SNAPSHOTS=1",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn vsphere_session() {
    check_snapshot("specs/vsphere-session.yaml", "vsphere_session.rs");
}

#[test]
fn output_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = std::fs::read_to_string(root.join("specs/vsphere-session.yaml")).unwrap();
    let input = Input {
        file: "specs/vsphere-session.yaml",
        text: &text,
        strict: false,
    };
    let a = generate(&input).unwrap().pretty();
    let b = generate(&input).unwrap().pretty();
    assert_eq!(a, b);
    assert!(
        !a.contains(root.to_str().unwrap()),
        "no absolute paths in generated text"
    );
}
