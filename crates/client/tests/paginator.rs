//! The ListBackendJobs paginator (botocore's PaginationConfig semantics), the job waiter
//! and presigned URLs, against the real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use amplifybackend_client::model::*;
use amplifybackend_client::{Client, Error, ResumeToken};
use common::{Clients, TestServer, app_id};
use futures_util::{StreamExt, TryStreamExt};
use std::time::Duration;

/// An app whose `dev` environment has 8 jobs (CreateBackend + 7 clones).
async fn app_with_jobs(client: &Client) -> (String, Vec<String>) {
    let app = app_id();
    client
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(&app)
                .app_name("Pages")
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    for target in ["ta", "tb", "tc", "td", "te", "tf", "tg"] {
        client
            .clone_backend(
                CloneBackendRequest::builder()
                    .app_id(&app)
                    .backend_environment_name("dev")
                    .target_environment_name(target),
            )
            .await
            .unwrap();
    }
    let all = client
        .list_backend_jobs(
            ListBackendJobsRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    let ids = all
        .jobs
        .unwrap()
        .into_iter()
        .map(|j| j.job_id.unwrap())
        .collect();
    (app, ids)
}

fn input(app: &str) -> ListBackendJobsRequest {
    ListBackendJobsRequest::builder()
        .app_id(app)
        .backend_environment_name("dev")
        .build()
        .unwrap()
}

fn ids(jobs: &[BackendJobRespObj]) -> Vec<String> {
    jobs.iter().map(|j| j.job_id.clone().unwrap()).collect()
}

#[tokio::test]
async fn pages_and_items_cover_every_job_in_order() {
    let server = TestServer::start().await;
    let client = server.client();
    let (app, all) = app_with_jobs(&client).await;
    assert_eq!(all.len(), 8);

    let pages: Vec<_> = client
        .list_backend_jobs_paginator(input(&app))
        .page_size(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<_> = pages
        .iter()
        .map(|p| p.jobs.as_ref().unwrap().len())
        .collect();
    assert_eq!(sizes, [3, 3, 2]);
    assert!(pages.last().unwrap().next_token.is_none());

    let items: Vec<_> = client
        .list_backend_jobs_paginator(input(&app))
        .page_size(3)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), all);
}

#[tokio::test]
async fn max_items_cuts_mid_page_and_the_resume_token_continues() {
    let server = TestServer::start().await;
    let client = server.client();
    let (app, all) = app_with_jobs(&client).await;

    let mut pages = client
        .list_backend_jobs_paginator(input(&app))
        .page_size(3)
        .max_items(5)
        .pages();
    let mut seen = Vec::new();
    let mut second_page_token = None;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        if second_page_token.is_none() {
            second_page_token = page.next_token.clone();
        }
        seen.extend(ids(page.jobs.as_ref().unwrap()));
    }
    assert_eq!(seen, all[..5]);
    // botocore's token: the service token the cut page started from, and 2 items of it seen.
    let token = pages.resume_token().unwrap().to_owned();
    let decoded = ResumeToken::decode(&token).unwrap();
    assert_eq!(decoded.next_token, second_page_token);
    assert_eq!(decoded.truncate_amount, Some(2));

    let rest = client
        .list_backend_jobs_paginator(input(&app))
        .page_size(3)
        .max_items(5)
        .starting_token(&token)
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(ids(rest.jobs.as_ref().unwrap()), all[5..]);
    assert!(rest.next_token.is_none());
}

#[tokio::test]
async fn max_items_on_a_page_boundary_and_within_the_first_page() {
    let server = TestServer::start().await;
    let client = server.client();
    let (app, all) = app_with_jobs(&client).await;

    // On a boundary: the resume token wraps the service's next token, no truncation.
    let full = client
        .list_backend_jobs_paginator(input(&app))
        .page_size(3)
        .max_items(6)
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(ids(full.jobs.as_ref().unwrap()), all[..6]);
    let token = ResumeToken::decode(full.next_token.as_deref().unwrap()).unwrap();
    assert!(token.next_token.is_some());
    assert_eq!(token.truncate_amount, None);

    // Within the first page: the token has no service token and a truncate amount.
    let first = client
        .list_backend_jobs_paginator(input(&app))
        .max_items(1)
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(ids(first.jobs.as_ref().unwrap()), all[..1]);
    let t = first.next_token.unwrap();
    assert_eq!(
        ResumeToken::decode(&t).unwrap(),
        ResumeToken {
            next_token: None,
            truncate_amount: Some(1)
        }
    );
    // Resuming twice in a row, with a cut inside the resumed page.
    let second = client
        .list_backend_jobs_paginator(input(&app))
        .max_items(2)
        .starting_token(&t)
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(ids(second.jobs.as_ref().unwrap()), all[1..3]);
    assert_eq!(
        ResumeToken::decode(second.next_token.as_deref().unwrap()).unwrap(),
        ResumeToken {
            next_token: None,
            truncate_amount: Some(3)
        }
    );
    // A service token works as a starting token too.
    let page = client
        .list_backend_jobs(
            ListBackendJobsRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .max_results(4),
        )
        .await
        .unwrap();
    let rest = client
        .list_backend_jobs_paginator(input(&app))
        .starting_token(page.next_token.unwrap())
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(ids(rest.jobs.as_ref().unwrap()), all[4..]);
}

#[tokio::test]
async fn errors_end_the_stream() {
    let server = TestServer::start().await;
    let client = server.client();
    let (app, _) = app_with_jobs(&client).await;
    // An opaque starting token goes to the service as is; a malformed one is a 400.
    let mut items = client
        .list_backend_jobs_paginator(input(&app))
        .starting_token("not-a-token")
        .items();
    let first = items.next().await.unwrap();
    assert!(matches!(first, Err(Error::BadRequest { .. })), "{first:?}");
    assert!(items.next().await.is_none());
    // A page size out of range is refused before sending.
    let err = client
        .list_backend_jobs_paginator(input("a"))
        .page_size(0)
        .build_full_result()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}

#[tokio::test]
async fn waits_for_a_job_to_complete_or_fail() {
    let mut config = amplifybackend_testkit::base_config();
    config.job_duration = Duration::from_millis(300);
    let server = TestServer::start_with(config).await;
    let client = server.client();
    let app = app_id();
    let job = client
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(&app)
                .app_name("W")
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    assert_eq!(job.status.as_deref(), Some("RUNNING"));
    let polls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = polls.clone();
    let done = client
        .wait_for_job(&app, "dev", job.job_id.unwrap())
        .interval(Duration::from_millis(50))
        .timeout(Duration::from_secs(10))
        .on_poll(move |_| {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        })
        .wait()
        .await
        .unwrap();
    assert_eq!(done.status.as_deref(), Some("COMPLETED"));
    assert!(polls.load(std::sync::atomic::Ordering::SeqCst) >= 2);

    // A cancelled (FAILED) job: the waiter fails with the job's error.
    let job = client
        .delete_backend(
            DeleteBackendRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    let job_id = job.job_id.unwrap();
    client
        .update_backend_job(
            UpdateBackendJobRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .job_id(&job_id)
                .status("FAILED"),
        )
        .await
        .unwrap();
    let err = client
        .wait_for_job(&app, "dev", &job_id)
        .interval(Duration::from_millis(20))
        .wait()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::JobFailed { job_id: j, .. } if *j == job_id),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_waiter_gives_up_after_its_timeout() {
    let mut config = amplifybackend_testkit::base_config();
    config.job_duration = Duration::from_secs(30);
    let server = TestServer::start_with(config).await;
    let client = server.client();
    let app = app_id();
    let job = client
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(&app)
                .app_name("W")
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    let err = client
        .wait_for_job(&app, "dev", job.job_id.unwrap())
        .interval(Duration::from_millis(50))
        .timeout(Duration::from_millis(200))
        .wait()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::WaiterTimeout { last_status: Some(s), .. } if s == "RUNNING"),
        "{err:?}"
    );
}

/// GET `url` with a bare HTTP/1.1 request; answers (status, body).
async fn plain_get(url: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut sock = tokio::net::TcpStream::connect(host).await.unwrap();
    sock.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut response = String::new();
    sock.read_to_string(&mut response).await.unwrap();
    let status = response.split(' ').nth(1).unwrap().parse().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}

#[tokio::test]
async fn presigned_urls_work_without_the_client() {
    let server = TestServer::start().await;
    let client = server.client();
    let app = app_id();
    let job = client
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(&app)
                .app_name("P")
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    let job_id = job.job_id.unwrap();
    let presigned = client
        .presign_get_backend_job(
            GetBackendJobRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .job_id(&job_id),
            Duration::from_secs(900),
        )
        .unwrap();
    assert_eq!(presigned.method, "GET");
    for param in [
        "X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "X-Amz-Credential=AKIDEXAMPLE%2F",
        "X-Amz-Date=",
        "X-Amz-Expires=900",
        "X-Amz-SignedHeaders=host",
        "X-Amz-Signature=",
    ] {
        assert!(
            presigned.url.contains(param),
            "{param} missing in {}",
            presigned.url
        );
    }
    let (status, body) = plain_get(&presigned.url).await;
    assert_eq!(status, 200, "{body}");
    let fetched: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(fetched["jobId"], job_id.as_str());

    let token = client
        .create_token(CreateTokenRequest::builder().app_id(&app))
        .await
        .unwrap();
    let presigned = client
        .presign_get_token(
            GetTokenRequest::builder()
                .app_id(&app)
                .session_id(token.session_id.unwrap()),
            Duration::from_secs(60),
        )
        .unwrap();
    let (status, body) = plain_get(&presigned.url).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("challengeCode"));

    // Only GET operations, and at most 7 days.
    let err = client
        .presign(
            &GetBackendRequest::builder().app_id(&app).build().unwrap(),
            Duration::from_secs(60),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    let err = client
        .presign_get_token(
            GetTokenRequest::builder().app_id(&app).session_id("s"),
            Duration::from_secs(8 * 24 * 3600),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
}
