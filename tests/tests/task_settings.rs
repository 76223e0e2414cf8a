//! The admin's task settings (Admin ▸ Settings ▸ Interface), through a real server.

use anyhow::Result;
use hearth_tests::TestServer;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn admins_save_the_task_settings_and_everyone_reads_them() -> Result<()> {
    let server = TestServer::start().await?;
    let admin = server.admin_token.clone();
    let user = server.add_user("Sam", "sam@example.com", "user").await?;
    let mut form = server.get_json("/api/v1/tasks/config", &admin).await?;
    assert_eq!(form["ENABLE_TITLE_GENERATION"], json!(true), "{form}");
    form["TASK_MODEL_PARAMS"] = json!({"max_tokens": 48});
    form["ENABLE_TAGS_GENERATION"] = json!(false);
    form["AUTOCOMPLETE_GENERATION_INPUT_MAX_LENGTH"] = json!(null);
    let before = form.clone();

    let saved = server
        .post_json("/api/v1/tasks/config/update", &admin, &form)
        .await?;
    assert_eq!(saved["TASK_MODEL_PARAMS"], json!({"max_tokens": 48}));
    assert_eq!(saved["ENABLE_TAGS_GENERATION"], json!(false));
    let read = server.get_json("/api/v1/tasks/config", &user).await?;
    assert_eq!(read, saved, "readers see what was saved");
    assert_eq!(
        read["TITLE_GENERATION_PROMPT_TEMPLATE"],
        before["TITLE_GENERATION_PROMPT_TEMPLATE"]
    );

    let (status, _) = server
        .post_as(&user, "/api/v1/tasks/config/update", &form)
        .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "admins only");
    let (status, body) = server
        .post_as(
            &admin,
            "/api/v1/tasks/config/update",
            &json!({"TASK_MODEL_PARAMS": "lots", "ENABLE_TAGS_GENERATION": true}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("TASK_MODEL_PARAMS"))
    );
    let unchanged = server.get_json("/api/v1/tasks/config", &admin).await?;
    assert_eq!(unchanged, saved, "a refused form changes nothing");
    Ok(())
}
