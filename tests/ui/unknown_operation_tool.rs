naftiko::capability!("tests/ui/specs/unknown_operation_tool.yaml");

fn main() {}
