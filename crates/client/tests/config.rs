//! Credentials, region, profile and endpoint resolution, with temporary shared files and an
//! injected environment (the process environment is never touched).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use amplifybackend_client::model::GetBackendRequest;
use amplifybackend_client::{Client, Config, Credentials, Error, MapEnv, RetryConfig, Source};
use amplifybackend_testkit::TempDir;

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = DEFAULTKEY
aws_secret_access_key = defaultsecret

[dev]
aws_access_key_id = DEVKEY
aws_secret_access_key = devsecret
aws_session_token = devtoken
";

const CONFIG: &str = "\
[default]
region = eu-west-1

[profile dev]
region = ap-southeast-2
endpoint_url = http://127.0.0.1:4750

[profile cfgonly]
aws_access_key_id = CFGKEY
aws_secret_access_key = cfgsecret
region = us-west-2
";

fn files(dir: &TempDir) -> MapEnv {
    MapEnv::new()
        .with(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.file("credentials", CREDENTIALS),
        )
        .with("AWS_CONFIG_FILE", dir.file("config", CONFIG))
}

#[test]
fn explicit_settings_win() {
    let dir = TempDir::new("explicit");
    let config = Config::builder()
        .env(
            files(&dir)
                .with("AWS_ACCESS_KEY_ID", "ENVKEY")
                .with("AWS_SECRET_ACCESS_KEY", "s")
                .with("AWS_REGION", "us-east-2"),
        )
        .credentials(Credentials::new("EXPLICIT", "x", None))
        .region("ca-central-1")
        .endpoint_url("http://localhost:1")
        .build();
    assert_eq!(config.credentials().unwrap().access_key_id(), "EXPLICIT");
    assert_eq!(config.credentials_source(), Some(Source::Explicit));
    assert_eq!(config.region(), Some("ca-central-1"));
    assert_eq!(config.endpoint_url().as_deref(), Some("http://localhost:1"));
}

#[test]
fn environment_variables_beat_the_files() {
    let dir = TempDir::new("envvars");
    let env = files(&dir)
        .with("AWS_ACCESS_KEY_ID", "ENVKEY")
        .with("AWS_SECRET_ACCESS_KEY", "envsecret")
        .with("AWS_SESSION_TOKEN", "envtoken")
        .with("AWS_DEFAULT_REGION", "us-east-2")
        .with("AWS_ENDPOINT_URL", "http://generic:1")
        .with("AWS_ENDPOINT_URL_AMPLIFYBACKEND", "http://specific:2");
    let config = Config::builder().env(env.clone()).build();
    let creds = config.credentials().unwrap();
    assert_eq!(creds.access_key_id(), "ENVKEY");
    assert_eq!(creds.session_token(), Some("envtoken"));
    assert_eq!(config.credentials_source(), Some(Source::Environment));
    assert_eq!(config.region(), Some("us-east-2"));
    assert_eq!(config.endpoint_url().as_deref(), Some("http://specific:2"));
    // AWS_REGION beats AWS_DEFAULT_REGION; AWS_ENDPOINT_URL is the fallback.
    let config = Config::builder()
        .env(
            files(&dir)
                .with("AWS_REGION", "sa-east-1")
                .with("AWS_DEFAULT_REGION", "us-east-2")
                .with("AWS_ENDPOINT_URL", "http://generic:1"),
        )
        .build();
    assert_eq!(config.region(), Some("sa-east-1"));
    assert_eq!(config.endpoint_url().as_deref(), Some("http://generic:1"));
    // Secrets never show in Debug.
    assert!(!format!("{config:?}").contains("defaultsecret"));
}

#[test]
fn the_default_profile_of_the_shared_files() {
    let dir = TempDir::new("default");
    let config = Config::builder().env(files(&dir)).build();
    assert_eq!(config.credentials().unwrap().access_key_id(), "DEFAULTKEY");
    assert_eq!(config.credentials_source(), Some(Source::CredentialsFile));
    assert_eq!(config.region(), Some("eu-west-1"));
    assert_eq!(config.region_source(), Some(Source::ConfigFile));
    assert_eq!(
        config.endpoint_url().as_deref(),
        Some("https://amplifybackend.eu-west-1.amazonaws.com")
    );
    assert_eq!(config.endpoint_source(), Source::Default);
}

#[test]
fn aws_profile_selects_a_profile_of_both_files() {
    let dir = TempDir::new("awsprofile");
    let config = Config::builder()
        .env(files(&dir).with("AWS_PROFILE", "dev"))
        .build();
    let creds = config.credentials().unwrap();
    assert_eq!(creds.access_key_id(), "DEVKEY");
    assert_eq!(creds.session_token(), Some("devtoken"));
    assert_eq!(config.region(), Some("ap-southeast-2"));
    assert_eq!(
        config.endpoint_url().as_deref(),
        Some("http://127.0.0.1:4750")
    );
    assert_eq!(config.endpoint_source(), Source::ConfigFile);
    assert_eq!(config.profile(), "dev");
}

#[test]
fn credentials_from_the_config_file_and_an_explicit_profile_over_env_credentials() {
    let dir = TempDir::new("cfgonly");
    let env = files(&dir)
        .with("AWS_ACCESS_KEY_ID", "ENVKEY")
        .with("AWS_SECRET_ACCESS_KEY", "envsecret");
    let config = Config::builder().env(env).profile("cfgonly").build();
    assert_eq!(config.credentials().unwrap().access_key_id(), "CFGKEY");
    assert_eq!(config.credentials_source(), Some(Source::ConfigFile));
    assert_eq!(config.region(), Some("us-west-2"));
}

#[test]
fn home_directory_files_are_found() {
    let dir = TempDir::new("home");
    dir.file(".aws/credentials", CREDENTIALS);
    dir.file(".aws/config", CONFIG);
    let env = MapEnv::new().with("HOME", dir.path().display().to_string());
    let config = Config::builder().env(env).build();
    assert_eq!(config.credentials().unwrap().access_key_id(), "DEFAULTKEY");
    assert_eq!(config.region(), Some("eu-west-1"));
}

#[test]
fn ignore_configured_endpoint_urls() {
    let dir = TempDir::new("ignore");
    let env = files(&dir)
        .with("AWS_PROFILE", "dev")
        .with("AWS_ENDPOINT_URL", "http://generic:1")
        .with("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    let config = Config::builder().env(env).build();
    assert_eq!(
        config.endpoint_url().as_deref(),
        Some("https://amplifybackend.ap-southeast-2.amazonaws.com")
    );
}

#[tokio::test]
async fn missing_settings_fail_the_first_call() {
    let client = Client::new(Config::builder().env(MapEnv::new()).build());
    let err = client
        .get_backend(GetBackendRequest::builder().app_id("a"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("region"), "{err}");

    let client = Client::new(
        Config::builder()
            .env(MapEnv::new())
            .region("us-east-1")
            .build(),
    );
    let err = client
        .get_backend(GetBackendRequest::builder().app_id("a"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }), "{err:?}");

    let dir = TempDir::new("missing");
    let client = Client::new(Config::builder().env(files(&dir)).profile("nope").build());
    let err = client
        .get_backend(GetBackendRequest::builder().app_id("a"))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("The config profile (nope) could not be found"),
        "{err}"
    );
}

#[tokio::test]
async fn a_profile_drives_a_real_call() {
    let server = common::TestServer::start().await;
    let dir = TempDir::new("realcall");
    let config_text = format!(
        "[profile local]\nregion = us-east-1\nendpoint_url = {}\n",
        server.endpoint()
    );
    let env = MapEnv::new()
        .with(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.file(
                "credentials",
                "[local]\naws_access_key_id = 123456789012\naws_secret_access_key = s\n",
            ),
        )
        .with("AWS_CONFIG_FILE", dir.file("config", &config_text))
        .with("AWS_PROFILE", "local");
    let client = Client::new(
        Config::builder()
            .env(env)
            .retry(RetryConfig::disabled())
            .build(),
    );
    let err = client
        .get_backend(GetBackendRequest::builder().app_id("unknown"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[test]
fn max_attempts_from_the_environment_or_the_profile() {
    let dir = TempDir::new("attempts");
    let config = Config::builder().env(files(&dir)).build();
    assert_eq!(config.retry().max_attempts, 3);
    let config = Config::builder()
        .env(files(&dir).with("AWS_MAX_ATTEMPTS", "5"))
        .build();
    assert_eq!(config.retry().max_attempts, 5);
    let env = MapEnv::new().with(
        "AWS_CONFIG_FILE",
        dir.file("config2", "[default]\nmax_attempts = 7\n"),
    );
    assert_eq!(Config::builder().env(env).build().retry().max_attempts, 7);
    let explicit = Config::builder()
        .env(files(&dir).with("AWS_MAX_ATTEMPTS", "5"))
        .retry(RetryConfig::disabled())
        .build();
    assert_eq!(explicit.retry().max_attempts, 1);
}
