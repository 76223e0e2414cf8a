//! Token lifetimes in Open WebUI's `JWT_EXPIRES_IN` format: `-1` or `0` (never), or a sum
//! of `<number><unit>` terms with units `ms`, `s`, `m`, `h`, `d`, `w` (for example `4w`, `1h30m`).

use std::time::Duration;

/// A token lifetime: `None` means tokens never expire.
pub type Lifetime = Option<Duration>;

/// A value that is not in `JWT_EXPIRES_IN` format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration {0:?}: expected -1, 0, or terms like 4w, 12h, 30m, 90s, 500ms")]
pub struct InvalidDuration(pub String);

/// Parses a lifetime. Negative terms count down, as in Open WebUI (a negative total makes
/// tokens that are born expired).
pub fn parse_lifetime(text: &str) -> Result<Lifetime, InvalidDuration> {
    let text = text.trim();
    if text == "-1" || text == "0" {
        return Ok(None);
    }
    let invalid = || InvalidDuration(text.to_owned());
    let mut total_ms: f64 = 0.0;
    let mut rest = text;
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let number_len = rest
            .char_indices()
            .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
            .map(|(i, _)| i)
            .ok_or_else(invalid)?;
        let number: f64 = rest[..number_len].parse().map_err(|_| invalid())?;
        rest = &rest[number_len..];
        let (unit_ms, unit_len) = match rest.as_bytes() {
            [b'm', b's', ..] => (1.0, 2),
            [b's', ..] => (1_000.0, 1),
            [b'm', ..] => (60_000.0, 1),
            [b'h', ..] => (3_600_000.0, 1),
            [b'd', ..] => (86_400_000.0, 1),
            [b'w', ..] => (604_800_000.0, 1),
            _ => return Err(invalid()),
        };
        total_ms += number * unit_ms;
        rest = &rest[unit_len..];
    }
    if !total_ms.is_finite() {
        return Err(invalid());
    }
    Ok(Some(Duration::from_millis(total_ms.max(0.0) as u64)))
}

/// Whole seconds of a lifetime, for `exp` claims and cookie `Max-Age`.
pub fn lifetime_secs(lifetime: Lifetime) -> Option<i64> {
    lifetime.map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_open_webui_durations() {
        assert_eq!(parse_lifetime("-1"), Ok(None));
        assert_eq!(parse_lifetime("0"), Ok(None));
        assert_eq!(
            parse_lifetime("4w"),
            Ok(Some(Duration::from_secs(4 * 7 * 86_400)))
        );
        assert_eq!(
            parse_lifetime("1h30m"),
            Ok(Some(Duration::from_secs(5_400)))
        );
        assert_eq!(
            parse_lifetime("1.5s"),
            Ok(Some(Duration::from_millis(1_500)))
        );
        assert_eq!(
            parse_lifetime("250ms"),
            Ok(Some(Duration::from_millis(250)))
        );
        assert_eq!(parse_lifetime("-5m"), Ok(Some(Duration::ZERO)));
        for bad in ["", "4", "w", "4x", "abc", "1h-"] {
            assert!(parse_lifetime(bad).is_err(), "{bad}");
        }
    }
}
