//! `vsphere-cis-session-server`: the legacy vSphere CIS session capability as REST and MCP.

use std::process::ExitCode;

use generated_vsphere_cis_session::{CAPABILITY, serve};
use naftiko::cli::{Settings, command};

#[global_allocator]
static ALLOCATOR: naftiko::Allocator = naftiko::Allocator;

fn main() -> ExitCode {
    let matches = command("vsphere-cis-session-server", &CAPABILITY).get_matches();
    let settings = Settings::from_matches(&CAPABILITY, &matches);
    naftiko::server::init_logging(settings.log_format);
    if let Some(client) = CAPABILITY
        .clients
        .iter()
        .find(|c| !settings.has_upstream(c))
    {
        eprintln!(
            "error: no vCenter to talk to: pass --vcenter HOST (env VCENTER), or replace the base URI of `{}` ({}) with --base-uri-{} (env {})",
            client.namespace, client.base_uri, client.namespace, client.base_uri_env
        );
        return ExitCode::from(2);
    }
    let runtime = match naftiko::server::runtime() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
