//! MCP prompts: the table generated code supplies and the argument checks before it builds
//! the messages (generated string building, no template engine).

use rmcp::model::{ErrorData, JsonObject, Prompt, PromptArgument, PromptMessage, Role};

/// One prompt argument, as generated from the spec. Arguments are strings (MCP).
#[derive(Clone, Copy, Debug)]
pub struct PromptArgumentDef {
    pub name: &'static str,
    pub title: Option<&'static str>,
    pub description: Option<&'static str>,
    pub required: bool,
}

/// One prompt, as generated from the spec.
#[derive(Clone, Copy, Debug)]
pub struct PromptDef {
    pub name: &'static str,
    pub title: Option<&'static str>,
    pub description: Option<&'static str>,
    pub arguments: &'static [PromptArgumentDef],
}

impl PromptDef {
    pub(super) fn to_prompt(self) -> Prompt {
        let arguments = self
            .arguments
            .iter()
            .map(|a| {
                let mut argument = PromptArgument::new(a.name).with_required(a.required);
                argument.title = a.title.map(str::to_owned);
                argument.description = a.description.map(str::to_owned);
                argument
            })
            .collect::<Vec<_>>();
        let mut prompt = Prompt::new(
            self.name,
            self.description,
            (!arguments.is_empty()).then_some(arguments),
        );
        prompt.title = self.title.map(str::to_owned);
        prompt
    }
}

/// A prompt's arguments, checked: every required one present, every one a string.
/// An optional argument the caller left out reads as the empty string.
#[derive(Debug)]
pub struct PromptArguments {
    defs: &'static [PromptArgumentDef],
    values: Vec<String>,
}

impl PromptArguments {
    /// Checks `given` against `defs`; a missing required argument or a non-string value is
    /// a JSON-RPC invalid-params error (`-32602`) naming it.
    pub fn check(
        prompt: &str,
        defs: &'static [PromptArgumentDef],
        given: Option<&JsonObject>,
    ) -> Result<PromptArguments, ErrorData> {
        let mut values = Vec::with_capacity(defs.len());
        for def in defs {
            let value = match given.and_then(|g| g.get(def.name)) {
                None | Some(serde_json::Value::Null) if def.required => {
                    return Err(ErrorData::invalid_params(
                        format!("prompt `{prompt}` needs the argument `{}`", def.name),
                        Some(serde_json::json!({ "argument": def.name })),
                    ));
                }
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(_) => {
                    return Err(ErrorData::invalid_params(
                        format!(
                            "argument `{}` of prompt `{prompt}` must be a string",
                            def.name
                        ),
                        Some(serde_json::json!({ "argument": def.name })),
                    ));
                }
            };
            values.push(value);
        }
        Ok(PromptArguments { defs, values })
    }

    /// The value of argument `name` (empty when an optional argument was left out).
    pub fn get(&self, name: &str) -> &str {
        self.defs
            .iter()
            .position(|d| d.name == name)
            .and_then(|i| self.values.get(i))
            .map_or("", String::as_str)
    }
}

/// A `user` message.
pub fn user(text: String) -> PromptMessage {
    PromptMessage::new_text(Role::User, text)
}

/// An `assistant` message.
pub fn assistant(text: String) -> PromptMessage {
    PromptMessage::new_text(Role::Assistant, text)
}
