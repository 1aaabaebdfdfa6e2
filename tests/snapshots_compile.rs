//! The pinned snapshot of the generated code compiles warning-free, on its own.
#![deny(warnings)]

pub mod vsphere_session_snapshot {
    include!("../naftiko-codegen/tests/snapshots/vsphere_session.rs");
}

use naftiko::mcp::ToolSet;

#[test]
fn snapshot_has_the_spec_surface() {
    let tools = <vsphere_session_snapshot::vsphere_session_mcp::Tools as ToolSet>::TOOLS;
    let names: Vec<&str> = tools.iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "vmware-create-new-authentication-session",
            "vmware-terminate-current-session",
            "vmware-get-current-session-information"
        ]
    );
    assert_eq!(vsphere_session_snapshot::CAPABILITY.rest[0].port, 8080);
    assert_eq!(vsphere_session_snapshot::CAPABILITY.mcp[0].port, 9090);
}
