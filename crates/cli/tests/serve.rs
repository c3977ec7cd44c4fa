//! The `amplifybackend serve` binary: start-up, graceful SIGTERM, and durability across
//! `kill -9`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::zombie_processes)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request on a fresh connection; returns (status, body).
fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    Ok((status, body))
}

struct Served {
    child: Child,
    addr: SocketAddr,
}

fn serve(database_url: &str) -> Served {
    serve_with(database_url, &[], &[])
}

/// [`serve`] with more flags and environment variables.
fn serve_with(database_url: &str, args: &[&str], envs: &[(&str, &str)]) -> Served {
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_amplifybackend"))
        .args([
            "serve",
            "--listen",
            &addr.to_string(),
            "--database-url",
            database_url,
        ])
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok((200, _)) = http(addr, "GET", "/_amplifybackend/health", "") {
            return Served { child, addr };
        }
        assert!(Instant::now() < deadline, "server did not become healthy");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn temp_db() -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!(
        "amplifybackend-serve-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos() ^ (free_port() as u128)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("state.db").display());
    (dir, url)
}

#[test]
fn sigterm_drains_and_exits_zero() {
    let mut served = serve("sqlite::memory:");
    let (status, _) = http(
        served.addr,
        "POST",
        "/backend",
        r#"{"appId":"a1","appName":"A","backendEnvironmentName":"dev"}"#,
    )
    .unwrap();
    assert_eq!(status, 200);
    let pid = served.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(0));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "server did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let (dir, url) = temp_db();
    let mut served = serve(&url);
    // Concurrent writers; every acknowledged CreateBackend must be there after kill -9.
    let addr = served.addr;
    let writers: Vec<_> = (0..4)
        .map(|w| {
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for i in 0..40 {
                    let app = format!("app{w}x{i}");
                    let body = format!(
                        r#"{{"appId":"{app}","appName":"N","backendEnvironmentName":"dev"}}"#
                    );
                    if let Ok((200, _)) = http(addr, "POST", "/backend", &body) {
                        acknowledged.push(app);
                    }
                }
                acknowledged
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(150));
    served.child.kill().unwrap();
    served.child.wait().unwrap();
    let acknowledged: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(
        !acknowledged.is_empty(),
        "no write was acknowledged before the kill"
    );

    let mut restarted = serve(&url);
    for app in &acknowledged {
        let (status, body) = http(
            restarted.addr,
            "POST",
            &format!("/backend/{app}/details"),
            r#"{"backendEnvironmentName":"dev"}"#,
        )
        .unwrap();
        assert_eq!(status, 200, "{app} lost after kill -9: {body}");
        assert!(body.contains("amplifyMetaConfig"), "{body}");
    }
    restarted.child.kill().unwrap();
    restarted.child.wait().unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

/// `--worker-threads` sets the request threads, and the start-up line, plain text when
/// piped, says how many.
#[test]
fn worker_threads_are_as_asked() {
    use std::io::BufRead;
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_amplifybackend"))
        .args(["serve", "--listen", &addr.to_string()])
        .args(["--database-url", "sqlite::memory:", "--worker-threads", "3"])
        .env("AMPLIFYBACKEND_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let serving = std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.contains("amplifybackend is serving"))
        .unwrap_or_default();
    let served = http(addr, "GET", "/_amplifybackend/health", "");
    // Request threads are named by tokio; the runtime's blocking threads may add to them.
    let tokio_threads = std::fs::read_dir(format!("/proc/{}/task", child.id())).map(|tasks| {
        tasks
            .filter_map(Result::ok)
            .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
            .filter(|name| name.starts_with("tokio-"))
            .count()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(serving.contains("worker_threads=3"), "{serving}");
    assert!(
        !serving.contains('\u{1b}'),
        "colour codes in a piped log: {serving}"
    );
    assert_eq!(served.unwrap().0, 200);
    if let Ok(count) = tokio_threads {
        assert!(count >= 3, "{count} tokio threads");
    }
}

#[test]
fn a_taken_address_fails_before_any_database_is_created() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let (dir, url) = temp_db();
    let out = Command::new(env!("CARGO_BIN_EXE_amplifybackend"))
        .args([
            "serve",
            "--listen",
            &addr.to_string(),
            "--database-url",
            &url,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!("amplifybackend: cannot listen on {addr}: ")),
        "{stderr}"
    );
    assert!(!dir.join("state.db").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The console is served unless `--console off` or `AMPLIFYBACKEND_CONSOLE=off` says not.
#[test]
fn the_console_is_on_unless_turned_off() {
    for (args, envs, expected) in [
        (&[][..], &[][..], 200),
        (&["--console", "off"][..], &[][..], 404),
        (&[][..], &[("AMPLIFYBACKEND_CONSOLE", "off")][..], 404),
        (
            &["--console", "on"][..],
            &[("AMPLIFYBACKEND_CONSOLE", "off")][..],
            200,
        ),
    ] {
        let mut served = serve_with("sqlite::memory:", args, envs);
        let (status, _) = http(served.addr, "GET", "/console/", "").unwrap();
        served.child.kill().unwrap();
        served.child.wait().unwrap();
        assert_eq!(status, expected, "{args:?} {envs:?}");
    }
}

/// With `--stop-on-stdin-eof` the server outlives input on its standard input and stops,
/// exit 0, once the other end closes, as when the parent process dies. Port 0 also
/// shows that the start-up line names the address actually bound.
#[test]
fn the_end_of_standard_input_stops_the_server() {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_amplifybackend"))
        .args(["serve", "--listen", "127.0.0.1:0", "--stop-on-stdin-eof"])
        .args(["--database-url", "sqlite::memory:"])
        .env("AMPLIFYBACKEND_LOG", "info")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let serving = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|line| line.contains("amplifybackend is serving"))
        .unwrap_or_default();
    let addr: SocketAddr = serving
        .split_whitespace()
        .find_map(|field| field.strip_prefix("listen="))
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no listen= address in {serving}"));
    assert_ne!(addr.port(), 0);
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"anything\n").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        http(addr, "GET", "/_amplifybackend/health", "").unwrap().0,
        200
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "input alone stopped it"
    );
    drop(stdin);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the server did not stop when its standard input closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(
        rest.iter()
            .any(|line| line.contains("standard input closed")),
        "{rest:?}"
    );
}
