//! Diagnostics are data: collected during a run, never printed here.

use std::fmt;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information about how the spec is read; never an error, not even in strict mode.
    Note,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A 1-based position in the spec file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u64,
    pub column: u64,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub(crate) fn of(location: &serde_saphyr::Location) -> Pos {
        if location.line() == 0 {
            Pos::START
        } else {
            Pos {
                line: location.line(),
                column: location.column().max(1),
            }
        }
    }
}

/// One finding about a spec, located in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The spec file as the user named it.
    pub file: String,
    pub pos: Pos,
    pub message: String,
    /// What to do about it, when there is something to say.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: severity: message`, then an indented help line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.pos.line, self.pos.column, self.severity, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

impl Diagnostic {
    /// The diagnostic followed by the source line it points at and a caret.
    pub fn render(&self, source: &str) -> String {
        let mut out = format!(
            "{}:{}:{}: {}: {}",
            self.file, self.pos.line, self.pos.column, self.severity, self.message
        );
        let line_no = usize::try_from(self.pos.line).unwrap_or(0);
        if let Some(line) = line_no
            .checked_sub(1)
            .and_then(|i| yaml_lines(source).nth(i))
        {
            let gutter = line_no.to_string().len();
            let col = usize::try_from(self.pos.column).unwrap_or(1).max(1);
            let caret_pad: String = line
                .chars()
                .take(col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!(
                "\n{:gutter$} |\n{line_no} | {line}\n{:gutter$} | {caret_pad}^",
                "", ""
            ));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("\n  = help: {help}"));
        }
        out
    }
}

/// The lines of `source` as YAML counts them: a lone CR ends a line too (`str::lines` would
/// show the wrong line, or none, for a file with old Mac line ends).
fn yaml_lines(source: &str) -> impl Iterator<Item = &str> {
    source
        .split("\r\n")
        .flat_map(|chunk| chunk.split(['\r', '\n']))
}

/// Every finding of one run, in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    file: String,
    list: Vec<Diagnostic>,
    strict: bool,
}

impl Diagnostics {
    pub(crate) fn new(file: impl Into<String>, strict: bool) -> Self {
        Diagnostics {
            file: file.into(),
            list: Vec::new(),
            strict,
        }
    }

    pub(crate) fn error(&mut self, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Severity::Error, pos, message.into())
    }

    /// How the spec is read, where it is not obvious; stays a note in strict mode.
    pub(crate) fn note(&mut self, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Severity::Note, pos, message.into())
    }

    /// A deviation from the official schema that we accept; an error in strict mode.
    pub(crate) fn lenient(&mut self, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        let severity = if self.strict {
            Severity::Error
        } else {
            Severity::Warning
        };
        self.push(severity, pos, message.into())
    }

    /// Records a finding once: the same message at the same place (a resource path read for
    /// each of its operations, say) is one finding.
    fn push(&mut self, severity: Severity, pos: Pos, message: String) -> &mut Diagnostic {
        if let Some(i) = self
            .list
            .iter()
            .position(|d| d.severity == severity && d.pos == pos && d.message == message)
        {
            return &mut self.list[i];
        }
        self.list.push(Diagnostic {
            severity,
            file: self.file.clone(),
            pos,
            message,
            help: None,
        });
        self.list.last_mut().expect("just pushed")
    }

    /// Points the following diagnostics at another file (an imported one); returns the old name.
    pub(crate) fn set_file(&mut self, file: String) -> String {
        std::mem::replace(&mut self.file, file)
    }

    /// Deviations are errors in strict mode.
    pub(crate) fn strict(&self) -> bool {
        self.strict
    }

    /// Appends another run's diagnostics (an imported file's parse).
    pub(crate) fn absorb(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// How many findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.list.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many errors so far: a part of the spec is sound when this did not grow over it.
    pub(crate) fn error_count(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every diagnostic rendered with its source line, separated by blank lines. `source` is
    /// the text of the spec itself: a diagnostic located in an imported file gets no line
    /// under it rather than the spec's line of the same number.
    pub fn render(&self, source: &str) -> String {
        self.list
            .iter()
            .map(|d| d.render(if d.file == self.file { source } else { "" }))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

impl Diagnostic {
    pub(crate) fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.list.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_counts_lines_as_yaml_does() {
        let diagnostic = Diagnostic {
            severity: Severity::Error,
            file: "x.yaml".to_owned(),
            pos: Pos { line: 3, column: 2 },
            message: "bad".to_owned(),
            help: None,
        };
        for source in ["a\rb\rcd\r", "a\r\nb\ncd", "a\nb\r\ncd\n"] {
            let shown = diagnostic.render(source);
            assert!(shown.contains("3 | cd\n  |  ^"), "{source:?}: {shown}");
        }
    }
}
