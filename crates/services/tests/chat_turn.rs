//! The chat turn over in-memory ports: a turn is written into the chat, answered by the
//! model server in a background task, streamed to the user's clients and saved; stopping,
//! regenerating, temporary chats and refusals.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use hearth_domain::Role;
use hearth_domain::User;
use hearth_domain::ids::ChatId;
use hearth_services::ServiceError;
use hearth_services::chats::crud;
use hearth_services::completions::{self, Completion};
use hearth_test_support::{Script, TestApp};
use serde_json::{Map, Value, json};
use std::time::Duration;

/// The web client's request for one turn (background mode).
fn turn(
    chat: Option<&str>,
    parent: Option<&str>,
    ids: (&str, &str),
    text: &str,
) -> Map<String, Value> {
    let (user_message, answer) = ids;
    let mut body = json!({
        "stream": true, "model": "gpt-test", "messages": [], "params": {}, "features": {},
        "session_id": "socket-1", "id": answer, "parent_id": parent,
        "message_ids": [{"model_id": "gpt-test", "message_id": answer, "modelIdx": 0}],
        "user_message": {"id": user_message, "parentId": parent, "childrenIds": [],
                         "role": "user", "content": text, "models": ["gpt-test"]},
    });
    if let Some(chat) = chat {
        body["chat_id"] = json!(chat);
    }
    body.as_object().cloned().unwrap_or_default()
}

async fn send(t: &TestApp, user: &User, body: Map<String, Value>) -> Result<Value, ServiceError> {
    match completions::chat(&t.app, user, body).await? {
        Completion::Started(started) => Ok(started),
        Completion::Answer(..) => Err(ServiceError::Internal("answered directly".into())),
    }
}

async fn chat(t: &TestApp, user: &User, id: &str) -> Value {
    let chat = crud::get(&t.app, user, &ChatId::from(id)).await.unwrap();
    serde_json::to_value(chat).unwrap()
}

fn message<'a>(chat: &'a Value, id: &str) -> &'a Value {
    &chat["chat"]["history"]["messages"][id]
}

#[tokio::test]
async fn a_new_chat_is_written_answered_streamed_and_saved() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;

    let started = send(&t, &admin, turn(None, None, ("u1", "a1"), "first question"))
        .await
        .unwrap();
    t.tasks.settle().await;

    assert_eq!(started["status"], true);
    assert_eq!(started["task_ids"].as_array().map(Vec::len), Some(1));
    let id = started["chat_id"].as_str().unwrap();
    let chat = chat(&t, &admin, id).await;
    assert_eq!(message(&chat, "a1")["content"], "Hello there");
    assert_eq!(message(&chat, "a1")["done"], true);
    assert_eq!(message(&chat, "a1")["parentId"], "u1");
    assert_eq!(message(&chat, "u1")["childrenIds"], json!(["a1"]));
    assert_eq!(chat["chat"]["history"]["currentId"], "a1");
    let asked = t.models.asked();
    assert_eq!(
        asked[0]["messages"],
        json!([{"role": "user", "content": "first question"}])
    );
    assert!(asked[0].get("session_id").is_none() && asked[0].get("chat_id").is_none());
    let kinds = t.clients.chat_event_types();
    for kind in ["chat:active", "chat:completion"] {
        assert!(
            kinds.contains(&kind.to_owned()),
            "{kind} missing from {kinds:?}"
        );
    }
    assert_eq!(kinds.last().map(String::as_str), Some("chat:active"));
    let rows = t.store.message_rows(id);
    assert_eq!(rows.len(), 2, "the message rows follow the document");
}

#[tokio::test]
async fn the_next_turn_sends_the_stored_history() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let started = send(&t, &admin, turn(None, None, ("u1", "a1"), "first"))
        .await
        .unwrap();
    t.tasks.settle().await;
    let id = started["chat_id"].as_str().unwrap().to_owned();

    send(
        &t,
        &admin,
        turn(Some(&id), Some("a1"), ("u2", "a2"), "second"),
    )
    .await
    .unwrap();
    t.tasks.settle().await;

    assert_eq!(
        t.models.asked()[1]["messages"],
        json!([
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "Hello there"},
            {"role": "user", "content": "second"},
        ])
    );
    let chat = chat(&t, &admin, &id).await;
    assert_eq!(message(&chat, "a2")["content"], "Hello there");
    assert_eq!(message(&chat, "a1")["childrenIds"], json!(["u2"]));
    assert_eq!(t.store.message_rows(&id).len(), 4);
}

#[tokio::test]
async fn regenerating_adds_a_second_answer_and_a_finished_answer_is_not_rewritten() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let started = send(&t, &admin, turn(None, None, ("u1", "a1"), "first"))
        .await
        .unwrap();
    t.tasks.settle().await;
    let id = started["chat_id"].as_str().unwrap().to_owned();

    t.models.script(Script::Answer {
        pieces: vec!["Another".into(), " answer".into()],
        delay: Duration::ZERO,
    });
    send(&t, &admin, turn(Some(&id), None, ("u1", "a2"), "first"))
        .await
        .unwrap();
    t.tasks.settle().await;
    let chat = chat(&t, &admin, &id).await;
    assert_eq!(message(&chat, "u1")["childrenIds"], json!(["a1", "a2"]));
    assert_eq!(message(&chat, "a2")["content"], "Another answer");
    assert_eq!(message(&chat, "a1")["content"], "Hello there");

    let again = send(&t, &admin, turn(Some(&id), None, ("u1", "a2"), "first")).await;
    assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");
}

#[tokio::test]
async fn stopping_a_turn_keeps_the_partial_answer_as_done() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    t.models.script(Script::Answer {
        pieces: ["wait", " for", " it", " more", " and", " more"]
            .map(str::to_owned)
            .to_vec(),
        delay: Duration::from_millis(150),
    });
    let started = send(&t, &admin, turn(None, None, ("u1", "a1"), "slow"))
        .await
        .unwrap();
    let id = started["chat_id"].as_str().unwrap().to_owned();
    for _ in 0..200 {
        if t.clients
            .chat_event_types()
            .iter()
            .filter(|k| *k == "chat:completion")
            .count()
            > 0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let running = hearth_services::tasks::of_chat(&t.app, &admin, &ChatId::from(id.as_str()))
        .await
        .unwrap();
    assert_eq!(running["task_ids"].as_array().map(Vec::len), Some(1));

    hearth_services::tasks::stop_chat(&t.app, &admin, &ChatId::from(id.as_str()))
        .await
        .unwrap();
    t.tasks.settle().await;

    let chat = chat(&t, &admin, &id).await;
    let content = message(&chat, "a1")["content"].as_str().unwrap().to_owned();
    assert!(content.starts_with("wait"), "{content}");
    assert!(
        content.len() < "wait for it more and more".len(),
        "{content}"
    );
    assert_eq!(message(&chat, "a1")["done"], true);
    assert!(
        t.clients
            .chat_event_types()
            .contains(&"chat:tasks:cancel".to_owned())
    );
}

#[tokio::test]
async fn a_temporary_chat_streams_and_stores_nothing() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let mut body = turn(Some("temporary:socket-1"), None, ("u1", "a1"), "ignored");
    body.remove("user_message");
    body.insert(
        "messages".into(),
        json!([{"role": "user", "content": "off the record"}]),
    );

    let started = send(&t, &admin, body).await.unwrap();
    t.tasks.settle().await;

    assert_eq!(started["chat_id"], "temporary:socket-1");
    assert_eq!(t.store.chat_count(), 0);
    assert_eq!(
        t.models.asked()[0]["messages"],
        json!([{"role": "user", "content": "off the record"}])
    );
    let streamed: String = t
        .clients
        .emitted()
        .iter()
        .filter_map(|e| e.data.pointer("/data/data/content").and_then(Value::as_str))
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .concat();
    assert!(streamed.contains("Hello there"), "{streamed}");
}

#[tokio::test]
async fn a_failing_model_server_leaves_the_error_on_the_answer() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    t.models.script(Script::Fail(503, "overloaded".into()));

    let started = send(&t, &admin, turn(None, None, ("u1", "a1"), "hello"))
        .await
        .unwrap();
    t.tasks.settle().await;

    let chat = chat(&t, &admin, started["chat_id"].as_str().unwrap()).await;
    let error = message(&chat, "a1")["error"]["content"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("503"), "{chat}");
    assert_eq!(message(&chat, "a1")["done"], true);
    assert!(
        t.clients
            .chat_event_types()
            .contains(&"chat:message:error".to_owned())
    );
}

#[tokio::test]
async fn a_user_cannot_chat_with_a_model_they_have_no_access_to() {
    let t = TestApp::new().await;
    t.account("admin@example.com", Role::Admin).await;
    let user = t.account("user@example.com", Role::User).await;

    let refused = send(&t, &user, turn(None, None, ("u1", "a1"), "hello")).await;

    assert!(
        matches!(&refused, Err(ServiceError::Invalid(m)) if m == "Model not found"),
        "{refused:?}"
    );
    assert_eq!(t.store.chat_count(), 0, "nothing written");
    assert!(t.models.asked().is_empty());
}

#[tokio::test]
async fn a_new_chat_gets_the_title_tags_and_follow_ups_it_asks_for() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    t.models.script(Script::Answer {
        pieces: vec![
            r#"{"title": "Hearth talk", "tags": ["Home"], "follow_ups": ["Why?"]}"#.into(),
        ],
        delay: Duration::ZERO,
    });
    let mut body = turn(None, None, ("u1", "a1"), "first question");
    body.insert(
        "background_tasks".into(),
        json!({"title_generation": true, "tags_generation": true, "follow_up_generation": true}),
    );

    let started = send(&t, &admin, body).await.unwrap();
    t.tasks.settle().await;

    let chat = chat(&t, &admin, started["chat_id"].as_str().unwrap()).await;
    assert_eq!(chat["title"], "Hearth talk");
    assert_eq!(chat["meta"]["tags"], json!(["home"]));
    assert_eq!(message(&chat, "a1")["followUps"], json!(["Why?"]));
    let asked = t.models.asked();
    assert_eq!(asked.len(), 4, "the answer, then one request per task");
    assert_eq!(asked[1]["max_tokens"], 1000, "titles are bounded");
    assert!(asked[2].get("max_tokens").is_none() && asked[3].get("max_tokens").is_none());
    let kinds = t.clients.chat_event_types();
    for kind in ["chat:title", "chat:tags", "chat:message:follow_ups"] {
        assert!(
            kinds.contains(&kind.to_owned()),
            "{kind} missing from {kinds:?}"
        );
    }
}

#[tokio::test]
async fn the_admins_task_parameters_go_with_every_task_request() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let params = json!({"max_tokens": 64, "temperature": null, "top_p": ""});
    t.app
        .config
        .set(vec![("task.model.params".into(), params)])
        .await
        .unwrap();
    t.models.script(Script::Answer {
        pieces: vec![r#"{"title": "T", "tags": ["a"], "follow_ups": ["b?"]}"#.into()],
        delay: Duration::ZERO,
    });
    let mut body = turn(None, None, ("u1", "a1"), "first question");
    body.insert(
        "background_tasks".into(),
        json!({"title_generation": true, "tags_generation": true, "follow_up_generation": true}),
    );

    send(&t, &admin, body).await.unwrap();
    t.tasks.settle().await;

    let asked = t.models.asked();
    assert_eq!(asked.len(), 4);
    assert!(
        asked[0].get("max_tokens").is_none(),
        "not the answer itself"
    );
    for task in &asked[1..] {
        assert_eq!(task["max_tokens"], 64, "{task:?}");
        assert!(task.get("temperature").is_none() && task.get("top_p").is_none());
    }
}

#[tokio::test]
async fn without_background_tasks_only_the_answer_is_asked_for() {
    let t = TestApp::new().await;
    let admin = t.account("admin@example.com", Role::Admin).await;

    send(&t, &admin, turn(None, None, ("u1", "a1"), "first question"))
        .await
        .unwrap();
    t.tasks.settle().await;

    assert_eq!(t.models.asked().len(), 1);
}
