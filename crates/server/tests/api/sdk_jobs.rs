//! Jobs through the AWS SDK with inline jobs: GetBackendJob, ListBackendJobs (order,
//! filters, limits, pagination, tokens), UpdateBackendJob on finished jobs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::types::BackendApiResourceConfig;

const APP: &str = "d5jobsapp";

/// An environment with `n` jobs (CreateBackend, CreateBackendAPI, then UpdateBackendAPI);
/// returns their ids oldest first.
async fn env_with_jobs(client: &Client, env: &str, n: usize) -> Vec<String> {
    assert!(n >= 2);
    let out = client
        .create_backend()
        .app_id(APP)
        .app_name("jobsapp")
        .backend_environment_name(env)
        .send()
        .await
        .unwrap();
    let mut ids = vec![out.job_id().unwrap().to_owned()];
    let out = client
        .create_backend_api()
        .app_id(APP)
        .backend_environment_name(env)
        .resource_name("myapi")
        .resource_config(api_config(TODO_SCHEMA))
        .send()
        .await
        .unwrap();
    ids.push(out.job_id().unwrap().to_owned());
    for i in 2..n {
        let out = client
            .update_backend_api()
            .app_id(APP)
            .backend_environment_name(env)
            .resource_name("myapi")
            .resource_config(
                BackendApiResourceConfig::builder()
                    .api_name(format!("api{i}"))
                    .build(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), Some("COMPLETED"));
        ids.push(out.job_id().unwrap().to_owned());
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_backend_job_answers_the_whole_job() {
    let server = TestServer::start().await;
    let client = server.client();
    let before = now_ms();
    let ids = env_with_jobs(&client, "dev", 2).await;
    let job = get_job(&client, APP, "dev", &ids[1]).await;
    assert_eq!(job.app_id(), Some(APP));
    assert_eq!(job.backend_environment_name(), Some("dev"));
    assert_eq!(job.job_id(), Some(ids[1].as_str()));
    assert_eq!(job.operation(), Some("CreateBackendAPI"));
    assert_eq!(job.status(), Some("COMPLETED"));
    assert_eq!(job.error(), None);
    let created = epoch_ms(job.create_time());
    let updated = epoch_ms(job.update_time());
    assert!(
        created >= before - 1000 && updated >= created,
        "{created} {updated}"
    );

    not_found(
        client
            .get_backend_job()
            .app_id(APP)
            .backend_environment_name("dev")
            .job_id(uuid::Uuid::new_v4().to_string())
            .send()
            .await,
        "job",
    );
    // A job is found only under its own environment.
    create_backend(&client, APP, "jobsapp", "prod").await;
    not_found(
        client
            .get_backend_job()
            .app_id(APP)
            .backend_environment_name("prod")
            .job_id(&ids[1])
            .send()
            .await,
        "job",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_backend_jobs_is_newest_first_with_exact_filters() {
    let server = TestServer::start().await;
    let client = server.client();
    let ids = env_with_jobs(&client, "dev", 5).await;
    create_backend(&client, APP, "jobsapp", "prod").await;

    let out = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(out.next_token(), None);
    let listed: Vec<&str> = out.jobs().iter().map(|j| j.job_id().unwrap()).collect();
    let newest_first: Vec<&str> = ids.iter().rev().map(String::as_str).collect();
    assert_eq!(listed, newest_first);
    let ops: Vec<&str> = out.jobs().iter().map(|j| j.operation().unwrap()).collect();
    assert_eq!(
        ops,
        [
            "UpdateBackendAPI",
            "UpdateBackendAPI",
            "UpdateBackendAPI",
            "CreateBackendAPI",
            "CreateBackend"
        ]
    );
    let times: Vec<i64> = out
        .jobs()
        .iter()
        .map(|j| epoch_ms(j.create_time()))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    for j in out.jobs() {
        assert_eq!(j.app_id(), Some(APP));
        assert_eq!(j.backend_environment_name(), Some("dev"));
        assert_eq!(j.status(), Some("COMPLETED"));
        epoch_ms(j.update_time());
    }

    let list = |job_id: Option<&str>, operation: Option<&str>, status: Option<&str>| {
        client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("dev")
            .set_job_id(job_id.map(str::to_owned))
            .set_operation(operation.map(str::to_owned))
            .set_status(status.map(str::to_owned))
            .send()
    };
    let ids_of = |out: &aws_sdk_amplifybackend::operation::list_backend_jobs::ListBackendJobsOutput| -> Vec<String> {
        out.jobs().iter().map(|j| j.job_id().unwrap().to_owned()).collect()
    };
    assert_eq!(
        ids_of(&list(Some(&ids[1]), None, None).await.unwrap()),
        [ids[1].as_str()]
    );
    assert_eq!(
        ids_of(&list(None, Some("CreateBackendAPI"), None).await.unwrap()),
        [ids[1].as_str()]
    );
    assert_eq!(
        ids_of(&list(None, Some("UpdateBackendAPI"), None).await.unwrap()),
        [ids[4].clone(), ids[3].clone(), ids[2].clone()]
    );
    assert_eq!(
        ids_of(&list(None, None, Some("COMPLETED")).await.unwrap()).len(),
        5
    );
    assert!(ids_of(&list(None, None, Some("FAILED")).await.unwrap()).is_empty());
    // Exact, not prefix or case-insensitive.
    assert!(ids_of(&list(None, Some("UpdateBackend"), None).await.unwrap()).is_empty());
    assert!(ids_of(&list(None, Some("updatebackendapi"), None).await.unwrap()).is_empty());
    assert!(ids_of(&list(Some(&ids[1][..8]), None, None).await.unwrap()).is_empty());
    // Filters combine with AND.
    assert_eq!(
        ids_of(
            &list(Some(&ids[1]), Some("CreateBackendAPI"), Some("COMPLETED"))
                .await
                .unwrap()
        ),
        [ids[1].as_str()]
    );
    assert!(
        ids_of(
            &list(Some(&ids[1]), Some("UpdateBackendAPI"), None)
                .await
                .unwrap()
        )
        .is_empty()
    );
    assert!(
        ids_of(
            &list(None, Some("CreateBackendAPI"), Some("FAILED"))
                .await
                .unwrap()
        )
        .is_empty()
    );
    // Another environment's jobs are not listed.
    let prod = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("prod")
        .send()
        .await
        .unwrap();
    assert_eq!(prod.jobs().len(), 1);
    assert_eq!(prod.jobs()[0].operation(), Some("CreateBackend"));
    assert!(
        ids_of(
            &client
                .list_backend_jobs()
                .app_id(APP)
                .backend_environment_name("prod")
                .job_id(&ids[1])
                .send()
                .await
                .unwrap()
        )
        .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_results_is_1_to_25() {
    let server = TestServer::start().await;
    let client = server.client();
    env_with_jobs(&client, "dev", 3).await;
    // The SDK does not check ranges itself: these reach the server.
    for n in [0, 26, -1] {
        let f = bad_request(
            client
                .list_backend_jobs()
                .app_id(APP)
                .backend_environment_name("dev")
                .max_results(n)
                .send()
                .await,
        );
        assert!(f.message.contains("maxResults"), "{}", f.message);
    }
    for n in [1, 25] {
        let out = client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("dev")
            .max_results(n)
            .send()
            .await
            .unwrap();
        assert_eq!(out.jobs().len(), usize::try_from(n).unwrap().min(3));
    }
}

/// Reads every page of `dev` with `page` per page; the page sizes and the job ids.
async fn pages(client: &Client, page: i32, operation: Option<&str>) -> (Vec<usize>, Vec<String>) {
    let mut token: Option<String> = None;
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    loop {
        let out = client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("dev")
            .max_results(page)
            .set_operation(operation.map(str::to_owned))
            .set_next_token(token.take())
            .send()
            .await
            .unwrap();
        sizes.push(out.jobs().len());
        seen.extend(out.jobs().iter().map(|j| j.job_id().unwrap().to_owned()));
        match out.next_token() {
            Some(t) => token = Some(t.to_owned()),
            None => return (sizes, seen),
        }
        assert!(sizes.len() < 100, "pagination does not end");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagination_returns_every_job_once_in_order() {
    let server = TestServer::start().await;
    let client = server.client();
    let ids = env_with_jobs(&client, "dev", 30).await;
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();

    // Pages of 7: 7 + 7 + 7 + 7 + 2, the last without a token.
    let (sizes, seen) = pages(&client, 7, None).await;
    assert_eq!(sizes, [7, 7, 7, 7, 2]);
    assert_eq!(seen, newest_first);
    // When the jobs end exactly on a page boundary, that page is the last: no token, no
    // empty page after it.
    let (sizes, seen) = pages(&client, 10, None).await;
    assert_eq!(sizes, [10, 10, 10]);
    assert_eq!(seen, newest_first);
    let (sizes, _) = pages(&client, 15, None).await;
    assert_eq!(sizes, [15, 15]);
    assert_eq!(all_job_ids(&client, APP, "dev", 1).await, newest_first);

    // The default page is 25.
    let first = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(first.jobs().len(), 25);
    let token = first.next_token().expect("a nextToken after 25 of 30 jobs");
    let rest = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(rest.jobs().len(), 5);
    assert_eq!(rest.next_token(), None);
    // Filtered pagination.
    let updates: Vec<String> = newest_first[..28].to_vec();
    let (sizes, seen) = pages(&client, 9, Some("UpdateBackendAPI")).await;
    assert_eq!(sizes, [9, 9, 9, 1]);
    assert_eq!(seen, updates);

    // A job started between two pages neither shifts nor repeats the pages after it.
    let first = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .max_results(7)
        .send()
        .await
        .unwrap();
    let token = first.next_token().unwrap().to_owned();
    let newer = client
        .update_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .resource_config(
            BackendApiResourceConfig::builder()
                .api_name("newer")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut seen: Vec<String> = first
        .jobs()
        .iter()
        .map(|j| j.job_id().unwrap().to_owned())
        .collect();
    let mut token = Some(token);
    while let Some(t) = token.take() {
        let out = client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("dev")
            .max_results(7)
            .next_token(t)
            .send()
            .await
            .unwrap();
        seen.extend(out.jobs().iter().map(|j| j.job_id().unwrap().to_owned()));
        token = out.next_token().map(str::to_owned);
    }
    assert_eq!(seen, newest_first);
    let all = all_job_ids(&client, APP, "dev", 25).await;
    assert_eq!(all.len(), 31);
    assert_eq!(all[0], newer.job_id().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_and_foreign_tokens_are_refused() {
    let server = TestServer::start().await;
    let client = server.client();
    env_with_jobs(&client, "dev", 4).await;
    env_with_jobs(&client, "prod", 4).await;
    let out = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .max_results(2)
        .send()
        .await
        .unwrap();
    let token = out.next_token().expect("a nextToken").to_owned();

    let with_token = |env: &str, token: String| {
        client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name(env)
            .max_results(2)
            .next_token(token)
            .send()
    };
    // The token works as issued.
    assert_eq!(
        with_token("dev", token.clone()).await.unwrap().jobs().len(),
        2
    );
    // Each single-character change is refused.
    for i in [0, token.len() / 2, token.len() - 1] {
        let mut bytes = token.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        bad_request(with_token("dev", tampered).await);
    }
    bad_request(with_token("dev", "not a token".to_owned()).await);
    bad_request(with_token("dev", format!("{token}x")).await);
    // A token of another environment.
    bad_request(with_token("prod", token.clone()).await);
    // A token of another query.
    bad_request(
        client
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("dev")
            .operation("UpdateBackendAPI")
            .next_token(token)
            .send()
            .await,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_backend_job_on_finished_jobs() {
    let server = TestServer::start().await;
    let client = server.client();
    let ids = env_with_jobs(&client, "dev", 2).await;
    let before = get_job(&client, APP, "dev", &ids[1]).await;

    // COMPLETED cannot go back to RUNNING (nor to FAILED: a finished job stays finished).
    for status in ["RUNNING", "FAILED"] {
        bad_request(
            client
                .update_backend_job()
                .app_id(APP)
                .backend_environment_name("dev")
                .job_id(&ids[1])
                .status(status)
                .send()
                .await,
        );
    }
    bad_request(
        client
            .update_backend_job()
            .app_id(APP)
            .backend_environment_name("dev")
            .job_id(&ids[1])
            .status("DONE")
            .send()
            .await,
    );
    let after = get_job(&client, APP, "dev", &ids[1]).await;
    assert_eq!(after.status(), Some("COMPLETED"));
    assert_eq!(after.update_time(), before.update_time());

    // Relabelling answers the whole job.
    let out = client
        .update_backend_job()
        .app_id(APP)
        .backend_environment_name("dev")
        .job_id(&ids[1])
        .operation("Relabelled")
        .send()
        .await
        .unwrap();
    assert_eq!(out.job_id(), Some(ids[1].as_str()));
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some("dev"));
    assert_eq!(out.operation(), Some("Relabelled"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_eq!(out.create_time(), before.create_time());
    epoch_ms(out.update_time());
    assert_eq!(
        get_job(&client, APP, "dev", &ids[1]).await.operation(),
        Some("Relabelled")
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
