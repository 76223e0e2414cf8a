//! Token validity, password changes, the sign-in rate limit, trusted-header sign-in and bad
//! input on the auth routes, through a real server.

use anyhow::Result;
use hearth_tests::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer, json_ok, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn tampered_expired_and_revoked_tokens_are_refused() -> Result<()> {
    let server = TestServer::start_with(|s| s.accounts.jwt_expires_in = "1s".into()).await?;
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
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
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
    let server = TestServer::start_with(|s| s.http.max_body_bytes = 1024).await?;
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
async fn trusted_header_signs_users_in() -> Result<()> {
    let server = TestServer::start_empty(|s| {
        s.accounts.trusted_email_header = Some("X-Forwarded-Email".into())
    })
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

#[tokio::test]
async fn the_trusted_role_header_sets_the_role_at_each_sign_in() -> Result<()> {
    let server = TestServer::start_with(|s| {
        s.accounts.trusted_email_header = Some("X-Forwarded-Email".into());
        s.accounts.trusted_role_header = Some("X-Forwarded-Role".into());
    })
    .await?;
    let signin = |role: &'static str| {
        server
            .client()
            .post(server.url("/api/v1/auths/signin"))
            .header("X-Forwarded-Email", "kim@example.com")
            .header("X-Forwarded-Role", role)
            .json(&json!({"email": "", "password": ""}))
            .send()
    };
    let first = json_ok(signin("user").await?).await?;
    assert_eq!(first["role"], "user", "{first}");
    let promoted = json_ok(signin(" Admin ").await?).await?;
    assert_eq!(promoted["role"], "admin");
    let ignored = json_ok(signin("superuser").await?).await?;
    assert_eq!(ignored["role"], "admin", "unknown roles change nothing");
    let demoted = json_ok(signin("pending").await?).await?;
    assert_eq!(demoted["role"], "pending");
    server.stop().await
}

#[tokio::test]
async fn sso_settings_are_saved_and_read_back_as_the_admin_form_shows_them() -> Result<()> {
    let server = TestServer::start().await?;
    let admin = &server.admin_token;
    let oauth = server
        .get_json("/api/v1/auths/admin/config/oauth", admin)
        .await?;
    assert_eq!(oauth["ENABLE_OAUTH_SIGNUP"], false, "{oauth}");
    assert_eq!(oauth["OAUTH_SCOPES"], "openid email profile");
    let saved = server
        .post_json(
            "/api/v1/auths/admin/config/oauth",
            admin,
            &json!({"OAUTH_ALLOWED_DOMAINS": "example.com, example.org", "OAUTH_PROVIDER_NAME": "Company", "unknown": 1}),
        )
        .await?;
    assert_eq!(saved["OAUTH_ALLOWED_DOMAINS"], "example.com,example.org");
    assert_eq!(saved["OAUTH_PROVIDER_NAME"], "Company");
    assert!(saved.get("unknown").is_none());
    let ldap = server
        .get_json("/api/v1/auths/admin/config/ldap/server", admin)
        .await?;
    assert_eq!(ldap["attribute_for_mail"], "mail", "{ldap}");
    assert_eq!(ldap["search_base"], "");
    let user = server.add_user("Sam", "sam@example.com", "user").await?;
    let response = server
        .client()
        .get(server.url("/api/v1/auths/admin/config/oauth"))
        .bearer_auth(&user)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    server.stop().await
}

#[tokio::test]
async fn a_users_card_is_readable_by_signed_in_users() -> Result<()> {
    let server = TestServer::start().await?;
    let user = server.add_user("Sam", "sam@example.com", "user").await?;
    let card = server
        .get_json(&format!("/api/v1/users/{}/info", server.admin_id), &user)
        .await?;
    assert_eq!(card["id"], server.admin_id.as_str());
    assert_eq!(card["role"], "admin");
    assert_eq!(card["groups"], json!([]));
    let response = server
        .client()
        .get(server.url("/api/v1/users/nobody/info"))
        .bearer_auth(&user)
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    server.stop().await
}
