//! `loadgen seed`: fills a database through the store crate, faster than through the API
//! and with the same rows (apps with an environment `dev`; jobs in one environment).

use crate::Res;
use crate::spawn::ACCOUNT;
use amplifybackend_store::{Change, NewJob, Store, StoreOptions, Tenant, WhenBroken};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Flags of `loadgen seed`.
#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// The database (`sqlite:///path.db`, `postgres://…`).
    #[arg(long)]
    database_url: String,
    /// Apps to create (`seed0`, `seed1`, …), each with an environment `dev`.
    #[arg(long, default_value_t = 0)]
    apps: u64,
    /// Create the app `--app-id` with an environment `dev` and this many (completed) jobs
    /// in it.
    #[arg(long, default_value_t = 0)]
    jobs: u64,
    /// The app that gets the jobs.
    #[arg(long, default_value = "scale")]
    app_id: String,
    /// Concurrent writers (group commit batches them).
    #[arg(long, default_value_t = 64)]
    concurrency: u64,
}

fn meta(app_id: &str) -> serde_json::Value {
    // The shape the server records for a new environment.
    let stem = format!("amplify-{}-dev-123456", app_id.to_lowercase());
    serde_json::json!({
        "AuthRoleName": format!("{stem}-authRole"),
        "UnauthRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/{stem}-unauthRole"),
        "AuthRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/{stem}-authRole"),
        "Region": "us-east-1",
        "DeploymentBucketName": format!("{stem}-deployment"),
        "UnauthRoleName": format!("{stem}-unauthRole"),
        "StackName": stem,
        "StackId": format!("arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/{stem}/00000000-0000-4000-8000-000000000000"),
        "AmplifyAppId": app_id,
    })
}

fn tenant() -> Tenant {
    Tenant {
        account: ACCOUNT.to_owned(),
        region: "us-east-1".to_owned(),
    }
}

fn job(app_id: &str, changes: Vec<Change>, now_ms: i64) -> NewJob {
    NewJob {
        job_id: format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            rand::random::<u32>(),
            rand::random::<u16>(),
            rand::random::<u16>() & 0xfff,
            rand::random::<u16>() & 0xfff,
            rand::random::<u64>() & 0xffff_ffff_ffff
        ),
        app_id: app_id.to_owned(),
        env: "dev".to_owned(),
        operation: "CreateBackend".to_owned(),
        now_ms,
        due_at_ms: None,
        changes,
        when_broken: WhenBroken::Fail,
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn create(app_id: &str) -> Vec<Change> {
    vec![Change::CreateBackend {
        app_name: "seeded".to_owned(),
        env: "dev".to_owned(),
        meta: meta(app_id),
    }]
}

/// `total` store writes from `concurrency` tasks; `make(i)` gives the i-th job.
async fn fill(
    store: Arc<dyn Store>,
    total: u64,
    concurrency: u64,
    make: impl Fn(u64) -> NewJob + Send + Sync + 'static,
) -> Res<()> {
    let next = Arc::new(AtomicU64::new(0));
    let make = Arc::new(make);
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (store, next, make) = (store.clone(), next.clone(), make.clone());
        tasks.push(tokio::spawn(async move {
            let tenant = tenant();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return Ok::<(), amplifybackend_store::StoreError>(());
                }
                store.start_job(&tenant, make(i)).await?;
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(())
}

/// Runs `loadgen seed`.
pub async fn run(args: SeedArgs) -> Res<()> {
    let store = amplifybackend_store::open(&args.database_url, &StoreOptions::default()).await?;
    let started = Instant::now();
    if args.apps > 0 {
        fill(store.clone(), args.apps, args.concurrency, |i| {
            let app = format!("seed{i}");
            let changes = create(&app);
            job(&app, changes, now_ms())
        })
        .await?;
        println!(
            "{} apps in {:.1} s",
            args.apps,
            started.elapsed().as_secs_f64()
        );
    }
    if args.jobs > 0 {
        let started = Instant::now();
        let app = args.app_id.clone();
        let tenant = tenant();
        if store.get_environment(&tenant, &app, "dev").await?.is_none() {
            store
                .start_job(&tenant, job(&app, create(&app), now_ms()))
                .await?;
        }
        // Jobs one millisecond apart, oldest first, ending now.
        let base = now_ms() - i64::try_from(args.jobs).unwrap_or(0);
        fill(
            store.clone(),
            args.jobs.saturating_sub(1),
            args.concurrency,
            move |i| job(&app, Vec::new(), base + i64::try_from(i).unwrap_or(0)),
        )
        .await?;
        println!(
            "{} jobs in app {} in {:.1} s",
            args.jobs,
            args.app_id,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
