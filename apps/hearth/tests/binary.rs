//! The real `hearth` binary: help text, refusal of bad settings, migrations, serving, and
//! sessions that survive a restart because the generated secret is kept in DATA_DIR.

use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::process::Command;

mod common;

use common::{BIN, hearth, serve, stop};

/// The help text of one flag: from its `--name` line to the next flag.
fn flag_help<'a>(help: &'a str, long: &str) -> Option<&'a str> {
    let start = help.find(&format!("      --{long} "))?;
    let rest = &help[start + 6..];
    let end = rest
        .find("\n      --")
        .or_else(|| rest.find("\n  -"))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

#[test]
fn help_lists_every_setting_with_its_variable_and_default() -> Result<()> {
    use clap::Args;
    let output = Command::new(BIN).arg("--help").output()?;
    let help = String::from_utf8(output.stdout)?;
    let declared = hearth_settings::Settings::augment_args(clap::Command::new("hearth"));
    let mut checked = 0;
    for arg in declared.get_arguments() {
        let long = arg.get_long().context("every setting has a flag")?;
        let text = flag_help(&help, long).with_context(|| format!("--{long} is not in --help"))?;
        let env = arg.get_env().context("every setting reads a variable")?;
        let env = env.to_string_lossy();
        assert!(
            text.contains(&format!("[env: {env}")),
            "--{long}: no [env: {env}]: {text}"
        );
        for default in arg.get_default_values() {
            let default = default.to_string_lossy();
            let (plain, quoted) = (
                format!("[default: {default}]"),
                format!("[default: \"{default}\"]"),
            );
            assert!(
                (!default.is_empty() && text.contains(&plain)) || text.contains(&quoted),
                "--{long}: default {default:?} not shown: {text}"
            );
        }
        checked += 1;
    }
    assert!(checked > 120, "only {checked} settings declared");
    for variable in [
        "DATA_DIR",
        "DATABASE_URL",
        "WEBUI_SECRET_KEY",
        "REDIS_URL",
        "OAUTH_CLIENT_ID",
    ] {
        assert!(
            help.contains(&format!("[env: {variable}")),
            "--help does not mention {variable}"
        );
    }
    Ok(())
}

#[test]
fn bad_values_stop_startup_naming_the_variable() -> Result<()> {
    let dir = tempfile::tempdir()?;
    for (variable, value) in [
        ("PORT", "eighty"),
        ("ENABLE_SIGNUP", "maybe"),
        ("JWT_EXPIRES_IN", "soon"),
        ("DEFAULT_USER_ROLE", "root"),
        ("CORS_ALLOW_ORIGIN", "ftp://x"),
        ("WEBUI_AUTH_COOKIE_SAME_SITE", "sometimes"),
        ("PASSWORD_HASH_COST", "99"),
    ] {
        let output = hearth(dir.path()).env(variable, value).output()?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{variable}={value} was accepted");
        assert!(stderr.contains(variable), "{variable}={value}: {stderr}");
    }
    let output = hearth(dir.path())
        .env("DATABASE_URL", "mysql://nope")
        .output()?;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("DATABASE_URL"));
    Ok(())
}

#[test]
fn migrate_reports_and_applies() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let status = hearth(dir.path()).args(["migrate", "status"]).output()?;
    let text = String::from_utf8(status.stdout)?;
    assert!(
        status.status.success() && text.contains("m20261125_000001_create_accounts\tPending"),
        "{text}"
    );
    assert!(
        hearth(dir.path())
            .args(["migrate", "up"])
            .status()?
            .success()
    );
    let text = String::from_utf8(
        hearth(dir.path())
            .args(["migrate", "status"])
            .output()?
            .stdout,
    )?;
    assert!(
        !text.contains("Pending") && text.contains("Applied"),
        "{text}"
    );
    assert!(dir.path().join("webui.db").is_file());
    Ok(())
}

#[tokio::test]
async fn serves_and_keeps_sessions_across_restarts() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let client = reqwest::Client::new();
    let (child, url) = serve(dir.path())?;
    let health: Value = client
        .get(format!("{url}/health"))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(health, json!({"status": true}));
    let body = json!({"name": "Ada", "email": "ada@example.com", "password": "pw-ada-1"});
    let session: Value = client
        .post(format!("{url}/api/v1/auths/signup"))
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    let token = session["token"].as_str().context("no token")?.to_owned();
    stop(child)?;

    let secret = dir.path().join(".webui_secret_key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&secret)?.permissions().mode() & 0o777,
            0o600
        );
    }
    let (child, url) = serve(dir.path())?;
    let me = client
        .get(format!("{url}/api/v1/auths/"))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(
        me.status(),
        reqwest::StatusCode::OK,
        "the token survives a restart"
    );
    stop(child)
}
