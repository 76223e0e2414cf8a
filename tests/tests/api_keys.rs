//! API keys: creation policy, authentication with `sk-` keys and the endpoint allow-list.

use anyhow::Result;
use hearth_tests::{TestServer, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn detail(response: reqwest::Response) -> Result<(StatusCode, Value)> {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    Ok((status, body["detail"].clone()))
}

#[tokio::test]
async fn keys_are_refused_while_disabled() -> Result<()> {
    let server = TestServer::start().await?;
    let response = server
        .client()
        .post(server.url("/api/v1/auths/api_key"))
        .bearer_auth(&server.admin_token)
        .send()
        .await?;
    assert_eq!(
        detail(response).await?,
        (
            StatusCode::FORBIDDEN,
            json!("API key creation is not allowed in the environment.")
        )
    );
    server.stop().await
}

#[tokio::test]
async fn keys_authenticate_until_disabled_and_respect_the_allow_list() -> Result<()> {
    let server = TestServer::start_with(|s| {
        s.accounts.enable_api_keys = true;
        s.accounts.api_key_endpoint_restrictions = true;
        s.accounts.api_keys_allowed_endpoints = "/api/v1/users, /api/version".into();
    })
    .await?;
    let admin = &server.admin_token;
    let missing = server
        .client()
        .get(server.url("/api/v1/auths/api_key"))
        .bearer_auth(admin)
        .send()
        .await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let created = server
        .post_json("/api/v1/auths/api_key", admin, &json!({}))
        .await?;
    let key = text(&created, "api_key")?;
    assert!(key.starts_with("sk-") && key.len() == 35);
    assert_eq!(
        server.get_json("/api/v1/auths/api_key", admin).await?["api_key"],
        key.as_str()
    );

    // Allowed prefix: works with Authorization and with x-api-key.
    let settings = server.get_json("/api/v1/users/user/settings", &key).await?;
    assert_eq!(settings, Value::Null);
    let via_header = server
        .client()
        .get(server.url("/api/v1/users/user/settings"))
        .header("x-api-key", &key)
        .send()
        .await?;
    assert_eq!(via_header.status(), StatusCode::OK);
    // Outside the allow-list.
    let response = server
        .client()
        .get(server.url("/api/v1/auths/api_key"))
        .bearer_auth(&key)
        .send()
        .await?;
    assert_eq!(detail(response).await?.0, StatusCode::FORBIDDEN);
    // API keys are not a human session.
    let response = server
        .client()
        .get(server.url("/api/v1/auths/"))
        .bearer_auth(&key)
        .send()
        .await?;
    assert_eq!(detail(response).await?.0, StatusCode::FORBIDDEN);

    // Non-admins need the features.api_keys permission to create keys.
    let user = server.add_user("Kim", "kim@example.com", "user").await?;
    let response = server
        .client()
        .post(server.url("/api/v1/auths/api_key"))
        .bearer_auth(&user)
        .send()
        .await?;
    assert_eq!(detail(response).await?.0, StatusCode::FORBIDDEN);

    // Turning keys off stops existing keys.
    let mut config = server.get_json("/api/v1/auths/admin/config", admin).await?;
    config["ENABLE_API_KEYS"] = json!(false);
    server
        .post_json("/api/v1/auths/admin/config", admin, &config)
        .await?;
    let response = server
        .client()
        .get(server.url("/api/v1/users/user/settings"))
        .bearer_auth(&key)
        .send()
        .await?;
    assert_eq!(
        detail(response).await?,
        (
            StatusCode::FORBIDDEN,
            json!("Use of API key is not enabled in the environment.")
        )
    );
    let unknown = server
        .client()
        .get(server.url("/api/v1/users/user/settings"))
        .bearer_auth("sk-00000000000000000000000000000000")
        .send()
        .await?;
    assert_eq!(detail(unknown).await?.0, StatusCode::UNAUTHORIZED);
    server.stop().await
}

#[tokio::test]
async fn replacing_and_deleting_keys() -> Result<()> {
    let server = TestServer::start_with(|s| s.accounts.enable_api_keys = true).await?;
    let admin = &server.admin_token;
    let first = text(
        &server
            .post_json("/api/v1/auths/api_key", admin, &json!({}))
            .await?,
        "api_key",
    )?;
    let second = text(
        &server
            .post_json("/api/v1/auths/api_key", admin, &json!({}))
            .await?,
        "api_key",
    )?;
    assert_ne!(first, second);
    let old = server
        .client()
        .get(server.url("/api/v1/users/user/settings"))
        .bearer_auth(&first)
        .send()
        .await?;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    server
        .get_json("/api/v1/users/user/settings", &second)
        .await?;
    let deleted = server
        .client()
        .delete(server.url("/api/v1/auths/api_key"))
        .bearer_auth(admin)
        .send()
        .await?;
    assert_eq!(deleted.json::<Value>().await?, json!(true));
    let gone = server
        .client()
        .get(server.url("/api/v1/users/user/settings"))
        .bearer_auth(&second)
        .send()
        .await?;
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
    server.stop().await
}
