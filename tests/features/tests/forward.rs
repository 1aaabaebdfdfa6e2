//! REST `forward` (`specs/forward.yaml`): every method below `/api` goes to the consumed
//! namespace's base URI plus the rest of the path, with the query and body bytes untouched,
//! only the trusted incoming headers, and the namespace's own header parameters and bearer
//! token; the upstream's status, content type and body come back as they were.

mod spec {
    naftiko::capability!("specs/forward.yaml");
}

use std::time::Duration;

use naftiko::__private::axum::Router;
use naftiko::__private::http::{Method, StatusCode};
use naftiko_test_support::{Canned, Upstream, refused_addr, rest};
use spec::{Clients, proxy};

/// The proxy, its backend at `base` (which ends in `/v1/`, as the spec's does).
fn router(base: &str) -> Router {
    let backend = spec::backend::Client::builder()
        .base_uri(base)
        .token("t0k")
        .build()
        .expect("build client");
    proxy::router(proxy::Forward::new(Clients { backend }))
}

/// A body that is not ASCII, so a re-encoding would show.
const BODY: &str = "{\"name\":\"Zoë\",\"n\":[1,2]}";

#[tokio::test]
async fn method_path_query_body_and_only_trusted_headers_go_upstream() {
    let upstream = Upstream::start(|_| Canned::json(200, "{}")).await;
    let app = router(&upstream.url("/v1/"));
    for method in [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ] {
        upstream.clear();
        let answer = rest(
            app.clone(),
            method.clone(),
            "/api/users/42/items%20x?b=2&a=x%20y&a=z",
            &[
                ("content-type", "application/json; charset=utf-8"),
                ("X-REQUEST-ID", "req-1"),
                ("accept", "application/json"),
                ("x-untrusted", "secret-internal"),
                ("cookie", "session=abc"),
                ("authorization", "Bearer caller"),
            ],
            BODY,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{method}: {}", answer.text());
        let r = upstream.only_request();
        assert_eq!(r.method, method);
        assert_eq!(r.path, "/v1/users/42/items%20x?b=2&a=x%20y&a=z", "{method}");
        assert_eq!(r.body.as_ref(), BODY.as_bytes(), "{method}");
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(r.header("x-request-id").as_deref(), Some("req-1"));
        assert_eq!(r.header("accept").as_deref(), Some("application/json"));
        assert_eq!(r.header("x-untrusted"), None, "an untrusted header leaked");
        assert_eq!(r.header("cookie"), None, "an untrusted cookie leaked");
        // Authorization is not trusted: the namespace's own bearer token goes instead.
        assert_eq!(r.header("authorization").as_deref(), Some("Bearer t0k"));
        assert_eq!(r.header("x-api-version").as_deref(), Some("2026-03-03"));
        assert_eq!(r.header("x-tenant").as_deref(), Some("tenant-t0k"));
    }
}

#[tokio::test]
async fn the_bare_prefix_and_an_empty_body_go_as_they_came() {
    let upstream = Upstream::start(|_| Canned::json(200, "{}")).await;
    let app = router(&upstream.url("/v1/"));
    for (uri, sent) in [("/api", "/v1"), ("/api/", "/v1/"), ("/api?q=1", "/v1?q=1")] {
        upstream.clear();
        let answer = rest(app.clone(), Method::GET, uri, &[], "").await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
        let r = upstream.only_request();
        assert_eq!(r.path, sent, "{uri}");
        assert!(r.body.is_empty());
        assert_eq!(r.header("content-type"), None);
    }
}

#[tokio::test]
async fn status_content_type_and_body_come_back_untouched() {
    let upstream = Upstream::start(|r| {
        if r.path.ends_with("/missing") {
            Canned::json(404, r#"{"detail":"no such thing"}"#)
        } else {
            Canned::text(201, "text/csv", "a,b\n1,2\n")
        }
    })
    .await;
    let app = router(&upstream.url("/v1/"));
    let created = rest(app.clone(), Method::POST, "/api/export", &[], "x").await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.content_type(), Some("text/csv"));
    assert_eq!(created.text(), "a,b\n1,2\n");
    let missing = rest(app, Method::GET, "/api/missing", &[], "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.content_type(), Some("application/json"));
    assert_eq!(missing.text(), r#"{"detail":"no such thing"}"#);
}

#[tokio::test]
async fn paths_that_climb_out_of_the_base_path_are_refused() {
    let upstream = Upstream::start(|_| Canned::json(200, "{}")).await;
    let app = router(&upstream.url("/v1/"));
    for uri in [
        "/api/../admin",
        "/api/a/%2e%2E/admin",
        "/api/./a",
        "/api/a%2Fb",
        "/api/a%5C..%5Cb",
    ] {
        let answer = rest(app.clone(), Method::GET, uri, &[], "").await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(answer.json()["error"]["kind"], "invalid_path", "{uri}");
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn an_unreachable_upstream_is_a_502_with_a_json_body() {
    let app = router(&format!("http://{}/v1/", refused_addr()));
    let answer = rest(app, Method::POST, "/api/x", &[], BODY).await;
    assert_eq!(answer.status, StatusCode::BAD_GATEWAY);
    assert_eq!(answer.json()["error"]["kind"], "upstream_unreachable");
}

#[tokio::test]
async fn an_upstream_slower_than_the_timeout_is_a_504_with_a_json_body() {
    let upstream =
        Upstream::start(|_| Canned::json(200, "{}").delayed(Duration::from_secs(2))).await;
    let backend = spec::backend::Client::builder()
        .base_uri(upstream.url("/v1/"))
        .token("t0k")
        .timeout(Duration::from_millis(200))
        .build()
        .expect("build client");
    let app = proxy::router(proxy::Forward::new(Clients { backend }));
    let answer = rest(app, Method::GET, "/api/slow", &[], "").await;
    assert_eq!(answer.status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(answer.json()["error"]["kind"], "upstream_timeout");
}

/// The `Api` trait lets a user serve the forward themselves (here: refuse deletes).
#[derive(Clone)]
struct NoDeletes(proxy::Forward);

impl proxy::Api for NoDeletes {
    async fn ping(
        &self,
        call: naftiko::CallOptions,
    ) -> Result<naftiko::RawResponse, naftiko::ClientError> {
        self.0.ping(call).await
    }

    async fn forward_backend_api(
        &self,
        request: naftiko::request::Request,
        call: naftiko::CallOptions,
    ) -> Result<naftiko::RawResponse, naftiko::ClientError> {
        if request.method() == Method::DELETE {
            return Ok(naftiko::RawResponse {
                status: StatusCode::METHOD_NOT_ALLOWED,
                content_type: None,
                body: Default::default(),
            });
        }
        self.0.forward_backend_api(request, call).await
    }
}

#[tokio::test]
async fn a_user_implementation_can_stand_in_for_the_forward() {
    let upstream = Upstream::start(|_| Canned::json(200, "{}")).await;
    let backend = spec::backend::Client::builder()
        .base_uri(upstream.url("/v1/"))
        .token("t0k")
        .build()
        .expect("build client");
    let app = proxy::router(NoDeletes(proxy::Forward::new(Clients { backend })));
    let refused = rest(app.clone(), Method::DELETE, "/api/x", &[], "").await;
    assert_eq!(refused.status, StatusCode::METHOD_NOT_ALLOWED);
    upstream.assert_untouched();
    let passed = rest(app, Method::GET, "/api/x", &[], "").await;
    assert_eq!(passed.status, StatusCode::OK);
    assert_eq!(upstream.only_request().path, "/v1/x");
}

#[tokio::test]
async fn operations_of_the_adapter_still_answer_beside_the_forward() {
    let upstream = Upstream::start(|_| Canned::json(200, r#"{"pong":true}"#)).await;
    let app = router(&upstream.url("/v1/"));
    let answer = rest(app, Method::GET, "/ping", &[], "").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["pong"], true);
    assert_eq!(upstream.only_request().path, "/v1/ping");
}

#[tokio::test]
async fn the_forward_is_in_the_openapi_document() {
    let doc: naftiko::__private::serde_json::Value =
        naftiko::__private::serde_json::from_str(proxy::OPENAPI).expect("JSON");
    let item = &doc["paths"]["/api/{path}"];
    for method in ["get", "put", "post", "delete", "options", "head", "patch"] {
        assert!(item[method].is_object(), "{method} missing: {item}");
    }
    assert_eq!(item["get"]["parameters"][0]["name"], "path");
    assert!(doc["paths"]["/ping"]["get"].is_object());
}
