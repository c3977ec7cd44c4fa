//! TagResource, UntagResource, ListTagsForResource for app ARNs.

use super::*;
use crate::common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_of_an_app_are_added_listed_and_removed() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    let app = create_app(
        &amplify,
        json!({ "name": "todo", "tags": { "team": "web" } }),
    )
    .await;
    let arn = app["appArn"].as_str().unwrap().to_owned();
    let path = format!("/tags/{}", encode_segment(&arn));

    assert_eq!(
        amplify.get(&path).await.ok(),
        json!({ "tags": { "team": "web" } })
    );
    assert_eq!(
        amplify
            .post(&path, json!({ "tags": { "stage": "beta", "team": "api" } }))
            .await
            .ok(),
        json!({})
    );
    assert_eq!(
        amplify.get(&path).await.ok(),
        json!({ "tags": { "stage": "beta", "team": "api" } })
    );
    let got = amplify
        .get(&format!("/apps/{}", app["appId"].as_str().unwrap()))
        .await
        .ok();
    assert_eq!(
        got["app"]["tags"],
        json!({ "stage": "beta", "team": "api" })
    );
    assert_eq!(
        amplify
            .delete(&format!("{path}?tagKeys=team&tagKeys=absent"))
            .await
            .ok(),
        json!({})
    );
    assert_eq!(
        amplify.get(&path).await.ok(),
        json!({ "tags": { "stage": "beta" } })
    );

    // Bad input: 400, nothing changed.
    for body in [
        json!({}),
        json!({ "tags": { "aws:x": "y" } }),
        json!({ "tags": { "": "y" } }),
        json!({ "tags": { "k": "v".repeat(257) } }),
    ] {
        amplify
            .post(&path, body)
            .await
            .error(400, "BadRequestException");
    }
    amplify
        .delete(&path)
        .await
        .error(400, "BadRequestException");
    assert_eq!(
        amplify.get(&path).await.ok(),
        json!({ "tags": { "stage": "beta" } })
    );

    // Unknown apps and other tenants' ARNs are not found; what is not an Amplify ARN is bad.
    for other in [
        "arn:aws:amplify:us-east-1:000000000000:apps/dnosuchapp",
        &arn.replace("000000000000", "111111111111"),
        &arn.replace("us-east-1", "eu-west-1"),
        &format!("{arn}/branches/main"),
    ] {
        let message = amplify
            .get(&format!("/tags/{}", encode_segment(other)))
            .await
            .error(404, "ResourceNotFoundException");
        assert!(message.contains(other), "{message}");
    }
    amplify
        .get(&format!("/tags/{}", encode_segment("arn:aws:s3:::bucket")))
        .await
        .error(400, "BadRequestException");
    server.stop().await;
}
