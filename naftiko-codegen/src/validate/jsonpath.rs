//! JSONPath, compiled: `$`, `$.a.b`, `$['a b']`, `$.a[0]`, `$.a[*]`, `$.*`.

use crate::ir::Segment;

/// The segments of a supported path; `None` for anything else (filters, recursion, slices).
pub(crate) fn parse(path: &str) -> Option<Vec<Segment>> {
    let mut rest = path.trim().strip_prefix('$')?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("..") {
            let _ = r;
            return None;
        }
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            if rest.is_empty() {
                break;
            }
            if let Some(r) = rest.strip_prefix('*') {
                out.push(Segment::Wildcard);
                rest = r;
                continue;
            }
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let member = &rest[..end];
            if member.is_empty()
                || !member
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_-$@:".contains(c))
            {
                return None;
            }
            out.push(Segment::Member(member.to_owned()));
            rest = &rest[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let inner = r[..end].trim();
            out.push(if inner == "*" {
                Segment::Wildcard
            } else if let Some(q) = inner.strip_prefix('\'').and_then(|i| i.strip_suffix('\'')) {
                Segment::Member(q.to_owned())
            } else if let Some(q) = inner.strip_prefix('"').and_then(|i| i.strip_suffix('"')) {
                Segment::Member(q.to_owned())
            } else {
                Segment::Index(inner.parse().ok()?)
            });
            rest = &r[end + 1..];
        } else {
            // `$foo` without a dot.
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::ir::Segment::{Index, Member, Wildcard};

    fn m(s: &str) -> crate::ir::Segment {
        Member(s.to_owned())
    }

    #[test]
    fn supported() {
        assert_eq!(parse("$"), Some(vec![]));
        assert_eq!(parse("$."), Some(vec![]));
        assert_eq!(parse("$.value"), Some(vec![m("value")]));
        assert_eq!(parse("$.a.b"), Some(vec![m("a"), m("b")]));
        assert_eq!(parse("$['a b'].c"), Some(vec![m("a b"), m("c")]));
        assert_eq!(parse("$.tables[0]"), Some(vec![m("tables"), Index(0)]));
        assert_eq!(parse("$.a[*].b"), Some(vec![m("a"), Wildcard, m("b")]));
        assert_eq!(
            parse("$.properties.Name.title[0].text.content").map(|p| p.len()),
            Some(6)
        );
    }

    #[test]
    fn unsupported() {
        assert_eq!(parse("$..a"), None);
        assert_eq!(parse("$.a[?(@.b)]"), None);
        assert_eq!(parse("$.a[1:2]"), None);
        assert_eq!(parse("value"), None);
    }
}
