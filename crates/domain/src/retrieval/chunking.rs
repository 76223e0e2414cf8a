//! Splitting extracted text into chunks as Open WebUI does: optionally at Markdown headers
//! first (each section keeps its header line), then recursively at paragraph, line, word and
//! character boundaries into chunks of at most `size` characters that overlap by up to
//! `overlap` characters (langchain's `RecursiveCharacterTextSplitter`, lengths in characters)
//! — or, with `RAG_TEXT_SPLITTER=token`, into windows of at most `size` tokens that overlap by
//! `overlap` tokens (langchain's `TokenTextSplitter`).

use crate::ports::Tokenizer;

/// How to split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Splitter {
    /// Most characters in a chunk.
    pub size: usize,
    /// Characters the end of a chunk may repeat at the start of the next.
    pub overlap: usize,
    /// Split at Markdown headers first.
    pub markdown_headers: bool,
}

impl Default for Splitter {
    fn default() -> Self {
        Self {
            size: 1000,
            overlap: 100,
            markdown_headers: true,
        }
    }
}

const SEPARATORS: [&str; 4] = ["\n\n", "\n", " ", ""];

fn chars(text: &str) -> usize {
    text.chars().count()
}

impl Splitter {
    /// The chunks of `text`, in order, none empty.
    pub fn split(&self, text: &str) -> Vec<String> {
        let size = self.size.max(1);
        let overlap = self.overlap.min(size.saturating_sub(1));
        let splitter = Self {
            size,
            overlap,
            ..*self
        };
        let sections = if self.markdown_headers {
            markdown_sections(text)
        } else {
            vec![text.to_owned()]
        };
        sections
            .iter()
            .flat_map(|section| splitter.recursive(section, &SEPARATORS))
            .collect()
    }

    /// The chunks of `text` as windows of `tokenizer`'s tokens, in order, none empty.
    pub fn split_tokens(&self, text: &str, tokenizer: &dyn Tokenizer) -> Vec<String> {
        let size = self.size.max(1);
        let step = size.saturating_sub(self.overlap).max(1);
        let sections = if self.markdown_headers {
            markdown_sections(text)
        } else {
            vec![text.to_owned()]
        };
        let mut chunks = Vec::new();
        for section in sections {
            let tokens = tokenizer.encode(&section);
            let mut start = 0;
            while start < tokens.len() {
                let end = (start + size).min(tokens.len());
                let chunk = tokenizer.decode(&tokens[start..end]);
                if !chunk.trim().is_empty() {
                    chunks.push(chunk);
                }
                if end == tokens.len() {
                    break;
                }
                start += step;
            }
        }
        chunks
    }

    fn recursive(&self, text: &str, separators: &[&str]) -> Vec<String> {
        let (index, separator) = separators
            .iter()
            .enumerate()
            .find(|(_, s)| s.is_empty() || text.contains(**s))
            .map_or((separators.len(), ""), |(i, s)| (i, *s));
        let rest = separators.get(index + 1..).unwrap_or_default();
        let mut chunks = Vec::new();
        let mut fitting: Vec<String> = Vec::new();
        for piece in split_keeping(text, separator) {
            if chars(&piece) < self.size {
                fitting.push(piece);
                continue;
            }
            if !fitting.is_empty() {
                chunks.extend(self.merge(&std::mem::take(&mut fitting)));
            }
            if rest.is_empty() {
                chunks.push(piece);
            } else {
                chunks.extend(self.recursive(&piece, rest));
            }
        }
        if !fitting.is_empty() {
            chunks.extend(self.merge(&fitting));
        }
        chunks
    }

    /// Joins small pieces into chunks of at most `size`, carrying up to `overlap` over.
    fn merge(&self, pieces: &[String]) -> Vec<String> {
        let mut chunks = Vec::new();
        let mut current: std::collections::VecDeque<(&str, usize)> = Default::default();
        let mut total = 0;
        for piece in pieces {
            let length = chars(piece);
            if total + length > self.size && !current.is_empty() {
                push_trimmed(&mut chunks, current.iter().map(|(p, _)| *p));
                while total > self.overlap || (total + length > self.size && total > 0) {
                    let Some((_, dropped)) = current.pop_front() else {
                        break;
                    };
                    total -= dropped;
                }
            }
            current.push_back((piece, length));
            total += length;
        }
        push_trimmed(&mut chunks, current.iter().map(|(p, _)| *p));
        chunks
    }
}

fn push_trimmed<'a>(chunks: &mut Vec<String>, pieces: impl Iterator<Item = &'a str>) {
    let joined: String = pieces.collect();
    let trimmed = joined.trim();
    if !trimmed.is_empty() {
        chunks.push(trimmed.to_owned());
    }
}

/// Splits at `separator`, keeping it at the start of the following piece; empty pieces go.
fn split_keeping(text: &str, separator: &str) -> Vec<String> {
    if separator.is_empty() {
        return text.chars().map(String::from).collect();
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    for (at, _) in text.match_indices(separator) {
        if at > start {
            pieces.push(text[start..at].to_owned());
        }
        start = at;
    }
    if start < text.len() || pieces.is_empty() {
        pieces.push(text[start..].to_owned());
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// The level of a Markdown header line (`#` to `######` followed by a space or nothing).
fn header_level(line: &str) -> Option<usize> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    let after = line.as_bytes().get(hashes);
    ((1..=6).contains(&hashes) && after.is_none_or(|b| *b == b' ')).then_some(hashes)
}

/// Sections that each start at a header line (outside code fences); lines are trimmed and
/// blank lines dropped, as Open WebUI's Markdown splitter does.
fn markdown_sections(text: &str) -> Vec<String> {
    let mut sections: Vec<Vec<&str>> = vec![Vec::new()];
    let mut in_fence = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("```") || line.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if !in_fence && header_level(line).is_some() {
            sections.push(vec![line]);
            continue;
        }
        if (!line.is_empty() || in_fence)
            && let Some(last) = sections.last_mut()
        {
            last.push(line);
        }
    }
    sections
        .into_iter()
        .filter(|lines| !lines.is_empty())
        .map(|lines| lines.join("\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each byte a token.
    struct Bytes;

    impl Tokenizer for Bytes {
        fn encode(&self, text: &str) -> Vec<u32> {
            text.bytes().map(u32::from).collect()
        }
        fn decode(&self, tokens: &[u32]) -> String {
            let bytes: Vec<u8> = tokens
                .iter()
                .filter_map(|t| u8::try_from(*t).ok())
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }

    #[test]
    fn token_windows_overlap_and_keep_sections() {
        let plain = Splitter {
            size: 4,
            overlap: 1,
            markdown_headers: false,
        };
        assert_eq!(
            plain.split_tokens("abcdefghij", &Bytes),
            ["abcd", "defg", "ghij"]
        );
        assert_eq!(plain.split_tokens("ab", &Bytes), ["ab"]);
        assert!(plain.split_tokens("", &Bytes).is_empty());
        let stuck = Splitter {
            size: 2,
            overlap: 5,
            markdown_headers: false,
        };
        assert_eq!(
            stuck.split_tokens("abc", &Bytes),
            ["ab", "bc"],
            "moves on even so"
        );
        let sections = Splitter {
            size: 100,
            overlap: 0,
            markdown_headers: true,
        };
        assert_eq!(
            sections.split_tokens("# A\none\n# B\ntwo", &Bytes),
            ["# A\none", "# B\ntwo"]
        );
    }

    fn splitter(size: usize, overlap: usize) -> Splitter {
        Splitter {
            size,
            overlap,
            markdown_headers: false,
        }
    }

    #[test]
    fn short_text_is_one_chunk() {
        assert_eq!(
            Splitter::default().split("  hello world \n"),
            vec!["hello world"]
        );
        assert!(Splitter::default().split(" \n ").is_empty());
    }

    #[test]
    fn words_fill_chunks_with_overlap() {
        let text = "one two three four five six seven eight nine ten";
        let chunks = splitter(15, 5).split(text);
        assert!(chunks.iter().all(|c| c.chars().count() <= 15), "{chunks:?}");
        assert_eq!(chunks.first().map(String::as_str), Some("one two three"));
        assert!(
            chunks
                .windows(2)
                .any(|w| w[0].split(' ').next_back() == w[1].split(' ').next()),
            "{chunks:?}"
        );
        let joined = chunks.join(" ");
        for word in text.split(' ') {
            assert!(joined.contains(word), "{word} lost");
        }
    }

    #[test]
    fn paragraphs_split_before_lines_and_words() {
        let text = format!("{}\n\n{}", "a".repeat(8), "b".repeat(8));
        assert_eq!(
            splitter(10, 0).split(&text),
            vec!["a".repeat(8), "b".repeat(8)]
        );
        let long_word = "x".repeat(25);
        let chunks = splitter(10, 0).split(&long_word);
        assert_eq!(chunks, vec!["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let text = "é".repeat(30);
        let chunks = splitter(10, 0).split(&text);
        assert_eq!(chunks.len(), 3);
    }

    #[test]
    fn markdown_sections_keep_their_headers() {
        let text = "intro line\n\n# One\nfirst body\n\n## Two\nsecond body\n```\n# not a header\n```\n#hashtag";
        let chunks = Splitter::default().split(text);
        assert_eq!(chunks[0], "intro line");
        assert_eq!(chunks[1], "# One\nfirst body");
        assert!(
            chunks[2].starts_with("## Two\nsecond body\n```\n# not a header"),
            "{chunks:?}"
        );
        assert!(chunks[2].ends_with("#hashtag"));
    }
}
