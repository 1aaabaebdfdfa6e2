//! One outgoing upstream request, as generated code assembles it: path, query, headers, body.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::ClientError;

/// Everything but RFC 3986 unreserved characters is encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What an RFC 6265 cookie value cannot hold (controls, space, `"`, `,`, `;`, `\`; non-ASCII
/// is always encoded): everything else, base64 tokens included, goes as is.
const COOKIE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\');

/// An upstream request under construction.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) cookies: Vec<String>,
    /// The body and its content type (none for a forwarded body that came without one).
    pub(crate) body: Option<(Option<HeaderValue>, Bytes)>,
}

impl Request {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: String::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Appends a literal piece of the path.
    pub fn push_path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends parameter `name`'s value to the path, percent-encoded as one segment. An empty
    /// value, `.` and `..` are refused: URL normalization would make them address another
    /// resource (`/ships/..` is `/`).
    pub fn push_path_value(&mut self, name: &'static str, value: &str) -> Result<(), ClientError> {
        if matches!(value, "" | "." | "..") {
            return Err(ClientError::InvalidParameter {
                name: name.to_owned(),
                message: format!(
                    "`{value}` cannot be a path segment (it would address another resource)"
                ),
            });
        }
        self.path.extend(utf8_percent_encode(value, SEGMENT));
        Ok(())
    }

    /// Adds `name=value` to the query string (form-encoded; repeat it for arrays).
    pub fn query(&mut self, name: &str, value: &str) {
        let query = std::mem::take(&mut self.query);
        self.query = form_urlencoded::Serializer::for_suffix(query, 0)
            .append_pair(name, value)
            .finish();
    }

    /// Adds a header; a value with CR, LF or other control bytes is refused, never sent.
    pub fn header(&mut self, name: &'static str, value: &str) -> Result<(), ClientError> {
        let value = HeaderValue::try_from(value).map_err(|_| ClientError::InvalidParameter {
            name: name.to_owned(),
            message: "not a valid HTTP header value (control characters?)".to_owned(),
        })?;
        self.headers.append(HeaderName::from_static(name), value);
        Ok(())
    }

    /// Adds a cookie to the `Cookie` header; only bytes a cookie value cannot hold are
    /// percent-encoded.
    pub fn cookie(&mut self, name: &str, value: &str) {
        let encoded: String = utf8_percent_encode(value, COOKIE).collect();
        self.cookies.push(format!("{name}={encoded}"));
    }

    /// Sets the body and its content type.
    pub fn body(&mut self, content_type: &'static str, body: impl Into<Bytes>) {
        self.body = Some((Some(HeaderValue::from_static(content_type)), body.into()));
    }

    /// Sets a JSON body.
    pub fn json_body(&mut self, body: &serde_json::Value) {
        self.body(
            "application/json",
            serde_json::to_vec(body).unwrap_or_default(),
        );
    }

    /// Sets a form-urlencoded body from name/value pairs.
    pub fn form_body<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            form.append_pair(name, value);
        }
        self.body("application/x-www-form-urlencoded", form.finish());
    }

    /// The path with its query string, joined to a query the spec path already has
    /// (`/items?limit=10`).
    pub(crate) fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let join = if self.path.contains('?') { '&' } else { '?' };
        format!("{}{join}{}", self.path, self.query)
    }
}

/// One part of a `multipart/form-data` body: a plain field, or a file when it has a name.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    pub name: &'a str,
    pub value: &'a str,
    pub filename: Option<&'a str>,
    pub content_type: Option<&'a str>,
}

impl Request {
    /// Sets a `multipart/form-data` body (RFC 7578), the parts in order. The boundary is one
    /// no part contains; names are quoted with `"`, CR and LF percent-encoded, as browsers do.
    pub fn multipart_body(&mut self, parts: &[Part<'_>]) {
        let mut n = 0u32;
        let boundary = loop {
            let candidate = format!("naftiko-boundary-{n:08x}");
            if !parts.iter().any(|p| {
                p.value.contains(&candidate) || p.filename.is_some_and(|f| f.contains(&candidate))
            }) {
                break candidate;
            }
            n += 1;
        };
        let quote = |s: &str| {
            s.replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let mut body = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("form-data; name=\"{}\"", quote(part.name));
            if let Some(filename) = part.filename {
                disposition.push_str(&format!("; filename=\"{}\"", quote(filename)));
            }
            body.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if let Some(content_type) = part.content_type {
                let content_type = quote(content_type);
                body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(part.value.as_bytes());
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type =
            HeaderValue::try_from(format!("multipart/form-data; boundary={boundary}"))
                .expect("the boundary is ASCII");
        self.body = Some((Some(content_type), body.into()));
    }
}

/// Writes `value` into a JSON text template: escaped inside a JSON string; outside one,
/// valid JSON goes in as is and anything else as a JSON string.
pub fn push_json_value(out: &mut String, value: &str, in_string: bool) {
    if in_string {
        let quoted = serde_json::Value::String(value.to_owned()).to_string();
        out.push_str(&quoted[1..quoted.len() - 1]);
    } else if serde_json::from_str::<serde::de::IgnoredAny>(value).is_ok() {
        out.push_str(value.trim());
    } else {
        out.push_str(&serde_json::Value::String(value.to_owned()).to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_are_one_segment() {
        let mut r = Request::new(Method::GET, "/ships/");
        r.push_path_value("imo", "a/b c?d").unwrap();
        assert_eq!(r.path, "/ships/a%2Fb%20c%3Fd");
        for dots in ["", ".", ".."] {
            assert!(matches!(
                r.push_path_value("imo", dots),
                Err(ClientError::InvalidParameter { name, .. }) if name == "imo"
            ));
        }
        assert_eq!(r.path, "/ships/a%2Fb%20c%3Fd");
    }

    #[test]
    fn query_is_form_encoded_and_repeatable() {
        let mut r = Request::new(Method::GET, "/x");
        assert_eq!(r.path_and_query(), "/x");
        r.query("q", "a b&c");
        r.query("tag", "1");
        r.query("tag", "2");
        assert_eq!(r.path_and_query(), "/x?q=a+b%26c&tag=1&tag=2");
    }

    #[test]
    fn header_injection_is_refused() {
        let mut r = Request::new(Method::GET, "/x");
        assert!(r.header("x-id", "ok").is_ok());
        assert!(matches!(
            r.header("x-id", "evil\r\nx-admin: 1"),
            Err(ClientError::InvalidParameter { .. })
        ));
    }

    #[test]
    fn json_values_are_escaped_or_typed() {
        let mut s = String::new();
        push_json_value(&mut s, "say \"hi\"", true);
        assert_eq!(s, r#"say \"hi\""#);
        let mut s = String::new();
        push_json_value(&mut s, "42", false);
        push_json_value(&mut s, ",", false);
        push_json_value(&mut s, r#"{"a":1}"#, false);
        assert_eq!(s, r#"42","{"a":1}"#);
    }
}
