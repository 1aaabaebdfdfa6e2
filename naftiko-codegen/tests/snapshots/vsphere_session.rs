// Snapshot of specs/vsphere-session.yaml. Regenerate: UPDATE_SNAPSHOTS=1 cargo test -p naftiko-codegen --test snapshot
/// VMware vSphere Automation REST API — Session business capability. Self-contained, no shared references.
///
/// Client of the consumed namespace `vsphere-session`.
#[allow(dead_code)]
pub mod vsphere_session {
    /// The consumed namespace this client calls.
    pub const NAMESPACE: &str = "vsphere-session";
    /// A typed client: one method per consumed operation. Cheap to clone (shared pool).
    #[derive(::std::clone::Clone, ::std::fmt::Debug)]
    pub struct Client {
        upstream: ::naftiko::client::Upstream,
    }
    /// Configures a [`Client`]: base-URI variables, credentials, timeouts, TLS.
    #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::default::Default)]
    pub struct ClientBuilder {
        config: ::naftiko::ClientConfig,
        vcenter: ::std::option::Option<::std::string::String>,
        vmware_api_key: ::std::option::Option<::naftiko::Secret>,
    }
    impl Client {
        /// Starts configuring a client.
        pub fn builder() -> ClientBuilder {
            ClientBuilder::default()
        }
        /// The base URI calls go to.
        pub fn base_uri(&self) -> &str {
            self.upstream.base_uri()
        }
        /// Vmware Create a New Authentication Session
        ///
        /// `POST /session`
        ///
        /// Returns the upstream's JSON (mapped as the spec says); 4xx and 5xx answers are `ClientError::Status`.
        pub async fn createsession(
            &self,
            call: &::naftiko::CallOptions,
        ) -> ::std::result::Result<
            ::naftiko::__private::serde_json::Value,
            ::naftiko::ClientError,
        > {
            let raw = self.createsession_raw(call).await?.error_for_status()?;
            let map = ::std::convert::identity;
            ::std::result::Result::Ok(map(raw.decode(::naftiko::formats::Format::Json)?))
        }
        /// `POST /session`, answered as is (any status), for pass-through.
        pub async fn createsession_raw(
            &self,
            call: &::naftiko::CallOptions,
        ) -> ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> {
            self.upstream
                .send(::naftiko::__private::http::Method::POST, "/session", call)
                .await
        }
        /// Vmware Terminate the Current Session
        ///
        /// `DELETE /session`
        ///
        /// Returns the upstream's JSON (mapped as the spec says); 4xx and 5xx answers are `ClientError::Status`.
        pub async fn deletesession(
            &self,
            call: &::naftiko::CallOptions,
        ) -> ::std::result::Result<
            ::naftiko::__private::serde_json::Value,
            ::naftiko::ClientError,
        > {
            let raw = self.deletesession_raw(call).await?.error_for_status()?;
            let map = ::std::convert::identity;
            ::std::result::Result::Ok(map(raw.decode(::naftiko::formats::Format::Json)?))
        }
        /// `DELETE /session`, answered as is (any status), for pass-through.
        pub async fn deletesession_raw(
            &self,
            call: &::naftiko::CallOptions,
        ) -> ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> {
            self.upstream
                .send(::naftiko::__private::http::Method::DELETE, "/session", call)
                .await
        }
        /// Vmware Get Current Session Information
        ///
        /// `GET /session`
        ///
        /// Returns the upstream's JSON (mapped as the spec says); 4xx and 5xx answers are `ClientError::Status`.
        pub async fn getsessioninfo(
            &self,
            call: &::naftiko::CallOptions,
        ) -> ::std::result::Result<
            ::naftiko::__private::serde_json::Value,
            ::naftiko::ClientError,
        > {
            let raw = self.getsessioninfo_raw(call).await?.error_for_status()?;
            let map = ::std::convert::identity;
            ::std::result::Result::Ok(map(raw.decode(::naftiko::formats::Format::Json)?))
        }
        /// `GET /session`, answered as is (any status), for pass-through.
        pub async fn getsessioninfo_raw(
            &self,
            call: &::naftiko::CallOptions,
        ) -> ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> {
            self.upstream
                .send(::naftiko::__private::http::Method::GET, "/session", call)
                .await
        }
    }
    impl ClientBuilder {
        /// Sets `{vcenter}` in the base URI (flag `--vcenter`, environment `VCENTER`).
        pub fn vcenter(
            mut self,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.vcenter = ::std::option::Option::Some(value.into());
            self
        }
        /// Sets the bound variable `VMWARE_API_KEY` (environment: `VMWARE_API_KEY`).
        pub fn vmware_api_key(
            mut self,
            value: impl ::std::convert::Into<::naftiko::Secret>,
        ) -> Self {
            self.vmware_api_key = ::std::option::Option::Some(value.into());
            self
        }
        /// Reads the bound variables from the environment.
        pub fn from_env(mut self) -> Self {
            if let ::std::option::Option::Some(v) = ::naftiko::env_secret(
                "VMWARE_API_KEY",
            ) {
                self.vmware_api_key = ::std::option::Option::Some(v);
            }
            self
        }
        /// Applies server settings: base-URI override and variables, binds, TLS, timeout.
        pub fn settings(
            mut self,
            settings: &::naftiko::cli::Settings,
        ) -> ::std::result::Result<Self, ::naftiko::ClientError> {
            self.config = settings.client_config(NAMESPACE, self.config)?;
            if let ::std::option::Option::Some(v) = settings.variable("vcenter") {
                self.vcenter = ::std::option::Option::Some(v.to_owned());
            }
            if let ::std::option::Option::Some(v) = settings.bind("VMWARE_API_KEY") {
                self.vmware_api_key = ::std::option::Option::Some(v.clone());
            }
            ::std::result::Result::Ok(self)
        }
        /// Replaces the spec's whole base URI, variables included.
        pub fn base_uri(
            mut self,
            uri: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.config.base_uri(uri);
            self
        }
        /// Time allowed for a whole call (default 30 s).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.config.timeout(timeout);
            self
        }
        /// Time allowed to connect (default 10 s).
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.config.connect_timeout(timeout);
            self
        }
        /// Also trusts the CA certificates of this PEM bundle.
        pub fn ca_certificates_pem(
            mut self,
            pem: &[u8],
        ) -> ::std::result::Result<Self, ::naftiko::ClientError> {
            self.config.ca_certificates_pem(pem)?;
            ::std::result::Result::Ok(self)
        }
        /// Turns off TLS certificate verification. Only for test servers you control.
        pub fn danger_accept_invalid_certs(mut self, insecure: bool) -> Self {
            self.config.danger_accept_invalid_certs(insecure);
            self
        }
        /// A header sent on every call; credential headers replace the default authentication.
        pub fn header(
            mut self,
            name: ::naftiko::__private::http::HeaderName,
            value: ::naftiko::__private::http::HeaderValue,
        ) -> Self {
            self.config.header(name, value);
            self
        }
        /// Basic credentials on every call, instead of the spec's default authentication.
        pub fn basic_auth(
            mut self,
            username: &str,
            password: &::naftiko::Secret,
        ) -> Self {
            self.config.basic_auth(username, password);
            self
        }
        /// Uses an existing HTTP client and its connection pool.
        pub fn http_client(
            mut self,
            client: ::naftiko::__private::reqwest::Client,
        ) -> Self {
            self.config.http_client(client);
            self
        }
        /// Builds the client; fails on a missing base-URI variable or bad TLS material.
        pub fn build(self) -> ::std::result::Result<Client, ::naftiko::ClientError> {
            let base = if self.config.base_uri_override().is_some() {
                ::std::string::String::new()
            } else {
                let ::std::option::Option::Some(vcenter) = self.vcenter.as_deref() else {
                    return ::std::result::Result::Err(
                        ::naftiko::ClientError::missing_setting(
                            "vcenter",
                            "vcenter",
                            "VCENTER",
                            "VSPHERE_SESSION_BASE_URI",
                        ),
                    );
                };
                let mut base = ::std::string::String::new();
                base.push_str("https://");
                base.push_str(vcenter);
                base.push_str("/api");
                base
            };
            let auth = 'auth: {
                let ::std::option::Option::Some(vmware_api_key) = self
                    .vmware_api_key
                    .as_ref() else {
                    break 'auth ::naftiko::client::DefaultAuth::missing(
                        "VMWARE_API_KEY",
                        ::std::option::Option::Some("vmware-api-session-id"),
                    );
                };
                ::naftiko::client::DefaultAuth::header(
                    "vmware-api-session-id",
                    vmware_api_key.expose(),
                )?
            };
            ::std::result::Result::Ok(Client {
                upstream: ::naftiko::client::Upstream::new(self.config, base, auth)?,
            })
        }
    }
}
/// REST adapter for VMware vSphere Automation REST API — Session. One Spectral-compliant resource per consumed operation, prefixed with /v1.
///
/// REST adapter `vsphere-session-rest` (port 8080 by default).
#[allow(dead_code)]
pub mod vsphere_session_rest {
    /// The exposed operations. Implement it to serve your own logic; [`Forward`] calls the upstream.
    pub trait Api: ::std::clone::Clone + ::std::marker::Send + ::std::marker::Sync + 'static {
        /// Vmware Create a New Authentication Session
        ///
        /// `POST /v1/session`
        fn createsession(
            &self,
            call: ::naftiko::CallOptions,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<
                ::naftiko::RawResponse,
                ::naftiko::ClientError,
            >,
        > + ::std::marker::Send;
        /// Vmware Terminate the Current Session
        ///
        /// `DELETE /v1/session`
        fn deletesession(
            &self,
            call: ::naftiko::CallOptions,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<
                ::naftiko::RawResponse,
                ::naftiko::ClientError,
            >,
        > + ::std::marker::Send;
        /// Vmware Get Current Session Information
        ///
        /// `GET /v1/session`
        fn getsessioninfo(
            &self,
            call: ::naftiko::CallOptions,
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<
                ::naftiko::RawResponse,
                ::naftiko::ClientError,
            >,
        > + ::std::marker::Send;
    }
    /// Forwards every operation to the generated clients, caller credentials included.
    #[derive(::std::clone::Clone, ::std::fmt::Debug)]
    pub struct Forward {
        clients: super::Clients,
    }
    impl Forward {
        pub fn new(clients: super::Clients) -> Self {
            Forward { clients }
        }
    }
    impl Api for Forward {
        async fn createsession(
            &self,
            call: ::naftiko::CallOptions,
        ) -> ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> {
            self.clients.vsphere_session.createsession_raw(&call).await
        }
        async fn deletesession(
            &self,
            call: ::naftiko::CallOptions,
        ) -> ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> {
            self.clients.vsphere_session.deletesession_raw(&call).await
        }
        async fn getsessioninfo(
            &self,
            call: ::naftiko::CallOptions,
        ) -> ::std::result::Result<::naftiko::RawResponse, ::naftiko::ClientError> {
            self.clients.vsphere_session.getsessioninfo_raw(&call).await
        }
    }
    /// The OpenAPI 3.1 document of this adapter, built at compile time.
    pub const OPENAPI: &str = "{\n  \"components\": {\n    \"schemas\": {\n      \"Error\": {\n        \"properties\": {\n          \"error\": {\n            \"properties\": {\n              \"kind\": {\n                \"type\": \"string\"\n              },\n              \"message\": {\n                \"type\": \"string\"\n              }\n            },\n            \"required\": [\n              \"kind\",\n              \"message\"\n            ],\n            \"type\": \"object\"\n          }\n        },\n        \"required\": [\n          \"error\"\n        ],\n        \"type\": \"object\"\n      }\n    }\n  },\n  \"info\": {\n    \"description\": \"REST adapter for VMware vSphere Automation REST API — Session. One Spectral-compliant resource per consumed operation, prefixed with /v1.\",\n    \"title\": \"VMware vSphere Automation REST API — Session\",\n    \"version\": \"1.0.0\"\n  },\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/v1/session\": {\n      \"delete\": {\n        \"description\": \"REST surface for session.\\n\\nCalls `DELETE /session` of `vsphere-session`.\",\n        \"operationId\": \"deletesession\",\n        \"responses\": {\n          \"204\": {\n            \"description\": \"No content: the upstream answered 204.\"\n          },\n          \"502\": {\n            \"content\": {\n              \"application/json\": {\n                \"schema\": {\n                  \"$ref\": \"#/components/schemas/Error\"\n                }\n              }\n            },\n            \"description\": \"The upstream could not be reached or answered badly.\"\n          },\n          \"504\": {\n            \"content\": {\n              \"application/json\": {\n                \"schema\": {\n                  \"$ref\": \"#/components/schemas/Error\"\n                }\n              }\n            },\n            \"description\": \"The upstream did not answer in time.\"\n          },\n          \"default\": {\n            \"content\": {\n              \"application/json\": {\n                \"schema\": {}\n              }\n            },\n            \"description\": \"The upstream's answer, status and body passed through.\"\n          }\n        },\n        \"summary\": \"Vmware Terminate the Current Session\"\n      },\n      \"get\": {\n        \"description\": \"REST surface for session.\\n\\nCalls `GET /session` of `vsphere-session`.\",\n        \"operationId\": \"getsessioninfo\",\n        \"responses\": {\n          \"204\": {\n            \"description\": \"No content: the upstream answered 204.\"\n          },\n          \"502\": {\n            \"content\": {\n              \"application/json\": {\n                \"schema\": {\n                  \"$ref\": \"#/components/schemas/Error\"\n                }\n              }\n            },\n            \"description\": \"The upstream could not be reached or answered badly.\"\n          },\n          \"504\": {\n            \"content\": {\n              \"application/json\": {\n                \"schema\": {\n                  \"$ref\": \"#/components/schemas/Error\"\n                }\n              }\n            },\n            \"description\": \"The upstream did not answer in time.\"\n          },\n          \"default\": {\n            \"content\": {\n              \"application/json\": {\n                \"schema\": {}\n              }\n            },\n            \"description\": \"The upstream's answer, status and body passed through.\"\n          }\n        },\n        \"summary\": \"Vmware Get Current Session Information\"\n      },\n      \"post\": {\n        \"description\": \"REST surface for session.\\n\\nCalls `POST /session` of `vsphere-session`.\",\n        \"operationId\": \"createsession\",\n        \"responses\": {\n          \"204\": {\n            \"description\": \"No content: the upstream answered 204.\"\n          },\n          \"502\": {\n            \"content\": {\n              \"application/json\": {\n                \"schema\": {\n                  \"$ref\": \"#/components/schemas/Error\"\n                }\n              }\n            },\n            \"description\": \"The upstream could not be reached or answered badly.\"\n          },\n          \"504\": {\n            \"content\": {\n              \"application/json\": {\n                \"schema\": {\n                  \"$ref\": \"#/components/schemas/Error\"\n                }\n              }\n            },\n            \"description\": \"The upstream did not answer in time.\"\n          },\n          \"default\": {\n            \"content\": {\n              \"application/json\": {\n                \"schema\": {}\n              }\n            },\n            \"description\": \"The upstream's answer, status and body passed through.\"\n          }\n        },\n        \"summary\": \"Vmware Create a New Authentication Session\"\n      }\n    }\n  },\n  \"servers\": [\n    {\n      \"url\": \"http://127.0.0.1:8080\"\n    }\n  ]\n}";
    static FORWARDED_HEADERS: [::naftiko::__private::http::HeaderName; 2usize] = [
        ::naftiko::__private::http::HeaderName::from_static("authorization"),
        ::naftiko::__private::http::HeaderName::from_static("vmware-api-session-id"),
    ];
    /// The adapter's routes, plus `GET /openapi.json` and `GET /healthz`.
    pub fn router<A: Api>(api: A) -> ::naftiko::__private::axum::Router {
        ::naftiko::__private::axum::Router::new()
            .route(
                "/v1/session",
                ::naftiko::__private::axum::routing::post(handle_createsession::<A>)
                    .delete(handle_deletesession::<A>)
                    .get(handle_getsessioninfo::<A>),
            )
            .route(
                "/openapi.json",
                ::naftiko::__private::axum::routing::get(|| async {
                    ::naftiko::rest::json_document(OPENAPI)
                }),
            )
            .route(
                "/healthz",
                ::naftiko::__private::axum::routing::get(::naftiko::rest::healthz),
            )
            .fallback(::naftiko::rest::not_found)
            .with_state(api)
    }
    async fn handle_createsession<A: Api>(
        ::naftiko::__private::axum::extract::State(
            api,
        ): ::naftiko::__private::axum::extract::State<A>,
        headers: ::naftiko::__private::http::HeaderMap,
    ) -> ::naftiko::__private::axum::response::Response {
        let result = api
            .createsession(::naftiko::CallOptions::forward(&headers, &FORWARDED_HEADERS))
            .await;
        ::naftiko::rest::passthrough(result)
    }
    async fn handle_deletesession<A: Api>(
        ::naftiko::__private::axum::extract::State(
            api,
        ): ::naftiko::__private::axum::extract::State<A>,
        headers: ::naftiko::__private::http::HeaderMap,
    ) -> ::naftiko::__private::axum::response::Response {
        let result = api
            .deletesession(::naftiko::CallOptions::forward(&headers, &FORWARDED_HEADERS))
            .await;
        ::naftiko::rest::passthrough(result)
    }
    async fn handle_getsessioninfo<A: Api>(
        ::naftiko::__private::axum::extract::State(
            api,
        ): ::naftiko::__private::axum::extract::State<A>,
        headers: ::naftiko::__private::http::HeaderMap,
    ) -> ::naftiko::__private::axum::response::Response {
        let result = api
            .getsessioninfo(
                ::naftiko::CallOptions::forward(&headers, &FORWARDED_HEADERS),
            )
            .await;
        ::naftiko::rest::passthrough(result)
    }
}
/// MCP adapter for VMware vSphere Automation REST API — Session. One tool per consumed operation, routed inline through this capability's consumes block.
///
/// MCP adapter `vsphere-session-mcp` (Streamable HTTP at `/mcp`, port 9090 by default).
#[allow(dead_code)]
pub mod vsphere_session_mcp {
    /// The tools of this adapter, each calling the generated client.
    #[derive(::std::clone::Clone, ::std::fmt::Debug)]
    pub struct Tools {
        clients: super::Clients,
    }
    impl Tools {
        pub fn new(clients: super::Clients) -> Self {
            Tools { clients }
        }
    }
    static FORWARDED_HEADERS: [::naftiko::__private::http::HeaderName; 2usize] = [
        ::naftiko::__private::http::HeaderName::from_static("authorization"),
        ::naftiko::__private::http::HeaderName::from_static("vmware-api-session-id"),
    ];
    impl ::naftiko::mcp::ToolSet for Tools {
        const SERVER_NAME: &'static str = "vsphere-session-mcp";
        const INSTRUCTIONS: ::std::option::Option<&'static str> = ::std::option::Option::Some(
            "MCP adapter for VMware vSphere Automation REST API — Session. One tool per consumed operation, routed inline through this capability's consumes block.",
        );
        const TOOLS: &'static [::naftiko::mcp::ToolDef] = &[
            ::naftiko::mcp::ToolDef {
                name: "vmware-create-new-authentication-session",
                title: ::std::option::Option::None,
                description: ::std::option::Option::Some(
                    "Vmware Create a New Authentication Session",
                ),
                input_schema: "{\"properties\":{},\"type\":\"object\"}",
                read_only: false,
                destructive: false,
                idempotent: false,
                open_world: true,
            },
            ::naftiko::mcp::ToolDef {
                name: "vmware-terminate-current-session",
                title: ::std::option::Option::None,
                description: ::std::option::Option::Some(
                    "Vmware Terminate the Current Session",
                ),
                input_schema: "{\"properties\":{},\"type\":\"object\"}",
                read_only: false,
                destructive: true,
                idempotent: true,
                open_world: true,
            },
            ::naftiko::mcp::ToolDef {
                name: "vmware-get-current-session-information",
                title: ::std::option::Option::None,
                description: ::std::option::Option::Some(
                    "Vmware Get Current Session Information",
                ),
                input_schema: "{\"properties\":{},\"type\":\"object\"}",
                read_only: true,
                destructive: false,
                idempotent: true,
                open_world: true,
            },
        ];
        fn forwarded_headers() -> &'static [::naftiko::__private::http::HeaderName] {
            &FORWARDED_HEADERS
        }
        async fn call(
            &self,
            index: usize,
            _arguments: ::naftiko::__private::rmcp::model::JsonObject,
            call: ::naftiko::CallOptions,
        ) -> ::naftiko::__private::rmcp::model::CallToolResult {
            match index {
                0usize => {
                    ::naftiko::mcp::result(
                        self.clients.vsphere_session.createsession_raw(&call).await,
                        ::naftiko::formats::Format::Json,
                        "result",
                        ::std::convert::identity,
                    )
                }
                1usize => {
                    ::naftiko::mcp::result(
                        self.clients.vsphere_session.deletesession_raw(&call).await,
                        ::naftiko::formats::Format::Json,
                        "result",
                        ::std::convert::identity,
                    )
                }
                2usize => {
                    ::naftiko::mcp::result(
                        self.clients.vsphere_session.getsessioninfo_raw(&call).await,
                        ::naftiko::formats::Format::Json,
                        "result",
                        ::std::convert::identity,
                    )
                }
                _ => ::naftiko::mcp::invalid_arguments("unknown tool"),
            }
        }
    }
    /// The Streamable HTTP endpoint at `/mcp`: stateless, both protocol eras.
    pub fn router(
        tools: Tools,
        options: &::naftiko::mcp::McpOptions,
    ) -> ::naftiko::__private::axum::Router {
        ::naftiko::mcp::router(tools, options)
    }
}
/// One client per consumed namespace, shared by every adapter.
#[derive(::std::clone::Clone, ::std::fmt::Debug)]
#[allow(dead_code)]
pub struct Clients {
    /// Client of `vsphere-session`.
    pub vsphere_session: vsphere_session::Client,
}
#[allow(dead_code)]
impl Clients {
    /// Builds every client from server settings.
    pub fn from_settings(
        settings: &::naftiko::cli::Settings,
    ) -> ::std::result::Result<Self, ::naftiko::ClientError> {
        ::std::result::Result::Ok(Clients {
            vsphere_session: vsphere_session::Client::builder()
                .settings(settings)?
                .build()?,
        })
    }
}
/// VMware vSphere Automation REST API — Session
///
/// VMware vSphere Automation REST API — Session. 3 operations. Lead operation: Vmware Create a New Authentication Session. Self-contained Naftiko capability covering one Vmware business surface.
#[allow(dead_code)]
pub static CAPABILITY: ::naftiko::cli::CapabilityInfo = ::naftiko::cli::CapabilityInfo {
    label: "VMware vSphere Automation REST API — Session",
    clients: &[
        ::naftiko::cli::ClientInfo {
            namespace: "vsphere-session",
            base_uri: "https://{vcenter}/api",
            base_uri_env: "VSPHERE_SESSION_BASE_URI",
            variables: &[
                ::naftiko::cli::VariableInfo {
                    name: "vcenter",
                    flag: "vcenter",
                    env: "VCENTER",
                },
            ],
        },
    ],
    binds: &[
        ::naftiko::cli::BindInfo {
            name: "VMWARE_API_KEY",
            source: "VMWARE_API_KEY",
            file: ::std::option::Option::None,
        },
    ],
    rest: &[
        ::naftiko::cli::AdapterInfo {
            namespace: "vsphere-session-rest",
            address: ::std::option::Option::None,
            port: 8080u16,
        },
    ],
    mcp: &[
        ::naftiko::cli::AdapterInfo {
            namespace: "vsphere-session-mcp",
            address: ::std::option::Option::None,
            port: 9090u16,
        },
    ],
    control: ::std::option::Option::None,
};
/// Serves every adapter until `shutdown` resolves.
#[allow(dead_code)]
pub async fn serve_until(
    settings: ::naftiko::cli::Settings,
    shutdown: impl ::std::future::Future<Output = ()> + ::std::marker::Send + 'static,
) -> ::std::result::Result<(), ::naftiko::Error> {
    let clients = Clients::from_settings(&settings)?;
    let listeners = ::std::vec![
        ::naftiko::server::Listener { kind : "REST", addr :
        ::std::net::SocketAddr::new(settings.listen_address(& CAPABILITY.rest[0usize]) ?,
        settings.rest_port.unwrap_or(8080u16)), router :
        vsphere_session_rest::router(vsphere_session_rest::Forward::new(clients
        .clone())), path : "", }, ::naftiko::server::Listener { kind : "MCP", addr :
        ::std::net::SocketAddr::new(settings.listen_address(& CAPABILITY.mcp[0usize]) ?,
        settings.mcp_port.unwrap_or(9090u16)), router :
        vsphere_session_mcp::router(vsphere_session_mcp::Tools::new(clients.clone()), &
        settings.mcp), path : "/mcp", },
    ];
    let listeners = ::naftiko::server::with_metrics(listeners, &settings);
    ::naftiko::server::serve_with(listeners, settings.limits, shutdown).await
}
/// Serves every adapter until SIGINT or SIGTERM.
#[allow(dead_code)]
pub async fn serve(
    settings: ::naftiko::cli::Settings,
) -> ::std::result::Result<(), ::naftiko::Error> {
    serve_until(settings, ::naftiko::server::shutdown_signal()).await
}
