//! Helpers shared by the integration tests that read the workspace's files or run the CLI.
// Each test binary compiles this module and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root: spec paths in the tests are relative to it.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("naftiko-codegen sits in the workspace")
        .to_path_buf()
}

/// Runs `naftiko-codegen <args>` from the workspace root.
pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_naftiko-codegen"))
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("run naftiko-codegen")
}
