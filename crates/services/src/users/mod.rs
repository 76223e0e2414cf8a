//! Users (Open WebUI's `routers/users.py` use cases): the user list and admin edits, a
//! user's card and avatar, the caller's settings, and the default permissions.

pub mod dto;
pub mod manage;
pub mod permissions;
mod profile_image;
pub mod settings;

pub use profile_image::{Avatar, DEFAULT_AVATAR, avatar};
