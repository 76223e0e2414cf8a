//! Uploads kept in S3-compatible object storage (`STORAGE_PROVIDER=s3`, Open WebUI's `S3_*`
//! settings), against moto in server mode.

use anyhow::Result;
use hearth_tests::s3_server::S3Server;
use hearth_tests::{TestServer, status_json, text};
use reqwest::StatusCode;

#[tokio::test]
async fn files_live_in_the_bucket_under_the_prefix() -> Result<()> {
    let s3 = S3Server::start().await?;
    s3.create_bucket("hearth-files").await?;
    let endpoint = s3.url.clone();
    let server = TestServer::start_with(|s| {
        s.files.storage_provider = "s3".into();
        s.files.s3_bucket_name = Some("hearth-files".into());
        s.files.s3_endpoint_url = Some(endpoint);
        s.files.s3_region_name = Some("us-east-1".into());
        s.files.s3_access_key_id = Some("test".into());
        s.files.s3_secret_access_key = Some("test".into());
        s.files.s3_key_prefix = Some("uploads/".into());
    })
    .await?;
    let token = server.admin_token.clone();
    let body = "stored in a bucket\n".repeat(600_000);
    let (status, file) = server
        .upload(
            &token,
            "notes.txt",
            body.clone().into_bytes(),
            "text/plain",
            "",
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{file}");
    let id = text(&file, "id")?;
    assert_eq!(file["path"], format!("s3://hearth-files/uploads/{id}.txt"));
    assert_eq!(
        s3.keys("hearth-files").await?,
        vec![format!("uploads/{id}.txt")]
    );
    let done = server.processed(&token, &id).await?;
    assert_eq!(
        done["data"]["status"], "completed",
        "{}",
        done["data"]["error"]
    );
    assert_eq!(
        done["data"]["content"].as_str().map(str::len),
        Some(body.len())
    );
    let download = server
        .client()
        .get(server.url(&format!("/api/v1/files/{id}/content")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(
        download.headers()["content-length"],
        body.len().to_string().as_str()
    );
    assert_eq!(download.text().await?, body);
    let gone = server
        .client()
        .delete(server.url(&format!("/api/v1/files/{id}")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(status_json(gone).await?.0, StatusCode::OK);
    assert!(s3.keys("hearth-files").await?.is_empty());
    assert!(
        std::fs::read_dir(server.data_dir().join("uploads/.staging"))?
            .next()
            .is_none()
    );
    server.stop().await
}
