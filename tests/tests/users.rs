//! User administration: listing, searching, roles, edits, deletion, through a real server.

use anyhow::Result;
use hearth_tests::{TestServer, json_ok, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn admins_list_search_and_page_users() -> Result<()> {
    let server = TestServer::start().await?;
    for i in 0..31 {
        server
            .add_user(
                &format!("User {i:02}"),
                &format!("user{i:02}@example.com"),
                "user",
            )
            .await?;
    }
    let token = &server.admin_token;
    let first = server.get_json("/api/v1/users/?page=1", token).await?;
    assert_eq!(first["total"], json!(32));
    assert_eq!(first["users"].as_array().map(Vec::len), Some(30));
    assert_eq!(first["users"][0]["group_ids"], json!([]));
    assert!(
        first["users"][0]["profile_image_url"]
            .as_str()
            .is_some_and(|u| u.starts_with('/'))
    );
    let second = server.get_json("/api/v1/users/?page=2", token).await?;
    assert_eq!(second["users"].as_array().map(Vec::len), Some(2));

    let by_name = server
        .get_json("/api/v1/users/?order_by=name&direction=asc&page=1", token)
        .await?;
    assert_eq!(by_name["users"][0]["name"], "Admin");
    let found = server
        .get_json("/api/v1/users/?query=USER%2030", token)
        .await?;
    assert_eq!(found["total"], json!(1));
    let search = server
        .get_json("/api/v1/users/search?query=user0", token)
        .await?;
    assert_eq!(search["total"], json!(10));
    assert!(search["users"][0].get("is_active").is_some());
    let all = server.get_json("/api/v1/users/all", token).await?;
    assert_eq!(all["users"].as_array().map(Vec::len), Some(32));

    let user_token = server
        .add_user("Plain", "plain@example.com", "user")
        .await?;
    let response = server
        .client()
        .get(server.url("/api/v1/users/"))
        .bearer_auth(&user_token)
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let found = server
        .get_json("/api/v1/users/search?query=plain", &user_token)
        .await?;
    assert_eq!(found["total"], json!(1), "any verified user may search");
    server.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn admins_update_roles_and_delete_users_but_not_the_primary_admin() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let pending_token = server
        .add_user("Pending", "pending@example.com", "pending")
        .await?;
    let pending = server.get_json("/api/v1/auths/", &pending_token).await?;
    let pending_id = text(&pending, "id")?;

    let promoted = server
        .post_json(
            &format!("/api/v1/users/{pending_id}/update"),
            &token,
            &json!({"role": "user", "name": "Now User", "email": "NOW@example.com"}),
        )
        .await?;
    assert_eq!(
        (promoted["role"].clone(), promoted["email"].clone()),
        (json!("user"), json!("now@example.com"))
    );
    assert_eq!(
        server
            .get_json("/api/v1/users/user/settings", &pending_token)
            .await?,
        Value::Null
    );
    server.signin("now@example.com", "user-password").await?;

    let second_admin = server
        .add_user("Second", "second@example.com", "admin")
        .await?;
    let primary = format!("/api/v1/users/{}", server.admin_id);
    for (path, body) in [
        (format!("{primary}/update"), json!({"name": "Hijacked"})),
        (format!("{primary}/update"), json!({"role": "user"})),
    ] {
        let response = server
            .client()
            .post(server.url(&path))
            .bearer_auth(&second_admin)
            .json(&body)
            .send()
            .await?;
        let (status, body) = status_json(response).await?;
        assert_eq!(
            (status, body["detail"].clone()),
            (
                StatusCode::FORBIDDEN,
                json!("The requested action has been restricted as a security measure.")
            )
        );
    }
    let demote_self = server
        .client()
        .post(server.url(&format!("{primary}/update")))
        .bearer_auth(&token)
        .json(&json!({"role": "user"}))
        .send()
        .await?;
    assert_eq!(demote_self.status(), StatusCode::FORBIDDEN);
    let delete_primary = server
        .client()
        .delete(server.url(&primary))
        .bearer_auth(&second_admin)
        .send()
        .await?;
    assert_eq!(delete_primary.status(), StatusCode::FORBIDDEN);

    let taken = server
        .client()
        .post(server.url(&format!("/api/v1/users/{pending_id}/update")))
        .bearer_auth(&token)
        .json(&json!({"email": "second@example.com"}))
        .send()
        .await?;
    assert_eq!(taken.status(), StatusCode::BAD_REQUEST);
    let bad_role = server
        .client()
        .post(server.url(&format!("/api/v1/users/{pending_id}/update")))
        .bearer_auth(&token)
        .json(&json!({"role": "root"}))
        .send()
        .await?;
    assert_eq!(bad_role.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let deleted = server
        .client()
        .delete(server.url(&format!("/api/v1/users/{pending_id}")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(json_ok(deleted).await?, json!(true));
    let gone = server
        .client()
        .get(server.url("/api/v1/auths/"))
        .bearer_auth(&pending_token)
        .send()
        .await?;
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
    let again = server
        .client()
        .delete(server.url(&format!("/api/v1/users/{pending_id}")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let missing = server
        .client()
        .get(server.url("/api/v1/users/no-such-id"))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    server.stop().await
}

#[tokio::test]
async fn admin_password_reset_revokes_the_users_sessions() -> Result<()> {
    let server = TestServer::start().await?;
    let user_token = server.add_user("Uma", "uma@example.com", "user").await?;
    let me = server.get_json("/api/v1/auths/", &user_token).await?;
    let path = format!("/api/v1/users/{}/update", text(&me, "id")?);
    server
        .post_json(
            &path,
            &server.admin_token,
            &json!({"password": "reset-password"}),
        )
        .await?;
    let response = server
        .client()
        .get(server.url("/api/v1/auths/"))
        .bearer_auth(&user_token)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    server.signin("uma@example.com", "reset-password").await?;
    server.stop().await
}

#[tokio::test]
async fn an_avatar_url_that_cannot_be_a_header_falls_back_to_the_default_image() -> Result<()> {
    // Found by the fuzzing step: a control character in the stored URL made the redirect a 500.
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    server
        .post_json(
            "/api/v1/auths/update/profile",
            &token,
            &json!({"name": "Admin", "profile_image_url": "https://example.com/a\u{1}b"}),
        )
        .await?;
    let image = server
        .client()
        .get(server.url(&format!("/api/v1/users/{}/profile/image", server.admin_id)))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(
        image
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    server.stop().await
}
