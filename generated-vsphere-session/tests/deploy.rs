//! `deploy/vsphere-session.yaml` matches the server it deploys: the container's arguments are
//! flags the binary accepts (it starts with exactly them, ports moved to free ones), the
//! probes ask for a path the REST port answers with 200, and the ports the probes and the
//! Service name are the ones the arguments open.

use naftiko::__private::serde_json::Value;
use naftiko_peers::{Server, workspace};
use naftiko_test_support::http_client;

fn documents() -> Vec<Value> {
    let text = std::fs::read_to_string(workspace().join("deploy/vsphere-session.yaml"))
        .expect("read deploy/vsphere-session.yaml");
    text.split("\n---\n")
        .map(|doc| serde_saphyr::from_str(doc).expect("a YAML document"))
        .collect()
}

fn kind<'a>(docs: &'a [Value], kind: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind}"))
}

/// The value of `--name=value` in the container's arguments.
fn arg<'a>(args: &'a [String], name: &str) -> &'a str {
    args.iter()
        .find_map(|a| a.strip_prefix(&format!("--{name}=")))
        .unwrap_or_else(|| panic!("no --{name} in {args:?}"))
}

#[tokio::test]
async fn the_deployment_runs_the_server_it_describes() {
    let docs = documents();
    let deployment = kind(&docs, "Deployment");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    let args: Vec<String> = container["args"]
        .as_array()
        .expect("args")
        .iter()
        .map(|a| a.as_str().expect("string args").to_owned())
        .collect();
    let port_named = |name: &str| {
        container["ports"]
            .as_array()
            .expect("ports")
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["containerPort"].as_u64())
            .unwrap_or_else(|| panic!("no container port {name}"))
            .to_string()
    };
    assert_eq!(port_named("rest"), arg(&args, "rest-port"));
    assert_eq!(port_named("mcp"), arg(&args, "mcp-port"));
    for probe in ["readinessProbe", "livenessProbe"] {
        assert_eq!(container[probe]["httpGet"]["port"], "rest", "{probe}");
        assert_eq!(container[probe]["httpGet"]["path"], "/healthz", "{probe}");
    }
    let service = kind(&docs, "Service");
    for port in service["spec"]["ports"].as_array().expect("service ports") {
        port_named(port["targetPort"].as_str().expect("a named target port"));
    }
    assert_eq!(
        service["spec"]["selector"],
        deployment["spec"]["template"]["metadata"]["labels"]
    );
    assert!(
        service["spec"].get("sessionAffinity").is_none(),
        "stateless: no affinity needed"
    );

    // Exactly the container's arguments, but for the ports (Server picks free ones) and the
    // vCenter (the demo one instead of the ConfigMap's).
    let kept: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--rest-port=") && !a.starts_with("--mcp-port="))
        .chain(["--demo"])
        .collect();
    let server = Server::start(env!("CARGO_BIN_EXE_vsphere-session-server"), &kept);
    let probe = http_client()
        .get(format!("{}/healthz", server.rest_url()))
        .send()
        .await
        .expect("probe");
    assert_eq!(probe.status(), 200);
}
