//! The AmplifyBackend service: the wire protocol of AWS Amplify Admin's backend API, over a
//! durable [`amplifybackend_store::Store`].
//!
//! ```no_run
//! # async fn run() -> Result<(), amplifybackend_server::ServerError> {
//! use amplifybackend_server::{Server, ServerConfig};
//! let server = Server::bind(ServerConfig::default()).await?;
//! println!("listening on {:?}", server.local_addr());
//! server.serve(async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```

mod body;
pub mod clock;
pub mod config;
mod connection;
pub mod control;
pub mod credentials;
mod dispatch;
pub mod error;
pub mod fuzzing;
mod handlers;
pub mod ids;
mod jobs;
pub mod limits;
mod meta;
pub mod metrics;
mod pagination;
pub mod progression;
mod protocol;
mod server;
pub mod sigv4;
pub mod state;
pub mod tenancy;
mod time;

pub use config::ServerConfig;
pub use server::{Server, ServerError, router};
