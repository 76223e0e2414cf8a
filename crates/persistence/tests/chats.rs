//! Chat store tests, on SQLite and (with HEARTH_TEST_DATABASE_URL) PostgreSQL: the JSON
//! queries inside `chat.meta` differ between the engines.

mod common;

use hearth_domain::UserId;
use hearth_domain::chat::document::message_record;
use hearth_domain::chat::tags::Tag;
use hearth_domain::chat::{Chat, ChatDocument, ChatListQuery, ChatSort};
use hearth_domain::ids::{ChatId, FolderId};
use hearth_domain::ports::{ChatStore, Edited, FolderStore};
use hearth_persistence::SqlStore;
use hearth_persistence::scratch::ScratchDatabase;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

async fn store_with_user() -> Result<(SqlStore, ScratchDatabase, UserId), Box<dyn std::error::Error>>
{
    common::store_with_user("c@x.io").await
}

fn chat(id: &str, user: &UserId, updated_at: i64) -> Chat {
    let document = json!({"title": format!("Chat {id}"), "history": {"messages": {
        "m1": {"id": "m1", "parentId": null, "childrenIds": [], "role": "user", "content": "hi", "timestamp": 10}
    }, "currentId": "m1"}});
    Chat {
        id: id.into(),
        user_id: user.clone(),
        title: format!("Chat {id}"),
        document: ChatDocument::from_value(document),
        created_at: updated_at,
        updated_at,
        share_id: None,
        archived: false,
        pinned: false,
        meta: json!({}),
        variables: json!({}),
        folder_id: None,
        tasks: None,
        summary: None,
        current_message_id: Some("m1".into()),
        last_read_at: Some(updated_at),
    }
}

async fn message_count(store: &SqlStore, chat_id: &str) -> Result<i64, Box<dyn std::error::Error>> {
    let backend = store.connection().get_database_backend();
    let sql = format!("SELECT COUNT(*) AS n FROM chat_message WHERE chat_id = '{chat_id}'");
    let row = store
        .connection()
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .ok_or("no row")?;
    Ok(row.try_get::<i64>("", "n")?)
}

/// A client's save, as the chat history service applies it.
async fn client_update(
    store: &SqlStore,
    id: &str,
    patch: &serde_json::Value,
    touch: bool,
    now: i64,
) -> Result<Option<Chat>, Box<dyn std::error::Error>> {
    let patch = patch.as_object().ok_or("obj")?.clone();
    let edit = move |document: &mut ChatDocument, owner: &UserId| {
        Edited::changed(document.apply_client_update(&patch, owner))
    };
    Ok(store
        .edit_document(&ChatId::from(id), &edit, touch, now)
        .await?)
}

#[tokio::test]
async fn chats_round_trip_with_message_rows_and_merges() -> TestResult {
    let (store, scratch, user) = store_with_user().await?;
    let first = chat("c1", &user, 100);
    let record = message_record(
        "m1",
        &first.document.as_value()["history"]["messages"]["m1"],
        user.as_str(),
        100,
    );
    store
        .insert(&[(first.clone(), record.into_iter().collect())])
        .await?;
    assert_eq!(
        store.get(&ChatId::from("c1")).await?.map(|c| c.title),
        Some("Chat c1".into())
    );
    assert_eq!(message_count(&store, "c1").await?, 1);

    let patch = json!({"title": "Renamed", "history": {"messages": {
        "m2": {"id": "m2", "parentId": "m1", "childrenIds": [], "role": "assistant", "content": "hello", "done": true}
    }, "currentId": "m2"}});
    let updated = client_update(&store, "c1", &patch, true, 200)
        .await?
        .ok_or("gone")?;
    assert_eq!(
        (updated.title.as_str(), updated.updated_at),
        ("Renamed", 200)
    );
    assert_eq!(
        updated.current_message_id.as_ref().map(|m| m.as_str()),
        Some("m2")
    );
    assert_eq!(
        updated.document.as_value()["history"]["messages"]["m1"]["childrenIds"],
        json!(["m2"]),
        "m1 survives and links m2"
    );
    assert_eq!(message_count(&store, "c1").await?, 2);

    let untouched = client_update(
        &store,
        "c1",
        &json!({"params": {"temperature": 1}}),
        false,
        300,
    )
    .await?
    .ok_or("gone")?;
    assert_eq!(untouched.updated_at, 200);
    assert!(
        client_update(&store, "nope", &json!({}), true, 1)
            .await?
            .is_none()
    );
    let removed = |document: &mut ChatDocument, _: &UserId| {
        document.as_value_mut()["history"]["messages"]
            .as_object_mut()
            .map(|m| m.remove("m2"));
        Edited {
            changed: Vec::new(),
            removed: vec!["m2".into()],
        }
    };
    store
        .edit_document(&ChatId::from("c1"), &removed, false, 400)
        .await?;
    assert_eq!(
        message_count(&store, "c1").await?,
        1,
        "the removed message's row goes"
    );
    assert!(store.delete(&ChatId::from("c1")).await?);
    assert_eq!(message_count(&store, "c1").await?, 0);
    scratch.remove().await?;
    Ok(())
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
async fn lists_filter_sort_and_page() -> TestResult {
    let (store, scratch, user) = store_with_user().await?;
    let mut chats = Vec::new();
    for i in 0..10 {
        let mut c = chat(&format!("c{i}"), &user, 100 + i);
        match i {
            0 => c.archived = true,
            1 => c.pinned = true,
            2 => c.folder_id = Some("f1".into()),
            3 => c.meta = json!({"internal": true}),
            _ => {}
        }
        chats.push((c, Vec::new()));
    }
    store.insert(&chats).await?;
    let main = store.list_titles(&user, &ChatListQuery::default()).await?;
    let ids: Vec<&str> = main.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c9", "c8", "c7", "c6", "c5", "c4"]);
    let page = store
        .list_titles(
            &user,
            &ChatListQuery {
                offset: 2,
                limit: Some(2),
                ..Default::default()
            },
        )
        .await?;
    assert_eq!(
        page.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["c7", "c6"]
    );
    let everything = ChatListQuery {
        include_pinned: true,
        include_folders: true,
        sort: ChatSort::Title,
        ascending: true,
        ..Default::default()
    };
    assert_eq!(store.list_titles(&user, &everything).await?.len(), 8);
    let pinned = store
        .list_titles(
            &user,
            &ChatListQuery {
                pinned_only: true,
                ..Default::default()
            },
        )
        .await?;
    assert_eq!(pinned.len(), 1);
    let archived = store
        .list_titles(
            &user,
            &ChatListQuery {
                archived: true,
                ..Default::default()
            },
        )
        .await?;
    assert_eq!((archived.len(), store.count_archived(&user).await?), (1, 1));
    let folder = store
        .list_titles(
            &user,
            &ChatListQuery {
                folder_id: Some("f1".into()),
                ..Default::default()
            },
        )
        .await?;
    assert_eq!(folder.len(), 1);
    let unread_first = ChatListQuery {
        sort: ChatSort::UnreadUpdatedAt,
        ..Default::default()
    };
    assert_eq!(store.list_titles(&user, &unread_first).await?.len(), 6);

    let mut batch = store.list_full(&user, None, 4, false).await?;
    let mut seen = batch.len();
    while let Some(last) = batch.last() {
        batch = store
            .list_full(&user, Some((last.created_at, last.id.clone())), 4, false)
            .await?;
        seen += batch.len();
    }
    assert_eq!(seen, 10, "the export cursor visits every chat once");
    scratch.remove().await?;
    Ok(())
}

#[tokio::test]
async fn tags_are_found_through_chat_meta_and_cleaned_up() -> TestResult {
    let (store, scratch, user) = store_with_user().await?;
    let mut tagged = chat("t1", &user, 100);
    tagged.meta = json!({"tags": ["rust", "db"]});
    let mut other = chat("t2", &user, 101);
    other.meta = json!({"tags": ["db"]});
    store
        .insert(&[(tagged.clone(), Vec::new()), (other, Vec::new())])
        .await?;
    for (id, name) in [("rust", "Rust"), ("db", "DB"), ("unused", "Unused")] {
        store
            .ensure_tag(&Tag {
                id: id.into(),
                name: name.into(),
                user_id: user.to_string(),
                meta: None,
            })
            .await?;
    }
    store
        .ensure_tag(&Tag {
            id: "rust".into(),
            name: "again".into(),
            user_id: user.to_string(),
            meta: None,
        })
        .await?;
    assert_eq!(store.titles_with_tag(&user, "db", 0, 50).await?.len(), 2);
    assert_eq!(store.titles_with_tag(&user, "rust", 0, 50).await?.len(), 1);
    store.delete_unused_tags(&user).await?;
    let names: Vec<String> = store
        .tags(&user)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["DB", "Rust"]);
    scratch.remove().await?;
    Ok(())
}

#[tokio::test]
async fn folders_and_unread_counts() -> TestResult {
    let (store, scratch, user) = store_with_user().await?;
    let folder = hearth_domain::folder::Folder {
        id: "f1".into(),
        parent_id: None,
        user_id: user.clone(),
        name: "Work".into(),
        items: None,
        meta: Some(json!({"icon": "x"})),
        data: None,
        is_expanded: false,
        created_at: 1,
        updated_at: 1,
    };
    store.insert_folder(&folder).await?;
    let mut unread = chat("u1", &user, 500);
    unread.folder_id = Some("f1".into());
    unread.last_read_at = Some(100);
    let mut read = chat("u2", &user, 500);
    read.folder_id = Some("f1".into());
    store
        .insert(&[(unread, Vec::new()), (read, Vec::new())])
        .await?;
    assert_eq!(store.unread_by_folder(&user).await?.get("f1"), Some(&1));
    let f1 = [FolderId::from("f1")];
    assert_eq!(store.mark_read(&user, None, 600).await?, 1);
    assert!(store.unread_by_folder(&user).await?.is_empty());
    assert_eq!(store.in_folders(&user, &f1).await?.len(), 2);
    store.move_out_of_folders(&user, &f1, None).await?;
    assert!(store.in_folders(&user, &f1).await?.is_empty());
    store.delete_folders(&user, &f1).await?;
    assert!(store.folder(&user, &f1[0]).await?.is_none());
    scratch.remove().await?;
    Ok(())
}

#[tokio::test]
async fn search_matches_titles_contents_and_filters() -> TestResult {
    use hearth_domain::chat::search::ChatSearch;
    let (store, scratch, user) = store_with_user().await?;
    let mut about_rust = chat("s1", &user, 100);
    about_rust.title = "Borrow checker".into();
    about_rust.meta = json!({"tags": ["rust"]});
    let rust_message =
        json!({"id": "m1", "role": "user", "content": "Why does the 100% LIFETIME fail?"});
    let records = message_record("m1", &rust_message, user.as_str(), 100)
        .into_iter()
        .collect();
    let mut pinned = chat("s2", &user, 101);
    pinned.title = "Groceries".into();
    pinned.pinned = true;
    store
        .insert(&[(about_rust, records), (pinned, Vec::new())])
        .await?;
    let find = |text: &str| ChatSearch::parse(text, 0, 60);
    let ids = |titles: Vec<hearth_domain::chat::ChatTitle>| {
        titles.into_iter().map(|t| t.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(store.search(&user, &find("lifetime")).await?),
        ["s1"],
        "message content matches"
    );
    assert_eq!(
        ids(store.search(&user, &find("BORROW")).await?),
        ["s1"],
        "titles match case-insensitively"
    );
    assert_eq!(
        ids(store.search(&user, &find("100%")).await?),
        ["s1"],
        "LIKE wildcards are literal"
    );
    assert!(store.search(&user, &find("50%")).await?.is_empty());
    assert_eq!(ids(store.search(&user, &find("tag:rust")).await?), ["s1"]);
    assert_eq!(ids(store.search(&user, &find("tag:none")).await?), ["s2"]);
    assert_eq!(
        ids(store.search(&user, &find("pinned:true")).await?),
        ["s2"]
    );
    assert_eq!(store.search(&user, &find("")).await?.len(), 2);
    assert!(
        store
            .search(&user, &find("'; DROP TABLE chat; --"))
            .await?
            .is_empty()
    );
    scratch.remove().await?;
    Ok(())
}
