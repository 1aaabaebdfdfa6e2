//! The HTTP side of generated clients: configuration, TLS, credentials and one `send`.
//!
//! Generated code builds the URL path and chooses the method; everything that is the same for
//! every operation of every spec lives here.

use std::sync::{Arc, Once};
use std::time::Duration;

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};

use crate::digest::Digest;
use crate::error::ClientError;
use crate::request::Request;
use crate::secret::Secret;

/// Default time allowed for a whole upstream call.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default largest upstream body read (16 MiB); a larger one is refused, never buffered.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Installs the ring crypto provider for rustls once per process (reqwest needs one).
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Settings every generated client builder shares.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    base_uri: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    root_certificates: Vec<reqwest::Certificate>,
    insecure: bool,
    headers: HeaderMap,
    http: Option<reqwest::Client>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_uri: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            root_certificates: Vec::new(),
            insecure: false,
            headers: HeaderMap::new(),
            http: None,
        }
    }
}

impl ClientConfig {
    /// Replaces the spec's whole base URI (variables included).
    pub fn base_uri(&mut self, uri: impl Into<String>) {
        self.base_uri = Some(uri.into());
    }

    pub fn base_uri_override(&self) -> Option<&str> {
        self.base_uri.as_deref()
    }

    pub fn timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    pub fn connect_timeout(&mut self, timeout: Duration) {
        self.connect_timeout = timeout;
    }

    /// The largest upstream body a call reads; a larger one fails the call.
    pub fn max_response_bytes(&mut self, bytes: usize) {
        self.max_response_bytes = bytes;
    }

    /// Trusts the CA certificates in a PEM bundle, besides the system's.
    pub fn ca_certificates_pem(&mut self, pem: &[u8]) -> Result<(), ClientError> {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| ClientError::Config(format!("CA certificate: {e}")))?;
        if certs.is_empty() {
            return Err(ClientError::Config(
                "CA certificate: no PEM certificate found".to_owned(),
            ));
        }
        self.root_certificates.extend(certs);
        Ok(())
    }

    /// Turns off certificate verification. Only for test servers you control.
    pub fn danger_accept_invalid_certs(&mut self, insecure: bool) {
        self.insecure = insecure;
    }

    /// A header sent on every call (a call's own headers win).
    pub fn header(&mut self, name: HeaderName, mut value: HeaderValue) {
        if is_credential(&name) {
            value.set_sensitive(true);
        }
        self.headers.insert(name, value);
    }

    /// Basic credentials sent on every call, instead of the spec's default authentication.
    pub fn basic_auth(&mut self, username: &str, password: &Secret) {
        self.headers
            .insert(AUTHORIZATION, basic_header(username, password.expose()));
    }

    /// Uses an existing reqwest client (and its connection pool); TLS settings are then its own.
    pub fn http_client(&mut self, client: reqwest::Client) {
        self.http = Some(client);
    }

    fn build_http(&self) -> Result<reqwest::Client, ClientError> {
        if let Some(client) = &self.http {
            return Ok(client.clone());
        }
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .redirect(reqwest::redirect::Policy::limited(5))
            .tls_danger_accept_invalid_certs(self.insecure);
        for cert in &self.root_certificates {
            builder = builder.tls_certs_merge([cert.clone()]);
        }
        builder.build().map_err(ClientError::from_reqwest)
    }
}

fn is_credential(name: &HeaderName) -> bool {
    name == AUTHORIZATION
        || name.as_str().contains("key")
        || name.as_str().contains("token")
        || name.as_str().contains("session")
}

pub(crate) fn basic_header(username: &str, password: &str) -> HeaderValue {
    use base64::Engine as _;
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    let mut value =
        HeaderValue::try_from(format!("Basic {encoded}")).expect("base64 is a valid header value");
    value.set_sensitive(true);
    value
}

/// The spec's default authentication, with its values already resolved from binds.
#[derive(Clone, Debug)]
pub enum DefaultAuth {
    /// The spec authenticates nothing.
    None,
    /// The spec authenticates, but the bound variable that supplies it is unset. `header` is
    /// the spec's credential header, which callers may send themselves.
    Missing {
        variable: &'static str,
        header: Option<HeaderName>,
    },
    Header {
        name: HeaderName,
        value: HeaderValue,
    },
    Query {
        name: &'static str,
        value: Secret,
    },
    /// HTTP Digest: the first call meets the server's challenge, later ones answer it.
    Digest(Digest),
}

impl DefaultAuth {
    /// Unset bind `variable`; `header` names the spec's API-key header, if that is its kind.
    pub fn missing(variable: &'static str, header: Option<&'static str>) -> Self {
        DefaultAuth::Missing {
            variable,
            header: header.map(HeaderName::from_static),
        }
    }

    /// `name: value` as a sensitive header.
    pub fn header(name: &'static str, value: &str) -> Result<Self, ClientError> {
        let mut value = HeaderValue::try_from(value).map_err(|_| {
            ClientError::Config(format!(
                "the value for header `{name}` is not a valid header value"
            ))
        })?;
        value.set_sensitive(true);
        Ok(DefaultAuth::Header {
            name: HeaderName::from_static(name),
            value,
        })
    }

    pub fn bearer(token: &str) -> Result<Self, ClientError> {
        Self::header("authorization", &format!("Bearer {token}"))
    }

    pub fn basic(username: &str, password: &str) -> Self {
        DefaultAuth::Header {
            name: AUTHORIZATION,
            value: basic_header(username, password),
        }
    }

    pub fn digest(username: &str, password: &str) -> Self {
        DefaultAuth::Digest(Digest::new(username, password))
    }
}

/// Per-call overrides: headers (credentials included) that win over the client's.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    headers: HeaderMap,
}

impl CallOptions {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a header to this call; a credential header replaces the default authentication.
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        if is_credential(&name) {
            value.set_sensitive(true);
        }
        self.headers.insert(name, value);
        self
    }

    /// Basic credentials for this call only.
    pub fn basic_auth(mut self, username: &str, password: &Secret) -> Self {
        self.headers
            .insert(AUTHORIZATION, basic_header(username, password.expose()));
        self
    }

    /// Copies the named headers of an incoming request (caller credentials pass-through),
    /// and its request id (see [`crate::request_id`]).
    pub fn forward(headers: &HeaderMap, names: &[HeaderName]) -> Self {
        let mut out = HeaderMap::new();
        for name in names {
            for value in headers.get_all(name) {
                let mut value = value.clone();
                value.set_sensitive(true);
                out.append(name.clone(), value);
            }
        }
        if let Some(id) = headers.get(crate::request_id::HEADER) {
            out.insert(crate::request_id::HEADER, id.clone());
        }
        CallOptions { headers: out }
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

/// The upstream's answer, untouched: status, content type and body bytes.
#[derive(Clone, Debug)]
pub struct RawResponse {
    pub status: StatusCode,
    pub content_type: Option<HeaderValue>,
    pub body: Bytes,
}

impl RawResponse {
    /// A 200 JSON answer made here (mock operations).
    pub fn from_json(value: &serde_json::Value) -> Self {
        RawResponse {
            status: StatusCode::OK,
            content_type: Some(HeaderValue::from_static("application/json")),
            body: Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
        }
    }

    /// `Err(Status)` for 4xx and 5xx answers.
    pub fn error_for_status(self) -> Result<Self, ClientError> {
        if self.status.is_client_error() || self.status.is_server_error() {
            Err(ClientError::Status {
                status: self.status,
                body: self.body,
            })
        } else {
            Ok(self)
        }
    }

    /// The body as JSON after converting it from `format`; an empty body is `null`.
    pub fn decode(&self, format: crate::formats::Format) -> Result<serde_json::Value, ClientError> {
        crate::formats::decode(&self.body, format)
    }

    /// The body as JSON, whatever the content type says; an empty body is `null`.
    pub fn json(&self) -> Result<serde_json::Value, ClientError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&self.body).map_err(|e| ClientError::Decode(e.to_string()))
    }
}

/// A configured connection to one upstream API, shared by a generated client's methods.
#[derive(Clone, Debug)]
pub struct Upstream {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    metrics: crate::metrics::UpstreamMetrics,
    http: reqwest::Client,
    base: String,
    /// `base`, parsed once: a call only sets its path and query (parsing the whole URL, host
    /// included, cost about 5% of the gateway's instructions per proxied request).
    base_url: reqwest::Url,
    headers: HeaderMap,
    auth: DefaultAuth,
    max_response_bytes: usize,
}

impl Upstream {
    /// `base` is the spec's base URI with its variables filled in, unless the config replaces it.
    pub fn new(config: ClientConfig, base: String, auth: DefaultAuth) -> Result<Self, ClientError> {
        let base = config.base_uri.clone().unwrap_or(base);
        let parsed = reqwest::Url::parse(&base)
            .map_err(|e| ClientError::Config(format!("base URI `{base}`: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ClientError::Config(format!(
                "base URI `{base}` must be http or https"
            )));
        }
        // The metrics label: scheme, host and port only (no path, no credentials).
        let label = format!(
            "{}://{}:{}",
            parsed.scheme(),
            parsed.host_str().unwrap_or_default(),
            parsed.port_or_known_default().unwrap_or_default()
        );
        Ok(Upstream {
            inner: Arc::new(Inner {
                metrics: crate::metrics::UpstreamMetrics::new(label),
                http: config.build_http()?,
                base: base.trim_end_matches('/').to_owned(),
                base_url: parsed,
                headers: config.headers,
                auth,
                max_response_bytes: config.max_response_bytes,
            }),
        })
    }

    /// The base URI calls go to.
    pub fn base_uri(&self) -> &str {
        &self.inner.base
    }

    /// Sends one request to `base + path` and reads the whole answer, whatever its status.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        call: &CallOptions,
    ) -> Result<RawResponse, ClientError> {
        self.send_request(Request::new(method, path), call).await
    }

    /// Sends a request built by generated code (parameters, body) and reads the whole answer.
    pub async fn send_request(
        &self,
        request: Request,
        call: &CallOptions,
    ) -> Result<RawResponse, ClientError> {
        let started = std::time::Instant::now();
        let result = self.exchange(request, call).await;
        self.inner
            .metrics
            .called(started.elapsed(), result.as_ref().map(|r| r.status));
        result
    }

    async fn exchange(
        &self,
        request: Request,
        call: &CallOptions,
    ) -> Result<RawResponse, ClientError> {
        let inner = &*self.inner;
        let mut headers = inner.headers.clone();
        for (name, value) in &request.headers {
            headers.append(name.clone(), value.clone());
        }
        if !request.cookies.is_empty() {
            let cookie = HeaderValue::try_from(request.cookies.join("; "))
                .map_err(|_| ClientError::Config("cookie value".to_owned()))?;
            headers.insert(http::header::COOKIE, cookie);
        }
        for name in call.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &call.headers {
            headers.append(name.clone(), value.clone());
        }
        let mut url = inner.url_for(&request)?;
        let caller_authenticated = headers.contains_key(AUTHORIZATION)
            || match &inner.auth {
                DefaultAuth::Header { name, .. }
                | DefaultAuth::Missing {
                    header: Some(name), ..
                } => headers.contains_key(name),
                _ => false,
            };
        let mut digest = None;
        if !caller_authenticated {
            match &inner.auth {
                DefaultAuth::None => {}
                DefaultAuth::Digest(d) => digest = Some(d),
                DefaultAuth::Missing { variable, .. } => {
                    return Err(ClientError::MissingCredential { variable });
                }
                DefaultAuth::Header { name, value } => {
                    headers.insert(name.clone(), value.clone());
                }
                DefaultAuth::Query { name, value } => {
                    url.query_pairs_mut().append_pair(name, value.expose());
                }
            }
        }
        let send = |headers: HeaderMap| {
            let mut builder = inner
                .http
                .request(request.method.clone(), url.clone())
                .headers(headers);
            if let Some((content_type, body)) = &request.body {
                if let Some(content_type) = content_type {
                    builder = builder.header(CONTENT_TYPE, content_type.clone());
                }
                builder = builder.body(body.clone());
            }
            builder.send()
        };
        let response = match digest {
            None => send(headers).await,
            Some(digest) => {
                // The challenge is answered for the request target as sent.
                let target = match url.query() {
                    Some(q) => format!("{}?{q}", url.path()),
                    None => url.path().to_owned(),
                };
                // auth-int hashes the body, an empty one included.
                let body = Some(request.body.as_ref().map_or(&[][..], |(_, b)| b.as_ref()));
                let answer = |headers: &mut HeaderMap| match digest.authorization(
                    &request.method,
                    &target,
                    body,
                ) {
                    Some(value) => {
                        headers.insert(AUTHORIZATION, value);
                        true
                    }
                    None => false,
                };
                answer(&mut headers);
                let first = send(headers.clone()).await;
                match first {
                    Ok(r)
                        if r.status() == StatusCode::UNAUTHORIZED
                            && digest.learn(r.headers())
                            && answer(&mut headers) =>
                    {
                        send(headers).await
                    }
                    other => other,
                }
            }
        };
        let response = response.map_err(ClientError::from_reqwest)?;
        let status = response.status();
        let content_type = response.headers().get(CONTENT_TYPE).cloned();
        let body = read_body(response, inner.max_response_bytes).await?;
        Ok(RawResponse {
            status,
            content_type,
            body,
        })
    }
}

impl Inner {
    /// `base` + the request's path and query, as if the concatenated string were parsed (the
    /// same percent-encoding and dot-segment rules), without parsing the scheme and host again.
    /// A query in the base URI itself is kept, the request's own appended after it.
    fn url_for(&self, request: &Request) -> Result<reqwest::Url, ClientError> {
        if request.path.contains(['?', '#']) {
            // A spec path with its own query (`/items?limit=10`): the slow way, same result.
            return reqwest::Url::parse(&format!("{}{}", self.base, request.path_and_query()))
                .map_err(|e| ClientError::Config(format!("request URL: {e}")));
        }
        let mut url = self.base_url.clone();
        let base_path = self.base_url.path().trim_end_matches('/');
        let mut path = String::with_capacity(base_path.len() + request.path.len());
        path.push_str(base_path);
        path.push_str(&request.path);
        url.set_path(&path);
        url.set_fragment(None);
        match (self.base_url.query(), request.query.as_str()) {
            (_, "") => {}
            (None | Some(""), query) => url.set_query(Some(query)),
            (Some(own), query) => url.set_query(Some(&format!("{own}&{query}"))),
        }
        Ok(url)
    }
}

/// The whole body, refused as soon as it is known to be over `limit` (by its Content-Length,
/// or while it arrives): an upstream cannot make the gateway buffer without bound.
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Bytes, ClientError> {
    let too_large = ClientError::ResponseTooLarge { limit };
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large);
    }
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut len = 0usize;
    while let Some(chunk) = response.chunk().await.map_err(ClientError::from_reqwest)? {
        len += chunk.len();
        if len > limit {
            return Err(too_large);
        }
        chunks.push(chunk);
    }
    Ok(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => Bytes::from(chunks.concat()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_base64_and_sensitive() {
        let value = basic_header("user", "pass");
        assert_eq!(value, "Basic dXNlcjpwYXNz");
        assert!(value.is_sensitive());
        // Padding, and a password that is not ASCII.
        assert_eq!(basic_header("a", "é"), "Basic YTrDqQ==");
    }

    #[test]
    fn request_urls_are_the_base_and_path_parsed_as_one_string() {
        let bases = [
            "http://127.0.0.1:8080/api",
            "https://vc.example.com/api/",
            "http://h",
            "http://h:81/a%20b/",
        ];
        let mut requests = Vec::new();
        for path in ["/session", "", "/x/../y", "/a b/%41/é"] {
            requests.push(Request::new(Method::GET, path));
            let mut with_query = Request::new(Method::GET, path);
            with_query.query("filter", "a b&c");
            with_query.query("tag", "é");
            requests.push(with_query);
        }
        let upstream_at = |base: &str| {
            Upstream::new(ClientConfig::default(), base.to_owned(), DefaultAuth::None).unwrap()
        };
        for base in bases {
            let upstream = upstream_at(base);
            for request in &requests {
                let joined = format!("{}{}", base.trim_end_matches('/'), request.path_and_query());
                let expected = reqwest::Url::parse(&joined).unwrap();
                assert_eq!(
                    upstream.inner.url_for(request).unwrap(),
                    expected,
                    "{joined}"
                );
            }
        }
        // A base URI with a query, and a spec path with its own: the call's query joins it.
        for (base, path, alone, with_call_query) in [
            (
                "http://h/api?v=2",
                "/s",
                "http://h/api/s?v=2",
                "http://h/api/s?v=2&n=1",
            ),
            (
                "http://h/api",
                "/items?limit=10",
                "http://h/api/items?limit=10",
                "http://h/api/items?limit=10&n=1",
            ),
        ] {
            let upstream = upstream_at(base);
            let mut request = Request::new(Method::GET, path);
            assert_eq!(upstream.inner.url_for(&request).unwrap().as_str(), alone);
            request.query("n", "1");
            assert_eq!(
                upstream.inner.url_for(&request).unwrap().as_str(),
                with_call_query
            );
        }
    }

    #[test]
    fn credentials_are_redacted_in_debug() {
        let call = CallOptions::new().basic_auth("user", &Secret::new("hunter2"));
        let shown = format!("{call:?}");
        assert!(!shown.contains("dXNlcjpodW50ZXIy"), "{shown}");
        let auth = DefaultAuth::header("vmware-api-session-id", "tok-123").unwrap();
        assert!(!format!("{auth:?}").contains("tok-123"));
    }

    #[test]
    fn empty_body_is_null_and_status_errors() {
        let raw = RawResponse {
            status: StatusCode::NO_CONTENT,
            content_type: None,
            body: Bytes::new(),
        };
        assert_eq!(raw.json().unwrap(), serde_json::Value::Null);
        let raw = RawResponse {
            status: StatusCode::UNAUTHORIZED,
            content_type: None,
            body: Bytes::from_static(b"{}"),
        };
        assert!(matches!(
            raw.error_for_status(),
            Err(ClientError::Status { status, .. }) if status == StatusCode::UNAUTHORIZED
        ));
    }
}
