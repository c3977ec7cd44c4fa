//! Where configuration is looked up: environment variables and files, behind a trait so
//! tests never touch the process environment.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The environment configuration is resolved from.
pub trait Env: Send + Sync + fmt::Debug {
    /// The variable `name`, if set (an empty value counts as unset).
    fn var(&self, name: &str) -> Option<String>;
    /// The text of the file at `path`, if it can be read.
    fn read_file(&self, path: &Path) -> Option<String>;
    /// The user's home directory (where `~/.aws` lives).
    fn home_dir(&self) -> Option<PathBuf>;
}

/// The real process environment and file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
    fn read_file(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
    fn home_dir(&self) -> Option<PathBuf> {
        self.var("HOME")
            .or_else(|| self.var("USERPROFILE"))
            .map(PathBuf::from)
    }
}

/// An environment given as a map of variables; files are read from the real file system
/// only through the paths those variables name (and `HOME`, when set in the map).
#[derive(Debug, Clone, Default)]
pub struct MapEnv {
    vars: HashMap<String, String>,
}

impl MapEnv {
    /// No variables at all: no shared files, no credentials, no region.
    pub fn new() -> MapEnv {
        MapEnv::default()
    }

    /// Adds the variable `name`.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> MapEnv {
        self.vars.insert(name.into(), value.into());
        self
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for MapEnv {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        MapEnv {
            vars: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

impl Env for MapEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).filter(|v| !v.is_empty()).cloned()
    }
    fn read_file(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
    fn home_dir(&self) -> Option<PathBuf> {
        self.var("HOME").map(PathBuf::from)
    }
}

/// The default environment: the process's.
pub(crate) fn process() -> Arc<dyn Env> {
    Arc::new(ProcessEnv)
}
