//! The proc-macro front end, here so it can be tested without a compiler in the loop.

use std::path::Path;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;

use crate::{Input, generate_with};

/// Expands `"path/to/spec.yaml"` or `"path/to/spec.yaml", strict` relative to `base`.
/// Errors come back as `compile_error!` items carrying `file:line:col`.
pub fn expand_macro(args: TokenStream, base: &Path) -> TokenStream {
    let (path, strict) = match parse_args(args) {
        Ok(a) => a,
        Err((span, message)) => return compile_error(span, &message),
    };
    let full = base.join(&path);
    let text = match std::fs::read_to_string(&full) {
        Ok(t) => t,
        Err(e) => {
            return compile_error(
                Span::call_site(),
                &format!(
                    "{path}:1:1: error: cannot read the spec ({}): {e}",
                    full.display()
                ),
            );
        }
    };
    let read = std::cell::RefCell::new(Vec::new());
    let dir = full.parent().unwrap_or(Path::new(".")).to_owned();
    let resolve = crate::file_resolver(&dir, &read);
    let input = Input {
        file: &path,
        text: &text,
        strict,
    };
    match generate_with(&input, Some(&resolve)) {
        Ok(generated) => {
            let mut files = vec![full];
            files.extend(read.borrow().iter().cloned());
            let tracked = files
                .into_iter()
                .map(|p| p.canonicalize().unwrap_or(p).display().to_string());
            let tokens = generated.tokens;
            quote! {
                #(const _: &str = ::std::include_str!(#tracked);)*
                #tokens
            }
        }
        Err(diags) => {
            let errors = diags
                .iter()
                .filter(|d| d.severity == crate::Severity::Error)
                .map(|d| compile_error(Span::call_site(), &d.to_string()));
            quote! { #(#errors)* }
        }
    }
}

fn compile_error(span: Span, message: &str) -> TokenStream {
    quote::quote_spanned! {span=> ::std::compile_error!(#message); }
}

fn parse_args(args: TokenStream) -> Result<(String, bool), (Span, String)> {
    let usage = "expected `capability!(\"path/to/spec.yaml\")` or `capability!(\"path/to/spec.yaml\", strict)`";
    let mut tokens = args.into_iter();
    let path = match tokens.next() {
        Some(TokenTree::Literal(lit)) => {
            let span = lit.span();
            match syn::parse2::<syn::LitStr>(TokenTree::Literal(lit).into()) {
                Ok(s) => s.value(),
                Err(_) => return Err((span, usage.to_owned())),
            }
        }
        Some(other) => return Err((other.span(), usage.to_owned())),
        None => return Err((Span::call_site(), usage.to_owned())),
    };
    let strict = match (tokens.next(), tokens.next(), tokens.next()) {
        (None, _, _) => false,
        (Some(TokenTree::Punct(p)), None, _) if p.as_char() == ',' => false,
        (Some(TokenTree::Punct(p)), Some(TokenTree::Ident(i)), None)
            if p.as_char() == ',' && i == "strict" =>
        {
            true
        }
        (Some(t), _, _) => return Err((t.span(), usage.to_owned())),
    };
    Ok((path, strict))
}
