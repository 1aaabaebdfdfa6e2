//! `outputRawFormat: protobuf`, end to end: an upstream serving messages this test encodes
//! with prost-reflect, read by the generated REST router and MCP tools. With `outputSchema`
//! the `.proto` gives the field names (as declared: `created_at`); without one, fields are
//! keyed by number. The official corpus file `proto-capability.yaml` runs too.

mod with_schema {
    naftiko::capability!("specs/protobuf.yaml");
}

mod raw {
    naftiko::capability!("specs/protobuf-raw.yaml");
}

mod corpus {
    naftiko::capability!("../corpus/official/tests/formats/proto-capability.yaml");
}

use naftiko::__private::http::{Method, StatusCode};
use naftiko::__private::serde_json::json;
use naftiko_test_support::{Canned, McpServer, Upstream, rest};
use prost::Message as _;
use prost_reflect::{DynamicMessage, MessageDescriptor, Value as Field};

const PROTOBUF: &str = "application/protobuf";

/// `shop.v1.RecordPage` from the schema file the spec names, compiled here on its own.
fn page_descriptor() -> MessageDescriptor {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/specs/schemas");
    let pool = protox::Compiler::new([dir])
        .expect("includes")
        .open_file("records.proto")
        .expect("compile records.proto")
        .descriptor_pool();
    pool.get_message_by_name("shop.v1.RecordPage")
        .expect("RecordPage")
}

fn record(page: &MessageDescriptor, id: &str, title: &str, created_at: i64, status: i32) -> Field {
    let descriptor = page
        .get_field_by_name("records")
        .and_then(|f| f.kind().as_message().cloned())
        .expect("Record");
    let mut record = DynamicMessage::new(descriptor);
    record.set_field_by_name("id", Field::String(id.into()));
    record.set_field_by_name("title", Field::String(title.into()));
    record.set_field_by_name("created_at", Field::I64(created_at));
    record.set_field_by_name("status", Field::EnumNumber(status));
    Field::Message(record)
}

/// Two records (the second leaves `description` at its default) and a 64-bit total.
fn page_bytes() -> Vec<u8> {
    let descriptor = page_descriptor();
    let records = vec![
        record(&descriptor, "r1", "First", 1_767_225_600_000, 1),
        record(&descriptor, "r2", "Second", -7, 2),
    ];
    let mut page = DynamicMessage::new(descriptor);
    page.set_field_by_name("records", Field::List(records));
    page.set_field_by_name("total", Field::U64(u64::MAX));
    page.encode_to_vec()
}

async fn serving(body: Vec<u8>) -> Upstream {
    Upstream::start(move |_| Canned::bytes(200, PROTOBUF, body.clone())).await
}

fn clients(upstream: &Upstream) -> with_schema::Clients {
    with_schema::Clients {
        proto_api: with_schema::proto_api::Client::builder()
            .base_uri(upstream.url(""))
            .build()
            .expect("build client"),
    }
}

#[tokio::test]
async fn with_a_proto_fields_keep_their_declared_names() {
    let upstream = serving(page_bytes()).await;
    let router =
        with_schema::proto_rest::router(with_schema::proto_rest::Forward::new(clients(&upstream)));

    let response = rest(router.clone(), Method::GET, "/proto/records", &[], "").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    // Defaults are present (`description: ""`), enums are their names, int64 a number.
    assert_eq!(
        response.json(),
        json!([
            {"id": "r1", "title": "First", "description": "", "created": 1_767_225_600_000_i64, "status": "ACTIVE"},
            {"id": "r2", "title": "Second", "description": "", "created": -7, "status": "ARCHIVED"}
        ])
    );
    let response = rest(router, Method::GET, "/proto/total", &[], "").await;
    assert_eq!(response.json(), json!(u64::MAX));
}

#[tokio::test]
async fn mcp_tools_read_protobuf_the_same_way() {
    let upstream = serving(page_bytes()).await;
    let server = McpServer::start(with_schema::proto_mcp::router(
        with_schema::proto_mcp::Tools::new(clients(&upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await;
    let result = server.call_ok("list-records", json!({}), &[]).await;
    assert_eq!(
        result["result"][1],
        json!({"id": "r2", "title": "Second", "description": "", "created": -7})
    );
}

#[tokio::test]
async fn with_a_proto_an_empty_body_is_every_field_at_its_default() {
    let upstream = serving(Vec::new()).await;
    let whole = clients(&upstream)
        .proto_api
        .get_records(&naftiko::CallOptions::new())
        .await
        .expect("decoded");
    assert_eq!(whole, json!({"records": [], "total": 0}));
}

#[tokio::test]
async fn with_a_proto_bad_wire_data_is_a_502() {
    let mut cut = page_bytes();
    cut.truncate(cut.len() - 3);
    for body in [cut, vec![0xff; 12], b"{\"records\": []}".to_vec()] {
        let upstream = serving(body).await;
        let router = with_schema::proto_rest::router(with_schema::proto_rest::Forward::new(
            clients(&upstream),
        ));
        let response = rest(router, Method::GET, "/proto/records", &[], "").await;
        assert_eq!(
            response.status,
            StatusCode::BAD_GATEWAY,
            "{}",
            response.text()
        );
        let body = response.json();
        assert_eq!(body["error"]["kind"], "upstream_invalid", "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("not a `shop.v1.RecordPage`")),
            "{body}"
        );
    }
}

fn raw_clients(upstream: &Upstream) -> raw::Clients {
    raw::Clients {
        proto_raw: raw::proto_raw::Client::builder()
            .base_uri(upstream.url(""))
            .build()
            .expect("build client"),
    }
}

#[tokio::test]
async fn without_a_proto_fields_are_keyed_by_number() {
    let upstream = serving(page_bytes()).await;
    let router =
        raw::proto_raw_rest::router(raw::proto_raw_rest::Forward::new(raw_clients(&upstream)));
    let response = rest(router, Method::GET, "/raw/records", &[], "").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    // -7 as an int64 varint is its two's complement: the wire does not say it was signed.
    assert_eq!(
        response.json(),
        json!([
            {"id": "r1", "title": "First", "created": 1_767_225_600_000_i64},
            {"id": "r2", "title": "Second", "created": (-7_i64) as u64}
        ])
    );

    let server = McpServer::start(raw::proto_raw_mcp::router(
        raw::proto_raw_mcp::Tools::new(raw_clients(&upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await;
    let whole = server.call_ok("decode-raw", json!({}), &[]).await;
    assert_eq!(
        whole,
        json!({
            "1": [
                {"1": "r1", "2": "First", "4": 1_767_225_600_000_i64, "5": 1},
                {"1": "r2", "2": "Second", "4": (-7_i64) as u64, "5": 2}
            ],
            "2": u64::MAX
        })
    );
}

#[tokio::test]
async fn without_a_proto_bad_wire_data_is_a_502() {
    let mut cut = page_bytes();
    cut.truncate(cut.len() - 3);
    let upstream = serving(cut).await;
    let router =
        raw::proto_raw_rest::router(raw::proto_raw_rest::Forward::new(raw_clients(&upstream)));
    let response = rest(router, Method::GET, "/raw/records", &[], "").await;
    assert_eq!(
        response.status,
        StatusCode::BAD_GATEWAY,
        "{}",
        response.text()
    );
    assert_eq!(response.json()["error"]["kind"], "upstream_invalid");
}

/// The official corpus file, as written: no `outputSchema`, so its `$.records` cannot match
/// a field that has only a number on the wire (the generator warns so at its
/// `outputRawFormat`; `naftiko-codegen/tests/output_schema.rs` asserts the warning). What
/// really happens: the mapping finds nothing, and the answer is `null`.
#[tokio::test]
async fn the_corpus_proto_capability_generates_and_its_name_mapping_finds_nothing() {
    let upstream = serving(page_bytes()).await;
    let client = corpus::mock_proto::Client::builder()
        .base_uri(upstream.url(""))
        .build()
        .expect("build client");
    let router =
        corpus::test_protobuf::router(corpus::test_protobuf::Forward::new(corpus::Clients {
            mock_proto: client,
        }));
    let response = rest(router, Method::GET, "/proto/records", &[], "").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json(), json!(null));
    let request = upstream.only_request();
    assert_eq!(request.path, "/api/records");
    assert_eq!(
        request.header("accept").as_deref(),
        Some("application/protobuf")
    );
}
