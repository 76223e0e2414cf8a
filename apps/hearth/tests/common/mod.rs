//! Running the real `hearth` binary from tests: a command with a clean environment, a
//! server started on a free port (its address read from the start-up log), and SIGTERM.

#![allow(dead_code, reason = "each test file uses a different part")]

use anyhow::{Context, Result};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_hearth");

pub fn hearth(data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATA_DIR", data_dir)
        .env("HOST", "127.0.0.1")
        .env("PORT", "0")
        .env("PASSWORD_HASH_COST", "4")
        .env("NO_COLOR", "1")
        .env("FRONTEND_BUILD_DIR", data_dir.join("no-frontend"));
    command
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Starts the server and returns it with its base URL, read from the start-up log line.
pub fn serve(data_dir: &std::path::Path) -> Result<(Child, String)> {
    serve_with(hearth(data_dir))
}

/// Starts `command` (a [`hearth`] command with more settings) as a server.
pub fn serve_with(mut command: Command) -> Result<(Child, String)> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let Some(line) = lines.next() else { break };
        let line = strip_ansi(&line?);
        if let Some(rest) = line
            .split("address=")
            .nth(1)
            .filter(|_| line.contains("Hearth is listening"))
        {
            let address = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            std::thread::spawn(move || lines.for_each(drop));
            return Ok((child, format!("http://{address}")));
        }
    }
    let _ = child.kill();
    anyhow::bail!("the server did not report its address")
}

pub fn stop(mut child: Child) -> Result<()> {
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()?;
    let status = child.wait()?;
    anyhow::ensure!(
        status.success(),
        "hearth exited with {status} after SIGTERM"
    );
    Ok(())
}

/// Runs `command` (a start-up expected to fail) for at most `seconds`; a server that is
/// still running then is killed, and its output returned as a failure.
pub fn run_briefly(command: &mut Command, seconds: u64) -> Result<std::process::Output> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while child.try_wait()?.is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    if child.try_wait()?.is_none() {
        let _ = child.kill();
    }
    Ok(child.wait_with_output()?)
}

/// `GET url` with a bearer token; the JSON body of a 2xx answer.
pub async fn get(url: &str, token: &str) -> Result<serde_json::Value> {
    let request = reqwest::Client::new().get(url).bearer_auth(token);
    json_ok(url, request).await
}

/// `POST url` with a bearer token and a JSON body; the JSON body of a 2xx answer.
pub async fn post(url: &str, token: &str, body: serde_json::Value) -> Result<serde_json::Value> {
    let request = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .json(&body);
    json_ok(url, request).await
}

/// Sends `request`; its JSON body, or an error naming `url` and the status.
async fn json_ok(url: &str, request: reqwest::RequestBuilder) -> Result<serde_json::Value> {
    let response = request.send().await?;
    anyhow::ensure!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    Ok(response.json().await?)
}

/// Signs in with a password; the session token.
pub async fn sign_in(base: &str, email: &str, password: &str) -> Result<String> {
    let body = serde_json::json!({"email": email, "password": password});
    let session: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auths/signin"))
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    Ok(session["token"]
        .as_str()
        .context("cannot sign in")?
        .to_owned())
}
