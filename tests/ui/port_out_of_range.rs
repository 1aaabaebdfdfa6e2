naftiko::capability!("tests/ui/specs/port_out_of_range.yaml");

fn main() {}
