//! Media limits on inputs generated here (too big to keep as fixtures): image sizes in bytes,
//! image counts, PDF page counts.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use claude_preflight::FileKind;
use claude_preflight::analyze::analyze;
use claude_preflight::rules::Severity;
use claude_preflight::settings::Settings;

const MB: usize = 1024 * 1024;

/// The media family's findings (the token budget of these inputs is tests/it/context.rs's).
fn findings(text: &str) -> Vec<(&'static str, Severity, String)> {
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    analyze(text, FileKind::Json, "request.json", &settings)
        .diagnostics
        .into_iter()
        .filter(|d| d.rule.family != "context")
        .map(|d| (d.rule.name, d.severity, d.message))
        .collect()
}

/// A PNG of `bytes` bytes: a 2×2 header, then filler the size check counts but nothing reads.
fn png_of(bytes: usize) -> String {
    let mut png = b"\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR\0\0\0\x02\0\0\0\x02\x08\x06\0\0\0".to_vec();
    png.resize(bytes, 0);
    STANDARD.encode(png)
}

fn request(head: &str, content: &str) -> String {
    format!(
        r#"{{{head}"max_tokens": 16, "messages": [{{"role": "user", "content": [{content}{{"type": "text", "text": "Describe."}}]}}]}}"#
    )
}

fn image_block(data: &str) -> String {
    format!(
        r#"{{"type": "image", "source": {{"type": "base64", "media_type": "image/png", "data": "{data}"}}}},"#
    )
}

const OPUS_5: &str = r#""model": "claude-opus-5", "#;
const VERTEX: &str = r#""anthropic_version": "vertex-2023-10-16", "#;

#[test]
fn image_bytes_against_5_and_10_mb() {
    let at_5 = request(OPUS_5, &image_block(&png_of(5 * MB)));
    assert!(findings(&at_5).is_empty());

    let six = 6 * MB;
    let over_5 = findings(&request(OPUS_5, &image_block(&png_of(six)))).remove(0);
    assert_eq!(
        over_5,
        (
            "image-too-large",
            Severity::Warning,
            format!(
                "the image is {six} bytes (6.0 MB) decoded: the Claude API documents a 10 MB limit, but it answered 400 `messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: {six} bytes > 5242880 bytes` until 2026, and Bedrock and Vertex AI still do"
            )
        )
    );

    let eleven = 11 * MB;
    let over_10 = findings(&request(OPUS_5, &image_block(&png_of(eleven)))).remove(0);
    assert_eq!(over_10.0, "image-too-large");
    assert_eq!(over_10.1, Severity::Error);
    assert!(
        over_10
            .2
            .starts_with("the image is 11534336 bytes (11.0 MB) decoded, over the 10 MB (10485760 bytes) the Claude API accepts per image: it answers 400"),
        "{}",
        over_10.2
    );

    let on_vertex = findings(&request(VERTEX, &image_block(&png_of(six))));
    assert_eq!(
        on_vertex,
        [(
            "image-too-large",
            Severity::Error,
            format!(
                "the image is {six} bytes (6.0 MB) decoded, over the 5 MB Google Cloud Vertex AI accepts per image: it answers 400 `messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: {six} bytes > 5242880 bytes`"
            )
        )]
    );
}

#[test]
fn more_than_600_images() {
    let url =
        r#"{"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},"#;
    let found = findings(&request(OPUS_5, &url.repeat(601)));
    assert_eq!(
        found,
        [(
            "too-many-images",
            Severity::Error,
            "this is image 601 of 601: the API accepts at most 600 images per request, and answers 400"
                .to_owned()
        )]
    );
    assert!(findings(&request(OPUS_5, &url.repeat(600))).is_empty());
}

/// A PDF with `pages` page objects under one page tree.
fn pdf(pages: usize) -> String {
    let mut pdf = String::from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    pdf.push_str(&format!(
        "2 0 obj\n<< /Type /Pages /Count {pages} >>\nendobj\n"
    ));
    for i in 0..pages {
        pdf.push_str(&format!(
            "{} 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n",
            3 + i
        ));
    }
    STANDARD.encode(pdf)
}

fn pdf_block(pages: usize) -> String {
    format!(
        r#"{{"type": "document", "source": {{"type": "base64", "media_type": "application/pdf", "data": "{}"}}}},"#,
        pdf(pages)
    )
}

#[test]
fn more_than_600_pdf_pages_across_documents() {
    let over = format!("{}{}", pdf_block(400), pdf_block(201));
    let found = findings(&request(OPUS_5, &over));
    assert_eq!(
        found,
        [(
            "too-many-pdf-pages",
            Severity::Error,
            "the PDFs in this request have at least 601 pages (counted from their page objects), and this one takes the total past 600: the API accepts at most 600 pages per request, and answers 400"
                .to_owned()
        )]
    );
    let within = format!("{}{}", pdf_block(400), pdf_block(200));
    assert!(findings(&request(OPUS_5, &within)).is_empty());
}
