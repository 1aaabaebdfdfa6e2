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
mod spec;
mod template;
mod validate;

pub use build_script::{Build, build};
pub use diagnostics::{Diagnostic, Diagnostics, Pos, Severity};
pub use macro_input::expand_macro;
pub use parse::SUPPORTED_VERSIONS;

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
}

/// Formats a token stream of items with prettyplease.
pub fn pretty(tokens: &proc_macro2::TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        // Emitters only build valid items; if one did not, show the raw tokens to debug it.
        Err(_) => tokens.to_string(),
    }
}

/// Checks a spec and builds its IR, without emitting code.
pub fn check(input: &Input<'_>) -> Result<(ir::Capability, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new(input.file, input.strict);
    let Some(doc) = parse::parse(input.text, &mut diags) else {
        return Err(diags);
    };
    match validate::validate(&doc, &mut diags) {
        Some(cap) if !diags.has_errors() => Ok((cap, diags)),
        _ => Err(diags),
    }
}

/// Generates the Rust items for a spec.
pub fn generate(input: &Input<'_>) -> Result<Generated, Diagnostics> {
    let (capability, warnings) = check(input)?;
    let tokens = emit::capability(&capability);
    Ok(Generated {
        tokens,
        capability,
        warnings,
    })
}
