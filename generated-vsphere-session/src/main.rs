//! `vsphere-session-server`: the vSphere session capability as REST and MCP.

use std::process::ExitCode;

use generated_vsphere_session::{CAPABILITY, demo::DemoVcenter, serve};
use naftiko::__private::clap::{Arg, ArgAction};
use naftiko::cli::{Settings, command};

#[global_allocator]
static ALLOCATOR: naftiko::Allocator = naftiko::Allocator;

fn main() -> ExitCode {
    let matches = command("vsphere-session-server", &CAPABILITY)
        .arg(
            Arg::new("demo")
                .long("demo")
                .action(ArgAction::SetTrue)
                .conflicts_with_all(["base-uri", "vcenter"])
                .help("Serve against a built-in, in-process vSphere session simulator"),
        )
        .get_matches();
    let mut settings = Settings::from_matches(&CAPABILITY, &matches);
    naftiko::server::init_logging(settings.log_format);
    let demo = matches.get_flag("demo");
    if !demo && !settings.has_upstream(&CAPABILITY.clients[0]) {
        eprintln!(
            "error: no vCenter to talk to: pass --vcenter HOST (env VCENTER), --base-uri URL (env VSPHERE_SESSION_BASE_URI), or --demo"
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
    let result = runtime.block_on(async {
        let _simulator = if demo {
            let simulator = DemoVcenter::start()
                .await
                .map_err(|source| naftiko::Error::Io {
                    what: "cannot start the demo vCenter".to_owned(),
                    source,
                })?;
            naftiko::__private::tracing::info!(
                "demo: built-in vSphere session simulator at {} (any non-empty user:password)",
                simulator.base_uri()
            );
            settings
                .base_uris
                .insert("vsphere-session".to_owned(), simulator.base_uri());
            Some(simulator)
        } else {
            None
        };
        serve(settings).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
