//! Slow and idle clients cannot hold the server: raw sockets against the real binary, on
//! port 0, with short timeouts set by flags.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Answer, Served};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// A running server and what it has logged so far.
struct Server {
    served: Served,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn addr(&self) -> SocketAddr {
        self.served.addr
    }
}

/// Starts `amplifybackend serve` on port 0 with `args`, through `sh -c "<prelude> && exec …"`
/// when a prelude is given, and reads the bound address from its start-up log line.
fn start_with(prelude: Option<&str>, args: &[&str]) -> Server {
    let binary = env!("CARGO_BIN_EXE_amplifybackend");
    let mut command = match prelude {
        Some(prelude) => {
            let mut c = Command::new("sh");
            c.args(["-c", &format!("{prelude} && exec \"$0\" \"$@\""), binary]);
            c
        }
        None => Command::new(binary),
    };
    command
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "sqlite::memory:",
        ])
        .args(args)
        .env("AMPLIFYBACKEND_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let (found, address) = mpsc::channel();
    // Reads the log to its end, so that the server never blocks on a full pipe.
    std::thread::spawn({
        let log = log.clone();
        move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listen=").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap_or_default();
                    let _ = found.send(addr.parse::<SocketAddr>());
                }
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        }
    });
    let addr = match address.recv_timeout(Duration::from_secs(20)) {
        Ok(addr) => addr.expect("the logged address parses"),
        Err(_) => panic!("no address logged:\n{}", log.lock().unwrap()),
    };
    Server {
        served: Served { child, addr },
        log,
    }
}

fn start(args: &[&str]) -> Server {
    start_with(None, args)
}

/// A kept-alive HTTP/1.1 connection.
struct Connection {
    stream: TcpStream,
}

impl Connection {
    fn open(addr: SocketAddr) -> Connection {
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Connection { stream }
    }

    fn send(&mut self, method: &str, path: &str, body: &str) -> Answer {
        write!(
            self.stream,
            "{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        read_answer(&mut self.stream).unwrap()
    }

    /// A metric's value, as the server reports it on this connection.
    fn metric(&mut self, line_start: &str) -> f64 {
        let answer = self.send("GET", "/_amplifybackend/metrics", "");
        answer
            .body
            .lines()
            .find_map(|l| l.strip_prefix(line_start)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("no {line_start} in\n{}", answer.body))
            .parse()
            .unwrap()
    }

    /// Waits (asking every 20 ms) until a metric has `value`.
    fn await_metric(&mut self, line_start: &str, value: f64) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.metric(line_start) != value {
            assert!(
                Instant::now() < deadline,
                "{line_start} never reached {value}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Reads one response: its head, then `Content-Length` bytes.
fn read_answer(stream: &mut TcpStream) -> std::io::Result<Answer> {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            return Err(ErrorKind::UnexpectedEof.into());
        }
        bytes.push(byte[0]);
    }
    let head = String::from_utf8(bytes).unwrap();
    let mut lines = head.trim_end().split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body)?;
    Ok(Answer {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    })
}

fn header<'a>(answer: &'a Answer, name: &str) -> Option<&'a str> {
    answer
        .headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Waits for the server to close `stream`, and returns how long after `since` it did;
/// fails if the server answers anything or keeps it open for `limit`.
fn closed_after(stream: &mut TcpStream, since: Instant, limit: Duration) -> Duration {
    stream
        .set_read_timeout(Some(
            limit
                .saturating_sub(since.elapsed())
                .max(Duration::from_millis(1)),
        ))
        .unwrap();
    let mut buf = [0u8; 1024];
    match stream.read(&mut buf) {
        Ok(0) => since.elapsed(),
        Err(e) if e.kind() == ErrorKind::ConnectionReset => since.elapsed(),
        Ok(n) => panic!(
            "the server answered: {}",
            String::from_utf8_lossy(&buf[..n])
        ),
        Err(e) => panic!("still open after {:?} ({e})", since.elapsed()),
    }
}

#[test]
fn silent_partial_and_trickling_headers_are_closed_after_the_header_timeout() {
    let server = start(&["--header-timeout-ms", "600"]);
    let opened = Instant::now();
    let mut silent = TcpStream::connect(server.addr()).unwrap();
    let mut partial = TcpStream::connect(server.addr()).unwrap();
    partial
        .write_all(b"POST /backend HTTP/1.1\r\nHost: test\r\nContent-Le")
        .unwrap();
    // One header byte every 100 ms: progress does not extend the header time.
    let trickling = TcpStream::connect(server.addr()).unwrap();
    let mut writer = trickling.try_clone().unwrap();
    std::thread::spawn(move || {
        for byte in
            b"GET /_amplifybackend/health HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        {
            if writer.write_all(&[*byte]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let mut trickling = trickling;
    let limit = Duration::from_secs(4);
    for stream in [&mut silent, &mut partial, &mut trickling] {
        let after = closed_after(stream, opened, limit);
        assert!(
            after >= Duration::from_millis(500),
            "closed after {after:?}"
        );
    }
    // The server serves on.
    let mut client = Connection::open(server.addr());
    assert_eq!(
        client.send("GET", "/_amplifybackend/health", "").status,
        200
    );
    assert_eq!(
        client.metric("amplifybackend_connections_timed_out_total{phase=\"headers\"}"),
        3.0
    );
}

#[test]
fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let server = start(&["--header-timeout-ms", "300", "--idle-timeout-ms", "1500"]);
    let mut client = Connection::open(server.addr());
    assert_eq!(
        client.send("GET", "/_amplifybackend/health", "").status,
        200
    );
    // Idle longer than the header timeout: the connection is still there.
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        client.send("GET", "/_amplifybackend/health", "").status,
        200
    );
    let answered = Instant::now();
    let after = closed_after(&mut client.stream, answered, Duration::from_secs(5));
    assert!(
        after >= Duration::from_millis(1300),
        "closed after {after:?}"
    );
    let mut other = Connection::open(server.addr());
    assert_eq!(
        other.metric("amplifybackend_connections_timed_out_total{phase=\"idle\"}"),
        1.0
    );
}

#[test]
fn a_stalled_body_gets_408_and_stores_nothing() {
    let server = start(&["--body-timeout-ms", "500"]);
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let body = r#"{"appId":"stalled","appName":"A","backendEnvironmentName":"dev"}"#;
    write!(
        stream,
        "POST /backend HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        &body[..20]
    )
    .unwrap();
    let sent = Instant::now();
    let answer = read_answer(&mut stream).unwrap();
    assert!(sent.elapsed() >= Duration::from_millis(400));
    assert_eq!(answer.status, 408, "{answer:?}");
    assert_eq!(
        header(&answer, "x-amzn-errortype"),
        Some("RequestTimeoutException")
    );
    assert!(header(&answer, "x-amzn-requestid").is_some_and(|id| !id.is_empty()));
    assert_eq!(header(&answer, "connection"), Some("close"));
    assert!(
        answer.json()["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    // The connection ends with the answer; the rest of the body is never read.
    let _ = stream.write_all(&body.as_bytes()[20..]);
    closed_after(&mut stream, sent, Duration::from_secs(5));

    let mut client = Connection::open(server.addr());
    let get = client.send("POST", "/backend/stalled/details", "{}");
    assert_eq!(get.status, 404, "{get:?}");
    assert_eq!(
        client.metric("amplifybackend_connections_timed_out_total{phase=\"body\"}"),
        1.0
    );
}

#[test]
fn a_slow_body_that_keeps_moving_is_served() {
    // The whole body takes longer than the body timeout and the request timeout together.
    let server = start(&["--body-timeout-ms", "600", "--request-timeout-ms", "500"]);
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let body = r#"{"appId":"slow","appName":"A","backendEnvironmentName":"dev"}"#;
    write!(
        stream,
        "POST /backend HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    for piece in body.as_bytes().chunks(12) {
        std::thread::sleep(Duration::from_millis(250));
        stream.write_all(piece).unwrap();
    }
    let answer = read_answer(&mut stream).unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    let mut client = Connection::open(server.addr());
    assert_eq!(
        client.send("POST", "/backend/slow/details", "{}").status,
        200
    );
}

#[test]
fn at_the_cap_open_connections_are_served_and_new_ones_refused() {
    let server = start(&["--max-connections", "3"]);
    let mut client = Connection::open(server.addr());
    assert_eq!(
        client.send("GET", "/_amplifybackend/health", "").status,
        200
    );
    let _second = TcpStream::connect(server.addr()).unwrap();
    let third = TcpStream::connect(server.addr()).unwrap();
    client.await_metric("amplifybackend_connections_open", 3.0);
    assert_eq!(client.metric("amplifybackend_connections_max"), 3.0);

    // A fourth is closed at once, unanswered.
    let mut refused = TcpStream::connect(server.addr()).unwrap();
    let _ = refused.write_all(b"GET /_amplifybackend/health HTTP/1.1\r\nHost: test\r\n\r\n");
    let tried = Instant::now();
    let after = closed_after(&mut refused, tried, Duration::from_secs(2));
    assert!(after < Duration::from_secs(1), "refused after {after:?}");

    // The open connection is answered, and health stays green.
    assert_eq!(
        client.send("GET", "/_amplifybackend/health", "").status,
        200
    );
    let created = client.send(
        "POST",
        "/backend",
        r#"{"appId":"capped","appName":"A","backendEnvironmentName":"dev"}"#,
    );
    assert_eq!(created.status, 200, "{created:?}");
    assert_eq!(
        client.metric("amplifybackend_connections_refused_total"),
        1.0
    );

    // A closed connection makes room for a new one.
    drop(third);
    client.await_metric("amplifybackend_connections_open", 2.0);
    let mut next = Connection::open(server.addr());
    assert_eq!(next.send("GET", "/_amplifybackend/health", "").status, 200);
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let rest = &stat[stat.rfind(')').unwrap() + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn the_default_cap_follows_the_file_limit() {
    // 128 files, less 118 kept for the database and the process: half of them.
    let server = start_with(Some("ulimit -n 128"), &[]);
    let mut client = Connection::open(server.addr());
    assert_eq!(client.metric("amplifybackend_connections_max"), 64.0);
}

#[test]
fn out_of_files_the_server_waits_instead_of_spinning() {
    // A cap above what the file limit allows: `accept` fails with EMFILE.
    let server = start_with(Some("ulimit -n 64"), &["--max-connections", "1000"]);
    let mut client = Connection::open(server.addr());
    assert_eq!(
        client.send("GET", "/_amplifybackend/health", "").status,
        200
    );
    let held: Vec<TcpStream> = (0..80)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let pid = server.served.child.id();
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(1));
    let spent = cpu_ticks(pid) - before;
    assert!(spent < 20, "{spent} ticks of CPU in a second out of files");
    assert_eq!(
        client.send("GET", "/_amplifybackend/health", "").status,
        200
    );
    assert!(
        server
            .log
            .lock()
            .unwrap()
            .contains("cannot accept connections"),
        "{}",
        server.log.lock().unwrap()
    );
    drop(held);
    // Files come back, and so does accepting.
    let mut next = Connection::open(server.addr());
    assert_eq!(next.send("GET", "/_amplifybackend/health", "").status, 200);
}

/// One HTTP/2 frame: type, flags, stream, payload.
type Frame = (u8, u8, u32, Vec<u8>);

fn write_frame(stream: &mut TcpStream, kind: u8, flags: u8, id: u32, payload: &[u8]) {
    let len = u32::try_from(payload.len()).unwrap().to_be_bytes();
    let mut frame = vec![len[1], len[2], len[3], kind, flags];
    frame.extend_from_slice(&id.to_be_bytes());
    frame.extend_from_slice(payload);
    stream.write_all(&frame).unwrap();
}

fn read_frame(stream: &mut TcpStream) -> std::io::Result<Frame> {
    let mut head = [0u8; 9];
    stream.read_exact(&mut head)?;
    let len = usize::from(head[0]) << 16 | usize::from(head[1]) << 8 | usize::from(head[2]);
    let id = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff;
    let mut payload = vec![0u8; len];
    stream.read_exact(&mut payload)?;
    Ok((head[3], head[4], id, payload))
}

const HEADERS: u8 = 0x1;
const SETTINGS: u8 = 0x4;
const END_STREAM: u8 = 0x1;

/// `GET /_amplifybackend/health` on stream `id`; returns the first byte of the response's
/// header block (0x88 is `:status: 200`) once the response has ended.
fn h2_health(stream: &mut TcpStream, id: u32) -> u8 {
    let path = b"/_amplifybackend/health";
    // :method GET, :scheme http (indexed); :path and :authority as literals.
    let mut block = vec![0x82, 0x86, 0x44, path.len() as u8];
    block.extend_from_slice(path);
    block.extend_from_slice(&[0x41, 4]);
    block.extend_from_slice(b"test");
    write_frame(stream, HEADERS, END_STREAM | 0x4, id, &block);
    let mut status = None;
    loop {
        let (kind, flags, on, payload) = read_frame(stream).unwrap();
        if on != id {
            continue;
        }
        if kind == HEADERS && status.is_none() {
            status = payload.first().copied();
        }
        if flags & END_STREAM != 0 {
            return status.unwrap();
        }
    }
}

#[test]
fn http2_has_a_stream_limit_and_the_idle_timeout() {
    let server = start(&["--header-timeout-ms", "300", "--idle-timeout-ms", "1200"]);
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .unwrap();
    write_frame(&mut stream, SETTINGS, 0, 0, &[]);
    let (kind, _, _, settings) = read_frame(&mut stream).unwrap();
    assert_eq!(kind, SETTINGS);
    let max_streams = settings
        .chunks(6)
        .find(|s| s[..2] == [0, 3])
        .map(|s| u32::from_be_bytes([s[2], s[3], s[4], s[5]]));
    assert_eq!(max_streams, Some(128));
    write_frame(&mut stream, SETTINGS, 0x1, 0, &[]);
    assert_eq!(h2_health(&mut stream, 1), 0x88);
    // Idle longer than the header timeout: still open.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(h2_health(&mut stream, 3), 0x88);
    let answered = Instant::now();
    loop {
        match read_frame(&mut stream) {
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset
                ) =>
            {
                break;
            }
            Err(e) => panic!("still open after {:?} ({e})", answered.elapsed()),
        }
    }
    let after = answered.elapsed();
    assert!(
        after >= Duration::from_millis(1000),
        "closed after {after:?}"
    );
}

#[test]
fn slow_clients_do_not_hold_up_shutdown() {
    let mut server = start(&[]);
    let _silent = TcpStream::connect(server.addr()).unwrap();
    let mut partial = TcpStream::connect(server.addr()).unwrap();
    partial
        .write_all(b"POST /backend HTTP/1.1\r\nHost: test\r\nContent-Le")
        .unwrap();
    let mut client = Connection::open(server.addr());
    client.await_metric("amplifybackend_connections_open", 3.0);
    let stopping = Instant::now();
    server.served.terminate();
    // Well within the default header timeout of 10 s.
    assert!(
        stopping.elapsed() < Duration::from_secs(3),
        "{:?}",
        stopping.elapsed()
    );
}
