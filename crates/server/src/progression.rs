//! How the jobs this instance starts progress: completed within the request, by the worker
//! after a while, or only when a test advances them (`/_amplifybackend/jobs/progression`).
//!
//! The setting is this instance's, like its flags; what a job needs to complete is in the
//! database, so a job started here in manual mode can be advanced through any instance,
//! and no worker of any instance completes it by itself.

use amplifybackend_model::Operation;
use amplifybackend_store::NEVER_DUE;
use std::collections::BTreeMap;
use std::sync::RwLock;
use std::time::Duration;

/// How a job progresses from RUNNING.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progression {
    /// Completed within the request that starts it.
    Immediate,
    /// Completed by a worker once this long has passed.
    Time(Duration),
    /// RUNNING until `/_amplifybackend/jobs/advance` (or UpdateBackendJob) finishes it.
    Manual,
}

impl Progression {
    /// The progression `--job-duration-ms` stands for: zero completes jobs at once.
    pub fn from_duration(duration: Duration) -> Progression {
        if duration.is_zero() {
            Progression::Immediate
        } else {
            Progression::Time(duration)
        }
    }

    /// When a job started at `now_ms` falls due; `None`: it completes within its request.
    pub fn due_at_ms(self, now_ms: i64) -> Option<i64> {
        match self {
            Progression::Immediate => None,
            Progression::Time(d) => {
                Some(now_ms.saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)))
            }
            Progression::Manual => Some(NEVER_DUE),
        }
    }
}

/// The default progression and the operations that have one of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// For every operation without a setting of its own.
    pub default: Progression,
    /// Per operation, by its name.
    pub operations: BTreeMap<&'static str, Progression>,
}

/// This instance's job progression, changed while it serves.
#[derive(Debug)]
pub struct JobProgression(RwLock<Settings>);

impl JobProgression {
    /// Every operation progressing as `default`.
    pub fn new(default: Progression) -> JobProgression {
        JobProgression(RwLock::new(Settings {
            default,
            operations: BTreeMap::new(),
        }))
    }

    /// The progression of the jobs `operation` starts.
    pub fn of(&self, operation: Operation) -> Progression {
        let settings = self.settings();
        settings
            .operations
            .get(operation.name())
            .copied()
            .unwrap_or(settings.default)
    }

    /// Whether any operation's jobs complete later than their request (the worker then
    /// looks for due jobs often).
    pub fn defers_any(&self) -> bool {
        let settings = self.settings();
        settings.default != Progression::Immediate
            || settings
                .operations
                .values()
                .any(|p| *p != Progression::Immediate)
    }

    /// The whole setting.
    pub fn settings(&self) -> Settings {
        match self.0.read() {
            Ok(settings) => settings.clone(),
            // A writer that panicked left a whole value: the lock only guards a swap.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Sets one operation's progression, or (none given) the default, forgetting every
    /// operation's own.
    pub fn set(&self, operation: Option<Operation>, progression: Progression) {
        let mut settings = match self.0.write() {
            Ok(settings) => settings,
            Err(poisoned) => poisoned.into_inner(),
        };
        match operation {
            Some(op) => {
                settings.operations.insert(op.name(), progression);
            }
            None => {
                settings.default = progression;
                settings.operations.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_of_its_own_overrides_the_default_until_the_default_is_set() {
        let p = JobProgression::new(Progression::Immediate);
        assert!(!p.defers_any());
        p.set(Some(Operation::CreateBackendAuth), Progression::Manual);
        assert_eq!(p.of(Operation::CreateBackendAuth), Progression::Manual);
        assert_eq!(p.of(Operation::CreateBackend), Progression::Immediate);
        assert!(p.defers_any());
        p.set(None, Progression::Time(Duration::from_millis(5)));
        assert_eq!(
            p.of(Operation::CreateBackendAuth),
            Progression::Time(Duration::from_millis(5))
        );
        assert_eq!(Progression::Manual.due_at_ms(10), Some(NEVER_DUE));
        assert_eq!(Progression::Immediate.due_at_ms(10), None);
        assert_eq!(
            Progression::Time(Duration::from_millis(5)).due_at_ms(10),
            Some(15)
        );
    }
}
