//! Starting the server (or the ceiling) as a child process, timing start to healthy.

use crate::Res;
use crate::ceiling::WriteMode;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// The access key the load tool signs with.
pub const ACCESS_KEY: &str = "AKIDLOADGEN";
/// Its secret.
pub const SECRET_KEY: &str = "loadgen-secret-key";
/// Its account (the local-development default, so seeded data is visible either way).
pub const ACCOUNT: &str = "000000000000";

/// A child process serving HTTP.
#[derive(Debug)]
pub struct Spawned {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Process start to the first healthy answer.
    pub startup: Duration,
    /// Its database.
    pub database_url: String,
    _dir: Option<TempDir>,
}

/// A directory removed on drop.
#[derive(Debug)]
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TempDir {
    /// A fresh directory under the system's temp directory.
    pub fn new(what: &str) -> Res<TempDir> {
        let dir = std::env::temp_dir().join(format!(
            "loadgen-{what}-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

/// A database URL naming a fresh SQLite file (left in the temp directory).
pub fn fresh_sqlite_url() -> Res<String> {
    let dir = TempDir::new("db")?;
    let path = dir.0.join("amplifybackend.db");
    // Keep the directory: the caller owns the file from now on.
    std::mem::forget(dir);
    Ok(format!("sqlite://{}", path.display()))
}

/// Removes the directory of a database made by [`fresh_sqlite_url`].
pub fn remove_sqlite(url: &str) {
    let Some(path) = url.strip_prefix("sqlite://") else {
        return;
    };
    if let Some(dir) = std::path::Path::new(path).parent()
        && dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("loadgen-db-"))
    {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// `url` with a fresh `?schema=` so that runs do not see each other's data.
pub fn fresh_pg_schema(url: &str) -> String {
    let schema = format!("loadgen_{:08x}", rand::random::<u32>());
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}schema={schema}")
}

/// Drops the `?schema=` of `url` (made by [`fresh_pg_schema`]) and everything in it.
pub async fn drop_pg_schema(url: &str) -> Res<()> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok(());
    };
    let Some(schema) = query.split('&').find_map(|p| p.strip_prefix("schema=")) else {
        return Ok(());
    };
    if !schema.starts_with("loadgen_")
        || !schema
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Ok(());
    }
    let (client, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls).await?;
    let task = tokio::spawn(connection);
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .await?;
    drop(client);
    let _ = task.await;
    Ok(())
}

fn free_port() -> Res<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

impl Spawned {
    /// `amplifybackend serve` on `database_url`, with signatures verified if `verify`, on
    /// `worker_threads` request threads (default: the server's own choice).
    pub async fn server(
        binary: &Path,
        database_url: &str,
        verify: bool,
        worker_threads: Option<u16>,
    ) -> Res<Spawned> {
        let port = free_port()?;
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--database-url")
            .arg(database_url);
        if let Some(threads) = worker_threads {
            command.arg("--worker-threads").arg(threads.to_string());
        }
        let mut dir = None;
        if verify {
            let d = TempDir::new("credentials")?;
            let path = d.0.join("credentials.toml");
            std::fs::write(
                &path,
                format!(
                    "[[credentials]]\naccess_key_id = \"{ACCESS_KEY}\"\nsecret_access_key = \"{SECRET_KEY}\"\naccount_id = \"{ACCOUNT}\"\n"
                ),
            )?;
            command.arg("--credentials").arg(&path);
            dir = Some(d);
        }
        command.env("AMPLIFYBACKEND_LOG", "warn");
        Self::start(command, port, dir, database_url).await
    }

    /// `loadgen ceiling` on `database_url`.
    pub async fn ceiling(me: &Path, database_url: &str, writes: WriteMode) -> Res<Spawned> {
        let port = free_port()?;
        let mut command = Command::new(me);
        command
            .arg("ceiling")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--database-url")
            .arg(database_url)
            .arg("--writes")
            .arg(match writes {
                WriteMode::Group => "group",
                WriteMode::Inline => "inline",
            });
        Self::start(command, port, None, database_url).await
    }

    async fn start(
        mut command: Command,
        port: u16,
        dir: Option<TempDir>,
        database_url: &str,
    ) -> Res<Spawned> {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let mut child = command.spawn()?;
        let health = format!("{base}/_amplifybackend/health");
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        loop {
            if let Ok(r) = client.get(&health).send().await
                && r.status().is_success()
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                return Err(format!("the process exited at start: {status}").into());
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill().await;
                return Err("the process did not become healthy within 60 s".into());
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let startup = started.elapsed();
        Ok(Spawned {
            child,
            base,
            startup,
            database_url: database_url.to_owned(),
            _dir: dir,
        })
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    /// SIGTERM (graceful), then waits; kills it after 10 s.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .status();
        }
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

/// `loadgen startup`: start the server `repeat` times, report start to healthy.
pub async fn startup(binary: &Path, database_url: Option<&str>, repeat: usize) -> Res<()> {
    let mut times = Vec::new();
    for _ in 0..repeat.max(1) {
        let url = match database_url {
            Some(url) => url.to_owned(),
            None => fresh_sqlite_url()?,
        };
        let server = Spawned::server(binary, &url, true, None).await?;
        let rss = crate::proc::rss_kb(server.pid()).unwrap_or(0);
        println!(
            "start to healthy: {:.1} ms (idle RSS {:.1} MB)",
            server.startup.as_secs_f64() * 1e3,
            rss as f64 / 1024.0
        );
        times.push(server.startup);
        server.stop().await;
        if database_url.is_none() {
            remove_sqlite(&url);
        }
    }
    times.sort();
    if let Some(median) = times.get(times.len() / 2) {
        println!(
            "median start to healthy over {} starts: {:.1} ms",
            times.len(),
            median.as_secs_f64() * 1e3
        );
    }
    Ok(())
}
