//! `naftiko-codegen new` writes a crate that builds warning-free and whose server answers
//! `--help` with the spec's settings. The spec is the official tutorial's step 7, which
//! imports two files from `shared/`: the scaffold must carry them along.
//!
//! Builds in this workspace's target directory with its lock file, offline, so nothing is
//! downloaded and the dependencies are already compiled.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

fn new_crate(dir: &Path, spec: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_naftiko-codegen"))
        .arg("new")
        .arg(dir)
        .arg("--spec")
        .arg(spec)
        .output()
        .expect("run naftiko-codegen new")
}

#[test]
fn scaffold_of_an_importing_spec_builds_and_serves_help() {
    let dir = target_dir().join("scaffold-test/shipyard-lookup");
    let _ = std::fs::remove_dir_all(&dir);
    let spec =
        workspace().join("tests/corpus/official/tutorial/step-7-shipyard-orchestrated-lookup.yml");

    let out = new_crate(&dir, &spec);
    assert!(
        out.status.success(),
        "new failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "Cargo.toml",
        "build.rs",
        "src/lib.rs",
        "src/main.rs",
        "specs/step-7-shipyard-orchestrated-lookup.yml",
        "specs/shared/step7-registry-consumes.yml",
        "specs/shared/legacy-consumes.yaml",
    ] {
        assert!(dir.join(file).is_file(), "{file} not written");
    }

    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let mut manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    manifest.push_str("\n[workspace]\n");
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--message-format=short"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "scaffold failed to build:\n{stderr}");
    let own_warnings: Vec<_> = stderr
        .lines()
        .filter(|l| l.contains("warning") && !l.contains("specs/"))
        .collect();
    assert!(own_warnings.is_empty(), "built with warnings:\n{stderr}");

    let help = Command::new(target_dir().join("debug/shipyard-lookup-server"))
        .arg("--help")
        .output()
        .expect("run the scaffolded server");
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in ["--mcp-port", "--address", "--registry-token", "--base-uri-"] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn new_refuses_a_bad_spec_and_a_non_empty_directory() {
    let root = target_dir().join("scaffold-test");
    let bad = root.join("bad.yaml");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(&bad, "naftiko: 9.9.9\n").unwrap();

    let out = new_crate(&root.join("never-made"), &bad);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("bad.yaml:1:"), "{stderr}");
    assert!(!root.join("never-made").exists());

    let full = root.join("full");
    std::fs::create_dir_all(&full).unwrap();
    std::fs::write(full.join("keep.txt"), "mine").unwrap();
    let out = new_crate(&full, &workspace().join("specs/vsphere-session.yaml"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(full.join("keep.txt")).unwrap(),
        "mine"
    );
}
