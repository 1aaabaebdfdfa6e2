naftiko::capability!("tests/ui/specs/unknown_version.yaml");

fn main() {}
