//! `control` adapters: the management endpoints that map onto a compiled server (health,
//! status, config); what needs a runtime engine (reload, validate, logs, scripting,
//! metrics and traces) is reported, not served.

use super::Validator;
use crate::diagnostics::Pos;
use crate::spec::{self, S, Scalar, pos};

/// The management groups a control adapter serves.
pub(super) struct Groups {
    pub(super) health: bool,
    pub(super) info: bool,
}

impl Validator<'_> {
    /// The groups `management` turns on (health by default), with a warning for every group
    /// or observability setting naftiko-rs does not serve.
    pub(super) fn control_groups(&mut self, e: &spec::Exposes) -> Groups {
        let mut groups = Groups {
            health: true,
            info: false,
        };
        if let Some(m) = &e.management {
            let m = &m.value;
            if let Some(h) = &m.health {
                groups.health = self.flag(h, "health");
            }
            if let Some(i) = &m.info {
                groups.info = self.flag(i, "info");
            }
            let engine_only = [
                (
                    m.reload.as_ref().map(|r| (pos(r), self.flag(r, "reload"))),
                    "reload",
                    "POST /config/reload",
                ),
                (
                    m.validate
                        .as_ref()
                        .map(|v| (pos(v), self.flag(v, "validate"))),
                    "validate",
                    "POST /config/validate",
                ),
                (
                    m.logs.as_ref().map(|l| (pos(l), enabled(&l.value))),
                    "logs",
                    "/logs",
                ),
                (
                    m.scripting.as_ref().map(|s| (pos(s), enabled(&s.value))),
                    "scripting",
                    "/scripting",
                ),
            ];
            for (set, group, endpoint) in engine_only {
                if let Some((at, true)) = set {
                    self.not_served(at, group, endpoint);
                }
            }
        }
        if let Some(o) = &e.observability {
            let on = o
                .value
                .enabled
                .as_ref()
                .is_none_or(|en| self.flag(en, "enabled"));
            if on {
                self.diags
                    .lenient(
                        pos(o),
                        "`observability` is not served by naftiko-rs yet: no /metrics, /traces or exporters",
                    )
                    .help("set `enabled: false`, or remove it, to silence this");
            }
        }
        groups
    }

    fn not_served(&mut self, at: Pos, group: &str, endpoint: &str) {
        self.diags
            .lenient(
                at,
                format!(
                    "management `{group}` ({endpoint}) needs a runtime engine; naftiko-rs compiles the spec and does not serve it"
                ),
            )
            .help(format!("set `{group}: false`, or remove it"));
    }

    fn flag(&mut self, value: &S<Scalar>, what: &str) -> bool {
        match &value.value {
            Scalar::Bool(b) => *b,
            other => {
                self.diags.error(
                    pos(value),
                    format!("`{what}` must be a boolean, found {}", other.describe()),
                );
                false
            }
        }
    }
}

/// `true`, or an object (advanced settings) whose `enabled` is not `false`.
fn enabled(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Bool(b) => *b,
        serde_json::Value::Object(o) => o
            .get("enabled")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true),
        _ => false,
    }
}
