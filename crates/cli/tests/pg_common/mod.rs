//! Server processes on PostgreSQL for the binary tests: `amplifybackend serve` children
//! with their logs in files, and plain HTTP/1.1. The schema each test works in (and the
//! SQL for counting what the servers did) is the testkit's `PgSchema`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    /// A header's value (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    /// The `jobId` of a job-creating answer.
    pub fn job_id(&self) -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        v["jobId"].as_str().map(str::to_owned)
    }
}

/// One HTTP/1.1 request on a fresh connection.
pub fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .map(|(h, b)| (h.to_owned(), b.to_owned()))
        .unwrap_or((response.clone(), String::new()));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Response { status, head, body })
}

pub fn create_backend_body(app: &str, env: &str) -> String {
    format!(r#"{{"appId":"{app}","appName":"N","backendEnvironmentName":"{env}"}}"#)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A random lowercase hex name part, for log files (no uuid crate in this package).
fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let mixed = nanos ^ (u128::from(std::process::id()) << 64) ^ u128::from(free_port());
    format!("{mixed:032x}")
}

/// An `amplifybackend serve` child process; killed on drop.
#[derive(Debug)]
pub struct Served {
    pub child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

impl Served {
    /// Starts a server on `database_url` with extra flags and waits until it is healthy.
    pub fn start(database_url: &str, extra: &[&str]) -> Served {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let log = std::env::temp_dir().join(format!("amplifybackend-test-{}.log", uuid_like()));
        let child = Command::new(env!("CARGO_BIN_EXE_amplifybackend"))
            .args([
                "serve",
                "--listen",
                &addr.to_string(),
                "--database-url",
                database_url,
            ])
            .args(extra)
            .env("AMPLIFYBACKEND_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let served = Served { child, addr, log };
        served.wait_healthy(Duration::from_secs(20));
        served
    }

    pub fn wait_healthy(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(r) = http(self.addr, "GET", "/_amplifybackend/health", "")
                && r.status == 200
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "server did not become healthy: {}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// SIGKILL: no cleanup of any kind.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then the exit status.
    pub fn terminate(&mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "server did not exit after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The job ids this server logged as finished.
    pub fn finished_jobs(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .filter(|l| l.contains("job finished"))
            .filter_map(|l| {
                l.split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
                    .find(|t| t.len() == 36 && t.matches('-').count() == 4)
                    .map(str::to_owned)
            })
            .collect()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_file(&self.log);
    }
}
