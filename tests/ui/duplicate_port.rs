naftiko::capability!("tests/ui/specs/duplicate_port.yaml");

fn main() {}
