//! LDAP sign-in against a real OpenLDAP `slapd` with a test directory: a token only after the
//! directory accepted the user's own password, the account created on first sign-in and found by
//! email afterwards, and every refusal a 400 that creates nobody.

use anyhow::Result;
use hearth_tests::ldap_server::LdapServer;
use hearth_tests::{TestServer, json_ok, status_json, text};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn server_for(ldap: &LdapServer) -> Result<TestServer> {
    let port = ldap.port;
    let use_tls = ldap.ca_file.is_some();
    TestServer::start_with(move |s| {
        s.config = vec![
            ("ldap.enable".into(), json!(true)),
            ("ldap.server.host".into(), json!("127.0.0.1")),
            ("ldap.server.port".into(), json!(port)),
            ("ldap.server.use_tls".into(), json!(use_tls)),
            ("ldap.server.app_dn".into(), json!(LdapServer::APP_DN)),
            (
                "ldap.server.app_password".into(),
                json!(LdapServer::APP_PASSWORD),
            ),
            ("ldap.server.users_dn".into(), json!(LdapServer::USERS_DN)),
        ];
    })
    .await
}

async fn ldap_signin(
    server: &TestServer,
    user: &str,
    password: &str,
) -> Result<(StatusCode, Value)> {
    let response = server
        .client()
        .post(server.url("/api/v1/auths/ldap"))
        .json(&json!({"user": user, "password": password}))
        .send()
        .await?;
    status_json(response).await
}

async fn emails(server: &TestServer) -> Result<Vec<String>> {
    let users = server
        .get_json("/api/v1/users/?page=1", &server.admin_token)
        .await?;
    Ok(users["users"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["email"].as_str().map(str::to_owned))
        .collect())
}

#[tokio::test]
async fn directory_users_sign_in_only_with_their_own_password() -> Result<()> {
    let ldap = LdapServer::start().await?;
    let server = server_for(&ldap).await?;

    for (user, password, detail) in [
        ("alice", "wrong-pass", "Authentication failed."),
        ("alice", "", "incorrect"),
        ("nobody", "whatever", "User not found in the LDAP server"),
        (
            "nomail",
            "nomail-pass",
            "User does not have a valid email address.",
        ),
        ("*", "alice-pass", "User not found in the LDAP server"),
    ] {
        let (status, body) = ldap_signin(&server, user, password).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{user}/{password}: {body}");
        assert!(
            body["detail"].as_str().is_some_and(|d| d.contains(detail)),
            "{user}/{password}: {body}"
        );
        assert!(body.get("token").is_none());
    }
    assert!(
        !emails(&server)
            .await?
            .contains(&"alice@hearth.test".to_owned()),
        "a refused sign-in creates no account"
    );

    let (status, session) = ldap_signin(&server, "Alice", "alice-pass").await?;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["email"], "alice@hearth.test");
    assert_eq!(session["name"], "Alice Liddell");
    assert_eq!(
        session["role"], "pending",
        "later sign-ups get the default role"
    );
    let token = text(&session, "token")?;
    let me = json_ok(
        server
            .client()
            .get(server.url("/api/v1/auths/"))
            .bearer_auth(&token)
            .send()
            .await?,
    )
    .await?;
    assert_eq!(me["id"], session["id"]);

    let (_, again) = ldap_signin(&server, "alice", "alice-pass").await?;
    assert_eq!(again["id"], session["id"], "found by email the second time");
    server.stop().await
}

#[tokio::test]
async fn ldap_is_refused_when_off_and_its_settings_are_checked() -> Result<()> {
    let ldap = LdapServer::start().await?;
    let server = server_for(&ldap).await?;
    let admin = &server.admin_token;
    let off = server
        .post_json(
            "/api/v1/auths/admin/config/ldap",
            admin,
            &json!({"enable_ldap": false}),
        )
        .await?;
    assert_eq!(off["ENABLE_LDAP"], false);
    let (status, body) = ldap_signin(&server, "alice", "alice-pass").await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["detail"], "LDAP authentication is not enabled");

    let response = server
        .client()
        .post(server.url("/api/v1/auths/admin/config/ldap/server"))
        .bearer_auth(admin)
        .json(
            &json!({"label": "Directory", "host": "", "attribute_for_mail": "mail",
                      "attribute_for_username": "uid", "search_base": LdapServer::USERS_DN}),
        )
        .send()
        .await?;
    let (status, body) = status_json(response).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("host")));

    let saved = server
        .post_json(
            "/api/v1/auths/admin/config/ldap/server",
            admin,
            &json!({"label": "Directory", "host": "127.0.0.1", "port": ldap.port.to_string(),
                    "attribute_for_mail": "mail", "attribute_for_username": "uid",
                    "search_base": LdapServer::USERS_DN, "app_dn": LdapServer::APP_DN,
                    "app_dn_password": LdapServer::APP_PASSWORD, "use_tls": false}),
        )
        .await?;
    assert_eq!(saved["port"], ldap.port);
    server
        .post_json(
            "/api/v1/auths/admin/config/ldap",
            admin,
            &json!({"enable_ldap": true}),
        )
        .await?;
    let (status, body) = ldap_signin(&server, "alice", "alice-pass").await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.stop().await
}

#[tokio::test]
async fn ldap_over_tls_trusts_only_certificates_it_can_verify() -> Result<()> {
    let ldap = LdapServer::start_tls().await?;
    let ca_file = ldap
        .ca_file
        .as_ref()
        .and_then(|p| p.to_str())
        .map(str::to_owned)
        .unwrap_or_default();
    let port = ldap.port;
    let server = server_for(&ldap).await?;
    // The server's authority is unknown to the system: the connection is refused.
    let (status, body) = ldap_signin(&server, "alice", "alice-pass").await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("could not be reached")),
        "{body}"
    );
    assert!(
        !emails(&server)
            .await?
            .contains(&"alice@hearth.test".to_owned())
    );

    let form = |ca: &str, validate: bool| {
        json!({
            "label": "Directory", "host": "127.0.0.1", "port": port.to_string(),
            "attribute_for_mail": "mail", "attribute_for_username": "uid",
            "search_base": LdapServer::USERS_DN, "app_dn": LdapServer::APP_DN,
            "app_dn_password": LdapServer::APP_PASSWORD, "use_tls": true,
            "certificate_path": ca, "validate_cert": validate,
        })
    };
    // With the authority's certificate file, the password is checked over TLS.
    let path = "/api/v1/auths/admin/config/ldap/server";
    server
        .post_json(path, &server.admin_token, &form(&ca_file, true))
        .await?;
    let (status, body) = ldap_signin(&server, "alice", "wrong-pass").await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["detail"], "Authentication failed.");
    let (status, body) = ldap_signin(&server, "alice", "alice-pass").await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["email"], "alice@hearth.test");

    // Validation off: any certificate is accepted (Open WebUI's LDAP_VALIDATE_CERT=false).
    server
        .post_json(path, &server.admin_token, &form("", false))
        .await?;
    let (status, body) = ldap_signin(&server, "alice", "alice-pass").await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.stop().await
}
