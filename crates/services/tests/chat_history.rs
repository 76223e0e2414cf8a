//! The chat history over in-memory storage: saving merges with what the server wrote,
//! tags, message deletion, sharing, who may read and delete.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use hearth_domain::ids::{ChatId, MessageId};
use hearth_domain::{Role, User};
use hearth_services::ServiceError;
use hearth_services::chats::{branches, crud, share, tags};
use hearth_services::users::permissions;
use hearth_test_support::TestApp;
use serde_json::{Value, json};

/// A document with a user message and its answer, as the web client saves it.
fn document(title: &str) -> Value {
    json!({
        "title": title,
        "models": ["gpt-test"],
        "history": {"currentId": "a1", "messages": {
            "u1": {"id": "u1", "parentId": null, "childrenIds": ["a1"], "role": "user",
                   "content": "question", "timestamp": 1},
            "a1": {"id": "a1", "parentId": "u1", "childrenIds": [], "role": "assistant",
                   "content": "answer", "done": true, "timestamp": 2},
        }},
        "messages": [],
    })
}

async fn create(t: &TestApp, user: &User, title: &str) -> ChatId {
    let form = serde_json::from_value(json!({"chat": document(title)})).unwrap();
    let chat = crud::create(&t.app, user, form).await.unwrap();
    ChatId::from(chat.id)
}

async fn read(t: &TestApp, user: &User, id: &ChatId) -> Value {
    serde_json::to_value(crud::get(&t.app, user, id).await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_stale_save_keeps_the_messages_the_server_wrote_since() {
    let t = TestApp::new().await;
    let user = t.account("admin@example.com", Role::Admin).await;
    let id = create(&t, &user, "Merging").await;
    let stale = document("Merging");
    // Meanwhile the server adds a turn (as an answer task would).
    let mut newer = document("Merging");
    newer["history"]["messages"]["a1"]["childrenIds"] = json!(["u2"]);
    newer["history"]["messages"]["u2"] = json!({"id": "u2", "parentId": "a1",
        "childrenIds": [], "role": "user", "content": "more", "timestamp": 3});
    newer["history"]["currentId"] = json!("u2");
    let form = serde_json::from_value(json!({"chat": newer})).unwrap();
    crud::update(&t.app, &user, &id, form).await.unwrap();

    let mut renamed = stale;
    renamed["title"] = json!("Renamed");
    let form = serde_json::from_value(json!({"chat": renamed})).unwrap();
    crud::update(&t.app, &user, &id, form).await.unwrap();

    let chat = read(&t, &user, &id).await;
    assert_eq!(chat["title"], "Renamed");
    assert_eq!(chat["chat"]["history"]["messages"]["u2"]["content"], "more");
    assert_eq!(t.store.message_rows(&id).len(), 3);
}

#[tokio::test]
async fn tags_are_added_listed_and_go_with_the_last_chat_using_them() {
    let t = TestApp::new().await;
    let user = t.account("admin@example.com", Role::Admin).await;
    let id = create(&t, &user, "Tagged").await;

    let on_chat = tags::add_tag(&t.app, &user, &id, "  Work Stuff ")
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&on_chat).unwrap()[0]["id"],
        "work_stuff"
    );
    let empty = tags::add_tag(&t.app, &user, &id, "   ").await;
    assert!(matches!(empty, Err(ServiceError::Invalid(_))), "{empty:?}");
    assert_eq!(tags::all_tags(&t.app, &user).await.unwrap().len(), 1);

    crud::delete(&t.app, &user, &id).await.unwrap();
    assert!(tags::all_tags(&t.app, &user).await.unwrap().is_empty());
    assert_eq!(t.store.chat_count(), 0);
}

#[tokio::test]
async fn deleting_a_message_takes_its_replies_and_their_rows() {
    let t = TestApp::new().await;
    let user = t.account("admin@example.com", Role::Admin).await;
    let id = create(&t, &user, "Pruned").await;
    assert_eq!(t.store.message_rows(&id).len(), 2);

    branches::delete_message_and_replies(&t.app, &user, &id, MessageId::from("u1"))
        .await
        .unwrap();

    let chat = read(&t, &user, &id).await;
    assert_eq!(chat["chat"]["history"]["messages"], json!({}));
    assert!(t.store.message_rows(&id).is_empty());
    let missing =
        branches::delete_message_and_replies(&t.app, &user, &id, MessageId::from("u1")).await;
    assert!(
        matches!(missing, Err(ServiceError::NotFound(_))),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_chat_is_its_owners_and_the_admins_only() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let owner = t.account("owner@example.com", Role::User).await;
    let other = t.account("other@example.com", Role::User).await;
    let id = create(&t, &owner, "Private").await;

    let refused = crud::get(&t.app, &other, &id).await;
    assert!(
        matches!(refused, Err(ServiceError::Unauthorized(_))),
        "{refused:?}"
    );
    let deleted = crud::delete(&t.app, &other, &id).await;
    assert!(
        matches!(deleted, Err(ServiceError::NotFound(_))),
        "{deleted:?}"
    );
    assert_eq!(read(&t, &admin, &id).await["title"], "Private");
    assert_eq!(t.store.chat_count(), 1);
}

#[tokio::test]
async fn a_share_is_a_snapshot_until_shared_again() {
    let t = TestApp::new().await;
    t.account("admin@example.com", Role::Admin).await;
    let owner = t.account("owner@example.com", Role::User).await;
    let id = create(&t, &owner, "Before").await;

    let shared = share::share(&t.app, &owner, &id, None).await.unwrap();
    let token = shared.share_id.clone().unwrap();
    let mut changed = document("After");
    changed["history"]["messages"]["a1"]["content"] = json!("edited");
    let form = serde_json::from_value(json!({"chat": changed})).unwrap();
    crud::update(&t.app, &owner, &id, form).await.unwrap();

    let seen = share::shared_chat(&t.app, Some(&owner), &token.as_str().into())
        .await
        .unwrap();
    let seen = serde_json::to_value(seen).unwrap();
    assert_eq!(
        seen["chat"]["history"]["messages"]["a1"]["content"],
        "answer"
    );
    let anonymous = share::shared_chat(&t.app, None, &token.as_str().into()).await;
    assert!(
        matches!(anonymous, Err(ServiceError::Unauthorized(_))),
        "{anonymous:?}"
    );

    share::share(&t.app, &owner, &id, None).await.unwrap();
    let seen = share::shared_chat(&t.app, Some(&owner), &token.as_str().into())
        .await
        .unwrap();
    let seen = serde_json::to_value(seen).unwrap();
    assert_eq!(
        seen["chat"]["history"]["messages"]["a1"]["content"],
        "edited"
    );
}

#[tokio::test]
async fn without_the_delete_permission_users_keep_their_chats() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let user = t.account("user@example.com", Role::User).await;
    let id = create(&t, &user, "Kept").await;
    let mut defaults = permissions::defaults(&t.app);
    defaults["chat"]["delete"] = json!(false);
    permissions::set_defaults(&t.app, &defaults).await.unwrap();

    let refused = crud::delete(&t.app, &user, &id).await;
    assert!(
        matches!(refused, Err(ServiceError::Unauthorized(_))),
        "{refused:?}"
    );
    assert_eq!(t.store.chat_count(), 1);
    assert!(crud::delete(&t.app, &admin, &id).await.unwrap());
    assert_eq!(t.store.chat_count(), 0);
}
