//! Line framing for streamed responses. Network reads split lines (and multi-byte UTF-8
//! characters) anywhere; [`LineBuffer`] keeps the bytes of an unfinished line until its
//! newline arrives, so callers only ever see whole lines. [`SseDecoder`] builds server-sent
//! events from those lines; NDJSON callers use the lines directly.

use crate::error::ProviderError;

/// Collects bytes and hands out complete lines (without `\n` or `\r\n`).
#[derive(Debug)]
pub struct LineBuffer {
    buf: Vec<u8>,
    start: usize,
    scanned: usize,
    max_line: usize,
}

impl LineBuffer {
    /// A buffer refusing lines longer than `max_line` bytes.
    pub fn new(max_line: usize) -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            scanned: 0,
            max_line,
        }
    }

    /// Appends bytes read from the network.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.scanned -= self.start;
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete line, if one has arrived.
    pub fn next_line(&mut self) -> Result<Option<String>, ProviderError> {
        match self.buf[self.scanned..].iter().position(|&b| b == b'\n') {
            Some(offset) => {
                let end = self.scanned + offset;
                let line = decode(&self.buf[self.start..end])?;
                self.start = end + 1;
                self.scanned = self.start;
                Ok(Some(line))
            }
            None => {
                self.scanned = self.buf.len();
                if self.buf.len() - self.start > self.max_line {
                    return Err(ProviderError::LineTooLong(self.max_line));
                }
                Ok(None)
            }
        }
    }

    /// At the end of the stream: the last line if it had no newline.
    pub fn finish(&mut self) -> Result<Option<String>, ProviderError> {
        if self.start >= self.buf.len() {
            return Ok(None);
        }
        let line = decode(&self.buf[self.start..])?;
        self.start = self.buf.len();
        self.scanned = self.start;
        Ok(Some(line))
    }
}

fn decode(line: &[u8]) -> Result<String, ProviderError> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8(line.to_vec())
        .map_err(|_| ProviderError::InvalidResponse("a streamed line is not UTF-8".into()))
}

/// One server-sent event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, if any.
    pub event: Option<String>,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
}

/// Builds server-sent events from lines (per the HTML living standard: fields until a blank
/// line, `:` comments ignored, one leading space after the colon dropped).
#[derive(Debug, Default)]
pub struct SseDecoder {
    event: Option<String>,
    data: Option<String>,
}

impl SseDecoder {
    /// Feeds one line; returns an event when the line ends one.
    pub fn line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            return self.flush();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            "event" => self.event = Some(value.to_owned()),
            _ => {}
        }
        None
    }

    /// Ends the pending event (at a blank line, or when the stream ends without one).
    pub fn flush(&mut self) -> Option<SseEvent> {
        let event = self.event.take();
        self.data.take().map(|data| SseEvent { event, data })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(chunks: &[&[u8]]) -> Vec<String> {
        let mut buffer = LineBuffer::new(1024);
        let mut out = Vec::new();
        for chunk in chunks {
            buffer.push(chunk);
            while let Ok(Some(line)) = buffer.next_line() {
                out.push(line);
            }
        }
        if let Ok(Some(last)) = buffer.finish() {
            out.push(last);
        }
        out
    }

    #[test]
    fn lines_survive_any_split() {
        let text = "data: {\"a\":\"héllo ✓ 🎉\"}\r\n\r\ndata: [DONE]\n";
        let bytes = text.as_bytes();
        let whole = lines_of(&[bytes]);
        assert_eq!(
            whole,
            vec!["data: {\"a\":\"héllo ✓ 🎉\"}", "", "data: [DONE]"]
        );
        for cut in 0..bytes.len() {
            assert_eq!(
                lines_of(&[&bytes[..cut], &bytes[cut..]]),
                whole,
                "cut at {cut}"
            );
        }
        let single: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(lines_of(&single), whole);
    }

    #[test]
    fn a_last_line_without_newline_is_kept() {
        assert_eq!(lines_of(&[b"{\"done\":true}"]), vec!["{\"done\":true}"]);
    }

    #[test]
    fn overlong_lines_and_bad_utf8_are_errors() {
        let mut buffer = LineBuffer::new(8);
        buffer.push(b"0123456789");
        assert!(matches!(
            buffer.next_line(),
            Err(ProviderError::LineTooLong(8))
        ));
        let mut buffer = LineBuffer::new(8);
        buffer.push(b"\xff\xfe\n");
        assert!(buffer.next_line().is_err());
    }

    #[test]
    fn events_join_data_lines_and_skip_comments() {
        let mut decoder = SseDecoder::default();
        let mut events = Vec::new();
        for line in [
            ": keep-alive",
            "event: delta",
            "data: one",
            "data:two",
            "",
            "data: [DONE]",
            "",
        ] {
            events.extend(decoder.line(line));
        }
        assert_eq!(
            events,
            vec![
                SseEvent {
                    event: Some("delta".into()),
                    data: "one\ntwo".into()
                },
                SseEvent {
                    event: None,
                    data: "[DONE]".into()
                },
            ]
        );
        assert_eq!(decoder.flush(), None);
    }
}
