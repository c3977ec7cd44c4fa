//! What the binary tests share: the `amplifybackend serve` process and a tiny HTTP/1.1
//! client.
#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A directory removed on drop; the workspace's one.
pub use amplifybackend_testkit::TempDir;

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// Lowercase names.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

/// One HTTP/1.1 request on a fresh connection.
pub fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "an incomplete answer")
    })?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "a bad status"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// An unsigned JSON request (local-development mode).
pub fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> std::io::Result<Answer> {
    request(
        addr,
        method,
        path,
        &[("Content-Type".into(), "application/json".into())],
        body.as_bytes(),
    )
}

/// The binary, signing as `key` (access key, secret), with no shared config files, no
/// other `AWS_` variable and no standard input.
pub fn cli_command(key: (&str, &str)) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_amplifybackend"));
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            command.env_remove(k);
        }
    }
    command
        .env("AWS_ACCESS_KEY_ID", key.0)
        .env("AWS_SECRET_ACCESS_KEY", key.1)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .stdin(Stdio::null());
    command
}

/// Runs the binary with `args` and `--endpoint-url endpoint`, signing as `key` in
/// us-east-1 ([`cli_command`]).
pub fn cli_as(endpoint: &str, key: (&str, &str), args: &[&str]) -> Output {
    cli_command(key)
        .args(args)
        .args(["--endpoint-url", endpoint])
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .unwrap()
}

/// A running `amplifybackend serve`.
#[derive(Debug)]
pub struct Served {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Served {
    /// Starts the binary with `args` after `serve --listen ADDR`, stderr to `stderr` (or
    /// discarded), and waits until it is healthy.
    pub fn start(args: &[&str], envs: &[(&str, &str)], stderr: Option<&Path>) -> Served {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_amplifybackend"));
        command
            .args(["serve", "--listen", &addr.to_string()])
            .args(args)
            .env_remove("AMPLIFYBACKEND_LOG")
            .envs(envs.iter().copied())
            .stdout(Stdio::null());
        match stderr {
            Some(path) => {
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .unwrap();
                command.stderr(Stdio::from(file));
            }
            None => {
                command.stderr(Stdio::null());
            }
        }
        let child = command.spawn().unwrap();
        let mut served = Served { child, addr };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(a) = http(addr, "GET", "/_amplifybackend/health", "")
                && a.status == 200
            {
                return served;
            }
            if let Some(status) = served.child.try_wait().unwrap() {
                panic!("the server exited at start-up: {status}");
            }
            assert!(Instant::now() < deadline, "server did not become healthy");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `http://ADDR`, for `--endpoint-url`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// SIGKILL, and reap.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, and wait for a clean exit.
    pub fn terminate(&mut self) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert_eq!(status.code(), Some(0), "exit after SIGTERM");
                return;
            }
            assert!(Instant::now() < deadline, "no exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
