//! [`TimedStore`]: the store decorator behind the `amplifybackend_store_*` metrics.

use super::{Metrics, StoreMethod};
use amplifybackend_store::{
    ApiModels, App, Backend, Bucket, Environment, ImportWhen, Job, JobAdvance, JobPage, JobQuery,
    JobUpdate, NewJob, Resource, ResourceKind, Scope, Snapshot, Store, StoreResult, Tenant, Token,
};
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

/// The [`Store`] decorator that times every call into [`Metrics`].
#[derive(Debug)]
pub struct TimedStore {
    inner: Arc<dyn Store>,
    metrics: Arc<Metrics>,
}

impl TimedStore {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn Store>, metrics: Arc<Metrics>) -> TimedStore {
        TimedStore { inner, metrics }
    }

    async fn timed<T>(
        &self,
        method: StoreMethod,
        call: impl Future<Output = StoreResult<T>>,
    ) -> StoreResult<T> {
        let started = Instant::now();
        let result = call.await;
        self.metrics
            .store_call(method, started.elapsed(), result.is_err());
        result
    }
}

#[async_trait::async_trait]
impl Store for TimedStore {
    fn token_signing_key(&self) -> &[u8] {
        self.inner.token_signing_key()
    }

    async fn get_app(&self, tenant: &Tenant, app_id: &str) -> StoreResult<Option<App>> {
        self.timed(StoreMethod::GetApp, self.inner.get_app(tenant, app_id))
            .await
    }

    async fn list_environments(
        &self,
        tenant: &Tenant,
        app_id: &str,
    ) -> StoreResult<Vec<Environment>> {
        self.timed(
            StoreMethod::ListEnvironments,
            self.inner.list_environments(tenant, app_id),
        )
        .await
    }

    async fn get_environment(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<Environment>> {
        self.timed(
            StoreMethod::GetEnvironment,
            self.inner.get_environment(tenant, app_id, env),
        )
        .await
    }

    async fn get_resource(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        kind: ResourceKind,
    ) -> StoreResult<Option<Resource>> {
        self.timed(
            StoreMethod::GetResource,
            self.inner.get_resource(tenant, app_id, env, kind),
        )
        .await
    }

    async fn list_resources(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Vec<Resource>> {
        self.timed(
            StoreMethod::ListResources,
            self.inner.list_resources(tenant, app_id, env),
        )
        .await
    }

    async fn get_backend(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: Option<&str>,
    ) -> StoreResult<Option<Backend>> {
        self.timed(
            StoreMethod::GetBackend,
            self.inner.get_backend(tenant, app_id, env),
        )
        .await
    }

    async fn get_api_models(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
    ) -> StoreResult<Option<ApiModels>> {
        self.timed(
            StoreMethod::GetApiModels,
            self.inner.get_api_models(tenant, app_id, env),
        )
        .await
    }

    async fn start_job(&self, tenant: &Tenant, job: NewJob) -> StoreResult<Job> {
        self.timed(StoreMethod::StartJob, self.inner.start_job(tenant, job))
            .await
    }

    async fn get_job(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        job_id: &str,
    ) -> StoreResult<Option<Job>> {
        self.timed(
            StoreMethod::GetJob,
            self.inner.get_job(tenant, app_id, env, job_id),
        )
        .await
    }

    async fn list_jobs(
        &self,
        tenant: &Tenant,
        app_id: &str,
        env: &str,
        query: &JobQuery,
    ) -> StoreResult<JobPage> {
        self.timed(
            StoreMethod::ListJobs,
            self.inner.list_jobs(tenant, app_id, env, query),
        )
        .await
    }

    async fn app_has_running_job(&self, tenant: &Tenant, app_id: &str) -> StoreResult<bool> {
        self.timed(
            StoreMethod::AppHasRunningJob,
            self.inner.app_has_running_job(tenant, app_id),
        )
        .await
    }

    async fn update_job(&self, tenant: &Tenant, update: JobUpdate) -> StoreResult<Job> {
        self.timed(
            StoreMethod::UpdateJob,
            self.inner.update_job(tenant, update),
        )
        .await
    }

    async fn complete_due_jobs(&self, now_ms: i64, limit: usize) -> StoreResult<Vec<Job>> {
        self.timed(
            StoreMethod::CompleteDueJobs,
            self.inner.complete_due_jobs(now_ms, limit),
        )
        .await
    }

    async fn next_due_at(&self) -> StoreResult<Option<i64>> {
        self.timed(StoreMethod::NextDueAt, self.inner.next_due_at())
            .await
    }

    async fn create_token(&self, tenant: &Tenant, token: Token) -> StoreResult<()> {
        self.timed(
            StoreMethod::CreateToken,
            self.inner.create_token(tenant, token),
        )
        .await
    }

    async fn get_token(
        &self,
        tenant: &Tenant,
        app_id: &str,
        session_id: &str,
        now_secs: i64,
    ) -> StoreResult<Option<Token>> {
        self.timed(
            StoreMethod::GetToken,
            self.inner.get_token(tenant, app_id, session_id, now_secs),
        )
        .await
    }

    async fn delete_token(
        &self,
        tenant: &Tenant,
        app_id: &str,
        session_id: &str,
        now_secs: i64,
    ) -> StoreResult<bool> {
        self.timed(
            StoreMethod::DeleteToken,
            self.inner
                .delete_token(tenant, app_id, session_id, now_secs),
        )
        .await
    }

    async fn set_login_auth_config(
        &self,
        tenant: &Tenant,
        app_id: &str,
        login_auth_config: Option<serde_json::Value>,
    ) -> StoreResult<App> {
        self.timed(
            StoreMethod::SetLoginAuthConfig,
            self.inner
                .set_login_auth_config(tenant, app_id, login_auth_config),
        )
        .await
    }

    async fn remove_backend_config(&self, tenant: &Tenant, app_id: &str) -> StoreResult<()> {
        self.timed(
            StoreMethod::RemoveBackendConfig,
            self.inner.remove_backend_config(tenant, app_id),
        )
        .await
    }

    async fn list_buckets(&self, tenant: &Tenant) -> StoreResult<Vec<Bucket>> {
        self.timed(StoreMethod::ListBuckets, self.inner.list_buckets(tenant))
            .await
    }

    async fn export_state(&self, scope: &Scope) -> StoreResult<Snapshot> {
        self.timed(StoreMethod::ExportState, self.inner.export_state(scope))
            .await
    }

    async fn import_state(
        &self,
        scope: &Scope,
        snapshot: Snapshot,
        when: ImportWhen,
    ) -> StoreResult<bool> {
        self.timed(
            StoreMethod::ImportState,
            self.inner.import_state(scope, snapshot, when),
        )
        .await
    }

    async fn advance_job(&self, scope: &Scope, advance: JobAdvance) -> StoreResult<(Tenant, Job)> {
        self.timed(
            StoreMethod::AdvanceJob,
            self.inner.advance_job(scope, advance),
        )
        .await
    }

    async fn ping(&self) -> StoreResult<()> {
        self.timed(StoreMethod::Ping, self.inner.ping()).await
    }
}
