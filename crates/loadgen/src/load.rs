//! The load itself: N workers, each with its own keep-alive connection and one request in
//! flight, replaying SigV4-signed requests of a mix, signed before the measured time, for a
//! fixed time.

use crate::replay::{Conn, Pool};
use crate::report::Report;
use crate::spawn::{ACCESS_KEY, SECRET_KEY, Spawned};
use crate::{Res, RunArgs, proc, prom, raw};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// What the workers send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mix {
    /// GetBackend, GetBackendJob, ListBackendJobs in turn.
    Read,
    /// CreateBackend, CreateBackendAuth, UpdateBackendAuth in turn (each on a new app).
    Write,
    /// Three reads of each kind for every write cycle (75% reads).
    Mixed,
    /// GetBackend only.
    GetBackend,
    /// ListBackendJobs only: a first page of 25 jobs, of apps that have 26.
    ListJobs,
    /// GetBackendAPIModels only: the models generated from a 30-model schema.
    ApiModels,
    /// CreateBackend only (a new app each time; its job completes inline).
    CreateBackend,
    /// The ceiling's read: one SELECT by primary key of a GetBackend-sized document.
    CeilingRead,
    /// The ceiling's read of a ListBackendJobs-sized document (a page of 25 jobs).
    CeilingJobPage,
    /// The ceiling's read of a GetBackendAPIModels-sized document (30 models).
    CeilingModelSet,
    /// The ceiling's write: what a CreateBackend stores (an environment under a new app,
    /// refused if it exists, and a job under a new UUID v4, indexed by environment).
    CeilingWrite,
    /// The least a write can do: one INSERT at the end of a table.
    CeilingAppend,
}

impl Mix {
    fn needs_read_targets(self) -> bool {
        matches!(
            self,
            Mix::Read | Mix::Mixed | Mix::GetBackend | Mix::ListJobs | Mix::ApiModels
        )
    }

    /// Reads of the heaviest answers: their apps get an API, 30 models and 26 jobs.
    fn needs_heavy_targets(self) -> bool {
        matches!(self, Mix::ListJobs | Mix::ApiModels)
    }

    /// Each request creates something, so it is sent once; other mixes repeat a pool.
    fn unique(self) -> bool {
        matches!(
            self,
            Mix::Write | Mix::Mixed | Mix::CreateBackend | Mix::CeilingWrite | Mix::CeilingAppend
        )
    }

    /// Server operations whose server-side latency is reported.
    fn operations(self) -> &'static [&'static str] {
        match self {
            Mix::Read => &["GetBackend", "GetBackendJob", "ListBackendJobs"],
            Mix::Write => &["CreateBackend", "CreateBackendAuth", "UpdateBackendAuth"],
            Mix::Mixed => &[
                "GetBackend",
                "GetBackendJob",
                "ListBackendJobs",
                "CreateBackend",
                "CreateBackendAuth",
                "UpdateBackendAuth",
            ],
            Mix::GetBackend => &["GetBackend"],
            Mix::ListJobs => &["ListBackendJobs"],
            Mix::ApiModels => &["GetBackendAPIModels"],
            Mix::CreateBackend => &["CreateBackend"],
            Mix::CeilingRead
            | Mix::CeilingJobPage
            | Mix::CeilingModelSet
            | Mix::CeilingWrite
            | Mix::CeilingAppend => &[],
        }
    }
}

/// An app the read mixes read: its id and the job of its environment `dev`.
#[derive(Debug, Clone)]
struct ReadTarget {
    app_id: String,
    job_id: String,
}

/// Shared by the workers.
struct Plan {
    base: String,
    host: String,
    mix: Mix,
    targets: Vec<ReadTarget>,
    /// Distinguishes this run's new apps from earlier runs' on the same database.
    run: String,
}

/// A request before signing.
struct Call {
    method: &'static str,
    path: String,
    body: String,
}

const AUTH_CONFIG: &str = r#"{"authResources":"USER_POOL_ONLY","service":"COGNITO","userPoolConfigs":{"userPoolName":"loadpool","signInMethod":"EMAIL","requiredSignUpAttributes":["EMAIL"],"passwordPolicy":{"minimumLength":8}}}"#;
const AUTH_UPDATE: &str = r#"{"authResources":"USER_POOL_ONLY","service":"COGNITO","userPoolConfigs":{"passwordPolicy":{"minimumLength":10}}}"#;

impl Plan {
    /// The `n`th request of worker `w`.
    fn call(&self, w: usize, n: u64) -> Call {
        let read = |kind: u64| {
            let t = &self.targets[(w + n as usize) % self.targets.len().max(1)];
            match kind % 3 {
                0 => Call {
                    method: "POST",
                    path: format!("/backend/{}/details", t.app_id),
                    body: r#"{"backendEnvironmentName":"dev"}"#.to_owned(),
                },
                1 => Call {
                    method: "GET",
                    path: format!("/backend/{}/job/dev/{}", t.app_id, t.job_id),
                    body: String::new(),
                },
                _ => Call {
                    method: "POST",
                    path: format!("/backend/{}/job/dev", t.app_id),
                    body: r#"{"maxResults":25}"#.to_owned(),
                },
            }
        };
        let write = |step: u64, cycle: u64| {
            let app = format!("lg{}w{w}n{cycle}", self.run);
            match step % 3 {
                0 => Call {
                    method: "POST",
                    path: "/backend".to_owned(),
                    body: format!(
                        r#"{{"appId":"{app}","appName":"load","backendEnvironmentName":"dev"}}"#
                    ),
                },
                1 => Call {
                    method: "POST",
                    path: format!("/backend/{app}/auth"),
                    body: format!(
                        r#"{{"backendEnvironmentName":"dev","resourceName":"auth","resourceConfig":{AUTH_CONFIG}}}"#
                    ),
                },
                _ => Call {
                    method: "POST",
                    path: format!("/backend/{app}/auth/dev"),
                    body: format!(r#"{{"resourceName":"auth","resourceConfig":{AUTH_UPDATE}}}"#),
                },
            }
        };
        match self.mix {
            Mix::Read => read(n),
            Mix::Write => write(n, n / 3),
            Mix::Mixed => {
                // 12 steps: 9 reads, then a write cycle of 3.
                let (cycle, step) = (n / 12, n % 12);
                if step < 9 {
                    read(step)
                } else {
                    write(step - 9, cycle)
                }
            }
            Mix::GetBackend => read(0),
            Mix::ListJobs => read(2),
            Mix::ApiModels => {
                let t = &self.targets[(w + n as usize) % self.targets.len().max(1)];
                Call {
                    method: "POST",
                    path: format!("/backend/{}/api/dev/getModels", t.app_id),
                    body: format!(r#"{{"resourceName":"{API_NAME}"}}"#),
                }
            }
            Mix::CreateBackend => write(0, n),
            Mix::CeilingRead => Call {
                method: "POST",
                path: format!("/ceiling/items/{}", 1 + (w as u64 * 7919 + n) % 1000),
                body: r#"{"backendEnvironmentName":"dev"}"#.to_owned(),
            },
            Mix::CeilingJobPage => Call {
                method: "POST",
                path: format!("/ceiling/job-pages/{}", 1 + (w as u64 + n) % 16),
                body: r#"{"maxResults":25}"#.to_owned(),
            },
            Mix::CeilingModelSet => Call {
                method: "POST",
                path: format!("/ceiling/model-sets/{}", 1 + (w as u64 + n) % 16),
                body: format!(r#"{{"resourceName":"{API_NAME}"}}"#),
            },
            Mix::CeilingWrite => Call {
                path: "/ceiling/backends".to_owned(),
                ..write(0, n)
            },
            Mix::CeilingAppend => Call {
                method: "POST",
                path: "/ceiling/items".to_owned(),
                body: format!(
                    r#"{{"appId":"lg{}w{w}n{n}","appName":"load","backendEnvironmentName":"dev"}}"#,
                    self.run
                ),
            },
        }
    }

    /// The request through reqwest (setting up a run, not the load).
    fn signed(&self, call: Call) -> Res<reqwest::Request> {
        Ok(reqwest::Request::try_from(self.request(call)?)?)
    }

    /// The `n`th request of worker `w`, signed now, as wire bytes.
    fn raw(&self, w: usize, n: u64) -> Res<Vec<u8>> {
        Ok(raw::encode(&self.request(self.call(w, n))?))
    }

    /// The request, signed as the AWS SDKs sign it (SigV4, header signature, signed body
    /// hash).
    fn request(&self, call: Call) -> Res<http::Request<Vec<u8>>> {
        let mut request = http::Request::builder()
            .method(call.method)
            .uri(format!("{}{}", self.base, call.path))
            .header("host", &self.host)
            .header("content-type", "application/json")
            .header("x-amz-user-agent", "loadgen/0.1")
            .body(call.body.into_bytes())?;
        let identity = Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "loadgen").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("amplifybackend")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()?
            .into();
        let uri = request.uri().to_string();
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let signable = SignableRequest::new(
            request.method().as_str(),
            uri,
            headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            SignableBody::Bytes(request.body()),
        )?;
        let (instructions, _) = sign(signable, &params)?.into_parts();
        instructions.apply_to_request_http1x(&mut request);
        Ok(request)
    }
}

/// How long after the end of the run a worker may still wait for an answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// Requests each worker signs for a mix that can repeat them.
const REPEATING_POOL: usize = 48;

/// One worker's tally.
#[derive(Debug, Default)]
struct Tally {
    micros: Vec<u32>,
    errors: u64,
    first_error: Option<String>,
}

async fn send(client: &reqwest::Client, request: reqwest::Request) -> Result<String, String> {
    let response = client.execute(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.text().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(format!("{status}: {body}"))
    }
}

fn client() -> Res<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()?)
}

/// The API every heavy app has.
const API_NAME: &str = "loadapi";
/// Models in its schema.
const API_MODELS: usize = 30;
/// Model generations of each heavy app: with its CreateBackend and CreateBackendAPI, 26
/// jobs, one more than a page of 25.
const GENERATIONS: usize = 24;
/// Heavy apps the heavy mixes read in turn.
const HEAVY_APPS: usize = 4;

/// A schema of `API_MODELS` models of eight fields each.
pub fn api_schema() -> String {
    (0..API_MODELS)
        .map(|i| {
            format!(
                "type Model{i} @model {{\n  id: ID!\n  name: String!\n  description: String\n  count: Int\n  price: Float\n  done: Boolean\n  tags: [String]\n  createdOn: AWSDateTime\n}}\n"
            )
        })
        .collect()
}

/// Gives `app_id` an API with a 30-model schema and generates its models until the app's
/// environment has 26 jobs.
async fn make_heavy(plan: &Plan, client: &reqwest::Client, app_id: &str) -> Res<()> {
    let api = plan.signed(Call {
        method: "POST",
        path: format!("/backend/{app_id}/api"),
        body: serde_json::json!({
            "backendEnvironmentName": "dev",
            "resourceName": API_NAME,
            "resourceConfig": { "transformSchema": api_schema() },
        })
        .to_string(),
    })?;
    send(client, api).await?;
    for _ in 0..GENERATIONS {
        let generate = plan.signed(Call {
            method: "POST",
            path: format!("/backend/{app_id}/api/dev/generateModels"),
            body: format!(r#"{{"resourceName":"{API_NAME}"}}"#),
        })?;
        send(client, generate).await?;
    }
    Ok(())
}

/// Creates the apps the read mixes read (or looks up `app_id`'s job).
async fn read_targets(plan: &Plan, count: usize, app_id: Option<&str>) -> Res<Vec<ReadTarget>> {
    let client = client()?;
    let mut targets = Vec::new();
    if let Some(app_id) = app_id {
        let list = plan.signed(Call {
            method: "POST",
            path: format!("/backend/{app_id}/job/dev"),
            body: r#"{"maxResults":1}"#.to_owned(),
        })?;
        let body = send(&client, list).await?;
        let doc: serde_json::Value = serde_json::from_str(&body)?;
        let job_id = doc["jobs"][0]["jobId"]
            .as_str()
            .ok_or("the app has no job in environment dev")?
            .to_owned();
        targets.push(ReadTarget {
            app_id: app_id.to_owned(),
            job_id,
        });
        return Ok(targets);
    }
    for i in 0..count {
        let app_id = format!("lg{}r{i}", plan.run);
        let create = plan.signed(Call {
            method: "POST",
            path: "/backend".to_owned(),
            body: format!(
                r#"{{"appId":"{app_id}","appName":"read","backendEnvironmentName":"dev"}}"#
            ),
        })?;
        let body = send(&client, create).await?;
        let doc: serde_json::Value = serde_json::from_str(&body)?;
        let job_id = doc["jobId"].as_str().ok_or("CreateBackend gave no jobId")?;
        if plan.mix.needs_heavy_targets() {
            make_heavy(plan, &client, &app_id).await?;
        }
        targets.push(ReadTarget {
            app_id,
            job_id: job_id.to_owned(),
        });
    }
    Ok(targets)
}

/// Runs `args.mix` against `base` for the warm-up and then the measured time.
pub async fn run(args: &RunArgs, base: &str, server_pid: Option<u32>) -> Res<Report> {
    let host = base
        .split_once("://")
        .map_or(base, |(_, rest)| rest)
        .trim_end_matches('/')
        .to_owned();
    let mut plan = Plan {
        base: base.trim_end_matches('/').to_owned(),
        host,
        mix: args.mix,
        targets: Vec::new(),
        run: format!("{:08x}", rand::random::<u32>()),
    };
    if args.mix.needs_read_targets() {
        let count = if args.mix.needs_heavy_targets() {
            HEAVY_APPS
        } else {
            16
        };
        plan.targets = read_targets(&plan, count, args.app_id.as_deref()).await?;
    }
    let plan = Arc::new(plan);
    // The ceilings serve no operation of ours, and no metrics.
    let scrape_metrics = !args.mix.operations().is_empty();

    // Every worker's requests are signed before the clock starts, on the blocking pool.
    let concurrency = args.concurrency.max(1);
    let unique = args.mix.unique();
    let count = if unique {
        let pool = args
            .pool
            .unwrap_or_else(|| crate::default_pool(args.warmup + args.duration));
        pool.div_ceil(concurrency).max(1)
    } else {
        REPEATING_POOL
    };
    let mut signing = Vec::with_capacity(concurrency);
    for w in 0..concurrency {
        let plan = plan.clone();
        signing.push(tokio::task::spawn_blocking(move || {
            Pool::sign(0, count, unique, Instant::now(), &|n| plan.raw(w, n))
        }));
    }
    let mut pools = Vec::with_capacity(concurrency);
    for task in signing {
        pools.push(task.await??);
    }

    let warm_until = Instant::now() + args.warmup;
    let stop_at = warm_until + args.duration;
    let mut workers = Vec::new();
    for (w, mut pool) in pools.into_iter().enumerate() {
        let plan = plan.clone();
        workers.push(tokio::spawn(async move {
            let sign = |n| plan.raw(w, n);
            let mut conn = Conn::new(&plan.host);
            let mut tally = Tally::default();
            // One clock reading per request: the end of one exchange is the start of the
            // next, as nothing but taking the next pre-signed request lies between them.
            let mut started = Instant::now();
            loop {
                let request = match pool.next(started, &sign) {
                    Ok(Some(r)) => r,
                    Ok(None) => {
                        tally.errors += 1;
                        tally.first_error.get_or_insert(format!(
                            "worker {w} sent all {count} of its pre-signed requests before the end: raise --pool"
                        ));
                        break;
                    }
                    Err(e) => {
                        tally.errors += 1;
                        tally.first_error.get_or_insert(e.to_string());
                        break;
                    }
                };
                let result = conn.exchange(request).await;
                let now = Instant::now();
                if now >= stop_at {
                    break;
                }
                if started >= warm_until {
                    match result {
                        Ok(()) => {
                            let micros = now.duration_since(started).as_micros();
                            tally.micros.push(u32::try_from(micros).unwrap_or(u32::MAX));
                        }
                        Err(e) => {
                            tally.errors += 1;
                            tally.first_error.get_or_insert(e);
                        }
                    }
                }
                started = now;
            }
            tally
        }));
    }

    // Server-side counters at the start and end of the measured time.
    tokio::time::sleep_until(warm_until.into()).await;
    let before_metrics = if scrape_metrics {
        prom::scrape(&plan.base).await.ok()
    } else {
        None
    };
    let me = std::process::id();
    let before_cpu = server_pid.and_then(proc::cpu_ticks);
    let before_own_cpu = proc::cpu_ticks(me);
    let measured_from = Instant::now();
    tokio::time::sleep_until(stop_at.into()).await;
    let after_cpu = server_pid.and_then(proc::cpu_ticks);
    let after_own_cpu = proc::cpu_ticks(me);
    let elapsed = measured_from.elapsed();

    let mut report = Report {
        elapsed,
        ..Report::default()
    };
    // A worker waiting on an answer that never comes is given up on here, rather than
    // by a timer on every request.
    let given_up_at = stop_at + ANSWER_TIMEOUT;
    for (w, worker) in workers.into_iter().enumerate() {
        let abort = worker.abort_handle();
        let tally = match tokio::time::timeout_at(given_up_at.into(), worker).await {
            Ok(tally) => tally?,
            Err(_) => {
                abort.abort();
                Tally {
                    errors: 1,
                    first_error: Some(format!(
                        "worker {w} had no answer {} s after the end of the run",
                        ANSWER_TIMEOUT.as_secs()
                    )),
                    ..Tally::default()
                }
            }
        };
        report.errors += tally.errors;
        if report.first_error.is_none() {
            report.first_error = tally.first_error;
        }
        report.micros.extend(tally.micros);
    }
    report.micros.sort_unstable();
    report.requests = report.micros.len() as u64;
    if let (Some(a), Some(b)) = (before_cpu, after_cpu) {
        report.server_cpu_secs = Some(b.saturating_sub(a) as f64 / 100.0);
    }
    if let (Some(a), Some(b)) = (before_own_cpu, after_own_cpu) {
        report.loadgen_cpu_secs = Some(b.saturating_sub(a) as f64 / 100.0);
    }
    if let Some(pid) = server_pid {
        report.server_rss_kb = proc::rss_kb(pid).zip(proc::peak_rss_kb(pid));
    }
    if let Some(before) = before_metrics
        && let Ok(after) = prom::scrape(&plan.base).await
    {
        report.server_side = prom::request_latency(&before, &after, args.mix.operations());
        report.store = prom::store_means(&before, &after);
    }
    Ok(report)
}

/// The default command: one run, against `--target` or a spawned server.
pub async fn run_command(args: RunArgs) -> Res<()> {
    let spawned = match &args.spawn {
        Some(binary) => {
            let url = match &args.database_url {
                Some(url) => url.clone(),
                None => crate::spawn::fresh_sqlite_url()?,
            };
            let server = Spawned::server(binary, &url, args.verify, args.worker_threads).await?;
            println!(
                "server started (start to healthy {:.1} ms), idle RSS {:.1} MB",
                server.startup.as_secs_f64() * 1e3,
                proc::rss_kb(server.pid()).unwrap_or(0) as f64 / 1024.0
            );
            Some(server)
        }
        None => None,
    };
    let base = match (&spawned, &args.target) {
        (Some(s), _) => s.base.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => return Err("give --target URL or --spawn BINARY".into()),
    };
    let pid = args
        .server_pid
        .or(spawned.as_ref().map(Spawned::pid))
        .or_else(|| {
            base.rsplit_once(':')
                .and_then(|(_, p)| p.trim_end_matches('/').parse().ok())
                .and_then(proc::pid_listening_on)
        });
    let report = run(&args, &base, pid).await;
    if let Some(s) = spawned {
        let url = s.database_url.clone();
        s.stop().await;
        if args.database_url.is_none() {
            crate::spawn::remove_sqlite(&url);
        }
    }
    let report = report?;
    report.print(&format!(
        "{:?} c={} for {:?}",
        args.mix, args.concurrency, args.duration
    ));
    Ok(())
}
