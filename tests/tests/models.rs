//! The model list: connections merged (a dead or hanging one costs nothing but its own
//! models), prefixes, `model_ids`, caching, workspace overrides and access rules, and the
//! admin's connection settings.

use anyhow::Result;
use hearth_tests::fake_upstream::{FakeUpstream, Flavor, dead_url, hanging_url};
use hearth_tests::{TestServer, status_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

fn ids(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|m| m["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn connections_merge_and_dead_ones_are_skipped() -> Result<()> {
    let a = FakeUpstream::start(Flavor::OpenAi, &["m1", "shared"]).await?;
    let b = FakeUpstream::start(Flavor::OpenAi, &["shared", "m2"]).await?;
    let ollama = FakeUpstream::start(Flavor::Ollama, &["llama3:8b"]).await?;
    let ollama2 = FakeUpstream::start(Flavor::Ollama, &["llama3:8b", "qwen:1b"]).await?;
    let dead = dead_url().await?;
    let (hanging, _hold) = hanging_url().await?;
    let server = TestServer::start_with(|s| {
        s.providers.model_list_timeout = Duration::from_secs(1);
        s.models.openai_base_urls = Some(vec![dead, a.url.clone(), hanging, b.url.clone()]);
        s.models.openai_keys = Some(vec![String::new(), "key-a".into()]);
        s.models.openai_configs = json!({"1": {"prefix_id": "a", "tags": [{"name": "fast"}]}});
        s.models.ollama_base_urls = Some(vec![ollama.url.clone(), ollama2.url.clone()]);
    })
    .await?;
    let list = server.get_json("/api/models", &server.admin_token).await?;
    assert_eq!(
        ids(&list),
        vec!["a.m1", "a.shared", "shared", "m2", "llama3:8b", "qwen:1b"]
    );
    let data = list["data"].as_array().cloned().unwrap_or_default();
    let m1 = &data[0];
    assert_eq!(m1["owned_by"], "openai");
    assert_eq!(m1["urlIdx"], 1);
    assert_eq!(m1["openai"]["id"], "a.m1");
    assert_eq!(m1["connection_type"], "external");
    assert_eq!(m1["tags"], json!([{"name": "fast"}]));
    assert_eq!(data[3]["urlIdx"], 3);
    let llama = &data[4];
    assert_eq!(llama["owned_by"], "ollama");
    assert_eq!(llama["ollama"]["urls"], json!([0, 1]));
    assert_eq!(llama["connection_type"], "local");
    // The key went to its connection only.
    let asked = a.requests_to("/v1/models");
    assert_eq!(asked[0].authorization.as_deref(), Some("Bearer key-a"));
    assert_eq!(b.requests_to("/v1/models")[0].authorization, None);
    // The OpenAI-compatible alias answers the same.
    assert_eq!(
        ids(&server
            .get_json("/api/v1/models", &server.admin_token)
            .await?),
        ids(&list)
    );
    server.stop().await
}

#[tokio::test]
async fn model_ids_skip_the_list_call_and_the_list_is_cached() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["x", "y"]).await?;
    let fixed = FakeUpstream::start(Flavor::OpenAi, &["ignored"]).await?;
    let server = TestServer::start_with(|s| {
        s.providers.models_cache_ttl = Duration::from_secs(60);
        s.models.openai_base_urls = Some(vec![fake.url.clone(), fixed.url.clone()]);
        s.models.openai_configs = json!({"1": {"model_ids": ["only-this"]}});
    })
    .await?;
    let first = server.get_json("/api/models", &server.admin_token).await?;
    assert_eq!(ids(&first), vec!["x", "y", "only-this"]);
    assert!(
        fixed.requests().is_empty(),
        "model_ids connections are not asked"
    );
    server.get_json("/api/models", &server.admin_token).await?;
    assert_eq!(
        fake.requests_to("/v1/models").len(),
        1,
        "second list served from the cache"
    );
    server
        .get_json("/api/models?refresh=true", &server.admin_token)
        .await?;
    assert_eq!(
        fake.requests_to("/v1/models").len(),
        2,
        "refresh asks again"
    );
    server.stop().await
}

#[tokio::test]
async fn users_see_models_shared_with_them_unless_access_control_is_off() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["open", "private"]).await?;
    let url = fake.url.clone();
    let server = TestServer::start_with(|s| s.models.openai_base_urls = Some(vec![url])).await?;
    let user = server.add_user("Uma", "uma@example.com", "user").await?;
    assert_eq!(
        ids(&server.get_json("/api/models", &user).await?),
        Vec::<String>::new()
    );
    let shared = server
        .post_json(
            "/api/v1/models/model/access/update",
            &server.admin_token,
            &json!({"id": "open", "access_grants": [{"principal_type": "user", "principal_id": "*", "permission": "read"}]}),
        )
        .await?;
    assert_eq!(shared["access_grants"][0]["principal_id"], "*");
    assert_eq!(
        ids(&server.get_json("/api/models", &user).await?),
        vec!["open"]
    );
    assert_eq!(
        ids(&server.get_json("/api/models", &server.admin_token).await?),
        vec!["open", "private"]
    );
    // Completions follow the same rule.
    let denied = server
        .client()
        .post(server.url("/api/chat/completions"))
        .bearer_auth(&user)
        .json(&json!({"model": "private", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await?;
    assert_eq!(
        status_json(denied).await?,
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Model not found"})
        )
    );
    server.stop().await?;

    let url = fake.url.clone();
    let open = TestServer::start_with(|s| {
        s.models.openai_base_urls = Some(vec![url]);
        s.models.bypass_model_access_control = true;
    })
    .await?;
    let user = open.add_user("Uma", "uma@example.com", "user").await?;
    assert_eq!(
        ids(&open.get_json("/api/models", &user).await?),
        vec!["open", "private"]
    );
    open.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn workspace_rows_rename_hide_and_build_on_models() -> Result<()> {
    let fake = FakeUpstream::start(Flavor::OpenAi, &["base", "other"]).await?;
    let url = fake.url.clone();
    let server = TestServer::start_with(|s| s.models.openai_base_urls = Some(vec![url])).await?;
    let admin = server.admin_token.clone();
    let renamed = json!({"id": "base", "name": "Base Renamed", "meta": {"description": "d", "tags": ["t1"]}, "params": {}});
    server
        .post_json("/api/v1/models/create", &admin, &renamed)
        .await?;
    let custom = json!({
        "id": "helper", "base_model_id": "base", "name": "Helper",
        "meta": {"profile_image_url": "data:image/png;base64,AAAA"},
        "params": {"system": "You are a helper.", "temperature": 0.3}
    });
    let created = server
        .post_json("/api/v1/models/create", &admin, &custom)
        .await?;
    assert_eq!(created["params"]["system"], "You are a helper.");
    let taken = server
        .client()
        .post(server.url("/api/v1/models/create"))
        .bearer_auth(&admin)
        .json(&custom)
        .send()
        .await?;
    assert_eq!(taken.status(), StatusCode::UNAUTHORIZED);

    let list = server.get_json("/api/models", &admin).await?;
    assert_eq!(ids(&list), vec!["base", "other", "helper"]);
    let data = list["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(data[0]["name"], "Base Renamed");
    assert_eq!(data[0]["tags"], json!([{"name": "t1"}]));
    assert_eq!(data[2]["preset"], true);
    assert_eq!(
        data[2]["info"]["params"],
        json!({}),
        "the system prompt stays private"
    );
    assert!(data[2]["info"]["meta"].get("profile_image_url").is_none());

    // The custom model answers through its base, with its prompt and parameters.
    let answer = server
        .post_json(
            "/api/chat/completions",
            &admin,
            &json!({"model": "helper", "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await?;
    assert_eq!(
        answer["choices"][0]["message"]["content"],
        "Hello from fake: hi"
    );
    let sent = fake.requests_to("/v1/chat/completions");
    let body = &sent[0].body;
    assert_eq!(body["model"], "base");
    assert_eq!(body["temperature"], 0.3);
    assert_eq!(
        body["messages"][0],
        json!({"role": "system", "content": "You are a helper."})
    );

    // Switching the override off hides the provider model; deleting the row brings it back.
    let toggled = server
        .post_json("/api/v1/models/model/toggle?id=base", &admin, &json!({}))
        .await?;
    assert_eq!(toggled["is_active"], false);
    assert_eq!(
        ids(&server.get_json("/api/models", &admin).await?),
        vec!["other", "helper"]
    );
    assert_eq!(
        server
            .post_json(
                "/api/v1/models/model/delete",
                &admin,
                &json!({"id": "base"})
            )
            .await?,
        json!(true)
    );
    let list = server.get_json("/api/models", &admin).await?;
    assert_eq!(list["data"][0]["name"], "base");

    let fetched = server
        .get_json("/api/v1/models/model?id=helper", &admin)
        .await?;
    assert_eq!(fetched["write_access"], true);
    let missing = server
        .client()
        .get(server.url("/api/v1/models/model?id=nope"))
        .bearer_auth(&admin)
        .send()
        .await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let spaced = server
        .client()
        .post(server.url("/api/v1/models/create"))
        .bearer_auth(&admin)
        .json(&json!({"id": "has space", "name": "x", "meta": {}, "params": {}}))
        .send()
        .await?;
    assert_eq!(spaced.status(), StatusCode::BAD_REQUEST);
    server.stop().await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn admins_change_connections_at_runtime() -> Result<()> {
    let first = FakeUpstream::start(Flavor::OpenAi, &["first"]).await?;
    let second = FakeUpstream::start(Flavor::OpenAi, &["second"]).await?;
    let url = first.url.clone();
    let server = TestServer::start_with(|s| {
        s.providers.models_cache_ttl = Duration::from_secs(60);
        s.models.openai_base_urls = Some(vec![url]);
        s.models.openai_keys = Some(vec!["secret-key".into()]);
    })
    .await?;
    let admin = server.admin_token.clone();
    let config = server.get_json("/openai/config", &admin).await?;
    assert_eq!(config["OPENAI_API_BASE_URLS"], json!([first.url]));
    assert_eq!(config["OPENAI_API_KEYS"], json!(["secret-key"]));
    assert_eq!(
        ids(&server.get_json("/api/models", &admin).await?),
        vec!["first"]
    );

    let updated = server
        .post_json(
            "/openai/config/update",
            &admin,
            &json!({
                "ENABLE_OPENAI_API": true,
                "OPENAI_API_BASE_URLS": [first.url, second.url],
                "OPENAI_API_KEYS": [],
                "OPENAI_API_CONFIGS": {"1": {"prefix_id": "s"}, "7": {"prefix_id": "gone"}}
            }),
        )
        .await?;
    assert_eq!(updated["OPENAI_API_KEYS"], json!(["", ""]));
    assert_eq!(
        updated["OPENAI_API_CONFIGS"],
        json!({"1": {"prefix_id": "s"}})
    );
    // The cached list is dropped at once.
    assert_eq!(
        ids(&server.get_json("/api/models", &admin).await?),
        vec!["first", "s.second"]
    );

    let verified = server
        .post_json(
            "/openai/verify",
            &admin,
            &json!({"url": second.url, "key": "k"}),
        )
        .await?;
    assert_eq!(verified["data"][0]["id"], "second");
    let bad_url = server
        .client()
        .post(server.url("/openai/config/update"))
        .bearer_auth(&admin)
        .json(&json!({"OPENAI_API_BASE_URLS": ["ftp://nope"], "OPENAI_API_KEYS": [], "OPENAI_API_CONFIGS": {}}))
        .send()
        .await?;
    assert_eq!(bad_url.status(), StatusCode::BAD_REQUEST);
    let dead = dead_url().await?;
    let unreachable = server
        .client()
        .post(server.url("/openai/verify"))
        .bearer_auth(&admin)
        .json(&json!({"url": dead}))
        .send()
        .await?;
    let (status, body) = status_json(unreachable).await?;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Server Connection Error")),
        "{body}"
    );

    // Users neither read nor change connections, and never see keys.
    let user = server.add_user("Uma", "uma@example.com", "user").await?;
    for path in [
        "/openai/config",
        "/ollama/config",
        "/api/v1/configs/connections",
        "/api/v1/configs/models",
    ] {
        let response = server
            .client()
            .get(server.url(path))
            .bearer_auth(&user)
            .send()
            .await?;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let refused = server
        .client()
        .post(server.url("/openai/config/update"))
        .bearer_auth(&user)
        .json(&updated)
        .send()
        .await?;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    // Ollama connections likewise.
    let ollama = FakeUpstream::start(Flavor::Ollama, &["qwen:1b"]).await?;
    let saved = server
        .post_json(
            "/ollama/config/update",
            &admin,
            &json!({"ENABLE_OLLAMA_API": true, "OLLAMA_BASE_URLS": [ollama.url], "OLLAMA_API_CONFIGS": {"0": {"prefix_id": "o"}}}),
        )
        .await?;
    assert_eq!(saved["OLLAMA_BASE_URLS"], json!([ollama.url]));
    assert!(ids(&server.get_json("/api/models", &admin).await?).contains(&"o.qwen:1b".to_owned()));
    assert_eq!(
        server
            .post_json("/ollama/verify", &admin, &json!({"url": ollama.url}))
            .await?["version"],
        "0.5.7"
    );

    // One connection's own answers, for admins only.
    let own = server.get_json("/openai/models/1", &admin).await?;
    assert_eq!(
        own["data"][0]["id"], "second",
        "the server's own ids, without the prefix"
    );
    assert_eq!(
        server.get_json("/ollama/api/tags/0", &admin).await?["models"][0]["model"],
        "qwen:1b"
    );
    assert_eq!(
        server.get_json("/ollama/api/version/0", &admin).await?["version"],
        "0.5.7"
    );
    let openai_models = server.get_json("/openai/models", &admin).await?;
    assert_eq!(ids(&openai_models), vec!["first", "s.second"]);
    for path in [
        "/openai/models/0",
        "/ollama/api/tags/0",
        "/ollama/api/version/0",
    ] {
        let response = server
            .client()
            .get(server.url(path))
            .bearer_auth(&user)
            .send()
            .await?;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let missing = server
        .client()
        .get(server.url("/openai/models/9"))
        .bearer_auth(&admin)
        .send()
        .await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // Model defaults round-trip and order the list.
    let models_config = server
        .post_json(
            "/api/v1/configs/models",
            &admin,
            &json!({"DEFAULT_MODELS": "first", "DEFAULT_PINNED_MODELS": null, "MODEL_ORDER_LIST": ["s.second", "first"]}),
        )
        .await?;
    assert_eq!(
        models_config["MODEL_ORDER_LIST"],
        json!(["s.second", "first"])
    );
    let ordered = ids(&server.get_json("/api/models", &admin).await?);
    assert_eq!(&ordered[..2], &["s.second".to_owned(), "first".to_owned()]);
    server.stop().await
}

#[tokio::test]
async fn a_page_past_every_number_is_an_empty_page_not_a_panic() -> Result<()> {
    // Found by the fuzzing step: page × page size overflowed.
    let server = TestServer::start().await?;
    let huge = u64::MAX;
    for path in [
        format!("/api/v1/models/list?page={huge}"),
        format!("/api/v1/chats/folder/none/list?page={huge}"),
    ] {
        let response = server
            .client()
            .get(server.url(&path))
            .bearer_auth(&server.admin_token)
            .send()
            .await?;
        assert!(
            !response.status().is_server_error(),
            "{path}: {}",
            response.status()
        );
    }
    server.stop().await
}
