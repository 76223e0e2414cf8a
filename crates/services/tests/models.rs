//! The model catalog over scripted model servers: who sees which model, custom models built
//! on a base model, switching a model off, and direct completions.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use hearth_domain::provider::ChatAnswer;
use hearth_domain::{Role, User};
use hearth_services::ServiceError;
use hearth_services::completions::{self, CHAT_REFUSALS};
use hearth_services::models::{listing, workspace};
use hearth_test_support::{ScriptedModels, TestApp, test_settings};
use serde_json::{Map, Value, json};

async fn visible_ids(t: &TestApp, user: &User) -> Vec<String> {
    let list = listing::visible(&t.app, user, false).await.unwrap();
    list.data
        .iter()
        .filter_map(|m| m.get("id").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

fn body(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

async fn two_models() -> TestApp {
    TestApp::with(
        test_settings(),
        ScriptedModels::new(&["gpt-test", "gpt-other"]),
    )
    .await
}

#[tokio::test]
async fn users_see_the_models_shared_with_them_and_admins_see_all() {
    let t = two_models().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let user = t.account("user@example.com", Role::User).await;
    assert_eq!(visible_ids(&t, &admin).await, ["gpt-test", "gpt-other"]);
    assert!(visible_ids(&t, &user).await.is_empty());

    let form = serde_json::from_value(json!({
        "id": "gpt-test", "name": "Shared", "access_grants": [
            {"principal_type": "user", "principal_id": user.id.to_string(), "permission": "read"}],
    }))
    .unwrap();
    workspace::create(&t.app, &admin, form).await.unwrap();

    assert_eq!(visible_ids(&t, &user).await, ["gpt-test"]);
    let refused = completions::complete(
        &t.app,
        &user,
        body(json!({"model": "gpt-other", "messages": []})),
        None,
        &CHAT_REFUSALS,
    )
    .await;
    assert!(
        matches!(refused, Err(ServiceError::Invalid(_))),
        "{:?}",
        refused.err()
    );
}

#[tokio::test]
async fn a_preset_needs_its_base_shared_and_answers_with_the_base_and_its_prompt() {
    let t = two_models().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let user = t.account("user@example.com", Role::User).await;
    let form = serde_json::from_value(json!({
        "id": "helper", "name": "Helper", "base_model_id": "gpt-test",
        "params": {"system": "Be brief."}, "meta": {},
        "access_grants": [{"principal_type": "user", "principal_id": "*", "permission": "read"}],
    }))
    .unwrap();
    workspace::create(&t.app, &admin, form).await.unwrap();
    assert!(
        visible_ids(&t, &user).await.is_empty(),
        "an unregistered base model is the admins' only"
    );
    let base = serde_json::from_value(json!({
        "id": "gpt-test", "name": "Base",
        "access_grants": [{"principal_type": "user", "principal_id": "*", "permission": "read"}],
    }))
    .unwrap();
    workspace::create(&t.app, &admin, base).await.unwrap();
    assert_eq!(visible_ids(&t, &user).await, ["gpt-test", "helper"]);

    let answer = completions::complete(
        &t.app,
        &user,
        body(json!({"model": "helper", "messages": [{"role": "user", "content": "hi"}]})),
        None,
        &CHAT_REFUSALS,
    )
    .await
    .unwrap();

    let ChatAnswer::Json(answer) = answer else {
        panic!("a request without `stream` gets one document");
    };
    assert_eq!(answer["choices"][0]["message"]["content"], "Hello there");
    let asked = &t.models.asked()[0];
    assert_eq!(asked["model"], "gpt-test");
    assert_eq!(
        asked["messages"],
        json!([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}])
    );
}

#[tokio::test]
async fn a_model_switched_off_leaves_the_users_list() {
    let t = two_models().await;
    let admin = t.account("admin@example.com", Role::Admin).await;
    let user = t.account("user@example.com", Role::User).await;
    let form = serde_json::from_value(json!({
        "id": "gpt-test", "name": "Everyone's",
        "access_grants": [{"principal_type": "user", "principal_id": "*", "permission": "read"}],
    }))
    .unwrap();
    workspace::create(&t.app, &admin, form).await.unwrap();
    assert_eq!(visible_ids(&t, &user).await, ["gpt-test"]);

    workspace::toggle(&t.app, &admin, &"gpt-test".into())
        .await
        .unwrap();

    assert!(visible_ids(&t, &user).await.is_empty());
}

#[tokio::test]
async fn bypassing_access_control_shows_every_model_to_everyone() {
    let mut settings = test_settings();
    settings.models.bypass_model_access_control = true;
    let t = TestApp::with(settings, ScriptedModels::new(&["gpt-test"])).await;
    t.account("admin@example.com", Role::Admin).await;
    let user = t.account("user@example.com", Role::User).await;

    assert_eq!(visible_ids(&t, &user).await, ["gpt-test"]);
}
