//! The `hearth` binary as a child process, for the tests that crash it (`kill -9`) and start
//! it again on the same data. In-process servers ([`crate::TestServer`]) cannot die that way.

use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Where the binary is: `HEARTH_BIN`, or `hearth` in the target folder of the running test
/// (`target/debug/deps/<test>` → `target/debug/hearth`; `scripts/test` builds it first).
pub fn binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("HEARTH_BIN") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe()?;
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join("hearth"))
        .context("no target folder above the test")?;
    anyhow::ensure!(
        path.exists(),
        "{} missing: run `cargo build -p hearth` (scripts/test does) or set HEARTH_BIN",
        path.display()
    );
    Ok(path)
}

/// A running `hearth` process; killed when dropped.
pub struct HearthProcess {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    child: Child,
}

impl HearthProcess {
    /// Starts the binary on a free loopback port with `env` added to a quiet, cheap base
    /// (bcrypt cost 4, no Ollama) and waits until `/health` answers.
    pub async fn start(env: &[(&str, String)]) -> Result<Self> {
        let mut command = Command::new(binary()?);
        command
            .env("HOST", "127.0.0.1")
            .env("PORT", "0")
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "info")
            .env("PASSWORD_HASH_COST", "4")
            .env("ENABLE_OLLAMA_API", "false")
            .env("SIGNIN_RATE_LIMIT", "0")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let mut child = command.spawn().context("starting hearth")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let address = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(rest) = line.split("address=").nth(1) {
                    let address = rest.split_whitespace().next().unwrap_or_default();
                    return Ok::<_, anyhow::Error>(address.to_owned());
                }
            }
            bail!("hearth exited before listening")
        })
        .await
        .context("hearth did not report its address in 30 s")??;
        // Keep reading so that the process never blocks on a full pipe; with
        // `HEARTH_PROCESS_LOG` set, its log goes to the test's stderr.
        let echo = std::env::var_os("HEARTH_PROCESS_LOG").is_some();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                if echo {
                    eprintln!("hearth: {line}");
                }
            }
        });
        let process = Self {
            url: format!("http://{address}"),
            child,
        };
        process.wait_healthy().await?;
        Ok(process)
    }

    async fn wait_healthy(&self) -> Result<()> {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let health = client.get(format!("{}/health", self.url)).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        bail!("hearth not healthy after 30 s")
    }

    /// Kills it with SIGKILL (nothing runs on the way out, as in a crash) and reaps it.
    pub async fn kill(mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}
