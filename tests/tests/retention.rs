//! Chat retention (`CHAT_RETENTION_DAYS`): a scheduled sweep deletes chats not updated for
//! that long with their messages, shares, tags no chat uses any more and files no other chat
//! or knowledge base uses; recent chats and shared files stay; SQLite gives the space back.

use anyhow::{Context, Result};
use hearth_persistence::{Backend, SqlStore};
use hearth_tests::{TestServer, text};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const DAY: i64 = 86_400;

async fn new_chat(server: &TestServer, token: &str, title: &str) -> Result<String> {
    let body = json!({"chat": {"title": title, "models": [], "history": {"messages": {
        "m1": {"id": "m1", "role": "user", "content": title, "parentId": null, "childrenIds": []}
    }, "currentId": "m1"}}});
    text(
        &server.post_json("/api/v1/chats/new", token, &body).await?,
        "id",
    )
}

async fn upload(server: &TestServer, token: &str, name: &str) -> Result<String> {
    let (status, body) = server
        .upload(
            token,
            name,
            b"retention test file".to_vec(),
            "text/plain",
            "?process_in_background=false",
        )
        .await?;
    anyhow::ensure!(status.is_success(), "{status} {body}");
    text(&body, "id")
}

async fn status(server: &TestServer, path: &str, token: &str) -> Result<u16> {
    let response = server
        .client()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await?;
    Ok(response.status().as_u16())
}

#[tokio::test]
async fn old_chats_go_with_their_shares_tags_and_only_their_files() -> Result<()> {
    let server = TestServer::start_with(|s| {
        s.database.chat_retention_days = 30;
        s.database.chat_retention_interval = Duration::from_secs(1);
    })
    .await?;
    let token = server.admin_token.clone();
    let user_id = text(&server.get_json("/api/v1/auths/", &token).await?, "id")?;
    let old = new_chat(&server, &token, "old and shared").await?;
    let old_tagged = new_chat(&server, &token, "old and tagged").await?;
    let recent = new_chat(&server, &token, "recent").await?;
    server
        .post_json(
            &format!("/api/v1/chats/{old_tagged}/tags"),
            &token,
            &json!({"name": "gone soon"}),
        )
        .await?;
    let share = server
        .post_json(&format!("/api/v1/chats/{old}/share"), &token, &json!({}))
        .await?;
    let share_id = text(&share, "share_id").or_else(|_| text(&share, "id"))?;
    let only_old = upload(&server, &token, "only-old.txt").await?;
    let also_recent = upload(&server, &token, "also-recent.txt").await?;

    let settings = server.database().context("the server's database")?;
    let store = SqlStore::connect(&settings).await?;
    let db = store.connection();
    link_and_age(
        db,
        &user_id,
        [
            (&old, &only_old),
            (&old, &also_recent),
            (&recent, &also_recent),
        ],
        [&old, &old_tagged],
    )
    .await?;

    // The sweep deletes a round's chats first, then the files only they used: wait for both.
    let deadline = Instant::now() + Duration::from_secs(30);
    while status(&server, &format!("/api/v1/chats/{old_tagged}"), &token).await? == 200
        || status(&server, &format!("/api/v1/files/{only_old}"), &token).await? != 404
    {
        anyhow::ensure!(Instant::now() < deadline, "no sweep within 30 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_ne!(
        status(&server, &format!("/api/v1/chats/{old}"), &token).await?,
        200
    );
    assert_eq!(
        status(&server, &format!("/api/v1/chats/{recent}"), &token).await?,
        200
    );
    assert_ne!(
        status(&server, &format!("/api/v1/chats/share/{share_id}"), &token).await?,
        200
    );
    assert_eq!(
        status(&server, &format!("/api/v1/files/{also_recent}"), &token).await?,
        200
    );
    let tags: Value = server.get_json("/api/v1/chats/all/tags", &token).await?;
    assert!(!tags.to_string().contains("gone soon"), "{tags}");
    assert_eq!(message_rows(db, [&old, &old_tagged]).await?, 0);
    if store.backend() == Backend::Sqlite {
        space_given_back(db, deadline).await?;
    }
    // Still there once the sweep has surely finished its file loop.
    assert_eq!(
        status(&server, &format!("/api/v1/files/{also_recent}"), &token).await?,
        200
    );
    store.close().await?;
    server.stop().await
}

#[tokio::test]
async fn retention_is_off_by_default() -> Result<()> {
    let server = TestServer::start_with(|s| {
        s.database.chat_retention_interval = Duration::from_secs(1);
    })
    .await?;
    let token = server.admin_token.clone();
    let chat = new_chat(&server, &token, "kept forever").await?;
    let settings = server.database().context("the server's database")?;
    let store = SqlStore::connect(&settings).await?;
    store
        .connection()
        .execute_unprepared(&format!(
            "UPDATE chat SET updated_at = 0 WHERE id = '{chat}'"
        ))
        .await?;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        status(&server, &format!("/api/v1/chats/{chat}"), &token).await?,
        200
    );
    store.close().await?;
    server.stop().await
}

/// The sweep ends by giving the space back: incremental vacuum on, no free pages.
async fn space_given_back(db: &sea_orm::DatabaseConnection, deadline: Instant) -> Result<()> {
    let pragma = |name: &'static str| async move {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                format!("PRAGMA {name}"),
            ))
            .await?
            .context("pragma")?;
        anyhow::Ok(row.try_get_by_index::<i64>(0)?)
    };
    while pragma("auto_vacuum").await? != 2 {
        anyhow::ensure!(
            Instant::now() < deadline,
            "incremental vacuum never turned on"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(pragma("freelist_count").await?, 0, "freed pages went back");
    Ok(())
}

/// Links files to chats (`chat_file`, as attaching them in a chat does), then lets forty
/// days pass for `aged`.
async fn link_and_age(
    db: &sea_orm::DatabaseConnection,
    user_id: &str,
    links: [(&String, &String); 3],
    aged: [&String; 2],
) -> Result<()> {
    let now = hearth_domain::time::now_epoch();
    for (n, (chat, file)) in links.into_iter().enumerate() {
        db.execute_unprepared(&format!(
            "INSERT INTO chat_file (id, user_id, chat_id, message_id, file_id, created_at, updated_at) \
             VALUES ('link-{n}', '{user_id}', '{chat}', 'm1', '{file}', {now}, {now})"
        ))
        .await?;
    }
    db.execute_unprepared(&format!(
        "UPDATE chat SET updated_at = {} WHERE id IN ('{}', '{}')",
        now - 40 * DAY,
        aged[0],
        aged[1]
    ))
    .await?;
    Ok(())
}

/// `chat_message` rows of these chats.
async fn message_rows(db: &sea_orm::DatabaseConnection, chats: [&String; 2]) -> Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM chat_message WHERE chat_id IN ('{}', '{}')",
        chats[0], chats[1]
    );
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?
        .context("count")?;
    Ok(row.try_get::<i64>("", "n")?)
}
