//! Jobs that run for a while (job_duration 300 ms): RUNNING answers, one pending job per
//! environment, effects applied only on completion, cancellation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use aws_sdk_amplifybackend::Client;
use std::time::{Duration, Instant};

const APP: &str = "d6slowapp";
const DURATION_MS: u64 = 300;
const WAIT: Duration = Duration::from_secs(5);

async fn slow_server() -> TestServer {
    let mut config = base_config();
    config.job_duration = Duration::from_millis(DURATION_MS);
    TestServer::start_with(config).await
}

/// CreateBackend, waited for.
async fn ready_env(client: &Client, env: &str) {
    let out = client
        .create_backend()
        .app_id(APP)
        .app_name("slowapp")
        .backend_environment_name(env)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("RUNNING"));
    let job = wait_for_job(client, APP, env, out.job_id().unwrap(), WAIT).await;
    assert_eq!(job.status(), Some("COMPLETED"));
}

async fn start_auth(client: &Client, env: &str) -> String {
    let out = client
        .create_backend_auth()
        .app_id(APP)
        .backend_environment_name(env)
        .resource_name("myauth")
        .resource_config(user_pool_only(user_pool("pool").build()))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("RUNNING"), "{out:?}");
    assert_eq!(out.operation(), Some("CreateBackendAuth"));
    assert_uuid_v4(out.job_id());
    out.job_id().unwrap().to_owned()
}

async fn has_auth(client: &Client, env: &str) -> bool {
    let visible = amplify_meta(client, APP, env).await.get("auth").is_some();
    let readable = client
        .get_backend_auth()
        .app_id(APP)
        .backend_environment_name(env)
        .resource_name("myauth")
        .send()
        .await
        .is_ok();
    assert_eq!(
        visible, readable,
        "amplify-meta and GetBackendAuth disagree"
    );
    visible
}

/// The pending-job answer, as the service gives it: 400, a `ValidationException` (not a
/// shape of the model, so the SDK leaves it untyped) and the service's sentence.
fn assert_pending(f: &Failure, env: &str) {
    assert_eq!(f.status, Some(400), "{}", f.display);
    assert_eq!(
        f.code.as_deref(),
        Some("ValidationException"),
        "{}",
        f.display
    );
    assert!(!f.modeled, "the SDK typed it: {}", f.display);
    assert!(
        f.request_id.as_deref().is_some_and(|r| !r.is_empty()),
        "no request id: {}",
        f.display
    );
    assert_eq!(
        f.message,
        format!(
            "An error occurred while processing your request: There is already a pending job \
             for the requested appId: {APP} and backendEnvironmentName: {env}, wait for it to \
             complete before creating a new job."
        )
    );
}

/// With deferred jobs, CreateBackend's rules are checked before the job is recorded: the
/// same 400s as when jobs complete at once, and no job.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_backend_refuses_a_known_environment_or_another_app_name_before_any_job() {
    let server = slow_server().await;
    let client = server.client();
    ready_env(&client, "dev").await;
    assert_create_backend_refused(&client, APP, "slowapp", "dev").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deferred_job_applies_its_effect_only_when_it_completes() {
    let server = slow_server().await;
    let client = server.client();
    let started = Instant::now();
    let out = client
        .create_backend()
        .app_id(APP)
        .app_name("slowapp")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("RUNNING"));
    assert_eq!(out.operation(), Some("CreateBackend"));
    assert_uuid_v4(out.job_id());
    let job_id = out.job_id().unwrap().to_owned();

    // Not visible yet, and the environment's slot is taken.
    not_found(client.get_backend().app_id(APP).send().await, "app");
    let running = get_job(&client, APP, "dev", &job_id).await;
    assert_eq!(running.status(), Some("RUNNING"));
    let listed = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .status("RUNNING")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.jobs().len(), 1);
    let f = failure(
        client
            .create_backend()
            .app_id(APP)
            .app_name("slowapp")
            .backend_environment_name("dev")
            .send()
            .await,
    );
    assert_pending(&f, "dev");
    // Another environment has its own slot.
    let prod = client
        .create_backend()
        .app_id(APP)
        .app_name("slowapp")
        .backend_environment_name("prod")
        .send()
        .await
        .unwrap();
    assert_eq!(prod.status(), Some("RUNNING"));

    let done = wait_for_job(&client, APP, "dev", &job_id, WAIT).await;
    assert!(
        started.elapsed() >= Duration::from_millis(DURATION_MS - 50),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(done.status(), Some("COMPLETED"));
    assert_eq!(done.error(), None);
    let created = epoch_ms(done.create_time());
    let updated = epoch_ms(done.update_time());
    assert!(
        updated - created >= i64::try_from(DURATION_MS).unwrap(),
        "completed after {} ms",
        updated - created
    );
    assert_eq!(done.create_time(), running.create_time());
    wait_for_job(&client, APP, "prod", prod.job_id().unwrap(), WAIT).await;
    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.backend_environment_list(), ["dev", "prod"]);

    // A resource job: invisible while RUNNING, the environment's next job refused
    // meanwhile, visible once COMPLETED.
    let job_id = start_auth(&client, "dev").await;
    assert!(!has_auth(&client, "dev").await);
    let f = failure(
        client
            .create_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .resource_config(api_config(TODO_SCHEMA))
            .send()
            .await,
    );
    assert_pending(&f, "dev");
    // The other environment is free.
    let api = client
        .create_backend_api()
        .app_id(APP)
        .backend_environment_name("prod")
        .resource_name("myapi")
        .resource_config(api_config(TODO_SCHEMA))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), Some("RUNNING"));

    let done = wait_for_job(&client, APP, "dev", &job_id, WAIT).await;
    assert_eq!(done.status(), Some("COMPLETED"));
    assert!(has_auth(&client, "dev").await);
    wait_for_job(&client, APP, "prod", api.job_id().unwrap(), WAIT).await;
    assert!(
        amplify_meta(&client, APP, "prod")
            .await
            .get("api")
            .is_some()
    );
    assert!(amplify_meta(&client, APP, "dev").await.get("api").is_none());

    // Completed jobs cannot run again.
    bad_request(
        client
            .update_backend_job()
            .app_id(APP)
            .backend_environment_name("dev")
            .job_id(&job_id)
            .status("RUNNING")
            .send()
            .await,
    );
    assert_eq!(
        get_job(&client, APP, "dev", &job_id).await.status(),
        Some("COMPLETED")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_running_job_discards_its_effect() {
    let server = slow_server().await;
    let client = server.client();
    ready_env(&client, "dev").await;
    let job_id = start_auth(&client, "dev").await;

    let out = client
        .update_backend_job()
        .app_id(APP)
        .backend_environment_name("dev")
        .job_id(&job_id)
        .status("FAILED")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("FAILED"));
    assert_eq!(out.job_id(), Some(job_id.as_str()));
    assert_eq!(out.operation(), Some("CreateBackendAuth"));
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some("dev"));
    epoch_ms(out.create_time());
    epoch_ms(out.update_time());
    assert!(
        out.error().is_some_and(|e| !e.is_empty()),
        "a failed job says why: {out:?}"
    );

    // Well past the job's duration: still FAILED, and nothing applied.
    tokio::time::sleep(Duration::from_millis(2 * DURATION_MS)).await;
    let job = get_job(&client, APP, "dev", &job_id).await;
    assert_eq!(job.status(), Some("FAILED"));
    assert!(!has_auth(&client, "dev").await);
    // A cancelled job cannot be restarted.
    bad_request(
        client
            .update_backend_job()
            .app_id(APP)
            .backend_environment_name("dev")
            .job_id(&job_id)
            .status("RUNNING")
            .send()
            .await,
    );
    tokio::time::sleep(Duration::from_millis(DURATION_MS + 100)).await;
    assert_eq!(
        get_job(&client, APP, "dev", &job_id).await.status(),
        Some("FAILED")
    );
    assert!(!has_auth(&client, "dev").await);

    // The environment is free again; the same request now runs to completion.
    let second = start_auth(&client, "dev").await;
    assert_eq!(
        wait_for_job(&client, APP, "dev", &second, WAIT)
            .await
            .status(),
        Some("COMPLETED")
    );
    assert!(has_auth(&client, "dev").await);

    // Filters see the cancelled job as FAILED.
    let list = |operation: Option<&str>, status: Option<&str>| {
        client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("dev")
            .set_operation(operation.map(str::to_owned))
            .set_status(status.map(str::to_owned))
            .send()
    };
    let ids = |out: aws_sdk_amplifybackend::operation::list_backend_jobs::ListBackendJobsOutput| -> Vec<String> {
        out.jobs().iter().map(|j| j.job_id().unwrap().to_owned()).collect()
    };
    assert_eq!(
        ids(list(None, Some("FAILED")).await.unwrap()),
        [job_id.as_str()]
    );
    assert_eq!(
        ids(list(Some("CreateBackendAuth"), Some("FAILED"))
            .await
            .unwrap()),
        [job_id.as_str()]
    );
    assert_eq!(
        ids(list(Some("CreateBackendAuth"), Some("COMPLETED"))
            .await
            .unwrap()),
        [second.as_str()]
    );
    assert_eq!(
        ids(list(Some("CreateBackendAuth"), None).await.unwrap()),
        [second, job_id]
    );
    assert!(ids(list(None, Some("RUNNING")).await.unwrap()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_create_backend_leaves_no_app() {
    let server = slow_server().await;
    let client = server.client();
    let out = client
        .create_backend()
        .app_id(APP)
        .app_name("slowapp")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    let job_id = out.job_id().unwrap();
    let cancelled = client
        .update_backend_job()
        .app_id(APP)
        .backend_environment_name("dev")
        .job_id(job_id)
        .status("FAILED")
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), Some("FAILED"));
    tokio::time::sleep(Duration::from_millis(2 * DURATION_MS)).await;
    not_found(client.get_backend().app_id(APP).send().await, "app");
    assert_eq!(
        get_job(&client, APP, "dev", job_id).await.status(),
        Some("FAILED")
    );
    not_found(
        client
            .update_backend_job()
            .app_id(APP)
            .backend_environment_name("dev")
            .job_id(uuid::Uuid::new_v4().to_string())
            .status("FAILED")
            .send()
            .await,
        "job",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_job_creating_request_waits_for_the_pending_job() {
    // Long enough that the checks below all run while the job is pending, even on a
    // loaded machine; the job is cancelled at the end rather than waited for.
    let mut config = base_config();
    config.job_duration = Duration::from_millis(1500);
    let server = TestServer::start_with(config).await;
    let client = server.client();
    ready_env(&client, "dev").await;
    let job_id = start_auth(&client, "dev").await;

    let mut refused = vec![
        // The same request again (the auth is not there yet, so only the pending job
        // stands in its way).
        failure(
            client
                .create_backend_auth()
                .app_id(APP)
                .backend_environment_name("dev")
                .resource_name("myauth")
                .resource_config(user_pool_only(user_pool("pool").build()))
                .send()
                .await,
        ),
        failure(
            client
                .import_backend_auth()
                .app_id(APP)
                .backend_environment_name("dev")
                .user_pool_id("us-east-1_AbCdEfGhI")
                .web_client_id("web")
                .native_client_id("native")
                .send()
                .await,
        ),
        failure(
            client
                .create_backend_api()
                .app_id(APP)
                .backend_environment_name("dev")
                .resource_name("myapi")
                .resource_config(api_config(TODO_SCHEMA))
                .send()
                .await,
        ),
        failure(
            client
                .create_backend_storage()
                .app_id(APP)
                .backend_environment_name("dev")
                .resource_name("mystorage")
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
                .await,
        ),
        failure(
            client
                .import_backend_storage()
                .app_id(APP)
                .backend_environment_name("dev")
                .bucket_name("existing-bucket")
                .service_name(aws_sdk_amplifybackend::types::ServiceName::S3)
                .send()
                .await,
        ),
        failure(
            client
                .delete_backend()
                .app_id(APP)
                .backend_environment_name("dev")
                .send()
                .await,
        ),
        failure(
            client
                .clone_backend()
                .app_id(APP)
                .backend_environment_name("dev")
                .target_environment_name("test")
                .send()
                .await,
        ),
        failure(client.remove_all_backends().app_id(APP).send().await),
    ];
    // Still pending: every refusal above happened while the job ran.
    assert_eq!(
        get_job(&client, APP, "dev", &job_id).await.status(),
        Some("RUNNING")
    );
    for f in refused.drain(..) {
        assert_pending(&f, "dev");
    }
    let cancelled = client
        .update_backend_job()
        .app_id(APP)
        .backend_environment_name("dev")
        .job_id(&job_id)
        .status("FAILED")
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), Some("FAILED"));
    // Nothing of the refused requests happened.
    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.backend_environment_list(), ["dev"]);
    let meta = amplify_meta(&client, APP, "dev").await;
    assert!(
        meta.get("api").is_none() && meta.get("storage").is_none() && meta.get("auth").is_none(),
        "{meta}"
    );
    let jobs = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(
        jobs.jobs().len(),
        2,
        "only CreateBackend and the cancelled auth job"
    );
}

/// The status and error of a started job once it has finished, whether it completed at
/// once or completes later.
async fn finished_job(
    client: &Client,
    env: &str,
    job_id: Option<&str>,
) -> (String, Option<String>) {
    let job = wait_for_job(client, APP, env, job_id.unwrap(), WAIT).await;
    (
        job.status().unwrap().to_owned(),
        job.error().map(str::to_owned),
    )
}

/// The same requests on a server whose jobs complete at once and on one whose jobs
/// complete later: a rule broken reads the same whichever check finds it (the job's own
/// transaction, a read before the job, the worker completing it), and a job that fails
/// fails with the same `error`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_rules_read_the_same_whether_jobs_complete_at_once_or_later() {
    let at_once = TestServer::start().await;
    // Long enough that two requests sent one after the other start their jobs before
    // either completes, even on a loaded machine.
    let mut config = base_config();
    config.job_duration = Duration::from_millis(1500);
    let later = TestServer::start_with(config).await;
    let named_otherwise = format!("The app {APP} already exists with the name slowapp, not other.");
    let exists = |env: &str| format!("The backend environment {env} already exists for app {APP}.");
    let schema_error = "type Todo @model {\n  id: ID!\n  tag: NoSuchType\n}\n";

    let mut job_errors = Vec::new();
    for server in [&at_once, &later] {
        let client = server.client();
        let create = |name: &'static str, env: &'static str| {
            client
                .create_backend()
                .app_id(APP)
                .app_name(name)
                .backend_environment_name(env)
                .send()
        };
        let out = create("slowapp", "dev").await.unwrap();
        assert_eq!(
            finished_job(&client, "dev", out.job_id()).await.0,
            "COMPLETED"
        );

        // Refused by the job's own transaction (at once) or by reads before any job.
        let f = bad_request(create("other", "prod").await);
        assert_eq!(f.message, named_otherwise);
        let f = bad_request(create("slowapp", "dev").await);
        assert_eq!(f.message, exists("dev"));

        // A job that cannot be done fails with the same error either way.
        let out = client
            .create_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .resource_config(api_config(schema_error))
            .send()
            .await
            .unwrap();
        assert_eq!(
            finished_job(&client, "dev", out.job_id()).await.0,
            "COMPLETED"
        );
        let out = client
            .generate_backend_api_models()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .send()
            .await
            .unwrap();
        let (status, error) = finished_job(&client, "dev", out.job_id()).await;
        assert_eq!(status, "FAILED");
        job_errors.push(error.unwrap());
    }
    assert_eq!(job_errors[0], job_errors[1]);

    // At once: the environment a clone created refuses a CreateBackend of its name.
    let client = at_once.client();
    let clone = client
        .clone_backend()
        .app_id(APP)
        .backend_environment_name("dev")
        .target_environment_name("test")
        .send()
        .await
        .unwrap();
    assert_eq!(clone.status(), Some("COMPLETED"));
    let refused = bad_request(
        client
            .create_backend()
            .app_id(APP)
            .app_name("slowapp")
            .backend_environment_name("test")
            .send()
            .await,
    );
    assert_eq!(refused.message, exists("test"));

    // Later: both jobs start before either completes; the clone, due first, creates the
    // environment, and the CreateBackend's job fails on completion, in the same words.
    let client = later.client();
    let clone = client
        .clone_backend()
        .app_id(APP)
        .backend_environment_name("dev")
        .target_environment_name("test")
        .send()
        .await
        .unwrap();
    let create = client
        .create_backend()
        .app_id(APP)
        .app_name("slowapp")
        .backend_environment_name("test")
        .send()
        .await
        .unwrap();
    assert_eq!(create.status(), Some("RUNNING"));
    let cloned = wait_for_job(&client, APP, "dev", clone.job_id().unwrap(), WAIT).await;
    assert_eq!(cloned.status(), Some("COMPLETED"));
    let failed = wait_for_job(&client, APP, "test", create.job_id().unwrap(), WAIT).await;
    assert_eq!(failed.status(), Some("FAILED"));
    assert_eq!(failed.error(), Some(refused.message.as_str()));
}
