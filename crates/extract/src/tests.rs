use super::*;

fn run(bytes: &[u8], name: &str, ct: Option<&str>) -> Result<Extracted, ExtractError> {
    extract(bytes, name, ct, &Limits::default())
}

#[test]
fn ts_sent_as_video_is_text() {
    let src = b"export const x: number = 1;\n";
    assert_eq!(kind_of("main.ts", Some("video/mp2t"), src), Kind::Text);
    assert_eq!(
        run(src, "main.ts", Some("video/mp2t")).unwrap().text(),
        "export const x: number = 1;\n"
    );
    // A real MPEG transport stream starts with sync bytes and has NULs.
    let ts = [0x47u8, 0x40, 0x00, 0x10, 0x00, 0x00, 0xB0];
    assert_eq!(kind_of("clip.ts", Some("video/mp2t"), &ts), Kind::Video);
}

#[test]
fn kinds_from_names_types_and_magic() {
    assert_eq!(kind_of("a.md", None, b"# hi"), Kind::Markdown);
    assert_eq!(kind_of("a.csv", Some("text/csv"), b"a,b"), Kind::Csv);
    assert_eq!(kind_of("a.HTML", None, b"<p>"), Kind::Html);
    assert_eq!(
        kind_of("page", Some("text/html; charset=utf-8"), b"<p>"),
        Kind::Html
    );
    assert_eq!(kind_of("Dockerfile", None, b"FROM x"), Kind::Text);
    assert_eq!(
        kind_of("data.json", Some("application/json"), b"{}"),
        Kind::Json
    );
    assert_eq!(
        kind_of("x.png", Some("image/png"), b"\x89PNG\r\n\x1a\n\0\0"),
        Kind::Image
    );
    assert_eq!(kind_of("x.png", None, b""), Kind::Image);
    assert_eq!(kind_of("song.mp3", None, b"ID3\x03\0"), Kind::Audio);
    assert_eq!(kind_of("a.bin", None, b"\0\x01\x02"), Kind::Other);
    assert_eq!(kind_of("notes.weird", None, b"plain words"), Kind::Text);
}

#[test]
fn magic_numbers_win_over_names_and_types() {
    assert_eq!(
        kind_of("report.docx", Some(docx_type()), b"%PDF-1.7\n"),
        Kind::Pdf
    );
    let docx = sample_docx(&["x"]);
    assert_eq!(
        kind_of("report.pdf", Some("application/pdf"), &docx),
        Kind::Docx
    );
    assert_eq!(kind_of("upload", None, &sample_pptx(&["s"])), Kind::Pptx);
    assert_eq!(
        kind_of("upload.bin", None, &sample_xlsx(&[&["a"]])),
        Kind::Xlsx
    );
    assert_eq!(kind_of("deck.pptx", None, b""), Kind::Pptx);
    assert_eq!(kind_of("export.xls", None, b"a\tb\n1\t2\n"), Kind::Text);
    assert_eq!(kind_of("broken.pdf", None, b"no magic here"), Kind::Pdf);
    assert_eq!(
        kind_of("sheet.xls", None, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0"),
        Kind::Xlsx
    );
    assert_eq!(
        kind_of("old.doc", None, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0"),
        Kind::Other
    );
}

fn docx_type() -> &'static str {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
}

#[test]
fn image_error_is_open_webui_text() {
    let err = run(
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        "cat.png",
        Some("image/png"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "File type image/png is not supported for processing"
    );
    let err = run(b"\xFF\xD8\xFF\xE0\0\x10JFIF", "cat.jpg", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "File type image/jpeg is not supported for processing"
    );
    let err = run(b"\0\0\0\x18ftypmp42", "v.mp4", Some("video/mp4")).unwrap_err();
    assert!(matches!(err, ExtractError::UnsupportedMedia { .. }));
}

#[test]
fn binary_of_unknown_type_is_refused() {
    let err = run(b"\x7fELF\x02\x01\x01\0\0", "a.out", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "File type of a.out is not supported for processing"
    );
}

#[test]
fn text_encodings() {
    assert_eq!(
        run(b"na\xEFve caf\xE9", "a.txt", Some("text/plain"))
            .unwrap()
            .text(),
        "naïve café"
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("Grüße, 世界".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(kind_of("u.txt", None, &utf16), Kind::Text);
    assert_eq!(run(&utf16, "u.txt", None).unwrap().pages, ["Grüße, 世界"]);
    assert_eq!(
        run(b"\xEF\xBB\xBF# T\n", "r.md", None).unwrap().text(),
        "# T\n"
    );
}

#[test]
fn csv_rows() {
    let out = run(
        b"city,pop\nParis,2.1M\nLyon,0.5M\n",
        "c.csv",
        Some("text/csv"),
    )
    .unwrap();
    assert_eq!(out.pages, ["city: Paris\npop: 2.1M\ncity: Lyon\npop: 0.5M"]);
    let latin1 = run(b"nom\nJos\xE9\n", "l.csv", None).unwrap();
    assert_eq!(latin1.text(), "nom: José");
}

#[test]
fn html_visible_text() {
    let html = b"<html><head><style>b{}</style><script>alert(1)</script></head>\
        <body><h1>Title</h1><p>Fish &amp; chips &#8364;5</p></body></html>";
    let out = run(html, "p.html", Some("text/html")).unwrap();
    assert_eq!(out.text(), "Title\nFish & chips €5");
}

#[test]
fn pdf_pages_and_join() {
    let pdf = sample_pdf(&["Alpha page", "Beta page"]);
    let out = run(&pdf, "doc.pdf", Some("application/pdf")).unwrap();
    assert_eq!(out.pages, ["Alpha page", "Beta page"]);
    assert_eq!(out.text(), "Alpha page Beta page");
    let err = run(&pdf[..pdf.len() / 4], "doc.pdf", Some("application/pdf")).unwrap_err();
    assert!(err.to_string().starts_with("Could not read PDF"), "{err}");
}

#[test]
fn office_documents() {
    let docx = run(&sample_docx(&["One", "Two"]), "d.docx", Some(docx_type())).unwrap();
    assert_eq!(docx.pages, ["One\nTwo"]);
    let pptx = run(&sample_pptx(&["First", "Second\nmore"]), "p.pptx", None).unwrap();
    assert_eq!(pptx.pages, ["First", "Second\nmore"]);
    let rows: &[&[&str]] = &[
        &["name", "qty"],
        &["apple", "3"],
        &["pear", "", "x"],
        &["", "2.5"],
    ];
    let xlsx = run(&sample_xlsx(rows), "s.xlsx", None).unwrap();
    assert_eq!(
        xlsx.pages,
        ["Sheet: Sheet1\nname\tqty\napple\t3\npear\t\tx\n\t2.5"]
    );
}

#[test]
fn corrupt_office_files_are_errors() {
    let mut docx = sample_docx(&["x"]);
    docx.truncate(docx.len() / 2);
    assert!(run(&docx, "d.docx", None).is_err());
    let mut xlsx = sample_xlsx(&[&["a"]]);
    xlsx.truncate(xlsx.len() - 30);
    let err = run(&xlsx, "s.xlsx", None).unwrap_err();
    assert!(!err.to_string().is_empty());
}

#[test]
fn limits() {
    let small = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    let err = extract(b"0123456789AB", "a.txt", None, &small).unwrap_err();
    assert_eq!(
        err.to_string(),
        "File is too large: 12 bytes, the limit is 10 bytes"
    );
    let few_chars = Limits {
        max_chars: 5,
        ..Limits::default()
    };
    let err = extract(b"abcdef", "a.txt", None, &few_chars).unwrap_err();
    assert_eq!(err.to_string(), "Extracted text has more than 5 characters");
    assert!(extract(b"abcde", "a.txt", None, &few_chars).is_ok());
    let pdf = sample_pdf(&["a", "b", "c"]);
    let err = extract(
        &pdf,
        "x.pdf",
        None,
        &Limits {
            max_pages: 1,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert!(matches!(
        err,
        ExtractError::TooManyPages { pages: 3, limit: 1 }
    ));
}

/// Flips bytes of valid documents; extraction must return (Ok or Err), never panic or hang.
#[test]
fn mutated_documents_never_panic() {
    let rows: &[&[&str]] = &[&["a", "1"], &["b", "2"]];
    let samples: [(&str, Vec<u8>); 4] = [
        ("m.pdf", sample_pdf(&["Hello world", "Second page"])),
        ("m.docx", sample_docx(&["Hello", "World"])),
        ("m.pptx", sample_pptx(&["One", "Two"])),
        ("m.xlsx", sample_xlsx(rows)),
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (name, bytes) in &samples {
        for _ in 0..60 {
            let mut mutated = bytes.clone();
            for _ in 0..1 + next() % 8 {
                let at = usize::try_from(next() % bytes.len() as u64).unwrap();
                mutated[at] = u8::try_from(next() % 256).unwrap();
            }
            let cut = mutated.len() - usize::try_from(next() % 64).unwrap();
            let _ = run(&mutated[..cut], name, None);
        }
    }
}
