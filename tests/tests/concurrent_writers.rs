//! Fifty writers at once on every write route: each non-GET operation of the served OpenAPI
//! document is sent 50 times concurrently (10 on PostgreSQL, see [`writers`]) by the admin,
//! aimed at the admin's own resources.
//! Writers wait their turn (SQLite write transactions begin as writes, with a busy timeout):
//! none may get a 5xx — in particular no 503 "database is locked". The routes where
//! concurrent read-then-write transactions used to fail must also succeed every time.

use anyhow::Result;
use futures_util::future::join_all;
use hearth_tests::TestServer;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use hearth_tests::openapi_cases::{answer, operations, seed, served_document};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::collections::BTreeMap;

/// Writers at once: 50 on SQLite (one writer at a time, so all 50 queue on its lock). On
/// PostgreSQL, 10 — the pool's size — so that the test measures the database's row locking
/// and not how long 50 requests queue for 10 connections under CI's load (a request waiting
/// past `DATABASE_POOL_TIMEOUT` answers 503 by design).
fn writers() -> usize {
    let on_postgres = std::env::var(hearth_persistence::scratch::TEST_DATABASE_ENV)
        .is_ok_and(|url| !url.is_empty());
    if on_postgres { 10 } else { 50 }
}

#[tokio::test]
async fn fifty_concurrent_writers_on_every_write_route_get_no_server_error() -> Result<()> {
    let upstream = FakeUpstream::start(Flavor::OpenAi, &["echo"]).await?;
    let url = upstream.url.clone();
    let server = TestServer::start_with(move |s| {
        s.models.openai_base_urls = Some(vec![url.clone()]);
        s.retrieval.embedding_engine = Some("openai".into());
        s.retrieval.openai_base_url = Some(url);
    })
    .await?;
    let admin = server.admin_token.clone();
    let owned = seed(&server, &admin, "writer").await?;
    let document = served_document(&server).await?;

    let mut routes = 0;
    let mut outcomes: BTreeMap<u16, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for operation in
        operations(&document).filter(|o| o.method != Method::GET && o.method != Method::HEAD)
    {
        let answers = join_all((0..writers()).map(|_| {
            answer(
                operation
                    .request(&server, &document, &owned, &owned)
                    .bearer_auth(&admin),
            )
        }))
        .await;
        routes += 1;
        for (status, body) in answers {
            *outcomes.entry(status.as_u16()).or_default() += 1;
            if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
                failures.push(format!(
                    "{} {}: {status} {}",
                    operation.method,
                    operation.path,
                    body.chars().take(160).collect::<String>()
                ));
            }
        }
    }
    println!(
        "{routes} write routes × {} concurrent writers: {outcomes:?}",
        writers()
    );
    failures.dedup();
    assert!(
        routes > 80,
        "only {routes} write routes: is the document served?"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    server.stop().await
}

#[tokio::test]
async fn read_then_write_routes_succeed_for_every_concurrent_writer() -> Result<()> {
    let server = TestServer::start().await?;
    let admin = server.admin_token.clone();
    let chat = server
        .post_json(
            "/api/v1/chats/new",
            &admin,
            &json!({"chat": {"title": "shared"}}),
        )
        .await?;
    let chat = hearth_tests::text(&chat, "id")?;
    server
        .post_json(
            "/api/v1/models/create",
            &admin,
            &json!({"id": "guarded", "name": "Guarded", "meta": {}, "params": {}}),
        )
        .await?;
    let writes = [
        (
            "/api/v1/auths/update/profile".to_owned(),
            json!({"name": "Admin", "profile_image_url": "/user.png"}),
        ),
        (
            "/api/v1/auths/update/timezone".to_owned(),
            json!({"timezone": "Europe/Berlin"}),
        ),
        (format!("/api/v1/chats/{chat}/share"), json!({})),
        (
            format!("/api/v1/chats/{chat}/tags"),
            json!({"name": "busy"}),
        ),
        (
            "/api/v1/models/model/access/update?id=guarded".to_owned(),
            json!({"id": "guarded", "access_grants": []}),
        ),
        (
            "/api/v1/users/user/settings/update".to_owned(),
            json!({"ui": {"busy": true}}),
        ),
        ("/api/v1/folders/".to_owned(), json!({"name": "Busy"})),
    ];
    for (path, body) in writes {
        let answers = join_all((0..writers()).map(|i| {
            let mut body = body.clone();
            if path == "/api/v1/folders/" {
                body["name"] = json!(format!("Busy {i}"));
            }
            answer(
                server
                    .client()
                    .post(server.url(&path))
                    .bearer_auth(&admin)
                    .json(&body),
            )
        }))
        .await;
        let refused: Vec<_> = answers
            .iter()
            .filter(|(status, _)| !status.is_success())
            .collect();
        assert!(refused.is_empty(), "{path}: {refused:?}");
    }
    server.stop().await
}
