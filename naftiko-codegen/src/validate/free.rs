//! Free variables of a consumes library: the names its importer binds.
//!
//! A file with top-level `consumes` and no `capability` is imported by capabilities that
//! declare the `binds` its templates use. Checked or generated on its own, each such
//! variable no bind of the file declares is read from the environment variable of the same
//! name, as if the file said `binds: [{namespace: env, keys: {NAME: NAME}}]`.
//!
//! A variable is free where only a bind can be meant: in an authentication value, in a
//! namespace-wide (`consumes`-level) `inputParameters` value, which every operation sends,
//! and wherever it is written `{{env.NAME}}`. Elsewhere an undeclared `{{name}}` stays an
//! operation parameter, as in a capability.

use super::Validator;
use crate::diagnostics::Pos;
use crate::ir::BindVar;
use crate::naming;
use crate::spec::{self, S, Scalar, pos};
use crate::template::{self, Piece};

impl Validator<'_> {
    /// Adds the library's free variables to `binds`, each with a located note.
    pub(super) fn free_variables(
        &mut self,
        consumes: &[S<spec::Consumes>],
        binds: &mut Vec<BindVar>,
    ) {
        let mut found: Vec<(String, Pos)> = Vec::new();
        for entry in consumes
            .iter()
            .map(|c| &c.value)
            .filter(|c| c.import.is_none())
        {
            if let Some(auth) = &entry.authentication {
                let a = &auth.value;
                for text in [&a.token, &a.value, &a.username, &a.password]
                    .into_iter()
                    .flatten()
                {
                    uses(&text.value, pos(text), true, &mut found);
                }
            }
            for param in &entry.input_parameters {
                if let Some((text, at)) = param_text(param) {
                    uses(text, at, true, &mut found);
                }
            }
            let deeper = entry.resources.iter().flat_map(|r| {
                r.value.input_parameters.iter().chain(
                    r.value
                        .operations
                        .iter()
                        .flat_map(|o| &o.value.input_parameters),
                )
            });
            for param in deeper {
                if let Some((text, at)) = param_text(param) {
                    uses(text, at, false, &mut found);
                }
            }
        }
        for (name, at) in found {
            if binds.iter().any(|b| b.name == name) {
                continue;
            }
            let setter = match naming::field_ident(&name) {
                Ok(setter) => setter,
                Err(why) => {
                    self.diags.error(at, format!("bind variable {why}"));
                    continue;
                }
            };
            self.diags
                .note(
                    at,
                    format!(
                        "`{name}` is a free variable of this consumes library: a capability importing it binds `{name}`; generated on its own, it is read from the environment variable `{name}`"
                    ),
                )
                .help(format!(
                    "the generated client also sets it with `.{setter}(...)`; declare `binds` in this file to read it from elsewhere"
                ));
            binds.push(BindVar {
                source: name.clone(),
                name,
                setter,
                file: None,
            });
        }
        self.bind_names = binds.iter().map(|b| b.name.clone()).collect();
    }
}

/// A parameter's `value` when it is a string, and where it is.
fn param_text(param: &S<spec::Param>) -> Option<(&str, Pos)> {
    let value = param.value.value.as_ref()?;
    match &value.value {
        Scalar::Str(text) => Some((text, pos(value))),
        _ => None,
    }
}

/// Records the variables `text` uses that a bind must provide: all of them where `bind_only`,
/// else those written `{{env.NAME}}`. Malformed templates are reported where they are read.
fn uses(text: &str, at: Pos, bind_only: bool, found: &mut Vec<(String, Pos)>) {
    let Ok(pieces) = template::split(text, false) else {
        return;
    };
    for piece in pieces {
        let Piece::Variable { name, .. } = piece else {
            continue;
        };
        if !bind_only && !name.starts_with("env.") {
            continue;
        }
        let var = name.rsplit('.').next().unwrap_or(&name).to_owned();
        if !found.iter().any(|(n, _)| *n == var) {
            found.push((var, at));
        }
    }
}
