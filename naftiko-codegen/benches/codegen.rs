//! Codegen benchmarks (issue 6): `generate` (parse + validate + emit) and `Generated::pretty`
//! (prettyplease) for synthetic specs of 3, 100, 1,000 and 5,000 operations.
//!
//! `cargo bench -p naftiko-codegen --bench codegen` (release) and the same with
//! `--profile dev`, the profile proc macros are built with. `bench/run.sh codegen` runs both.
//! Throughput is in operations, so criterion also reports operations per second.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use naftiko_codegen::{Input, generate};

#[path = "support/synthetic.rs"]
mod synthetic;

const SIZES: [usize; 4] = [3, 100, 1_000, 5_000];

fn codegen(c: &mut Criterion) {
    let specs: Vec<(usize, String)> = SIZES.iter().map(|&n| (n, synthetic::spec(n))).collect();
    let input = |text| Input {
        file: "synthetic.yaml",
        text,
        strict: false,
    };

    let mut group = c.benchmark_group("generate");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    for (n, text) in &specs {
        let generated = generate(&input(text)).expect("synthetic specs are valid");
        let cap = &generated.capability;
        assert_eq!(cap.clients[0].operations.len(), *n);
        assert_eq!(cap.rest[0].operations.len(), *n);
        assert_eq!(cap.mcp[0].tools.len(), *n);
        group.throughput(Throughput::Elements(*n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &input(text), |b, i| {
            b.iter(|| generate(black_box(i)));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("pretty");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    for (n, text) in &specs {
        let generated = generate(&input(text)).expect("synthetic specs are valid");
        group.throughput(Throughput::Elements(*n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &generated, |b, g| {
            b.iter(|| black_box(g).pretty());
        });
    }
    group.finish();
}

criterion_group!(benches, codegen);
criterion_main!(benches);
