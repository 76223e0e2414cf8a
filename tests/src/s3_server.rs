//! A private S3-compatible server for tests: moto in server mode (`scripts/s3-server path`
//! prints the executable; the test command exports it as `HEARTH_TEST_MOTO`).

use anyhow::{Context, Result, bail};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `moto_server` on a free loopback port.
pub struct S3Server {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    child: Child,
    client: reqwest::Client,
}

impl S3Server {
    /// Starts one (`HEARTH_TEST_MOTO` names the executable) and waits until it answers.
    pub async fn start() -> Result<Self> {
        let program = std::env::var("HEARTH_TEST_MOTO")
            .context("HEARTH_TEST_MOTO must name moto_server (scripts/s3-server path)")?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting moto_server")?;
        let server = Self {
            url: format!("http://127.0.0.1:{port}"),
            child,
            client: reqwest::Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if server.client.get(&server.url).send().await.is_ok() {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("moto_server did not answer on port {port}")
    }

    /// Creates a bucket (moto takes unsigned requests).
    pub async fn create_bucket(&self, bucket: &str) -> Result<()> {
        let response = self
            .client
            .put(format!("{}/{bucket}", self.url))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("creating bucket {bucket}: {}", response.status());
        }
        Ok(())
    }

    /// The keys in a bucket.
    pub async fn keys(&self, bucket: &str) -> Result<Vec<String>> {
        let listing = self
            .client
            .get(format!("{}/{bucket}?list-type=2", self.url))
            .send()
            .await?
            .text()
            .await?;
        Ok(listing
            .split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split("</Key>").next())
            .map(str::to_owned)
            .collect())
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
