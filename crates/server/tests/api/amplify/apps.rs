//! CreateApp, GetApp, ListApps, UpdateApp, DeleteApp on the wire, and bad input to each.

use super::*;
use crate::common::*;
use serde_json::json;

fn is_app_id(id: &str) -> bool {
    id.len() == 14
        && id.starts_with('d')
        && id[1..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_carries_every_required_member_with_epoch_second_times() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    let before = now_ms() as f64 / 1000.0;
    let app = create_app(&amplify, json!({ "name": "todo" })).await;
    let id = app["appId"].as_str().unwrap().to_owned();
    assert!(is_app_id(&id), "{id}");
    assert_eq!(
        app["appArn"],
        json!(format!("arn:aws:amplify:us-east-1:000000000000:apps/{id}"))
    );
    assert_eq!(app["defaultDomain"], json!(format!("{id}.amplifyapp.com")));
    assert_eq!(app["name"], "todo");
    assert_eq!(app["platform"], "WEB");
    assert_eq!(
        (&app["description"], &app["repository"]),
        (&json!(""), &json!(""))
    );
    assert_eq!(app["environmentVariables"], json!({}));
    for flag in [
        "enableBranchAutoBuild",
        "enableBranchAutoDeletion",
        "enableBasicAuth",
    ] {
        assert_eq!(app[flag], json!(false), "{flag}");
    }
    let created = app["createTime"]
        .as_f64()
        .expect("createTime is a JSON number");
    assert!(
        created >= before.floor() && created < before + 60.0,
        "{created}"
    );
    assert_eq!(app["updateTime"], app["createTime"]);

    let full = create_app(
        &amplify,
        json!({
            "name": "shop",
            "description": "a shop",
            "repository": "https://github.com/o/shop",
            "platform": "WEB_COMPUTE",
            "environmentVariables": { "STAGE": "beta" },
            "enableBranchAutoBuild": true,
            "customRules": [{ "source": "/a", "target": "/b", "status": "301" }],
            "oauthToken": "secret-token",
            "tags": { "team": "web" }
        }),
    )
    .await;
    assert_eq!(full["platform"], "WEB_COMPUTE");
    assert_eq!(full["environmentVariables"], json!({ "STAGE": "beta" }));
    assert_eq!(full["enableBranchAutoBuild"], json!(true));
    assert_eq!(full["customRules"][0]["target"], "/b");
    assert_eq!(full["tags"], json!({ "team": "web" }));
    assert!(full.get("oauthToken").is_none(), "{full}");
    let full_id = full["appId"].as_str().unwrap();

    let got = amplify.get(&format!("/apps/{full_id}")).await.ok();
    assert_eq!(got["app"], full);

    let updated = amplify
        .post(
            &format!("/apps/{full_id}"),
            json!({ "name": "store", "description": "now a store", "environmentVariables": {} }),
        )
        .await
        .ok()["app"]
        .clone();
    assert_eq!(updated["name"], "store");
    assert_eq!(updated["description"], "now a store");
    assert_eq!(updated["environmentVariables"], json!({}));
    assert_eq!(updated["platform"], "WEB_COMPUTE", "untouched members stay");
    assert_eq!(updated["createTime"], full["createTime"]);
    assert!(updated["updateTime"].as_f64() >= full["updateTime"].as_f64());
    // AmplifyBackend knows the app by its new name.
    create_backend(&server.client(), full_id, "store", "dev").await;

    let deleted = amplify.delete(&format!("/apps/{full_id}")).await.ok();
    assert_eq!(deleted["app"]["name"], "store");
    let message = amplify
        .get(&format!("/apps/{full_id}"))
        .await
        .error(404, "NotFoundException");
    assert!(message.contains(full_id), "{message}");
    amplify
        .delete(&format!("/apps/{full_id}"))
        .await
        .error(404, "NotFoundException");
    amplify
        .post("/apps/dnosuchapp", json!({ "name": "x" }))
        .await
        .error(404, "NotFoundException");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_apps_pages_through_every_app_of_the_tenant() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            create_app(&amplify, json!({ "name": format!("app{n}") })).await["appId"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    create_app(
        &amplify.in_region("eu-west-1"),
        json!({ "name": "elsewhere" }),
    )
    .await;
    ids.sort();
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &token {
            Some(t) => format!("/apps?maxResults=2&nextToken={}", encode_segment(t)),
            None => "/apps?maxResults=2".to_owned(),
        };
        let page = amplify.get(&path).await.ok();
        pages += 1;
        let apps = page["apps"].as_array().unwrap();
        assert!(apps.len() <= 2);
        seen.extend(apps.iter().map(|a| a["appId"].as_str().unwrap().to_owned()));
        match page["nextToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!((seen, pages), (ids.clone(), 3));
    let all = amplify.get("/apps").await.ok();
    assert_eq!(all["apps"].as_array().map(Vec::len), Some(5));
    assert!(all.get("nextToken").is_none());
    // A token is bound to its tenant and cannot be forged.
    let first = amplify.get("/apps?maxResults=1").await.ok();
    let token = encode_segment(first["nextToken"].as_str().unwrap());
    amplify
        .in_region("eu-west-1")
        .get(&format!("/apps?nextToken={token}"))
        .await
        .error(400, "BadRequestException");
    amplify
        .get("/apps?nextToken=forged")
        .await
        .error(400, "BadRequestException");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_the_modeled_400_and_changes_nothing() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    let app = create_app(&amplify, json!({ "name": "keep" })).await;
    let id = app["appId"].as_str().unwrap().to_owned();
    for (body, word) in [
        (json!({}), "name"),
        (json!({ "name": "" }), "name"),
        (json!({ "name": "x", "platform": "DESKTOP" }), "platform"),
        (json!({ "name": 7 }), "name"),
        (
            json!({ "name": "x", "tags": { "aws:owner": "me" } }),
            "aws:",
        ),
        (
            json!({ "name": "x", "environmentVariables": ["A"] }),
            "environmentVariables",
        ),
        (
            json!({ "name": "x", "customRules": [{ "source": "/a" }] }),
            "target",
        ),
    ] {
        let message = amplify
            .post("/apps", body.clone())
            .await
            .error(400, "BadRequestException");
        assert!(message.contains(word), "{body}: {message}");
    }
    for query in ["maxResults=101", "maxResults=-1", "maxResults=ten"] {
        let message = amplify
            .get(&format!("/apps?{query}"))
            .await
            .error(400, "BadRequestException");
        assert!(message.contains("maxResults"), "{query}: {message}");
    }
    let message = amplify
        .post(
            &format!("/apps/{id}"),
            json!({ "platform": "DESKTOP", "name": "changed" }),
        )
        .await
        .error(400, "BadRequestException");
    assert!(message.contains("platform"), "{message}");
    amplify
        .post(&format!("/apps/{id}"), json!({ "name": "" }))
        .await
        .error(400, "BadRequestException");
    let listed = amplify.get("/apps").await.ok();
    assert_eq!(listed["apps"].as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed["apps"][0], app, "nothing changed");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_amplify_operations_are_named_as_not_served() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    for (method, path, operation) in [
        ("GET", "/apps/d1/branches", "ListBranches"),
        ("POST", "/apps/d1/branches", "CreateBranch"),
        ("POST", "/apps/d1/domains", "CreateDomainAssociation"),
        ("GET", "/webhooks/w1", "GetWebhook"),
        ("DELETE", "/apps/d1/branches/main/jobs/1/stop", "StopJob"),
        ("GET", "/artifacts/a1", "GetArtifactUrl"),
    ] {
        let body = (method == "POST").then(|| json!({}));
        let message = amplify
            .call(method, path, body)
            .await
            .error(404, "NotFoundException");
        assert!(
            message.contains(operation) && message.contains("not served"),
            "{message}"
        );
    }
    // A path neither service has is the unknown-route 404, as JSON.
    let reply = amplify.get("/apps/d1/nothing/here/at/all").await;
    assert_eq!(reply.status, 404, "{reply:?}");
    assert!(reply.body["message"].is_string(), "{reply:?}");
    server.stop().await;
}
