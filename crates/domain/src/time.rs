//! Time helpers. Open WebUI stores epoch seconds in `BigInteger` columns.

/// Seconds since the Unix epoch, now.
pub fn now_epoch() -> i64 {
    chrono::Utc::now().timestamp()
}
