naftiko::capability!("tests/ui/specs/unknown_http_method.yaml");

fn main() {}
