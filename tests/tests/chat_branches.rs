//! Message edits, message deletion, forks, and the admin's chat views.

use anyhow::Result;
use hearth_tests::{TestServer, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn three_messages() -> Value {
    json!({"title": "Talk", "history": {"currentId": "u2", "messages": {
        "u1": {"id": "u1", "parentId": null, "childrenIds": ["a1"], "role": "user", "content": "one"},
        "a1": {"id": "a1", "parentId": "u1", "childrenIds": ["u2"], "role": "assistant", "content": "two", "done": true},
        "u2": {"id": "u2", "parentId": "a1", "childrenIds": [], "role": "user", "content": "three"}
    }}})
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn messages_are_edited_deleted_and_forked() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let id = text(
        &server
            .post_json(
                "/api/v1/chats/new",
                &token,
                &json!({"chat": three_messages()}),
            )
            .await?,
        "id",
    )?;

    let edited = server
        .post_json(
            &format!("/api/v1/chats/{id}/messages/a1"),
            &token,
            &json!({"content": "TWO"}),
        )
        .await?;
    assert_eq!(
        edited["chat"]["history"]["messages"]["a1"]["content"],
        "TWO"
    );
    assert_eq!(
        server
            .get_json(&format!("/api/v1/chats/{id}"), &token)
            .await?["chat"]["history"]["messages"]["a1"]["content"],
        "TWO"
    );
    let missing = server
        .client()
        .post(server.url(&format!("/api/v1/chats/{id}/messages/zz")))
        .bearer_auth(&token)
        .json(&json!({"content": "x"}))
        .send()
        .await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let empty = server
        .client()
        .post(server.url(&format!("/api/v1/chats/{id}/messages/a1")))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await?;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);

    let fork = server
        .post_json(
            &format!("/api/v1/chats/{id}/fork"),
            &token,
            &json!({"message_id": "a1"}),
        )
        .await?;
    assert_eq!(fork["title"], "Talk (fork)");
    assert_eq!(fork["chat"]["history"]["currentId"], "a1");
    assert_eq!(
        fork["chat"]["history"]["messages"]
            .as_object()
            .map(|m| m.len()),
        Some(2)
    );
    assert_eq!(fork["meta"]["forked_from"], id.as_str());
    let bad_fork = server
        .client()
        .post(server.url(&format!("/api/v1/chats/{id}/fork")))
        .bearer_auth(&token)
        .json(&json!({"message_id": "nope"}))
        .send()
        .await?;
    assert_eq!(bad_fork.status(), StatusCode::NOT_FOUND);

    let deleted = server
        .client()
        .delete(server.url(&format!("/api/v1/chats/{id}/messages/a1")))
        .bearer_auth(&token)
        .send()
        .await?;
    let after: Value = deleted.json().await?;
    let left: Vec<&String> = after["chat"]["history"]["messages"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(left, ["u1"], "a1 and its direct reply u2 are gone");
    assert_eq!(after["current_message_id"], "u1");
    let other = server.add_user("Oz", "oz@example.com", "user").await?;
    let foreign = server
        .client()
        .delete(server.url(&format!("/api/v1/chats/{id}/messages/u1")))
        .bearer_auth(&other)
        .send()
        .await?;
    assert_eq!(foreign.status(), StatusCode::UNAUTHORIZED);
    server.stop().await
}

#[tokio::test]
async fn admins_see_user_chat_lists_and_chat_settings() -> Result<()> {
    let server = TestServer::start().await?;
    let user = server.add_user("Ula", "ula@example.com", "user").await?;
    let user_id = text(&server.get_json("/api/v1/auths/", &user).await?, "id")?;
    let first = text(
        &server
            .post_json("/api/v1/chats/new", &user, &json!({"chat": {"title": "a"}}))
            .await?,
        "id",
    )?;
    server
        .post_json("/api/v1/chats/new", &user, &json!({"chat": {"title": "b"}}))
        .await?;
    server
        .post_json(&format!("/api/v1/chats/{first}/archive"), &user, &json!({}))
        .await?;
    let listed = server
        .get_json(
            &format!("/api/v1/chats/list/user/{user_id}?page=1"),
            &server.admin_token,
        )
        .await?;
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(2),
        "archived chats included"
    );
    let denied = server
        .client()
        .get(server.url(&format!("/api/v1/chats/list/user/{user_id}")))
        .bearer_auth(&user)
        .send()
        .await?;
    assert_eq!(denied.status(), StatusCode::UNAUTHORIZED);

    let config = server
        .get_json("/api/v1/chats/config", &server.admin_token)
        .await?;
    assert_eq!(config["ENABLE_CONTEXT_COMPACTION"], json!(false));
    let saved = server
        .post_json(
            "/api/v1/chats/config",
            &server.admin_token,
            &json!({"ENABLE_CONTEXT_COMPACTION": true, "CONTEXT_COMPACTION_PROMPT_TEMPLATE": ""}),
        )
        .await?;
    assert_eq!(saved["ENABLE_CONTEXT_COMPACTION"], json!(true));
    let invalid = server
        .client()
        .post(server.url("/api/v1/chats/config"))
        .bearer_auth(&server.admin_token)
        .json(&json!({}))
        .send()
        .await?;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await
}
