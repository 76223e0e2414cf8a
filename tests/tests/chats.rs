//! The chat history API through a real server: documents, merges, lists, ownership, pins,
//! archive, tags, search, export and import.

use anyhow::Result;
use hearth_tests::{TestServer, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn document(title: &str, user_text: &str) -> Value {
    json!({
        "id": "", "title": title, "models": ["fake-model"],
        "history": {"currentId": "u1", "messages": {
            "u1": {"id": "u1", "parentId": null, "childrenIds": [], "role": "user", "content": user_text, "timestamp": 1_700_000_000}
        }},
        "messages": [{"id": "u1", "role": "user", "content": user_text}],
        "tags": [], "files": [], "timestamp": 1_700_000_000_000u64
    })
}

async fn new_chat(server: &TestServer, token: &str, title: &str) -> Result<Value> {
    server
        .post_json(
            "/api/v1/chats/new",
            token,
            &json!({"chat": document(title, "hello")}),
        )
        .await
}

#[tokio::test]
async fn chats_are_created_read_merged_and_deleted() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.add_user("Ana", "ana@example.com", "user").await?;
    let created = new_chat(&server, &token, "First \u{0} chat ✓").await?;
    let id = text(&created, "id")?;
    assert_eq!(
        created["title"], "First  chat ✓",
        "NUL is stripped, unicode kept"
    );
    assert_eq!(created["current_message_id"], "u1");
    assert_eq!(
        created["chat"]["history"]["messages"]["u1"]["user"]["name"],
        "Ana"
    );

    let read = server
        .get_json(&format!("/api/v1/chats/{id}"), &token)
        .await?;
    assert_eq!(read["chat"]["share_mode"], "continue");
    assert_eq!(read["archived"], json!(false));

    // A stale client sends only its own new message; the stored one survives.
    let reply = json!({"chat": {"history": {"currentId": "a1", "messages": {
        "a1": {"id": "a1", "parentId": "u1", "childrenIds": [], "role": "assistant", "content": "hi!", "done": true}
    }}}});
    let merged = server
        .post_json(&format!("/api/v1/chats/{id}"), &token, &reply)
        .await?;
    assert_eq!(
        merged["chat"]["history"]["messages"]["u1"]["childrenIds"],
        json!(["a1"])
    );
    assert_eq!(merged["current_message_id"], "a1");
    let renamed = server
        .post_json(
            &format!("/api/v1/chats/{id}"),
            &token,
            &json!({"chat": {"title": "Renamed"}}),
        )
        .await?;
    assert_eq!(renamed["title"], "Renamed");
    assert_eq!(
        renamed["updated_at"], merged["updated_at"],
        "a title change does not move the chat"
    );
    let params = server
        .client()
        .patch(server.url(&format!("/api/v1/chats/{id}/params")))
        .bearer_auth(&token)
        .json(&json!({"temperature": 0.5}))
        .send()
        .await?;
    assert_eq!(params.json::<Value>().await?, json!({"temperature": 0.5}));

    let deleted = server
        .client()
        .delete(server.url(&format!("/api/v1/chats/{id}")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(status_json(deleted).await?, (StatusCode::OK, json!(true)));
    let gone = server
        .client()
        .get(server.url(&format!("/api/v1/chats/{id}")))
        .bearer_auth(&token)
        .send()
        .await?;
    let (status, body) = status_json(gone).await?;
    assert_eq!(
        (status, body["detail"].clone()),
        (
            StatusCode::UNAUTHORIZED,
            json!("We could not find what you're looking for :/")
        )
    );
    server.stop().await
}

#[tokio::test]
async fn other_users_cannot_see_or_change_a_chat() -> Result<()> {
    let server = TestServer::start().await?;
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    let ben = server.add_user("Ben", "ben@example.com", "user").await?;
    let id = text(&new_chat(&server, &ana, "Private").await?, "id")?;
    let path = |suffix: &str| server.url(&format!("/api/v1/chats/{id}{suffix}"));
    let client = server.client();
    let checks = [
        (client.get(path("")), StatusCode::UNAUTHORIZED),
        (
            client
                .post(path(""))
                .json(&json!({"chat": {"title": "mine"}})),
            StatusCode::UNAUTHORIZED,
        ),
        (client.delete(path("")), StatusCode::NOT_FOUND),
        (client.post(path("/pin")), StatusCode::UNAUTHORIZED),
        (client.post(path("/archive")), StatusCode::UNAUTHORIZED),
        (client.get(path("/tags")), StatusCode::UNAUTHORIZED),
        (
            client.post(path("/tags")).json(&json!({"name": "x"})),
            StatusCode::UNAUTHORIZED,
        ),
        (
            client
                .post(path("/folder"))
                .json(&json!({"folder_id": null})),
            StatusCode::UNAUTHORIZED,
        ),
    ];
    for (request, expected) in checks {
        let response = request.bearer_auth(&ben).send().await?;
        assert_eq!(response.status(), expected);
    }
    assert!(
        server
            .get_json("/api/v1/chats/?page=1", &ben)
            .await?
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    let still = server
        .get_json(&format!("/api/v1/chats/{id}"), &ana)
        .await?;
    assert_eq!(still["title"], "Private");
    let admin_view = server
        .get_json(&format!("/api/v1/chats/{id}"), &server.admin_token)
        .await?;
    assert_eq!(
        admin_view["user_id"], still["user_id"],
        "admins may read any chat"
    );
    server.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn lists_page_by_sixty_and_separate_pinned_and_archived() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let chats: Vec<Value> = (0..63)
        .map(|i| json!({"chat": document(&format!("Chat {i:02}"), "x"), "updated_at": 1000 + i}))
        .collect();
    let imported = server
        .post_json("/api/v1/chats/import", &token, &json!({"chats": chats}))
        .await?;
    let ids: Vec<String> = imported
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 63);
    let page = |n: u32| {
        let (server, token, path) = (&server, &token, format!("/api/v1/chats/?page={n}"));
        async move { server.get_json(&path, token).await }
    };
    assert_eq!(page(1).await?.as_array().map(Vec::len), Some(60));
    assert_eq!(page(2).await?.as_array().map(Vec::len), Some(3));
    assert_eq!(page(3).await?, json!([]));
    assert_eq!(page(1).await?[0]["title"], "Chat 62", "newest first");
    assert_eq!(
        server
            .get_json("/api/v1/chats/", &token)
            .await?
            .as_array()
            .map(Vec::len),
        Some(63)
    );
    let by_title = server
        .get_json("/api/v1/chats/?page=1&sort_by=title&sort_dir=asc", &token)
        .await?;
    assert_eq!(by_title[0]["title"], "Chat 00");

    let pinned = server
        .post_json(&format!("/api/v1/chats/{}/pin", ids[0]), &token, &json!({}))
        .await?;
    assert_eq!(pinned["pinned"], json!(true));
    server
        .post_json(
            &format!("/api/v1/chats/{}/archive", ids[1]),
            &token,
            &json!({}),
        )
        .await?;
    assert_eq!(
        server
            .get_json("/api/v1/chats/pinned", &token)
            .await?
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        server
            .get_json(&format!("/api/v1/chats/{}/pinned", ids[0]), &token)
            .await?,
        json!(true)
    );
    assert_eq!(
        server
            .get_json("/api/v1/chats/", &token)
            .await?
            .as_array()
            .map(Vec::len),
        Some(61)
    );
    assert_eq!(
        server
            .get_json("/api/v1/chats/archived/count", &token)
            .await?,
        json!(1)
    );
    let archived = server
        .get_json("/api/v1/chats/archived?query=chat%2001", &token)
        .await?;
    assert_eq!(archived[0]["id"], ids[1].as_str());
    assert_eq!(
        server
            .post_json("/api/v1/chats/archive/all", &token, &json!({}))
            .await?,
        json!(true)
    );
    assert_eq!(
        server
            .get_json("/api/v1/chats/archived/count", &token)
            .await?,
        json!(63)
    );
    assert_eq!(
        server
            .get_json("/api/v1/chats/all/archived", &token)
            .await?
            .as_array()
            .map(Vec::len),
        Some(63)
    );
    server
        .post_json("/api/v1/chats/unarchive/all", &token, &json!({}))
        .await?;
    assert_eq!(
        server
            .get_json("/api/v1/chats/archived/count", &token)
            .await?,
        json!(0)
    );
    let all_deleted = server
        .client()
        .delete(server.url("/api/v1/chats/"))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(all_deleted.json::<Value>().await?, json!(true));
    assert_eq!(server.get_json("/api/v1/chats/", &token).await?, json!([]));
    server.stop().await
}

#[tokio::test]
async fn tags_are_created_listed_filtered_and_cleaned_up() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let one = text(&new_chat(&server, &token, "One").await?, "id")?;
    let two = text(&new_chat(&server, &token, "Two").await?, "id")?;
    let tags = server
        .post_json(
            &format!("/api/v1/chats/{one}/tags"),
            &token,
            &json!({"name": "Rust Lang"}),
        )
        .await?;
    assert_eq!(
        tags,
        json!([{"id": "rust_lang", "name": "Rust Lang", "user_id": server.admin_id, "meta": null}])
    );
    server
        .post_json(
            &format!("/api/v1/chats/{two}/tags"),
            &token,
            &json!({"name": "rust lang"}),
        )
        .await?;
    let none = server
        .client()
        .post(server.url(&format!("/api/v1/chats/{one}/tags")))
        .bearer_auth(&token)
        .json(&json!({"name": "None"}))
        .send()
        .await?;
    assert_eq!(none.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        server
            .get_json("/api/v1/chats/all/tags", &token)
            .await?
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let tagged = server
        .post_json("/api/v1/chats/tags", &token, &json!({"name": "Rust Lang"}))
        .await?;
    assert_eq!(tagged.as_array().map(Vec::len), Some(2));
    let search = server
        .get_json("/api/v1/chats/search?text=tag:rust_lang%20one", &token)
        .await?;
    assert_eq!(search.as_array().map(Vec::len), Some(1));

    for id in [&one, &two] {
        let response = server
            .client()
            .delete(server.url(&format!("/api/v1/chats/{id}/tags")))
            .bearer_auth(&token)
            .json(&json!({"name": "Rust Lang"}))
            .send()
            .await?;
        assert_eq!(response.json::<Value>().await?, json!([]));
    }
    assert_eq!(
        server.get_json("/api/v1/chats/all/tags", &token).await?,
        json!([]),
        "the last use removed the tag"
    );
    server.stop().await
}

#[tokio::test]
async fn search_finds_titles_and_messages_and_treats_metacharacters_literally() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    server
        .post_json(
            "/api/v1/chats/new",
            &token,
            &json!({"chat": document("Garden", "How deep do tomato roots grow?")}),
        )
        .await?;
    server
        .post_json(
            "/api/v1/chats/new",
            &token,
            &json!({"chat": document("100% _done_", "ok")}),
        )
        .await?;
    let search = |text: &str| {
        let (server, token, path) = (&server, &token, format!("/api/v1/chats/search?text={text}"));
        async move { server.get_json(&path, token).await }
    };
    assert_eq!(search("TOMATO").await?[0]["title"], "Garden");
    assert_eq!(search("100%25").await?.as_array().map(Vec::len), Some(1));
    assert_eq!(search("%25").await?.as_array().map(Vec::len), Some(1));
    assert_eq!(search("_done_").await?.as_array().map(Vec::len), Some(1));
    assert_eq!(search("x_y").await?, json!([]));
    assert_eq!(
        search("%27%3B%20DROP%20TABLE%20chat%3B--").await?,
        json!([])
    );
    assert_eq!(
        server
            .get_json("/api/v1/chats/?page=1", &token)
            .await?
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    server.stop().await
}

#[tokio::test]
async fn clone_copies_and_remembers_the_original() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let id = text(&new_chat(&server, &token, "Source").await?, "id")?;
    let copy = server
        .post_json(&format!("/api/v1/chats/{id}/clone"), &token, &json!({}))
        .await?;
    assert_eq!(copy["title"], "Clone of Source");
    assert_eq!(copy["chat"]["originalChatId"], id.as_str());
    assert_ne!(copy["id"], id.as_str());
    server.stop().await
}
