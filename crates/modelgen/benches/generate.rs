//! `cargo bench -p amplifybackend-modelgen`: generate() on synthetic app schemas of 5,
//! 50 and 500 models with relations. The schemas are also written to
//! `target/modelgen-bench/` so `benches/oracle-time.sh` can time Amplify's generator
//! on exactly the same input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;

/// An app schema of `n` models: a chain of hasMany/belongsTo, a hasOne every 7th
/// model, a manyToMany every 10th, indexes, owner/group/public auth, enums and
/// nested non-models.
pub fn app_schema(n: usize) -> String {
    let mut s = String::new();
    s.push_str("enum Status { DRAFT ACTIVE ARCHIVED }\n\n");
    s.push_str("type Geo { lat: Float! lng: Float! }\n\n");
    s.push_str("type Meta { tags: [String!] geo: Geo views: Int }\n\n");
    for i in 0..n {
        let _ = writeln!(
            s,
            "type M{i} @model @auth(rules: [{{ allow: owner }}, {{ allow: groups, groups: [\"Admin\"] }}, {{ allow: public, provider: apiKey, operations: [read] }}]) {{"
        );
        s.push_str("  id: ID!\n");
        s.push_str("  name: String! @index(name: \"byName\", queryField: \"byName");
        let _ = writeln!(s, "{i}\")");
        s.push_str("  count: Int\n  createdOn: AWSDateTime\n  status: Status\n  meta: Meta\n  email: AWSEmail\n  ratio: Float\n");
        if i + 1 < n {
            let _ = writeln!(s, "  children: [M{}] @hasMany", i + 1);
        }
        if i > 0 {
            let _ = writeln!(s, "  parent: M{} @belongsTo", i - 1);
        }
        if i % 7 == 0 && i + 3 < n {
            let _ = writeln!(s, "  buddy: M{} @hasOne", i + 3);
        }
        if i % 10 == 0 && i + 5 < n {
            let _ = writeln!(
                s,
                "  peers: [M{}] @manyToMany(relationName: \"Rel{i}\")",
                i + 5
            );
        }
        if i % 10 == 5 && i >= 5 {
            let _ = writeln!(
                s,
                "  peersOf: [M{}] @manyToMany(relationName: \"Rel{}\")",
                i - 5,
                i - 5
            );
        }
        s.push_str("}\n\n");
    }
    s
}

fn bench(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/modelgen-bench");
    let _ = std::fs::create_dir_all(&dir);
    let mut group = c.benchmark_group("generate");
    for (label, n) in [("small", 5), ("medium", 50), ("large", 500)] {
        let schema = app_schema(n);
        let _ = std::fs::write(dir.join(format!("{label}.graphql")), &schema);
        modelgen::generate(&schema).expect("bench schema compiles");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new(label, n), &schema, |b, s| {
            b.iter(|| modelgen::generate(black_box(s)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
