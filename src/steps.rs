//! What compiled orchestration `steps` share: step outputs, lookups, mapped results.

use serde_json::{Map, Value};

use crate::client::RawResponse;
use crate::error::ClientError;
use crate::formats::Format;

/// The outputs of the steps so far, by step name: the root of step JSONPaths
/// (`$.get-ship.vessel_name`).
#[derive(Debug, Default)]
pub struct Context {
    root: Value,
}

impl Context {
    pub fn new() -> Self {
        Context {
            root: Value::Object(Map::new()),
        }
    }

    pub fn insert(&mut self, step: &str, output: Value) {
        if let Value::Object(map) = &mut self.root {
            map.insert(step.to_owned(), output);
        }
    }

    pub fn get(&self, step: &str) -> Option<&Value> {
        self.root.get(step)
    }

    pub fn root(&self) -> &Value {
        &self.root
    }
}

/// A call step's output: the upstream body decoded, or the failure named after the step.
pub fn output(
    step: &'static str,
    result: Result<RawResponse, ClientError>,
    format: Format,
) -> Result<Value, ClientError> {
    result
        .and_then(RawResponse::error_for_status)
        .and_then(|raw| raw.decode(format))
        .map_err(|source| ClientError::Step {
            step,
            source: Box::new(source),
        })
}

/// The entries of `index` (an array) whose `match_field` equals `value`, cut down to `fields`.
/// An array `value` gives an array with one entry per value found (in its order); a single
/// value gives the matching entry, or null.
pub fn lookup(index: Option<&Value>, match_field: &str, value: &Value, fields: &[&str]) -> Value {
    let entries: &[Value] = match index {
        Some(Value::Array(items)) => items,
        _ => &[],
    };
    let find = |wanted: &Value| {
        entries
            .iter()
            .find(|entry| entry.get(match_field).is_some_and(|v| same(v, wanted)))
            .map(|entry| {
                let picked: Map<String, Value> = fields
                    .iter()
                    .map(|f| {
                        (
                            (*f).to_owned(),
                            entry.get(*f).cloned().unwrap_or(Value::Null),
                        )
                    })
                    .collect();
                Value::Object(picked)
            })
    };
    match value {
        Value::Array(wanted) => Value::Array(wanted.iter().filter_map(find).collect()),
        wanted => find(wanted).unwrap_or(Value::Null),
    }
}

/// JSON equality, with a number and its decimal string equal (ids are written both ways).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
            *s == n.to_string()
        }
        _ => a == b,
    }
}

/// Sets `out.<path>` (dot-separated `targetName`), creating objects on the way.
pub fn set(out: &mut Value, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        *out = value;
        return;
    };
    let mut node = out;
    for key in parents {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        node = match node {
            Value::Object(map) => map
                .entry((*key).to_owned())
                .or_insert_with(|| Value::Object(Map::new())),
            _ => unreachable!("made an object above"),
        };
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    if let Value::Object(map) = node {
        map.insert((*last).to_owned(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookup_matches_each_value_in_order_and_keeps_fields() {
        let index = json!([
            {"crewId": "c1", "fullName": "Ann", "role": "captain", "age": 50},
            {"crewId": "c2", "fullName": "Bo", "role": "cook"},
        ]);
        let found = lookup(
            Some(&index),
            "crewId",
            &json!(["c2", "c9", "c1"]),
            &["fullName", "role"],
        );
        assert_eq!(
            found,
            json!([{"fullName": "Bo", "role": "cook"}, {"fullName": "Ann", "role": "captain"}])
        );
        assert_eq!(
            lookup(Some(&index), "crewId", &json!("c1"), &["role"]),
            json!({"role": "captain"})
        );
        assert_eq!(
            lookup(Some(&index), "crewId", &json!("zz"), &["role"]),
            Value::Null
        );
        assert_eq!(lookup(None, "crewId", &json!("c1"), &["role"]), Value::Null);
    }

    #[test]
    fn lookup_matches_numbers_and_their_strings() {
        let index = json!([{"id": 7, "name": "x"}]);
        assert_eq!(
            lookup(Some(&index), "id", &json!("7"), &["name"]),
            json!({"name": "x"})
        );
    }

    #[test]
    fn set_builds_nested_objects() {
        let mut out = Value::Null;
        set(&mut out, &["route", "from"], json!("A"));
        set(&mut out, &["route", "to"], json!("B"));
        set(&mut out, &["id"], json!(1));
        assert_eq!(out, json!({"route": {"from": "A", "to": "B"}, "id": 1}));
    }
}
