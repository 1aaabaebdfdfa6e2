naftiko::capability!("tests/ui/specs/yaml_unclosed_flow_midfile.yaml");

fn main() {}
