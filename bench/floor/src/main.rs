//! The floor under the gateway's REST figures (BENCHMARKS.md, "Third run: the floor").
//!
//! `GET /v1/session` proxied to `{upstream}/session` with the caller's `vmware-api-session-id`,
//! answered with the upstream's status, content type and body: the gateway's job with none of
//! naftiko's layers (no request id, metrics, limits, tracing, error mapping, generated client).
//! The upstream call goes through either a bare hyper client (`--client hyper`, the least any
//! axum gateway can do) or a bare reqwest client (`--client reqwest`, what naftiko's runtime
//! uses). The runtime, the allocator and the release profile are the gateway's own
//! (`naftiko::server::runtime()`, `naftiko::Allocator`): the difference between these and the
//! gateway is what naftiko's own layers cost, the difference between these and nginx what the
//! axum/hyper/reqwest stack costs.
//!
//! Not part of any product: bench/run.sh builds and starts it.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, Request, Response, StatusCode, Uri, header};
use axum::routing::get;
use bytes::Bytes;
use clap::{Parser, ValueEnum};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

#[global_allocator]
static ALLOCATOR: naftiko::Allocator = naftiko::Allocator;

const SESSION_HEADER: HeaderName = HeaderName::from_static("vmware-api-session-id");

#[derive(Parser)]
struct Args {
    /// The upstream HTTP client.
    #[arg(long, value_enum)]
    client: ClientKind,
    #[arg(long)]
    port: u16,
    /// The upstream's base URI (`http://127.0.0.1:18081/api`).
    #[arg(long)]
    upstream: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum ClientKind {
    Hyper,
    Reqwest,
}

#[expect(clippy::large_enum_variant, reason = "one value, behind an Arc")]
enum Upstream {
    Hyper {
        client: HyperClient<HttpConnector, Empty<Bytes>>,
        uri: Uri,
    },
    Reqwest {
        client: reqwest::Client,
        url: reqwest::Url,
    },
}

impl Upstream {
    async fn get(&self, token: Option<&axum::http::HeaderValue>) -> Result<Response<Body>, String> {
        match self {
            Upstream::Hyper { client, uri } => {
                let mut request = Request::get(uri.clone());
                if let Some(token) = token {
                    request = request.header(SESSION_HEADER, token);
                }
                let request = request.body(Empty::new()).map_err(|e| e.to_string())?;
                let response = client.request(request).await.map_err(|e| e.to_string())?;
                let (parts, body) = response.into_parts();
                let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
                Ok(answer(
                    parts.status,
                    parts.headers.get(header::CONTENT_TYPE),
                    body,
                ))
            }
            Upstream::Reqwest { client, url } => {
                let mut request = client.get(url.clone());
                if let Some(token) = token {
                    request = request.header(SESSION_HEADER, token);
                }
                let response = request.send().await.map_err(|e| e.to_string())?;
                let status = response.status();
                let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                Ok(answer(status, content_type.as_ref(), body))
            }
        }
    }
}

fn answer(
    status: StatusCode,
    content_type: Option<&axum::http::HeaderValue>,
    body: Bytes,
) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type.clone());
    }
    response
}

async fn session(State(upstream): State<Arc<Upstream>>, headers: HeaderMap) -> Response<Body> {
    match upstream.get(headers.get(SESSION_HEADER)).await {
        Ok(response) => response,
        Err(e) => {
            let mut response = Response::new(Body::from(format!("upstream: {e}\n")));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let target = format!("{}/session", args.upstream.trim_end_matches('/'));
    let upstream = match args.client {
        ClientKind::Hyper => Upstream::Hyper {
            client: {
                let mut connector = HttpConnector::new();
                connector.set_nodelay(true);
                HyperClient::builder(TokioExecutor::new()).build(connector)
            },
            uri: target.parse()?,
        },
        ClientKind::Reqwest => Upstream::Reqwest {
            // As naftiko's runtime builds it: ring for TLS (unused here, but reqwest asks for
            // a provider), no delay on the upstream connection.
            client: {
                naftiko::client::install_crypto_provider();
                reqwest::Client::builder().tcp_nodelay(true).build()?
            },
            url: target.parse()?,
        },
    };
    let app = Router::new()
        .route("/v1/session", get(session))
        .with_state(Arc::new(upstream));
    naftiko::server::runtime()?.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
        // Stops on SIGINT (bench/run.sh's callgrind run), which a shell's background job
        // would otherwise ignore.
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })?;
    Ok(())
}
