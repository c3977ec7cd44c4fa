//! Test harness: our client of the real server (started by the workspace's testkit), and a
//! scripted HTTP server for retry and error-mapping tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_client::{Client, Config, Credentials, MapEnv, RetryConfig};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use amplifybackend_testkit::TestServer;

pub const REGION: &str = "us-east-1";

/// Our client of a test server.
pub trait Clients {
    /// A client of the default account, without retries.
    fn client(&self) -> Client;
}

impl Clients for TestServer {
    fn client(&self) -> Client {
        client_for(&self.endpoint(), RetryConfig::disabled())
    }
}

/// A client of `endpoint` with explicit settings and an empty environment.
pub fn client_for(endpoint: &str, retry: RetryConfig) -> Client {
    Client::new(
        Config::builder()
            .env(MapEnv::new())
            .endpoint_url(endpoint)
            .region(REGION)
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
            .retry(retry)
            .connect_timeout(Duration::from_secs(5))
            .read_timeout(Duration::from_secs(10))
            .build(),
    )
}

/// A canned answer of the scripted server.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering (to provoke read timeouts).
    pub delay: Duration,
}

impl Canned {
    pub fn new(status: u16, body: &str) -> Canned {
        Canned {
            status,
            headers: vec![("x-amzn-RequestId".into(), format!("req-{status}"))],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Canned {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn delay(mut self, d: Duration) -> Canned {
        self.delay = d;
        self
    }
}

/// A request the scripted server received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub at: Instant,
    pub head: String,
    pub body: String,
}

/// An HTTP/1.1 server answering from a script (the last answer repeats).
pub struct ScriptedServer {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ScriptedServer {
    pub async fn start(script: Vec<Canned>) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let counter = Arc::new(Mutex::new(0usize));
        let seen2 = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let seen = seen2.clone();
                let script = script.clone();
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    loop {
                        // Read one request: head, then Content-Length bytes.
                        let head_end = loop {
                            if let Some(i) = find(&buf, b"\r\n\r\n") {
                                break i;
                            }
                            let mut chunk = [0u8; 4096];
                            match sock.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                        let len = head
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())
                                    .flatten()
                            })
                            .unwrap_or(0);
                        while buf.len() < head_end + 4 + len {
                            let mut chunk = [0u8; 4096];
                            match sock.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        }
                        let body = String::from_utf8_lossy(&buf[head_end + 4..head_end + 4 + len])
                            .to_string();
                        buf.drain(..head_end + 4 + len);
                        let index = {
                            let mut c = counter.lock().unwrap();
                            let i = *c;
                            *c += 1;
                            i
                        };
                        seen.lock().unwrap().push(Seen {
                            at: Instant::now(),
                            head,
                            body,
                        });
                        let canned = script
                            .get(index)
                            .or_else(|| script.last())
                            .cloned()
                            .unwrap();
                        tokio::time::sleep(canned.delay).await;
                        let mut response = format!(
                            "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
                            canned.status,
                            canned.body.len()
                        );
                        for (k, v) in &canned.headers {
                            response.push_str(&format!("{k}: {v}\r\n"));
                        }
                        response.push_str("\r\n");
                        response.push_str(&canned.body);
                        if sock.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        ScriptedServer { addr, seen, task }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A fresh app id.
pub fn app_id() -> String {
    let n: u64 = rand_u64();
    format!("app{n:016x}")
}

fn rand_u64() -> u64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut h = RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}
