//! The real-world dialect end to end: the community file `vmware-vsphere-vms.yaml` (single-brace
//! paths and base URI, `rest.x`/`tools.x` references, undeclared path variables, inputs derived
//! from `with`) as generated, through the client, REST and MCP against a recording upstream.

mod spec {
    naftiko::capability!("../corpus/community/vmware-vsphere-vms.yaml");
}

use naftiko::__private::http::{Method, StatusCode};
use naftiko::__private::serde_json::json;
use naftiko::CallOptions;
use naftiko_test_support::{Canned, McpServer, Upstream, rest};
use spec::vsphere_vms::{Client, ListvmsParams};
use spec::{Clients, vsphere_vms_mcp, vsphere_vms_rest};

const VMS: &str = r#"[{"vm":"vm-42","name":"web","power_state":"POWERED_ON"}]"#;
const SESSION: &str = "vmware-api-session-id";

/// Answers like vCenter: the VM list, a VM, 204 for DELETE, 201 with an id for POST.
async fn vcenter() -> Upstream {
    Upstream::start(|r| match (&r.method, r.path.as_str()) {
        (&Method::GET, p) if p.starts_with("/api/vcenter/vm/") => {
            Canned::json(200, r#"{"name":"web","power_state":"POWERED_ON"}"#)
        }
        (&Method::GET, _) => Canned::json(200, VMS),
        (&Method::DELETE, _) => Canned::empty(204),
        (&Method::POST, _) => Canned::json(201, r#""vm-43""#),
        _ => Canned::empty(405),
    })
    .await
}

fn clients(upstream: &Upstream) -> Clients {
    Clients {
        vsphere_vms: Client::builder()
            .base_uri(upstream.url("/api"))
            .vmware_api_key("bound-session")
            .build()
            .expect("build client"),
    }
}

#[tokio::test]
async fn client_lists_vms_with_a_filter_and_the_bound_session_header() {
    let upstream = vcenter().await;
    let client = clients(&upstream).vsphere_vms;

    let vms = client
        .listvms(
            &ListvmsParams {
                filter_names: Some("web server".into()),
                ..ListvmsParams::default()
            },
            &CallOptions::new(),
        )
        .await
        .expect("listvms");

    assert_eq!(
        vms,
        json!([{"vm": "vm-42", "name": "web", "power_state": "POWERED_ON"}])
    );
    let r = upstream.only_request();
    assert_eq!(r.path, "/api/vcenter/vm?filter.names=web+server");
    assert_eq!(r.header_values(SESSION), ["bound-session"]);
}

#[tokio::test]
async fn rest_lists_vms_with_no_filter_or_one_and_forwards_the_caller_session() {
    let upstream = vcenter().await;
    let router = vsphere_vms_rest::router(vsphere_vms_rest::Forward::new(clients(&upstream)));

    let all = rest(
        router.clone(),
        Method::GET,
        "/v1/vcenter/vm",
        &[(SESSION, "caller-session")],
        "",
    )
    .await;
    assert_eq!(all.status, 200, "{}", all.text());
    assert_eq!(all.body.as_ref(), VMS.as_bytes());
    let some = rest(
        router,
        Method::GET,
        "/v1/vcenter/vm?filter.power_states=POWERED_ON",
        &[],
        "",
    )
    .await;
    assert_eq!(some.status, 200, "{}", some.text());

    let requests = upstream.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, "/api/vcenter/vm");
    assert_eq!(requests[0].header_values(SESSION), ["caller-session"]);
    assert_eq!(
        requests[1].path,
        "/api/vcenter/vm?filter.power_states=POWERED_ON"
    );
    assert_eq!(requests[1].header_values(SESSION), ["bound-session"]);
}

#[tokio::test]
async fn rest_gets_and_deletes_a_vm_named_by_the_undeclared_path_variable() {
    let upstream = vcenter().await;
    let router = vsphere_vms_rest::router(vsphere_vms_rest::Forward::new(clients(&upstream)));

    let got = rest(router.clone(), Method::GET, "/v1/vcenter/vm/vm-42", &[], "").await;
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(
        got.json(),
        json!({"name": "web", "power_state": "POWERED_ON"})
    );
    let deleted = rest(router, Method::DELETE, "/v1/vcenter/vm/vm%2042", &[], "").await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(deleted.body.is_empty());

    let requests = upstream.requests();
    assert_eq!(
        requests
            .iter()
            .map(|r| (r.method.clone(), r.path.as_str()))
            .collect::<Vec<_>>(),
        [
            (Method::GET, "/api/vcenter/vm/vm-42"),
            (Method::DELETE, "/api/vcenter/vm/vm%2042")
        ]
    );
}

#[tokio::test]
async fn mcp_list_tool_takes_optional_derived_filters() {
    let upstream = vcenter().await;
    let server = McpServer::start(vsphere_vms_mcp::router(
        vsphere_vms_mcp::Tools::new(clients(&upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await;

    let tool = server.tool("vmware-list-virtual-machines").await;
    let schema = &tool["inputSchema"];
    assert_eq!(
        schema["properties"]["filter.vms"],
        json!({"type": "string"})
    );
    assert_eq!(schema["properties"].as_object().map(|p| p.len()), Some(8));
    assert_eq!(
        schema.get("required"),
        None,
        "the filters are optional: {schema}"
    );

    let all = server
        .call_ok("vmware-list-virtual-machines", json!({}), &[])
        .await;
    assert_eq!(
        all,
        json!({"result": [{"vm": "vm-42", "name": "web", "power_state": "POWERED_ON"}]})
    );
    server
        .call_ok(
            "vmware-list-virtual-machines",
            json!({"filter.vms": "vm-42"}),
            &[(SESSION, "caller-session")],
        )
        .await;

    let requests = upstream.requests();
    assert_eq!(requests[0].path, "/api/vcenter/vm");
    assert_eq!(requests[1].path, "/api/vcenter/vm?filter.vms=vm-42");
    assert_eq!(requests[1].header_values(SESSION), ["caller-session"]);
}

#[tokio::test]
async fn mcp_create_and_delete_tools_send_the_body_and_the_path() {
    let upstream = vcenter().await;
    let server = McpServer::start(vsphere_vms_mcp::router(
        vsphere_vms_mcp::Tools::new(clients(&upstream)),
        &naftiko::mcp::McpOptions::default(),
    ))
    .await;

    let created = server
        .call_ok(
            "vmware-create-new-virtual-machine",
            json!({"body": r#"{"name": "db", "guest_OS": "UBUNTU_64"}"#}),
            &[],
        )
        .await;
    assert_eq!(created, json!({"result": "vm-43"}));
    let deleted = server
        .call_tool_rpc("vmware-delete-virtual-machine", json!({"vm": "vm-42"}), &[])
        .await;
    assert_eq!(deleted["result"]["isError"], false, "{deleted}");

    let requests = upstream.requests();
    assert_eq!(requests[0].method, Method::POST);
    assert_eq!(requests[0].path, "/api/vcenter/vm");
    assert_eq!(
        requests[0].header_values("content-type"),
        ["application/json"]
    );
    assert_eq!(
        requests[0].body_text(),
        r#"{"name": "db", "guest_OS": "UBUNTU_64"}"#
    );
    assert_eq!(requests[1].method, Method::DELETE);
    assert_eq!(requests[1].path, "/api/vcenter/vm/vm-42");
}
