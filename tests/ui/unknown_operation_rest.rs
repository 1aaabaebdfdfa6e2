naftiko::capability!("tests/ui/specs/unknown_operation_rest.yaml");

fn main() {}
