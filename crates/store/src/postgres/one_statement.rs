//! An inline job's row and its changes as one statement: each statement of the job a
//! data-modifying `WITH` part, and a final `SELECT` that judges their answers and aborts
//! the whole statement (by `amplifybackend_refuse`, a function of the schema) when a rule
//! is broken. PostgreSQL runs it as its own transaction, so the job costs one round trip,
//! one parse and one commit instead of a transaction of a statement per part.
//!
//! Every part of a statement sees the database as it was before the statement began, so
//! only changes that never read what an earlier change of the job wrote go this way
//! ([`composable`]); constraints are checked when the statement ends, so a resource of an
//! environment created by the same statement is accepted.
//!
//! Several requests' jobs may go as one such statement, one job's parts after another's
//! ([`super::group_commit`]).

use super::changes::{self, Judge, Params, Step, app_named_otherwise, job_id_taken, pending_job};
use super::{db_err, is_constraint};
use crate::{Change, JobFailure, StoreResult, Tenant};
use deadpool_postgres::GenericClient;
use std::fmt::Write;

/// The SQLSTATE of `amplifybackend_refuse`; its message is the refusing part's index and
/// its detail what that part found.
const REFUSED: &str = "AB001";

/// Most changes a job may have to go as one statement. Each length and kind of change list
/// is a statement of its own, prepared and kept on every pooled connection; a longer list
/// (RemoveAllBackends of an app with many environments) keeps the transaction, whose
/// statements are the same whatever their number.
const MOST_CHANGES: usize = 8;

/// Whether `changes` can share one statement: a few of them (at most [`MOST_CHANGES`]),
/// none reading another's writes, and no row written by two of them (two parts of one
/// statement changing one row: PostgreSQL keeps one of the two, or refuses the statement).
/// EnableStudio updates the app that EnsureApp may have created just before.
///
/// A constraint violation names its table, not the part that broke it: changes that could
/// break different rules on one table (resources of two environments) go the
/// transaction's way, where each statement is judged on its own, so that the job's error
/// names the right one.
pub(super) fn composable(changes: &[Change]) -> bool {
    if changes.len() > MOST_CHANGES {
        return false;
    }
    let mut rows = Vec::with_capacity(changes.len() + 1);
    let mut constrained: Vec<(&str, &str)> = Vec::with_capacity(changes.len());
    for change in changes {
        let (written, constraint) = match change {
            Change::EnableStudio { .. } => return false,
            Change::EnsureApp { .. } | Change::DeleteApp => (vec![("app", "", None)], None),
            // The app and one environment: two rows, but one change, whose parts read
            // nothing the other wrote.
            Change::CreateBackend { env, .. } => (
                vec![("app", "", None), ("environment", env.as_str(), None)],
                Some(("environments", env.as_str())),
            ),
            Change::CreateEnvironment { env, .. } => (
                vec![("environment", env.as_str(), None)],
                Some(("environments", env.as_str())),
            ),
            Change::DeleteEnvironment { env } => (vec![("environment", env.as_str(), None)], None),
            Change::PutResource { env, kind, .. } => (
                vec![("resource", env.as_str(), Some(*kind))],
                Some(("resources", env.as_str())),
            ),
            Change::DeleteResource { env, kind } => {
                (vec![("resource", env.as_str(), Some(*kind))], None)
            }
            Change::PutApiModels { env, .. } => (
                vec![("api models", env.as_str(), None)],
                Some(("api_models", env.as_str())),
            ),
            Change::AddBucket { name } => (vec![("bucket", name.as_str(), None)], None),
            Change::Fail { .. } => continue,
        };
        for row in written {
            if rows.contains(&row) {
                return false;
            }
            rows.push(row);
        }
        if let Some((table, env)) = constraint {
            if constrained.iter().any(|&(t, e)| t == table && e != env) {
                return false;
            }
            constrained.push((table, env));
        }
    }
    true
}

/// `first` and the statements of `changes`, in order: the parts of one job; or why the
/// job fails without running anything.
pub(super) fn job_steps<'a>(
    tenant: &'a Tenant,
    app_id: &'a String,
    changes: &'a [Change],
    now_ms: &'a i64,
    first: Vec<Step<'a>>,
) -> Result<Vec<Step<'a>>, JobFailure> {
    let mut steps = first;
    for change in changes {
        steps.extend(changes::plan(tenant, app_id, app_id, change, now_ms)?);
    }
    Ok(steps)
}

/// Runs `steps` (one job's, or several jobs' one after the other) as one statement:
/// `Ok(Ok(()))`, all of it is committed; `Ok(Err(failure))`, a change broke a rule and
/// nothing was kept; `Err`, the database failed or a job's row was refused (another job of
/// its environment is RUNNING, or its id is taken: [`crate::StoreError::Rule`]).
pub(super) async fn run<C: GenericClient>(
    client: &C,
    steps: &[Step<'_>],
) -> StoreResult<Result<(), JobFailure>> {
    let (sql, params) = compose(steps);
    let statement = client.prepare_cached(&sql).await.map_err(db_err)?;
    match client.execute(&statement, &params).await {
        Ok(_) => Ok(Ok(())),
        Err(e) => verdict(steps, e),
    }
}

/// The statement and its parameters: part `i` is `s{i}`, its `$n` renumbered after the
/// parameters of the parts before it.
fn compose<'s>(steps: &'s [Step<'_>]) -> (String, Params<'s>) {
    let mut sql = String::with_capacity(steps.iter().map(|s| s.sql.len() + 32).sum());
    let mut params: Params<'s> = Vec::new();
    let mut checks = String::new();
    for (i, step) in steps.iter().enumerate() {
        sql.push_str(if i == 0 { "WITH " } else { ", " });
        let _ = write!(sql, "s{i} AS (");
        renumber(&mut sql, step.sql, params.len());
        params.extend(step.params.iter().copied());
        match &step.judge {
            Judge::NotPending { .. } | Judge::Changed(_) => {
                if !step.sql.contains("RETURNING") {
                    sql.push_str(" RETURNING 1");
                }
                let _ = write!(
                    checks,
                    " WHEN NOT EXISTS (SELECT 1 FROM s{i}) THEN amplifybackend_refuse({i}, NULL)"
                );
            }
            Judge::AppName { expected, .. } => {
                params.push(expected);
                let _ = write!(
                    checks,
                    " WHEN (SELECT app_name FROM s{i}) IS DISTINCT FROM ${n}
                      THEN amplifybackend_refuse({i}, (SELECT app_name FROM s{i}))",
                    n = params.len()
                );
            }
            Judge::Ran | Judge::Constraint { .. } => {}
        }
        sql.push(')');
    }
    if checks.is_empty() {
        sql.push_str(" SELECT 1");
    } else {
        let _ = write!(sql, " SELECT CASE{checks} END");
    }
    (sql, params)
}

/// Appends `sql` with every `$n` made `$(n + offset)`.
fn renumber(out: &mut String, sql: &str, offset: usize) {
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(n) = rest[..digits].parse::<usize>() {
            let _ = write!(out, "{}", n + offset);
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
}

/// What the statement's error means: which part refused, or whose rule a constraint
/// violation broke.
fn verdict(steps: &[Step<'_>], e: tokio_postgres::Error) -> StoreResult<Result<(), JobFailure>> {
    let Some(db) = e.as_db_error() else {
        return Err(db_err(e));
    };
    if db.code().code() == REFUSED {
        let refusing = db
            .message()
            .parse::<usize>()
            .ok()
            .and_then(|i| steps.get(i));
        return match refusing.map(|s| &s.judge) {
            Some(Judge::NotPending { app_id, env, .. }) => Err(pending_job(app_id, env)),
            Some(Judge::Changed(rule)) => Ok(Err(JobFailure::Rule(rule.clone()))),
            Some(Judge::AppName { app_id, expected }) => Ok(Err(JobFailure::Rule(
                app_named_otherwise(app_id, db.detail().unwrap_or_default().to_owned(), expected),
            ))),
            _ => Err(db_err(e)),
        };
    }
    if is_constraint(&e) {
        for step in steps {
            match &step.judge {
                Judge::Constraint { table, rule } if db.table() == Some(*table) => {
                    return Ok(Err(JobFailure::Rule(rule.clone())));
                }
                // The job's own row: its id is taken.
                Judge::NotPending { job_id, .. } if db.table() == Some("jobs") => {
                    return Err(job_id_taken(job_id));
                }
                _ => {}
            }
        }
    }
    Err(db_err(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(sql: &'static str, params: Params<'static>, judge: Judge<'static>) -> Step<'static> {
        Step::new(sql, params, judge)
    }

    #[test]
    fn renumbers_the_parameters_of_later_parts() {
        let mut out = String::new();
        renumber(&mut out, "VALUES ($1, $2, $10) -- $ alone", 3);
        assert_eq!(out, "VALUES ($4, $5, $13) -- $ alone");
    }

    #[test]
    fn judges_every_part_in_order_in_the_final_select() {
        let steps = vec![
            step(
                "INSERT INTO jobs (a) SELECT $1",
                vec![&"j"],
                Judge::NotPending {
                    app_id: "x",
                    env: "dev",
                    job_id: "j",
                },
            ),
            step(
                "INSERT INTO apps (a, b) VALUES ($1, $2) RETURNING app_name",
                vec![&"x", &"n"],
                Judge::AppName {
                    app_id: "x",
                    expected: "n",
                },
            ),
            step("DELETE FROM t WHERE a = $1", vec![&"x"], Judge::Ran),
        ];
        let (sql, params) = compose(&steps);
        assert_eq!(params.len(), 5);
        assert_eq!(
            sql.split_whitespace().collect::<Vec<_>>().join(" "),
            "WITH s0 AS (INSERT INTO jobs (a) SELECT $1 RETURNING 1), \
             s1 AS (INSERT INTO apps (a, b) VALUES ($2, $3) RETURNING app_name), \
             s2 AS (DELETE FROM t WHERE a = $5) \
             SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM s0) THEN amplifybackend_refuse(0, NULL) \
             WHEN (SELECT app_name FROM s1) IS DISTINCT FROM $4 \
             THEN amplifybackend_refuse(1, (SELECT app_name FROM s1)) END"
        );
    }

    #[test]
    fn changes_that_read_or_rewrite_another_s_rows_are_not_composed() {
        let ensure = Change::EnsureApp {
            app_name: "n".to_owned(),
        };
        let studio = Change::EnableStudio {
            backend_manager_app_id: "m".to_owned(),
        };
        let create = |env: &str| Change::CreateEnvironment {
            env: env.to_owned(),
            meta: serde_json::json!({}),
        };
        let delete = |env: &str| Change::DeleteEnvironment {
            env: env.to_owned(),
        };
        let auth = |env: &str| Change::DeleteResource {
            env: env.to_owned(),
            kind: crate::ResourceKind::Auth,
        };
        assert!(composable(&[ensure.clone(), create("dev")]));
        assert!(composable(&[create("dev"), auth("dev"), auth("prod")]));
        assert!(composable(&[
            delete("dev"),
            delete("prod"),
            Change::DeleteApp
        ]));
        assert!(!composable(&[ensure, studio]));
        assert!(!composable(&[delete("dev"), create("dev")]));
        assert!(!composable(&[auth("dev"), auth("dev")]));
        let backend = |env: &str| Change::CreateBackend {
            app_name: "n".to_owned(),
            env: env.to_owned(),
            meta: serde_json::json!({}),
        };
        let put = |env: &str, kind| Change::PutResource {
            env: env.to_owned(),
            kind,
            name: "r".to_owned(),
            config: serde_json::json!({}),
            outputs: serde_json::json!({}),
            imported: false,
        };
        assert!(composable(&[backend("dev")]));
        assert!(!composable(&[
            Change::EnsureApp {
                app_name: "n".into()
            },
            backend("dev")
        ]));
        // Resources of one environment share their rule; of two, they would not.
        use crate::ResourceKind::{Api, Auth};
        assert!(composable(&[
            create("test"),
            put("test", Auth),
            put("test", Api)
        ]));
        assert!(!composable(&[put("dev", Auth), put("prod", Api)]));
        let many: Vec<Change> = (0..=MOST_CHANGES)
            .map(|i| delete(&format!("e{i}")))
            .collect();
        assert!(composable(&many[1..]));
        assert!(!composable(&many));
    }
}
