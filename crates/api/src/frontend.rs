//! Serving the Open WebUI web build: files from `FRONTEND_BUILD_DIR`, and `index.html` for
//! client-side routes (`/c/<id>`, `/auth`, `/admin/...`). Unknown `/api`, `/ws` and `/oauth`
//! paths answer a JSON 404 instead.

use crate::error::ApiError;
use actix_files::NamedFile;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::{ResponseError, web};
use std::path::{Component, Path, PathBuf};

/// Resolves a request path to a file inside `root`, refusing anything that escapes it.
fn file_for(root: &Path, request_path: &str) -> Option<PathBuf> {
    let relative = request_path.trim_start_matches('/');
    let mut path = root.to_path_buf();
    for component in Path::new(relative).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    path.is_file().then_some(path)
}

fn is_api_path(path: &str) -> bool {
    ["/api/", "/ws/", "/oauth/", "/openapi.json"]
        .iter()
        .any(|p| path.starts_with(p))
        || path == "/api"
}

/// The default service: a file of the web build, `index.html` for app routes, or a 404.
pub async fn serve(
    root: PathBuf,
    req: ServiceRequest,
) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let path = req.path().to_owned();
    let not_found = || ApiError::not_found("Not Found").error_response();
    if is_api_path(&path) || !matches!(*req.method(), Method::GET | Method::HEAD) {
        return Ok(ServiceResponse::new(req, not_found()));
    }
    let file = file_for(&root, &path).or_else(|| {
        let is_asset = Path::new(&path)
            .extension()
            .is_some_and(|ext| ext == "js" || ext == "css");
        (!is_asset)
            .then(|| root.join("index.html"))
            .filter(|index| index.is_file())
    });
    let response = match file {
        Some(file) => match web::block({
            let file = file.clone();
            move || NamedFile::open(file)
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|opened| opened)
        {
            Ok(named) => {
                let no_cache = file.ends_with("index.html");
                let mut response = named.into_response(&req);
                if no_cache {
                    response.headers_mut().insert(
                        actix_web::http::header::CACHE_CONTROL,
                        actix_web::http::header::HeaderValue::from_static("no-cache"),
                    );
                }
                response
            }
            Err(_) => not_found(),
        },
        None => not_found(),
    };
    Ok(ServiceResponse::new(req, response))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_outside_the_root() {
        let root = std::env::temp_dir();
        assert_eq!(file_for(&root, "/../etc/passwd"), None);
        assert!(is_api_path("/api/v1/nothing"));
        assert!(!is_api_path("/c/123"));
    }
}
