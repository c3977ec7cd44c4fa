//! A client of the Amplify service (2017-07-25), whose apps AmplifyBackend's `appId`s
//! name: the same configuration, transport, retries and signing as [`crate::Client`],
//! signed for `amplify` and sent to the `amplify` endpoint unless one is configured.

use crate::{Config, Error, ResponseMeta};
use amplifybackend_model::OperationInput;
use amplifybackend_model::amplify::Operation;

/// A client of the Amplify service. Cloning is cheap: clones share the connection pool
/// and the retry quota.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
}

/// The service name requests are signed for.
pub const SIGNING_NAME: &str = "amplify";

impl Client {
    /// A client with this configuration.
    pub fn new(config: Config) -> Client {
        Client {
            inner: crate::Client::for_service(config, SIGNING_NAME),
        }
    }

    /// A client configured from the process environment and the shared AWS files.
    pub fn from_env() -> Client {
        Client::new(Config::from_env())
    }

    /// The client's configuration.
    pub fn config(&self) -> &Config {
        self.inner.config()
    }

    /// Sends any Amplify operation's input and answers its output.
    pub async fn send<I: OperationInput<Operation = Operation>>(
        &self,
        input: I,
    ) -> Result<I::Output, Error> {
        self.inner.send(input).await
    }

    /// [`Client::send`], also answering the request id and the attempts made.
    pub async fn send_with_meta<I: OperationInput<Operation = Operation>>(
        &self,
        input: I,
    ) -> Result<(I::Output, ResponseMeta), Error> {
        self.inner.send_with_meta(input).await
    }

    /// Sends an input given as a JSON document in wire names (URI members included).
    pub(crate) async fn send_value<I: OperationInput<Operation = Operation>>(
        &self,
        value: serde_json::Value,
    ) -> Result<serde_json::Value, Error> {
        self.inner.send_value::<I>(value).await
    }
}
