//! Document blocks: the source's media type against the bytes, the document an assistant turn
//! may not hold in the API versions that removed it, and the PDF pages per request.

use serde_json::json;

use super::data::check_data;
use super::images::format_name;
use super::{
    ASSISTANT_DOCUMENT, TOO_MANY_PDF_PAGES, UNSUPPORTED_DOCUMENT_TYPE, base64_path,
    check_source_platform, report_for_version,
};
use crate::facts::api::{self, Change};
use crate::fix::{Edit, Fix};
use crate::media::image::{self, Sniffed};
use crate::media::pdf;
use crate::rules::conversation::{Block, block_kind};
use crate::rules::{Context, Sink};
use crate::syntax::Node;
use crate::words;

/// A PDF and its page-count estimate.
pub(super) struct Pdf<'a> {
    data: &'a Node,
    pages: u64,
}

/// Checks one document block; returns its PDF when its pages were counted.
pub(super) fn check_document<'a>(
    ctx: &Context<'_>,
    block: &'a Block<'a>,
    sink: &mut Sink<'_>,
) -> Option<Pdf<'a>> {
    if block.role() == Some("assistant") && block.parent.is_none() {
        let node = block.node;
        report_for_version(
            ctx,
            (&ASSISTANT_DOCUMENT, Change::AssistantDocuments),
            node.get("type").map_or(node.range, |t| t.range),
            "a `document` block in an assistant message",
            None,
            sink,
        );
    }
    let source = block.node.get("source")?;
    let kind = block_kind(source)?;
    let media_type = source.get("media_type");
    match kind {
        "text" => {
            let node = media_type?;
            let declared = node.as_str()?;
            if declared != "text/plain" {
                sink.report_fix(
                    &UNSUPPORTED_DOCUMENT_TYPE,
                    node.range,
                    format!(
                        "a `text` document source takes only `text/plain` (the API reads the data as plain text whatever it is): it answers 400 `{}: Input should be 'text/plain'`",
                        ctx.payload.api_path(&format!("{}.source.text.media_type", block.schema_path()))
                    ),
                    Some(Fix::safe(
                        "Write `text/plain`",
                        vec![Edit::replace_value(node, json!("text/plain"))],
                    )),
                );
            }
            None
        }
        "base64" => check_base64_document(ctx, block, source, sink),
        "url" | "file" => {
            check_source_platform(ctx, source, kind, "PDFs", sink);
            None
        }
        _ => None,
    }
}

/// Checks a base64 document source; returns its PDF when its pages are to be counted.
fn check_base64_document<'a>(
    ctx: &Context<'_>,
    block: &Block<'a>,
    source: &'a Node,
    sink: &mut Sink<'_>,
) -> Option<Pdf<'a>> {
    let data = source.get("data")?;
    let encoded = check_data(data, data.as_str()?, sink)?;
    let sniffed = image::sniff(&encoded.head(image::SNIFF_LEN));
    let is_pdf = matches!(sniffed, Sniffed::Other(what) if what.contains("PDF"));
    let media_type = source.get("media_type")?;
    let declared = media_type.as_str()?;
    let path = base64_path(ctx, block);
    if declared != "application/pdf" {
        let fix = (is_pdf || declared.eq_ignore_ascii_case("application/pdf")).then(|| {
            Fix::safe(
                "Write `application/pdf`",
                vec![Edit::replace_value(media_type, json!("application/pdf"))],
            )
        });
        let hint = match declared {
            "text/plain" => {
                "; plain text goes in a `text` source: `{\"type\": \"text\", \"media_type\": \"text/plain\", \"data\": \"...\"}`"
            }
            d if d.contains("officedocument") || d.contains("msword") || d.contains("ms-excel") => {
                "; Word and Excel files are not supported: convert them to PDF or text"
            }
            _ => "",
        };
        sink.report_fix(
            &UNSUPPORTED_DOCUMENT_TYPE,
            media_type.range,
            format!(
                "a base64 document source takes only `application/pdf`{hint}: the API answers 400 `{path}.media_type: Input should be 'application/pdf'`"
            ),
            fix,
        );
        return None;
    }
    if let Sniffed::Image(format) = sniffed {
        sink.report(
            &UNSUPPORTED_DOCUMENT_TYPE,
            media_type.range,
            format!(
                "the data is {} image, not a PDF: the API cannot read it as a document and answers 400; an image goes in an `image` block",
                format_name(format)
            ),
        );
        return None;
    }
    if !sink.enabled(&TOO_MANY_PDF_PAGES) {
        return None;
    }
    Some(Pdf {
        data,
        pages: pdf::count_pages(encoded.chunks()),
    })
}

/// Reports the PDF that takes the request's page total past the limit.
pub(super) fn check_pages(ctx: &Context<'_>, pdfs: &[Pdf<'_>], sink: &mut Sink<'_>) {
    let facts = &api::limits().pdfs;
    let small = ctx
        .model
        .filter(|m| m.context_window < facts.small_window_below_tokens);
    let limit = if small.is_some() {
        facts.max_pages_small_window
    } else {
        facts.max_pages
    };
    let total: u64 = pdfs.iter().map(|p| p.pages).sum();
    if total <= limit {
        return;
    }
    let mut running = 0;
    let Some(over) = pdfs.iter().find(|p| {
        running += p.pages;
        running > limit
    }) else {
        return;
    };
    let answer = if small.is_some() {
        format!("400 `A maximum of {limit} PDF pages may be provided.`")
    } else {
        "400".to_owned()
    };
    sink.report(
        &TOO_MANY_PDF_PAGES,
        over.data.range,
        format!(
            "the PDFs in this request have at least {total} pages (counted from their page objects), and this one takes the total past {limit}: the API accepts at most {limit} pages per request{}, and answers {answer}",
            small
                .map(|m| format!(
                    " on a model with a context window under {} tokens ({})",
                    words::short_count(facts.small_window_below_tokens),
                    m.id
                ))
                .unwrap_or_default()
        ),
    );
}
