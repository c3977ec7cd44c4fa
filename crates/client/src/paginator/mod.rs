//! The paginators of both services (AmplifyBackend's ListBackendJobs, Amplify's ListApps),
//! with botocore's `PaginationConfig` semantics (`PageSize`, `MaxItems`, `StartingToken`)
//! and resume tokens that boto3 accepts. One state machine serves every paginated
//! operation; [`Paginated`] says where an operation keeps its token, limit and items.

mod inputs;
mod token;

pub use inputs::{ListAppsPaginator, ListBackendJobsPaginator};

use crate::Error;
use amplifybackend_model::{BuildError, OperationInput, PAGINATORS};
use futures_core::Stream;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
pub use token::ResumeToken;

/// Whether the AmplifyBackend operation has a paginator. Accepts the model's name
/// (`ListBackendJobs`), botocore's snake-case name (`list_backend_jobs`) or the CLI's.
pub fn can_paginate(operation: &str) -> bool {
    PAGINATORS.iter().any(|p| {
        let op = p.operation;
        op.name() == operation
            || op.cli_name() == operation
            || op.cli_name().replace('-', "_") == operation
    })
}

/// An operation input that pages: where its request carries the token and the page size,
/// and where its response carries the items and the next token (its `paginators-1.json`
/// entry, as code).
pub trait Paginated:
    OperationInput<Output: Send + 'static> + Clone + Default + std::fmt::Debug + Send + Unpin + 'static
{
    /// One item of a page.
    type Item: Send + Unpin + 'static;
    /// The input token's member name, which keys the token in resume tokens.
    const INPUT_TOKEN: &'static str;
    /// Sets the request's token (`input_token`).
    fn set_next_token(&mut self, token: Option<String>);
    /// Sets the request's page size (`limit_key`).
    fn set_page_size(&mut self, size: i32);
    /// The page's items (`result_key`), when it has the member.
    fn items_mut(page: &mut Self::Output) -> Option<&mut Vec<Self::Item>>;
    /// The page's items, taken.
    fn into_items(page: Self::Output) -> Vec<Self::Item>;
    /// The token of the next page (`output_token`).
    fn next_token(page: &Self::Output) -> Option<&str>;
    /// Every page merged: the items, and the resume token when `MaxItems` cut it short.
    fn full_result(items: Vec<Self::Item>, resume_token: Option<String>) -> Self::Output;
}

type PageFuture<O> = Pin<Box<dyn Future<Output = Result<O, Error>> + Send>>;

/// Sends one page's request: the client of the operation's service.
type Sender<I> = Arc<dyn Fn(I) -> PageFuture<<I as OperationInput>::Output> + Send + Sync>;

/// Configures a pagination of `I`'s operation: `.pages()` or `.items()` as a [`Stream`],
/// or `.build_full_result()`.
pub struct Pagination<I: Paginated> {
    send: Sender<I>,
    /// The input, or what its builder lacked (the first page answers the error).
    input: Result<I, BuildError>,
    page_size: Option<i32>,
    max_items: Option<usize>,
    starting_token: Option<String>,
}

impl<I: Paginated> Clone for Pagination<I> {
    fn clone(&self) -> Self {
        Pagination {
            send: self.send.clone(),
            input: self.input.clone(),
            page_size: self.page_size,
            max_items: self.max_items,
            starting_token: self.starting_token.clone(),
        }
    }
}

impl<I: Paginated> std::fmt::Debug for Pagination<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pagination")
            .field("input", &self.input)
            .field("page_size", &self.page_size)
            .field("max_items", &self.max_items)
            .field("starting_token", &self.starting_token)
            .finish()
    }
}

impl<I: Paginated> Pagination<I> {
    /// A pagination whose pages `send` fetches.
    pub(crate) fn new(
        input: Result<I, BuildError>,
        send: impl Fn(I) -> PageFuture<I::Output> + Send + Sync + 'static,
    ) -> Self {
        Pagination {
            send: Arc::new(send),
            input,
            page_size: None,
            max_items: None,
            starting_token: None,
        }
    }

    /// Items per request (`maxResults`; botocore's `PageSize`).
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
    /// service `nextToken` (`StartingToken`).
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        self.starting_token = Some(token.into());
        self
    }

    /// The pages.
    pub fn pages(self) -> Pages<I> {
        let mut pending_error = None;
        let mut input = self.input.unwrap_or_else(|e| {
            pending_error = Some(Error::Build(e));
            I::default()
        });
        let mut state = PageState::default();
        if let Some(token) = &self.starting_token {
            match ResumeToken::decode_for(token, I::INPUT_TOKEN) {
                Ok(resume) => {
                    input.set_next_token(resume.next_token.clone());
                    state.page_start = resume.next_token;
                    state.starting_truncation = resume.truncate_amount.unwrap_or(0);
                }
                Err(e) => {
                    pending_error.get_or_insert(e);
                }
            }
        }
        if let Some(size) = self.page_size {
            input.set_page_size(size);
        }
        Pages {
            send: self.send,
            input,
            max_items: self.max_items,
            state,
            in_flight: None,
            pending_error,
            done: false,
            resume_token: None,
        }
    }

    /// The items, page after page.
    pub fn items(self) -> Items<I> {
        Items {
            pages: self.pages(),
            buffer: VecDeque::new(),
        }
    }

    /// Every page merged as boto3's `build_full_result` does: the items, and as the next
    /// token the resume token when `max_items` cut the pagination short.
    pub async fn build_full_result(self) -> Result<I::Output, Error> {
        let mut pages = self.pages();
        let mut items = Vec::new();
        while let Some(page) = std::future::poll_fn(|cx| Pin::new(&mut pages).poll_next(cx)).await {
            items.extend(I::into_items(page?));
        }
        Ok(I::full_result(
            items,
            pages.resume_token().map(str::to_owned),
        ))
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

/// The pages of a pagination, as a [`Stream`].
pub struct Pages<I: Paginated> {
    send: Sender<I>,
    input: I,
    max_items: Option<usize>,
    state: PageState,
    in_flight: Option<PageFuture<I::Output>>,
    pending_error: Option<Error>,
    done: bool,
    resume_token: Option<String>,
}

impl<I: Paginated> std::fmt::Debug for Pages<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("input", &self.input)
            .field("max_items", &self.max_items)
            .field("done", &self.done)
            .field("resume_token", &self.resume_token)
            .finish()
    }
}

impl<I: Paginated> Pages<I> {
    /// When `max_items` ended the pagination, the token to resume from (botocore's
    /// `resume_token`); `None` otherwise or before the end.
    pub fn resume_token(&self) -> Option<&str> {
        self.resume_token.as_deref()
    }

    fn on_page(&mut self, mut page: I::Output) -> I::Output {
        let state = &mut self.state;
        if !state.first {
            state.first = true;
            if state.starting_truncation > 0
                && let Some(items) = I::items_mut(&mut page)
            {
                let skip = state.starting_truncation.min(items.len());
                items.drain(..skip);
            }
        } else {
            state.starting_truncation = 0;
        }
        let count = I::items_mut(&mut page).map_or(0, |items| items.len());
        if let Some(max) = self.max_items
            && state.total + count > max
        {
            let keep = max - state.total;
            if let Some(items) = I::items_mut(&mut page) {
                items.truncate(keep);
            }
            self.resume_token = Some(
                ResumeToken {
                    next_token: state.page_start.clone(),
                    truncate_amount: Some(keep + state.starting_truncation),
                }
                .encode_for(I::INPUT_TOKEN),
            );
            self.done = true;
            return page;
        }
        state.total += count;
        let next = I::next_token(&page)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        match next {
            None => self.done = true,
            Some(next) => {
                if self.max_items == Some(state.total) {
                    self.resume_token = Some(
                        ResumeToken {
                            next_token: Some(next),
                            truncate_amount: None,
                        }
                        .encode_for(I::INPUT_TOKEN),
                    );
                    self.done = true;
                } else if state.previous_token.as_deref() == Some(next.as_str()) {
                    self.pending_error = Some(Error::Pagination {
                        message: format!("The same next token was received twice: {next}"),
                    });
                } else {
                    self.input.set_next_token(Some(next.clone()));
                    state.page_start = Some(next.clone());
                    state.previous_token = Some(next);
                }
            }
        }
        page
    }
}

impl<I: Paginated> Stream for Pages<I> {
    type Item = Result<I::Output, Error>;

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
        let future = this
            .in_flight
            .get_or_insert_with(|| (this.send)(this.input.clone()));
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

/// The items of a pagination, as a [`Stream`].
pub struct Items<I: Paginated> {
    pages: Pages<I>,
    buffer: VecDeque<I::Item>,
}

impl<I: Paginated> std::fmt::Debug for Items<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<I: Paginated> Items<I> {
    /// See [`Pages::resume_token`].
    pub fn resume_token(&self) -> Option<&str> {
        self.pages.resume_token()
    }
}

impl<I: Paginated> Stream for Items<I> {
    type Item = Result<I::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(I::into_items(page)),
            }
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_what_paginates() {
        assert!(can_paginate("ListBackendJobs"));
        assert!(can_paginate("list_backend_jobs"));
        assert!(!can_paginate("GetBackend"));
        assert!(!can_paginate("ListS3Buckets"));
    }
}
