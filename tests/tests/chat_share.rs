//! Shared chats: a frozen snapshot, opened by token by those its grants allow.

use anyhow::Result;
use hearth_tests::{TestServer, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn snapshots_stay_frozen_and_follow_their_grants() -> Result<()> {
    let server = TestServer::start().await?;
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    let ben = server.add_user("Ben", "ben@example.com", "user").await?;
    let chat = server
        .post_json("/api/v1/chats/new", &ana, &json!({"chat": {"title": "Recipe", "params": {"secret": 1},
            "history": {"currentId": "m", "messages": {"m": {"id": "m", "role": "user", "content": "first"}}}}}))
        .await?;
    let id = text(&chat, "id")?;
    let shared = server
        .post_json(&format!("/api/v1/chats/{id}/share"), &ana, &json!({}))
        .await?;
    let share_id = text(&shared, "share_id")?;

    // The chat changes after sharing; the snapshot does not.
    server
        .post_json(
            &format!("/api/v1/chats/{id}"),
            &ana,
            &json!({"chat": {"title": "Recipe v2"}}),
        )
        .await?;
    let own_view = server
        .get_json(&format!("/api/v1/chats/share/{share_id}"), &ana)
        .await?;
    assert_eq!(own_view["title"], "Recipe");
    assert!(
        own_view["chat"].get("params").is_none(),
        "private keys are not shown"
    );

    let open = |token: Option<String>| {
        let mut request = server
            .client()
            .get(server.url(&format!("/api/v1/chats/share/{share_id}")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(
        open(Some(ben.clone())).await?.status(),
        StatusCode::UNAUTHORIZED,
        "no grant yet"
    );
    assert_eq!(open(None).await?.status(), StatusCode::UNAUTHORIZED);
    let grants = json!({"access_grants": [{"principal_type": "user", "principal_id": "*", "permission": "read"}]});
    // Sharing with everyone needs sharing.public_chats, which users lack by default.
    server
        .post_json(
            &format!("/api/v1/chats/shared/{id}/access/update"),
            &ana,
            &grants,
        )
        .await?;
    assert_eq!(
        server
            .get_json(&format!("/api/v1/chats/shared/{id}/access"), &ana)
            .await?,
        json!([])
    );
    let ben_id = text(&server.get_json("/api/v1/auths/", &ben).await?, "id")?;
    let direct = json!({"access_grants": [{"principal_type": "user", "principal_id": ben_id, "permission": "read"}]});
    server
        .post_json(
            &format!("/api/v1/chats/shared/{id}/access/update"),
            &ana,
            &direct,
        )
        .await?;
    let (status, seen) = status_json(open(Some(ben.clone())).await?).await?;
    assert_eq!(
        (status, seen["title"].clone()),
        (StatusCode::OK, json!("Recipe"))
    );

    // Re-sharing refreshes the snapshot under the same token.
    let again = server
        .post_json(&format!("/api/v1/chats/{id}/share"), &ana, &json!({}))
        .await?;
    assert_eq!(again["share_id"], share_id.as_str());
    assert_eq!(
        server
            .get_json(&format!("/api/v1/chats/share/{share_id}"), &ben)
            .await?["title"],
        "Recipe v2"
    );
    let listed = server.get_json("/api/v1/chats/shared", &ana).await?;
    assert_eq!(listed[0]["share_id"], share_id.as_str());

    let stop = server
        .client()
        .delete(server.url(&format!("/api/v1/chats/{id}/share")))
        .bearer_auth(&ana)
        .send()
        .await?;
    assert_eq!(stop.json::<Value>().await?, json!(true));
    assert_eq!(
        open(Some(ana.clone())).await?.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server
            .get_json(&format!("/api/v1/chats/{id}"), &ana)
            .await?["share_id"],
        Value::Null
    );
    server.stop().await
}

#[tokio::test]
async fn sharing_needs_the_permission_and_ownership() -> Result<()> {
    let server = TestServer::start().await?;
    let ana = server.add_user("Ana", "ana@example.com", "user").await?;
    let ben = server.add_user("Ben", "ben@example.com", "user").await?;
    let id = text(
        &server
            .post_json("/api/v1/chats/new", &ana, &json!({"chat": {"title": "t"}}))
            .await?,
        "id",
    )?;
    let foreign = server
        .client()
        .post(server.url(&format!("/api/v1/chats/{id}/share")))
        .bearer_auth(&ben)
        .send()
        .await?;
    assert_eq!(foreign.status(), StatusCode::UNAUTHORIZED);
    let mut permissions = server
        .get_json("/api/v1/users/default/permissions", &server.admin_token)
        .await?;
    permissions["chat"]["share"] = json!(false);
    server
        .post_json(
            "/api/v1/users/default/permissions",
            &server.admin_token,
            &permissions,
        )
        .await?;
    let denied = server
        .client()
        .post(server.url(&format!("/api/v1/chats/{id}/share")))
        .bearer_auth(&ana)
        .send()
        .await?;
    assert_eq!(denied.status(), StatusCode::UNAUTHORIZED);
    server
        .post_json(
            &format!("/api/v1/chats/{id}/share"),
            &server.admin_token,
            &json!({}),
        )
        .await
        .err()
        .ok_or_else(|| anyhow::anyhow!("admins share only their own chats"))?;
    let unknown = server
        .client()
        .get(server.url("/api/v1/chats/share/nope"))
        .bearer_auth(&ana)
        .send()
        .await?;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    server.stop().await
}
