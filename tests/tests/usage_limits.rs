//! Usage limits on completions: requests per minute and tokens per day, per user and per
//! group, refused with 429 and `Retry-After`; admins exempt; the admin's settings checked;
//! counters shared by two instances through Redis, and still counted while Redis is down.

use anyhow::{Context, Result};
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::redis_server::RedisServer;
use hearth_tests::{TestServer, eventually, status_json, text};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::time::Duration;

fn ask(model: &str, stream: bool) -> Value {
    json!({"model": model, "stream": stream, "messages": [{"role": "user", "content": "hi there"}]})
}

async fn server_for(fake: &FakeUpstream, redis: Option<String>) -> Result<TestServer> {
    let url = fake.url.clone();
    TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![url]);
        s.models.bypass_model_access_control = true;
        if let Some(redis) = redis {
            s.redis.url = Some(redis);
            s.redis.key_prefix = format!("usage-test-{}", std::process::id());
        }
    })
    .await
}

async fn set_limits(server: &TestServer, limits: &Value) -> Result<Value> {
    server
        .post_json("/api/v1/usage/limits", &server.admin_token, limits)
        .await
}

/// One completion of `token` on `path`; the status, `Retry-After` and body.
async fn complete(
    server: &TestServer,
    path: &str,
    token: &str,
    body: &Value,
) -> Result<(StatusCode, Option<u64>, String)> {
    let response = server
        .client()
        .post(server.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    Ok((status, retry_after, response.text().await?))
}

async fn user_id(server: &TestServer, token: &str) -> Result<String> {
    text(&server.get_json("/api/v1/auths/", token).await?, "id")
}

/// Waits until the clock is at least 5 s before the next minute, so that a test's requests
/// fall in one minute window.
async fn clear_of_minute_boundary() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let second = now.as_secs() % 60;
    if second >= 55 {
        tokio::time::sleep(Duration::from_secs(61 - second)).await;
    }
}

#[tokio::test]
async fn requests_per_minute_are_refused_with_retry_after_and_admins_are_exempt() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let server = server_for(&fake, None).await?;
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    let saved = set_limits(
        &server,
        &json!({"enabled": true, "default": {"requests_per_minute": 2}}),
    )
    .await?;
    assert_eq!(saved["default"]["requests_per_minute"], 2);
    assert_eq!(saved["exempt_admins"], true);

    clear_of_minute_boundary().await;
    let first = complete(&server, "/api/chat/completions", &ana, &ask("echo", false)).await?;
    assert_eq!(first.0, StatusCode::OK, "{}", first.2);
    let second = complete(
        &server,
        "/openai/chat/completions",
        &ana,
        &ask("echo", true),
    )
    .await?;
    assert_eq!(second.0, StatusCode::OK, "{}", second.2);
    let (status, retry_after, body) =
        complete(&server, "/api/chat/completions", &ana, &ask("echo", true)).await?;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let retry_after = retry_after.context("a Retry-After header")?;
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    let detail: Value = serde_json::from_str(&body)?;
    let detail = detail["detail"].as_str().context("a detail")?;
    assert!(detail.contains("2 requests per minute"), "{detail}");

    for _ in 0..3 {
        let admin = complete(
            &server,
            "/api/chat/completions",
            &server.admin_token,
            &ask("echo", false),
        )
        .await?;
        assert_eq!(admin.0, StatusCode::OK, "admins are exempt: {}", admin.2);
    }

    let mine = server.get_json("/api/v1/usage/me", &ana).await?;
    let bucket = &mine["buckets"][0];
    assert_eq!(bucket["scope"], "user");
    assert_eq!(bucket["requests_per_minute"]["limit"], 2);
    assert_eq!(bucket["requests_per_minute"]["used"], 3, "{mine}");

    // A user's own entry replaces the default.
    let ana_id = user_id(&server, &ana).await?;
    set_limits(
        &server,
        &json!({"enabled": true, "default": {"requests_per_minute": 2},
                "users": {ana_id: {"requests_per_minute": 10}}}),
    )
    .await?;
    let again = complete(&server, "/api/chat/completions", &ana, &ask("echo", false)).await?;
    assert_eq!(again.0, StatusCode::OK, "{}", again.2);

    // Switched off, nothing is counted or refused.
    set_limits(&server, &json!({"enabled": false})).await?;
    let off = server.get_json("/api/v1/usage/me", &ana).await?;
    assert_eq!(off, json!({"enabled": false, "buckets": []}));
    server.stop().await
}

#[tokio::test]
async fn tokens_per_day_count_reported_and_estimated_tokens_in_every_mode() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let server = server_for(&fake, None).await?;
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    set_limits(
        &server,
        &json!({"enabled": true, "default": {"tokens_per_day": 1000}}),
    )
    .await?;
    let used = || async {
        let mine = server.get_json("/api/v1/usage/me", &ana).await?;
        mine["buckets"][0]["tokens_per_day"]["used"]
            .as_u64()
            .context("tokens used")
    };

    // A whole answer: the 7 tokens the model server reports.
    let whole = complete(&server, "/api/chat/completions", &ana, &ask("echo", false)).await?;
    assert_eq!(whole.0, StatusCode::OK, "{}", whole.2);
    assert_eq!(used().await?, 7);

    // A stream without usage: "hi there" and "Hello from fake: hi there", 33 characters.
    let streamed = complete(&server, "/api/chat/completions", &ana, &ask("echo", true)).await?;
    assert_eq!(streamed.0, StatusCode::OK, "{}", streamed.2);
    let charged = eventually(10, || async { Ok((used().await? == 7 + 9).then_some(())) }).await?;
    assert!(
        charged.is_some(),
        "the stream was charged 9 tokens: {}",
        used().await?
    );

    // The web client's chat turn is charged once its answer is done.
    let turn = json!({
        "stream": true, "model": "echo", "messages": [], "session_id": "no-socket",
        "id": "a1", "parent_id": null,
        "message_ids": [{"model_id": "echo", "message_id": "a1", "modelIdx": 0}],
        "user_message": {"id": "u1", "parentId": null, "childrenIds": [], "role": "user",
                         "content": "hi there", "timestamp": 1, "models": ["echo"]},
    });
    let started = complete(&server, "/api/chat/completions", &ana, &turn).await?;
    assert_eq!(started.0, StatusCode::OK, "{}", started.2);
    let charged = eventually(10, || async { Ok((used().await? > 16).then_some(())) }).await?;
    assert!(charged.is_some(), "the chat turn was charged");

    // Used up: refused until the day ends.
    set_limits(
        &server,
        &json!({"enabled": true, "default": {"tokens_per_day": 20}}),
    )
    .await?;
    let (status, retry_after, body) =
        complete(&server, "/api/chat/completions", &ana, &ask("echo", false)).await?;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let retry_after = retry_after.context("a Retry-After header")?;
    assert!(
        (1..=86_400).contains(&retry_after),
        "Retry-After {retry_after}"
    );
    assert!(body.contains("20 tokens per day"), "{body}");
    server.stop().await
}

#[tokio::test]
async fn a_group_limit_is_shared_by_its_members() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let server = server_for(&fake, None).await?;
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    let bo = server.add_user("Bo", "bo@example.com", "user").await?;
    let cy = server.add_user("Cy", "cy@example.com", "user").await?;
    let url = server.database().context("the server's database")?.url;
    let db = sea_orm::Database::connect(&url).await?;
    db.execute_unprepared(
        "INSERT INTO \"group\" (id, user_id, name, description, created_at, updated_at) \
         VALUES ('team', 'admin', 'Team', '', 0, 0)",
    )
    .await?;
    for (i, token) in [&ana, &bo].into_iter().enumerate() {
        let id = user_id(&server, token).await?;
        db.execute_unprepared(&format!(
            "INSERT INTO group_member (id, group_id, user_id, created_at, updated_at) \
             VALUES ('m{i}', 'team', '{id}', 0, 0)"
        ))
        .await?;
    }
    db.close().await?;
    set_limits(
        &server,
        &json!({"enabled": true, "groups": {"team": {"requests_per_minute": 2}}}),
    )
    .await?;

    clear_of_minute_boundary().await;
    for token in [&ana, &bo] {
        let ok = complete(&server, "/api/chat/completions", token, &ask("echo", false)).await?;
        assert_eq!(ok.0, StatusCode::OK, "{}", ok.2);
    }
    let (status, retry_after, body) =
        complete(&server, "/api/chat/completions", &ana, &ask("echo", false)).await?;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(retry_after.is_some());
    assert!(body.contains("Your group"), "{body}");
    for _ in 0..3 {
        let outside = complete(&server, "/api/chat/completions", &cy, &ask("echo", false)).await?;
        assert_eq!(outside.0, StatusCode::OK, "not a member: {}", outside.2);
    }
    let mine = server.get_json("/api/v1/usage/me", &bo).await?;
    assert_eq!(mine["buckets"][0]["scope"], "group");
    assert_eq!(mine["buckets"][0]["id"], "team");
    server.stop().await
}

#[tokio::test]
async fn the_settings_are_checked_and_only_for_admins() -> Result<()> {
    let server = TestServer::start().await?;
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    let defaults = server
        .get_json("/api/v1/usage/limits", &server.admin_token)
        .await?;
    assert_eq!(defaults["enabled"], false);
    for bad in [
        json!({"enabled": "yes"}),
        json!({"enabeld": true}),
        json!({"default": {"requests_per_minute": -1}}),
        json!({"users": {"": {"tokens_per_day": 5}}}),
        json!([1, 2]),
    ] {
        let response = server
            .client()
            .post(server.url("/api/v1/usage/limits"))
            .bearer_auth(&server.admin_token)
            .json(&bad)
            .send()
            .await?;
        let (status, body) = status_json(response).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert!(body["detail"].is_string(), "{body}");
    }
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/usage/limits"),
        (reqwest::Method::POST, "/api/v1/usage/limits"),
    ] {
        let response = server
            .client()
            .request(method, server.url(path))
            .bearer_auth(&ana)
            .json(&json!({"enabled": true}))
            .send()
            .await?;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let unchanged = server
        .get_json("/api/v1/usage/limits", &server.admin_token)
        .await?;
    assert_eq!(unchanged, defaults);
    server.stop().await
}

#[tokio::test]
async fn two_instances_share_the_counters_through_redis() -> Result<()> {
    let mut redis = RedisServer::start().await?;
    let fake = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let first = server_for(&fake, Some(redis.url())).await?;
    let ana = first.add_user("Ana", "ana@example.com", "user").await?;
    set_limits(
        &first,
        &json!({"enabled": true, "default": {"requests_per_minute": 3}}),
    )
    .await?;
    let (fake_url, redis_url) = (fake.url.clone(), redis.url());
    let second = first
        .start_peer(move |s| {
            s.models.openai_base_urls = Some(vec![fake_url]);
            s.models.bypass_model_access_control = true;
            s.redis.url = Some(redis_url);
            s.redis.key_prefix = format!("usage-test-{}", std::process::id());
        })
        .await?;

    clear_of_minute_boundary().await;
    let mut statuses = Vec::new();
    for server in [&first, &second, &first, &second] {
        let (status, _, body) =
            complete(server, "/api/chat/completions", &ana, &ask("echo", false)).await?;
        assert!(
            status == StatusCode::OK || status == StatusCode::TOO_MANY_REQUESTS,
            "{body}"
        );
        statuses.push(status.as_u16());
    }
    assert_eq!(
        statuses,
        [200, 200, 200, 429],
        "one limit across both instances"
    );

    // Redis gone: each instance counts on its own and keeps answering.
    redis.kill();
    let bo = first.add_user("Bo", "bo@example.com", "user").await?;
    clear_of_minute_boundary().await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let (status, _, body) =
            complete(&first, "/api/chat/completions", &bo, &ask("echo", false)).await?;
        assert!(status.as_u16() < 500, "{status}: {body}");
        statuses.push(status.as_u16());
    }
    assert_eq!(
        statuses,
        [200, 200, 200, 429],
        "counted in memory while Redis is down"
    );
    second.stop().await?;
    first.stop().await
}
