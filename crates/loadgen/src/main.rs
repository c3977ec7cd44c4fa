//! `loadgen`: drives a running amplifybackend server (or one it starts) with signed
//! requests for a fixed time and reports throughput, latency (client and server side),
//! errors, and the server's CPU and memory per request; `loadgen ceiling` serves the
//! bare axum + SQLite/PostgreSQL reference the results are compared with; `loadgen
//! compare` measures both in one run and prints the ratios (BENCHMARKS.md, "Server").

mod ceiling;
mod load;
mod proc;
mod prom;
mod seed;
mod spawn;

use clap::{Args, Parser, Subcommand};
use std::time::Duration;

/// Result of the tool's commands: errors are reported in words and end the run.
pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[derive(Debug, Parser)]
#[command(name = "loadgen", about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the bare axum reference (one statement per request) until killed.
    Ceiling(ceiling::CeilingArgs),
    /// Server and ceiling, one after the other on fresh databases, at each concurrency:
    /// GetBackend vs ceiling reads, CreateBackend vs ceiling writes; prints the ratios.
    Compare(CompareArgs),
    /// Fill a database through the store crate (apps, and jobs in one environment).
    Seed(seed::SeedArgs),
    /// Start the server on a database several times and report start-to-healthy.
    Startup(StartupArgs),
}

/// The load run (the default command).
#[derive(Debug, Args, Clone)]
pub struct RunArgs {
    /// Base URL of a running server (`http://127.0.0.1:4750`); not with --spawn.
    #[arg(long)]
    target: Option<String>,
    /// Start this `amplifybackend` binary (on --database-url, or a fresh SQLite file)
    /// and measure it; it is stopped at the end.
    #[arg(long, conflicts_with = "target")]
    spawn: Option<std::path::PathBuf>,
    /// Database of the spawned server (default: a fresh SQLite file in a temp directory).
    #[arg(long)]
    database_url: Option<String>,
    /// Concurrent connections (each one keep-alive HTTP/1.1 connection, one request in
    /// flight).
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// How long to drive load (`10s`, `500ms`, `1m`).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,
    /// Unmeasured warm-up before the run.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    warmup: Duration,
    /// What to send.
    #[arg(long, value_enum, default_value_t = load::Mix::Mixed)]
    mix: load::Mix,
    /// The server's process id, for CPU and RSS (default: the spawned server, or the
    /// process listening on the target's port).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Read an existing app instead of creating apps to read (read mixes).
    #[arg(long)]
    app_id: Option<String>,
    /// Spawn the server with `--credentials` so that it verifies every signature.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    verify: bool,
}

#[derive(Debug, Args)]
struct CompareArgs {
    /// The `amplifybackend` binary.
    #[arg(long)]
    server: std::path::PathBuf,
    /// Also compare on this PostgreSQL database (each run uses a fresh schema).
    #[arg(long)]
    postgres: Option<String>,
    /// Concurrencies to measure.
    #[arg(long, value_delimiter = ',', default_value = "16,64")]
    concurrency: Vec<usize>,
    /// Measured time of each run.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,
    /// Unmeasured warm-up before each run.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    warmup: Duration,
    /// Spawn the server with `--credentials` so that it verifies every signature.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    verify: bool,
    /// Rounds of each comparison: server and ceiling take turns, each round one run of
    /// `--duration` on each side; the table pools the rounds and shows the lowest and
    /// highest round's ratio.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Ceiling writes: group commit (as the server) or one commit per request.
    #[arg(long, value_enum, default_value_t = ceiling::WriteMode::Group)]
    ceiling_writes: ceiling::WriteMode,
}

#[derive(Debug, Args)]
struct StartupArgs {
    /// The `amplifybackend` binary.
    #[arg(long)]
    server: std::path::PathBuf,
    /// The database (default: a fresh, empty SQLite file each time).
    #[arg(long)]
    database_url: Option<String>,
    /// How many starts.
    #[arg(long, default_value_t = 5)]
    repeat: usize,
}

/// `10s`, `250ms`, `2m`, or bare seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((text, "s"), |i| text.split_at(i));
    let value: f64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration like 10s"))?;
    let secs = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("'{text}': the unit must be ms, s or m")),
    };
    Duration::try_from_secs_f64(secs).map_err(|e| e.to_string())
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("loadgen: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            None => load::run_command(cli.run).await,
            Some(Command::Ceiling(args)) => ceiling::serve(args).await,
            Some(Command::Seed(args)) => seed::run(args).await,
            Some(Command::Startup(args)) => {
                spawn::startup(&args.server, args.database_url.as_deref(), args.repeat).await
            }
            Some(Command::Compare(args)) => compare(args).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// One row of the comparison.
struct Row {
    engine: &'static str,
    concurrency: usize,
    what: &'static str,
    server: load::Report,
    ceiling: load::Report,
    /// Each round's ratio of operations per second.
    ratios: Vec<f64>,
}

/// The ratio of all rounds together and, with several rounds, the lowest and highest
/// round's: `52% (48–55%)`.
fn ratio_cell(row: &Row) -> String {
    let total = 100.0 * row.server.ops_per_sec() / row.ceiling.ops_per_sec().max(1e-9);
    let lowest = row.ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = row.ratios.iter().copied().fold(0.0, f64::max);
    if row.ratios.len() < 2 {
        return format!("{total:.0}%");
    }
    format!(
        "{total:.0}% ({:.0}–{:.0}%)",
        100.0 * lowest,
        100.0 * highest
    )
}

async fn compare(args: CompareArgs) -> Res<()> {
    let mut engines: Vec<(&'static str, Option<String>)> = vec![("SQLite", None)];
    if let Some(pg) = &args.postgres {
        engines.push(("PostgreSQL", Some(pg.clone())));
    }
    let me = std::env::current_exe()?;
    let mut rows = Vec::new();
    for (engine, pg) in &engines {
        for &c in &args.concurrency {
            let run = |mix: load::Mix| RunArgs {
                target: None,
                spawn: None,
                database_url: None,
                concurrency: c,
                duration: args.duration,
                warmup: args.warmup,
                mix,
                server_pid: None,
                app_id: None,
                verify: args.verify,
            };
            let fresh = || match pg {
                Some(url) => Ok(spawn::fresh_pg_schema(url)),
                None => spawn::fresh_sqlite_url(),
            };
            let (db, ceiling_db) = (fresh()?, fresh()?);
            let server = spawn::Spawned::server(&args.server, &db, args.verify).await?;
            println!(
                "# {engine} c={c}: server started in {:.1} ms, idle RSS {:.1} MB",
                server.startup.as_secs_f64() * 1e3,
                proc::rss_kb(server.pid()).unwrap_or(0) as f64 / 1024.0
            );
            let ceiling = spawn::Spawned::ceiling(&me, &ceiling_db, args.ceiling_writes).await?;
            // Server and ceiling take turns, so that a slow spell of the machine falls on
            // both sides of a ratio rather than on one.
            let mut measured: Vec<(load::Report, load::Report, Vec<f64>)> = Vec::new();
            for round in 1..=args.rounds.max(1) {
                let turns = [
                    (
                        load::Mix::GetBackend,
                        load::Mix::CeilingRead,
                        "GetBackend",
                        "ceiling read",
                    ),
                    (
                        load::Mix::CreateBackend,
                        load::Mix::CeilingWrite,
                        "CreateBackend",
                        "ceiling write",
                    ),
                ];
                for (i, (mix, reference, name, reference_name)) in turns.into_iter().enumerate() {
                    let ours = load::run(&run(mix), &server.base, Some(server.pid())).await?;
                    ours.print(&format!("{engine} c={c} {name} (round {round})"));
                    let theirs =
                        load::run(&run(reference), &ceiling.base, Some(ceiling.pid())).await?;
                    theirs.print(&format!("{engine} c={c} {reference_name} (round {round})"));
                    let ratio = ours.ops_per_sec() / theirs.ops_per_sec().max(1e-9);
                    match measured.get_mut(i) {
                        Some((all_ours, all_theirs, ratios)) => {
                            all_ours.merge(ours);
                            all_theirs.merge(theirs);
                            ratios.push(ratio);
                        }
                        None => measured.push((ours, theirs, vec![ratio])),
                    }
                }
            }
            server.stop().await;
            ceiling.stop().await;
            match pg {
                Some(_) => spawn::drop_pg_schema(&db).await?,
                None => {
                    spawn::remove_sqlite(&db);
                    spawn::remove_sqlite(&ceiling_db);
                }
            }
            let whats = ["GetBackend / ceiling read", "CreateBackend / ceiling write"];
            for (what, (server, ceiling, ratios)) in whats.into_iter().zip(measured) {
                rows.push(Row {
                    engine,
                    concurrency: c,
                    what,
                    server,
                    ceiling,
                    ratios,
                });
            }
        }
    }
    println!();
    println!(
        "| engine | c | operation / reference | server ops/s | ceiling ops/s | ratio (rounds' lowest–highest) | server p50 / p99 / max (ms) | ceiling p99 (ms) | server CPU/req (µs) | ceiling CPU/req (µs) | errors |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for r in &rows {
        println!(
            "| {} | {} | {} | {:.0} | {:.0} | {} | {:.2} / {:.2} / {:.1} | {:.2} | {} | {} | {} |",
            r.engine,
            r.concurrency,
            r.what,
            r.server.ops_per_sec(),
            r.ceiling.ops_per_sec(),
            ratio_cell(r),
            r.server.percentile_ms(0.50),
            r.server.percentile_ms(0.99),
            r.server.percentile_ms(1.0),
            r.ceiling.percentile_ms(0.99),
            r.server
                .cpu_us_per_request()
                .map_or("-".to_owned(), |v| format!("{v:.0}")),
            r.ceiling
                .cpu_us_per_request()
                .map_or("-".to_owned(), |v| format!("{v:.0}")),
            r.server.errors + r.ceiling.errors,
        );
    }
    Ok(())
}
