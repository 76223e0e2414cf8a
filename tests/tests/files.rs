//! `/api/v1/files` through a real server: upload, processing, listing, search, reading the
//! text and the bytes, renaming, deleting, and what a file name can and cannot do.

use anyhow::Result;
use hearth_tests::{TestServer, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

const NOW: &str = "?process_in_background=false";

fn uploads(server: &TestServer) -> Vec<String> {
    std::fs::read_dir(server.data_dir().join("uploads"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn a_file_is_uploaded_processed_listed_read_renamed_and_deleted() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let (status, file) = server
        .upload(
            &token,
            "notes.txt",
            b"The moon is made of cheese.\n".to_vec(),
            "text/plain",
            "",
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{file}");
    assert_eq!(file["status"], true);
    assert_eq!(file["filename"], "notes.txt");
    assert_eq!(file["meta"]["name"], "notes.txt");
    assert_eq!(file["meta"]["content_type"], "text/plain");
    assert_eq!(file["meta"]["size"], 28);
    assert_eq!(file["meta"]["data"], json!({"source": "test"}));
    assert_eq!(file["data"]["status"], "pending");
    let id = text(&file, "id")?;
    let done = server.processed(&token, &id).await?;
    assert_eq!(done["data"]["status"], "completed");
    assert_eq!(done["data"]["content"], "The moon is made of cheese.\n");
    assert_eq!(done["hash"].as_str().map(str::len), Some(64));
    assert_eq!(uploads(&server), vec![format!("{id}.txt")]);

    let status_now = server
        .get_json(&format!("/api/v1/files/{id}/process/status"), &token)
        .await?;
    assert_eq!(status_now, json!({"status": "completed"}));
    let stream = server
        .client()
        .get(server.url(&format!("/api/v1/files/{id}/process/status?stream=true")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    assert_eq!(stream.text().await?, "data: {\"status\":\"completed\"}\n\n");

    let list = server.get_json("/api/v1/files/", &token).await?;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert!(list["items"][0]["data"]["content"].is_string());
    let bare = server
        .get_json("/api/v1/files/?content=false", &token)
        .await?;
    assert!(bare["items"][0]["data"].get("content").is_none());
    assert_eq!(server.get_json("/api/v1/files/count", &token).await?, 1);
    assert_eq!(
        server.get_json("/api/v1/files/user/count", &token).await?,
        1
    );
    let found = server
        .get_json("/api/v1/files/search?filename=*.TXT", &token)
        .await?;
    assert_eq!(found[0]["id"], id.as_str());
    let none = server
        .client()
        .get(server.url("/api/v1/files/search?filename=*.pdf"))
        .bearer_auth(&token)
        .send()
        .await?;
    let (code, body) = status_json(none).await?;
    assert_eq!(
        (code, body["detail"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("No files found matching the pattern.")
        )
    );
    let mine = server
        .get_json("/api/v1/files/user/search?filename=no*", &token)
        .await?;
    assert_eq!(mine[0]["id"], id.as_str());
    assert!(mine[0]["data"].get("content").is_none());
    let bad_limit = server
        .client()
        .get(server.url("/api/v1/files/search?filename=*&limit=0"))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(bad_limit.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let data = server
        .get_json(&format!("/api/v1/files/{id}/data/content"), &token)
        .await?;
    assert_eq!(data["content"], "The moon is made of cheese.\n");
    let content = server
        .client()
        .get(server.url(&format!("/api/v1/files/{id}/content")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(
        content.headers()["content-disposition"],
        "inline; filename*=UTF-8''notes.txt"
    );
    assert_eq!(content.text().await?, "The moon is made of cheese.\n");
    let attachment = server
        .client()
        .get(server.url(&format!("/api/v1/files/{id}/content?attachment=true")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(
        attachment.headers()["content-disposition"],
        "attachment; filename*=UTF-8''notes.txt"
    );
    let named = server
        .client()
        .get(server.url(&format!("/api/v1/files/{id}/content/notes.txt")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert!(
        named.headers()["content-disposition"]
            .to_str()?
            .starts_with("attachment")
    );

    let empty = server
        .client()
        .post(server.url(&format!("/api/v1/files/{id}/data/content/update")))
        .bearer_auth(&token)
        .json(&json!({"content": "  "}))
        .send()
        .await?;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let updated = server
        .post_json(
            &format!("/api/v1/files/{id}/data/content/update"),
            &token,
            &json!({"content": "Edited text"}),
        )
        .await?;
    assert_eq!(updated, json!({"content": "Edited text"}));
    let renamed = server
        .post_json(
            &format!("/api/v1/files/{id}/rename"),
            &token,
            &json!({"filename": "moon.md"}),
        )
        .await?;
    assert_eq!(
        (
            renamed["filename"].as_str(),
            renamed["meta"]["name"].as_str()
        ),
        (Some("moon.md"), Some("moon.md"))
    );
    assert_eq!(renamed["data"]["content"], "Edited text");

    let deleted = server
        .client()
        .delete(server.url(&format!("/api/v1/files/{id}")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(
        status_json(deleted).await?.1,
        json!({"message": "File deleted successfully"})
    );
    let gone = server
        .client()
        .get(server.url(&format!("/api/v1/files/{id}")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert!(uploads(&server).is_empty());
    server.stop().await
}

#[tokio::test]
async fn client_file_names_never_become_paths() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let long = format!("{}.txt", "n".repeat(300));
    for name in [
        "../../escape.txt",
        long.as_str(),
        "..",
        ".hidden",
        "über résumé.txt",
    ] {
        let (status, file) = server
            .upload(&token, name, b"text".to_vec(), "text/plain", NOW)
            .await?;
        assert_eq!(status, StatusCode::OK, "{name:?}: {file}");
        let stored = file["filename"].as_str().unwrap_or_default();
        assert!(
            !stored.contains('/') && !stored.contains('\0') && stored.chars().count() <= 255,
            "{stored:?}"
        );
        assert_eq!(file["data"]["status"], "completed");
        let path = file["path"].as_str().unwrap_or_default();
        let id = text(&file, "id")?;
        assert!(
            path.ends_with(&id) || path.ends_with(&format!("{id}.txt")),
            "{path}"
        );
    }
    assert!(!server.data_dir().join("escape.txt").exists());
    assert_eq!(uploads(&server).len(), 5);
    // A NUL cannot travel in a multipart header: refused as a malformed form, nothing kept.
    let (status, body) = server
        .upload(&token, "a\u{0}b.txt", b"x".to_vec(), "text/plain", NOW)
        .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("[ERROR: Invalid upload"))
    );
    assert_eq!(uploads(&server).len(), 5);
    server.stop().await
}

#[tokio::test]
async fn empty_and_corrupt_files_fail_with_a_reason_and_the_server_carries_on() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let (_, empty) = server
        .upload(&token, "empty.txt", Vec::new(), "text/plain", NOW)
        .await?;
    assert_eq!(empty["meta"]["size"], 0);
    assert_eq!(empty["data"]["status"], "failed");
    assert_eq!(
        empty["data"]["error"],
        "The content provided is empty. Please ensure that there is text or data present before proceeding."
    );
    let mut pdf = hearth_extract::sample_pdf(&["first page", "second page"]);
    pdf.truncate(pdf.len() / 3);
    let (_, broken) = server
        .upload(&token, "broken.pdf", pdf, "application/pdf", "")
        .await?;
    let broken = server.processed(&token, &text(&broken, "id")?).await?;
    assert_eq!(broken["data"]["status"], "failed");
    assert!(
        !broken["data"]["error"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "{broken}"
    );
    let (status, fine) = server
        .upload(
            &token,
            "fine.txt",
            b"still here".to_vec(),
            "text/plain",
            NOW,
        )
        .await?;
    assert_eq!(
        (status, &fine["data"]["content"]),
        (StatusCode::OK, &json!("still here"))
    );
    let events = server
        .client()
        .get(server.url(&format!(
            "/api/v1/files/{}/process/status?stream=true",
            text(&broken, "id")?
        )))
        .bearer_auth(&token)
        .send()
        .await?
        .text()
        .await?;
    let event: Value = serde_json::from_str(events.trim().trim_start_matches("data: "))?;
    assert_eq!(
        (event["status"].as_str(), &event["error"]),
        (Some("failed"), &broken["data"]["error"])
    );
    server.stop().await
}

#[tokio::test]
async fn uploads_need_a_file_part_and_valid_metadata() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let no_file = reqwest::multipart::Form::new().text("metadata", "{}");
    let response = server
        .client()
        .post(server.url("/api/v1/files/"))
        .bearer_auth(&token)
        .multipart(no_file)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let part = reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("x.txt");
    let bad_meta = reqwest::multipart::Form::new()
        .part("file", part)
        .text("metadata", "[1, 2]");
    let response = server
        .client()
        .post(server.url("/api/v1/files/"))
        .bearer_auth(&token)
        .multipart(bad_meta)
        .send()
        .await?;
    let (code, body) = status_json(response).await?;
    assert_eq!(
        (code, body["detail"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("[ERROR: Invalid metadata format]")
        )
    );
    let not_multipart = server
        .client()
        .post(server.url("/api/v1/files/"))
        .bearer_auth(&token)
        .json(&json!({"file": "x"}))
        .send()
        .await?;
    assert!(not_multipart.status().is_client_error());
    let anonymous = server
        .client()
        .post(server.url("/api/v1/files/"))
        .send()
        .await?;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert!(uploads(&server).is_empty());
    assert_eq!(server.get_json("/api/v1/files/count", &token).await?, 0);
    server.stop().await
}
