//! Small helpers the compiled output mappings call.

use serde_json::Value;

/// A null to point at when a path selects nothing.
pub static NULL: Value = Value::Null;

/// Every element of an array, or every value of an object (`[*]`).
pub fn each(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(map)) => map.values().collect(),
        _ => Vec::new(),
    }
}

/// Element `index` of an array; negative counts from the end.
pub fn index(value: Option<&Value>, index: i64) -> Option<&Value> {
    let items = value?.as_array()?;
    let i = if index < 0 {
        items
            .len()
            .checked_sub(usize::try_from(index.unsigned_abs()).ok()?)?
    } else {
        usize::try_from(index).ok()?
    };
    items.get(i)
}

/// A constant written into generated code as JSON text.
pub fn constant(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn helpers() {
        let v = json!([1, 2, 3]);
        assert_eq!(index(Some(&v), -1), Some(&json!(3)));
        assert_eq!(index(Some(&v), 5), None);
        assert_eq!(each(Some(&json!({"a": 1}))), vec![&json!(1)]);
        assert_eq!(constant("[1]"), json!([1]));
    }
}
