//! Errors of generated clients and servers.

use std::fmt;

use bytes::Bytes;
use http::StatusCode;

/// Why a call to the upstream API did not give a usable answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError {
    /// The client was built with bad or missing settings.
    Config(String),
    /// No credentials: the caller passed none and the bound variable is unset.
    MissingCredential {
        /// The bind variable that would have supplied them.
        variable: &'static str,
    },
    /// A parameter the operation needs has no value (never sent upstream as an empty string).
    MissingParameter { name: &'static str },
    /// A parameter's value cannot be sent (for example, a header value with CR or LF).
    InvalidParameter { name: String, message: String },
    /// The upstream could not be reached (DNS, refused, TLS handshake).
    Connect(String),
    /// The upstream did not answer in time.
    Timeout,
    /// The connection failed while sending or receiving.
    Transport(String),
    /// The upstream answered with an error status.
    Status { status: StatusCode, body: Bytes },
    /// The upstream's body is not what the operation expects.
    Decode(String),
    /// The upstream's body is over the configured size limit (never read whole).
    ResponseTooLarge { limit: usize },
    /// An orchestration step failed.
    Step {
        /// The step's name in the spec.
        step: &'static str,
        source: Box<ClientError>,
    },
}

impl ClientError {
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        // Drop the URL: a query-placed API key must not reach an error message.
        let e = e.without_url();
        if e.is_timeout() {
            ClientError::Timeout
        } else if e.is_connect() {
            ClientError::Connect(source_chain(&e))
        } else if e.is_builder() {
            ClientError::Config(source_chain(&e))
        } else {
            ClientError::Transport(source_chain(&e))
        }
    }

    /// A missing client setting, named with its flag and environment variable.
    pub fn missing_setting(name: &str, flag: &str, env: &str, base_uri_env: &str) -> Self {
        ClientError::Config(format!(
            "missing setting `{name}`: pass --{flag} (env {env}), or replace the whole base URI with --base-uri (env {base_uri_env})"
        ))
    }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Config(m) => write!(f, "client configuration: {m}"),
            ClientError::MissingCredential { variable } => write!(
                f,
                "no credentials: pass them with the request, or set the bound variable {variable}"
            ),
            ClientError::MissingParameter { name } => {
                write!(f, "parameter `{name}` is required and has no value")
            }
            ClientError::InvalidParameter { name, message } => {
                write!(f, "parameter `{name}`: {message}")
            }
            ClientError::Connect(m) => write!(f, "upstream unreachable: {m}"),
            ClientError::Timeout => f.write_str("upstream timed out"),
            ClientError::Transport(m) => write!(f, "upstream connection failed: {m}"),
            ClientError::Status { status, body } => {
                write!(f, "upstream answered {status}")?;
                if !body.is_empty() {
                    write!(
                        f,
                        ": {}",
                        String::from_utf8_lossy(&body[..body.len().min(512)])
                    )?;
                }
                Ok(())
            }
            ClientError::Decode(m) => write!(f, "upstream body not understood: {m}"),
            ClientError::ResponseTooLarge { limit } => write!(
                f,
                "upstream body over the limit of {limit} bytes (--max-response-bytes)"
            ),
            ClientError::Step { step, source } => write!(f, "step `{step}`: {source}"),
        }
    }
}

impl std::error::Error for ClientError {}

/// Why a generated server could not start or keep running.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    Client(ClientError),
    /// A listener could not be bound or served.
    Io {
        what: String,
        source: std::io::Error,
    },
    Config(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Client(e) => e.fmt(f),
            Error::Io { what, source } => write!(f, "{what}: {source}"),
            Error::Config(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl From<ClientError> for Error {
    fn from(e: ClientError) -> Self {
        Error::Client(e)
    }
}
