//! The caller's settings, default permissions and avatars, through a real server.

use anyhow::Result;
use hearth_tests::{TestServer, status_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn settings_are_null_then_patched_and_merged_with_defaults() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.add_user("Sam", "sam@example.com", "user").await?;
    assert_eq!(
        server
            .get_json("/api/v1/users/user/settings", &token)
            .await?,
        Value::Null
    );

    let saved = server
        .post_json(
            "/api/v1/users/user/settings/update",
            &token,
            &json!({"ui": {"theme": "dark", "chatBubble": false, "x": "a\u{0000}b"}, "extra": 1}),
        )
        .await?;
    assert_eq!(
        saved,
        json!({"ui": {"theme": "dark", "chatBubble": false, "x": "ab"}, "extra": 1})
    );
    let patched = server
        .post_json(
            "/api/v1/users/user/settings/update",
            &token,
            &json!({"ui": {"theme": null, "lang": "de"}}),
        )
        .await?;
    assert_eq!(
        patched,
        json!({"ui": {"chatBubble": false, "x": "ab", "lang": "de"}, "extra": 1})
    );

    let admin_config = server
        .get_json("/api/v1/auths/admin/config", &server.admin_token)
        .await?;
    let mut admin_config = admin_config.as_object().cloned().unwrap_or_default();
    admin_config.insert(
        "DEFAULT_INTERFACE_SETTINGS".into(),
        json!({"widescreenMode": true, "chatBubble": true}),
    );
    server
        .post_json(
            "/api/v1/auths/admin/config",
            &server.admin_token,
            &Value::Object(admin_config),
        )
        .await?;
    let merged = server
        .get_json("/api/v1/users/user/settings", &token)
        .await?;
    assert_eq!(merged["ui"]["widescreenMode"], json!(true));
    assert_eq!(
        merged["ui"]["chatBubble"],
        json!(false),
        "the user's own value wins"
    );
    let raw = server
        .get_json("/api/v1/users/user/settings?raw=true", &token)
        .await?;
    assert!(raw["ui"].get("widescreenMode").is_none());
    server.stop().await
}

#[tokio::test]
async fn default_permissions_round_trip_and_reach_users() -> Result<()> {
    let server = TestServer::start().await?;
    let admin = &server.admin_token;
    let defaults = server
        .get_json("/api/v1/users/default/permissions/defaults", admin)
        .await?;
    let mut changed = defaults.clone();
    changed["features"]["api_keys"] = json!(true);
    changed["chat"]["delete"] = json!(false);
    let saved = server
        .post_json("/api/v1/users/default/permissions", admin, &changed)
        .await?;
    assert_eq!(saved, changed);
    assert_eq!(
        server
            .get_json("/api/v1/users/default/permissions", admin)
            .await?,
        changed
    );

    let token = server.add_user("Perm", "perm@example.com", "user").await?;
    let mine = server.get_json("/api/v1/users/permissions", &token).await?;
    assert_eq!(mine["chat"]["delete"], json!(false));
    let session = server.get_json("/api/v1/auths/", &token).await?;
    assert_eq!(session["permissions"]["features"]["api_keys"], json!(true));
    let config = server.get_json("/api/config", &token).await?;
    assert_eq!(config["permissions"]["chat"]["delete"], json!(false));

    let response = server
        .client()
        .post(server.url("/api/v1/users/default/permissions"))
        .bearer_auth(admin)
        .json(&json!({"workspace": {}}))
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"].as_array().map(Vec::len), Some(5));
    server.stop().await
}

#[tokio::test]
async fn profile_images_are_decoded_or_defaulted() -> Result<()> {
    let server = TestServer::start().await?;
    let token = &server.admin_token;
    let image = format!("/api/v1/users/{}/profile/image", server.admin_id);
    let response = server
        .client()
        .get(server.url(&image))
        .bearer_auth(token)
        .send()
        .await?;
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert!(response.bytes().await?.starts_with(b"\x89PNG"));

    let gif = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
    server
        .post_json(
            "/api/v1/auths/update/profile",
            token,
            &json!({"name": "Admin", "profile_image_url": gif}),
        )
        .await?;
    let response = server
        .client()
        .get(server.url(&image))
        .bearer_auth(token)
        .send()
        .await?;
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/gif")
    );
    assert!(response.bytes().await?.starts_with(b"GIF89a"));

    let external = "https://images.example/a.png";
    server
        .post_json(
            "/api/v1/auths/update/profile",
            token,
            &json!({"name": "Admin", "profile_image_url": external}),
        )
        .await?;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let response = no_redirects
        .get(server.url(&image))
        .bearer_auth(token)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some(external)
    );

    let svg = json!({"name": "Admin", "profile_image_url": "data:image/svg+xml;base64,PHN2Zz4="});
    let response = server
        .client()
        .post(server.url("/api/v1/auths/update/profile"))
        .bearer_auth(token)
        .json(&svg)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let anonymous = server.client().get(server.url(&image)).send().await?;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    server.stop().await
}

#[tokio::test]
async fn groups_and_ldap_switch_answer_as_the_web_client_expects() -> Result<()> {
    let server = TestServer::start().await?;
    let admin = &server.admin_token;
    assert_eq!(
        server.get_json("/api/v1/users/groups", admin).await?,
        json!([])
    );
    let ldap = server
        .get_json("/api/v1/auths/admin/config/ldap", admin)
        .await?;
    assert_eq!(ldap, json!({"ENABLE_LDAP": false}));
    let off = server
        .post_json(
            "/api/v1/auths/admin/config/ldap",
            admin,
            &json!({"enable_ldap": false}),
        )
        .await?;
    assert_eq!(off, json!({"ENABLE_LDAP": false}));
    let on = server
        .post_json(
            "/api/v1/auths/admin/config/ldap",
            admin,
            &json!({"enable_ldap": true}),
        )
        .await?;
    assert_eq!(on, json!({"ENABLE_LDAP": true}));
    let stored = server
        .get_json("/api/v1/auths/admin/config/ldap", admin)
        .await?;
    assert_eq!(stored, json!({"ENABLE_LDAP": true}));
    let user = server.add_user("Lee", "lee@example.com", "user").await?;
    let response = server
        .client()
        .get(server.url("/api/v1/auths/admin/config/ldap"))
        .bearer_auth(&user)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    server.stop().await
}

#[tokio::test]
async fn the_largest_floats_read_back_from_every_engine() -> Result<()> {
    // Found by the fuzzing step on PostgreSQL: jsonb answers 1.7976931348623157e308 as its full
    // decimal expansion, which an inexact float parser reads as out of range — and the account
    // whose settings held it could no longer be read at all.
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let settings = json!({"ui": {"max": 1.797_693_134_862_315_7e308, "min": -1.797_693_134_862_315_7e308, "tiny": 5e-324}});
    server
        .post_json("/api/v1/users/user/settings/update", &token, &settings)
        .await?;
    let stored = server
        .get_json("/api/v1/users/user/settings", &token)
        .await?;
    assert_eq!(stored["ui"]["max"], json!(f64::MAX));
    assert_eq!(stored["ui"]["min"], json!(f64::MIN));
    assert_eq!(
        server.get_json("/api/v1/auths/", &token).await?["role"],
        "admin"
    );
    server.stop().await
}
