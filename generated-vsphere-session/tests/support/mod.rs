//! The shared recording upstream (`naftiko-test-support`), plus what is vSphere-specific:
//! the vCenter answers and a client of the generated `vsphere_session` module pointed at it.

use generated_vsphere_session::vsphere_session;
use naftiko::__private::http::Method;
pub(crate) use naftiko_test_support::{
    Canned, Upstream, basic, free_port, http_client, refused_addr,
};

/// vSphere's answer to a request without a valid session or credentials.
pub(crate) const UNAUTHENTICATED_BODY: &str = r#"{"error_type":"UNAUTHENTICATED","messages":[{"args":[],"default_message":"Authentication required.","id":"com.vmware.vapi.endpoint.method.authentication.required"}]}"#;

/// What [`VsphereUpstream::vsphere`] answers to GET.
pub(crate) const SESSION_INFO: &str = r#"{"user":"VSPHERE.LOCAL\\Administrator","created_time":"2026-12-03T18:34:21.123Z","last_accessed_time":"2026-12-03T18:35:02.456Z"}"#;

/// The recording upstream as a vCenter.
pub(crate) trait VsphereUpstream {
    /// An upstream answering per method the way vCenter does for a valid session:
    /// POST 201 `"<token>"`, GET 200 `{user, created_time, last_accessed_time}`, DELETE 204.
    async fn vsphere(token: &'static str) -> Upstream;

    /// The replacement for the spec's `https://{vcenter}/api`.
    fn base_uri(&self) -> String;

    /// A client builder pointing at this upstream.
    fn builder(&self) -> vsphere_session::ClientBuilder {
        vsphere_session::Client::builder().base_uri(self.base_uri())
    }

    /// A client pointing at this upstream, without credentials of its own.
    fn client(&self) -> vsphere_session::Client {
        self.builder().build().expect("build client")
    }
}

impl VsphereUpstream for Upstream {
    async fn vsphere(token: &'static str) -> Upstream {
        Upstream::start(move |r| match r.method {
            Method::POST => Canned::json(201, &format!("\"{token}\"")),
            Method::GET => Canned::json(200, SESSION_INFO),
            Method::DELETE => Canned::empty(204),
            _ => Canned::empty(405),
        })
        .await
    }

    fn base_uri(&self) -> String {
        self.url("/api")
    }
}
