//! Incoming parameters (REST requests and MCP arguments) checked and typed.

use std::fmt;

use serde_json::Value;

/// A parameter that is missing or does not fit its declared type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub parameter: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parameter `{}`: {}", self.parameter, self.message)
    }
}

impl std::error::Error for InputError {}

fn error(name: &str, message: impl Into<String>) -> InputError {
    InputError {
        parameter: name.to_owned(),
        message: message.into(),
    }
}

/// A present value, or an error naming the missing parameter.
pub fn required<T>(name: &str, value: Option<T>) -> Result<T, InputError> {
    value.ok_or_else(|| error(name, "is required"))
}

/// A `pattern` of the spec, compiled once, on first use, by the engine the generator
/// checked it with at build time.
pub struct Pattern {
    source: &'static str,
    compiled: std::sync::OnceLock<Result<regex::Regex, regex::Error>>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Unanchored, as JSON Schema's `pattern`: `^` and `$` anchor where the spec says so.
    fn is_match(&self, value: &str) -> Result<bool, &regex::Error> {
        self.compiled
            .get_or_init(|| regex::Regex::new(self.source))
            .as_ref()
            .map(|re| re.is_match(value))
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// A present string value checked against the input's `pattern`.
pub fn matching(
    name: &str,
    value: Option<String>,
    pattern: &Pattern,
) -> Result<Option<String>, InputError> {
    match &value {
        Some(v) => match pattern.is_match(v) {
            Ok(true) => Ok(value),
            Ok(false) => Err(error(
                name,
                format!("does not match the pattern `{}`", pattern.source),
            )),
            // The generator compiled it with the same crate; kept an error, never a panic.
            Err(e) => Err(error(name, format!("its pattern does not compile: {e}"))),
        },
        None => Ok(None),
    }
}

/// Textual values: path segments, query values, headers, cookies.
pub mod text {
    use super::{InputError, error};

    pub fn string(_name: &str, raw: Option<&str>) -> Result<Option<String>, InputError> {
        Ok(raw.map(str::to_owned))
    }

    pub fn integer(name: &str, raw: Option<&str>) -> Result<Option<i64>, InputError> {
        raw.map(|r| {
            r.trim()
                .parse()
                .map_err(|_| error(name, format!("expected an integer, found `{r}`")))
        })
        .transpose()
    }

    pub fn number(name: &str, raw: Option<&str>) -> Result<Option<f64>, InputError> {
        raw.map(|r| match r.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(error(name, format!("expected a number, found `{r}`"))),
        })
        .transpose()
    }

    pub fn boolean(name: &str, raw: Option<&str>) -> Result<Option<bool>, InputError> {
        raw.map(|r| match r.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(error(name, format!("expected true or false, found `{r}`"))),
        })
        .transpose()
    }

    /// An array or object given as JSON text.
    pub fn json(name: &str, raw: Option<&str>) -> Result<Option<serde_json::Value>, InputError> {
        raw.map(|r| serde_json::from_str(r).map_err(|e| error(name, format!("expected JSON: {e}"))))
            .transpose()
    }
}

/// JSON values: MCP arguments and request-body members. `null` counts as absent.
pub mod json {
    use serde_json::Value;

    use super::{InputError, error};

    fn describe(v: &Value) -> &'static str {
        match v {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    fn present(v: Option<&Value>) -> Option<&Value> {
        v.filter(|v| !v.is_null())
    }

    pub fn string(name: &str, v: Option<&Value>) -> Result<Option<String>, InputError> {
        present(v)
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(error(
                    name,
                    format!("expected a string, found {}", describe(other)),
                )),
            })
            .transpose()
    }

    pub fn integer(name: &str, v: Option<&Value>) -> Result<Option<i64>, InputError> {
        present(v)
            .map(|v| {
                v.as_i64().ok_or_else(|| {
                    error(name, format!("expected an integer, found {}", describe(v)))
                })
            })
            .transpose()
    }

    pub fn number(name: &str, v: Option<&Value>) -> Result<Option<f64>, InputError> {
        present(v)
            .map(|v| {
                v.as_f64()
                    .ok_or_else(|| error(name, format!("expected a number, found {}", describe(v))))
            })
            .transpose()
    }

    pub fn boolean(name: &str, v: Option<&Value>) -> Result<Option<bool>, InputError> {
        present(v)
            .map(|v| {
                v.as_bool().ok_or_else(|| {
                    error(name, format!("expected a boolean, found {}", describe(v)))
                })
            })
            .transpose()
    }

    pub fn array(name: &str, v: Option<&Value>) -> Result<Option<Value>, InputError> {
        present(v)
            .map(|v| match v {
                Value::Array(_) => Ok(v.clone()),
                other => Err(error(
                    name,
                    format!("expected an array, found {}", describe(other)),
                )),
            })
            .transpose()
    }

    pub fn object(name: &str, v: Option<&Value>) -> Result<Option<Value>, InputError> {
        present(v)
            .map(|v| match v {
                Value::Object(_) => Ok(v.clone()),
                other => Err(error(
                    name,
                    format!("expected an object, found {}", describe(other)),
                )),
            })
            .transpose()
    }
}

/// How a typed input becomes an upstream parameter's text.
pub trait ToParam {
    fn to_param(&self) -> String;
}

impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ToParam for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }
}

impl ToParam for i64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for f64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for Value {
    /// Strings as they are; everything else as JSON text.
    fn to_param(&self) -> String {
        match self {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_types() {
        assert_eq!(text::integer("n", Some("42")).unwrap(), Some(42));
        assert!(
            text::integer("n", Some("4x"))
                .unwrap_err()
                .message
                .contains("`4x`")
        );
        assert_eq!(text::boolean("b", Some("true")).unwrap(), Some(true));
        assert!(text::number("x", Some("NaN")).is_err());
        assert_eq!(text::string("s", None).unwrap(), None);
    }

    #[test]
    fn json_types_name_the_parameter() {
        let e = json::string("imo", Some(&json!(5))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "parameter `imo`: expected a string, found a number"
        );
        assert_eq!(json::integer("n", Some(&json!(3))).unwrap(), Some(3));
        assert_eq!(json::string("s", Some(&Value::Null)).unwrap(), None);
        assert!(required::<String>("s", None).is_err());
    }

    #[test]
    fn patterns_search_unanchored_and_name_the_parameter() {
        static IMO: Pattern = Pattern::new("^IMO[0-9]{7}$");
        static DIGIT: Pattern = Pattern::new("[0-9]");
        assert_eq!(
            matching("imo", Some("IMO9321483".into()), &IMO).unwrap(),
            Some("IMO9321483".into())
        );
        let e = matching("imo", Some("IMO93".into()), &IMO).unwrap_err();
        assert_eq!(
            e.to_string(),
            "parameter `imo`: does not match the pattern `^IMO[0-9]{7}$`"
        );
        assert!(matching("x", Some("ab1cd".into()), &DIGIT).is_ok());
        assert_eq!(matching("x", None, &DIGIT).unwrap(), None);
    }

    #[test]
    fn a_pattern_that_does_not_compile_is_an_error_not_a_panic() {
        static BAD: Pattern = Pattern::new("(");
        let e = matching("x", Some("a".into()), &BAD).unwrap_err();
        assert!(e.message.contains("does not compile"), "{e}");
    }
}
