//! Sign-in through identity providers (Open WebUI's `/oauth/{provider}/...` flows): which
//! providers are enabled, starting a sign-in, the callback's account policy, and sign-out at
//! the provider. The protocols themselves are behind the domain's `IdentityProviders` port.

mod account;
pub mod flow;
pub mod providers;

pub use flow::{CallbackQuery, ProviderSignIn, Start, callback, public_base, sign_out, start};
pub use providers::{NamedProvider, provider, providers};
