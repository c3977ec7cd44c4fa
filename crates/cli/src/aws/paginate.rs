//! Automatic pagination of ListBackendJobs, as the AWS CLI does it: every page merged for
//! `json` and `table` (the resume token as `NextToken` when `--max-items` cut it short),
//! each page printed as it comes for `text`, `--query` applied to each.

use super::convert::from_wire;
use super::output::{self, Format};
use super::query::Query;
use super::{Failure, call_failure};
use amplifybackend_client::model::{ListBackendJobsRequest, Operation, OperationInput, Structure};
use amplifybackend_client::{Client, ListBackendJobsPaginator};
use clap::ArgMatches;
use futures_core::Stream;
use serde_json::{Value, json};
use std::io::Write;
use std::pin::Pin;

/// The member of a page that pages add up (botocore's `result_key`).
const RESULT_KEY: &str = "Jobs";

/// Whether `op` is to be paginated: it can be, and neither `--no-paginate` nor the
/// operation's own token or limit (`--next-token`, `--max-results`) was given, which the
/// pagination flags may not accompany.
pub fn wanted(
    op: Operation,
    sub: &ArgMatches,
    wire: &Value,
    no_paginate: bool,
) -> Result<bool, Failure> {
    if !amplifybackend_client::can_paginate(op.name()) {
        return Ok(false);
    }
    let manual = wire.get("nextToken").is_some() || wire.get("maxResults").is_some();
    if !(no_paginate || manual) {
        return Ok(true);
    }
    let paging_used: Vec<String> = ["starting-token", "page-size", "max-items"]
        .into_iter()
        .filter(|a| sub.contains_id(a) && sub.value_source(a).is_some())
        .map(|a| format!("--{a}"))
        .collect();
    if paging_used.is_empty() {
        Ok(false)
    } else {
        Err(Failure::usage(format!(
            "\nCannot specify --no-paginate along with pagination arguments: {}",
            paging_used.join(", ")
        )))
    }
}

fn paginator(
    client: &Client,
    sub: &ArgMatches,
    wire: &Value,
) -> Result<ListBackendJobsPaginator, Failure> {
    // Read into the wire form: the required members were checked with the arguments.
    let mut input: <ListBackendJobsRequest as Structure>::Wire =
        serde_json::from_value(wire.clone())
            .map_err(|e| Failure::usage(format!("\nParameter validation failed:\n{e}")))?;
    for name in ["appId", "backendEnvironmentName"] {
        if let Some(v) = wire.get(name).and_then(Value::as_str) {
            ListBackendJobsRequest::set_uri_param(&mut input, name, v.to_owned());
        }
    }
    let mut paginator = client.list_backend_jobs_paginator(ListBackendJobsRequest::from(input));
    if let Some(size) = sub.get_one::<i32>("page-size") {
        paginator = paginator.page_size(*size);
    }
    if let Some(max) = sub.get_one::<usize>("max-items") {
        paginator = paginator.max_items(*max);
    }
    if let Some(token) = sub.get_one::<String>("starting-token") {
        paginator = paginator.starting_token(token);
    }
    Ok(paginator)
}

/// Every page merged, in wire names.
pub async fn full_result(
    client: &Client,
    op: Operation,
    sub: &ArgMatches,
    wire: &Value,
) -> Result<Value, Failure> {
    let full = paginator(client, sub, wire)?
        .build_full_result()
        .await
        .map_err(|e| call_failure(op.name(), e))?;
    serde_json::to_value(full).map_err(|e| Failure::other(e.to_string()))
}

/// Prints each page as text as it arrives, then the resume token if any, each through
/// `query` (awscli's `TextFormatter`: a page holds only the result key).
pub async fn print_text_pages(
    client: &Client,
    op: Operation,
    sub: &ArgMatches,
    wire: &Value,
    query: Option<&Query>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let output_shape = op.shapes().1;
    let mut pages = paginator(client, sub, wire)?.pages();
    let mut emit = |value: Value| -> Result<(), Failure> {
        let value = match query {
            Some(q) => q.search(&value)?,
            None => value,
        };
        match output::print(Format::Text, op.name(), &value, out) {
            Err(e) if !e.is_broken_pipe() => Err(e.into()),
            _ => Ok(()),
        }
    };
    while let Some(page) = std::future::poll_fn(|cx| Pin::new(&mut pages).poll_next(cx)).await {
        let page = page.map_err(|e| call_failure(op.name(), e))?;
        let wire_page = serde_json::to_value(page).map_err(|e| Failure::other(e.to_string()))?;
        let printed = from_wire(output_shape, &wire_page);
        emit(json!({RESULT_KEY: printed.get(RESULT_KEY).cloned().unwrap_or(Value::Null)}))?;
    }
    if let Some(token) = pages.resume_token() {
        emit(json!({"NextToken": {"NextToken": token}}))?;
    }
    Ok(())
}
