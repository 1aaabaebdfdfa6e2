//! `{{name}}` templates, split into literal and variable parts at build time.

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    Literal(String),
    /// A variable, with its byte offset in the template and whether it used single braces.
    Variable {
        name: String,
        offset: usize,
        single_brace: bool,
    },
}

/// Splits `text` at `{{var}}` and, where `single_braces` is true, `{var}` as well.
/// An unclosed brace is an error naming its byte offset.
pub(crate) fn split(text: &str, single_braces: bool) -> Result<Vec<Piece>, (usize, String)> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find('{') {
        literal.push_str(&rest[..start]);
        let after = &rest[start..];
        let (open, close, single) = if after.starts_with("{{") {
            ("{{", "}}", false)
        } else if single_braces {
            ("{", "}", true)
        } else {
            literal.push('{');
            offset += start + 1;
            rest = &after[1..];
            continue;
        };
        let body = &after[open.len()..];
        let Some(end) = body.find(close) else {
            return Err((offset + start, format!("unclosed `{open}` in `{text}`")));
        };
        let name = body[..end].trim();
        if name.is_empty() || name.contains(['{', '}']) {
            return Err((
                offset + start,
                format!("empty or malformed variable in `{text}`"),
            ));
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(Piece::Variable {
            name: name.to_owned(),
            offset: offset + start,
            single_brace: single,
        });
        let consumed = open.len() + end + close.len();
        offset += start + consumed;
        rest = &after[consumed..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str, offset: usize, single_brace: bool) -> Piece {
        Piece::Variable {
            name: name.into(),
            offset,
            single_brace,
        }
    }

    #[test]
    fn both_brace_styles() {
        assert_eq!(
            split("https://{vcenter}/api", true).unwrap(),
            vec![
                Piece::Literal("https://".into()),
                var("vcenter", 8, true),
                Piece::Literal("/api".into())
            ]
        );
        assert_eq!(
            split("{{env.KEY}}", false).unwrap(),
            vec![var("env.KEY", 0, false)]
        );
        assert_eq!(
            split("a{b}c", false).unwrap(),
            vec![Piece::Literal("a{b}c".into())]
        );
    }

    #[test]
    fn unclosed_is_an_error() {
        assert!(split("x{{y", false).is_err());
        assert!(split("x{y", true).is_err());
        assert!(split("{{}}", false).is_err());
    }
}
