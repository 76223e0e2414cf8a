//! Value parsers: strict, so that a bad value stops start-up instead of being read as a default.

use hearth_api::SameSite;
use hearth_domain::Role;

/// CORS origins, `;`-separated.
#[derive(Debug, Clone)]
pub struct Origins(pub Vec<String>);

/// Booleans as Open WebUI writes them, plus the usual spellings; anything else is an error.
pub(super) fn flag(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" | "" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

pub(super) fn role(value: &str) -> Result<Role, String> {
    value
        .parse()
        .map_err(|e: hearth_domain::role::UnknownRole| e.to_string())
}

pub(super) fn lifetime(value: &str) -> Result<String, String> {
    hearth_auth::expiry::parse_lifetime(value)
        .map(|_| value.to_owned())
        .map_err(|e| e.to_string())
}

pub(super) fn origins(value: &str) -> Result<Origins, String> {
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
    Ok(Origins(if origins.is_empty() {
        vec!["*".into()]
    } else {
        origins
    }))
}

pub(super) fn same_site(value: &str) -> Result<SameSite, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "lax" => Ok(SameSite::Lax),
        "strict" => Ok(SameSite::Strict),
        "none" => Ok(SameSite::None),
        _ => Err("expected lax, strict or none".into()),
    }
}

pub(super) fn frame_options(value: &str) -> Result<String, String> {
    match value.trim().to_ascii_uppercase().as_str() {
        "" => Ok(String::new()),
        upper @ ("DENY" | "SAMEORIGIN") => Ok(upper.to_owned()),
        _ => Err("expected DENY or SAMEORIGIN".into()),
    }
}

pub(super) fn hsts(value: &str) -> Result<String, String> {
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
pub(super) fn json_object(value: &str) -> Result<serde_json::Value, String> {
    match serde_json::from_str::<serde_json::Value>(value) {
        Ok(object @ serde_json::Value::Object(_)) => Ok(object),
        Ok(_) => Err("expected a JSON object".into()),
        Err(e) => Err(format!("invalid JSON: {e}")),
    }
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
    }
}
