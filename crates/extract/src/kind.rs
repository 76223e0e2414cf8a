//! Deciding what a file is from its name, declared content type and first bytes, following
//! Open WebUI's `Loader._get_loader` routing.

use crate::{Kind, text::has_utf16_bom};

/// How many leading bytes [`kind_of`] looks at.
pub const HEAD_LEN: usize = 8192;

/// Open WebUI's `known_source_ext` plus plain-text extensions it routes to `TextLoader`.
const TEXT_EXT: &[&str] = &[
    "go",
    "py",
    "java",
    "sh",
    "bat",
    "ps1",
    "cmd",
    "js",
    "ts",
    "css",
    "cpp",
    "hpp",
    "h",
    "c",
    "cs",
    "ino",
    "sql",
    "log",
    "ini",
    "pl",
    "pm",
    "r",
    "dart",
    "dockerfile",
    "env",
    "php",
    "hs",
    "hsc",
    "lua",
    "nginxconf",
    "conf",
    "m",
    "mm",
    "plsql",
    "perl",
    "rb",
    "rs",
    "db2",
    "scala",
    "bash",
    "swift",
    "vue",
    "svelte",
    "ex",
    "exs",
    "erl",
    "tsx",
    "jsx",
    "lhs",
    "yaml",
    "yml",
    "toml",
    "svg",
    "txt",
    "text",
    "rst",
    "xml",
    "tsv",
];
const IMAGE_EXT: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff", "heic", "heif", "avif", "ico",
];
const VIDEO_EXT: &[&str] = &[
    "mp4", "m4v", "mov", "avi", "mkv", "webm", "mpeg", "mpg", "wmv", "flv", "3gp",
];
const AUDIO_EXT: &[&str] = &[
    "mp3", "wav", "ogg", "oga", "flac", "m4a", "aac", "opus", "wma", "weba",
];
const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const PPT_TYPES: &[&str] = &[
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];
const XLS_TYPES: &[&str] = &[
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
];
const XLS_EXT: &[&str] = &["xls", "xlsx", "xlsm", "xlsb", "ods"];

/// What a file is, from its name, its declared content type and its first bytes (magic numbers
/// win over a wrong extension for PDF/ZIP-based formats; text files mislabelled as video/image
/// — e.g. `.ts` sent as video/mp2t — are text when their first 8 KiB have no NUL byte).
pub fn kind_of(filename: &str, content_type: Option<&str>, head: &[u8]) -> Kind {
    let head = head.get(..HEAD_LEN).unwrap_or(head);
    let ext = extension(filename);
    let ct = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(kind) = from_magic(&ext, &ct, head) {
        return kind;
    }
    let textual = !head.is_empty() && !is_binary(head);
    if let Some(media) = media_kind(&ext, &ct) {
        return if textual {
            text_kind(&ext, &ct).unwrap_or(Kind::Text)
        } else {
            media
        };
    }
    if let Some(kind) = document_kind(&ext, &ct) {
        // A text file named like an office document (an `.xls` that is really CSV or HTML) is
        // text; a `.pdf` without its magic stays a PDF and fails as one.
        let binary_format = matches!(kind, Kind::Docx | Kind::Pptx | Kind::Xlsx);
        return if binary_format && textual {
            Kind::Text
        } else {
            kind
        };
    }
    match text_kind(&ext, &ct) {
        _ if is_binary(head) => Kind::Other,
        Some(kind) => kind,
        None => Kind::Text,
    }
}

/// The last dot-separated part of the base name, lowercased, like Open WebUI's
/// `filename.split('.')[-1].lower()` (so `Dockerfile` gives `dockerfile`).
fn extension(filename: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    base.rsplit('.').next().unwrap_or(base).to_ascii_lowercase()
}

/// A NUL byte in the head, unless the text is UTF-16 with a byte order mark.
fn is_binary(head: &[u8]) -> bool {
    head.contains(&0) && !has_utf16_bom(head)
}

fn from_magic(ext: &str, ct: &str, head: &[u8]) -> Option<Kind> {
    let start = head.get(..1024).unwrap_or(head);
    if start.windows(5).any(|w| w == b"%PDF-") {
        return Some(Kind::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") {
        return zip_kind(ext, ct, head);
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        // Legacy OLE documents: calamine reads .xls; .doc, .ppt and .msg are not supported.
        let excel = ext == "xls" || ct == "application/vnd.ms-excel";
        return Some(if excel { Kind::Xlsx } else { Kind::Other });
    }
    media_magic(head)
}

fn zip_kind(ext: &str, ct: &str, head: &[u8]) -> Option<Kind> {
    let declared =
        document_kind(ext, ct).filter(|k| matches!(k, Kind::Docx | Kind::Pptx | Kind::Xlsx));
    if declared.is_some() {
        return declared;
    }
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"word/") {
        Some(Kind::Docx)
    } else if has(b"ppt/") {
        Some(Kind::Pptx)
    } else if has(b"xl/") || has(b"opendocument.spreadsheet") {
        Some(Kind::Xlsx)
    } else {
        None
    }
}

fn media_magic(head: &[u8]) -> Option<Kind> {
    let at = |offset: usize, magic: &[u8]| {
        head.get(offset..offset + magic.len())
            .is_some_and(|b| b == magic)
    };
    if at(0, b"\x89PNG") || at(0, b"\xFF\xD8\xFF") || at(0, b"GIF8") || at(8, b"WEBP") {
        return Some(Kind::Image);
    }
    if at(0, b"II*\0") || at(0, b"MM\0*") {
        return Some(Kind::Image);
    }
    if at(0, b"ID3") || at(0, b"OggS") || at(0, b"fLaC") || at(8, b"WAVE") || at(8, b"M4A ") {
        return Some(Kind::Audio);
    }
    if at(4, b"ftyp") || at(0, b"\x1A\x45\xDF\xA3") || at(8, b"AVI ") {
        return Some(Kind::Video);
    }
    None
}

fn media_kind(ext: &str, ct: &str) -> Option<Kind> {
    if ct.starts_with("image/") || (ct.is_empty() && IMAGE_EXT.contains(&ext)) {
        Some(Kind::Image)
    } else if ct.starts_with("video/") || (ct.is_empty() && VIDEO_EXT.contains(&ext)) {
        Some(Kind::Video)
    } else if ct.starts_with("audio/") || (ct.is_empty() && AUDIO_EXT.contains(&ext)) {
        Some(Kind::Audio)
    } else {
        None
    }
}

/// The loaders Open WebUI picks by extension or content type, in its order.
fn document_kind(ext: &str, ct: &str) -> Option<Kind> {
    Some(match ext {
        "pdf" => Kind::Pdf,
        "csv" => Kind::Csv,
        "htm" | "html" => Kind::Html,
        "md" | "markdown" => Kind::Markdown,
        "json" => Kind::Json,
        "docx" => Kind::Docx,
        "ppt" | "pptx" => Kind::Pptx,
        _ if XLS_EXT.contains(&ext) => Kind::Xlsx,
        _ if ct == "application/pdf" => Kind::Pdf,
        _ if ct == DOCX_TYPE => Kind::Docx,
        _ if XLS_TYPES.contains(&ct) => Kind::Xlsx,
        _ if PPT_TYPES.contains(&ct) => Kind::Pptx,
        _ if ct == "application/json" => Kind::Json,
        _ => return None,
    })
}

fn text_kind(ext: &str, ct: &str) -> Option<Kind> {
    if let Some(k @ (Kind::Html | Kind::Markdown | Kind::Json | Kind::Csv)) = document_kind(ext, ct)
    {
        return Some(k);
    }
    if TEXT_EXT.contains(&ext) {
        Some(Kind::Text)
    } else if ct.contains("html") {
        Some(Kind::Html)
    } else if ct.starts_with("text/") {
        Some(Kind::Text)
    } else {
        None
    }
}

/// The content type named in the unsupported-media error: the declared one, else a guess.
pub fn media_type(filename: &str, content_type: Option<&str>, kind: Kind) -> String {
    if let Some(ct) = content_type.filter(|c| !c.trim().is_empty()) {
        return ct.to_owned();
    }
    let ext = extension(filename);
    let (family, ext) = match (kind, ext.as_str()) {
        (Kind::Image, "jpg") => ("image", "jpeg"),
        (Kind::Image, e) => ("image", e),
        (Kind::Video, e) => ("video", e),
        (_, e) => ("audio", e),
    };
    format!("{family}/{ext}")
}
