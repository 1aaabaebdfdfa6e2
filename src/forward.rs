//! REST `forward`: an incoming request turned into the upstream request a forwarding
//! resource sends.
//!
//! A resource `path: /notion/{{path}}` with `forward: {targetNamespace: notion}` serves every
//! method on `/notion` and everything below it. The part of the request path after the
//! resource's literal prefix (`/v1/users/me` for `/notion/v1/users/me`; empty for `/notion`)
//! is appended, still percent-encoded as received, to the consumed namespace's base URI. The
//! query string, the method and the body bytes go as received; the body keeps its
//! `Content-Type` (it describes the bytes, not the caller). Of the other incoming headers,
//! only the resource's `trustedHeaders` are copied. The consumed namespace's own header
//! parameters and authentication are added by its generated client (a trusted `Authorization`
//! header, like any caller credential, replaces the namespace's default authentication).
//!
//! Refused with a 400 before anything is sent: a `.` or `..` segment, or a segment whose
//! percent-decoding holds `/` or `\` (an upstream that decodes would climb out of the base
//! path), and a trusted header value holding CR or LF. Bodies are read whole, up to axum's
//! default limit (2 MB; a `DefaultBodyLimit` layer on the router changes it).

use axum::extract::FromRequest as _;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, StatusCode};

use crate::client::CallOptions;
use crate::request::Request;

/// The upstream request for an incoming one below `prefix`, and the trusted headers as call
/// options; or the 400/404 answer when it cannot be forwarded.
pub async fn read(
    incoming: axum::extract::Request,
    prefix: &str,
    trusted: &[HeaderName],
) -> Result<(Request, CallOptions), Response> {
    let (parts, body) = incoming.into_parts();
    let Some(rest) = parts.uri.path().strip_prefix(prefix) else {
        return Err(crate::rest::not_found().await);
    };
    if let Err(message) = check_path(rest) {
        return Err(invalid("invalid_path", message));
    }
    if let Err(message) = check_headers(&parts.headers, trusted) {
        return Err(invalid("invalid_header", message));
    }
    let mut request = Request::new(parts.method.clone(), rest);
    if let Some(query) = parts.uri.query() {
        request.query = query.to_owned();
    }
    let content_type = parts.headers.get(CONTENT_TYPE).cloned();
    let call = CallOptions::forward(&parts.headers, trusted);
    let incoming = axum::extract::Request::from_parts(parts, body);
    let body = Bytes::from_request(incoming, &())
        .await
        .map_err(IntoResponse::into_response)?;
    if !body.is_empty() || content_type.is_some() {
        request.body = Some((content_type, body));
    }
    Ok((request, call))
}

fn invalid(kind: &str, message: &str) -> Response {
    crate::rest::error_body(StatusCode::BAD_REQUEST, kind, message)
}

/// `rest` is empty or starts with `/`; no segment may climb out of the base path.
fn check_path(rest: &str) -> Result<(), &'static str> {
    if !(rest.is_empty() || rest.starts_with('/')) {
        return Err("not a path below the forwarding resource");
    }
    for segment in rest.split('/') {
        let decoded: Vec<u8> = percent_encoding::percent_decode_str(segment).collect();
        if decoded == b"." || decoded == b".." || decoded.iter().any(|b| matches!(b, b'/' | b'\\'))
        {
            return Err(
                "`.`, `..` and encoded slashes cannot be forwarded (they would leave the upstream's base path)",
            );
        }
    }
    Ok(())
}

/// HTTP parsers refuse CR and LF in header values already; this holds whatever built the
/// request (another layer, a test) to the same rule before a value is copied upstream.
fn check_headers(headers: &HeaderMap, trusted: &[HeaderName]) -> Result<(), &'static str> {
    let bad = trusted
        .iter()
        .flat_map(|name| headers.get_all(name))
        .any(|v| v.as_bytes().iter().any(|b| matches!(b, b'\r' | b'\n')));
    if bad {
        return Err("a forwarded header value holds CR or LF");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        for ok in ["", "/", "/a/b", "/a%20b/c", "/a/.b", "/..a"] {
            assert!(check_path(ok).is_ok(), "{ok}");
        }
        for bad in [
            "/..",
            "/a/../b",
            "/a/%2e%2E/b",
            "/./a",
            "/a%2Fb",
            "/a%5Cb",
            "x",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }
}
