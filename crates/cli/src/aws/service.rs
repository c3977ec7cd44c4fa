//! The two services the API commands call, each driven by its generated model: AmplifyBackend,
//! whose commands stand at the top level (`amplifybackend get-backend`, as `aws
//! amplifybackend get-backend`), and Amplify, whose commands stand under `amplify`
//! (`amplifybackend amplify list-apps`, as `aws amplify list-apps`).

use super::globals::ApiClient;
use amplifybackend_client::Error;
use amplifybackend_client::model::amplify;
use amplifybackend_client::model::schema::{self, Member, ShapeKind};
use amplifybackend_client::model::{self, Paginator};
use serde_json::Value;

/// A service with commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// AmplifyBackend 2020-08-11.
    AmplifyBackend,
    /// Amplify 2017-07-25.
    Amplify,
}

/// The Amplify operations the server serves, hence the ones with a command: apps, backend
/// environments and tags. The rest (branches, domains, webhooks, jobs, …) are answered as
/// not served, so a command would only ever fail.
const AMPLIFY_SERVED: [amplify::Operation; 12] = [
    amplify::Operation::CreateApp,
    amplify::Operation::CreateBackendEnvironment,
    amplify::Operation::DeleteApp,
    amplify::Operation::DeleteBackendEnvironment,
    amplify::Operation::GetApp,
    amplify::Operation::GetBackendEnvironment,
    amplify::Operation::ListApps,
    amplify::Operation::ListBackendEnvironments,
    amplify::Operation::ListTagsForResource,
    amplify::Operation::TagResource,
    amplify::Operation::UntagResource,
    amplify::Operation::UpdateApp,
];

impl Service {
    /// The command that groups the service's commands (`None`: they stand at the top level).
    pub fn group(self) -> Option<&'static str> {
        match self {
            Service::AmplifyBackend => None,
            Service::Amplify => Some("amplify"),
        }
    }

    /// What the group command's help says.
    pub fn about(self) -> &'static str {
        match self {
            Service::AmplifyBackend => "AmplifyBackend 2020-08-11",
            Service::Amplify => {
                "The Amplify service (2017-07-25): apps, backend environments and tags"
            }
        }
    }

    /// The operations with a command, in the model's order.
    pub fn operations(self) -> Vec<Op> {
        match self {
            Service::AmplifyBackend => model::Operation::ALL.into_iter().map(Op::Backend).collect(),
            Service::Amplify => amplify::Operation::ALL
                .into_iter()
                .filter(|o| AMPLIFY_SERVED.contains(o))
                .map(Op::Amplify)
                .collect(),
        }
    }

    /// The operation whose command is `cli_name`.
    pub fn find(self, cli_name: &str) -> Option<Op> {
        self.operations()
            .into_iter()
            .find(|o| o.cli_name() == cli_name)
    }

    /// The shape named `name` in the service's model.
    pub fn shape(self, name: &str) -> Option<ShapeKind> {
        match self {
            Service::AmplifyBackend => schema::shape(name),
            Service::Amplify => amplify::schema::shape(name),
        }
    }

    /// The members of structure `name` (empty for anything else).
    pub fn members(self, name: &str) -> &'static [Member] {
        match self.shape(name) {
            Some(ShapeKind::Structure(members)) => members,
            _ => &[],
        }
    }
}

/// An operation of either service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// An AmplifyBackend operation.
    Backend(model::Operation),
    /// An Amplify operation.
    Amplify(amplify::Operation),
}

/// Where a paginated operation keeps its items and tokens (member names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageKeys {
    /// The member holding a page's items.
    pub result_key: &'static str,
    /// The input member carrying the token.
    pub input_token: &'static str,
    /// The input member limiting a page.
    pub limit_key: &'static str,
    /// The output member carrying the next token.
    pub output_token: &'static str,
}

fn keys<O: PartialEq + Copy>(paginators: &[Paginator<O>], op: O) -> Option<PageKeys> {
    paginators
        .iter()
        .find(|p| p.operation == op)
        .map(|p| PageKeys {
            result_key: p.result_key,
            input_token: p.input_token,
            limit_key: p.limit_key,
            output_token: p.output_token,
        })
}

impl Op {
    /// The operation's service.
    pub fn service(self) -> Service {
        match self {
            Op::Backend(_) => Service::AmplifyBackend,
            Op::Amplify(_) => Service::Amplify,
        }
    }

    /// The model's name (`GetBackend`, `ListApps`).
    pub fn name(self) -> &'static str {
        match self {
            Op::Backend(o) => o.name(),
            Op::Amplify(o) => o.name(),
        }
    }

    /// The AWS CLI's command name (`get-backend`, `list-apps`).
    pub fn cli_name(self) -> &'static str {
        match self {
            Op::Backend(o) => o.cli_name(),
            Op::Amplify(o) => o.cli_name(),
        }
    }

    /// The HTTP method.
    pub fn http_method(self) -> &'static str {
        match self {
            Op::Backend(o) => o.http_method(),
            Op::Amplify(o) => o.http_method(),
        }
    }

    /// The request URI template.
    pub fn uri_template(self) -> &'static str {
        match self {
            Op::Backend(o) => o.uri_template(),
            Op::Amplify(o) => o.uri_template(),
        }
    }

    /// The model's description, as plain text.
    pub fn description(self) -> &'static str {
        match self {
            Op::Backend(o) => o.description(),
            Op::Amplify(o) => o.description(),
        }
    }

    /// The input and output shape names.
    pub fn shapes(self) -> (&'static str, &'static str) {
        match self {
            Op::Backend(o) => o.shapes(),
            Op::Amplify(o) => o.shapes(),
        }
    }

    /// The members of the input, in the model's order.
    pub fn input_members(self) -> &'static [Member] {
        self.service().members(self.shapes().0)
    }

    /// Where the operation's pages keep their items, if it has a paginator.
    pub fn paginator(self) -> Option<PageKeys> {
        match self {
            Op::Backend(o) => keys(model::PAGINATORS, o),
            Op::Amplify(o) => keys(amplify::PAGINATORS, o),
        }
    }

    /// Sends `wire` (the input in wire names) and answers the output in wire names.
    pub async fn send(self, client: &ApiClient, wire: Value) -> Result<Value, Error> {
        match self {
            Op::Backend(o) => client.backend().send_json(o, wire).await,
            Op::Amplify(o) => client.amplify().send_json(o, wire).await,
        }
    }
}
