//! Export and import: NDJSON export of 10,000 chats, import round trip, large and odd chats.

use anyhow::Result;
use hearth_tests::{TestServer, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn small_chat(i: usize) -> Value {
    json!({"chat": {"title": format!("Chat {i}"), "history": {"currentId": "m", "messages": {
        "m": {"id": "m", "parentId": null, "childrenIds": [], "role": "user", "content": format!("message {i}")}
    }}}, "meta": {"tags": []}, "created_at": 1_000_000 + i as i64, "updated_at": 1_000_000 + i as i64})
}

#[tokio::test]
async fn exports_ten_thousand_chats_as_ndjson() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    for batch in 0..10 {
        let chats: Vec<Value> = (batch * 1000..(batch + 1) * 1000).map(small_chat).collect();
        let response = server
            .client()
            .post(server.url("/api/v1/chats/import"))
            .bearer_auth(&token)
            .json(&json!({"chats": chats}))
            .send()
            .await?;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let response = server
        .client()
        .get(server.url("/api/v1/chats/all"))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/x-ndjson")
    );
    let body = response.text().await?;
    let lines: Vec<Value> = body
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    assert_eq!(lines.len(), 10_000);
    let mut titles: Vec<&str> = lines.iter().filter_map(|c| c["title"].as_str()).collect();
    titles.sort_unstable();
    titles.dedup();
    assert_eq!(titles.len(), 10_000, "every chat exactly once");
    assert!(
        lines
            .iter()
            .all(|c| c["chat"]["history"]["messages"]["m"]["content"].is_string())
    );
    server.stop().await
}

#[tokio::test]
async fn import_of_an_export_reproduces_the_chats() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let created = server
        .post_json(
            "/api/v1/chats/new",
            &token,
            &json!({"chat": small_chat(7)["chat"]}),
        )
        .await?;
    server
        .post_json(
            &format!("/api/v1/chats/{}/tags", text(&created, "id")?),
            &token,
            &json!({"name": "keep me"}),
        )
        .await?;
    server
        .post_json(
            &format!("/api/v1/chats/{}/pin", text(&created, "id")?),
            &token,
            &json!({}),
        )
        .await?;
    let export = server
        .client()
        .get(server.url("/api/v1/chats/all"))
        .bearer_auth(&token)
        .send()
        .await?
        .text()
        .await?;
    let exported: Vec<Value> = export
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;

    let other = server.add_user("Imp", "imp@example.com", "user").await?;
    let items: Vec<Value> = exported
        .iter()
        .map(|c| json!({"chat": c["chat"], "meta": c["meta"], "pinned": c["pinned"], "archived": c["archived"],
                        "created_at": c["created_at"], "updated_at": c["updated_at"]}))
        .collect();
    server
        .post_json("/api/v1/chats/import", &other, &json!({"chats": items}))
        .await?;
    let reexport = server
        .client()
        .get(server.url("/api/v1/chats/all"))
        .bearer_auth(&other)
        .send()
        .await?
        .text()
        .await?;
    let reimported: Vec<Value> = reexport
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    assert_eq!(reimported.len(), exported.len());
    for (a, b) in exported.iter().zip(&reimported) {
        for field in [
            "title",
            "chat",
            "meta",
            "pinned",
            "archived",
            "created_at",
            "updated_at",
        ] {
            assert_eq!(a[field], b[field], "{field} differs after the round trip");
        }
    }
    assert_eq!(
        server.get_json("/api/v1/chats/all/tags", &other).await?[0]["id"],
        "keep_me"
    );
    server.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn large_malformed_and_odd_chats_get_clear_answers() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let big = "x".repeat(5 * 1024 * 1024);
    let created = server
        .post_json(
            "/api/v1/chats/new",
            &token,
            &json!({"chat": {"title": "Big", "history": {"messages": {
            "m": {"id": "m", "role": "user", "content": big}}, "currentId": "m"}}}),
        )
        .await?;
    let read = server
        .get_json(&format!("/api/v1/chats/{}", text(&created, "id")?), &token)
        .await?;
    assert_eq!(
        read["chat"]["history"]["messages"]["m"]["content"]
            .as_str()
            .map(str::len),
        Some(5 * 1024 * 1024),
        "nothing lost"
    );

    for body in [
        json!({"chat": "not an object"}),
        json!({"chat": [1, 2]}),
        json!({}),
        json!({"chat": {}, "folder_id": 5}),
    ] {
        let response = server
            .client()
            .post(server.url("/api/v1/chats/new"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await?;
        let (status, detail) = status_json(response).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {detail}");
    }
    let odd = server
        .post_json(
            "/api/v1/chats/new",
            &token,
            &json!({"chat": {"history": "weird", "messages": 5}}),
        )
        .await?;
    assert_eq!(
        odd["title"], "New Chat",
        "a document without usable history is still stored"
    );
    let odd_read = server
        .get_json(&format!("/api/v1/chats/{}", text(&odd, "id")?), &token)
        .await?;
    assert_eq!(odd_read["chat"]["history"], "weird");
    for path in [
        "/api/v1/chats/unknown-id",
        "/api/v1/chats/%00",
        "/api/v1/chats/unknown-id/tags",
    ] {
        let response = server
            .client()
            .get(server.url(path))
            .bearer_auth(&token)
            .send()
            .await?;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let import_denied = server
        .add_user("NoImport", "noimport@example.com", "user")
        .await?;
    let mut permissions = server
        .get_json("/api/v1/users/default/permissions", &token)
        .await?;
    permissions["chat"]["import"] = json!(false);
    server
        .post_json("/api/v1/users/default/permissions", &token, &permissions)
        .await?;
    let denied = server
        .client()
        .post(server.url("/api/v1/chats/import"))
        .bearer_auth(&import_denied)
        .json(&json!({"chats": []}))
        .send()
        .await?;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    server.stop().await
}

#[tokio::test]
async fn nul_characters_anywhere_in_an_import_are_dropped_not_refused_by_the_database() -> Result<()>
{
    // PostgreSQL's jsonb refuses `\u0000`; found by the fuzzing step.
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let imported = server
        .post_json(
            "/api/v1/chats/import",
            &token,
            &json!({"chats": [{"chat": {"title": "a\u{0}b", "k\u{0}": "v\u{0}"},
                "meta": {"m\u{0}": "x\u{0}"}, "variables": {"v\u{0}": ["\u{0}"]}, "folder_id": "\u{0}"}]}),
        )
        .await?;
    let id = text(&imported[0], "id")?;
    let stored = server
        .get_json(&format!("/api/v1/chats/{id}"), &token)
        .await?;
    assert_eq!(stored["title"], "ab");
    assert!(!stored.to_string().contains("\\u0000"), "{stored}");
    server.stop().await
}
