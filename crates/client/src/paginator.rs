//! The ListBackendJobs paginator, with botocore's `PaginationConfig` semantics
//! (`PageSize`, `MaxItems`, `StartingToken`) and resume tokens that boto3 accepts.

use crate::{Client, Error};
use amplifybackend_model::{
    BackendJobRespObj, BuildError, IntoInput, ListBackendJobsRequest, ListBackendJobsResponse,
    Operation, PAGINATORS,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_core::Stream;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Whether the operation has a paginator. Accepts the model's name (`ListBackendJobs`)
/// or botocore's snake-case name (`list_backend_jobs`).
pub fn can_paginate(operation: &str) -> bool {
    PAGINATORS.iter().any(|p| {
        let name = p.operation.name();
        name == operation || snake(name) == operation || p.operation.cli_name() == operation
    })
}

fn snake(name: &str) -> String {
    Operation::ALL
        .iter()
        .find(|o| o.name() == name)
        .map(|o| o.cli_name().replace('-', "_"))
        .unwrap_or_default()
}

/// A botocore resume token: the service token a page started from, and how many of that
/// page's items were already returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeToken {
    /// The service's `NextToken` of the page to resume in (`None`: the first page).
    pub next_token: Option<String>,
    /// Items of that page already seen.
    pub truncate_amount: Option<usize>,
}

impl ResumeToken {
    /// Encodes as botocore does: base64 of `json.dumps({"NextToken": …,
    /// "boto_truncate_amount": n})`.
    pub fn encode(&self) -> String {
        let mut json = String::from("{\"NextToken\": ");
        match &self.next_token {
            Some(t) => json.push_str(&python_json_string(t)),
            None => json.push_str("null"),
        }
        if let Some(n) = self.truncate_amount {
            json.push_str(&format!(", \"boto_truncate_amount\": {n}"));
        }
        json.push('}');
        STANDARD.encode(json)
    }

    /// Decodes a starting token as botocore does, falling back to its older
    /// `token___index` form and finally to an opaque service token.
    pub fn decode(token: &str) -> Result<ResumeToken, Error> {
        if let Some(parsed) = STANDARD
            .decode(token.trim())
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        {
            let Some(object) = parsed.as_object() else {
                return Err(Error::Pagination {
                    message: format!("Bad starting token: {token}"),
                });
            };
            let next_token = match object.get("NextToken") {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            };
            let truncate_amount = match object.get("boto_truncate_amount") {
                None => None,
                Some(v) => {
                    Some(
                        v.as_u64()
                            .map(|n| n as usize)
                            .ok_or_else(|| Error::Pagination {
                                message: format!("Bad starting token: {token}"),
                            })?,
                    )
                }
            };
            return Ok(ResumeToken {
                next_token: next_token.filter(|t| t != "None"),
                truncate_amount,
            });
        }
        let parts: Vec<&str> = token.split("___").collect();
        if let [t, index] = parts.as_slice()
            && let Ok(index) = index.parse::<usize>()
        {
            return Ok(ResumeToken {
                next_token: Some((*t).to_owned()).filter(|t| t != "None"),
                truncate_amount: Some(index),
            });
        }
        Ok(ResumeToken {
            next_token: Some(token.to_owned()).filter(|t| t != "None"),
            truncate_amount: None,
        })
    }
}

/// `json.dumps(s)` of Python: ASCII only, `\uXXXX` escapes.
fn python_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Configures a ListBackendJobs pagination (see [`Client::list_backend_jobs_paginator`]).
#[derive(Debug, Clone)]
pub struct ListBackendJobsPaginator {
    client: Client,
    /// The input, or what its builder lacked (the first page answers the error).
    input: Result<ListBackendJobsRequest, BuildError>,
    page_size: Option<i32>,
    max_items: Option<usize>,
    starting_token: Option<String>,
}

impl Client {
    /// Paginates ListBackendJobs from the input or its builder: `.pages()` or `.items()` as
    /// a [`Stream`], or `.build_full_result()`.
    pub fn list_backend_jobs_paginator(
        &self,
        input: impl IntoInput<ListBackendJobsRequest>,
    ) -> ListBackendJobsPaginator {
        ListBackendJobsPaginator {
            client: self.clone(),
            input: input.into_input(),
            page_size: None,
            max_items: None,
            starting_token: None,
        }
    }

    /// Whether `operation` can be paginated ([`can_paginate`]).
    pub fn can_paginate(&self, operation: &str) -> bool {
        can_paginate(operation)
    }
}

impl ListBackendJobsPaginator {
    /// Items per request (`MaxResults`; botocore's `PageSize`).
    pub fn page_size(mut self, page_size: i32) -> Self {
        self.page_size = Some(page_size);
        self
    }
    /// Items in all; a cut page ends the pagination with a resume token (`MaxItems`).
    pub fn max_items(mut self, max_items: usize) -> Self {
        self.max_items = Some(max_items);
        self
    }
    /// Where to start: a resume token of an earlier pagination (ours or boto3's), or a
    /// service `NextToken` (`StartingToken`).
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        self.starting_token = Some(token.into());
        self
    }

    /// The pages.
    pub fn pages(self) -> Pages {
        let mut pending_error = None;
        let mut input = self.input.unwrap_or_else(|e| {
            pending_error = Some(Error::Build(e));
            ListBackendJobsRequest::default()
        });
        let mut state = PageState::default();
        if let Some(token) = &self.starting_token {
            match ResumeToken::decode(token) {
                Ok(resume) => {
                    input.next_token = resume.next_token.clone();
                    state.page_start = resume.next_token;
                    state.starting_truncation = resume.truncate_amount.unwrap_or(0);
                }
                Err(e) => {
                    pending_error.get_or_insert(e);
                }
            }
        }
        if let Some(size) = self.page_size {
            input.max_results = Some(size);
        }
        Pages {
            client: self.client,
            input,
            max_items: self.max_items,
            state,
            in_flight: None,
            pending_error,
            done: false,
            resume_token: None,
        }
    }

    /// The jobs, page after page.
    pub fn items(self) -> Items {
        Items {
            pages: self.pages(),
            buffer: VecDeque::new(),
        }
    }

    /// Every page merged as boto3's `build_full_result` does: the jobs, and as `NextToken`
    /// the resume token when `max_items` cut the pagination short.
    pub async fn build_full_result(self) -> Result<ListBackendJobsResponse, Error> {
        let mut pages = self.pages();
        let mut jobs = Vec::new();
        while let Some(page) = std::future::poll_fn(|cx| Pin::new(&mut pages).poll_next(cx)).await {
            jobs.extend(page?.jobs.unwrap_or_default());
        }
        Ok(ListBackendJobsResponse {
            jobs: Some(jobs),
            next_token: pages.resume_token().map(str::to_owned),
        })
    }
}

#[derive(Debug, Default)]
struct PageState {
    /// The service token the current page was requested with.
    page_start: Option<String>,
    starting_truncation: usize,
    first: bool,
    total: usize,
    previous_token: Option<String>,
}

type PageFuture = Pin<Box<dyn Future<Output = Result<ListBackendJobsResponse, Error>> + Send>>;

/// The pages of a ListBackendJobs pagination, as a [`Stream`].
pub struct Pages {
    client: Client,
    input: ListBackendJobsRequest,
    max_items: Option<usize>,
    state: PageState,
    in_flight: Option<PageFuture>,
    pending_error: Option<Error>,
    done: bool,
    resume_token: Option<String>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("input", &self.input)
            .field("max_items", &self.max_items)
            .field("done", &self.done)
            .field("resume_token", &self.resume_token)
            .finish()
    }
}

impl Pages {
    /// When `max_items` ended the pagination, the token to resume from (botocore's
    /// `resume_token`); `None` otherwise or before the end.
    pub fn resume_token(&self) -> Option<&str> {
        self.resume_token.as_deref()
    }

    fn on_page(&mut self, mut page: ListBackendJobsResponse) -> ListBackendJobsResponse {
        let state = &mut self.state;
        if !state.first {
            state.first = true;
            if state.starting_truncation > 0
                && let Some(jobs) = page.jobs.as_mut()
            {
                let skip = state.starting_truncation.min(jobs.len());
                jobs.drain(..skip);
            }
        } else {
            state.starting_truncation = 0;
        }
        let count = page.jobs.as_ref().map_or(0, Vec::len);
        if let Some(max) = self.max_items
            && state.total + count > max
        {
            let keep = max - state.total;
            if let Some(jobs) = page.jobs.as_mut() {
                jobs.truncate(keep);
            }
            self.resume_token = Some(
                ResumeToken {
                    next_token: state.page_start.clone(),
                    truncate_amount: Some(keep + state.starting_truncation),
                }
                .encode(),
            );
            self.done = true;
            return page;
        }
        state.total += count;
        let next = page.next_token.clone().filter(|t| !t.is_empty());
        match next {
            None => self.done = true,
            Some(next) => {
                if self.max_items == Some(state.total) {
                    self.resume_token = Some(
                        ResumeToken {
                            next_token: Some(next),
                            truncate_amount: None,
                        }
                        .encode(),
                    );
                    self.done = true;
                } else if state.previous_token.as_deref() == Some(next.as_str()) {
                    self.pending_error = Some(Error::Pagination {
                        message: format!("The same next token was received twice: {next}"),
                    });
                } else {
                    self.input.next_token = Some(next.clone());
                    state.page_start = Some(next.clone());
                    state.previous_token = Some(next);
                }
            }
        }
        page
    }
}

impl Stream for Pages {
    type Item = Result<ListBackendJobsResponse, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(e) = this.pending_error.take() {
            this.done = true;
            return Poll::Ready(Some(Err(e)));
        }
        if this.done {
            return Poll::Ready(None);
        }
        if this.max_items == Some(0) {
            this.done = true;
            return Poll::Ready(None);
        }
        let future = this.in_flight.get_or_insert_with(|| {
            let client = this.client.clone();
            let input = this.input.clone();
            Box::pin(async move { client.send(input).await })
        });
        match future.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(result) => {
                this.in_flight = None;
                match result {
                    Ok(page) => Poll::Ready(Some(Ok(this.on_page(page)))),
                    Err(e) => {
                        this.done = true;
                        Poll::Ready(Some(Err(e)))
                    }
                }
            }
        }
    }
}

/// The jobs of a ListBackendJobs pagination, as a [`Stream`].
#[derive(Debug)]
pub struct Items {
    pages: Pages,
    buffer: VecDeque<BackendJobRespObj>,
}

impl Items {
    /// See [`Pages::resume_token`].
    pub fn resume_token(&self) -> Option<&str> {
        self.pages.resume_token()
    }
}

impl Stream for Items {
    type Item = Result<BackendJobRespObj, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(job) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(job)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(page.jobs.unwrap_or_default()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_tokens_as_botocore() {
        let t = ResumeToken {
            next_token: None,
            truncate_amount: Some(2),
        };
        // base64.b64encode(json.dumps({"NextToken": None, "boto_truncate_amount": 2}).encode())
        assert_eq!(
            t.encode(),
            "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ=="
        );
        assert_eq!(ResumeToken::decode(&t.encode()).ok(), Some(t));
        let t = ResumeToken {
            next_token: Some("abc".into()),
            truncate_amount: None,
        };
        // base64.b64encode(json.dumps({"NextToken": "abc"}).encode())
        assert_eq!(t.encode(), "eyJOZXh0VG9rZW4iOiAiYWJjIn0=");
        assert_eq!(ResumeToken::decode(&t.encode()).ok(), Some(t));
    }

    #[test]
    fn decodes_legacy_and_opaque_tokens() {
        let t = ResumeToken::decode("tok___3").ok();
        assert_eq!(
            t.map(|t| (t.next_token, t.truncate_amount)),
            Some((Some("tok".into()), Some(3)))
        );
        let t = ResumeToken::decode("opaque!").ok();
        assert_eq!(t.map(|t| t.next_token), Some(Some("opaque!".into())));
    }

    #[test]
    fn knows_what_paginates() {
        assert!(can_paginate("ListBackendJobs"));
        assert!(can_paginate("list_backend_jobs"));
        assert!(!can_paginate("GetBackend"));
        assert!(!can_paginate("ListS3Buckets"));
    }
}
