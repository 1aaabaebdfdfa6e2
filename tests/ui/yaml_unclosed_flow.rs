naftiko::capability!("tests/ui/specs/yaml_unclosed_flow.yaml");

fn main() {}
