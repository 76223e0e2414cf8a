//! Config keys Hearth reads by name (the dotted keys of Open WebUI's `config` table).

/// `ENABLE_SIGNUP`: whether new accounts may sign up (turned off after the first admin).
pub const ENABLE_SIGNUP: &str = "ui.enable_signup";
/// `ENABLE_LOGIN_FORM`: whether the email/password form is shown.
pub const ENABLE_LOGIN_FORM: &str = "ui.enable_login_form";
/// `DEFAULT_USER_ROLE`: role of new sign-ups after the first.
pub const DEFAULT_USER_ROLE: &str = "ui.default_user_role";
/// `DEFAULT_GROUP_ID`: group new users join.
pub const DEFAULT_GROUP_ID: &str = "ui.default_group_id";
/// `JWT_EXPIRES_IN`: session token lifetime (`4w`, `-1` for never).
pub const JWT_EXPIRY: &str = "auth.jwt_expiry";
/// `ENABLE_API_KEYS`: whether `sk-` keys authenticate.
pub const ENABLE_API_KEYS: &str = "auth.enable_api_keys";
/// `ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS`: whether keys are limited to an allow-list.
pub const API_KEY_ENDPOINT_RESTRICTIONS: &str = "auth.api_key.endpoint_restrictions";
/// `API_KEYS_ALLOWED_ENDPOINTS`: comma-separated path prefixes keys may call.
pub const API_KEY_ALLOWED_ENDPOINTS: &str = "auth.api_key.allowed_endpoints";
/// `SHOW_ADMIN_DETAILS`: whether pending users see the admin's name and email.
pub const ADMIN_SHOW: &str = "auth.admin.show";
/// `ADMIN_EMAIL`: the admin contact shown to pending users.
pub const ADMIN_EMAIL: &str = "auth.admin.email";
/// `USER_PERMISSIONS`: the default permissions document.
pub const USER_PERMISSIONS: &str = "user.permissions";
/// `DEFAULT_INTERFACE_SETTINGS`: interface settings merged under each user's own.
pub const DEFAULT_INTERFACE_SETTINGS: &str = "ui.default_interface_settings";
/// `WEBUI_URL`: the public base URL.
pub const WEBUI_URL: &str = "webui.url";
/// `ENABLE_MFA`.
pub const MFA_ENABLE: &str = "auth.mfa.enable";
/// Hearth: id of the primary admin (the first account), which other admins cannot edit or
/// delete. Databases without it fall back to the earliest account.
pub const PRIMARY_ADMIN_ID: &str = "auth.admin.primary_id";
/// `ENABLE_OPENAI_API`: whether OpenAI-compatible connections are used.
pub const OPENAI_ENABLE: &str = "openai.enable";
/// `OPENAI_API_BASE_URLS`: one base URL per OpenAI-compatible connection.
pub const OPENAI_BASE_URLS: &str = "openai.api_base_urls";
/// `OPENAI_API_KEYS`: the connections' keys, by position.
pub const OPENAI_KEYS: &str = "openai.api_keys";
/// `OPENAI_API_CONFIGS`: per-connection settings keyed by position (`"0"`, `"1"`, ...).
pub const OPENAI_CONFIGS: &str = "openai.api_configs";
/// `ENABLE_OLLAMA_API`: whether Ollama connections are used.
pub const OLLAMA_ENABLE: &str = "ollama.enable";
/// `OLLAMA_BASE_URLS`: one base URL per Ollama server.
pub const OLLAMA_BASE_URLS: &str = "ollama.base_urls";
/// `OLLAMA_API_CONFIGS`: per-connection settings keyed by position.
pub const OLLAMA_CONFIGS: &str = "ollama.api_configs";
/// `MODEL_ORDER_LIST`: model ids in the order the model list shows them.
pub const MODEL_ORDER_LIST: &str = "ui.model_order_list";
/// `DEFAULT_MODEL_METADATA`: meta merged under every model's own.
pub const MODELS_DEFAULT_METADATA: &str = "models.default_metadata";
/// `DEFAULT_MODEL_PARAMS`: params merged under every model's own.
pub const MODELS_DEFAULT_PARAMS: &str = "models.default_params";
/// Usage limits on completions (a [`UsageLimits`](crate::usage::UsageLimits) document).
pub const USAGE_LIMITS: &str = "usage.limits";
