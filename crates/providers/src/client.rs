//! The HTTP client for model servers, with the limits that keep one slow or broken server
//! from holding a request forever.

use crate::error::{ProviderError, upstream_body};
use crate::web::{GuardedResolver, guarded_redirects};
use bytes::Bytes;
use futures_util::StreamExt;
use hearth_domain::outbound::OutboundPolicy;
use hearth_domain::provider::{Api, Connection};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

pub use hearth_settings::ProviderSettings;

/// Redirects a model server may answer with before the request fails.
const MAX_REDIRECTS: usize = 10;

/// A pooled HTTP client plus the limits. Model servers are the admin's to choose, so they may
/// be local (Ollama on the same machine is the usual case), but never a target of the default
/// block list (cloud metadata services and never-routed ranges): names are resolved through
/// [`GuardedResolver`], and written addresses and redirects are checked.
#[derive(Clone, Debug)]
pub struct ProviderClient {
    http: reqwest::Client,
    settings: ProviderSettings,
    policy: Arc<OutboundPolicy>,
}

impl ProviderClient {
    /// Builds the client.
    pub fn new(settings: ProviderSettings) -> Result<Self, ProviderError> {
        let policy = Arc::new(OutboundPolicy::new(true, &[]));
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver::new(Arc::clone(&policy))))
            .redirect(guarded_redirects(Arc::clone(&policy), MAX_REDIRECTS))
            .connect_timeout(settings.model_list_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .user_agent(concat!("Hearth/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::Unreachable {
                connection: "HTTP client".into(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            http,
            settings,
            policy,
        })
    }

    /// Refuses a URL whose written address is on the block list.
    fn guard(&self, label: &str, url: &str) -> Result<(), ProviderError> {
        let parsed = reqwest::Url::parse(url).map(|u| u.to_string());
        let checked = parsed.as_deref().unwrap_or(url);
        self.policy
            .check_url(checked)
            .map_err(|refusal| ProviderError::Unreachable {
                connection: label.to_owned(),
                reason: format!("refused: {refusal}"),
            })
    }

    /// The limits.
    pub fn settings(&self) -> &ProviderSettings {
        &self.settings
    }

    fn with_key(request: reqwest::RequestBuilder, key: &str) -> reqwest::RequestBuilder {
        if key.is_empty() {
            request
        } else {
            request.bearer_auth(key)
        }
    }

    /// GETs `{base}{path}` and parses JSON, within the model-list limit. `base`/`key` may
    /// differ from the connection's (the admin's "verify" button checks unsaved settings).
    pub async fn get_json(
        &self,
        label: String,
        base: &str,
        key: &str,
        path: &str,
    ) -> Result<Value, ProviderError> {
        let limit = self.settings.model_list_timeout;
        self.guard(&label, &format!("{base}{path}"))?;
        let send = || {
            Self::with_key(self.http.get(format!("{base}{path}")), key)
                .timeout(limit)
                .send()
        };
        // A pooled connection the server closed while idle fails the first request on it;
        // a GET is safe to send once more (a timeout is not retried: it already took the
        // whole limit).
        let response = match send().await {
            Err(e) if !e.is_timeout() => {
                tracing::debug!(connection = %label, error = %e, "retrying a failed GET once");
                send().await
            }
            sent => sent,
        }
        .map_err(|e| crate::error::transport(label.clone(), &e, limit.as_secs()))?;
        let status = response.status().as_u16();
        let bytes = self.read_body(&label, response, limit).await?;
        if status >= 400 {
            return Err(ProviderError::Upstream {
                status,
                body: upstream_body(&bytes),
            });
        }
        serde_json::from_slice(&bytes)
            .map_err(|_| ProviderError::InvalidResponse(format!("{label} did not answer JSON")))
    }

    /// POSTs a JSON body to `{connection.url}{path}`; returns the response once its headers
    /// arrive. Error statuses come back as [`ProviderError::Upstream`] with the body read.
    pub async fn post(
        &self,
        connection: &Connection,
        path: &str,
        body: Vec<u8>,
    ) -> Result<reqwest::Response, ProviderError> {
        let limit = self.settings.request_timeout;
        self.guard(&connection.label(), &format!("{}{path}", connection.url))?;
        let request = Self::with_key(
            self.http.post(format!("{}{path}", connection.url)),
            &connection.key,
        )
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body);
        let response = tokio::time::timeout(limit, request.send())
            .await
            .map_err(|_| ProviderError::Timeout {
                connection: connection.label(),
                seconds: limit.as_secs(),
            })?
            .map_err(|e| crate::error::transport(connection.label(), &e, limit.as_secs()))?;
        let status = response.status().as_u16();
        if status >= 400 {
            let bytes = self.read_body(&connection.label(), response, limit).await?;
            return Err(ProviderError::Upstream {
                status,
                body: upstream_body(&bytes),
            });
        }
        Ok(response)
    }

    /// POSTs `body` to `{url}{path}` with `key` as bearer and reads the JSON answer; the
    /// error, for logs and users, names `label`.
    pub async fn post_json_to(
        &self,
        label: &str,
        url: &str,
        key: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        let connection = Connection {
            api: Api::OpenAi,
            idx: 0,
            url: url.to_owned(),
            key: key.to_owned(),
            enabled: true,
            prefix_id: None,
            model_ids: Vec::new(),
            tags: Vec::new(),
            connection_type: "external".into(),
            provider: String::new(),
            configured: false,
        };
        let response = self
            .post(&connection, path, body.to_string().into_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let limit = self.settings.request_timeout;
        let bytes = self
            .read_body(label, response, limit)
            .await
            .map_err(|e| e.to_string())?;
        serde_json::from_slice(&bytes).map_err(|_| format!("{label} did not answer JSON"))
    }

    /// Reads a whole body within `limit` and the size cap.
    pub async fn read_body(
        &self,
        label: &str,
        response: reqwest::Response,
        limit: Duration,
    ) -> Result<Bytes, ProviderError> {
        let max = self.settings.max_response_bytes;
        let read = async {
            let mut body = Vec::new();
            let mut stream = response.bytes_stream();
            while let Some(piece) = stream.next().await {
                let piece = piece.map_err(|e| {
                    ProviderError::Interrupted(format!("{label}: {}", crate::error::describe(&e)))
                })?;
                if body.len() + piece.len() > max {
                    return Err(ProviderError::InvalidResponse(format!(
                        "{label} answered more than {max} bytes"
                    )));
                }
                body.extend_from_slice(&piece);
            }
            Ok(Bytes::from(body))
        };
        tokio::time::timeout(limit, read)
            .await
            .map_err(|_| ProviderError::Timeout {
                connection: label.to_owned(),
                seconds: limit.as_secs(),
            })?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    fn settings() -> ProviderSettings {
        ProviderSettings {
            model_list_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(5),
            stream_idle_timeout: None,
            models_cache_ttl: Duration::from_secs(1),
            max_response_bytes: 1 << 20,
            stream_save_interval: Duration::from_secs(1),
        }
    }

    /// A server that closes its first connection unanswered (as a server that dropped an
    /// idle keep-alive connection does) and answers the next one.
    async fn flaky_server() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (first, _) = listener.accept().await.unwrap();
            drop(first);
            let (mut second, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 1024];
            let _ = second.read(&mut request).await.unwrap();
            let body = r#"{"data": []}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            second.write_all(answer.as_bytes()).await.unwrap();
        });
        format!("http://{address}")
    }

    #[tokio::test]
    async fn a_get_on_a_dropped_connection_is_sent_once_more() {
        let client = ProviderClient::new(settings()).unwrap();
        let base = flaky_server().await;
        let got = client.get_json("flaky".into(), &base, "", "/models").await;
        assert_eq!(got.unwrap(), serde_json::json!({"data": []}));
    }

    /// A server that answers every request with a redirect to the metadata service.
    async fn redirecting_server() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut request = [0u8; 1024];
                let _ = socket.read(&mut request).await;
                let answer = "HTTP/1.1 302 Found\r\nlocation: http://169.254.169.254/latest/\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
                let _ = socket.write_all(answer.as_bytes()).await;
            }
        });
        format!("http://{address}")
    }

    #[tokio::test]
    async fn the_metadata_service_is_refused_written_or_through_a_redirect() {
        let client = ProviderClient::new(settings()).unwrap();
        for base in [
            "http://169.254.169.254".to_owned(),
            "http://[::ffff:169.254.169.254]".to_owned(),
            redirecting_server().await,
        ] {
            let got = client
                .get_json("metadata".into(), &base, "", "/models")
                .await;
            let error = got.unwrap_err().to_string();
            assert!(error.contains("block list"), "{base}: {error}");
        }
    }
}
