//! Value parsers: strict, so that a bad value stops start-up instead of being read as a
//! default. Each returns a message that clap prints next to the variable's name.

use hearth_domain::Role;
use serde_json::Value;
use std::time::Duration;

/// Booleans as Open WebUI writes them, plus the usual spellings; anything else is an error.
pub fn flag(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" | "" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

fn whole_number(value: &str) -> Result<u64, String> {
    value
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("expected a whole number, not {value:?}"))
}

/// A number of seconds.
pub fn seconds(value: &str) -> Result<Duration, String> {
    whole_number(value).map(Duration::from_secs)
}

/// A number of seconds, at least one.
pub fn positive_seconds(value: &str) -> Result<Duration, String> {
    match whole_number(value)? {
        0 => Err("expected at least 1 second".into()),
        n => Ok(Duration::from_secs(n)),
    }
}

/// A number of milliseconds.
pub fn millis(value: &str) -> Result<Duration, String> {
    whole_number(value).map(Duration::from_millis)
}

/// A limit in seconds where 0 means none.
pub fn optional_seconds(value: &str) -> Result<Option<Duration>, String> {
    let secs = whole_number(value)?;
    Ok((secs > 0).then(|| Duration::from_secs(secs)))
}

/// Seconds where a negative number means never.
pub fn seconds_or_never(value: &str) -> Result<Option<Duration>, String> {
    let secs = value
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("expected a number of seconds, not {value:?}"))?;
    Ok(u64::try_from(secs).ok().map(Duration::from_secs))
}

/// A role: `pending`, `user` or `admin`.
pub fn role(value: &str) -> Result<Role, String> {
    value
        .parse()
        .map_err(|e: hearth_domain::role::UnknownRole| e.to_string())
}

/// A token lifetime in `JWT_EXPIRES_IN` format (kept as written; `-1` never expires).
pub fn lifetime(value: &str) -> Result<String, String> {
    hearth_domain::lifetime::parse_lifetime(value)
        .map(|_| value.to_owned())
        .map_err(|e| e.to_string())
}

/// CORS origins, `;`-separated (`*` allows any).
pub fn origins(value: &str) -> Result<Vec<String>, String> {
    let origins: Vec<String> = value
        .split(';')
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    for origin in origins.iter().filter(|o| *o != "*") {
        let rest = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .ok_or_else(|| format!("origin {origin:?} must start with http:// or https://"))?;
        if rest.is_empty() || rest.contains('/') {
            return Err(format!(
                "origin {origin:?} must be scheme://host[:port] without a path"
            ));
        }
    }
    Ok(if origins.is_empty() {
        vec!["*".into()]
    } else {
        origins
    })
}

/// `SameSite` of the session cookie.
pub fn same_site(value: &str) -> Result<crate::SameSite, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "lax" => Ok(crate::SameSite::Lax),
        "strict" => Ok(crate::SameSite::Strict),
        "none" => Ok(crate::SameSite::None),
        _ => Err("expected lax, strict or none".into()),
    }
}

/// `X-Frame-Options`: `DENY`, `SAMEORIGIN`, or empty to leave the header out.
pub fn frame_options(value: &str) -> Result<String, String> {
    match value.trim().to_ascii_uppercase().as_str() {
        "" => Ok(String::new()),
        upper @ ("DENY" | "SAMEORIGIN") => Ok(upper.to_owned()),
        _ => Err("expected DENY or SAMEORIGIN".into()),
    }
}

/// `Strict-Transport-Security`: `max-age=<seconds>[;includeSubDomains][;preload]`.
pub fn hsts(value: &str) -> Result<String, String> {
    let lower = value.trim().to_ascii_lowercase();
    let mut parts = lower.split(';').map(str::trim);
    let max_age_ok = parts
        .next()
        .and_then(|p| p.strip_prefix("max-age="))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let rest_ok = parts.all(|p| p == "includesubdomains" || p == "preload");
    if max_age_ok && rest_ok {
        Ok(value.trim().to_owned())
    } else {
        Err("expected max-age=<seconds>[;includeSubDomains][;preload]".into())
    }
}

/// A JSON object (per-connection settings).
pub fn json_object(value: &str) -> Result<Value, String> {
    match serde_json::from_str::<Value>(value) {
        Ok(object @ Value::Object(_)) => Ok(object),
        Ok(_) => Err("expected a JSON object".into()),
        Err(e) => Err(format!("invalid JSON: {e}")),
    }
}

/// `;`-separated values, trimmed, trailing slashes dropped (URL lists); empty items kept so
/// that keys stay paired with URLs by position.
pub fn url_list(value: &str) -> Result<Vec<String>, String> {
    Ok(value
        .split(';')
        .map(|v| v.trim().trim_end_matches('/').to_owned())
        .collect())
}

/// `local` or `s3` (the storage providers Hearth has).
pub fn storage_provider(value: &str) -> Result<String, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "local" => Ok("local".into()),
        "s3" => Ok("s3".into()),
        other => Err(format!(
            "unknown storage provider {other:?}: use local or s3"
        )),
    }
}

/// `VECTOR_DB`: `sqlite` (the default) or `pgvector`.
pub fn vector_db(value: &str) -> Result<String, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "sqlite" => Ok("sqlite".into()),
        "pgvector" => Ok("pgvector".into()),
        other => Err(format!(
            "unknown vector store {other:?}: use sqlite or pgvector"
        )),
    }
}

/// `PGVECTOR_INDEX_METHOD`: `` (ivfflat), `ivfflat` or `hnsw`.
pub fn pgvector_index(value: &str) -> Result<String, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "ivfflat" => Ok("ivfflat".into()),
        "hnsw" => Ok("hnsw".into()),
        other => Err(format!(
            "unknown pgvector index {other:?}: use ivfflat or hnsw"
        )),
    }
}

/// `,`-separated values, trimmed, empty items dropped.
pub fn comma_list(value: &str) -> Result<Vec<String>, String> {
    Ok(value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_values_strictly() {
        assert_eq!(flag("True"), Ok(true));
        assert_eq!(flag("0"), Ok(false));
        assert!(flag("maybe").is_err());
        assert!(origins("http://a.com;https://b.org:8443").is_ok());
        assert!(origins("ftp://x").is_err());
        assert!(hsts("max-age=31536000;includeSubDomains").is_ok());
        assert!(hsts("forever").is_err());
        assert!(frame_options("allow").is_err());
        assert!(lifetime("4w").is_ok() && lifetime("-1").is_ok() && lifetime("soon").is_err());
        assert_eq!(optional_seconds("0"), Ok(None));
        assert_eq!(seconds_or_never("-1"), Ok(None));
        assert!(positive_seconds("0").is_err());
        assert_eq!(comma_list(" a, ,b "), Ok(vec!["a".into(), "b".into()]));
    }
}
