//! Authentication of incoming requests, as the spec's exposed `authentication` declares it.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use http::{HeaderName, HeaderValue, StatusCode};

use crate::secret::Secret;

/// What a caller must present.
#[derive(Clone, Debug)]
pub enum Guard {
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `<name>: <value>`.
    Header { name: HeaderName, value: Secret },
    /// `?<name>=<value>`.
    Query { name: String, value: Secret },
    /// `Authorization: Basic base64(user:password)`.
    Basic { username: String, password: Secret },
}

/// Equality that takes the same time wherever the inputs differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for (i, x) in a.iter().enumerate() {
        diff |= x ^ b.get(i).copied().unwrap_or(!x);
    }
    diff == 0
}

impl Guard {
    /// Whether the request carries the expected credentials.
    pub fn allows(&self, parts: &http::request::Parts) -> bool {
        let header = |name: &HeaderName| parts.headers.get(name).map(HeaderValue::as_bytes);
        match self {
            Guard::Bearer(token) => header(&AUTHORIZATION).is_some_and(|v| {
                v.len() > 7
                    && v[..7].eq_ignore_ascii_case(b"bearer ")
                    && constant_time_eq(&v[7..], token.expose().as_bytes())
            }),
            Guard::Header { name, value } => {
                header(name).is_some_and(|v| constant_time_eq(v, value.expose().as_bytes()))
            }
            Guard::Query { name, value } => parts.uri.query().is_some_and(|q| {
                form_urlencoded::parse(q.as_bytes()).any(|(k, v)| {
                    k == name.as_str() && constant_time_eq(v.as_bytes(), value.expose().as_bytes())
                })
            }),
            Guard::Basic { username, password } => {
                let expected = crate::client::basic_header(username, password.expose());
                header(&AUTHORIZATION).is_some_and(|v| constant_time_eq(v, expected.as_bytes()))
            }
        }
    }

    /// Removes the credential this guard checked from the request: it opened this adapter and
    /// is no credential for the upstreams, so handlers that forward caller headers must not
    /// see it (a query-placed key is never forwarded, so it stays).
    pub fn strip(&self, parts: &mut http::request::Parts) {
        match self {
            Guard::Bearer(_) | Guard::Basic { .. } => {
                parts.headers.remove(AUTHORIZATION);
            }
            Guard::Header { name, .. } => {
                parts.headers.remove(name);
            }
            Guard::Query { .. } => {}
        }
    }

    fn challenge(&self) -> &'static str {
        match self {
            Guard::Bearer(_) => "Bearer",
            Guard::Basic { .. } => "Basic",
            Guard::Header { .. } | Guard::Query { .. } => "ApiKey",
        }
    }
}

/// Middleware: 401 with `WWW-Authenticate` unless the guard allows the request, which then
/// goes on without the checked credential. `/healthz` stays open for probes.
pub async fn require(guard: axum::extract::State<Guard>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    if parts.uri.path() == "/healthz" {
        return next.run(Request::from_parts(parts, body)).await;
    }
    if guard.allows(&parts) {
        guard.strip(&mut parts);
        return next.run(Request::from_parts(parts, body)).await;
    }
    let mut response = crate::rest::error_body(
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        "missing or wrong credentials",
    );
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static(guard.challenge()),
    );
    response.into_response()
}

/// Wraps `router` so every request must pass `guard`.
pub fn protect(router: axum::Router, guard: Guard) -> axum::Router {
    router.layer(axum::middleware::from_fn_with_state(guard, require))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
        let mut b = http::Request::builder().uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn checks() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
        let g = Guard::Bearer(Secret::new("t0k"));
        assert!(g.allows(&parts("/", &[("authorization", "Bearer t0k")])));
        assert!(!g.allows(&parts("/", &[("authorization", "Bearer t0")])));
        assert!(!g.allows(&parts("/", &[])));
        let g = Guard::Query {
            name: "key".into(),
            value: Secret::new("v 1"),
        };
        assert!(g.allows(&parts("/x?key=v+1", &[])));
        assert!(!g.allows(&parts("/x?key=v2", &[])));
        let g = Guard::Basic {
            username: "u".into(),
            password: Secret::new("p"),
        };
        assert!(g.allows(&parts("/", &[("authorization", "Basic dTpw")])));
    }

    #[test]
    fn the_checked_credential_is_stripped_and_nothing_else() {
        let mut p = parts(
            "/",
            &[("authorization", "Bearer t0k"), ("x-api-key", "upstream")],
        );
        Guard::Bearer(Secret::new("t0k")).strip(&mut p);
        assert!(p.headers.get("authorization").is_none());
        assert_eq!(p.headers["x-api-key"], "upstream");

        let mut p = parts(
            "/",
            &[("authorization", "Bearer upstream"), ("x-gate", "k")],
        );
        Guard::Header {
            name: HeaderName::from_static("x-gate"),
            value: Secret::new("k"),
        }
        .strip(&mut p);
        assert!(p.headers.get("x-gate").is_none());
        assert_eq!(p.headers["authorization"], "Bearer upstream");
    }
}
