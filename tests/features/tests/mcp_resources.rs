//! MCP resources and prompts over Streamable HTTP: a static file embedded at build time and
//! served byte for byte, reads through the client (fixed URI, URI template whose value fills
//! the upstream path, mapped output), the JSON-RPC errors for unknown URIs and failing
//! upstreams, prompts built from their arguments, and capabilities advertised only by the
//! adapter that has resources and prompts.

mod spec {
    naftiko::capability!("specs/mcp_resources.yaml");
}

use naftiko::__private::http::Method;
use naftiko::__private::serde_json::{Value, json};
use naftiko_test_support::{Canned, McpServer, Upstream};
use spec::users_api::Client;
use spec::{Clients, docs_mcp, plain_mcp};

const GUIDE: &str = include_str!("../specs/mcp_resources/guide.md");
const PROFILE: &str = "{\"name\": \"Ada Lovelace\", \"id\": \"u 1\"}";

async fn upstream() -> Upstream {
    Upstream::start(|request| match request.path.as_str() {
        "/api/status" => Canned::json(200, r#"{"up":true}"#),
        path if path.ends_with("/missing/profile") => Canned::json(404, r#"{"error":"no"}"#),
        _ => Canned::json(200, PROFILE),
    })
    .await
}

fn clients(upstream: &Upstream) -> Clients {
    Clients {
        users_api: Client::builder()
            .base_uri(upstream.url("/api"))
            .build()
            .expect("build client"),
    }
}

async fn docs(upstream: &Upstream) -> McpServer {
    McpServer::start(docs_mcp::router(
        docs_mcp::Tools::new(clients(upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await
}

async fn request(server: &McpServer, method: &str, params: Value) -> Value {
    server
        .rpc(
            json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params}),
            &[],
        )
        .await
}

async fn result(server: &McpServer, method: &str, params: Value) -> Value {
    let answer = request(server, method, params).await;
    assert!(answer.get("error").is_none(), "{answer}");
    answer["result"].clone()
}

async fn error(server: &McpServer, method: &str, params: Value) -> Value {
    let answer = request(server, method, params).await;
    assert!(answer.get("result").is_none(), "{answer}");
    answer["error"].clone()
}

fn initialize() -> Value {
    json!({
        "protocolVersion": naftiko_test_support::LEGACY,
        "capabilities": {},
        "clientInfo": {"name": "features", "version": "0"}
    })
}

#[tokio::test]
async fn capabilities_are_advertised_only_where_there_are_resources_and_prompts() {
    let upstream = upstream().await;
    let with = result(&docs(&upstream).await, "initialize", initialize()).await;
    assert!(with["capabilities"]["resources"].is_object(), "{with}");
    assert!(with["capabilities"]["prompts"].is_object(), "{with}");

    let plain = McpServer::start(plain_mcp::router(
        plain_mcp::Tools::new(clients(&upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await;
    let without = result(&plain, "initialize", initialize()).await;
    assert!(without["capabilities"]["tools"].is_object(), "{without}");
    assert!(
        without["capabilities"].get("resources").is_none(),
        "{without}"
    );
    assert!(
        without["capabilities"].get("prompts").is_none(),
        "{without}"
    );
    let refused = error(&plain, "resources/list", json!({})).await;
    assert_eq!(refused["code"], -32601, "{refused}");
}

#[tokio::test]
async fn resources_list_has_the_fixed_uris_and_templates_list_the_templates() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let list = result(&server, "resources/list", json!({})).await;
    assert_eq!(
        list["resources"],
        json!([
            {
                "uri": "docs://guide",
                "name": "guide",
                "title": "Operator guide",
                "description": "How to run the service",
                "mimeType": "text/markdown",
                "size": GUIDE.len(),
            },
            {
                "uri": "data://status",
                "name": "status",
                "title": "Status",
                "description": "The service status, read from the upstream",
                "mimeType": "application/json",
            },
        ]),
        "{list}"
    );

    let templates = result(&server, "resources/templates/list", json!({})).await;
    let names: Vec<(&str, &str)> = templates["resourceTemplates"]
        .as_array()
        .expect("resourceTemplates")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["uriTemplate"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("user-profile", "data://users/{userId}/profile"),
            ("user-name", "data://users/{userId}/name"),
            ("user-card", "data://users/{userId}/card"),
        ]
    );
    upstream.assert_untouched();
}

#[tokio::test]
async fn a_static_resource_is_the_file_byte_for_byte_without_an_upstream_call() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let read = result(&server, "resources/read", json!({"uri": "docs://guide"})).await;

    assert_eq!(
        read["contents"],
        json!([{"uri": "docs://guide", "mimeType": "text/markdown", "text": GUIDE}])
    );
    upstream.assert_untouched();
}

#[tokio::test]
async fn a_dynamic_resource_reads_the_upstream_body_unchanged() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let read = result(&server, "resources/read", json!({"uri": "data://status"})).await;

    assert_eq!(
        read["contents"],
        json!([{"uri": "data://status", "mimeType": "application/json", "text": r#"{"up":true}"#}])
    );
    let sent = upstream.only_request();
    assert_eq!(sent.method, Method::GET);
    assert_eq!(sent.path, "/api/status");
}

#[tokio::test]
async fn a_template_uri_fills_the_upstream_path_with_its_decoded_value() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let uri = "data://users/u%201/profile";
    let read = result(&server, "resources/read", json!({ "uri": uri })).await;

    assert_eq!(
        read["contents"],
        json!([{"uri": uri, "mimeType": "application/json", "text": PROFILE}])
    );
    let sent = upstream.only_request();
    assert_eq!(sent.method, Method::GET);
    // Captured as `u 1`, then encoded again as one path segment.
    assert_eq!(sent.path, "/api/users/u%201/profile");
}

#[tokio::test]
async fn a_template_with_outputs_maps_the_body() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let read = result(
        &server,
        "resources/read",
        json!({"uri": "data://users/42/name"}),
    )
    .await;

    assert_eq!(read["contents"][0]["text"], "\"Ada Lovelace\"", "{read}");
    assert_eq!(upstream.only_request().path, "/api/users/42/profile");
}

#[tokio::test]
async fn a_template_read_through_steps_joins_their_outputs() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let read = result(
        &server,
        "resources/read",
        json!({"uri": "data://users/7/card"}),
    )
    .await;

    let text = read["contents"][0]["text"].as_str().expect("text");
    let card: Value = naftiko::__private::serde_json::from_str(text).expect("JSON text");
    assert_eq!(card, json!({"name": "Ada Lovelace", "up": true}));
    let mut paths: Vec<String> = upstream.requests().into_iter().map(|r| r.path).collect();
    paths.sort();
    assert_eq!(paths, ["/api/status", "/api/users/7/profile"]);
}

#[tokio::test]
async fn unknown_uris_are_resource_not_found() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    for uri in [
        "docs://nothing",
        "data://users//profile",
        "data://users/a/b/profile",
        "data://users/42/profile/extra",
    ] {
        let error = error(&server, "resources/read", json!({ "uri": uri })).await;
        assert_eq!(error["code"], -32002, "{uri}: {error}");
        assert_eq!(error["data"]["uri"], uri, "{error}");
    }
    upstream.assert_untouched();
}

#[tokio::test]
async fn an_upstream_error_is_an_internal_error_naming_the_status() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let error = error(
        &server,
        "resources/read",
        json!({"uri": "data://users/missing/profile"}),
    )
    .await;

    assert_eq!(error["code"], -32603, "{error}");
    assert_eq!(error["data"]["status"], 404, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("404"),
        "{error}"
    );
}

#[tokio::test]
async fn prompts_list_their_arguments() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let list = result(&server, "prompts/list", json!({})).await;

    assert_eq!(
        list["prompts"],
        json!([
            {
                "name": "outreach",
                "title": "Outreach",
                "description": "Draft a message to a participant",
                "arguments": [
                    {"name": "participant", "description": "Who to write to", "required": true},
                    {"name": "tone", "title": "Tone", "description": "friendly, formal, ...", "required": false},
                ],
            },
            {
                "name": "review",
                "title": "Review",
                "description": "Review a piece of code",
                "arguments": [
                    {"name": "code", "description": "The code to review", "required": true},
                ],
            },
        ]),
        "{list}"
    );
}

#[tokio::test]
async fn prompts_get_substitutes_the_arguments() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let got = result(
        &server,
        "prompts/get",
        json!({"name": "outreach", "arguments": {"participant": "Grace {{tone}}", "tone": "warm"}}),
    )
    .await;
    assert_eq!(got["description"], "Draft a message to a participant");
    // Values are inserted as given: a placeholder inside a value is not expanded again.
    assert_eq!(
        got["messages"],
        json!([
            {"role": "user", "content": {"type": "text", "text": "Write to Grace {{tone}} in a warm tone."}},
            {"role": "assistant", "content": {"type": "text", "text": "Drafting for Grace {{tone}}."}},
        ])
    );

    // An optional argument left out reads as empty.
    let got = result(
        &server,
        "prompts/get",
        json!({"name": "outreach", "arguments": {"participant": "Alan"}}),
    )
    .await;
    assert_eq!(
        got["messages"][0]["content"]["text"],
        "Write to Alan in a  tone."
    );
}

#[tokio::test]
async fn a_file_prompt_is_one_user_message() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let got = result(
        &server,
        "prompts/get",
        json!({"name": "review", "arguments": {"code": "fn main() {}"}}),
    )
    .await;

    assert_eq!(
        got["messages"],
        json!([{"role": "user", "content": {"type": "text", "text":
            "Review this code and list its bugs:\n\nfn main() {}\n"}}])
    );
}

#[tokio::test]
async fn prompt_errors_are_invalid_params() {
    let upstream = upstream().await;
    let server = docs(&upstream).await;

    let missing = error(
        &server,
        "prompts/get",
        json!({"name": "outreach", "arguments": {"tone": "warm"}}),
    )
    .await;
    assert_eq!(missing["code"], -32602, "{missing}");
    assert!(
        missing["message"]
            .as_str()
            .unwrap_or_default()
            .contains("`participant`"),
        "{missing}"
    );

    let no_arguments = error(&server, "prompts/get", json!({"name": "review"})).await;
    assert_eq!(no_arguments["code"], -32602, "{no_arguments}");

    let not_text = error(
        &server,
        "prompts/get",
        json!({"name": "review", "arguments": {"code": 42}}),
    )
    .await;
    assert_eq!(not_text["code"], -32602, "{not_text}");

    let unknown = error(&server, "prompts/get", json!({"name": "nothing"})).await;
    assert_eq!(unknown["code"], -32602, "{unknown}");
    assert!(
        unknown["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nothing"),
        "{unknown}"
    );
}
