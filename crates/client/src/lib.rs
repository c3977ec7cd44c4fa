//! An async client of the AWS Amplify Admin backend API (AmplifyBackend 2020-08-11),
//! speaking the same wire protocol as the AWS SDKs, with the model's types from
//! [`amplifybackend_model`].
//!
//! - [`Client`]: one async method per operation, taking the model's input (with its
//!   builder) and answering its output; cheap to clone.
//! - [`Config`]: credentials, region and endpoint, explicit or resolved like botocore from
//!   the environment (`AWS_ACCESS_KEY_ID`, `AWS_REGION`, `AWS_ENDPOINT_URL_AMPLIFYBACKEND`,
//!   …) and the shared `~/.aws/config` / `~/.aws/credentials` profiles; standard-mode
//!   retries; timeouts.
//! - [`Error`]: the modeled exceptions as variants, any other service error, and local
//!   failures; the request id of every service error.
//! - [`Client::list_backend_jobs_paginator`]: pages and jobs as a `Stream`, with botocore's
//!   `PaginationConfig` semantics and resume tokens boto3 accepts.
//! - [`Client::wait_for_job`]: a waiter; [`Client::presign`]: presigned GET URLs.
//! - [`Client::control`]: the server's test control endpoints (reset, snapshots, fault
//!   rules, job progression, the request journal).
//!
//! ```no_run
//! use amplifybackend_client::{Client, Config, Credentials, Error};
//! use amplifybackend_client::model::{CreateBackendRequest, ListBackendJobsRequest};
//! use futures_util::TryStreamExt;
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::new(
//!     Config::builder()
//!         .endpoint_url("http://127.0.0.1:4750")
//!         .region("us-east-1")
//!         .credentials(Credentials::new("test", "test", None))
//!         .build(),
//! );
//! let job = client
//!     .create_backend(
//!         CreateBackendRequest::builder()
//!             .app_id("myapp")
//!             .app_name("My App")
//!             .backend_environment_name("dev"),
//!     )
//!     .await?;
//! let job = client
//!     .wait_for_job("myapp", "dev", job.job_id.unwrap_or_default())
//!     .wait()
//!     .await?;
//! println!("{:?}", job.status);
//!
//! let jobs: Vec<_> = client
//!     .list_backend_jobs_paginator(
//!         ListBackendJobsRequest::builder().app_id("myapp").backend_environment_name("dev"),
//!     )
//!     .page_size(10)
//!     .items()
//!     .try_collect()
//!     .await?;
//! println!("{} jobs", jobs.len());
//!
//! match client.get_backend(amplifybackend_client::model::GetBackendRequest::builder().app_id("nope")).await {
//!     Err(Error::NotFound { resource_type, meta, .. }) => {
//!         println!("no such {resource_type:?} (request {:?})", meta.request_id)
//!     }
//!     other => println!("{other:?}"),
//! }
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod client;
mod config;
pub mod control;
pub mod env;
mod error;
mod generated;
pub mod paginator;
mod profile;
pub mod retry;
mod waiter;

pub use amplifybackend_model as model;
pub use client::{Client, PresignedRequest, ResponseMeta, SIGNING_NAME};
pub use config::{Config, ConfigBuilder, Credentials, RetryConfig, Source, default_endpoint};
pub use control::Control;
pub use env::{Env, MapEnv, ProcessEnv};
pub use error::{Error, ErrorMeta, resolve_code};
pub use paginator::{Items, ListBackendJobsPaginator, Pages, ResumeToken, can_paginate};
pub use waiter::JobWaiter;
