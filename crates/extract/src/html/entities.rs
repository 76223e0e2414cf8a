//! HTML character references: numeric ones and the common named ones (all of Latin-1 plus
//! typographic punctuation).

/// Named entities of code points 160..=255, in order.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

const OTHERS: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("ndash", "\u{2013}"),
    ("mdash", "\u{2014}"),
    ("lsquo", "\u{2018}"),
    ("rsquo", "\u{2019}"),
    ("sbquo", "\u{201A}"),
    ("ldquo", "\u{201C}"),
    ("rdquo", "\u{201D}"),
    ("bdquo", "\u{201E}"),
    ("bull", "\u{2022}"),
    ("hellip", "\u{2026}"),
    ("prime", "\u{2032}"),
    ("euro", "\u{20AC}"),
    ("trade", "\u{2122}"),
    ("larr", "\u{2190}"),
    ("rarr", "\u{2192}"),
    ("uarr", "\u{2191}"),
    ("darr", "\u{2193}"),
    ("harr", "\u{2194}"),
    ("ensp", " "),
    ("emsp", " "),
    ("thinsp", " "),
    ("zwnj", ""),
    ("zwj", ""),
    ("lrm", ""),
    ("rlm", ""),
    ("dagger", "\u{2020}"),
    ("Dagger", "\u{2021}"),
    ("permil", "\u{2030}"),
    ("minus", "\u{2212}"),
    ("le", "\u{2264}"),
    ("ge", "\u{2265}"),
    ("ne", "\u{2260}"),
    ("infin", "\u{221E}"),
    ("check", "\u{2713}"),
];

/// Appends `text` to `out` with character references decoded; unknown ones stay as they are.
pub fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        let (before, tail) = rest.split_at(amp);
        out.push_str(before);
        let after_amp = tail.get(1..).unwrap_or("");
        match reference(after_amp) {
            Some((decoded, len)) => {
                push_decoded(decoded, out);
                rest = after_amp.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after_amp;
            }
        }
    }
    out.push_str(rest);
}

enum Decoded {
    Char(char),
    Str(&'static str),
}

fn push_decoded(decoded: Decoded, out: &mut String) {
    match decoded {
        // A no-break space reads as a space in extracted text.
        Decoded::Char('\u{A0}') => out.push(' '),
        Decoded::Char('\u{AD}') => {}
        Decoded::Char(c) => out.push(c),
        Decoded::Str(s) => out.push_str(s),
    }
}

/// The reference at the start of `s` (just after `&`) and how many bytes it spans.
fn reference(s: &str) -> Option<(Decoded, usize)> {
    let semi = s.get(..s.len().min(34))?.find(';')?;
    let name = s.get(..semi)?;
    let decoded = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        Decoded::Char(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
    } else if let Some(i) = LATIN1.iter().position(|n| *n == name) {
        let code = u32::try_from(i).ok()? + 160;
        Decoded::Char(char::from_u32(code)?)
    } else {
        let (_, value) = OTHERS.iter().find(|(n, _)| *n == name)?;
        Decoded::Str(value)
    };
    Some((decoded, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> String {
        let mut out = String::new();
        decode_into(s, &mut out);
        out
    }

    #[test]
    fn named_and_numeric() {
        assert_eq!(decode("&eacute;&copy;&mdash;&#65;&#x42;&quot;"), "é©—AB\"");
        assert_eq!(
            decode("a &unknown; b & c &#xZZ;"),
            "a &unknown; b & c &#xZZ;"
        );
        assert_eq!(decode("&yuml;&iexcl;"), "ÿ¡");
    }
}
