naftiko::capability!("tests/ui/specs/missing_version.yaml");

fn main() {}
