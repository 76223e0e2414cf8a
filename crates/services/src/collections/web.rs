//! Web pages into a collection (`/process/url`, `/process/web`): the page is fetched through
//! the outbound policy (see `hearth_domain::outbound`), its text extracted and, unless asked
//! not to, indexed into the named collection (the caller must be able to add to it) or one
//! named by the URL's SHA-256.

use super::access::check;
use super::dto::{ProcessUrlForm, ProcessUrlParams, ProcessedUrl};
use super::process::sha256_hex;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::retrieval::{Replace, index_text};
use hearth_domain::User;
use hearth_domain::ports::WebFetchError;
use hearth_domain::text::strip_nul;
use serde_json::{Map, Value, json};

/// Open WebUI's answer to a URL it will not fetch.
pub const INVALID_URL: &str = "The URL you provided is invalid. Please double-check and try again.";

/// A page read and (unless `process` is off) indexed: the answer of `/process/url`.
pub async fn process_url(
    app: &App,
    user: &User,
    form: ProcessUrlForm,
    params: &ProcessUrlParams,
) -> ServiceResult<ProcessedUrl> {
    let url = form.url.trim().to_owned();
    let content = page_text(app, &url).await?;
    let collection_name = if params.process {
        index(
            app,
            user,
            &url,
            form.collection_name,
            &content,
            params.overwrite,
        )
        .await?
    } else {
        None
    };
    Ok(ProcessedUrl {
        status: true,
        kind: "web".into(),
        name: url.clone(),
        url,
        collection_name,
        content,
    })
}

/// The same for `/process/web`, in its own shape (the page as a file-like record).
pub async fn process_web(
    app: &App,
    user: &User,
    form: ProcessUrlForm,
    params: &ProcessUrlParams,
) -> ServiceResult<Value> {
    let processed = process_url(app, user, form, params).await?;
    if !params.process {
        return Ok(json!({"status": true, "content": processed.content}));
    }
    Ok(json!({
        "status": true,
        "collection_name": processed.collection_name,
        "filename": processed.url,
        "content": processed.content,
        "file": {"data": {"content": processed.content},
                 "meta": {"name": processed.url, "source": processed.url}},
    }))
}

/// The text of the page at `url`.
async fn page_text(app: &App, url: &str) -> ServiceResult<String> {
    let unreadable =
        || ServiceError::invalid(format!("[ERROR: Could not read content from {url}]"));
    let page = app
        .retrieval
        .web
        .fetch(url)
        .await
        .map_err(|error| match error {
            WebFetchError::Refused(_) => ServiceError::invalid(INVALID_URL),
            WebFetchError::TooLarge(max) => ServiceError::invalid(format!(
                "[ERROR: The page at {url} is larger than {max} bytes]"
            )),
            WebFetchError::Failed(reason) => {
                tracing::info!(%reason, "fetching a page failed");
                unreadable()
            }
        })?;
    let content_type = page.content_type.as_deref().unwrap_or("text/html");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !(essence.starts_with("text/") || essence == "application/xhtml+xml" || essence.is_empty()) {
        return Err(ServiceError::invalid(format!(
            "[ERROR: {url} is not a web page ({essence}); download it and upload the file instead]"
        )));
    }
    let name = if essence == "text/plain" {
        "page.txt"
    } else {
        "page.html"
    };
    let extracted = app
        .files
        .extractor
        .extract(page.bytes, name, Some(&essence))
        .await
        .map_err(|_| unreadable())?;
    let text = strip_nul(extracted.text().trim());
    if text.is_empty() {
        return Err(unreadable());
    }
    Ok(text)
}

/// Indexes the page's text; the collection it went to (`None` when embedding is off).
async fn index(
    app: &App,
    user: &User,
    url: &str,
    named: Option<String>,
    content: &str,
    overwrite: bool,
) -> ServiceResult<Option<String>> {
    let collection = match named.filter(|name| !name.is_empty()) {
        Some(name) => {
            check(app, user, &name, true).await?;
            name
        }
        None => sha256_hex(url)[..63].to_owned(),
    };
    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::from(url));
    metadata.insert("source".into(), Value::from(url));
    metadata.insert("created_by".into(), Value::from(user.id.as_str()));
    let replace = if overwrite {
        Replace::Collection
    } else {
        Replace::Nothing
    };
    let chunks = index_text(app, &collection, content, metadata, replace)
        .await
        .map_err(ServiceError::invalid)?;
    Ok((chunks > 0).then_some(collection))
}
