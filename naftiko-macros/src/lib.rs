//! `capability!("specs/x.yaml")`: a thin front end over `naftiko-codegen`.

use proc_macro::TokenStream;

/// Expands to the items generated from a Naftiko capability spec.
///
/// The path is relative to the calling crate's `CARGO_MANIFEST_DIR`, or to
/// `NAFTIKO_SPEC_DIR` when that is set. `capability!("x.yaml", strict)` turns schema
/// deviations into errors. A bad spec is a compile error naming `file:line:col`.
#[proc_macro]
pub fn capability(input: TokenStream) -> TokenStream {
    let base = std::env::var_os("NAFTIKO_SPEC_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    naftiko_codegen::expand_macro(input.into(), &base).into()
}
