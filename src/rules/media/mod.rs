//! Images and documents (reference §2.2, §8.2, §8.3): media types against the bytes, base64
//! that does not decode, sizes, dimensions and counts, sources a platform does not take, PDF
//! pages, and the citation and document rules of the API versions that removed them
//! (`data/api.toml`).
//!
//! Bodies are mostly base64, and this runs on every request of a batch, so the data is read
//! lazily (see [`crate::media`]): a scan of the characters, the size from the length, a few
//! hundred decoded bytes for the format and dimensions; only a PDF's page count decodes the
//! whole document, a block at a time.

mod citations;
mod data;
mod documents;
mod images;

use citations::{check_citations_with_format, check_user_citations};
use documents::{check_document, check_pages};
use images::{check_dimensions, check_image, check_image_count};

use super::conversation::{self, Block};
use super::registry::declare_rules;
use super::{Context, Severity, Sink};
use crate::facts::Dialect;
use crate::facts::api::{self, Change};
use crate::fix::Fix;
use crate::syntax::{Node, TextRange};

declare_rules! {
    family: "media";
    prefix: "I";
    /// ## What it does
    /// Reports an image `media_type` other than `image/jpeg`, `image/png`, `image/gif` and
    /// `image/webp`.
    ///
    /// ## Why
    /// These are the only image formats the API reads: it answers 400
    /// `messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg',
    /// 'image/png', 'image/gif' or 'image/webp'`. `image/jpg` is the usual slip.
    ///
    /// ## Example
    /// ```json
    /// {"type": "image", "source": {"type": "base64", "media_type": "image/jpg", "data": "/9j/4AAQ..."}}
    /// ```
    ///
    /// ## Fix
    /// Writes the media type the bytes have, or the one a misspelling means (safe).
    UNSUPPORTED_IMAGE_TYPE { code: "101", name: "unsupported-image-type", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports a base64 image whose bytes are not in the format its `media_type` names: a PNG
    /// sent as `image/jpeg`, or data that is no image the API reads at all (a PDF, a BMP, a
    /// HEIC photo).
    ///
    /// ## Why
    /// The API checks the bytes' magic number: 400 `messages.0.content.0.image.source.base64:
    /// The image was specified using the image/jpeg media type, but the image appears to be a
    /// image/png image`.
    ///
    /// ## Example
    /// ```json
    /// {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "iVBORw0KGgo..."}}
    /// ```
    ///
    /// ## Fix
    /// Writes the media type the bytes have (safe).
    IMAGE_TYPE_MISMATCH { code: "102", name: "image-type-mismatch", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports base64 `data` (of an image or a PDF) that does not decode with the standard
    /// alphabet and padding, pointing at the first bad character: a data URL prefix, the
    /// URL-safe alphabet's `-` and `_`, misplaced or missing `=` padding. Line breaks and spaces
    /// in the data are a warning: lenient decoders skip them, strict ones refuse them.
    ///
    /// ## Why
    /// The API cannot read the file and answers 400.
    ///
    /// ## Example
    /// ```json
    /// {"type": "base64", "media_type": "image/png", "data": "data:image/png;base64,iVBORw0KGgo..."}
    /// ```
    ///
    /// ## Fix
    /// Removes a data URL prefix, converts the URL-safe alphabet, adds missing padding, or
    /// removes whitespace (all safe: the bytes stay the same).
    INVALID_BASE64 { code: "103", name: "invalid-base64", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports a base64 image over {api.platform.bedrock.max_image_mb} MB decoded: an error on Amazon Bedrock and Vertex AI and
    /// over {api.platform.first-party.max_image_mb} MB on the Claude API, a warning between {api.platform.bedrock.max_image_mb} and {api.platform.first-party.max_image_mb} MB on the Claude API.
    ///
    /// ## Why
    /// Bedrock and Vertex AI accept {api.platform.bedrock.max_image_mb} MB per image and answer 400
    /// `messages.0.content.1.image.source.base64: image exceeds {api.platform.bedrock.max_image_mb} MB maximum: 6418576 bytes >
    /// 5242880 bytes`. The Claude API's documentation says {api.platform.first-party.max_image_mb} MB, but it gave that same answer
    /// over {api.platform.bedrock.max_image_mb} MB until 2026. The size is computed from the length of the base64, without
    /// decoding.
    ///
    /// ## Example
    /// A 12 MB screenshot sent as PNG.
    IMAGE_TOO_LARGE { code: "104", name: "image-too-large", severity: Error, fix: None }

    /// ## What it does
    /// Warns about an image wider or taller than {api.images.max_side_px|raw} px, or than
    /// {api.images.max_side_px_many|raw} px in a request with more than {api.images.many_images} images, reading the dimensions from the decoded header. It is an error
    /// when the block sets `transformations.oversized_image` to `"error"`.
    ///
    /// ## Why
    /// These are the API's limits. By default it downsizes such an image silently; with
    /// `oversized_image: "error"` it answers 400 (`image_dimensions_too_large`). Resizing it
    /// yourself keeps control of what the model sees.
    ///
    /// ## Example
    /// A 9000 × 400 px panorama, or 30 screenshots of 2560 × 1600 px in one request.
    IMAGE_DIMENSIONS_TOO_LARGE { code: "105", name: "image-dimensions-too-large", severity: Warning, fix: None }

    /// ## What it does
    /// Reports a request with more than 600 images, or more than 100 on a model with a
    /// 200K-token context window. Every `image` block counts, in earlier turns and inside
    /// tool results too.
    ///
    /// ## Why
    /// These are the API's per-request limits; it answers 400. Long agent runs that keep every
    /// screenshot reach them.
    ///
    /// ## Example
    /// A computer-use transcript with 140 screenshots sent to `claude-haiku-4-5`.
    TOO_MANY_IMAGES { code: "106", name: "too-many-images", severity: Error, fix: None }

    /// ## What it does
    /// Reports `url` and `file` image or document sources in a Bedrock or Vertex AI body.
    ///
    /// ## Why
    /// Those platforms take images and PDFs as base64 data only; URL sources and the Files API
    /// are first-party features, and the request is rejected.
    ///
    /// ## Example
    /// ```json
    /// {"anthropic_version": "{api.platform.bedrock.body_version}", "messages": [{"role": "user", "content": [
    ///   {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}]}]}
    /// ```
    UNSUPPORTED_MEDIA_SOURCE { code: "107", name: "unsupported-media-source", severity: Error, fix: None }

    /// ## What it does
    /// Reports a document whose media type its source does not take: base64 documents are
    /// `application/pdf` only, `text` sources `text/plain` only. Also reports a base64 PDF
    /// whose bytes are an image.
    ///
    /// ## Why
    /// The API answers 400, e.g. `...document.source.base64.media_type: Input should be
    /// 'application/pdf'`. Word and Excel files are not supported; plain text goes in a
    /// `text` source.
    ///
    /// ## Example
    /// ```json
    /// {"type": "document", "source": {"type": "text", "media_type": "text/markdown", "data": "# Notes"}}
    /// ```
    ///
    /// ## Fix
    /// Writes `application/pdf` when the bytes are a PDF, `text/plain` for a text source
    /// (safe).
    UNSUPPORTED_DOCUMENT_TYPE { code: "108", name: "unsupported-document-type", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports PDFs that together have more than 600 pages, or more than 100 on a model whose
    /// context window is under 1M tokens. Pages are counted from the PDFs' page objects: an
    /// estimate that errs low (files that compress their objects count as 0 pages), so a
    /// request within the limit is never reported.
    ///
    /// ## Why
    /// The limit applies to the whole request; the API answers 400
    /// `A maximum of 100 PDF pages may be provided.`
    ///
    /// ## Example
    /// A 180-page report sent to `claude-haiku-4-5`.
    TOO_MANY_PDF_PAGES { code: "109", name: "too-many-pdf-pages", severity: Error, fix: None }

    /// ## What it does
    /// Reports a `document` block in an assistant message.
    ///
    /// ## Why
    /// API version {api.version.removing.assistant-documents} answers 400;
    /// {api.version.accepting.assistant-documents} accepts it. While the version in force
    /// is unknown this is a warning.
    ///
    /// ## Example
    /// ```json
    /// {"role": "assistant", "content": [{"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "..."}}]}
    /// ```
    ASSISTANT_DOCUMENT { code: "110", name: "assistant-document", severity: Error, fix: None }

    /// ## What it does
    /// Reports a text block with non-empty `citations` in a user message, directly or inside
    /// a `search_result`'s content.
    ///
    /// ## Why
    /// Citations are the model's output. API version {api.version.removing.user-citations}
    /// answers 400 when a user turn carries them; {api.version.accepting.user-citations} accepts
    /// them. While the version in force is unknown this is a
    /// warning.
    ///
    /// ## Example
    /// ```json
    /// {"role": "user", "content": [{"type": "text", "text": "As noted", "citations": [{"type": "char_location", ...}]}]}
    /// ```
    ///
    /// ## Fix
    /// Removes `citations` (unsafe: the citation data is lost).
    USER_TEXT_CITATIONS { code: "111", name: "user-text-citations", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports citations enabled on a document or search result in a request that asks for
    /// structured outputs (`output_config.format`).
    ///
    /// ## Why
    /// Structured outputs and citations are incompatible: the API answers 400.
    ///
    /// ## Example
    /// ```json
    /// {"output_config": {"format": {"type": "json_schema", "schema": {...}}}, "messages": [{"role": "user",
    ///   "content": [{"type": "document", "source": {...}, "citations": {"enabled": true}}]}]}
    /// ```
    CITATIONS_WITH_STRUCTURED_OUTPUT { code: "112", name: "citations-with-structured-output", severity: Error, fix: None }
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let root = ctx.payload.root;
    if !ctx.payload.kind.is_request() || root.as_object().is_none() {
        return;
    }
    let blocks = conversation::blocks(root);
    let structured = root
        .get("output_config")
        .and_then(|c| c.get("format"))
        .is_some_and(|f| f.as_object().is_some());
    let mut images = Vec::new();
    let mut pdfs = Vec::new();
    let mut documents = 0;
    for block in &blocks {
        match block.kind() {
            Some("image") => images.push(check_image(ctx, block, sink)),
            Some("document") => {
                documents += 1;
                pdfs.extend(check_document(ctx, block, sink));
            }
            Some("text") => check_user_citations(ctx, block, sink),
            _ => {}
        }
        if structured && matches!(block.kind(), Some("document" | "search_result")) {
            check_citations_with_format(block, sink);
        }
    }
    check_image_count(ctx, &images, sink);
    // On Bedrock and Vertex AI documents count toward the many-images threshold too (§8.2).
    let counted = match ctx.payload.dialect {
        Dialect::FirstParty => images.len(),
        _ => images.len() + documents,
    };
    check_dimensions(&images, counted, sink);
    check_pages(ctx, &pdfs, sink);
}

/// The API path of a base64 source: `messages.0.content.1.image.source.base64`.
fn base64_path(ctx: &Context<'_>, block: &Block<'_>) -> String {
    ctx.payload
        .api_path(&format!("{}.source.base64", block.schema_path()))
}

/// Reports a `url` or `file` source on a platform that takes only base64 (`what`: "images"
/// or "PDFs").
fn check_source_platform(
    ctx: &Context<'_>,
    source: &Node,
    kind: &str,
    what: &str,
    sink: &mut Sink<'_>,
) {
    let dialect = ctx.payload.dialect;
    if dialect == Dialect::FirstParty {
        return;
    }
    let Some(type_node) = source.get("type") else {
        return;
    };
    let source_name = match kind {
        "file" => "Files API `file` sources",
        _ => "`url` sources",
    };
    sink.report(
        &UNSUPPORTED_MEDIA_SOURCE,
        type_node.range,
        format!(
            "{} takes {what} only as base64 data, not {source_name}: the request is rejected; send the bytes as `{{\"type\": \"base64\", ...}}`",
            dialect.name()
        ),
    );
}

/// Reports what a later API version took away (`change`): an error under a version without
/// it, a warning naming both versions while the version is unknown, nothing under one with it.
fn report_for_version(
    ctx: &Context<'_>,
    (rule, change): (&'static super::Rule, Change),
    range: TextRange,
    what: &str,
    fix: Option<Fix>,
    sink: &mut Sink<'_>,
) {
    let api::Removal {
        removed_in,
        accepted_in,
    } = api::removal(change);
    match ctx.options.api_version.accepts(change) {
        Some(true) => {}
        Some(false) => sink.report_fix(
            rule,
            range,
            format!("{what}: API version {removed_in} answers 400 ({accepted_in} accepted it)"),
            fix,
        ),
        None => sink.report_at(
            Severity::Warning,
            rule,
            range,
            format!("{what}: API version {removed_in} answers 400, {accepted_in} accepts it, and the version in force is not known here"),
            fix,
        ),
    }
}
