//! Hostile or odd input never produces a server error: every answer here is below 500 and
//! carries a JSON `detail` when it is an error. Runs on SQLite and PostgreSQL (which rejects
//! NUL characters in text, so they must be handled before any query).

use anyhow::Result;
use hearth_tests::TestServer;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn odd_input_gets_a_client_error_not_a_server_error() -> Result<()> {
    let server = TestServer::start_with(|s| s.accounts.enable_api_keys = true).await?;
    let admin = server.admin_token.clone();
    let cases: Vec<(Method, &str, Option<Value>, Option<&str>)> = vec![
        (Method::GET, "/api/v1/users/%00", None, Some(&admin)),
        (
            Method::GET,
            "/api/v1/users/%00/profile/image",
            None,
            Some(&admin),
        ),
        (Method::DELETE, "/api/v1/users/%00", None, Some(&admin)),
        (
            Method::POST,
            "/api/v1/users/%00/update",
            Some(json!({"name": "x"})),
            Some(&admin),
        ),
        (
            Method::GET,
            "/api/v1/users/?query=%00&page=1",
            None,
            Some(&admin),
        ),
        (
            Method::GET,
            "/api/v1/users/?page=99999999999999999",
            None,
            Some(&admin),
        ),
        (
            Method::GET,
            "/api/v1/users/?page=-5&order_by=nonsense&direction=sideways",
            None,
            Some(&admin),
        ),
        (
            Method::GET,
            "/api/v1/users/search?query=%25_%5C",
            None,
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/auths/signin",
            Some(json!({"email": "a\u{0}@x.io", "password": "p\u{0}"})),
            None,
        ),
        (
            Method::POST,
            "/api/v1/auths/signup",
            Some(json!({"name": "\u{0}", "email": "\u{0}", "password": ""})),
            None,
        ),
        (
            Method::POST,
            "/api/v1/auths/add",
            Some(json!({"name": "N\u{0}", "email": "n\u{0}@x.io", "password": "pw"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/auths/update/timezone",
            Some(json!({"timezone": "\u{0}Europe/Oslo"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/auths/update/password",
            Some(json!({"password": "\u{0}", "new_password": "x"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/auths/admin/config",
            Some(json!({"WEBUI_URL": 5})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/users/user/settings/update",
            Some(json!({"ui": "not an object"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/users/user/settings/update",
            Some(json!({"ui": {"k\u{0}": "v\u{0}"}})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/users/default/permissions",
            Some(json!([1, 2])),
            Some(&admin),
        ),
        (Method::GET, "/api/v1/auths/", None, Some("sk-<script>")),
        (Method::GET, "/api/v1/auths/", None, Some("Bearer")),
        (Method::GET, "/api/config", None, Some("x.y.z")),
        (Method::PUT, "/api/v1/auths/signin", None, None),
        (Method::POST, "/api/v1/chats/%00/pin", None, Some(&admin)),
        (
            Method::GET,
            "/api/v1/chats/search?text=%00%25_&page=-3",
            None,
            Some(&admin),
        ),
        (
            Method::GET,
            "/api/v1/chats/folder/%00/list?page=999999999999",
            None,
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/chats/new",
            Some(json!({"chat": {"title": "\u{0}"}, "folder_id": "\u{0}"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/chats/tags",
            Some(json!({"name": "%", "skip": 99999999999u64})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/folders/",
            Some(json!({"name": "\u{0}"})),
            Some(&admin),
        ),
        (Method::GET, "/api/v1/chats/share/%00", None, Some(&admin)),
        (
            Method::GET,
            "/api/v1/files/search?filename=%00%F1%80%AE%8AF&skip=362879&limit=1",
            None,
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/chats/tags",
            Some(json!({"name": "#\u{0}\u{5}-\u{b0}e"})),
            Some(&admin),
        ),
        (
            Method::GET,
            "/api/v1/models/list?query=%00%25&view_option=%00",
            None,
            Some(&admin),
        ),
        (
            Method::GET,
            "/api/v1/files/user/search?filename=a%00*",
            None,
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/chat/completions",
            Some(json!({"model": "\u{0}", "messages": "x"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/chat/completions",
            Some(json!("just a string")),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/chat/completions",
            Some(json!({"model": 42})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/openai/chat/completions",
            Some(json!({"model": "%"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/ollama/api/chat",
            Some(json!({"model": "x", "messages": {}})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/ollama/api/show",
            Some(json!({"name": "\u{0}"})),
            Some(&admin),
        ),
        (Method::GET, "/api/models?refresh=maybe", None, Some(&admin)),
        (
            Method::GET,
            "/openai/models/99999999999999999999",
            None,
            Some(&admin),
        ),
        (Method::GET, "/ollama/api/tags/7", None, Some(&admin)),
        (
            Method::POST,
            "/openai/config/update",
            Some(
                json!({"OPENAI_API_BASE_URLS": ["http://ok", "\u{0}"], "OPENAI_API_KEYS": [], "OPENAI_API_CONFIGS": {}}),
            ),
            Some(&admin),
        ),
        (
            Method::POST,
            "/openai/config/update",
            Some(json!({"OPENAI_API_BASE_URLS": "x"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/ollama/verify",
            Some(json!({"url": "javascript:alert(1)"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/models/create",
            Some(json!({"id": "a\u{0}b", "name": "x", "meta": {}, "params": {}})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/models/create",
            Some(json!({"id": "ok-id", "name": "\u{0}", "meta": {"a": "\u{0}"}, "params": []})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/models/create",
            Some(
                json!({"id": "based", "base_model_id": "x\u{0}", "name": "x", "meta": {}, "params": {}}),
            ),
            Some(&admin),
        ),
        (
            Method::GET,
            "/api/v1/models/model?id=%00",
            None,
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/models/model/toggle?id=%00",
            None,
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/models/model/delete",
            Some(json!({"id": "\u{0}"})),
            Some(&admin),
        ),
        (
            Method::POST,
            "/api/v1/models/model/access/update",
            Some(
                json!({"id": "m", "access_grants": [{"principal_type": "robot", "principal_id": "x", "permission": "read"}]}),
            ),
            Some(&admin),
        ),
    ];
    for (method, path, body, token) in cases {
        let mut request = server.client().request(method.clone(), server.url(path));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        assert!(
            status.as_u16() < 500,
            "{method} {path} {body:?}: {status} {text}"
        );
        if status.is_client_error() {
            let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            assert!(
                parsed.get("detail").is_some(),
                "{method} {path}: error without detail: {text}"
            );
        }
    }
    // The server is still healthy and the admin unchanged.
    let me = server.get_json("/api/v1/auths/", &admin).await?;
    assert_eq!(me["email"], hearth_tests::ADMIN_EMAIL);
    server.stop().await
}
