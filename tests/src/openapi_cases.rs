//! Every operation of a served OpenAPI document as a request a test can send, with ids of a
//! real account's resources planted in the path, query and body ([`Owned`], made by
//! [`seed`]), so that tests can sweep all routes — including ones added later — without
//! listing them: the authorization matrix, the concurrent-writers test.

use crate::TestServer;
use crate::schema_example::example;
use crate::text;
use anyhow::{Context, Result};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// The ids of one account's resources.
#[derive(Clone, Debug)]
pub struct Owned {
    /// The account.
    pub user: String,
    /// A chat with one message.
    pub chat: String,
    /// That message.
    pub message: String,
    /// The chat's share.
    pub share: String,
    /// A chat folder.
    pub folder: String,
    /// An uploaded text file.
    pub file: String,
    /// Its name.
    pub file_name: String,
    /// A knowledge base.
    pub knowledge: String,
    /// A folder in that knowledge base.
    pub dir: String,
    /// A workspace model.
    pub model: String,
}

/// Creates one of each resource, each holding `marker`.
pub async fn seed(server: &TestServer, token: &str, marker: &str) -> Result<Owned> {
    let user = text(&server.get_json("/api/v1/auths/", token).await?, "id")?;
    let message = format!("{marker}-message");
    let chat = server
        .post_json(
            "/api/v1/chats/new",
            token,
            &json!({"chat": {"title": format!("{marker} chat"), "tags": [marker],
                "history": {"currentId": message, "messages": {message.clone(): {"id": message,
                    "role": "user", "content": format!("{marker} says hello"), "childrenIds": []}}},
                "messages": [{"id": message, "role": "user", "content": format!("{marker} says hello")}]}}),
        )
        .await?;
    let chat = text(&chat, "id")?;
    let shared = server
        .post_json(&format!("/api/v1/chats/{chat}/share"), token, &json!({}))
        .await?;
    let folder = server
        .post_json(
            "/api/v1/folders/",
            token,
            &json!({"name": format!("{marker} folder")}),
        )
        .await?;
    let file_name = format!("{marker}.txt");
    let (status, file) = server
        .upload(
            token,
            &file_name,
            format!("{marker} file body").into_bytes(),
            "text/plain",
            "?process_in_background=false",
        )
        .await?;
    anyhow::ensure!(status.is_success(), "upload: {status} {file}");
    let knowledge = server
        .post_json(
            "/api/v1/knowledge/create",
            token,
            &json!({"name": format!("{marker} knowledge"), "description": marker}),
        )
        .await?;
    let knowledge = text(&knowledge, "id")?;
    let dir = server
        .post_json(
            &format!("/api/v1/knowledge/{knowledge}/dirs/create"),
            token,
            &json!({"name": format!("{marker} dir")}),
        )
        .await?;
    let model = format!("{marker}-model");
    server
        .post_json(
            "/api/v1/models/create",
            token,
            &json!({"id": model, "base_model_id": "echo", "name": format!("{marker} model"),
                "meta": {"description": marker}, "params": {"system": marker}}),
        )
        .await?;
    Ok(Owned {
        user,
        chat,
        message,
        share: text(&shared, "share_id")?,
        folder: text(&folder, "id")?,
        file: text(&file, "id")?,
        file_name,
        knowledge,
        dir: text(&dir, "id").or_else(|_| first_dir(&dir))?,
        model,
    })
}

fn first_dir(answer: &Value) -> Result<String> {
    answer["directories"][0]["id"]
        .as_str()
        .map(str::to_owned)
        .context("no directory id in the answer")
}

/// The OpenAPI document the server serves.
pub async fn served_document(server: &TestServer) -> Result<Value> {
    let response = server
        .client()
        .get(server.url("/openapi.json"))
        .send()
        .await?;
    Ok(response.error_for_status()?.json().await?)
}

/// One operation of the document.
pub struct Operation {
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/api/v1/chats/{id}`.
    pub path: String,
    /// `(in, name)` of each path parameter and required query parameter.
    pub parameters: Vec<(String, String)>,
    /// The JSON schema of the body, if it takes JSON.
    pub body: Option<Value>,
}

/// Every operation of the document, deletions last (so that the other operations still
/// find the resources they are aimed at).
pub fn operations(document: &Value) -> impl Iterator<Item = Operation> {
    let mut all: Vec<Operation> = every_operation(document).collect();
    all.sort_by_key(|o| o.method == Method::DELETE || o.path.ends_with("/delete"));
    all.into_iter()
}

fn every_operation(document: &Value) -> impl Iterator<Item = Operation> + '_ {
    let paths = document["paths"].as_object().into_iter().flatten();
    paths.flat_map(move |(path, item)| {
        let methods = item.as_object().into_iter().flatten();
        methods.filter_map(move |(method, spec)| {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).ok()?;
            let parameters = spec["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path" || p["required"] == true)
                .filter_map(|p| {
                    Some((p["in"].as_str()?.to_owned(), p["name"].as_str()?.to_owned()))
                })
                .collect();
            let body = spec["requestBody"]["content"]["application/json"]["schema"].clone();
            Some(Operation {
                method,
                path: path.clone(),
                parameters,
                body: (!body.is_null()).then_some(body),
            })
        })
    })
}

impl Operation {
    /// Whether a path parameter, or a required query parameter, names a resource.
    pub fn takes_an_id(&self) -> bool {
        !self.path.starts_with("/oauth/")
            && self
                .parameters
                .iter()
                .any(|(place, name)| place == "path" || name == "id" || name.ends_with("_id"))
    }

    /// The request with `path_ids` in the path and query and `body_ids` planted in the body.
    pub fn request(
        &self,
        server: &TestServer,
        document: &Value,
        path_ids: &Owned,
        body_ids: &Owned,
    ) -> RequestBuilder {
        let mut path = self.path.clone();
        let mut query = Vec::new();
        for (place, name) in &self.parameters {
            let value = id_for(&self.path, name, path_ids).unwrap_or_else(|| "probe".to_owned());
            if place == "path" {
                path = path.replace(&format!("{{{name}}}"), &value);
            } else {
                query.push((name.clone(), value));
            }
        }
        let mut request = server
            .client()
            .request(self.method.clone(), server.url(&path))
            .query(&query)
            .timeout(Duration::from_secs(20));
        if let Some(schema) = &self.body {
            let fill = |field: &str| body_field(&self.path, field, body_ids);
            request = request.json(&example(document, schema, &fill));
        }
        request
    }
}

/// The id a path or query parameter of `route` takes from `owned`.
fn id_for(route: &str, name: &str, owned: &Owned) -> Option<String> {
    let id = match name {
        "chat_id" => &owned.chat,
        "message_id" => &owned.message,
        "share_id" => &owned.share,
        "folder_id" => &owned.folder,
        "user_id" => &owned.user,
        "dir_id" => &owned.dir,
        "file_name" => &owned.file_name,
        "idx" => return Some("0".to_owned()),
        "id" if route.starts_with("/api/v1/chats") => &owned.chat,
        "id" if route.starts_with("/api/v1/files") => &owned.file,
        "id" if route.starts_with("/api/v1/folders") => &owned.folder,
        "id" if route.starts_with("/api/v1/knowledge") => &owned.knowledge,
        "id" if route.starts_with("/api/v1/models") => &owned.model,
        _ => return None,
    };
    Some(id.clone())
}

/// The value planted in a body field of `route` that names one of `owned`'s resources.
fn body_field(route: &str, field: &str, owned: &Owned) -> Option<Value> {
    let id = match field {
        "chat_id" => &owned.chat,
        "message_id" => &owned.message,
        "folder_id" => &owned.folder,
        "parent_id" if route.starts_with("/api/v1/folders") => &owned.folder,
        "parent_id" => &owned.message,
        "file_id" => &owned.file,
        "knowledge_id" => &owned.knowledge,
        "directory_id" | "dir_id" => &owned.dir,
        "model_id" | "model" | "base_model_id" => &owned.model,
        "share_id" => &owned.share,
        "user_id" => &owned.user,
        "file_ids" => return Some(json!([owned.file])),
        "chat_ids" => return Some(json!([owned.chat])),
        "model_ids" => return Some(json!([owned.model])),
        _ => return None,
    };
    Some(json!(id))
}

/// The status and body of a request; a timeout reads as 408.
pub async fn answer(request: RequestBuilder) -> (StatusCode, String) {
    match request.send().await {
        Ok(response) => {
            let status = response.status();
            (status, response.text().await.unwrap_or_default())
        }
        Err(error) => (StatusCode::REQUEST_TIMEOUT, error.to_string()),
    }
}
