//! Automatic pagination (ListBackendJobs, ListApps), as the AWS CLI does it: every page
//! merged for `json` and `table` (the resume token as `NextToken` when `--max-items` cut
//! it short), each page printed as it comes for `text`, `--query` applied to each.

use super::convert::from_wire;
use super::globals::ApiClient;
use super::output::{self, Format};
use super::query::Query;
use super::service::Op;
use super::{Failure, call_failure};
use amplifybackend_client::model::amplify::{self, ListAppsRequest};
use amplifybackend_client::model::{self as backend, ListBackendJobsRequest, Structure};
use amplifybackend_client::{Error, Pages, Paginated, Pagination};
use clap::ArgMatches;
use futures_core::Stream;
use serde::Serialize;
use serde_json::{Value, json};
use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The wire name of `op`'s input member `name`.
fn wire_name(op: Op, name: &str) -> Option<&'static str> {
    op.input_members()
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.wire)
}

/// Whether `op` is to be paginated: it can be, and neither `--no-paginate` nor the
/// operation's own token or limit (`--next-token`, `--max-results`) was given, which the
/// pagination flags may not accompany.
pub fn wanted(op: Op, sub: &ArgMatches, wire: &Value, no_paginate: bool) -> Result<bool, Failure> {
    let Some(keys) = op.paginator() else {
        return Ok(false);
    };
    let manual = [keys.input_token, keys.limit_key]
        .into_iter()
        .filter_map(|name| wire_name(op, name))
        .any(|w| wire.get(w).is_some());
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

/// The input of a paginated operation, read from its wire form with its URI members bound
/// (the required members were checked with the arguments).
fn input<I: Paginated>(wire: &Value) -> Result<I, Failure> {
    let mut input: <I as Structure>::Wire = serde_json::from_value(wire.clone())
        .map_err(|e| Failure::usage(format!("\nParameter validation failed:\n{e}")))?;
    if let Some(object) = wire.as_object() {
        for (name, value) in object {
            if let Some(v) = value.as_str() {
                I::set_uri_param(&mut input, name, v.to_owned());
            }
        }
    }
    Ok(input.into())
}

/// `--page-size`, `--max-items` and `--starting-token`, applied.
fn configured<I: Paginated>(mut pagination: Pagination<I>, sub: &ArgMatches) -> Pagination<I> {
    if let Some(size) = sub.get_one::<i32>("page-size") {
        pagination = pagination.page_size(*size);
    }
    if let Some(max) = sub.get_one::<usize>("max-items") {
        pagination = pagination.max_items(*max);
    }
    if let Some(token) = sub.get_one::<String>("starting-token") {
        pagination = pagination.starting_token(token);
    }
    pagination
}

/// A pagination of one of the paginated operations.
enum Paging {
    Jobs(Pagination<ListBackendJobsRequest>),
    Apps(Pagination<ListAppsRequest>),
}

fn paging(client: &ApiClient, op: Op, sub: &ArgMatches, wire: &Value) -> Result<Paging, Failure> {
    match op {
        Op::Backend(backend::Operation::ListBackendJobs) => Ok(Paging::Jobs(configured(
            client
                .backend()
                .list_backend_jobs_paginator(input::<ListBackendJobsRequest>(wire)?),
            sub,
        ))),
        Op::Amplify(amplify::Operation::ListApps) => Ok(Paging::Apps(configured(
            client
                .amplify()
                .list_apps_paginator(input::<ListAppsRequest>(wire)?),
            sub,
        ))),
        _ => Err(Failure::other(format!("{} has no paginator", op.name()))),
    }
}

fn to_value(value: impl Serialize) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::Decode {
        message: e.to_string(),
        meta: Default::default(),
    })
}

/// Every page merged, in member names, as botocore's `build_full_result`: the items, and
/// the resume token as `NextToken` (whatever the service calls its own token) when
/// `--max-items` cut the pagination short.
pub async fn full_result(
    client: &ApiClient,
    op: Op,
    sub: &ArgMatches,
    wire: &Value,
) -> Result<Value, Failure> {
    let full = match paging(client, op, sub, wire)? {
        Paging::Jobs(p) => p.build_full_result().await.and_then(to_value),
        Paging::Apps(p) => p.build_full_result().await.and_then(to_value),
    }
    .map_err(|e| call_failure(op.name(), e))?;
    let mut printed = from_wire(op.service(), op.shapes().1, &full);
    if let (Some(keys), Value::Object(members)) = (op.paginator(), &mut printed)
        && let Some(resume) = members.remove(keys.output_token)
    {
        members.insert("NextToken".to_owned(), resume);
    }
    Ok(printed)
}

/// Pages in wire names, whatever the operation.
trait JsonPages {
    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Value, Error>>>;
    fn resume_token(&self) -> Option<&str>;
}

impl<I: Paginated> JsonPages for Pages<I>
where
    I::Output: Serialize,
{
    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Value, Error>>> {
        Pin::new(self)
            .poll_next(cx)
            .map(|page| page.map(|page| page.and_then(to_value)))
    }

    fn resume_token(&self) -> Option<&str> {
        Pages::resume_token(self)
    }
}

/// Prints each page as text as it arrives, then the resume token if any, each through
/// `query` (awscli's `TextFormatter`: a page holds only the result key).
pub async fn print_text_pages(
    client: &ApiClient,
    op: Op,
    sub: &ArgMatches,
    wire: &Value,
    query: Option<&Query>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let output_shape = op.shapes().1;
    let result_key = op.paginator().map(|k| k.result_key).unwrap_or_default();
    let mut pages: Box<dyn JsonPages> = match paging(client, op, sub, wire)? {
        Paging::Jobs(p) => Box::new(p.pages()),
        Paging::Apps(p) => Box::new(p.pages()),
    };
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
    while let Some(page) = std::future::poll_fn(|cx| pages.poll_page(cx)).await {
        let page = page.map_err(|e| call_failure(op.name(), e))?;
        let printed = from_wire(op.service(), output_shape, &page);
        emit(json!({result_key: printed.get(result_key).cloned().unwrap_or(Value::Null)}))?;
    }
    if let Some(token) = pages.resume_token() {
        emit(json!({"NextToken": {"NextToken": token}}))?;
    }
    Ok(())
}
