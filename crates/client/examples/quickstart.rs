//! Creates a backend, adds Cognito auth, waits for the job and lists the environment's
//! jobs with the paginator.
//!
//! ```sh
//! cargo run --release -- serve &            # the local server on 127.0.0.1:4750
//! cargo run -p amplifybackend-client --example quickstart
//! ```
//!
//! Credentials, region and endpoint come from the environment and `~/.aws` like any AWS
//! SDK; unset, this example uses the local server with test credentials.

use amplifybackend_client::model::{
    AuthResources, CreateBackendAuthRequest, CreateBackendAuthResourceConfig,
    CreateBackendAuthUserPoolConfig, CreateBackendRequest, ListBackendJobsRequest,
    RequiredSignUpAttributesElement, Service, SignInMethod,
};
use amplifybackend_client::{Client, Config, Credentials, Error};
use futures_util::TryStreamExt;
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut config = Config::builder();
    if std::env::var_os("AWS_ENDPOINT_URL").is_none() {
        config = config
            .endpoint_url("http://127.0.0.1:4750")
            .region("us-east-1")
            .credentials(Credentials::new("test", "test", None));
    }
    let client = Client::new(config.build());
    let app_id = format!("quickstart{}", std::process::id());

    let job = client
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(&app_id)
                .app_name("Quickstart")
                .backend_environment_name("dev"),
        )
        .await?;
    println!("CreateBackend: job {:?} {:?}", job.job_id, job.status);

    let auth = CreateBackendAuthResourceConfig::builder()
        .auth_resources(AuthResources::UserPoolOnly)
        .service(Service::Cognito)
        .user_pool_configs(
            CreateBackendAuthUserPoolConfig::builder()
                .user_pool_name("quickstartpool")
                .sign_in_method(SignInMethod::Email)
                .required_sign_up_attributes([RequiredSignUpAttributesElement::Email])
                .build()?,
        )
        .build()?;
    let job = client
        .create_backend_auth(
            CreateBackendAuthRequest::builder()
                .app_id(&app_id)
                .backend_environment_name("dev")
                .resource_name("quickstartauth")
                .resource_config(auth),
        )
        .await?;
    let done = client
        .wait_for_job(&app_id, "dev", job.job_id.unwrap_or_default())
        .interval(Duration::from_millis(500))
        .timeout(Duration::from_secs(120))
        .wait()
        .await?;
    println!("CreateBackendAuth: {:?}", done.status);

    let mut jobs = client
        .list_backend_jobs_paginator(
            ListBackendJobsRequest::builder()
                .app_id(&app_id)
                .backend_environment_name("dev"),
        )
        .page_size(10)
        .items();
    while let Some(job) = jobs.try_next().await? {
        println!(
            "{} {} {}",
            job.job_id.unwrap_or_default(),
            job.operation.unwrap_or_default(),
            job.status.unwrap_or_default()
        );
    }
    Ok(())
}
