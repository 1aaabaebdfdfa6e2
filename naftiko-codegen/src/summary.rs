//! A Markdown overview of a capability, for the front page of a generated crate's docs
//! (`#![doc = include_str!(concat!(env!("OUT_DIR"), "/<spec>.md"))]`): what it consumes
//! and exposes, each operation linked to its generated item.

use std::fmt::Write as _;

use crate::emit::doc_text;
use crate::ir::Capability;

/// The overview of `cap`. Links are intra-doc links from the crate root, so they break
/// (a rustdoc warning) if the generated items move.
pub fn markdown(cap: &Capability) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", describe(Some(&cap.label)));
    if let Some(description) = &cap.description {
        for line in description.trim().lines() {
            let _ = writeln!(out, "{}", doc_text(line));
        }
        out.push('\n');
    }
    for client in &cap.clients {
        let module = &client.module;
        let _ = writeln!(
            out,
            "## Consumed: `{}` ([`{module}::Client`])\n",
            client.namespace
        );
        table(
            &mut out,
            &["method", "upstream", "description"],
            client.operations.iter().map(|op| {
                [
                    format!("[`{0}`]({module}::Client::{0})", op.method_ident),
                    format!("`{} {}`", op.method, op.path_text()),
                    describe(op.description.as_deref()),
                ]
            }),
        );
    }
    for rest in &cap.rest {
        let module = &rest.module;
        let _ = writeln!(
            out,
            "## REST adapter `{}` (port {}, [`{module}::Api`])\n",
            rest.namespace, rest.port
        );
        table(
            &mut out,
            &["route", "trait method", "description"],
            rest.operations.iter().map(|op| {
                [
                    format!("`{} {}`", op.method, op.path),
                    format!("[`{0}`]({module}::Api::{0})", op.fn_ident),
                    describe(op.description.as_deref()),
                ]
            }),
        );
    }
    for mcp in &cap.mcp {
        let transport = if mcp.stdio {
            "stdio".to_owned()
        } else {
            format!("port {}, `/mcp`", mcp.port)
        };
        let _ = writeln!(
            out,
            "## MCP adapter `{}` ({transport}, [`{}::Tools`])\n",
            mcp.namespace, mcp.module
        );
        table(
            &mut out,
            &["tool", "hints", "description"],
            mcp.tools.iter().map(|tool| {
                let hints = [
                    (tool.hints.read_only, "read-only"),
                    (tool.hints.destructive, "destructive"),
                    (tool.hints.idempotent, "idempotent"),
                ]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, name)| *name)
                .collect::<Vec<_>>()
                .join(", ");
                let hints = if hints.is_empty() {
                    "none".to_owned()
                } else {
                    hints
                };
                [
                    format!("`{}`", tool.name),
                    hints,
                    describe(tool.description.as_deref()),
                ]
            }),
        );
    }
    out
}

fn table<const N: usize>(
    out: &mut String,
    header: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(N));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// Spec prose on one line, escaped for rustdoc.
fn describe(description: Option<&str>) -> String {
    description
        .map(|d| doc_text(&one_line(d)))
        .unwrap_or_default()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use crate::{Input, check};

    #[test]
    fn the_vsphere_overview_lists_and_links_every_operation() {
        let text = include_str!("../../specs/vsphere-session.yaml");
        let input = Input {
            file: "vsphere-session.yaml",
            text,
            strict: false,
        };
        let (cap, _) = check(&input).expect("the showcase spec checks");

        let page = super::markdown(&cap);

        for line in [
            "## Consumed: `vsphere-session` ([`vsphere_session::Client`])",
            "| [`getsessioninfo`](vsphere_session::Client::getsessioninfo) | `GET /session` |",
            "| `POST /v1/session` | [`createsession`](vsphere_session_rest::Api::createsession) |",
            "| `vmware-terminate-current-session` | destructive, idempotent |",
            "| `vmware-get-current-session-information` | read-only, idempotent |",
        ] {
            assert!(page.contains(line), "no `{line}` in:\n{page}");
        }
    }

    #[test]
    fn cells_stay_in_their_table() {
        assert_eq!(super::cell("a | b\n  c"), "a \\| b c");
    }
}
