naftiko::capability!("tests/ui/specs/bad_output_schema.yaml");

fn main() {}
