//! The core SDK scenarios against servers on PostgreSQL: backends with auth, API and
//! storage, deferred jobs, and two servers sharing one database (as two processes
//! would). Ignored unless `AMPLIFYBACKEND_TEST_POSTGRES_URL` names a database; each test
//! works in a schema of its own, dropped at the end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use amplifybackend_testkit::PgSchema;
use std::time::Duration;

const APP: &str = "pgapp12345";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn a_backend_with_auth_api_and_storage() {
    let schema = PgSchema::new();
    let server = TestServer::start_with(config_on(schema.url(), Duration::ZERO)).await;
    let client = server.client();
    create_backend(&client, APP, "myapp", "dev").await;
    create_backend(&client, APP, "myapp", "prod").await;
    create_auth(&client, APP, "dev", "myauth", with_identity_pool(false)).await;
    create_api(&client, APP, "dev", "todoapi", api_config(TODO_SCHEMA)).await;
    create_storage(&client, APP, "dev", "s3store", Some("my-bucket-dev")).await;

    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.backend_environment_list(), ["dev", "prod"]);
    let meta = amplify_meta(&client, APP, "dev").await;
    for category in ["auth", "api", "storage"] {
        assert!(meta.get(category).is_some(), "{category} in {meta}");
    }
    // One resource of a kind per environment.
    let again = client
        .create_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("other")
        .resource_config(with_identity_pool(false))
        .send()
        .await;
    assert!(again.is_err() || again.unwrap().status() != Some("COMPLETED"));
    let buckets = client.list_s3_buckets().send().await.unwrap();
    assert_eq!(buckets.buckets().len(), 1, "{buckets:?}");
    // Unknown things are 404s, not database errors.
    not_found(
        client.get_backend().app_id("nosuchapp1").send().await,
        "app",
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn deferred_jobs_and_the_pending_job_rule_across_two_servers() {
    let schema = PgSchema::new();
    let duration = Duration::from_millis(400);
    let a = TestServer::start_with(config_on(schema.url(), duration)).await;
    let b = TestServer::start_with(config_on(schema.url(), duration)).await;
    let (ca, cb) = (a.client(), b.client());

    let job = ca
        .create_backend()
        .app_id(APP)
        .app_name("myapp")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(job.status(), Some("RUNNING"));
    // The other server refuses a second job for the environment while it runs.
    let refused = failure(
        cb.create_backend()
            .app_id(APP)
            .app_name("myapp")
            .backend_environment_name("dev")
            .send()
            .await,
    );
    assert_eq!(refused.status, Some(400), "{}", refused.display);
    assert_eq!(refused.code.as_deref(), Some("ValidationException"));
    assert_eq!(
        refused.message,
        format!(
            "An error occurred while processing your request: There is already a pending job \
             for the requested appId: {APP} and backendEnvironmentName: dev, wait for it to \
             complete before creating a new job."
        )
    );
    // ... and completes it (or its owner does), exactly once.
    let done = wait_for_job(
        &cb,
        APP,
        "dev",
        job.job_id().unwrap(),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(done.status(), Some("COMPLETED"));
    let app = cb.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.backend_environment_list(), ["dev"]);

    // Jobs recorded on either server, listed on the other; page tokens work on both.
    let mut ids = vec![job.job_id().unwrap().to_owned()];
    let auth = cb
        .create_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myauth")
        .resource_config(with_identity_pool(false))
        .send()
        .await
        .unwrap();
    let api = ca
        .create_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("todoapi")
        .resource_config(api_config(TODO_SCHEMA))
        .send()
        .await;
    let api = match api {
        Ok(api) => api,
        // Its predecessor may not have completed yet: wait for it, then try again.
        Err(_) => {
            wait_for_job(
                &ca,
                APP,
                "dev",
                auth.job_id().unwrap(),
                Duration::from_secs(10),
            )
            .await;
            ca.create_backend_api()
                .app_id(APP)
                .backend_environment_name("dev")
                .resource_name("todoapi")
                .resource_config(api_config(TODO_SCHEMA))
                .send()
                .await
                .unwrap()
        }
    };
    for (client, id) in [(&ca, auth.job_id()), (&cb, api.job_id())] {
        let id = id.unwrap().to_owned();
        let done = wait_for_job(client, APP, "dev", &id, Duration::from_secs(10)).await;
        assert_eq!(done.status(), Some("COMPLETED"));
        ids.push(id);
    }
    let storage = cb
        .create_backend_storage()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("store")
        .resource_config(
            aws_sdk_amplifybackend::types::CreateBackendStorageResourceConfig::builder()
                .service_name(aws_sdk_amplifybackend::types::ServiceName::S3)
                .permissions(permissions(
                    &[aws_sdk_amplifybackend::types::AuthenticatedElement::Read],
                    &[],
                ))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let id = storage.job_id().unwrap().to_owned();
    wait_for_job(&ca, APP, "dev", &id, Duration::from_secs(10)).await;
    ids.push(id);
    let meta = amplify_meta(&ca, APP, "dev").await;
    for category in ["auth", "api", "storage"] {
        assert!(meta.get(category).is_some(), "{category} in {meta}");
    }
    ids.reverse();
    assert_eq!(all_job_ids(&ca, APP, "dev", 1).await, ids);
    let first = ca
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .max_results(2)
        .send()
        .await
        .unwrap();
    let rest = cb
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .max_results(2)
        .set_next_token(first.next_token().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert_eq!(
        rest.jobs().len(),
        2,
        "server b accepts server a's page token"
    );
    a.stop().await;
    b.stop().await;
}
