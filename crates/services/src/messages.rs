//! Client-facing error messages, worded as Open WebUI's `ERROR_MESSAGES` so the web client
//! shows the same text.

/// Generic failure.
pub const DEFAULT: &str = "Something went wrong :/";
/// Missing credentials.
pub const NOT_AUTHENTICATED: &str = "Not authenticated";
/// A revoked token.
pub const INVALID_TOKEN_SHORT: &str = "Invalid token";
/// Expired token or deleted user.
pub const INVALID_TOKEN: &str =
    "Your session has expired or the token is invalid. Please sign in again.";
/// Undecodable token.
pub const UNAUTHORIZED: &str = "401 Unauthorized";
/// Wrong email or password.
pub const INVALID_CRED: &str =
    "The email or password provided is incorrect. Please check for typos and try logging in again.";
/// Wrong current password.
pub const INCORRECT_PASSWORD: &str =
    "The password provided is incorrect. Please check for typos and try again.";
/// Role not allowed.
pub const ACCESS_PROHIBITED: &str = "You do not have permission to access this resource. Please contact your administrator for assistance.";
/// Action refused by policy.
pub const ACTION_PROHIBITED: &str =
    "The requested action has been restricted as a security measure.";
/// Missing row.
pub const NOT_FOUND: &str = "We could not find what you're looking for :/";
/// Duplicate email.
pub const EMAIL_TAKEN: &str = "Uh-oh! This email is already registered. Sign in with your existing account or choose another email to start anew.";
/// Bad email.
pub const INVALID_EMAIL_FORMAT: &str = "The email format you entered is invalid. Please double-check and make sure you're using a valid email address (e.g., yourname@example.com).";
/// Password over 72 bytes.
pub const PASSWORD_TOO_LONG: &str = "Uh-oh! The password you entered is too long. Please make sure your password is less than 72 bytes long.";
/// Sign-in throttled.
pub const RATE_LIMIT_EXCEEDED: &str = "API rate limit exceeded";
/// API keys off or not permitted for the user.
pub const API_KEY_NOT_ALLOWED: &str = "Use of API key is not enabled in the environment.";
/// API key management not permitted.
pub const API_KEY_CREATION_NOT_ALLOWED: &str =
    "API key creation is not allowed in the environment.";
/// No API key yet.
pub const API_KEY_NOT_FOUND: &str = "Oops! It looks like there's a hiccup. The API key is missing. Please make sure to provide a valid API key to access this feature.";
/// Trusted header missing.
pub const INVALID_TRUSTED_HEADER: &str = "Your provider has not provided a trusted header. Please contact your administrator for assistance.";
/// Trusted header names another user.
pub const USER_MISMATCH: &str = "User mismatch. Please sign in again.";
/// Auth turned off while users exist.
pub const EXISTING_USERS: &str = "You can't turn off authentication because there are existing users. If you want to disable WEBUI_AUTH, make sure your web interface doesn't have any existing users and is a fresh installation.";
/// A JWT is required (API keys are not enough).
pub const HUMAN_SESSION_REQUIRED: &str = "A human session is required.";
/// Malformed body on the auth routes.
pub const INVALID_AUTH_REQUEST: &str = "Invalid authentication request.";
/// Body over the configured size.
pub const PAYLOAD_TOO_LARGE: &str = "Request body is too large.";
/// Storage unreachable.
pub const UNAVAILABLE: &str = "The service is temporarily unavailable. Please try again.";

/// OAuth sign-in failed at the provider or its answer was refused.
pub const OAUTH_LOGIN_FAILED: &str =
    "Sign-in with your identity provider failed. Please contact your administrator for assistance.";
