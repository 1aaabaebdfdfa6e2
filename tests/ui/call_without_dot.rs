naftiko::capability!("tests/ui/specs/call_without_dot.yaml");

fn main() {}
