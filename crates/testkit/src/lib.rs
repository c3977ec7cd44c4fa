//! What the workspace's integration tests share, so that each rule of the test set-up lives
//! in one place: the real server started in-process ([`server`], feature `server`), a
//! throwaway PostgreSQL schema per test ([`postgres`], feature `postgres`), and a temporary
//! directory removed on drop ([`temp_dir`]).
//!
//! Only ever a dev-dependency. Helpers panic with a message saying what failed: a test
//! that cannot set itself up has nothing better to do.
#![allow(clippy::expect_used)]

#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "server")]
pub mod server;
pub mod temp_dir;

#[cfg(feature = "postgres")]
pub use postgres::PgSchema;
#[cfg(feature = "server")]
pub use server::{TestServer, base_config};
pub use temp_dir::TempDir;
