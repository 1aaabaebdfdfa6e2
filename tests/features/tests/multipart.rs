//! `multipartForm` bodies: the parts arrive in order, with their names, file name and content
//! type, the values templated, through the typed client, REST and MCP. The received bodies
//! are read back with `multer` (the parser behind axum's `Multipart`), not with our own code.

mod spec {
    naftiko::capability!("specs/multipart.yaml");
}

use naftiko::__private::http::Method;
use naftiko::__private::serde_json::json;
use naftiko::CallOptions;
use naftiko_test_support::{McpServer, Recorded, Upstream, rest};
use spec::upload_api::{self as api, Client};
use spec::{Clients, upload_mcp, upload_rest};

const OK: &str = r#"{"ok":true}"#;

fn client(upstream: &Upstream) -> Client {
    Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client")
}

/// A part as received: (name, file name, content type, text).
type Received = (String, Option<String>, Option<String>, String);

async fn parts(request: &Recorded) -> Vec<Received> {
    let content_type = request.header("content-type").expect("a content type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let boundary = multer::parse_boundary(&content_type).expect("a boundary");
    let body = bytes::Bytes::from(request.body_text().to_owned());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut out = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("a well-formed body") {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let text = field.text().await.expect("a text part");
        out.push((name, file_name, content_type, text));
    }
    out
}

fn expected(vessel: &str, container: &str, weight: &str) -> Vec<Received> {
    vec![
        ("vessel".into(), None, None, vessel.into()),
        (
            "manifest".into(),
            Some("manifest.csv".into()),
            Some("text/csv".into()),
            format!("container,weight\n{container},{weight}\n"),
        ),
    ]
}

#[tokio::test]
async fn client_sends_the_parts_in_order() {
    let upstream = Upstream::json(OK).await;

    let answer = client(&upstream)
        .upload(
            &api::UploadParams {
                vessel: Some("Ever Given é".into()),
                container: Some("MSCU1234567".into()),
                weight: Some("21000".into()),
            },
            &CallOptions::new(),
        )
        .await
        .expect("the call succeeds");

    assert_eq!(answer, json!({"ok": true}));
    let r = upstream.only_request();
    assert_eq!(r.method, Method::POST);
    assert_eq!(r.path, "/manifests");
    assert_eq!(
        parts(&r).await,
        expected("Ever Given é", "MSCU1234567", "21000")
    );
}

#[tokio::test]
async fn a_value_holding_the_boundary_does_not_break_the_body() {
    let upstream = Upstream::json(OK).await;
    let tricky = "--naftiko-boundary-00000000\r\nContent-Disposition: form-data; name=\"x\"";

    client(&upstream)
        .upload(
            &api::UploadParams {
                vessel: Some(tricky.into()),
                container: Some("C".into()),
                weight: Some("1".into()),
            },
            &CallOptions::new(),
        )
        .await
        .expect("the call succeeds");

    assert_eq!(
        parts(&upstream.only_request()).await,
        expected(tricky, "C", "1")
    );
}

#[tokio::test]
async fn rest_body_inputs_fill_the_parts() {
    let upstream = Upstream::json(OK).await;
    let router = upload_rest::router(upload_rest::Forward::new(Clients {
        upload_api: client(&upstream),
    }));

    let response = rest(
        router,
        Method::POST,
        "/v1/manifests",
        &[("content-type", "application/json")],
        r#"{"vessel": "Northern Star", "container": "TGHU7654321", "weight": 9000}"#,
    )
    .await;

    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        parts(&upstream.only_request()).await,
        expected("Northern Star", "TGHU7654321", "9000")
    );
}

#[tokio::test]
async fn mcp_arguments_fill_the_parts() {
    let upstream = Upstream::json(OK).await;
    let server = McpServer::start(upload_mcp::router(
        upload_mcp::Tools::new(Clients {
            upload_api: client(&upstream),
        }),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await;

    let result = server
        .call_ok(
            "upload",
            json!({"vessel": "Northern Star", "container": "TGHU7654321", "weight": 9000}),
            &[],
        )
        .await;

    assert_eq!(result, json!({"ok": true}));
    assert_eq!(
        parts(&upstream.only_request()).await,
        expected("Northern Star", "TGHU7654321", "9000")
    );
}
