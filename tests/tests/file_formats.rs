//! Text extraction through a real server, one upload per format the issue names: plain text,
//! Markdown, source code, CSV, JSON, HTML, PDF (per page), Word, PowerPoint and Excel; images
//! are stored and served but not extracted.

use anyhow::Result;
use hearth_extract::{sample_docx, sample_pdf, sample_pptx, sample_xlsx};
use hearth_tests::{TestServer, text};
use reqwest::StatusCode;

const NOW: &str = "?process_in_background=false";

/// Uploads and returns the extracted text (the upload must complete).
async fn extracted(
    server: &TestServer,
    name: &str,
    bytes: Vec<u8>,
    content_type: &str,
) -> Result<String> {
    let (status, file) = server
        .upload(&server.admin_token, name, bytes, content_type, NOW)
        .await?;
    assert_eq!(status, StatusCode::OK, "{name}: {file}");
    assert_eq!(file["data"]["status"], "completed", "{name}: {file}");
    text(&file["data"], "content")
}

#[tokio::test]
async fn text_formats() -> Result<()> {
    let server = TestServer::start().await?;
    let plain = extracted(&server, "a.txt", "héllo wörld".into(), "text/plain").await?;
    assert_eq!(plain, "héllo wörld");
    let markdown = extracted(
        &server,
        "r.md",
        b"# Title\n\nBody *text*".to_vec(),
        "text/markdown",
    )
    .await?;
    assert!(markdown.contains("# Title") && markdown.contains("Body *text*"));
    let code = extracted(
        &server,
        "main.rs",
        b"fn main() { println!(\"hi\"); }".to_vec(),
        "application/octet-stream",
    )
    .await?;
    assert!(code.contains("fn main()"));
    let ts = extracted(
        &server,
        "app.ts",
        b"export const x: number = 1;".to_vec(),
        "video/mp2t",
    )
    .await?;
    assert!(ts.contains("export const x"));
    let csv = extracted(
        &server,
        "t.csv",
        b"name,age\nAda,36\nAlan,41\n".to_vec(),
        "text/csv",
    )
    .await?;
    assert!(
        csv.contains("name: Ada\nage: 36") && csv.contains("name: Alan\nage: 41"),
        "{csv}"
    );
    let json = extracted(
        &server,
        "d.json",
        br#"{"key": "value"}"#.to_vec(),
        "application/json",
    )
    .await?;
    assert!(json.contains("\"key\"") && json.contains("value"));
    let html = "<html><head><style>p{}</style><script>alert(1)</script></head><body><p>Fish &amp; chips</p></body></html>";
    let html = extracted(&server, "p.html", html.into(), "text/html").await?;
    assert!(
        html.contains("Fish & chips") && !html.contains("alert") && !html.contains("<p>"),
        "{html}"
    );
    let latin1 = extracted(
        &server,
        "old.txt",
        vec![b'c', b'a', b'f', 0xe9],
        "text/plain",
    )
    .await?;
    assert_eq!(latin1, "café");
    server.stop().await
}

#[tokio::test]
async fn document_formats() -> Result<()> {
    let server = TestServer::start().await?;
    let pdf = extracted(
        &server,
        "p.pdf",
        sample_pdf(&["Page one text", "Page two text", "Page three"]),
        "application/pdf",
    )
    .await?;
    let one = pdf.find("Page one text");
    let two = pdf.find("Page two text");
    assert!(
        one.is_some() && two.is_some() && one < two && pdf.contains("Page three"),
        "{pdf}"
    );
    let docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let docx = extracted(
        &server,
        "w.docx",
        sample_docx(&["First paragraph", "Second paragraph"]),
        docx_type,
    )
    .await?;
    assert!(
        docx.contains("First paragraph") && docx.contains("Second paragraph"),
        "{docx}"
    );
    let pptx_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    let pptx = extracted(
        &server,
        "s.pptx",
        sample_pptx(&["Slide A title", "Slide B body"]),
        pptx_type,
    )
    .await?;
    assert!(
        pptx.find("Slide A title") < pptx.find("Slide B body") && pptx.contains("Slide B body"),
        "{pptx}"
    );
    let xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let rows: &[&[&str]] = &[&["city", "people"], &["Oslo", "709000"]];
    let xlsx = extracted(&server, "x.xlsx", sample_xlsx(rows), xlsx_type).await?;
    assert!(
        xlsx.contains("Oslo") && xlsx.contains("709000") && xlsx.contains("people"),
        "{xlsx}"
    );
    server.stop().await
}

#[tokio::test]
async fn images_are_kept_and_served_but_not_extracted() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), &[0; 32]].concat();
    let (_, file) = server
        .upload(&token, "pic.png", png.clone(), "image/png", NOW)
        .await?;
    assert_eq!(file["data"]["status"], "failed");
    assert_eq!(
        file["data"]["error"],
        "File type image/png is not supported for processing"
    );
    let id = text(&file, "id")?;
    let response = server
        .client()
        .get(server.url(&format!("/api/v1/files/{id}/content")))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(response.headers()["content-type"], "image/png");
    assert!(
        response.headers()["content-disposition"]
            .to_str()?
            .starts_with("attachment;")
    );
    assert_eq!(response.bytes().await?.to_vec(), png);
    let (_, plain) = server
        .upload(&token, "pic.png", png, "image/png", "?process=false")
        .await?;
    assert!(
        plain.get("status").is_none() && plain["data"].get("status").is_none(),
        "{plain}"
    );
    server.stop().await
}

#[tokio::test]
async fn html_and_svg_never_render_in_the_api_origin() -> Result<()> {
    let server = TestServer::start().await?;
    let token = server.admin_token.clone();
    for (name, kind) in [("x.html", "text/html"), ("x.svg", "image/svg+xml")] {
        let body =
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
        let (_, file) = server
            .upload(&token, name, body, kind, "?process=false")
            .await?;
        let id = text(&file, "id")?;
        let response = server
            .client()
            .get(server.url(&format!("/api/v1/files/{id}/content")))
            .bearer_auth(&token)
            .send()
            .await?;
        let headers = response.headers();
        assert!(
            headers["content-disposition"]
                .to_str()?
                .starts_with("attachment;"),
            "{name}"
        );
        assert_eq!(headers["content-security-policy"], "sandbox", "{name}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{name}");
    }
    server.stop().await
}
