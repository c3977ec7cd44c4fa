//! Errors as the AWS SDK sees them, and tenancy: accounts and regions see nothing of each
//! other.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::operation::RequestId;
use aws_sdk_amplifybackend::types::ServiceName;
use std::collections::HashSet;

const ACCOUNT_A: &str = "111111111111";
const ACCOUNT_B: &str = "222222222222";
const APP: &str = "d8sharedid";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_names_the_resource_type_and_every_error_has_a_request_id() {
    let server = TestServer::start().await;
    let client = server.client();
    let mut request_ids = HashSet::new();
    let mut keep = |f: Failure| {
        let id = f.request_id.clone().expect("a request id");
        assert!(request_ids.insert(id.clone()), "request id {id} was reused");
    };
    keep(not_found(
        client.get_backend().app_id("nosuchapp").send().await,
        "app",
    ));
    create_backend(&client, APP, "app", "dev").await;
    keep(not_found(
        client
            .get_backend()
            .app_id(APP)
            .backend_environment_name("prod")
            .send()
            .await,
        "environment",
    ));
    keep(not_found(
        client
            .get_backend_job()
            .app_id(APP)
            .backend_environment_name("dev")
            .job_id(uuid::Uuid::new_v4().to_string())
            .send()
            .await,
        "job",
    ));
    keep(not_found(
        client
            .get_token()
            .app_id(APP)
            .session_id(uuid::Uuid::new_v4().to_string())
            .send()
            .await,
        "token",
    ));
    keep(not_found(
        client
            .get_backend_auth()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("a")
            .send()
            .await,
        "auth",
    ));
    keep(not_found(
        client
            .get_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("a")
            .send()
            .await,
        "api",
    ));
    keep(not_found(
        client
            .get_backend_storage()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("a")
            .send()
            .await,
        "storage",
    ));
    keep(bad_request(
        client
            .create_backend()
            .app_id(APP)
            .app_name("app")
            .backend_environment_name("DEV")
            .send()
            .await,
    ));
    keep(bad_request(
        client
            .import_backend_storage()
            .app_id(APP)
            .backend_environment_name("dev")
            .bucket_name("x")
            .service_name(ServiceName::S3)
            .send()
            .await,
    ));
    let f = failure(
        client
            .get_backend_api_models()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("a")
            .send()
            .await,
    );
    assert_eq!(f.code.as_deref(), Some("NotFoundException"));
    keep(f);

    // Successful answers carry request ids too.
    let out = client.get_backend().app_id(APP).send().await.unwrap();
    let id = out
        .request_id()
        .expect("a request id on success")
        .to_owned();
    assert!(request_ids.insert(id));
    let out = client.list_s3_buckets().send().await.unwrap();
    assert!(
        out.request_id()
            .is_some_and(|id| request_ids.insert(id.to_owned()))
    );
}

/// Everything account/region `a` creates, for the isolation checks.
struct Seen {
    job_id: String,
    session_id: String,
    bucket: String,
    list_token: String,
}

async fn populate(client: &Client, app_name: &str) -> Seen {
    create_backend(client, APP, app_name, "dev").await;
    create_auth(client, APP, "dev", "myauth", with_identity_pool(true)).await;
    create_storage(client, APP, "dev", "mystorage", None).await;
    let jobs = client
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .max_results(1)
        .send()
        .await
        .unwrap();
    let job_id = jobs.jobs()[0].job_id().unwrap().to_owned();
    let list_token = jobs.next_token().expect("a nextToken").to_owned();
    let session_id = client
        .create_token()
        .app_id(APP)
        .send()
        .await
        .unwrap()
        .session_id()
        .unwrap()
        .to_owned();
    let bucket = client
        .get_backend_storage()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("mystorage")
        .send()
        .await
        .unwrap()
        .resource_config()
        .unwrap()
        .bucket_name()
        .unwrap()
        .to_owned();
    Seen {
        job_id,
        session_id,
        bucket,
        list_token,
    }
}

/// `other` sees nothing of what `seen` describes, even with an app of the same id.
async fn assert_isolated(owner: &Client, other: &Client, seen: &Seen) {
    not_found(other.get_backend().app_id(APP).send().await, "app");
    not_found(
        other
            .get_token()
            .app_id(APP)
            .session_id(&seen.session_id)
            .send()
            .await,
        "token",
    );
    not_found(
        other
            .delete_token()
            .app_id(APP)
            .session_id(&seen.session_id)
            .send()
            .await,
        "token",
    );
    assert!(
        !other
            .list_s3_buckets()
            .send()
            .await
            .unwrap()
            .buckets()
            .iter()
            .any(|b| b.name() == Some(seen.bucket.as_str())),
        "another tenant lists the bucket"
    );

    // The same app id, created by the other tenant, is a different app.
    create_backend(other, APP, "othername", "dev").await;
    let theirs = other.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(theirs.app_name(), Some("othername"));
    assert!(amplify_meta(other, APP, "dev").await.get("auth").is_none());
    not_found(
        other
            .get_backend_job()
            .app_id(APP)
            .backend_environment_name("dev")
            .job_id(&seen.job_id)
            .send()
            .await,
        "job",
    );
    not_found(
        other
            .update_backend_job()
            .app_id(APP)
            .backend_environment_name("dev")
            .job_id(&seen.job_id)
            .operation("Hijacked")
            .send()
            .await,
        "job",
    );
    let their_jobs = other
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(their_jobs.jobs().len(), 1);
    assert_ne!(their_jobs.jobs()[0].job_id(), Some(seen.job_id.as_str()));
    // A page token is bound to its tenant.
    bad_request(
        other
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("dev")
            .max_results(1)
            .next_token(&seen.list_token)
            .send()
            .await,
    );

    // The owner still sees all of its own.
    let mine = owner.get_backend().app_id(APP).send().await.unwrap();
    assert_ne!(mine.app_name(), Some("othername"));
    assert!(amplify_meta(owner, APP, "dev").await.get("auth").is_some());
    assert_eq!(
        get_job(owner, APP, "dev", &seen.job_id).await.status(),
        Some("COMPLETED")
    );
    owner
        .get_token()
        .app_id(APP)
        .session_id(&seen.session_id)
        .send()
        .await
        .unwrap();
    assert!(
        owner
            .list_s3_buckets()
            .send()
            .await
            .unwrap()
            .buckets()
            .iter()
            .any(|b| b.name() == Some(seen.bucket.as_str()))
    );
    owner
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .max_results(1)
        .next_token(&seen.list_token)
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_do_not_see_each_other() {
    let server = TestServer::start().await;
    let a = server.client_for(ACCOUNT_A, REGION);
    let b = server.client_for(ACCOUNT_B, REGION);
    let seen = populate(&a, "appofa").await;
    assert_isolated(&a, &b, &seen).await;
    // Account ids show in the generated ARNs.
    let meta = amplify_meta(&a, APP, "dev").await;
    let arn = meta["providers"]["awscloudformation"]["AuthRoleArn"]
        .as_str()
        .unwrap();
    assert!(
        arn.starts_with(&format!("arn:aws:iam::{ACCOUNT_A}:role/")),
        "{arn}"
    );
    let meta = amplify_meta(&b, APP, "dev").await;
    let arn = meta["providers"]["awscloudformation"]["AuthRoleArn"]
        .as_str()
        .unwrap();
    assert!(
        arn.starts_with(&format!("arn:aws:iam::{ACCOUNT_B}:role/")),
        "{arn}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regions_do_not_see_each_other() {
    let server = TestServer::start().await;
    let east = server.client_for(ACCOUNT_A, "us-east-1");
    let west = server.client_for(ACCOUNT_A, "eu-west-1");
    let seen = populate(&east, "appofeast").await;
    assert_isolated(&east, &west, &seen).await;
    // The region shows in the generated identifiers.
    create_auth(&west, APP, "dev", "myauth", with_identity_pool(false)).await;
    let meta = amplify_meta(&west, APP, "dev").await;
    assert_eq!(
        meta["providers"]["awscloudformation"]["Region"],
        "eu-west-1"
    );
    let pool = meta["auth"]["myauth"]["output"]["UserPoolId"]
        .as_str()
        .unwrap();
    assert!(pool.starts_with("eu-west-1_"), "{pool}");
    let identity = meta["auth"]["myauth"]["output"]["IdentityPoolId"]
        .as_str()
        .unwrap();
    assert!(identity.starts_with("eu-west-1:"), "{identity}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_access_keys_share_the_default_account() {
    let server = TestServer::start().await;
    let one = server.client_for("AKIDEXAMPLE", REGION);
    let two = server.client_for("AKIDANOTHERKEY", REGION);
    let numbered = server.client_for("000000000000", REGION);
    create_backend(&one, APP, "shared", "dev").await;
    assert_eq!(
        two.get_backend()
            .app_id(APP)
            .send()
            .await
            .unwrap()
            .app_name(),
        Some("shared")
    );
    assert_eq!(
        numbered
            .get_backend()
            .app_id(APP)
            .send()
            .await
            .unwrap()
            .app_name(),
        Some("shared")
    );
    not_found(
        server
            .client_for(ACCOUNT_A, REGION)
            .get_backend()
            .app_id(APP)
            .send()
            .await,
        "app",
    );
}
