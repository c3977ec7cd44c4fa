//! `loadgen`: drives a running amplifybackend server (or one it starts) with requests
//! signed before the measured time and replayed over keep-alive connections, for a fixed
//! time, and reports throughput, latency (client and server side), errors, and the
//! server's and its own CPU per request; `loadgen ceiling` serves the bare axum +
//! SQLite/PostgreSQL reference the results are compared with; `loadgen compare` measures
//! both in one run and prints the ratios; `loadgen threads` compares request thread
//! counts (BENCHMARKS.md, "Server").

mod ceiling;
mod load;
mod proc;
mod prom;
mod raw;
mod replay;
mod report;
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
    /// GetBackend vs ceiling reads, CreateBackend vs ceiling writes and appends; prints
    /// the ratios.
    Compare(CompareArgs),
    /// Fill a database through the store crate (apps, and jobs in one environment).
    Seed(seed::SeedArgs),
    /// Start the server on a database several times and report start-to-healthy.
    Startup(StartupArgs),
    /// Servers with different `--worker-threads`, taking turns on the same mixes.
    Threads(ThreadsArgs),
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
    /// Read an existing app instead of creating apps to read (read mixes; for
    /// `api-models`, an app whose environment `dev` has the API `loadapi`).
    #[arg(long)]
    app_id: Option<String>,
    /// Spawn the server with `--credentials` so that it verifies every signature.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    verify: bool,
    /// Requests signed ahead, in all, for the mixes that create something (each is sent
    /// once); a worker that uses up its share stops with an error. Default: enough for
    /// 100,000 creations a second over the warm-up and the run.
    #[arg(long)]
    pool: Option<usize>,
    /// `--worker-threads` of the spawned server (default: the server's own choice).
    #[arg(long)]
    worker_threads: Option<u16>,
}

/// Creations a second the default `--pool` allows for: above what the write ceiling
/// reaches on a 2-core machine, so that it never runs out of signed requests.
const POOL_RATE: f64 = 100_000.0;

/// The default `--pool` for a warm-up and a run of `time` in all.
fn default_pool(time: Duration) -> usize {
    (time.as_secs_f64() * POOL_RATE).ceil() as usize
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
    /// Also ListBackendJobs (25 jobs a page) and GetBackendAPIModels (30 models), each
    /// against the ceiling read.
    #[arg(long)]
    heavy: bool,
    /// Requests signed ahead for each write run (see the load run's `--pool`).
    #[arg(long)]
    pool: Option<usize>,
    /// `--worker-threads` of the spawned server (default: the server's own choice).
    #[arg(long)]
    worker_threads: Option<u16>,
}

#[derive(Debug, Args)]
struct ThreadsArgs {
    /// The `amplifybackend` binary.
    #[arg(long)]
    server: std::path::PathBuf,
    /// The request thread counts to compare: one server each, on its own database.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    worker_threads: Vec<u16>,
    /// The mixes to measure.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "read,write,mixed"
    )]
    mix: Vec<load::Mix>,
    /// A PostgreSQL database (each server gets a fresh schema); default: SQLite files.
    #[arg(long)]
    postgres: Option<String>,
    /// Concurrent connections.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Measured time of each run.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,
    /// Unmeasured warm-up before each run.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    warmup: Duration,
    /// Spawn the servers with `--credentials` so that they verify every signature.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    verify: bool,
    /// Rounds: in each, every mix runs once on every server, servers taking turns.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Requests signed ahead for each write run (see the load run's `--pool`).
    #[arg(long)]
    pool: Option<usize>,
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
    // The ceiling is a server and gets a thread per core, as the server does. The load
    // runs on one thread: its connections then wait on one epoll set without handing
    // tasks between threads, which halves what it costs per request and leaves the
    // server the rest of the machine.
    let mut builder = match cli.command {
        Some(Command::Ceiling(_)) => tokio::runtime::Builder::new_multi_thread(),
        _ => tokio::runtime::Builder::new_current_thread(),
    };
    let runtime = match builder.enable_all().build() {
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
            Some(Command::Threads(args)) => threads(args).await,
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

/// A server operation of `compare`, its name, and the ceilings it is compared with (each
/// with its name).
type Turn = (load::Mix, &'static str, Vec<(load::Mix, &'static str)>);

/// One row of the comparison.
struct Row {
    engine: &'static str,
    concurrency: usize,
    what: String,
    server: report::Report,
    ceiling: report::Report,
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
                pool: args.pool,
                worker_threads: args.worker_threads,
            };
            let fresh = || match pg {
                Some(url) => Ok(spawn::fresh_pg_schema(url)),
                None => spawn::fresh_sqlite_url(),
            };
            let (db, ceiling_db) = (fresh()?, fresh()?);
            let server =
                spawn::Spawned::server(&args.server, &db, args.verify, args.worker_threads).await?;
            println!(
                "# {engine} c={c}: server started in {:.1} ms, idle RSS {:.1} MB",
                server.startup.as_secs_f64() * 1e3,
                proc::rss_kb(server.pid()).unwrap_or(0) as f64 / 1024.0
            );
            let ceiling = spawn::Spawned::ceiling(&me, &ceiling_db, args.ceiling_writes).await?;
            // Server and ceiling take turns, so that a slow spell of the machine falls on
            // both sides of a ratio rather than on one. CreateBackend has two references:
            // the write it must make at the least, and the least any write makes.
            let mut turns: Vec<Turn> = vec![
                (
                    load::Mix::GetBackend,
                    "GetBackend",
                    vec![(load::Mix::CeilingRead, "ceiling read")],
                ),
                (
                    load::Mix::CreateBackend,
                    "CreateBackend",
                    vec![
                        (load::Mix::CeilingWrite, "ceiling write"),
                        (load::Mix::CeilingAppend, "ceiling append"),
                    ],
                ),
            ];
            if args.heavy {
                turns.push((
                    load::Mix::ListJobs,
                    "ListBackendJobs",
                    vec![(load::Mix::CeilingJobPage, "ceiling read of a page of jobs")],
                ));
                turns.push((
                    load::Mix::ApiModels,
                    "GetBackendAPIModels",
                    vec![(load::Mix::CeilingModelSet, "ceiling read of 30 models")],
                ));
            }
            // One row per (operation, reference): the server's runs of the operation
            // against that reference's.
            let mut measured: Vec<Row> = turns
                .iter()
                .flat_map(|(_, name, references)| {
                    references.iter().map(move |(_, reference_name)| Row {
                        engine,
                        concurrency: c,
                        what: format!("{name} / {reference_name}"),
                        server: report::Report::default(),
                        ceiling: report::Report::default(),
                        ratios: Vec::new(),
                    })
                })
                .collect();
            for round in 1..=args.rounds.max(1) {
                let mut row = measured.iter_mut();
                for (mix, name, references) in &turns {
                    let ours = load::run(&run(*mix), &server.base, Some(server.pid())).await?;
                    ours.print(&format!("{engine} c={c} {name} (round {round})"));
                    for (reference, reference_name) in references {
                        let theirs =
                            load::run(&run(*reference), &ceiling.base, Some(ceiling.pid())).await?;
                        theirs.print(&format!("{engine} c={c} {reference_name} (round {round})"));
                        let row = row.next().ok_or("a row for each reference")?;
                        row.ratios
                            .push(ours.ops_per_sec() / theirs.ops_per_sec().max(1e-9));
                        row.server.merge(ours.clone());
                        row.ceiling.merge(theirs);
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
            rows.extend(measured);
        }
    }
    println!();
    println!(
        "| engine | c | operation / reference | server ops/s | ceiling ops/s | ratio (rounds' lowest–highest) | server p50 / p99 / max (ms) | ceiling p99 (ms) | server CPU/req (µs) | ceiling CPU/req (µs) | loadgen CPU/req (µs), share of server's / of ceiling's | errors |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for r in &rows {
        println!(
            "| {} | {} | {} | {:.0} | {:.0} | {} | {:.2} / {:.2} / {:.1} | {:.2} | {} | {} | {} / {} | {} |",
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
            cpu_cell(r.server.cpu_us_per_request()),
            cpu_cell(r.ceiling.cpu_us_per_request()),
            loadgen_cell(&r.server),
            loadgen_cell(&r.ceiling),
            r.server.errors + r.ceiling.errors,
        );
    }
    Ok(())
}

/// Microseconds of CPU, or `-` when unknown.
fn cpu_cell(us: Option<f64>) -> String {
    us.map_or("-".to_owned(), |v| format!("{v:.0}"))
}

/// The load generator's CPU per request and its share of the measured process's: `4 (12%)`.
fn loadgen_cell(report: &report::Report) -> String {
    let share = report
        .loadgen_share()
        .map_or(String::new(), |s| format!(" ({:.0}%)", s * 100.0));
    format!("{}{share}", cpu_cell(report.loadgen_cpu_us_per_request()))
}

/// `loadgen threads`: one server per thread count, every mix on each in turn, pooled over
/// the rounds.
async fn threads(args: ThreadsArgs) -> Res<()> {
    let mut servers = Vec::new();
    for &threads in &args.worker_threads {
        let db = match &args.postgres {
            Some(url) => spawn::fresh_pg_schema(url),
            None => spawn::fresh_sqlite_url()?,
        };
        let server = spawn::Spawned::server(&args.server, &db, args.verify, Some(threads)).await;
        match server {
            Ok(server) => servers.push((threads, server)),
            Err(e) => {
                for (_, s) in servers {
                    stop_and_drop(s).await;
                }
                return Err(e);
            }
        }
    }
    let mut measured: Vec<(load::Mix, u16, report::Report)> = Vec::new();
    let mut failure = None;
    'rounds: for round in 1..=args.rounds.max(1) {
        for &mix in &args.mix {
            for (threads, server) in &servers {
                let run = RunArgs {
                    target: None,
                    spawn: None,
                    database_url: None,
                    concurrency: args.concurrency,
                    duration: args.duration,
                    warmup: args.warmup,
                    mix,
                    server_pid: None,
                    app_id: None,
                    verify: args.verify,
                    pool: args.pool,
                    worker_threads: Some(*threads),
                };
                let report = match load::run(&run, &server.base, Some(server.pid())).await {
                    Ok(r) => r,
                    Err(e) => {
                        failure = Some(e);
                        break 'rounds;
                    }
                };
                report.print(&format!(
                    "{mix:?} c={} --worker-threads {threads} (round {round})",
                    args.concurrency
                ));
                match measured
                    .iter_mut()
                    .find(|(m, t, _)| *m == mix && t == threads)
                {
                    Some((_, _, all)) => all.merge(report),
                    None => measured.push((mix, *threads, report)),
                }
            }
        }
    }
    for (_, s) in servers {
        stop_and_drop(s).await;
    }
    if let Some(e) = failure {
        return Err(e);
    }
    println!();
    println!(
        "| mix | c | worker threads | ops/s | p50 / p99 / max (ms) | server CPU/req (µs) | loadgen CPU/req (µs) (share of server's) | errors |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (mix, threads, r) in &measured {
        println!(
            "| {mix:?} | {} | {threads} | {:.0} | {:.2} / {:.2} / {:.1} | {} | {} | {} |",
            args.concurrency,
            r.ops_per_sec(),
            r.percentile_ms(0.50),
            r.percentile_ms(0.99),
            r.percentile_ms(1.0),
            cpu_cell(r.cpu_us_per_request()),
            loadgen_cell(r),
            r.errors,
        );
    }
    Ok(())
}

/// Stops a spawned server and removes its database.
async fn stop_and_drop(server: spawn::Spawned) {
    let url = server.database_url.clone();
    server.stop().await;
    if url.starts_with("postgres") {
        if let Err(e) = spawn::drop_pg_schema(&url).await {
            eprintln!("loadgen: cannot drop the run's PostgreSQL schema: {e}");
        }
    } else {
        spawn::remove_sqlite(&url);
    }
}
