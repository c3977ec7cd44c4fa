//! Runs `generate` on a schema file a number of times, for profilers (callgrind):
//! `cargo run --release -p amplifybackend-modelgen --example profile -- FILE [N]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: profile FILE [N]")?;
    let n: usize = args.next().map_or(Ok(1), |s| s.parse())?;
    let schema = std::fs::read_to_string(path)?;
    let mut bytes = 0;
    for _ in 0..n {
        let out = modelgen::generate(&schema)?;
        bytes += out.model_introspection.len() + out.models_js.len();
    }
    println!("{bytes} bytes");
    Ok(())
}
