naftiko::capability!("tests/ui/specs/hint_not_boolean.yaml");

fn main() {}
