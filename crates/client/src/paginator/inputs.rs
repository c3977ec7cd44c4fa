//! The paginated operations of both services, and the client methods that start them.

use super::{Paginated, Pagination};
use crate::{Client, amplify};
use amplifybackend_model::amplify::{App, ListAppsRequest, ListAppsResult};
use amplifybackend_model::{
    BackendJobRespObj, IntoInput, ListBackendJobsRequest, ListBackendJobsResponse,
};

/// A pagination of AmplifyBackend's ListBackendJobs (`Jobs` by `NextToken`).
pub type ListBackendJobsPaginator = Pagination<ListBackendJobsRequest>;

impl Paginated for ListBackendJobsRequest {
    type Item = BackendJobRespObj;
    const INPUT_TOKEN: &'static str = "NextToken";

    fn set_next_token(&mut self, token: Option<String>) {
        self.next_token = token;
    }
    fn set_page_size(&mut self, size: i32) {
        self.max_results = Some(size);
    }
    fn items_mut(page: &mut ListBackendJobsResponse) -> Option<&mut Vec<BackendJobRespObj>> {
        page.jobs.as_mut()
    }
    fn into_items(page: ListBackendJobsResponse) -> Vec<BackendJobRespObj> {
        page.jobs.unwrap_or_default()
    }
    fn next_token(page: &ListBackendJobsResponse) -> Option<&str> {
        page.next_token.as_deref()
    }
    fn full_result(
        items: Vec<BackendJobRespObj>,
        resume_token: Option<String>,
    ) -> ListBackendJobsResponse {
        ListBackendJobsResponse {
            jobs: Some(items),
            next_token: resume_token,
        }
    }
}

impl Client {
    /// Paginates ListBackendJobs from the input or its builder: `.pages()` or `.items()` as
    /// a [`Stream`](futures_core::Stream), or `.build_full_result()`.
    pub fn list_backend_jobs_paginator(
        &self,
        input: impl IntoInput<ListBackendJobsRequest>,
    ) -> ListBackendJobsPaginator {
        let client = self.clone();
        Pagination::new(input.into_input(), move |input| {
            let client = client.clone();
            Box::pin(async move { client.send(input).await })
        })
    }

    /// Whether the AmplifyBackend operation can be paginated
    /// ([`can_paginate`](super::can_paginate)).
    pub fn can_paginate(&self, operation: &str) -> bool {
        super::can_paginate(operation)
    }
}

/// A pagination of Amplify's ListApps (`apps` by `nextToken`).
pub type ListAppsPaginator = Pagination<ListAppsRequest>;

impl Paginated for ListAppsRequest {
    type Item = App;
    const INPUT_TOKEN: &'static str = "nextToken";

    fn set_next_token(&mut self, token: Option<String>) {
        self.next_token = token;
    }
    fn set_page_size(&mut self, size: i32) {
        self.max_results = Some(size);
    }
    fn items_mut(page: &mut ListAppsResult) -> Option<&mut Vec<App>> {
        Some(&mut page.apps)
    }
    fn into_items(page: ListAppsResult) -> Vec<App> {
        page.apps
    }
    fn next_token(page: &ListAppsResult) -> Option<&str> {
        page.next_token.as_deref()
    }
    fn full_result(items: Vec<App>, resume_token: Option<String>) -> ListAppsResult {
        ListAppsResult {
            apps: items,
            next_token: resume_token,
        }
    }
}

impl amplify::Client {
    /// Paginates ListApps from the input or its builder: `.pages()` or `.items()` (the
    /// apps) as a [`Stream`](futures_core::Stream), or `.build_full_result()`, with
    /// botocore's `PageSize`, `MaxItems` and `StartingToken`.
    pub fn list_apps_paginator(&self, input: impl IntoInput<ListAppsRequest>) -> ListAppsPaginator {
        let client = self.clone();
        Pagination::new(input.into_input(), move |input| {
            let client = client.clone();
            Box::pin(async move { client.send(input).await })
        })
    }
}
