//! The Naftiko capability generator: YAML spec -> diagnostics -> IR -> Rust tokens.
//!
//! Pure: [`generate`] reads nothing but its arguments, prints nothing and never panics on
//! input. Front ends (the `capability!` macro, build scripts via [`build`], the CLI) decide
//! how to show [`Diagnostics`].

mod build_script;
mod diagnostics;
mod emit;
pub mod ir;
mod macro_input;
mod naming;
mod parse;
pub mod scaffold;
mod spec;
pub mod summary;
mod template;
mod validate;

pub use build_script::{Build, build};
pub use diagnostics::{Diagnostic, Diagnostics, Pos, Severity};
pub use macro_input::expand_macro;
pub use parse::SUPPORTED_VERSIONS;

/// Reads a file a spec imports: given the `location` as written, its name for diagnostics
/// and its text. Front ends resolve it relative to the spec and track it for rebuilds.
pub type Resolver<'a> = &'a dyn Fn(&str) -> Result<(String, String), String>;

/// What to generate from.
#[derive(Clone, Debug)]
pub struct Input<'a> {
    /// The spec's name in diagnostics (its path, as the user wrote it).
    pub file: &'a str,
    /// The spec's text.
    pub text: &'a str,
    /// Deviations from the official schema become errors instead of warnings.
    pub strict: bool,
}

/// A resolver reading imports relative to `dir`, recording each file read in `read`.
pub fn file_resolver<'a>(
    dir: &'a std::path::Path,
    read: &'a std::cell::RefCell<Vec<std::path::PathBuf>>,
) -> impl Fn(&str) -> Result<(String, String), String> + 'a {
    move |location: &str| {
        let relative = location.strip_prefix("file://").unwrap_or(location);
        let relative = relative
            .strip_prefix('/')
            .filter(|r| r.starts_with('.'))
            .unwrap_or(relative);
        let path = dir.join(relative);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        read.borrow_mut().push(path);
        Ok((relative.to_owned(), text))
    }
}

/// The generated code and whatever warnings the spec earned.
#[derive(Debug)]
pub struct Generated {
    pub tokens: proc_macro2::TokenStream,
    pub capability: ir::Capability,
    pub warnings: Diagnostics,
}

impl Generated {
    /// The generated code, formatted.
    pub fn pretty(&self) -> String {
        pretty(&self.tokens)
    }

    /// A Markdown overview linking every generated operation: a crate's doc front page.
    pub fn summary(&self) -> String {
        summary::markdown(&self.capability)
    }
}

/// Formats a token stream of items with prettyplease.
pub fn pretty(tokens: &proc_macro2::TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        // Emitters only build valid items; if one did not, show the raw tokens to debug it.
        Err(_) => tokens.to_string(),
    }
}

/// Checks a spec and builds its IR, without emitting code. Imports are refused.
pub fn check(input: &Input<'_>) -> Result<(ir::Capability, Diagnostics), Diagnostics> {
    check_with(input, None)
}

/// [`check`], reading imported files through `resolve`.
pub fn check_with(
    input: &Input<'_>,
    resolve: Option<Resolver<'_>>,
) -> Result<(ir::Capability, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new(input.file, input.strict);
    let Some(doc) = parse::parse(input.text, &mut diags) else {
        return Err(diags);
    };
    match validate::validate(&doc, &mut diags, resolve) {
        Some(cap) if !diags.has_errors() => Ok((cap, diags)),
        _ => Err(diags),
    }
}

/// Generates the Rust items for a spec. Imports are refused.
pub fn generate(input: &Input<'_>) -> Result<Generated, Diagnostics> {
    generate_with(input, None)
}

/// [`generate`], reading imported files through `resolve`.
pub fn generate_with(
    input: &Input<'_>,
    resolve: Option<Resolver<'_>>,
) -> Result<Generated, Diagnostics> {
    let (capability, warnings) = check_with(input, resolve)?;
    let tokens = emit::capability(&capability);
    Ok(Generated {
        tokens,
        capability,
        warnings,
    })
}
