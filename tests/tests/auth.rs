//! Accounts and sign-in through a real server: sign-up policy, sign-in, sessions, tokens,
//! passwords, rate limits and bad input.

use anyhow::Result;
use hearth_tests::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer, json_ok, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn status_json(response: reqwest::Response) -> Result<(StatusCode, Value)> {
    let status = response.status();
    let body = response.text().await?;
    Ok((
        status,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    ))
}

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
async fn tampered_expired_and_revoked_tokens_are_refused() -> Result<()> {
    let server = TestServer::start_with(|s| s.jwt_expires_in = "1s".into()).await?;
    let token = server.admin_token.clone();
    let mut tampered = token.clone();
    let last = tampered.pop().unwrap_or('A');
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let forged = {
        use base64::Engine;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let parts: Vec<&str> = token.split('.').collect();
        let mut claims: Value = serde_json::from_slice(&engine.decode(parts[1])?)?;
        claims["id"] = json!("someone-else");
        format!(
            "{}.{}.{}",
            parts[0],
            engine.encode(serde_json::to_vec(&claims)?),
            parts[2]
        )
    };
    for bad in [tampered.as_str(), forged.as_str(), "not-a-token", "a.b.c"] {
        let response = server
            .client()
            .get(server.url("/api/v1/auths/"))
            .bearer_auth(bad)
            .send()
            .await?;
        let (status, body) = status_json(response).await?;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}: {body}");
        assert_eq!(body["detail"], "401 Unauthorized");
    }
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let response = server
        .client()
        .get(server.url("/api/v1/auths/"))
        .bearer_auth(&token)
        .send()
        .await?;
    let (status, _) = status_json(response).await?;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "an expired token is refused"
    );
    server.stop().await
}

#[tokio::test]
async fn password_change_revokes_sessions() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let wrong = json!({"password": "not-it", "new_password": "new-password-1"});
    let response = server
        .client()
        .post(server.url("/api/v1/auths/update/password"))
        .bearer_auth(&token)
        .json(&wrong)
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["detail"],
        "The password provided is incorrect. Please check for typos and try again."
    );

    let change = json!({"password": ADMIN_PASSWORD, "new_password": "new-password-1"});
    assert_eq!(
        server
            .post_json("/api/v1/auths/update/password", &token, &change)
            .await?,
        json!(true)
    );
    let response = server
        .client()
        .get(server.url("/api/v1/auths/"))
        .bearer_auth(&token)
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(
        (status, body["detail"].clone()),
        (StatusCode::UNAUTHORIZED, json!("Invalid token"))
    );
    assert!(server.signin(ADMIN_EMAIL, ADMIN_PASSWORD).await.is_err());
    server.signin(ADMIN_EMAIL, "new-password-1").await?;
    server.stop().await
}

#[tokio::test]
async fn signin_is_rate_limited_per_email() -> Result<()> {
    let server = TestServer::start().await?;
    let attempt = |email: &'static str| {
        server
            .client()
            .post(server.url("/api/v1/auths/signin"))
            .json(&json!({"email": email, "password": "wrong"}))
            .send()
    };
    for _ in 0..15 {
        assert_eq!(
            attempt("admin@example.com").await?.status(),
            StatusCode::BAD_REQUEST
        );
    }
    let (status, body) = status_json(attempt("Admin@Example.com").await?).await?;
    assert_eq!(
        (status, body),
        (
            StatusCode::TOO_MANY_REQUESTS,
            json!({"detail": "API rate limit exceeded"})
        )
    );
    // Even the right password is refused while limited; other emails are not affected.
    let right = server
        .client()
        .post(server.url("/api/v1/auths/signin"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await?;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        attempt("other@example.com").await?.status(),
        StatusCode::BAD_REQUEST
    );
    server.stop().await
}

#[tokio::test]
async fn bad_input_gets_422_not_500() -> Result<()> {
    let server = TestServer::start().await?;
    let invalid_auth = json!({"detail": "Invalid authentication request."});
    for body in [
        "{bad",
        "",
        "{\"email\": \"x\"}",
        "[]",
        "{\"email\": 1, \"password\": 2}",
    ] {
        let response = server
            .client()
            .post(server.url("/api/v1/auths/signin"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?;
        let (status, detail) = status_json(response).await?;
        assert_eq!(
            (status, detail),
            (StatusCode::UNPROCESSABLE_ENTITY, invalid_auth.clone()),
            "{body}"
        );
    }
    let response = server
        .client()
        .post(server.url("/api/v1/users/user/settings/update"))
        .bearer_auth(&server.admin_token)
        .header("content-type", "application/json")
        .body("{bad")
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "json_invalid");
    let response = server
        .client()
        .get(server.url("/api/v1/users/?page=abc"))
        .bearer_auth(&server.admin_token)
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["detail"].is_array());
    for (email, password, detail) in [
        (
            "not-an-email",
            "pw",
            "The email format you entered is invalid. Please double-check and make sure you're using a valid email address (e.g., yourname@example.com).",
        ),
        (
            ADMIN_EMAIL,
            "pw",
            "Uh-oh! This email is already registered. Sign in with your existing account or choose another email to start anew.",
        ),
        (
            "long@example.com",
            &"x".repeat(73),
            "Uh-oh! The password you entered is too long. Please make sure your password is less than 72 bytes long.",
        ),
    ] {
        let body = json!({"name": "N", "email": email, "password": password, "role": "user"});
        let response = server
            .client()
            .post(server.url("/api/v1/auths/add"))
            .bearer_auth(&server.admin_token)
            .json(&body)
            .send()
            .await?;
        let (status, body) = status_json(response).await?;
        assert_eq!(
            (status, body["detail"].clone()),
            (StatusCode::BAD_REQUEST, json!(detail)),
            "{email}"
        );
    }
    let evil = json!({"name": "N", "email": "e@example.com", "password": "pw", "profile_image_url": "javascript:alert(1)"});
    let response = server
        .client()
        .post(server.url("/api/v1/auths/add"))
        .bearer_auth(&server.admin_token)
        .json(&evil)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await
}

#[tokio::test]
async fn oversized_bodies_get_413() -> Result<()> {
    let server = TestServer::start_with(|s| s.max_body_bytes = 1024).await?;
    let big = json!({"ui": {"blob": "x".repeat(4096)}});
    let response = server
        .client()
        .post(server.url("/api/v1/users/user/settings/update"))
        .bearer_auth(&server.admin_token)
        .json(&big)
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(
        (status, body),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            json!({"detail": "Request body is too large."})
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

#[tokio::test]
async fn trusted_header_signs_users_in() -> Result<()> {
    let server =
        TestServer::start_empty(|s| s.trusted_email_header = Some("X-Forwarded-Email".into()))
            .await?;
    let signin = |email: Option<&'static str>| {
        let mut request = server
            .client()
            .post(server.url("/api/v1/auths/signin"))
            .json(&json!({"email": "", "password": ""}));
        if let Some(email) = email {
            request = request.header("X-Forwarded-Email", email);
        }
        request.send()
    };
    let (status, _) = status_json(signin(None).await?).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let session = json_ok(signin(Some("Proxy@Example.com")).await?).await?;
    assert_eq!(
        (session["email"].clone(), session["role"].clone()),
        (json!("proxy@example.com"), json!("admin"))
    );
    let token = text(&session, "token")?;
    let mismatch = server
        .client()
        .get(server.url("/api/v1/auths/"))
        .bearer_auth(&token)
        .header("X-Forwarded-Email", "other@example.com")
        .send()
        .await?;
    let (status, body) = status_json(mismatch).await?;
    assert_eq!(
        (status, body["detail"].clone()),
        (
            StatusCode::UNAUTHORIZED,
            json!("User mismatch. Please sign in again.")
        )
    );
    server.stop().await
}
