//! What generated REST handlers share: caller credentials in, upstream answers out.

use axum::Json;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};

use crate::client::RawResponse;
use crate::error::ClientError;

/// A JSON error body: `{"error": {"kind": ..., "message": ...}}`.
pub fn error_body(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": { "kind": kind, "message": message } })),
    )
        .into_response()
}

/// Whether an upstream error answer is bodiless, and gets [`no_body_error`] instead.
fn bodiless_error(status: StatusCode, body: &Bytes) -> bool {
    (status.is_client_error() || status.is_server_error())
        && body.iter().all(u8::is_ascii_whitespace)
}

/// Our JSON error body (kind `upstream_status`) for an upstream error status that came
/// without a body: every error answer of the adapter has a JSON body.
fn no_body_error(status: StatusCode) -> Response {
    error_body(
        status,
        "upstream_status",
        &format!("upstream answered {status} with no body"),
    )
}

/// An upstream error status with its body, as JSON (vSphere's error bodies are JSON whatever
/// they are labelled), or [`no_body_error`].
fn upstream_status(status: StatusCode, body: Bytes) -> Response {
    if bodiless_error(status, &body) {
        return no_body_error(status);
    }
    let mut response = (status, Body::from(body)).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The status and error kind of a failed upstream call: 502 unreachable, 504 timeout,
/// upstream statuses passed through.
fn status_and_kind(err: &ClientError) -> (StatusCode, &'static str) {
    match err {
        ClientError::Status { status, .. } => (*status, "upstream_status"),
        ClientError::Timeout => (StatusCode::GATEWAY_TIMEOUT, "upstream_timeout"),
        ClientError::Connect(_) => (StatusCode::BAD_GATEWAY, "upstream_unreachable"),
        ClientError::Transport(_) => (StatusCode::BAD_GATEWAY, "upstream_failed"),
        ClientError::Decode(_) => (StatusCode::BAD_GATEWAY, "upstream_invalid"),
        ClientError::ResponseTooLarge { .. } => (StatusCode::BAD_GATEWAY, "upstream_too_large"),
        ClientError::MissingParameter { .. } | ClientError::InvalidParameter { .. } => {
            (StatusCode::BAD_REQUEST, "invalid_parameter")
        }
        ClientError::MissingCredential { .. } => (StatusCode::UNAUTHORIZED, "missing_credentials"),
        ClientError::Config(_) => (StatusCode::INTERNAL_SERVER_ERROR, "gateway_misconfigured"),
        ClientError::Step { source, .. } => status_and_kind(source),
    }
}

/// The HTTP answer for a failed upstream call: 502 unreachable, 504 timeout, upstream
/// statuses passed through with their body; a failed orchestration step is named.
pub fn client_error(err: ClientError) -> Response {
    let (status, kind) = status_and_kind(&err);
    match err {
        ClientError::Status { status, body } => upstream_status(status, body),
        ClientError::Step { ref step, .. } => (
            status,
            Json(serde_json::json!({
                "error": { "kind": kind, "step": step, "message": err.to_string() }
            })),
        )
            .into_response(),
        ClientError::MissingCredential { .. } => {
            let mut response = error_body(status, kind, &err.to_string());
            response.headers_mut().insert(
                http::header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic"),
            );
            response
        }
        _ => error_body(status, kind, &err.to_string()),
    }
}

/// The upstream's status, content type and body, untouched (no content type if it sent none);
/// an error status without a body gets a JSON error body.
pub fn passthrough(result: Result<RawResponse, ClientError>) -> Response {
    match result {
        Ok(raw) if bodiless_error(raw.status, &raw.body) => no_body_error(raw.status),
        Ok(raw) => {
            let mut response = (raw.status, Body::from(raw.body)).into_response();
            if let Some(ct) = raw.content_type {
                response.headers_mut().insert(CONTENT_TYPE, ct);
            }
            response
        }
        Err(e) => client_error(e),
    }
}

/// A successful upstream body reshaped by `map`; error statuses pass through unchanged.
pub fn mapped(
    result: Result<RawResponse, ClientError>,
    format: crate::formats::Format,
    map: impl FnOnce(serde_json::Value) -> serde_json::Value,
) -> Response {
    let raw = match result.and_then(RawResponse::error_for_status) {
        Ok(raw) => raw,
        Err(e) => return client_error(e),
    };
    if raw.status == StatusCode::NO_CONTENT {
        return StatusCode::NO_CONTENT.into_response();
    }
    match raw.decode(format) {
        Ok(value) => (raw.status, Json(map(value))).into_response(),
        Err(e) => client_error(e),
    }
}

/// `GET /healthz`.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Serves a JSON document built at compile time.
pub fn json_document(document: &'static str) -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        document,
    )
        .into_response()
}

/// 404 for routes the spec does not expose.
pub async fn not_found() -> Response {
    error_body(StatusCode::NOT_FOUND, "not_found", "no such route")
}

/// The answer for a request parameter that is missing or malformed: 400 naming it.
pub fn input_error(err: &crate::input::InputError) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({
            "error": {
                "kind": "invalid_parameter",
                "parameter": err.parameter,
                "message": err.to_string(),
            }
        })),
    )
        .into_response()
}

/// An incoming REST request's parameters: path, query, headers, cookies and JSON body.
#[derive(Debug)]
pub struct Incoming {
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    pub headers: http::HeaderMap,
    body: bytes::Bytes,
}

impl Incoming {
    pub fn path(&self, name: &str) -> Option<&str> {
        lookup(&self.path, name)
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        lookup(&self.query, name)
    }

    /// Every value of a repeated query key.
    pub fn query_all(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// The body as JSON (`null` when empty); a 400-worthy error when it is not JSON.
    pub fn json_body(&self) -> Result<serde_json::Value, crate::input::InputError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&self.body).map_err(|e| crate::input::InputError {
            parameter: "body".to_owned(),
            message: format!("the request body is not JSON: {e}"),
        })
    }
}

fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for Incoming {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let path = match <axum::extract::RawPathParams as axum::extract::FromRequestParts<S>>::from_request_parts(&mut parts, state).await {
            Ok(params) => params
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            Err(rejection) => return Err(rejection.into_response()),
        };
        let query = parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let req = axum::extract::Request::from_parts(parts, body);
        let headers = req.headers().clone();
        let body = match bytes::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(rejection) => return Err(rejection.into_response()),
        };
        Ok(Incoming {
            path,
            query,
            headers,
            body,
        })
    }
}
