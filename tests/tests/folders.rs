//! Chat folders through a real server: the tree, moving chats, unread counts, deletion.

use anyhow::Result;
use hearth_tests::{TestServer, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn chat_in(
    server: &TestServer,
    token: &str,
    folder: Option<&str>,
    title: &str,
) -> Result<String> {
    let body = json!({"chat": {"title": title, "history": {"messages": {}, "currentId": null}}, "folder_id": folder});
    text(
        &server.post_json("/api/v1/chats/new", token, &body).await?,
        "id",
    )
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn folders_nest_hold_chats_and_count_unread() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let work = server
        .post_json(
            "/api/v1/folders/",
            &token,
            &json!({"name": "Work", "meta": {"icon": "💼"}}),
        )
        .await?;
    let work_id = text(&work, "id")?;
    let sub = server
        .post_json(
            "/api/v1/folders/",
            &token,
            &json!({"name": "Sub", "parent_id": work_id}),
        )
        .await?;
    let sub_id = text(&sub, "id")?;
    let duplicate = server
        .client()
        .post(server.url("/api/v1/folders/"))
        .bearer_auth(&token)
        .json(&json!({"name": "work"}))
        .send()
        .await?;
    assert_eq!(duplicate.status(), StatusCode::BAD_REQUEST);
    let extra = server
        .client()
        .post(server.url("/api/v1/folders/"))
        .bearer_auth(&token)
        .json(&json!({"name": "X", "owner": "me"}))
        .send()
        .await?;
    assert_eq!(
        extra.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown keys are refused"
    );

    let in_sub = chat_in(&server, &token, Some(&sub_id), "In sub").await?;
    let loose = chat_in(&server, &token, None, "Loose").await?;
    let moved = server
        .post_json(
            &format!("/api/v1/chats/{loose}/folder"),
            &token,
            &json!({"folder_id": work_id}),
        )
        .await?;
    assert_eq!(moved["folder_id"], work_id.as_str());
    assert_eq!(
        server.get_json("/api/v1/chats/", &token).await?,
        json!([]),
        "foldered chats leave the main list"
    );
    assert_eq!(
        server
            .get_json(
                &format!("/api/v1/chats/folder/{work_id}/list?page=1"),
                &token
            )
            .await?
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        server
            .get_json(&format!("/api/v1/chats/folder/{work_id}"), &token)
            .await?
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let bad_move = server
        .client()
        .post(server.url(&format!("/api/v1/chats/{loose}/folder")))
        .bearer_auth(&token)
        .json(&json!({"folder_id": "nope"}))
        .send()
        .await?;
    assert_eq!(bad_move.status(), StatusCode::NOT_FOUND);

    // Mark the sub folder's chat unread: both folders count it.
    let unread = server
        .post_json(
            &format!("/api/v1/chats/{in_sub}/unread"),
            &token,
            &json!({}),
        )
        .await?;
    assert_eq!(unread["folder_unread_counts"][&work_id], json!(1));
    assert_eq!(unread["folder_unread_counts"][&sub_id], json!(1));
    let listed = server.get_json("/api/v1/folders/", &token).await?;
    let work_entry = listed
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["id"] == work_id.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            work_entry["unread_count"].clone(),
            work_entry["meta"]["icon"].clone()
        ),
        (json!(1), json!("💼"))
    );
    let read = server
        .post_json(
            &format!("/api/v1/folders/{work_id}/read"),
            &token,
            &json!({}),
        )
        .await?;
    assert_eq!(read["folder_unread_counts"][&work_id], json!(0));

    let into_itself = server
        .client()
        .post(server.url(&format!("/api/v1/folders/{work_id}/update/parent")))
        .bearer_auth(&token)
        .json(&json!({"parent_id": sub_id}))
        .send()
        .await?;
    assert_eq!(into_itself.status(), StatusCode::BAD_REQUEST);
    let renamed = server
        .post_json(
            &format!("/api/v1/folders/{sub_id}/update"),
            &token,
            &json!({"name": "Renamed"}),
        )
        .await?;
    assert_eq!(renamed["name"], "Renamed");
    let expanded = server
        .post_json(
            &format!("/api/v1/folders/{work_id}/update/expanded"),
            &token,
            &json!({"is_expanded": true}),
        )
        .await?;
    assert_eq!(expanded["is_expanded"], json!(true));
    server.stop().await
}

#[tokio::test]
async fn deleting_a_folder_deletes_or_releases_its_chats() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let keep = text(
        &server
            .post_json("/api/v1/folders/", &token, &json!({"name": "Keep"}))
            .await?,
        "id",
    )?;
    let drop = text(
        &server
            .post_json("/api/v1/folders/", &token, &json!({"name": "Drop"}))
            .await?,
        "id",
    )?;
    let child = text(
        &server
            .post_json(
                "/api/v1/folders/",
                &token,
                &json!({"name": "Child", "parent_id": drop}),
            )
            .await?,
        "id",
    )?;
    let kept_chat = chat_in(&server, &token, Some(&keep), "kept").await?;
    let dropped_chat = chat_in(&server, &token, Some(&child), "dropped").await?;

    let release = server
        .client()
        .delete(server.url(&format!("/api/v1/folders/{keep}?delete_contents=false")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(status_json(release).await?, (StatusCode::OK, json!(true)));
    let kept: Value = server
        .get_json(&format!("/api/v1/chats/{kept_chat}"), &token)
        .await?;
    assert_eq!(kept["folder_id"], Value::Null);

    let purge = server
        .client()
        .delete(server.url(&format!("/api/v1/folders/{drop}")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(status_json(purge).await?, (StatusCode::OK, json!(true)));
    let gone = server
        .client()
        .get(server.url(&format!("/api/v1/chats/{dropped_chat}")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(
        gone.status(),
        StatusCode::UNAUTHORIZED,
        "chats of subfolders go too"
    );
    assert_eq!(
        server.get_json("/api/v1/folders/", &token).await?,
        json!([])
    );
    let other = server.add_user("Ola", "ola@example.com", "user").await?;
    let foreign = server
        .client()
        .get(server.url(&format!("/api/v1/folders/{keep}")))
        .bearer_auth(&other)
        .send()
        .await?;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    server.stop().await
}

#[tokio::test]
async fn a_folders_page_lists_its_chats_ten_at_a_time() -> Result<()> {
    let server = TestServer::start().await?;
    let admin = &server.admin_token;
    let folder = server
        .post_json("/api/v1/folders/", admin, &json!({"name": "Paged"}))
        .await?;
    let folder_id = text(&folder, "id")?;
    for i in 0..12 {
        let chat = server
            .post_json(
                "/api/v1/chats/new",
                admin,
                &json!({"chat": {"title": format!("In folder {i}")}, "folder_id": folder_id}),
            )
            .await?;
        let chat_id = text(&chat, "id")?;
        server
            .post_json(
                &format!("/api/v1/chats/{chat_id}/folder"),
                admin,
                &json!({"folder_id": folder_id}),
            )
            .await?;
    }
    let first = server
        .get_json(
            &format!("/api/v1/folders/{folder_id}/shared/chats?page=1"),
            admin,
        )
        .await?;
    assert_eq!(first["chats"].as_array().map(Vec::len), Some(10), "{first}");
    assert_eq!(first["total"], 12);
    assert_eq!(first["has_more"], true);
    assert_eq!(first["folder_permission"], "write");
    assert_eq!(first["chats"][0]["readonly"], false);
    let second = server
        .get_json(
            &format!("/api/v1/folders/{folder_id}/shared/chats?page=2"),
            admin,
        )
        .await?;
    assert_eq!(second["chats"].as_array().map(Vec::len), Some(2));
    assert_eq!(second["has_more"], false);
    let other = server.add_user("Sam", "sam@example.com", "user").await?;
    let response = server
        .client()
        .get(server.url(&format!("/api/v1/folders/{folder_id}/shared/chats")))
        .bearer_auth(&other)
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another user's folder: {body}"
    );
    server.stop().await
}
