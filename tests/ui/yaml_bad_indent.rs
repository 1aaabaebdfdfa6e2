naftiko::capability!("tests/ui/specs/yaml_bad_indent.yaml");

fn main() {}
