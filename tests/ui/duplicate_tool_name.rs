naftiko::capability!("tests/ui/specs/duplicate_tool_name.yaml");

fn main() {}
