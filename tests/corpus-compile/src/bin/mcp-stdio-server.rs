//! The corpus's stdio MCP capability (`official/tests/mcp/mcp-stdio-capability.yaml`) as a
//! server binary: it speaks MCP on stdin/stdout, logs on stderr.

use std::process::ExitCode;

use naftiko::cli::{Settings, command};
use naftiko_corpus_check::official_tests_mcp_mcp_stdio_capability_yaml as capability;

fn main() -> ExitCode {
    let matches = command("mcp-stdio-server", &capability::CAPABILITY).get_matches();
    let settings = Settings::from_matches(&capability::CAPABILITY, &matches);
    naftiko::server::init_logging(settings.log_format);
    let runtime = match naftiko::server::runtime() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(capability::serve(settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
