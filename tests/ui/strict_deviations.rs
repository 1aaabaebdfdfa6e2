// The showcase itself, with its schema deviations turned into errors.
naftiko::capability!("tests/ui/specs/strict_deviations.yaml", strict);

fn main() {}
