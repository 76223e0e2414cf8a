//! `Content-Disposition` headers for downloads, the name encoded as RFC 5987 asks
//! (`filename*=UTF-8''...`), so any name is safe in the header.

/// `{kind}; filename*=UTF-8''{name}` (`kind`: `inline` or `attachment`).
pub fn content_disposition(kind: &str, name: &str) -> String {
    format!("{kind}; filename*=UTF-8''{}", encode_filename(name))
}

/// RFC 5987 encoding of a file name.
fn encode_filename(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        let plain = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            );
        if plain {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_percent_encoded() {
        assert_eq!(encode_filename("a b\"ü.txt"), "a%20b%22%C3%BC.txt");
        assert_eq!(encode_filename("../x"), "..%2Fx");
        assert_eq!(
            content_disposition("attachment", "a b.zip"),
            "attachment; filename*=UTF-8''a%20b.zip"
        );
    }
}
