//! The server's integration tests, one module per area, in one test binary: every test
//! binary links the whole server and the AWS SDK, so one binary instead of one per area
//! builds in a fraction of the time. Nothing here sets process-wide state (environment
//! variables, global subscribers, a paused clock), so the tests share the process safely.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod control_faults;
mod control_jobs;
mod control_journal;
mod control_state;
mod durability;
mod isolation;
mod malformed;
mod metrics;
mod redaction;
mod request_timeout;
mod sdk_api;
mod sdk_auth;
mod sdk_auth_update;
mod sdk_backend;
mod sdk_backend_lifecycle;
mod sdk_errors;
mod sdk_jobs;
mod sdk_jobs_deferred;
mod sdk_postgres;
mod sdk_storage;
mod sdk_tokens_config;
mod signatures;
mod sigv4_suite;
