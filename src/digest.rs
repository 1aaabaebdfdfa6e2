//! HTTP Digest authentication (RFC 7616) for upstream calls: the challenge–response is the
//! `digest_auth` crate's; what is kept here is the server's last challenge, answered again
//! (with the next `nc`) until the server sends a new one.

use std::fmt;
use std::sync::{Arc, Mutex};

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use http::header::WWW_AUTHENTICATE;
use http::{HeaderMap, HeaderValue, Method};

use crate::secret::Secret;

/// Digest credentials and the challenge they answer. Clones share the challenge.
#[derive(Clone)]
pub struct Digest {
    username: String,
    password: Secret,
    challenge: Arc<Mutex<Option<WwwAuthenticateHeader>>>,
}

impl Digest {
    pub fn new(username: &str, password: &str) -> Self {
        Digest {
            username: username.to_owned(),
            password: Secret::new(password),
            challenge: Arc::new(Mutex::new(None)),
        }
    }

    /// The `Authorization` answering the last challenge for this request, if there is one.
    /// `uri` is the request target as sent (path and query).
    pub(crate) fn authorization(
        &self,
        method: &Method,
        uri: &str,
        body: Option<&[u8]>,
    ) -> Option<HeaderValue> {
        let mut challenge = self.challenge.lock().ok()?;
        let challenge = challenge.as_mut()?;
        let context = AuthContext::new_with_method(
            self.username.as_str(),
            self.password.expose(),
            uri,
            body,
            HttpMethod::from(method.as_str()),
        );
        let answer = challenge.respond(&context).ok()?;
        let mut value = HeaderValue::try_from(answer.to_header_string()).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Keeps the `Digest` challenge of a 401's `WWW-Authenticate` headers; false when it has
    /// none (or only other schemes), so that the 401 stands.
    pub(crate) fn learn(&self, headers: &HeaderMap) -> bool {
        let found = headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter(|v| {
                v.trim_start()
                    .get(..7)
                    .is_some_and(|s| s.eq_ignore_ascii_case("digest "))
            })
            .find_map(|v| digest_auth::parse(v).ok());
        match (found, self.challenge.lock()) {
            (Some(challenge), Ok(mut slot)) => {
                *slot = Some(challenge);
                true
            }
            _ => false,
        }
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Digest")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHALLENGE: &str = r#"Digest realm="http-auth@example.org", qop="auth", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;

    fn challenged(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"x\""),
        );
        headers.append(WWW_AUTHENTICATE, HeaderValue::try_from(value).unwrap());
        headers
    }

    #[test]
    fn no_answer_before_a_challenge() {
        let d = Digest::new("Mufasa", "Circle of Life");
        assert_eq!(d.authorization(&Method::GET, "/dir/index.html", None), None);
        assert!(!d.learn(&HeaderMap::new()));
        assert!(!d.learn(&challenged("Bearer realm=\"y\"")));
    }

    #[test]
    fn answers_the_challenge_with_a_counting_nc() {
        let d = Digest::new("Mufasa", "Circle of Life");
        assert!(d.learn(&challenged(CHALLENGE)));

        let first = d
            .authorization(&Method::GET, "/dir/index.html", None)
            .unwrap();
        let second = d
            .authorization(&Method::GET, "/dir/index.html", None)
            .unwrap();

        let first = first.to_str().unwrap();
        assert!(first.starts_with("Digest "), "{first}");
        assert!(first.contains(r#"username="Mufasa""#), "{first}");
        assert!(first.contains(r#"uri="/dir/index.html""#), "{first}");
        assert!(first.contains("nc=00000001"), "{first}");
        assert!(second.to_str().unwrap().contains("nc=00000002"));
        assert!(second.is_sensitive());
    }

    #[test]
    fn debug_shows_no_password() {
        let shown = format!("{:?}", Digest::new("Mufasa", "Circle of Life"));
        assert!(!shown.contains("Circle"), "{shown}");
    }
}
