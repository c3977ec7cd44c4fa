//! A request that cannot finish in time answers 504 GatewayTimeoutException, and the server
//! serves again once the cause is gone. The cause here is real: another process holds the
//! SQLite database's write lock, so the server's write waits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{SdkClients, TestServer, base_config};
use aws_sdk_amplifybackend::error::ProvideErrorMetadata;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_past_the_time_limit_is_a_gateway_timeout() {
    let dir = std::env::temp_dir().join(format!("amplifybackend-timeout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.db");
    let server = TestServer::start_with(amplifybackend_server::ServerConfig {
        database_url: format!("sqlite://{}", path.display()),
        request_timeout: Duration::from_millis(300),
        ..base_config()
    })
    .await;
    let client = server.client();
    client
        .create_backend()
        .app_id("a1")
        .app_name("A")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();

    // Another process's write transaction: the server's next write must wait for it.
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = client
        .create_backend()
        .app_id("a2")
        .app_name("A")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("GatewayTimeoutException"), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(504));
    // Reads do not wait for writers (WAL).
    client.get_backend().app_id("a1").send().await.unwrap();
    blocker.execute_batch("ROLLBACK").unwrap();
    drop(blocker);

    // Once the lock is gone the server writes again.
    let mut ok = false;
    for _ in 0..50 {
        if client
            .create_backend()
            .app_id("a3")
            .app_name("A")
            .backend_environment_name("dev")
            .send()
            .await
            .is_ok()
        {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ok, "the server did not recover after the lock was released");
    server.stop().await;
    std::fs::remove_dir_all(dir).unwrap();
}
