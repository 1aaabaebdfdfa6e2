naftiko::capability!("tests/ui/specs/unknown_namespace.yaml");

fn main() {}
