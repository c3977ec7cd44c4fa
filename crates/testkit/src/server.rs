//! The real server, bound to a free port of this process and served on the caller's tokio
//! runtime, so that tests exercise the same code path as `amplifybackend serve`.

use amplifybackend_server::{Server, ServerConfig, ServerError};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long [`TestServer::stop`] waits for in-flight work to finish.
const STOP_LIMIT: Duration = Duration::from_secs(10);

/// The configuration tests start from: any free port on loopback, an in-memory database,
/// jobs completed inside the request that starts them, the default token lifetime.
pub fn base_config() -> ServerConfig {
    ServerConfig {
        listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        database_url: "sqlite::memory:".into(),
        job_duration: Duration::ZERO,
        token_ttl: Duration::from_secs(600),
        ..ServerConfig::default()
    }
}

/// A server running in this process; dropping it asks it to shut down without waiting.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<Result<(), ServerError>>>,
}

impl TestServer {
    /// A server on [`base_config`].
    pub async fn start() -> TestServer {
        TestServer::start_with(base_config()).await
    }

    /// A server on `config`; it listens once this returns.
    pub async fn start_with(config: ServerConfig) -> TestServer {
        let server = Server::bind(config).await.expect("the test server binds");
        let addr = server
            .local_addr()
            .expect("the test server has a local address");
        let (shutdown, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(server.serve(async move {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            shutdown: Some(shutdown),
            handle: Some(handle),
        }
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its endpoint URL, as clients are configured with it (`http://127.0.0.1:PORT`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Graceful shutdown: stops accepting, finishes in-flight work, and waits for it;
    /// panics unless the server stops cleanly within ten seconds.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(handle) = self.handle.take() {
            tokio::time::timeout(STOP_LIMIT, handle)
                .await
                .expect("the test server stops within 10 s")
                .expect("the test server's task did not panic")
                .expect("the test server stopped cleanly");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
