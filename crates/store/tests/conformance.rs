//! The store conformance suite, run against each backend this build has.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod suite;

use amplifybackend_store::{Store, StoreOptions};
#[cfg(feature = "postgres")]
use amplifybackend_testkit::PgSchema;
use std::path::PathBuf;
use std::sync::Arc;

/// A fresh store; removes its database files, if any, once the store is closed.
#[derive(Debug)]
pub struct Fresh {
    store: Option<Arc<dyn Store>>,
    path: Option<PathBuf>,
    #[cfg(feature = "postgres")]
    schema: Option<PgSchema>,
}

impl Fresh {
    pub fn store(&self) -> Arc<dyn Store> {
        self.store.clone().expect("open")
    }

    pub fn url(&self) -> &str {
        #[cfg(feature = "postgres")]
        if let Some(schema) = &self.schema {
            return schema.url();
        }
        self.path
            .as_deref()
            .and_then(|p| p.to_str())
            .expect("a file database")
    }

    async fn open(url: &str, path: Option<PathBuf>) -> Fresh {
        let store = amplifybackend_store::open(url, &StoreOptions::default())
            .await
            .unwrap();
        Fresh {
            store: Some(store),
            path,
            #[cfg(feature = "postgres")]
            schema: None,
        }
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        // Closing the last handle waits for the writer thread, so the files are closed.
        drop(self.store.take());
        if let Some(path) = &self.path {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut name = path.clone().into_os_string();
                name.push(suffix);
                let _ = std::fs::remove_file(name);
            }
        }
    }
}

fn temp_db() -> PathBuf {
    std::env::temp_dir().join(format!(
        "amplifybackend-store-test-{}.db",
        uuid::Uuid::new_v4()
    ))
}

async fn sqlite_memory() -> Fresh {
    Fresh::open("sqlite::memory:", None).await
}

async fn sqlite_file() -> Fresh {
    let path = temp_db();
    Fresh::open(&format!("sqlite://{}", path.display()), Some(path)).await
}

/// A temp-file URL with nothing open on it (the check opens it itself).
async fn sqlite_file_url() -> Fresh {
    Fresh {
        store: None,
        path: Some(temp_db()),
        #[cfg(feature = "postgres")]
        schema: None,
    }
}

/// A store on a fresh schema of the PostgreSQL test database.
#[cfg(feature = "postgres")]
async fn postgres() -> Fresh {
    let schema = PgSchema::new();
    let mut fresh = Fresh::open(schema.url(), None).await;
    fresh.schema = Some(schema);
    fresh
}

/// A fresh schema's URL with nothing open on it.
#[cfg(feature = "postgres")]
async fn postgres_url() -> Fresh {
    Fresh {
        store: None,
        path: None,
        schema: Some(PgSchema::new()),
    }
}

mod sqlite_memory {
    use crate::suite::store_conformance;
    store_conformance!(crate::sqlite_memory());
}

mod sqlite_file {
    use crate::suite::{persistent_conformance, store_conformance};
    store_conformance!(crate::sqlite_file());
    persistent_conformance!(crate::sqlite_file_url());
}

#[cfg(feature = "postgres")]
mod postgres {
    use crate::suite::{persistent_conformance, store_conformance};
    store_conformance!(
        [#[cfg_attr(
            not(postgres_tests),
            ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
        )]]
        crate::postgres()
    );
    persistent_conformance!(
        [#[cfg_attr(
            not(postgres_tests),
            ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
        )]]
        crate::postgres_url()
    );
}

/// Two in-memory stores never share data.
#[tokio::test]
async fn sqlite_memory_stores_are_private() {
    let (a, b) = (sqlite_memory().await, sqlite_memory().await);
    let t = suite::fresh_tenant();
    suite::run(
        &a.store(),
        &t,
        "app1",
        "dev",
        suite::create_backend("todo", "dev"),
    )
    .await;
    assert!(b.store().get_app(&t, "app1").await.unwrap().is_none());
    assert_ne!(a.store().token_signing_key(), b.store().token_signing_key());
}
