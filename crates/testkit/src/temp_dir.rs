//! A directory of the test's own under the system temporary directory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A fresh, empty directory, removed with everything in it on drop.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// A new directory whose name starts with `amplifybackend-{tag}-`. Its path is
    /// canonical (absolute, without symbolic links), as `sqlite://` URLs need.
    pub fn new(tag: &str) -> TempDir {
        // The process, a counter and the time: unique across parallel tests and processes.
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!(
            "amplifybackend-{tag}-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).expect("the temporary directory is created");
        let path = path
            .canonicalize()
            .expect("the temporary directory has a canonical path");
        TempDir { path }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `text` to the file `name` (a relative path; missing directories are created)
    /// and answers the file's path as text, the form flags and variables take it in.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.path.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("the file's directory is created");
        }
        std::fs::write(&path, text).expect("the file is written");
        path.display().to_string()
    }

    /// The URL of a SQLite database file in it.
    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.path.join("state.db").display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
