//! The OpenAPI document (`/openapi.json`) and a Swagger UI page (`/docs`), as FastAPI serves them.

use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the documentation endpoints.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(openapi_json).service(docs);
}

/// The OpenAPI 3 description of every route.
#[utoipa::path(tag = "system", responses((status = 200, body = Object)))]
#[get("/openapi.json")]
pub async fn openapi_json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(state.openapi_json.clone())
}

const DOCS_PAGE: &str = r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Hearth API</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
</script>
</body>
</html>
"##;

/// Interactive API documentation (Swagger UI, loaded from a CDN like FastAPI's `/docs`).
#[utoipa::path(tag = "system", responses((status = 200, content_type = "text/html", description = "HTML page")))]
#[get("/docs")]
pub async fn docs() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(DOCS_PAGE)
}
