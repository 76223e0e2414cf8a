//! The domain's `Tokenizer` port with OpenAI's `cl100k_base` encoding (tiktoken), the encoding
//! Open WebUI's token text splitter uses. Its tables load on first use, so a server that never
//! splits by tokens pays nothing.

use hearth_domain::ports::Tokenizer;
use std::sync::OnceLock;
use tiktoken_rs::CoreBPE;

/// `cl100k_base`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cl100k;

/// The encoding's tables (built once); `None` if they could not be (then every character is a
/// token, and the failure is logged once).
fn encoding() -> Option<&'static CoreBPE> {
    static ENCODING: OnceLock<Option<CoreBPE>> = OnceLock::new();
    ENCODING
        .get_or_init(|| match tiktoken_rs::cl100k_base() {
            Ok(encoding) => Some(encoding),
            Err(e) => {
                tracing::error!(error = %e, "cl100k_base could not be loaded; counting characters");
                None
            }
        })
        .as_ref()
}

impl Tokenizer for Cl100k {
    fn encode(&self, text: &str) -> Vec<u32> {
        match encoding() {
            Some(encoding) => encoding.encode_ordinary(text),
            None => text.chars().map(u32::from).collect(),
        }
    }

    fn decode(&self, tokens: &[u32]) -> String {
        match encoding() {
            Some(encoding) => encoding
                .decode_bytes(tokens)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default(),
            None => tokens.iter().filter_map(|t| char::from_u32(*t)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_round_trips_as_tiktoken() {
        let tokens = Cl100k.encode("hello world");
        assert_eq!(tokens, [15339, 1917], "tiktoken's ids for cl100k_base");
        assert_eq!(Cl100k.decode(&tokens), "hello world");
        let cut = Cl100k.encode("héllo");
        assert!(Cl100k.decode(&cut[..1]).len() <= "héllo".len());
    }
}
