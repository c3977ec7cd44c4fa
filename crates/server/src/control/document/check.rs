//! The rules a state document must keep before anything of it is stored: keys well
//! formed, every row in the scope imported, no duplicate, no environment without its app,
//! no resource or API models without their environment, one RUNNING job per environment,
//! nothing still to do on a finished job.

use super::{Document, DocumentError, problem};
use amplifybackend_store::{JobStatus, Scope, Tenant};
use std::collections::HashSet;

/// Checks a row's keys and that it lies within the scope.
fn check_owner(
    path: &str,
    account: &str,
    region: &str,
    scope: &Scope,
) -> Result<Tenant, DocumentError> {
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(problem(format!("{path}.accountId"), "must be 12 digits"));
    }
    let region_ok = !region.is_empty()
        && region.len() <= 64
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !region_ok {
        return Err(problem(
            format!("{path}.region"),
            "must be a region name (lowercase letters, digits and '-')",
        ));
    }
    let tenant = Tenant {
        account: account.to_owned(),
        region: region.to_owned(),
    };
    if !scope.contains(&tenant) {
        let field = if scope.account.as_ref().is_some_and(|a| *a != tenant.account) {
            "accountId"
        } else {
            "region"
        };
        return Err(problem(
            format!("{path}.{field}"),
            "lies outside the account and region being imported",
        ));
    }
    Ok(tenant)
}

fn non_empty(path: String, value: &str) -> Result<(), DocumentError> {
    if value.is_empty() || value.len() > 1024 {
        return Err(problem(path, "must be 1 to 1024 characters"));
    }
    Ok(())
}

/// A key seen a second time: the first duplicate's path.
fn once<K: std::hash::Hash + Eq>(
    seen: &mut HashSet<K>,
    key: K,
    path: String,
    what: &str,
) -> Result<(), DocumentError> {
    if seen.insert(key) {
        Ok(())
    } else {
        Err(problem(path, format!("a second {what}")))
    }
}

type EnvKey = (Tenant, String, String);

/// The rules of the data, in the order of the document's lists.
pub(super) fn check(doc: &Document, scope: &Scope) -> Result<(), DocumentError> {
    let mut apps = HashSet::new();
    for (i, a) in doc.apps.iter().enumerate() {
        let path = format!("$.apps[{i}]");
        let t = check_owner(&path, &a.account_id, &a.region, scope)?;
        non_empty(format!("{path}.appId"), &a.app_id)?;
        non_empty(format!("{path}.appName"), &a.app_name)?;
        once(&mut apps, (t, a.app_id.clone()), path, "app of this appId")?;
    }
    let mut envs: HashSet<EnvKey> = HashSet::new();
    for (i, e) in doc.environments.iter().enumerate() {
        let path = format!("$.environments[{i}]");
        let t = check_owner(&path, &e.account_id, &e.region, scope)?;
        non_empty(format!("{path}.name"), &e.name)?;
        if !apps.contains(&(t.clone(), e.app_id.clone())) {
            return Err(problem(
                format!("{path}.appId"),
                format!("no app {} in $.apps of this account and region", e.app_id),
            ));
        }
        let key = (t, e.app_id.clone(), e.name.clone());
        once(&mut envs, key, path, "environment of this name in the app")?;
    }
    let in_env = |path: &str, t: Tenant, app_id: &str, env: &str| {
        if envs.contains(&(t, app_id.to_owned(), env.to_owned())) {
            Ok(())
        } else {
            Err(problem(
                format!("{path}.backendEnvironmentName"),
                format!("no environment {env} of app {app_id} in $.environments"),
            ))
        }
    };
    let mut resources = HashSet::new();
    for (i, r) in doc.resources.iter().enumerate() {
        let path = format!("$.resources[{i}]");
        let t = check_owner(&path, &r.account_id, &r.region, scope)?;
        non_empty(format!("{path}.resourceName"), &r.resource_name)?;
        in_env(&path, t.clone(), &r.app_id, &r.backend_environment_name)?;
        let key = (
            t,
            r.app_id.clone(),
            r.backend_environment_name.clone(),
            r.kind,
        );
        once(
            &mut resources,
            key,
            path,
            "resource of this kind in the environment",
        )?;
    }
    let mut models = HashSet::new();
    for (i, m) in doc.api_models.iter().enumerate() {
        let path = format!("$.apiModels[{i}]");
        let t = check_owner(&path, &m.account_id, &m.region, scope)?;
        in_env(&path, t.clone(), &m.app_id, &m.backend_environment_name)?;
        let key = (t, m.app_id.clone(), m.backend_environment_name.clone());
        once(
            &mut models,
            key,
            path,
            "set of API models for the environment",
        )?;
    }
    let mut job_ids = HashSet::new();
    let mut sequences: HashSet<i64> = HashSet::new();
    let mut running = HashSet::new();
    for (i, j) in doc.jobs.iter().enumerate() {
        let path = format!("$.jobs[{i}]");
        let t = check_owner(&path, &j.account_id, &j.region, scope)?;
        non_empty(format!("{path}.jobId"), &j.job_id)?;
        non_empty(format!("{path}.appId"), &j.app_id)?;
        non_empty(
            format!("{path}.backendEnvironmentName"),
            &j.backend_environment_name,
        )?;
        non_empty(format!("{path}.operation"), &j.operation)?;
        once(
            &mut job_ids,
            j.job_id.clone(),
            format!("{path}.jobId"),
            "job of this jobId",
        )?;
        if let Some(seq) = j.sequence {
            if seq < 1 {
                return Err(problem(format!("{path}.sequence"), "must be at least 1"));
            }
            once(
                &mut sequences,
                seq,
                format!("{path}.sequence"),
                "job of this sequence",
            )?;
        }
        if j.status == JobStatus::Running {
            let key = (t, j.app_id.clone(), j.backend_environment_name.clone());
            if !running.insert(key) {
                return Err(problem(
                    format!("{path}.status"),
                    format!(
                        "a second RUNNING job in environment {} of app {}",
                        j.backend_environment_name, j.app_id
                    ),
                ));
            }
            if j.error.is_some() {
                return Err(problem(
                    format!("{path}.error"),
                    "a RUNNING job has no error",
                ));
            }
        } else {
            if j.due_at_ms.is_some() {
                return Err(problem(
                    format!("{path}.dueAtMs"),
                    "only a RUNNING job is due",
                ));
            }
            if j.changes.is_some() {
                return Err(problem(
                    format!("{path}.changes"),
                    "only a RUNNING job has changes still to apply",
                ));
            }
        }
    }
    let mut sessions = HashSet::new();
    for (i, k) in doc.tokens.iter().enumerate() {
        let path = format!("$.tokens[{i}]");
        let t = check_owner(&path, &k.account_id, &k.region, scope)?;
        non_empty(format!("{path}.sessionId"), &k.session_id)?;
        non_empty(format!("{path}.challengeCode"), &k.challenge_code)?;
        let key = (t, k.app_id.clone(), k.session_id.clone());
        once(
            &mut sessions,
            key,
            path,
            "token of this sessionId for the app",
        )?;
    }
    let mut buckets = HashSet::new();
    for (i, b) in doc.buckets.iter().enumerate() {
        let path = format!("$.buckets[{i}]");
        let t = check_owner(&path, &b.account_id, &b.region, scope)?;
        non_empty(format!("{path}.name"), &b.name)?;
        once(
            &mut buckets,
            (t, b.name.clone()),
            path,
            "bucket of this name",
        )?;
    }
    Ok(())
}
