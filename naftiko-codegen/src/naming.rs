//! Every Rust name the generator makes, made here: case conversion and keyword handling.

/// Words Rust reserves; a spec name that becomes one of these gets an `r#` raw identifier,
/// except the few that cannot be raw (`self`, `Self`, `super`, `crate`), which are refused.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `vsphere-session` -> `vsphere_session`; a leading digit gets a `_` in front.
pub(crate) fn snake(name: &str) -> String {
    let joined = words(name).join("_");
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{joined}")
    } else {
        joined
    }
}

/// `get-ship` -> `GetShip`: for type names.
pub(crate) fn pascal(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{joined}")
    } else {
        joined
    }
}

/// `VMWARE_API_KEY`-style: for environment variables.
pub(crate) fn screaming(name: &str) -> String {
    snake(name).trim_start_matches('_').to_uppercase()
}

/// `vcenter-host`-style: for command-line flags.
pub(crate) fn kebab(name: &str) -> String {
    words(name).join("-")
}

/// A snake-case identifier, or why none can be made of this name.
pub(crate) fn field_ident(name: &str) -> Result<String, String> {
    let ident = snake(name);
    if ident.is_empty() {
        return Err(format!(
            "`{name}` has no letters or digits to make a Rust name of"
        ));
    }
    if NOT_RAW.contains(&ident.as_str()) {
        return Err(format!("`{name}` becomes `{ident}`, which Rust reserves"));
    }
    Ok(ident)
}

/// Turns an identifier string into tokens, raw where it is a keyword.
pub(crate) fn ident(name: &str) -> proc_macro2::Ident {
    if KEYWORDS.contains(&name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("vsphere-session"), "vsphere_session");
        assert_eq!(snake("getSessionInfo"), "get_session_info");
        assert_eq!(snake("VMWARE_API_KEY"), "vmware_api_key");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(screaming("vsphere-session"), "VSPHERE_SESSION");
        assert_eq!(kebab("baseUri"), "base-uri");
        assert_eq!(pascal("get-ship"), "GetShip");
        assert_eq!(pascal("list_ships"), "ListShips");
    }

    #[test]
    fn keywords_are_raw_and_self_is_refused() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("match").to_string(), "r#match");
        assert!(field_ident("self").is_err());
        assert!(field_ident("--").is_err());
        assert_eq!(field_ident("Result").unwrap(), "result");
    }
}
