//! Every route the server registers is described in the OpenAPI document, and every
//! documented operation is routed. The route list comes from actix-web's own introspection
//! of the real route table, so a route added without documentation fails this test.

use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::introspection::IntrospectionTree;
use actix_web::{App, HttpResponse, test, web};
use anyhow::Result;
use hearth_tests::{TestServer, json_ok};
use serde_json::Value;
use std::collections::BTreeSet;
use utoipa_actix_web::AppExt;

/// `(METHOD, path)` pairs registered in the actix route table.
async fn registered_routes() -> Result<BTreeSet<(String, String)>> {
    let app = App::new()
        .into_utoipa_app()
        .configure(hearth_api::routes::configure)
        .into_app()
        .default_service(fn_service(|req: ServiceRequest| async move {
            let report = req
                .app_data::<web::Data<IntrospectionTree>>()
                .map(|tree| tree.report_as_json())
                .unwrap_or_default();
            Ok::<_, actix_web::Error>(req.into_response(HttpResponse::Ok().body(report)))
        }));
    let service = test::init_service(app).await;
    let response: ServiceResponse = test::call_service(
        &service,
        test::TestRequest::get().uri("/__routes__").to_request(),
    )
    .await;
    let report: Value = serde_json::from_slice(&test::read_body(response).await)?;
    let mut routes = BTreeSet::new();
    for item in report.as_array().into_iter().flatten() {
        let path = item["full_path"].as_str().unwrap_or_default().to_owned();
        for method in item["methods"].as_array().into_iter().flatten() {
            routes.insert((method.as_str().unwrap_or_default().to_owned(), path.clone()));
        }
    }
    Ok(routes)
}

fn documented_operations(document: &Value) -> BTreeSet<(String, String)> {
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for method in item.as_object().into_iter().flatten().map(|(m, _)| m) {
            operations.insert((method.to_uppercase(), path.clone()));
        }
    }
    operations
}

#[actix_web::test]
async fn every_registered_route_is_documented_and_vice_versa() -> Result<()> {
    let registered = registered_routes().await?;
    assert!(
        registered.len() > 30,
        "introspection found too few routes: {registered:?}"
    );
    assert!(
        registered.contains(&("DELETE".to_owned(), "/api/v1/users/{user_id}".to_owned())),
        "{registered:?}"
    );
    let document = serde_json::to_value(hearth_api::openapi())?;
    let documented = documented_operations(&document);
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&registered).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from /openapi.json: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "documented but not routed: {unrouted:?}"
    );
    Ok(())
}

#[tokio::test]
async fn the_served_document_and_docs_page() -> Result<()> {
    let server = TestServer::start().await?;
    let served: Value = json_ok(
        server
            .client()
            .get(server.url("/openapi.json"))
            .send()
            .await?,
    )
    .await?;
    assert!(
        served["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3."))
    );
    assert_eq!(served, serde_json::to_value(hearth_api::openapi())?);
    let docs = server.client().get(server.url("/docs")).send().await?;
    assert!(
        docs.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
    );
    assert!(docs.text().await?.contains("/openapi.json"));
    server.stop().await
}
