//! Stateless scale-out: two `vsphere-session-server` instances behind Debian's nginx (round
//! robin), one vCenter (the demo simulator, shared). The REST session lifecycle and a full
//! Python MCP SDK session in both protocol eras succeed through the balancer while
//! consecutive requests land on different instances, told apart by their request ids in each
//! instance's log. Nothing sticky is needed: the servers keep no session state (the vCenter
//! session lives upstream, MCP runs stateless).
//!
//! A peer test (nginx, and the Python SDK for the MCP part): skipped (visibly) when missing,
//! a failure under `NAFTIKO_REQUIRE_PEERS=1`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::Command;

use generated_vsphere_session::demo::DemoVcenter;
use naftiko::__private::serde_json::{self, Value};
use naftiko_peers::{Nginx, Server, peers_dir, python_mcp_sdk, run};
use naftiko_test_support::http_client;

const BIN: &str = env!("CARGO_BIN_EXE_vsphere-session-server");

/// The ids of the requests an instance answered, from its JSON log.
fn answered(server: &Server) -> Vec<String> {
    server
        .log()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["fields"]["message"] == "request done")
        .filter_map(|line| line["span"]["id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_nginx_serve_one_client() {
    let vcenter = DemoVcenter::start().await.expect("demo vCenter");
    let args = ["--base-uri", &vcenter.base_uri(), "--log-format", "json"];
    let env = [("RUST_LOG", "info,naftiko=debug")];
    let instances = [
        Server::start_with_env(BIN, &args, &env),
        Server::start_with_env(BIN, &args, &env),
    ];
    let Some(nginx) = Nginx::round_robin(
        &[instances[0].rest_port(), instances[1].rest_port()],
        &[instances[0].mcp_port(), instances[1].mcp_port()],
    ) else {
        return;
    };

    // The REST lifecycle, each request with an id of ours.
    let http = http_client();
    let session = format!("{}/v1/session", nginx.rest_url());
    let send = |request: naftiko::__private::reqwest::RequestBuilder, id: &str| {
        request.header("x-request-id", id).send()
    };
    let login = send(
        http.post(&session)
            .basic_auth("administrator", Some("secret")),
        "rest-1",
    )
    .await
    .expect("login");
    assert_eq!(login.status(), 201);
    let token = login
        .text()
        .await
        .expect("token")
        .trim_matches('"')
        .to_owned();
    let info = send(
        http.get(&session).header("vmware-api-session-id", &token),
        "rest-2",
    )
    .await
    .expect("info");
    assert_eq!(info.status(), 200);
    let info = send(
        http.get(&session).header("vmware-api-session-id", &token),
        "rest-3",
    )
    .await
    .expect("info again");
    assert_eq!(info.status(), 200);
    let logout = send(
        http.delete(&session)
            .header("vmware-api-session-id", &token),
        "rest-4",
    )
    .await
    .expect("logout");
    assert_eq!(logout.status(), 204);
    let after = send(
        http.get(&session).header("vmware-api-session-id", &token),
        "rest-5",
    )
    .await
    .expect("info after logout");
    assert_eq!(after.status(), 401);

    // A whole MCP SDK session per protocol era, through the balancer.
    if let Some(python) = python_mcp_sdk() {
        for mode in ["legacy", "2026-07-28"] {
            let out = run(Command::new(&python)
                .arg(peers_dir().join("mcp_sdk_client.py"))
                .arg(nginx.mcp_url())
                .arg(mode));
            assert!(
                out.status.success(),
                "Python MCP SDK ({mode}) through nginx failed:\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    let by_instance: Vec<Vec<String>> = instances.iter().map(answered).collect();
    let owner: BTreeMap<&str, usize> = by_instance
        .iter()
        .enumerate()
        .flat_map(|(i, ids)| ids.iter().map(move |id| (id.as_str(), i)))
        .collect();
    let rest: Vec<usize> = (1..=5)
        .map(|n| owner[format!("rest-{n}").as_str()])
        .collect();
    for pair in rest.windows(2) {
        assert_ne!(
            pair[0], pair[1],
            "consecutive requests on one instance: {rest:?}"
        );
    }
    let split: Vec<usize> = by_instance.iter().map(Vec::len).collect();
    assert!(
        split.iter().all(|n| *n > 5),
        "requests per instance: {split:?}"
    );
    // Shown under plain `cargo test` too, for the CI log.
    let _ = writeln!(
        std::io::stderr(),
        "scale-out: requests answered per instance {split:?}; REST lifecycle on instances {rest:?}"
    );
}
