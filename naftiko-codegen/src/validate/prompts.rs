//! MCP prompts: `template` messages or a `location` file, their `{{argument}}` placeholders
//! resolved at build time.

use super::{Names, Validator};
use crate::diagnostics::Pos;
use crate::ir::{McpPrompt, PromptArgument, PromptMessage, PromptPart};
use crate::spec::{self, S, Scalar, pos};
use crate::template::{self, Piece};

impl Validator<'_> {
    /// The MCP prompts of one adapter, in spec order.
    pub(super) fn mcp_prompts(&mut self, e: &spec::Exposes) -> Vec<McpPrompt> {
        let mut out = Vec::new();
        let mut names = Names::new("prompt name");
        for prompt in &e.prompts {
            let p = &prompt.value;
            let at = pos(prompt);
            let Some(name) = self.required(p.name.as_ref(), at, "name") else {
                continue;
            };
            let fresh = names.claim(self.diags, &name.value, pos(name));
            let arguments = self.prompt_arguments(&name.value, &p.arguments);
            let messages = match (&p.template, &p.location) {
                (Some(_), Some(location)) => {
                    self.diags
                        .error(
                            pos(location),
                            "`template` and `location` exclude each other",
                        )
                        .help("a prompt is inline `template` messages or one file");
                    continue;
                }
                (None, None) => {
                    self.diags
                        .error(at, "missing `template` or `location`")
                        .help("for example `template: [{role: user, content: \"...\"}]`");
                    continue;
                }
                (Some(messages), None) => {
                    let mut out = Vec::new();
                    for message in &messages.value {
                        let m = &message.value;
                        let role = self.required(m.role.as_ref(), pos(message), "role");
                        let content = self.required(m.content.as_ref(), pos(message), "content");
                        let (Some(role), Some(content)) = (role, content) else {
                            continue;
                        };
                        let assistant = match role.value.as_str() {
                            "user" => false,
                            "assistant" => true,
                            other => {
                                self.diags
                                    .error(pos(role), format!("unknown message role `{other}`"))
                                    .help("expected `user` or `assistant`");
                                continue;
                            }
                        };
                        if let Some(parts) =
                            self.prompt_text(&content.value, pos(content), &name.value, &arguments)
                        {
                            out.push(PromptMessage { assistant, parts });
                        }
                    }
                    out
                }
                (None, Some(location)) => {
                    let Some(text) = self.embedded_file(location) else {
                        continue;
                    };
                    let Some(parts) =
                        self.prompt_text(&text, pos(location), &name.value, &arguments)
                    else {
                        continue;
                    };
                    vec![PromptMessage {
                        assistant: false,
                        parts,
                    }]
                }
            };
            if fresh {
                out.push(McpPrompt {
                    name: name.value.clone(),
                    title: p.label.clone(),
                    description: p.description.clone(),
                    arguments,
                    messages,
                });
            }
        }
        out
    }

    fn prompt_arguments(
        &mut self,
        prompt: &str,
        arguments: &[S<spec::PromptArgument>],
    ) -> Vec<PromptArgument> {
        let what = format!("argument of prompt `{prompt}`");
        let mut names = Names::new(&what);
        let mut out = Vec::new();
        for argument in arguments {
            let a = &argument.value;
            let Some(name) = self.required(a.name.as_ref(), pos(argument), "name") else {
                continue;
            };
            if !names.claim(self.diags, &name.value, pos(name)) {
                continue;
            }
            let required = match &a.required {
                None => true,
                Some(r) => match r.value {
                    Scalar::Bool(b) => b,
                    ref other => {
                        self.diags.error(
                            pos(r),
                            format!("`required` must be a boolean, found {}", other.describe()),
                        );
                        true
                    }
                },
            };
            out.push(PromptArgument {
                name: name.value.clone(),
                title: a.label.clone(),
                description: a.description.clone(),
                required,
            });
        }
        out
    }

    /// Prompt text split at `{{argument}}` placeholders; an unknown one is an error at `at`.
    fn prompt_text(
        &mut self,
        text: &str,
        at: Pos,
        prompt: &str,
        arguments: &[PromptArgument],
    ) -> Option<Vec<PromptPart>> {
        let pieces = match template::split(text, false) {
            Ok(p) => p,
            Err((_, msg)) => {
                self.diags.error(at, msg);
                return None;
            }
        };
        let mut parts = Vec::new();
        let mut ok = true;
        for piece in pieces {
            match piece {
                Piece::Literal(l) => parts.push(PromptPart::Literal(l)),
                Piece::Variable { name, .. } => {
                    match arguments.iter().position(|a| a.name == name) {
                        Some(i) => parts.push(PromptPart::Argument(i)),
                        None => {
                            ok = false;
                            let known: Vec<&str> =
                                arguments.iter().map(|a| a.name.as_str()).collect();
                            self.diags
                                .error(
                                    at,
                                    format!(
                                        "`{{{{{name}}}}}` is not an argument of prompt `{prompt}`"
                                    ),
                                )
                                .help(if known.is_empty() {
                                    "declare it under `arguments`".to_owned()
                                } else {
                                    format!("arguments: {}", known.join(", "))
                                });
                        }
                    }
                }
            }
        }
        ok.then_some(parts)
    }
}
