//! Chat search text: free words plus `tag:`, `folder:`, `pinned:`, `archived:` and `shared:`
//! filters, as Open WebUI reads them.

/// A parsed search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChatSearch {
    /// Lower-cased free text (filters removed); matched in titles and message contents.
    pub phrase: String,
    /// Tag ids every match must carry; `none` means "no tags at all".
    pub tag_ids: Vec<String>,
    /// Folder names (matched case-insensitively); empty means any folder.
    pub folder_names: Vec<String>,
    /// `pinned:true|false`.
    pub pinned: Option<bool>,
    /// `archived:true|false` (archived chats are left out otherwise).
    pub archived: Option<bool>,
    /// `shared:true|false`.
    pub shared: Option<bool>,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return.
    pub limit: u64,
}

const FILTERS: [&str; 5] = ["tag:", "folder:", "pinned:", "archived:", "shared:"];

impl ChatSearch {
    /// Parses search text (NUL characters are dropped).
    pub fn parse(text: &str, offset: u64, limit: u64) -> Self {
        let text = text.replace('\0', "").to_lowercase();
        let words: Vec<&str> = text.split_whitespace().collect();
        let flag = |name: &str| {
            if words.contains(&format!("{name}:true").as_str()) {
                Some(true)
            } else if words.contains(&format!("{name}:false").as_str()) {
                Some(false)
            } else {
                None
            }
        };
        Self {
            tag_ids: words
                .iter()
                .filter_map(|w| w.strip_prefix("tag:"))
                .map(super::tags::tag_id)
                .collect(),
            folder_names: words
                .iter()
                .filter_map(|w| w.strip_prefix("folder:"))
                .map(str::to_owned)
                .collect(),
            pinned: flag("pinned"),
            archived: flag("archived"),
            shared: flag("shared"),
            phrase: words
                .iter()
                .filter(|w| !FILTERS.iter().any(|f| w.starts_with(f)))
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
            offset,
            limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters_and_free_text() {
        let search = ChatSearch::parse("Rust tag:Web pinned:true folder:Work  async", 0, 60);
        assert_eq!(search.phrase, "rust async");
        assert_eq!(search.tag_ids, vec!["web"]);
        assert_eq!(search.folder_names, vec!["work"]);
        assert_eq!(
            (search.pinned, search.archived, search.shared),
            (Some(true), None, None)
        );
        assert_eq!(
            ChatSearch::parse("archived:false shared:true", 0, 1).archived,
            Some(false)
        );
    }
}
