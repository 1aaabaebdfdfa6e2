//! Synthetic capability specs of any size, for the codegen benchmarks.
//!
//! `spec(n)`: one consumed API with `n` operations on static paths (apikey auth from a bind),
//! each exposed as one REST operation and one MCP tool. Methods cycle GET/POST/DELETE/PUT;
//! outputs alternate pass-through (`$.`) and a member chain (`$.data.item`): what the
//! generator supports today.

use std::fmt::Write as _;

const METHODS: [&str; 4] = ["GET", "POST", "DELETE", "PUT"];

/// The YAML text of a spec with `n` operations.
pub(crate) fn spec(n: usize) -> String {
    let mut s = String::with_capacity(600 * n + 1_000);
    s.push_str(
        "naftiko: 1.0.0-alpha2\n\
         info:\n  label: Synthetic inventory API\n  description: Generated for the codegen benchmarks.\n\
         binds:\n- namespace: env\n  keys:\n    INVENTORY_API_KEY: INVENTORY_API_KEY\n\
         capability:\n  consumes:\n  - type: http\n    namespace: inventory\n\
         \x20   baseUri: https://inventory.example.com/api\n    description: The upstream inventory API.\n\
         \x20   authentication:\n      type: apikey\n      key: x-api-key\n\
         \x20     value: '{{env.INVENTORY_API_KEY}}'\n      placement: header\n\
         \x20   resources:\n",
    );
    for i in 0..n {
        let method = METHODS[i % METHODS.len()];
        let _ = write!(
            s,
            "    - name: item{i}\n      path: /items/item-{i}\n      operations:\n\
             \x20     - name: op{i}\n        method: {method}\n\
             \x20       description: Operation {i} on item {i}\n        outputRawFormat: json\n\
             \x20       outputParameters:\n        - name: result\n          type: object\n\
             \x20         value: $.\n"
        );
    }
    s.push_str(
        "  exposes:\n  - type: rest\n    namespace: inventory-rest\n    port: 8080\n\
         \x20   resources:\n",
    );
    for i in 0..n {
        let method = METHODS[i % METHODS.len()];
        let _ = write!(
            s,
            "    - path: /v1/items/item-{i}\n      name: item{i}\n      operations:\n\
             \x20     - method: {method}\n        name: op{i}\n\
             \x20       description: Operation {i} on item {i}\n        call: inventory.op{i}\n\
             \x20       outputParameters:\n        - mapping: {}\n",
            mapping(i)
        );
    }
    s.push_str(
        "  - type: mcp\n    namespace: inventory-mcp\n    port: 9090\n    transport: http\n\
         \x20   tools:\n",
    );
    for i in 0..n {
        let method = METHODS[i % METHODS.len()];
        let read_only = method == "GET";
        let _ = write!(
            s,
            "    - name: item-{i}-{}\n      description: Operation {i} on item {i}\n\
             \x20     hints:\n        readOnly: {read_only}\n        destructive: {}\n\
             \x20       idempotent: {}\n      call: inventory.op{i}\n\
             \x20     outputParameters:\n      - mapping: {}\n",
            method.to_ascii_lowercase(),
            method == "DELETE",
            method != "POST",
            mapping(i)
        );
    }
    s
}

fn mapping(i: usize) -> &'static str {
    if i.is_multiple_of(2) {
        "$."
    } else {
        "$.data.item"
    }
}
