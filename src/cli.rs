//! The command line of generated servers, built from data the generator emits.
//!
//! One flag and environment variable per base-URI variable and per bind variable, a base-URI
//! override per consumed namespace, ports and address from the spec, TLS options.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::client::ClientConfig;
use crate::error::{ClientError, Error};
use crate::mcp::McpOptions;
use crate::metrics::MetricsEndpoint;
use crate::secret::Secret;
use crate::server::Limits;
use crate::server::LogFormat;

/// What a generated capability tells the runtime about itself.
#[derive(Debug)]
pub struct CapabilityInfo {
    /// The spec's `info.label`.
    pub label: &'static str,
    pub clients: &'static [ClientInfo],
    pub binds: &'static [BindInfo],
    pub rest: &'static [AdapterInfo],
    pub mcp: &'static [AdapterInfo],
    /// The `control` adapter (management endpoints), if the spec has one.
    pub control: Option<AdapterInfo>,
}

#[derive(Debug)]
pub struct ClientInfo {
    pub namespace: &'static str,
    /// The spec's baseUri, as written.
    pub base_uri: &'static str,
    /// Environment variable replacing the whole base URI.
    pub base_uri_env: &'static str,
    pub variables: &'static [VariableInfo],
}

#[derive(Debug)]
pub struct VariableInfo {
    pub name: &'static str,
    pub flag: &'static str,
    pub env: &'static str,
}

#[derive(Debug)]
pub struct BindInfo {
    /// The variable templates use.
    pub name: &'static str,
    /// The environment variable it is read from, or its key in `file`.
    pub source: &'static str,
    /// A secrets file (flat YAML mapping), relative to the working directory.
    pub file: Option<&'static str>,
}

#[derive(Debug)]
pub struct AdapterInfo {
    pub namespace: &'static str,
    pub address: Option<&'static str>,
    pub port: u16,
}

fn base_uri_flag(info: &CapabilityInfo, client: &ClientInfo) -> String {
    if info.clients.len() == 1 {
        "base-uri".to_owned()
    } else {
        format!("base-uri-{}", client.namespace)
    }
}

fn leak(s: String) -> &'static str {
    // Flags are built once per process, at start-up.
    Box::leak(s.into_boxed_str())
}

/// The server's command line.
pub fn command(name: &'static str, info: &'static CapabilityInfo) -> Command {
    let mut cmd = Command::new(name)
        .about(info.label)
        .arg(
            Arg::new("address")
                .long("address")
                .env("NAFTIKO_ADDRESS")
                .value_parser(clap::value_parser!(IpAddr))
                .help("Address to listen on [default: the spec's, else 127.0.0.1]"),
        )
        .arg(
            Arg::new("insecure")
                .long("insecure")
                .action(ArgAction::SetTrue)
                .help("Do not verify the upstream's TLS certificate (test servers only)"),
        )
        .arg(
            Arg::new("ca-cert")
                .long("ca-cert")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .action(ArgAction::Append)
                .help("Also trust the CA certificates in this PEM file"),
        )
        .arg(
            Arg::new("metrics-port")
                .long("metrics-port")
                .value_name("PORT")
                .value_parser(clap::value_parser!(u16).range(1..))
                .help("Serve GET /metrics on this port instead of the REST port"),
        )
        .arg(
            Arg::new("no-metrics")
                .long("no-metrics")
                .action(ArgAction::SetTrue)
                .conflicts_with("metrics-port")
                .help("Do not serve GET /metrics"),
        )
        .arg(
            Arg::new("log-format")
                .long("log-format")
                .env("NAFTIKO_LOG_FORMAT")
                .value_parser(["text", "json"])
                .default_value("text")
                .help("Log lines as text or as JSON objects (stderr; filter with RUST_LOG)"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(u64).range(1..=3600))
                .default_value("30")
                .help("Upstream call timeout"),
        )
        .arg(
            Arg::new("max-response-bytes")
                .long("max-response-bytes")
                .value_name("BYTES")
                .value_parser(clap::value_parser!(u64).range(1..=(1 << 40)))
                .default_value(leak(crate::client::DEFAULT_MAX_RESPONSE_BYTES.to_string()))
                .help("Largest upstream body read; a larger one is a 502"),
        )
        .arg(
            Arg::new("max-request-bytes")
                .long("max-request-bytes")
                .value_name("BYTES")
                .value_parser(clap::value_parser!(u64).range(1..=(1 << 40)))
                .default_value(leak(crate::server::DEFAULT_MAX_REQUEST_BYTES.to_string()))
                .help("Largest request body accepted; a larger one is a 413"),
        )
        .arg(
            Arg::new("request-read-timeout")
                .long("request-read-timeout")
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(u64).range(1..=3600))
                .default_value("30")
                .help("Time a client has to send a request's headers, then its body"),
        )
        .arg(
            Arg::new("allowed-host")
                .long("allowed-host")
                .value_name("HOST")
                .action(ArgAction::Append)
                .help(
                    "Host header accepted by the MCP endpoint [default: localhost, 127.0.0.1, ::1]",
                ),
        )
        .arg(
            Arg::new("allowed-origin")
                .long("allowed-origin")
                .value_name("ORIGIN")
                .action(ArgAction::Append)
                .help("Origin accepted by the MCP endpoint, e.g. https://app.example.com:443"),
        );
    for (flag, adapters) in [("rest-port", info.rest), ("mcp-port", info.mcp)] {
        if let [adapter] = adapters {
            cmd = cmd.arg(
                Arg::new(flag)
                    .long(flag)
                    .value_parser(clap::value_parser!(u16))
                    .default_value(leak(adapter.port.to_string()))
                    .help(format!("Port of the `{}` adapter", adapter.namespace)),
            );
        }
    }
    if let Some(control) = &info.control {
        cmd = cmd.arg(
            Arg::new("control-port")
                .long("control-port")
                .value_parser(clap::value_parser!(u16))
                .default_value(leak(control.port.to_string()))
                .help("Port of the control adapter (health, status, config)"),
        );
    }
    // A variable shared by several base URIs (two namespaces on one host) is one flag.
    let mut variable_flags: Vec<&str> = Vec::new();
    for client in info.clients {
        let flag = leak(base_uri_flag(info, client));
        cmd = cmd.arg(
            Arg::new(flag)
                .long(flag)
                .value_name("URL")
                .env(client.base_uri_env)
                .help(format!(
                    "Replace the whole base URI of `{}` ({})",
                    client.namespace, client.base_uri
                )),
        );
        for var in client.variables {
            if variable_flags.contains(&var.flag) {
                continue;
            }
            variable_flags.push(var.flag);
            cmd = cmd.arg(
                Arg::new(var.flag)
                    .long(var.flag)
                    .env(var.env)
                    .value_name(leak(var.env.to_owned()))
                    .help(format!("`{{{}}}` in {}", var.name, client.base_uri)),
            );
        }
    }
    for bind in info.binds {
        let flag = leak(bind.name.to_ascii_lowercase().replace('_', "-"));
        let mut arg = Arg::new(bind.name).long(flag);
        if bind.file.is_none() {
            arg = arg.env(bind.source);
        }
        cmd = cmd.arg(arg.hide_env_values(true).value_name("SECRET").help(format!(
            "Bound variable {} (prefer the environment)",
            bind.name
        )));
    }
    cmd
}

/// Parsed server settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub address: Option<IpAddr>,
    pub rest_port: Option<u16>,
    pub mcp_port: Option<u16>,
    pub control_port: Option<u16>,
    pub insecure: bool,
    pub ca_certs: Vec<PathBuf>,
    pub timeout: Duration,
    /// The largest upstream body a call reads.
    pub max_response_bytes: usize,
    /// What the listeners accept from clients.
    pub limits: Limits,
    /// Base-URI overrides by consumed namespace.
    pub base_uris: BTreeMap<String, String>,
    /// Base-URI variables by name.
    pub variables: BTreeMap<String, String>,
    /// Bind values by variable name.
    pub binds: BTreeMap<String, Secret>,
    pub mcp: McpOptions,
    pub log_format: LogFormat,
    pub metrics: MetricsEndpoint,
}

impl Settings {
    /// Settings with every default and nothing set.
    pub fn new() -> Self {
        Settings {
            address: None,
            rest_port: None,
            mcp_port: None,
            control_port: None,
            insecure: false,
            ca_certs: Vec::new(),
            timeout: crate::client::DEFAULT_TIMEOUT,
            max_response_bytes: crate::client::DEFAULT_MAX_RESPONSE_BYTES,
            limits: Limits::default(),
            base_uris: BTreeMap::new(),
            variables: BTreeMap::new(),
            binds: BTreeMap::new(),
            mcp: McpOptions::default(),
            log_format: LogFormat::Text,
            metrics: MetricsEndpoint::Rest,
        }
    }

    /// Reads the matches of [`command`].
    pub fn from_matches(info: &CapabilityInfo, m: &ArgMatches) -> Settings {
        let mut s = Settings::new();
        s.address = m.get_one::<IpAddr>("address").copied();
        s.insecure = m.get_flag("insecure");
        s.ca_certs = m
            .get_many::<PathBuf>("ca-cert")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        s.timeout = Duration::from_secs(m.get_one::<u64>("timeout").copied().unwrap_or(30));
        if let Some(port) = m.get_one::<u16>("metrics-port") {
            s.metrics = MetricsEndpoint::Port(*port);
        } else if m.get_flag("no-metrics") {
            s.metrics = MetricsEndpoint::Off;
        }
        if m.get_one::<String>("log-format")
            .is_some_and(|f| f == "json")
        {
            s.log_format = LogFormat::Json;
        }
        let bytes = |name: &str, default: usize| {
            m.get_one::<u64>(name)
                .map_or(default, |&n| usize::try_from(n).unwrap_or(usize::MAX))
        };
        s.max_response_bytes = bytes("max-response-bytes", s.max_response_bytes);
        s.limits.max_request_bytes = bytes("max-request-bytes", s.limits.max_request_bytes);
        if let Some(&secs) = m.get_one::<u64>("request-read-timeout") {
            s.limits.request_read_timeout = Duration::from_secs(secs);
        }
        if info.rest.len() == 1 {
            s.rest_port = m.get_one::<u16>("rest-port").copied();
        }
        if info.mcp.len() == 1 {
            s.mcp_port = m.get_one::<u16>("mcp-port").copied();
        }
        if info.control.is_some() {
            s.control_port = m.get_one::<u16>("control-port").copied();
        }
        for client in info.clients {
            if let Some(uri) = m.get_one::<String>(&base_uri_flag(info, client)) {
                s.base_uris.insert(client.namespace.to_owned(), uri.clone());
            }
            for var in client.variables {
                if let Some(v) = m.get_one::<String>(var.flag) {
                    s.variables.insert(var.name.to_owned(), v.clone());
                }
            }
        }
        for bind in info.binds {
            if let Some(v) = m.get_one::<String>(bind.name).filter(|v| !v.is_empty()) {
                s.binds.insert(bind.name.to_owned(), Secret::new(v.clone()));
            }
        }
        if let Some(hosts) = m.get_many::<String>("allowed-host") {
            s.mcp.allowed_hosts = hosts.cloned().collect();
        }
        if let Some(origins) = m.get_many::<String>("allowed-origin") {
            s.mcp.allowed_origins.extend(origins.cloned());
        }
        s
    }

    /// Reads the bound variables that come from secrets files (once, at start-up), unless a
    /// flag already set them. A missing file or key stops start-up with a message naming it.
    pub fn load_bind_files(&mut self, info: &CapabilityInfo) -> Result<(), Error> {
        let mut files: BTreeMap<&str, BTreeMap<String, serde_json::Value>> = BTreeMap::new();
        for bind in info.binds {
            let Some(file) = bind.file else { continue };
            if self.binds.contains_key(bind.name) {
                continue;
            }
            if !files.contains_key(file) {
                let text = std::fs::read_to_string(file).map_err(|e| {
                    Error::Config(format!(
                        "cannot read the secrets file {file} (for {}): {e}",
                        bind.name
                    ))
                })?;
                let map = serde_saphyr::from_str(&text).map_err(|e| {
                    Error::Config(format!(
                        "the secrets file {file} is not a YAML mapping: {}",
                        e.without_snippet()
                    ))
                })?;
                files.insert(file, map);
            }
            let value = match files.get(file).and_then(|m| m.get(bind.source)) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Null) | None => {
                    return Err(Error::Config(format!(
                        "the secrets file {file} has no `{}` (for the bound variable {})",
                        bind.source, bind.name
                    )));
                }
                Some(other) => other.to_string(),
            };
            self.binds.insert(bind.name.to_owned(), Secret::new(value));
        }
        Ok(())
    }

    /// Whether the upstream of `namespace` is fully specified (override or every variable).
    pub fn has_upstream(&self, client: &ClientInfo) -> bool {
        self.base_uris.contains_key(client.namespace)
            || client
                .variables
                .iter()
                .all(|v| self.variables.contains_key(v.name))
    }

    /// The client configuration for one consumed namespace: TLS, timeout, base-URI override.
    pub fn client_config(
        &self,
        namespace: &str,
        mut config: ClientConfig,
    ) -> Result<ClientConfig, ClientError> {
        if let Some(uri) = self.base_uris.get(namespace) {
            config.base_uri(uri.clone());
        }
        config.timeout(self.timeout);
        config.max_response_bytes(self.max_response_bytes);
        config.danger_accept_invalid_certs(self.insecure);
        for path in &self.ca_certs {
            let pem = std::fs::read(path).map_err(|e| {
                ClientError::Config(format!("CA certificate {}: {e}", path.display()))
            })?;
            config.ca_certificates_pem(&pem)?;
        }
        Ok(config)
    }

    pub fn variable(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(String::as_str)
    }

    pub fn bind(&self, name: &str) -> Option<&Secret> {
        self.binds.get(name)
    }

    /// Where an adapter listens: the flag, else the spec, else 127.0.0.1.
    pub fn listen_address(&self, adapter: &AdapterInfo) -> Result<IpAddr, Error> {
        match (self.address, adapter.address) {
            (Some(_), _) | (None, None | Some("localhost")) => Ok(self.default_address()),
            (None, Some(a)) => a.parse().map_err(|_| {
                Error::Config(format!(
                    "adapter `{}`: address `{a}` is not an IP address; pass --address",
                    adapter.namespace
                ))
            }),
        }
    }

    /// `--address`, else loopback: where a listener the spec does not place binds.
    pub fn default_address(&self) -> IpAddr {
        self.address.unwrap_or(IpAddr::from([127, 0, 0, 1]))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A capability binding `TOKEN` and `VERSION` from `file` (keys `token`, `version`).
    fn binding_file(file: &str) -> CapabilityInfo {
        let file: &'static str = Box::leak(file.to_owned().into_boxed_str());
        CapabilityInfo {
            label: "binds a file",
            clients: &[],
            binds: Box::leak(Box::new([
                BindInfo {
                    name: "TOKEN",
                    source: "token",
                    file: Some(file),
                },
                BindInfo {
                    name: "VERSION",
                    source: "version",
                    file: Some(file),
                },
            ])),
            rest: &[],
            mcp: &[],
            control: None,
        }
    }

    #[test]
    fn bound_variables_are_read_from_their_secrets_file_unless_a_flag_set_them() {
        let dir = std::env::temp_dir().join(format!("naftiko-binds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("secrets.yaml");
        std::fs::write(&good, "token: s3cr3t\nversion: 2\n").unwrap();
        let info = binding_file(good.to_str().unwrap());

        let mut settings = Settings::new();
        settings.load_bind_files(&info).unwrap();
        assert_eq!(settings.bind("TOKEN").map(Secret::expose), Some("s3cr3t"));
        assert_eq!(settings.bind("VERSION").map(Secret::expose), Some("2"));

        let mut settings = Settings::new();
        settings
            .binds
            .insert("TOKEN".into(), Secret::new("from-flag"));
        settings.load_bind_files(&info).unwrap();
        assert_eq!(
            settings.bind("TOKEN").map(Secret::expose),
            Some("from-flag")
        );

        let refusal = |file: &str| {
            Settings::new()
                .load_bind_files(&binding_file(file))
                .unwrap_err()
                .to_string()
        };
        let partial = dir.join("partial.yaml");
        std::fs::write(&partial, "token: s3cr3t\n").unwrap();
        let e = refusal(partial.to_str().unwrap());
        assert!(
            e.contains("has no `version`") && e.contains("VERSION"),
            "{e}"
        );
        assert!(!e.contains("s3cr3t"), "{e}");

        let list = dir.join("list.yaml");
        std::fs::write(&list, "- s3cr3t\n").unwrap();
        let e = refusal(list.to_str().unwrap());
        assert!(e.contains("not a YAML mapping"), "{e}");

        let e = refusal(dir.join("missing.yaml").to_str().unwrap());
        assert!(e.contains("cannot read the secrets file"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    static VCENTER: [VariableInfo; 1] = [VariableInfo {
        name: "vcenter",
        flag: "vcenter",
        env: "VCENTER",
    }];

    /// Two consumed namespaces on one host: one `--vcenter` flag sets both base URIs.
    static TWO_CLIENTS_ONE_HOST: CapabilityInfo = CapabilityInfo {
        label: "two clients",
        clients: &[
            ClientInfo {
                namespace: "login",
                base_uri: "https://{vcenter}/rest",
                base_uri_env: "LOGIN_BASE_URI",
                variables: &VCENTER,
            },
            ClientInfo {
                namespace: "session",
                base_uri: "https://{vcenter}/rest",
                base_uri_env: "SESSION_BASE_URI",
                variables: &VCENTER,
            },
        ],
        binds: &[],
        rest: &[],
        mcp: &[],
        control: None,
    };

    #[test]
    fn a_variable_shared_by_two_base_uris_is_one_flag() {
        let cmd = command("server", &TWO_CLIENTS_ONE_HOST);
        cmd.clone().debug_assert();
        let m = cmd
            .try_get_matches_from(["server", "--vcenter", "vc.example.com"])
            .expect("parse");
        let settings = Settings::from_matches(&TWO_CLIENTS_ONE_HOST, &m);
        assert_eq!(settings.variable("vcenter"), Some("vc.example.com"));
        for client in TWO_CLIENTS_ONE_HOST.clients {
            assert!(settings.has_upstream(client), "{}", client.namespace);
        }
    }

    /// Issue 7's defaults: loopback unless told otherwise, TLS verified, every limit set.
    #[test]
    fn defaults_are_loopback_verified_tls_and_bounded() {
        let m = command("server", &TWO_CLIENTS_ONE_HOST)
            .try_get_matches_from(["server"])
            .expect("parse");
        let s = Settings::from_matches(&TWO_CLIENTS_ONE_HOST, &m);
        for address in [None, Some("localhost")] {
            let adapter = AdapterInfo {
                namespace: "rest",
                address,
                port: 8080,
            };
            assert_eq!(
                s.listen_address(&adapter).expect("an address"),
                IpAddr::from([127, 0, 0, 1])
            );
        }
        assert!(!s.insecure);
        assert_eq!(s.timeout, crate::client::DEFAULT_TIMEOUT);
        assert_eq!(
            s.max_response_bytes,
            crate::client::DEFAULT_MAX_RESPONSE_BYTES
        );
        assert_eq!(
            s.limits.max_request_bytes,
            crate::server::DEFAULT_MAX_REQUEST_BYTES
        );
        assert_eq!(
            s.limits.request_read_timeout,
            crate::server::DEFAULT_REQUEST_READ_TIMEOUT
        );
        assert_eq!(s.mcp.allowed_hosts, ["localhost", "127.0.0.1", "::1"]);
    }

    #[test]
    fn limit_flags_set_the_settings() {
        let m = command("server", &TWO_CLIENTS_ONE_HOST)
            .try_get_matches_from([
                "server",
                "--max-response-bytes",
                "1000",
                "--max-request-bytes",
                "2000",
                "--request-read-timeout",
                "7",
                "--timeout",
                "9",
            ])
            .expect("parse");
        let s = Settings::from_matches(&TWO_CLIENTS_ONE_HOST, &m);
        assert_eq!(s.max_response_bytes, 1000);
        assert_eq!(s.limits.max_request_bytes, 2000);
        assert_eq!(s.limits.request_read_timeout, Duration::from_secs(7));
        assert_eq!(s.timeout, Duration::from_secs(9));
        assert!(
            command("server", &TWO_CLIENTS_ONE_HOST)
                .try_get_matches_from(["server", "--max-request-bytes", "0"])
                .is_err()
        );
    }
}
