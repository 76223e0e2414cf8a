//! Helpers for tests of `/api/v1/files`: multipart uploads as the web client sends them, and
//! waiting for a file's processing to end.

use crate::TestServer;
use anyhow::{Result, bail};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use std::time::{Duration, Instant};

impl TestServer {
    /// Uploads `bytes` as `name` (multipart `file`, `metadata` `{"source": "test"}`) with the
    /// query `query` (e.g. `?process_in_background=false`); returns the status and the body.
    pub async fn upload(
        &self,
        token: &str,
        name: &str,
        bytes: Vec<u8>,
        content_type: &str,
        query: &str,
    ) -> Result<(StatusCode, Value)> {
        let metadata = serde_json::json!({"source": "test"});
        self.upload_with(token, name, bytes, content_type, &metadata, query)
            .await
    }

    /// [`TestServer::upload`] with the multipart `metadata` given (`knowledge_id`,
    /// `directory_id`, ...).
    pub async fn upload_with(
        &self,
        token: &str,
        name: &str,
        bytes: Vec<u8>,
        content_type: &str,
        metadata: &Value,
        query: &str,
    ) -> Result<(StatusCode, Value)> {
        let part = Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(content_type)?;
        let form = Form::new()
            .part("file", part)
            .text("metadata", metadata.to_string());
        let response = self
            .client()
            .post(self.url(&format!("/api/v1/files/{query}")))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await?;
        let status = response.status();
        let body = response.text().await?;
        Ok((
            status,
            serde_json::from_str(&body).unwrap_or(Value::String(body)),
        ))
    }

    /// Waits (up to 60 s) until a file's processing ends; returns its record.
    pub async fn processed(&self, token: &str, id: &str) -> Result<Value> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let file = self.get_json(&format!("/api/v1/files/{id}"), token).await?;
            let status = file["data"]["status"].as_str().unwrap_or_default();
            if status == "completed" || status == "failed" {
                return Ok(file);
            }
            if Instant::now() > deadline {
                bail!("file {id} still {status:?} after 60 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
