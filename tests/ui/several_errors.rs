naftiko::capability!("tests/ui/specs/several_errors.yaml");

fn main() {}
