naftiko::capability!("tests/ui/specs/unknown_bind_variable.yaml");

fn main() {}
