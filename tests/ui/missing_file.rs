naftiko::capability!("tests/ui/specs/missing_file.yaml");

fn main() {}
