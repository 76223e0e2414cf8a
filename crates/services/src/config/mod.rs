//! Settings reads: the live configuration (built-in defaults, overridden by the environment,
//! overridden by the `config` table) and the `/api/config` document derived from it.

pub mod forms;
mod live;
mod public;

pub use live::{ConfigView, LiveConfig};
pub use public::{COMPATIBLE_VERSION, PublicConfigBodies};
