//! Identifiers. Open WebUI stores ids as text (mostly UUID v4 strings); Hearth keeps that
//! encoding and gives each kind of id its own type, so a chat id cannot be passed where a
//! folder id is expected.

use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::fmt;

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh random id (UUID v4, hyphenated), as Open WebUI creates them.
            pub fn generate() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }

            /// The id as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Consumes the id, returning the stored string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(value: &String) -> Self {
                Self(value.clone())
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_id!(
    /// The id of a user account (`user.id`, equal to `auth.id`).
    UserId
);
text_id!(
    /// The id of a chat (`chat.id`).
    ChatId
);
text_id!(
    /// The id of a message inside a chat document (`history.messages` key; the
    /// `chat_message` row id is `{chat_id}-{message_id}`).
    MessageId
);
text_id!(
    /// The id of a chat folder (`folder.id`).
    FolderId
);
text_id!(
    /// The id of a model, as the catalog and the `model` table name it.
    ModelId
);
text_id!(
    /// The id of a background task (a streamed answer).
    TaskId
);
text_id!(
    /// The id of a user group (`group.id`).
    GroupId
);
text_id!(
    /// The id of an uploaded file (`file.id`).
    FileId
);
text_id!(
    /// The id of a knowledge base (`knowledge.id`; also its vector collection's name).
    KnowledgeId
);
text_id!(
    /// The token of a shared chat snapshot (`chat.share_id`, `shared_chat.id`).
    ShareId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_text_on_the_wire_and_distinct_in_code() {
        let chat = ChatId::from("c-1");
        assert_eq!(
            serde_json::to_string(&chat).ok().as_deref(),
            Some("\"c-1\"")
        );
        assert_eq!(chat, "c-1");
        let generated = FolderId::generate();
        assert_eq!(generated.as_str().len(), 36);
        assert_ne!(generated, FolderId::generate());
    }
}
