//! Root endpoints, response headers, CORS and hosting of the web build.

use anyhow::Result;
use hearth_tests::{TestServer, json_ok};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn config_shows_more_to_signed_in_users() -> Result<()> {
    let server = TestServer::start().await?;
    let anonymous: Value = json_ok(
        server
            .client()
            .get(server.url("/api/config"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(anonymous["version"], "0.12.4");
    assert!(anonymous["features"].is_object());
    assert!(anonymous["features"].get("enable_api_keys").is_none());
    assert!(anonymous.get("default_models").is_none() && anonymous.get("onboarding").is_none());

    let by_cookie: Value = json_ok(
        server
            .client()
            .get(server.url("/api/config"))
            .header("Cookie", format!("token={}", server.admin_token))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(by_cookie["features"]["enable_folders"], json!(true));
    assert!(by_cookie.get("default_models").is_some() && by_cookie["permissions"].is_object());
    assert_eq!(by_cookie["ui"]["pending_user_overlay_title"], "");

    // A bad token reads as anonymous, not as an error.
    let bad: Value = json_ok(
        server
            .client()
            .get(server.url("/api/config"))
            .bearer_auth("garbage")
            .send()
            .await?,
    )
    .await?;
    assert_eq!(bad, anonymous);
    server.stop().await
}

#[tokio::test]
async fn version_changelog_and_health() -> Result<()> {
    let server = TestServer::start_with(|s| s.http.deployment_id = "blue".into()).await?;
    let version: Value = json_ok(
        server
            .client()
            .get(server.url("/api/version"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        version,
        json!({"version": "0.12.4", "deployment_id": "blue"})
    );
    let updates = server
        .get_json("/api/version/updates", &server.admin_token)
        .await?;
    assert_eq!(updates, json!({"current": "0.12.4", "latest": "0.12.4"}));
    let changelog: Value = json_ok(
        server
            .client()
            .get(server.url("/api/changelog"))
            .send()
            .await?,
    )
    .await?;
    let (_, latest) = changelog
        .as_object()
        .and_then(|m| m.iter().next())
        .ok_or_else(|| anyhow::anyhow!("empty changelog"))?;
    assert!(latest["date"].is_string() && latest["added"][0]["title"].is_string());
    for path in ["/health", "/health/db", "/ready"] {
        let body: Value = json_ok(server.client().get(server.url(path)).send().await?).await?;
        assert_eq!(body, json!({"status": true}), "{path}");
    }
    server.stop().await
}

#[tokio::test]
async fn security_headers_and_cors() -> Result<()> {
    let server = TestServer::start_with(|s| {
        s.http.cors_allow_origin = vec!["https://chat.example".into()];
        s.http.security_headers.hsts = Some("max-age=600".into());
        s.http.security_headers.content_security_policy = Some("default-src 'self'".into());
    })
    .await?;
    let response = server
        .client()
        .get(server.url("/health"))
        .header("Origin", "https://chat.example")
        .send()
        .await?;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("x-frame-options").as_deref(), Some("SAMEORIGIN"));
    assert_eq!(
        header("referrer-policy").as_deref(),
        Some("strict-origin-when-cross-origin")
    );
    assert_eq!(
        header("strict-transport-security").as_deref(),
        Some("max-age=600")
    );
    assert_eq!(
        header("content-security-policy").as_deref(),
        Some("default-src 'self'")
    );
    assert_eq!(
        header("access-control-allow-origin").as_deref(),
        Some("https://chat.example")
    );
    assert_eq!(
        header("access-control-allow-credentials").as_deref(),
        Some("true")
    );

    let preflight = server
        .client()
        .request(reqwest::Method::OPTIONS, server.url("/api/v1/auths/signin"))
        .header("Origin", "https://chat.example")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type, authorization",
        )
        .send()
        .await?;
    assert!(preflight.status().is_success());
    let foreign = server
        .client()
        .request(reqwest::Method::OPTIONS, server.url("/api/v1/auths/signin"))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await?;
    assert!(
        foreign
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    server.stop().await
}

#[tokio::test]
async fn unknown_api_paths_are_json_404_and_app_routes_serve_the_web_build() -> Result<()> {
    let server = TestServer::start().await?;
    let missing = server
        .client()
        .get(server.url("/api/v1/nothing"))
        .send()
        .await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        missing.json::<Value>().await?,
        json!({"detail": "Not Found"})
    );
    let no_build = server.client().get(server.url("/c/123")).send().await?;
    assert_eq!(no_build.status(), StatusCode::NOT_FOUND);

    let build = server.data_dir().join("frontend");
    std::fs::create_dir_all(build.join("_app"))?;
    std::fs::write(build.join("index.html"), "<html>app</html>")?;
    std::fs::write(build.join("_app/version.json"), r#"{"version":"x"}"#)?;
    let page = server.client().get(server.url("/c/123")).send().await?;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(
        page.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-cache")
    );
    assert_eq!(page.text().await?, "<html>app</html>");
    let version = server
        .client()
        .get(server.url("/_app/version.json"))
        .send()
        .await?;
    assert_eq!(version.json::<Value>().await?, json!({"version": "x"}));
    let missing_js = server
        .client()
        .get(server.url("/_app/missing.js"))
        .send()
        .await?;
    assert_eq!(missing_js.status(), StatusCode::NOT_FOUND);
    let escape = server
        .client()
        .get(server.url("/..%2f..%2fetc/passwd"))
        .send()
        .await?;
    assert!(!escape.text().await?.contains("root:"));
    server.stop().await
}

#[tokio::test]
async fn settings_survive_restarts_and_env_gives_only_defaults() -> Result<()> {
    // A config row written through the API wins over the environment default at the next start.
    let server = TestServer::start().await?;
    let admin = server.admin_token.clone();
    let mut config = server
        .get_json("/api/v1/auths/admin/config", &admin)
        .await?;
    config["JWT_EXPIRES_IN"] = json!("2h");
    config["DEFAULT_USER_ROLE"] = json!("superuser");
    let saved = server
        .post_json("/api/v1/auths/admin/config", &admin, &config)
        .await?;
    assert_eq!(saved["JWT_EXPIRES_IN"], "2h");
    assert_eq!(
        saved["DEFAULT_USER_ROLE"], "pending",
        "an invalid role is ignored"
    );
    let session = server
        .signin(hearth_tests::ADMIN_EMAIL, hearth_tests::ADMIN_PASSWORD)
        .await?;
    let lifetime = session["expires_at"].as_i64().unwrap_or(0) - chrono_now();
    assert!((7000..=7300).contains(&lifetime), "{lifetime}");
    server.stop().await
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[tokio::test]
async fn persistent_config_can_be_turned_off() -> Result<()> {
    let server = TestServer::start_with(|s| s.enable_persistent_config = false).await?;
    let config: Value = json_ok(
        server
            .client()
            .get(server.url("/api/config"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        config["features"]["enable_signup"],
        json!(false),
        "closed in memory after the first admin"
    );
    server.stop().await
}

#[tokio::test]
async fn disabled_auth_signs_everyone_in_as_the_builtin_admin() -> Result<()> {
    let server = TestServer::start_empty(|s| s.accounts.webui_auth = false).await?;
    let config: Value = json_ok(
        server
            .client()
            .get(server.url("/api/config"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(config["features"]["auth"], json!(false));
    let signin = |body: Value| {
        server
            .client()
            .post(server.url("/api/v1/auths/signin"))
            .json(&body)
            .send()
    };
    let first = json_ok(signin(json!({"email": "", "password": ""})).await?).await?;
    let second = json_ok(signin(json!({"email": "x", "password": "y"})).await?).await?;
    assert_eq!(first["email"], "admin@localhost");
    assert_eq!(
        (first["id"].clone(), second["role"].clone()),
        (second["id"].clone(), json!("admin"))
    );
    server.stop().await
}

#[tokio::test]
async fn start_up_lists_of_unbuilt_features_are_empty_and_private() -> Result<()> {
    let server = TestServer::start().await?;
    let user_token = server.add_user("Uma", "uma@example.com", "user").await?;
    for path in [
        "/api/v1/tools/",
        "/api/v1/functions/",
        "/api/v1/skills/",
        "/api/v1/prompts/",
        "/api/v1/notes/pinned",
        "/api/v1/memories/",
        "/api/v1/groups/",
        "/api/v1/configs/banners",
    ] {
        let anonymous = server.client().get(server.url(path)).send().await?;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            server.get_json(path, &server.admin_token).await?,
            json!([]),
            "{path}"
        );
        assert_eq!(
            server.get_json(path, &user_token).await?,
            json!([]),
            "{path}"
        );
    }
    server.stop().await
}
