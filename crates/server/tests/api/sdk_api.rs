//! AppSync GraphQL APIs through the AWS SDK: Create/Update/Get/DeleteBackendAPI, schema
//! errors, and the model operations this build does not serve yet.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::types::*;

const APP: &str = "d3apiapp";

/// The third line has a field without its colon.
const BROKEN_SCHEMA: &str = "type Todo @model {\n  id: ID!\n  name String\n}\n";

/// Whether `message` says `<word> <n>` (and not a longer number).
fn names(message: &str, word: &str, n: usize) -> bool {
    let needle = format!("{word} {n}");
    message
        .match_indices(&needle)
        .any(|(i, _)| !message[i + needle.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

async fn get_config(client: &Client, env: &str, name: &str) -> BackendApiResourceConfig {
    let out = client
        .get_backend_api()
        .app_id(APP)
        .backend_environment_name(env)
        .resource_name(name)
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some(env));
    assert_eq!(out.resource_name(), Some(name));
    out.resource_config().cloned().expect("resourceConfig")
}

fn full_api_config() -> BackendApiResourceConfig {
    let mut config = api_config(TODO_SCHEMA);
    config.additional_auth_types = Some(vec![
        BackendApiAuthType::builder()
            .mode(Mode::AmazonCognitoUserPools)
            .settings(
                BackendApiAppSyncAuthSettings::builder()
                    .cognito_user_pool_id("us-east-1_AbCdEfGhI")
                    .build(),
            )
            .build(),
    ]);
    config.conflict_resolution = Some(
        BackendApiConflictResolution::builder()
            .resolution_strategy(ResolutionStrategy::Automerge)
            .build(),
    );
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_and_get_round_trip_the_config() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "apiapp", "dev").await;
    let out = client
        .create_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .resource_config(full_api_config())
        .send()
        .await
        .unwrap();
    assert_eq!(out.operation(), Some("CreateBackendAPI"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some("dev"));
    assert_uuid_v4(out.job_id());
    assert_eq!(get_config(&client, "dev", "myapi").await, full_api_config());

    // One API per environment.
    bad_request(
        client
            .create_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("otherapi")
            .resource_config(api_config(TODO_SCHEMA))
            .send()
            .await,
    );
    not_found(
        client
            .get_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("otherapi")
            .send()
            .await,
        "api",
    );
    not_found(
        client
            .create_backend_api()
            .app_id(APP)
            .backend_environment_name("nosuch")
            .resource_name("myapi")
            .resource_config(api_config(TODO_SCHEMA))
            .send()
            .await,
        "environment",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_keeps_members_it_does_not_send() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "apiapp", "dev").await;
    create_api(&client, APP, "dev", "myapi", full_api_config()).await;
    let before = amplify_meta(&client, APP, "dev").await;

    let new_schema = "type Note @model {\n  id: ID!\n  text: String\n}\n";
    let out = client
        .update_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .resource_config(
            BackendApiResourceConfig::builder()
                .transform_schema(new_schema)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.operation(), Some("UpdateBackendAPI"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());
    let mut expected = full_api_config();
    expected.transform_schema = Some(new_schema.to_owned());
    assert_eq!(get_config(&client, "dev", "myapi").await, expected);
    let after = amplify_meta(&client, APP, "dev").await;
    assert_eq!(
        after["api"]["myapi"]["output"]["GraphQLAPIIdOutput"],
        before["api"]["myapi"]["output"]["GraphQLAPIIdOutput"]
    );
    assert_eq!(
        after["api"]["myapi"]["output"]["GraphQLAPIKeyOutput"],
        before["api"]["myapi"]["output"]["GraphQLAPIKeyOutput"]
    );

    // Switching the default auth away from API keys drops the key from the outputs.
    client
        .update_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .resource_config(
            BackendApiResourceConfig::builder()
                .default_auth_type(BackendApiAuthType::builder().mode(Mode::AwsIam).build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let got = get_config(&client, "dev", "myapi").await;
    assert_eq!(
        got.default_auth_type.as_ref().and_then(|a| a.mode.clone()),
        Some(Mode::AwsIam)
    );
    assert_eq!(got.transform_schema.as_deref(), Some(new_schema));
    assert_eq!(got.api_name.as_deref(), Some("todoapi"));
    assert_eq!(
        got.additional_auth_types,
        full_api_config().additional_auth_types
    );
    let meta = amplify_meta(&client, APP, "dev").await;
    let output = &meta["api"]["myapi"]["output"];
    assert_eq!(
        output["GraphQLAPIIdOutput"],
        before["api"]["myapi"]["output"]["GraphQLAPIIdOutput"]
    );
    assert!(output.get("GraphQLAPIKeyOutput").is_none(), "{output}");

    not_found(
        client
            .update_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("otherapi")
            .resource_config(
                BackendApiResourceConfig::builder()
                    .transform_schema(new_schema)
                    .build(),
            )
            .send()
            .await,
        "api",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unparsable_schema_is_a_400_naming_line_and_column() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "apiapp", "dev").await;
    let f = bad_request(
        client
            .create_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .resource_config(api_config(BROKEN_SCHEMA))
            .send()
            .await,
    );
    // `String` (line 3, column 8) is where the colon was expected.
    assert!(
        names(&f.message, "line", 3) && names(&f.message, "column", 8),
        "{}",
        f.message
    );
    not_found(
        client
            .get_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .send()
            .await,
        "api",
    );

    // An update with a broken schema is refused too, and the stored schema stays.
    create_api(&client, APP, "dev", "myapi", api_config(TODO_SCHEMA)).await;
    let broken_later = "type Todo @model {\n  id: ID!\n}\n\ntype Other {\n  x: [Int\n}\n";
    let f = bad_request(
        client
            .update_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .resource_config(
                BackendApiResourceConfig::builder()
                    .transform_schema(broken_later)
                    .build(),
            )
            .send()
            .await,
    );
    // The closing brace (line 7, column 1) is where `]` was expected.
    assert!(
        names(&f.message, "line", 7) && names(&f.message, "column", 1),
        "{}",
        f.message
    );
    assert_eq!(
        get_config(&client, "dev", "myapi")
            .await
            .transform_schema
            .as_deref(),
        Some(TODO_SCHEMA)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_the_api() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "apiapp", "dev").await;
    create_api(&client, APP, "dev", "myapi", api_config(TODO_SCHEMA)).await;
    let out = client
        .delete_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .send()
        .await
        .unwrap();
    assert_eq!(out.operation(), Some("DeleteBackendAPI"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());
    not_found(
        client
            .get_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .send()
            .await,
        "api",
    );
    let meta = amplify_meta(&client, APP, "dev").await;
    assert!(meta.get("api").is_none(), "{meta}");
    not_found(
        client
            .delete_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .send()
            .await,
        "api",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_models_are_latest_then_stale_after_a_schema_change() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "apiapp", "dev").await;
    create_api(&client, APP, "dev", "myapi", api_config(TODO_SCHEMA)).await;
    let get = || {
        client
            .get_backend_api_models()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .send()
    };
    let before = get().await.unwrap();
    assert_eq!(before.status(), Some(&Status::Stale));
    assert_eq!(before.models(), None);

    let job = client
        .generate_backend_api_models()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .send()
        .await
        .unwrap();
    assert_eq!(job.status(), Some("COMPLETED"), "{job:?}");
    assert_eq!(job.operation(), Some("GenerateBackendAPIModels"));
    let latest = get().await.unwrap();
    assert_eq!(latest.status(), Some(&Status::Latest));
    let models = latest.models().unwrap().to_owned();
    assert!(models.starts_with("export const schema = {"), "{models}");
    assert!(models.contains("\"Todo\""), "{models}");
    let mis: serde_json::Value =
        serde_json::from_str(latest.model_introspection_schema().unwrap()).unwrap();
    assert_eq!(mis["version"], 1);
    assert!(mis["models"]["Todo"]["fields"]["name"].is_object(), "{mis}");

    let update = |schema: String| {
        client
            .update_backend_api()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myapi")
            .resource_config(
                BackendApiResourceConfig::builder()
                    .transform_schema(schema)
                    .build(),
            )
            .send()
    };
    update(format!("{TODO_SCHEMA}type Note @model {{ id: ID! }}\n"))
        .await
        .unwrap();
    let stale = get().await.unwrap();
    assert_eq!(stale.status(), Some(&Status::Stale));
    assert_eq!(
        stale.models(),
        Some(models.as_str()),
        "the documents stay until regenerated"
    );

    // A schema that parses but that the generator rejects fails the job, naming the spot.
    update("type Todo @model {\n  id: ID!\n  tag: NoSuchType\n}\n".into())
        .await
        .unwrap();
    let failed = client
        .generate_backend_api_models()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myapi")
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), Some("FAILED"), "{failed:?}");
    let error = failed.error().unwrap_or_default();
    assert!(error.contains("line 3"), "{error}");
    assert_eq!(
        get().await.unwrap().models(),
        Some(models.as_str()),
        "a failed job changes nothing"
    );

    let f = failure(
        client
            .generate_backend_api_models()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("other")
            .send()
            .await,
    );
    assert_eq!(
        f.code.as_deref(),
        Some("NotFoundException"),
        "{}",
        f.display
    );
}
