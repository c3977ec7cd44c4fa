//! S3 storage through the AWS SDK: Create/Update/Import/Get/DeleteBackendStorage and
//! ListS3Buckets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::types::*;

const APP: &str = "d4storeapp";

/// `<stem><6 digits>-<env>`.
fn is_physical_name(name: &str, stem: &str, env: &str) -> bool {
    name.strip_prefix(stem)
        .and_then(|rest| rest.strip_suffix(&format!("-{env}")))
        .is_some_and(|digits| digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()))
}

async fn get_storage(client: &Client, env: &str, name: &str) -> GetBackendStorageResourceConfig {
    let out = client
        .get_backend_storage()
        .app_id(APP)
        .backend_environment_name(env)
        .resource_name(name)
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some(env));
    assert_eq!(out.resource_name(), Some(name));
    out.resource_config().cloned().expect("resourceConfig")
}

async fn buckets(client: &Client) -> Vec<S3BucketInfo> {
    let out = client.list_s3_buckets().send().await.unwrap();
    assert_eq!(out.next_token(), None);
    for b in out.buckets() {
        let date = b.creation_date().expect("creationDate");
        assert!(is_iso8601(date), "not ISO-8601: {date}");
    }
    out.buckets().to_vec()
}

fn storage_config(
    bucket: Option<&str>,
    p: BackendStoragePermissions,
) -> CreateBackendStorageResourceConfig {
    CreateBackendStorageResourceConfig::builder()
        .service_name(ServiceName::S3)
        .set_bucket_name(bucket.map(str::to_owned))
        .permissions(p)
        .build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_names_the_bucket_and_lists_it() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "storeapp", "dev").await;
    assert!(buckets(&client).await.is_empty());
    let p = permissions(
        &[AuthenticatedElement::Read, AuthenticatedElement::Delete],
        &[],
    );
    let out = client
        .create_backend_storage()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("mystorage")
        .resource_config(storage_config(Some("MyPhotos"), p.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some("dev"));
    assert_uuid_v4(out.job_id());
    let job = get_job(&client, APP, "dev", out.job_id().unwrap()).await;
    assert_eq!(job.operation(), Some("CreateBackendStorage"));

    let got = get_storage(&client, "dev", "mystorage").await;
    let bucket = got.bucket_name().expect("bucketName").to_owned();
    assert!(is_physical_name(&bucket, "myphotos", "dev"), "{bucket}");
    assert_eq!(got.imported(), Some(false));
    assert_eq!(got.permissions(), Some(&p));
    assert_eq!(got.service_name(), Some(&ServiceName::S3));

    let listed = buckets(&client).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name(), Some(bucket.as_str()));
    let meta = amplify_meta(&client, APP, "dev").await;
    assert_eq!(
        meta["storage"]["mystorage"]["output"]["BucketName"],
        bucket.as_str()
    );
    assert_eq!(meta["storage"]["mystorage"]["output"]["Region"], REGION);

    // Without bucketName the resource name is the stem.
    create_backend(&client, APP, "storeapp", "prod").await;
    create_storage(&client, APP, "prod", "Uploads", None).await;
    let got = get_storage(&client, "prod", "Uploads").await;
    assert!(
        is_physical_name(got.bucket_name().unwrap(), "uploads", "prod"),
        "{got:?}"
    );
    assert_eq!(buckets(&client).await.len(), 2);

    // One storage per environment.
    bad_request(
        client
            .create_backend_storage()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("another")
            .resource_config(storage_config(
                None,
                permissions(&[AuthenticatedElement::Read], &[]),
            ))
            .send()
            .await,
    );
    assert_eq!(buckets(&client).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guest_permissions_need_an_auth_that_allows_guests() {
    let server = TestServer::start().await;
    let client = server.client();
    for env in ["dev", "prod", "test"] {
        create_backend(&client, APP, "storeapp", env).await;
    }
    let guests = permissions(
        &[AuthenticatedElement::Read],
        &[UnAuthenticatedElement::Read],
    );
    let create = |env: &'static str| {
        client
            .create_backend_storage()
            .app_id(APP)
            .backend_environment_name(env)
            .resource_name("mystorage")
            .resource_config(storage_config(None, guests.clone()))
            .send()
    };
    // No auth at all.
    bad_request(create("dev").await);
    // An auth whose identity pool does not let guests in.
    create_auth(&client, APP, "prod", "myauth", with_identity_pool(false)).await;
    bad_request(create("prod").await);
    // A user pool alone has no guests either.
    create_auth(
        &client,
        APP,
        "dev",
        "myauth",
        user_pool_only(user_pool("pool").build()),
    )
    .await;
    bad_request(create("dev").await);
    not_found(
        client
            .get_backend_storage()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("mystorage")
            .send()
            .await,
        "storage",
    );
    assert!(buckets(&client).await.is_empty());
    // An identity pool with unauthenticated logins.
    create_auth(&client, APP, "test", "myauth", with_identity_pool(true)).await;
    assert_eq!(create("test").await.unwrap().status(), Some("COMPLETED"));
    assert_eq!(
        get_storage(&client, "test", "mystorage")
            .await
            .permissions(),
        Some(&guests)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_changes_the_permissions_and_keeps_the_bucket() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "storeapp", "dev").await;
    create_storage(&client, APP, "dev", "mystorage", Some("files")).await;
    let before = get_storage(&client, "dev", "mystorage").await;

    let p = permissions(
        &[
            AuthenticatedElement::Read,
            AuthenticatedElement::CreateAndUpdate,
            AuthenticatedElement::Delete,
        ],
        &[],
    );
    let out = client
        .update_backend_storage()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("mystorage")
        .resource_config(
            UpdateBackendStorageResourceConfig::builder()
                .service_name(ServiceName::S3)
                .permissions(p.clone())
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());
    assert_eq!(
        get_job(&client, APP, "dev", out.job_id().unwrap())
            .await
            .operation(),
        Some("UpdateBackendStorage")
    );
    let after = get_storage(&client, "dev", "mystorage").await;
    assert_eq!(after.permissions(), Some(&p));
    assert_eq!(after.bucket_name(), before.bucket_name());
    assert_eq!(after.imported(), Some(false));

    // Guests without a guest-friendly auth are refused; nothing changes.
    bad_request(
        client
            .update_backend_storage()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("mystorage")
            .resource_config(
                UpdateBackendStorageResourceConfig::builder()
                    .service_name(ServiceName::S3)
                    .permissions(permissions(
                        &[AuthenticatedElement::Read],
                        &[UnAuthenticatedElement::Read],
                    ))
                    .build(),
            )
            .send()
            .await,
    );
    assert_eq!(
        get_storage(&client, "dev", "mystorage").await.permissions(),
        Some(&p)
    );
    not_found(
        client
            .update_backend_storage()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("other")
            .resource_config(
                UpdateBackendStorageResourceConfig::builder()
                    .service_name(ServiceName::S3)
                    .permissions(p)
                    .build(),
            )
            .send()
            .await,
        "storage",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_records_an_existing_bucket() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "storeapp", "dev").await;
    let import = |bucket: &str| {
        client
            .import_backend_storage()
            .app_id(APP)
            .backend_environment_name("dev")
            .bucket_name(bucket)
            .service_name(ServiceName::S3)
            .send()
    };
    let too_long = "a".repeat(64);
    for bad in [
        "ab",
        "Upper-case",
        "a..b",
        "192.168.1.1",
        "-lead",
        "trail-",
        "under_score",
        too_long.as_str(),
    ] {
        bad_request(import(bad).await);
    }
    assert!(buckets(&client).await.is_empty());

    let out = import("my-existing.bucket-1").await.unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());
    assert_eq!(
        get_job(&client, APP, "dev", out.job_id().unwrap())
            .await
            .operation(),
        Some("ImportBackendStorage")
    );
    let meta = amplify_meta(&client, APP, "dev").await;
    let storage = meta["storage"].as_object().expect("a storage category");
    let (name, entry) = storage.iter().next().unwrap();
    assert_eq!(entry["service"], "S3");
    assert_eq!(entry["serviceType"], "imported", "{entry}");
    assert_eq!(entry["output"]["BucketName"], "my-existing.bucket-1");
    let got = get_storage(&client, "dev", name).await;
    assert_eq!(got.imported(), Some(true));
    assert_eq!(got.bucket_name(), Some("my-existing.bucket-1"));
    let listed = buckets(&client).await;
    assert!(
        listed
            .iter()
            .any(|b| b.name() == Some("my-existing.bucket-1")),
        "{listed:?}"
    );

    // The environment has its storage now.
    bad_request(import("another-bucket").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_forgets_the_resource_but_keeps_the_bucket() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "storeapp", "dev").await;
    create_storage(&client, APP, "dev", "mystorage", None).await;
    let bucket = get_storage(&client, "dev", "mystorage")
        .await
        .bucket_name()
        .unwrap()
        .to_owned();
    let out = client
        .delete_backend_storage()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("mystorage")
        .service_name(ServiceName::S3)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());
    assert_eq!(
        get_job(&client, APP, "dev", out.job_id().unwrap())
            .await
            .operation(),
        Some("DeleteBackendStorage")
    );
    not_found(
        client
            .get_backend_storage()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("mystorage")
            .send()
            .await,
        "storage",
    );
    assert!(
        amplify_meta(&client, APP, "dev")
            .await
            .get("storage")
            .is_none()
    );
    let listed = buckets(&client).await;
    assert_eq!(
        listed
            .iter()
            .filter(|b| b.name() == Some(bucket.as_str()))
            .count(),
        1,
        "{listed:?}"
    );
    not_found(
        client
            .delete_backend_storage()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("mystorage")
            .service_name(ServiceName::S3)
            .send()
            .await,
        "storage",
    );
    // Deleting the whole environment keeps buckets as well.
    create_storage(&client, APP, "dev", "again", None).await;
    client
        .delete_backend()
        .app_id(APP)
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(buckets(&client).await.len(), 2);
}
