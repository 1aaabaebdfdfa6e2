//! `outputRawFormat: avro`, end to end: an upstream serving bytes this test encodes with
//! apache-avro, read by the generated REST router and MCP tools. Without `outputSchema` the
//! body is an object container file (its schema in its header); with one, also a bare
//! binary datum of it. The official corpus file `avro-capability.yaml` runs too.

mod container {
    naftiko::capability!("specs/avro-container.yaml");
}

mod datum {
    naftiko::capability!("specs/avro-datum.yaml");
}

mod corpus {
    naftiko::capability!("../corpus/official/tests/formats/avro-capability.yaml");
}

use apache_avro::types::Value as Avro;
use apache_avro::writer::datum::GenericDatumWriter;
use apache_avro::{Schema, Writer};
use naftiko::__private::http::{Method, StatusCode};
use naftiko::__private::serde_json::{Value, json};
use naftiko_test_support::{Canned, McpServer, Upstream, rest};

const AVRO: &str = "application/avro";

/// The schema file the `avro-datum` spec names: what an upstream with a schema registry
/// writes with.
fn schema() -> Schema {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/schemas/records.avsc"
    ))
    .expect("read the schema");
    Schema::parse_str(&text).expect("a valid schema")
}

fn record(id: &str, title: &str, description: Option<&str>, created_at: i64) -> Avro {
    let description = match description {
        Some(d) => Avro::Union(1, Box::new(Avro::String(d.into()))),
        None => Avro::Union(0, Box::new(Avro::Null)),
    };
    Avro::Record(vec![
        ("id".into(), Avro::String(id.into())),
        ("title".into(), Avro::String(title.into())),
        ("description".into(), description),
        ("created_at".into(), Avro::Long(created_at)),
    ])
}

fn page() -> Avro {
    Avro::Record(vec![
        (
            "records".into(),
            Avro::Array(vec![
                record("r1", "First", Some("the first"), 1_767_225_600_000),
                record("r2", "Second", None, -1),
            ]),
        ),
        ("total".into(), Avro::Long(2)),
    ])
}

/// What every spec here maps the page to.
fn mapped() -> Value {
    json!([
        {"id": "r1", "title": "First", "description": "the first", "created": 1_767_225_600_000_i64},
        {"id": "r2", "title": "Second", "description": null, "created": -1}
    ])
}

fn container_file(schema: &Schema, data: &[Avro]) -> Vec<u8> {
    let mut writer = Writer::new(schema, Vec::new()).expect("a writer");
    for datum in data {
        writer.append_value_ref(datum).expect("append");
    }
    writer.into_inner().expect("the file")
}

fn bare_datum(schema: &Schema, datum: Avro) -> Vec<u8> {
    GenericDatumWriter::builder(schema)
        .build()
        .expect("a writer")
        .write_value_to_vec(datum)
        .expect("encode")
}

async fn serving(body: Vec<u8>) -> Upstream {
    Upstream::start(move |_| Canned::bytes(200, AVRO, body.clone())).await
}

fn container_router(upstream: &Upstream) -> naftiko::__private::axum::Router {
    let client = container::avro_ocf::Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client");
    container::avro_ocf_rest::router(container::avro_ocf_rest::Forward::new(container::Clients {
        avro_ocf: client,
    }))
}

#[tokio::test]
async fn a_container_file_without_output_schema_is_read_by_its_own_schema() {
    let upstream = serving(container_file(&schema(), &[page()])).await;
    let router = container_router(&upstream);

    let response = rest(router.clone(), Method::GET, "/avro/records", &[], "").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json(), mapped());
    let response = rest(router, Method::GET, "/avro/total", &[], "").await;
    assert_eq!(response.json(), json!(2));
    assert_eq!(upstream.requests()[0].path, "/records");
}

#[tokio::test]
async fn mcp_tools_read_avro_the_same_way() {
    let upstream = serving(container_file(&schema(), &[page()])).await;
    let client = container::avro_ocf::Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client");
    let server = McpServer::start(container::avro_ocf_mcp::router(
        container::avro_ocf_mcp::Tools::new(container::Clients { avro_ocf: client }),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await;

    let result = server.call_ok("list-records", json!({}), &[]).await;
    assert_eq!(result, json!({"result": mapped()}));
}

#[tokio::test]
async fn without_output_schema_a_body_that_is_not_a_container_file_is_a_502() {
    let upstream = serving(bare_datum(&schema(), page())).await;
    let response = rest(
        container_router(&upstream),
        Method::GET,
        "/avro/records",
        &[],
        "",
    )
    .await;
    assert_eq!(response.status, StatusCode::BAD_GATEWAY);
    let body = response.json();
    assert_eq!(body["error"]["kind"], "upstream_invalid", "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Avro") && message.contains("no outputSchema"),
        "{message}"
    );
}

#[tokio::test]
async fn a_container_file_cut_short_is_a_502() {
    let mut file = container_file(&schema(), &[page()]);
    file.truncate(file.len() - 20);
    let upstream = serving(file).await;
    let response = rest(
        container_router(&upstream),
        Method::GET,
        "/avro/records",
        &[],
        "",
    )
    .await;
    assert_eq!(response.status, StatusCode::BAD_GATEWAY);
    assert_eq!(response.json()["error"]["kind"], "upstream_invalid");
}

fn datum_router(upstream: &Upstream) -> naftiko::__private::axum::Router {
    let client = datum::avro_datum::Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client");
    datum::avro_datum_rest::router(datum::avro_datum_rest::Forward::new(datum::Clients {
        avro_datum: client,
    }))
}

#[tokio::test]
async fn with_output_schema_a_bare_datum_is_read_by_that_schema() {
    let upstream = serving(bare_datum(&schema(), page())).await;
    let response = rest(datum_router(&upstream), Method::GET, "/records", &[], "").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json(), mapped());

    // The client's typed method returns the whole datum as JSON.
    let client = datum::avro_datum::Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client");
    let whole = client
        .get_records(&naftiko::CallOptions::new())
        .await
        .expect("decoded");
    assert_eq!(whole["total"], json!(2));
    assert_eq!(whole["records"][1]["description"], Value::Null);
}

/// A writer with a newer schema (an extra field): the spec's schema reads the file, so the
/// extra field is dropped and the mapping still finds what it knows.
#[tokio::test]
async fn with_output_schema_a_container_file_is_resolved_to_it() {
    let writer = Schema::parse_str(
        r#"{"type": "record", "name": "RecordPage", "namespace": "shop", "fields": [
            {"name": "records", "type": {"type": "array", "items": {"type": "record", "name": "Record", "fields": [
                {"name": "id", "type": "string"},
                {"name": "title", "type": "string"},
                {"name": "description", "type": ["null", "string"], "default": null},
                {"name": "created_at", "type": "long"},
                {"name": "owner", "type": "string", "default": "nobody"}
            ]}}},
            {"name": "total", "type": "long"}
        ]}"#,
    )
    .expect("writer schema");
    let with_owner = |id: &str| {
        Avro::Record(vec![
            ("id".into(), Avro::String(id.into())),
            ("title".into(), Avro::String("T".into())),
            ("description".into(), Avro::Union(0, Box::new(Avro::Null))),
            ("created_at".into(), Avro::Long(5)),
            ("owner".into(), Avro::String("ann".into())),
        ])
    };
    let page = Avro::Record(vec![
        ("records".into(), Avro::Array(vec![with_owner("w1")])),
        ("total".into(), Avro::Long(1)),
    ]);
    let upstream = serving(container_file(&writer, &[page])).await;
    let client = datum::avro_datum::Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client");
    let whole = client
        .get_records(&naftiko::CallOptions::new())
        .await
        .expect("decoded");
    assert_eq!(
        whole,
        json!({"records": [{"id": "w1", "title": "T", "description": null, "created_at": 5}], "total": 1})
    );
}

#[tokio::test]
async fn with_output_schema_garbage_is_a_502() {
    let upstream = serving(vec![0x02, 0xff, 0xff, 0xff]).await;
    let response = rest(datum_router(&upstream), Method::GET, "/records", &[], "").await;
    assert_eq!(response.status, StatusCode::BAD_GATEWAY);
    assert_eq!(response.json()["error"]["kind"], "upstream_invalid");
}

/// The official corpus file, as written: `$.records` of the container's one datum.
#[tokio::test]
async fn the_corpus_avro_capability_serves_its_records() {
    let schema = Schema::parse_str(
        r#"{"type": "record", "name": "Records", "fields": [
            {"name": "records", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                {"name": "id", "type": "string"},
                {"name": "title", "type": "string"},
                {"name": "description", "type": "string"}
            ]}}}
        ]}"#,
    )
    .expect("schema");
    let item = |id: &str, title: &str| {
        Avro::Record(vec![
            ("id".into(), Avro::String(id.into())),
            ("title".into(), Avro::String(title.into())),
            ("description".into(), Avro::String(format!("about {title}"))),
        ])
    };
    let datum = Avro::Record(vec![(
        "records".into(),
        Avro::Array(vec![item("1", "One"), item("2", "Two")]),
    )]);
    let upstream = serving(container_file(&schema, &[datum])).await;
    let client = corpus::mock_avro::Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client");
    let router = corpus::test_avro::router(corpus::test_avro::Forward::new(corpus::Clients {
        mock_avro: client,
    }));

    let response = rest(router, Method::GET, "/avro/records", &[], "").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(
        response.json(),
        json!([
            {"id": "1", "title": "One", "description": "about One"},
            {"id": "2", "title": "Two", "description": "about Two"}
        ])
    );
    let request = upstream.only_request();
    assert_eq!(request.path, "/api/records");
    assert_eq!(
        request.header("accept").as_deref(),
        Some("application/avro")
    );
}
