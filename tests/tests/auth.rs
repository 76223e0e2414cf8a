//! Sign-up, sign-in, sessions and pending users, through a real server.

use anyhow::Result;
use hearth_tests::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer, json_ok, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn first_signup_is_admin_and_closes_signup() -> Result<()> {
    let server = TestServer::start_empty(|_| {}).await?;
    let config: Value = json_ok(
        server
            .client()
            .get(server.url("/api/config"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(config["onboarding"], json!(true));

    let response = server
        .client()
        .post(server.url("/api/v1/auths/signup"))
        .json(&json!({"name": "Ada", "email": "Ada@Example.COM", "password": "pw-ada-1"}))
        .send()
        .await?;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let first = json_ok(response).await?;
    assert_eq!(first["role"], "admin");
    assert_eq!(first["email"], "ada@example.com");
    assert_eq!(first["token_type"], "Bearer");
    assert!(first["expires_at"].as_i64().is_some());
    assert_eq!(first["permissions"]["chat"]["delete"], json!(true));
    assert!(
        cookie.starts_with(&format!("token={}", text(&first, "token")?)),
        "{cookie}"
    );
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && cookie.contains("Max-Age=2419200"),
        "{cookie}"
    );

    let config: Value = json_ok(
        server
            .client()
            .get(server.url("/api/config"))
            .send()
            .await?,
    )
    .await?;
    assert!(config.get("onboarding").is_none());
    assert_eq!(config["features"]["enable_signup"], json!(false));

    let second = server
        .client()
        .post(server.url("/api/v1/auths/signup"))
        .json(&json!({"name": "Bob", "email": "bob@example.com", "password": "pw-bob-1"}))
        .send()
        .await?;
    let (status, body) = status_json(second).await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["detail"],
        "You do not have permission to access this resource. Please contact your administrator for assistance."
    );
    server.stop().await
}

#[tokio::test]
async fn open_signup_creates_pending_users_who_are_kept_out() -> Result<()> {
    let server = TestServer::start().await?;
    let admin_config = json!({
        "SHOW_ADMIN_DETAILS": true, "WEBUI_URL": "", "ENABLE_SIGNUP": true, "ENABLE_API_KEYS": false,
        "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS": false, "API_KEYS_ALLOWED_ENDPOINTS": "",
        "DEFAULT_USER_ROLE": "pending", "DEFAULT_GROUP_ID": "", "JWT_EXPIRES_IN": "4w",
        "ENABLE_COMMUNITY_SHARING": true, "ENABLE_MESSAGE_RATING": true, "ENABLE_FOLDERS": true,
        "ENABLE_AUTOMATIONS": true, "ENABLE_CHANNELS": false, "ENABLE_CALENDAR": true,
        "ENABLE_MEMORIES": true, "ENABLE_MEMORY_SYSTEM_CONTEXT": true, "ENABLE_NOTES": true,
        "ENABLE_USER_WEBHOOKS": false, "ENABLE_USER_STATUS": true
    });
    let saved = server
        .post_json(
            "/api/v1/auths/admin/config",
            &server.admin_token,
            &admin_config,
        )
        .await?;
    assert_eq!(saved["ENABLE_SIGNUP"], json!(true));
    assert_eq!(saved["sessions_revoked"], json!(false));

    let pending = server.signup("Pat", "pat@example.com", "pw-pat-1").await?;
    assert_eq!(pending["role"], "pending");
    let token = text(&pending, "token")?;

    // A pending user has a session but no access to verified routes.
    let me = server.get_json("/api/v1/auths/", &token).await?;
    assert_eq!(me["role"], "pending");
    let response = server
        .client()
        .get(server.url("/api/v1/users/user/settings"))
        .bearer_auth(&token)
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("You do not have permission"))
    );
    let config = server.get_json("/api/config", &token).await?;
    assert!(config["ui"].get("pending_user_overlay_title").is_some());
    assert!(config.get("permissions").is_none());
    let details = server
        .get_json("/api/v1/auths/admin/details", &token)
        .await?;
    assert_eq!(details, json!({"name": "Admin", "email": ADMIN_EMAIL}));
    server.stop().await
}

#[tokio::test]
async fn signin_checks_credentials_and_signout_clears_the_cookie() -> Result<()> {
    let server = TestServer::start().await?;
    let session = server.signin("ADMIN@example.com", ADMIN_PASSWORD).await?;
    assert_eq!(session["role"], "admin");
    assert_eq!(session["id"], server.admin_id.as_str());

    for (email, password) in [
        (ADMIN_EMAIL, "wrong"),
        ("nobody@example.com", ADMIN_PASSWORD),
    ] {
        let response = server
            .client()
            .post(server.url("/api/v1/auths/signin"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await?;
        let (status, body) = status_json(response).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["detail"],
            "The email or password provided is incorrect. Please check for typos and try logging in again."
        );
    }

    let response = server
        .client()
        .post(server.url("/api/v1/auths/signout"))
        .send()
        .await?;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(json_ok(response).await?, json!({"status": true}));
    assert!(
        cookie.starts_with("token=;") && cookie.contains("Max-Age=0"),
        "{cookie}"
    );
    server.stop().await
}

#[tokio::test]
async fn session_endpoint_accepts_cookie_and_bearer_and_resets_the_cookie() -> Result<()> {
    let server = TestServer::start().await?;
    let token = &server.admin_token;
    let response = server
        .client()
        .get(server.url("/api/v1/auths/"))
        .header("Cookie", format!("token={token}"))
        .send()
        .await?;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let me = json_ok(response).await?;
    assert_eq!(me["token"], token.as_str());
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert!(
        me["permissions"].is_object()
            && me.get("bio").is_some()
            && me.get("status_emoji").is_some()
    );
    assert!(
        cookie.starts_with(&format!("token={token}")) && cookie.contains("HttpOnly"),
        "{cookie}"
    );

    let response = server
        .client()
        .get(server.url("/api/v1/auths/"))
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            json!({"detail": "Not authenticated"})
        )
    );
    server.stop().await
}

#[tokio::test]
async fn profile_and_timezone_updates_strip_nul_bytes() -> Result<()> {
    let server = TestServer::start().await?;
    let token = &server.admin_token;
    let profile = json!({"name": "Ada\u{0000} L", "profile_image_url": "/user.png", "bio": "hi\u{0000}", "date_of_birth": "1990-02-03"});
    let updated = server
        .post_json("/api/v1/auths/update/profile", token, &profile)
        .await?;
    assert_eq!(updated["name"], "Ada L");
    let me = server.get_json("/api/v1/auths/", token).await?;
    assert_eq!(
        (me["bio"].clone(), me["date_of_birth"].clone()),
        (json!("hi"), json!("1990-02-03"))
    );
    let tz = server
        .post_json(
            "/api/v1/auths/update/timezone",
            token,
            &json!({"timezone": "Europe/Oslo"}),
        )
        .await?;
    assert_eq!(tz, json!({"status": true}));
    let user = server
        .get_json(&format!("/api/v1/users/{}", server.admin_id), token)
        .await?;
    assert_eq!(user["timezone"], "Europe/Oslo");
    let bad_date =
        json!({"name": "A", "profile_image_url": "/user.png", "date_of_birth": "yesterday"});
    let response = server
        .client()
        .post(server.url("/api/v1/auths/update/profile"))
        .bearer_auth(token)
        .json(&bad_date)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await
}
