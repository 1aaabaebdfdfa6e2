//! Prints a synthetic spec with N operations (default 100), as the codegen benchmarks use:
//! `cargo run -p naftiko-codegen --example make_spec -- 1000 > /tmp/spec.yaml`.

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

fn main() {
    let n = std::env::args().nth(1).map_or(100, |a| {
        a.parse().expect("N must be a number of operations")
    });
    print!("{}", synthetic::spec(n));
}
