//! Images and documents (reference §2.2, §8.2, §8.3): media types against the bytes, base64
//! that does not decode, sizes, dimensions and counts, sources a platform does not take, PDF
//! pages, and the citation and document rules of API version 2026-10-21.
//!
//! Bodies are mostly base64, and this runs on every request of a batch, so the data is read
//! lazily (see [`crate::media`]): a scan of the characters, the size from the length, a few
//! hundred decoded bytes for the format and dimensions; only a PDF's page count decodes the
//! whole document, a block at a time.

use serde_json::json;

use super::conversation::{self, Block, block_kind};
use super::registry::declare_rules;
use super::request::human_size;
use super::{Context, Severity, Sink};
use crate::facts::Dialect;
use crate::facts::api::{self, Change, MB};
use crate::fix::{Edit, Fix};
use crate::media::base64::{self, BadChar, Encoded, Flaw};
use crate::media::image::{self, ImageFormat, Sniffed};
use crate::media::{pdf, range_in_string};
use crate::syntax::{Node, TextRange, Value};
use crate::words::{self, list};

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
    /// Reports a base64 image over 5 MB decoded: an error on Amazon Bedrock and Vertex AI and
    /// over 10 MB on the Claude API, a warning between 5 and 10 MB on the Claude API.
    ///
    /// ## Why
    /// Bedrock and Vertex AI accept 5 MB per image and answer 400
    /// `messages.0.content.1.image.source.base64: image exceeds 5 MB maximum: 6418576 bytes >
    /// 5242880 bytes`. The Claude API's documentation says 10 MB, but it gave that same answer
    /// over 5 MB until 2026. The size is computed from the length of the base64, without
    /// decoding.
    ///
    /// ## Example
    /// A 12 MB screenshot sent as PNG.
    IMAGE_TOO_LARGE { code: "104", name: "image-too-large", severity: Error, fix: None }

    /// ## What it does
    /// Warns about an image wider or taller than 8000 px, or than 2000 px in a request with
    /// more than 20 images, reading the dimensions from the decoded header. It is an error
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
    /// {"anthropic_version": "bedrock-2023-05-31", "messages": [{"role": "user", "content": [
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
    /// API version 2026-10-21 answers 400; 2023-06-01 accepts it. While the version in force
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
    /// Citations are the model's output. API version 2026-10-21 answers 400 when a user turn
    /// carries them; 2023-06-01 accepts them. While the version in force is unknown this is a
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

/// What the checks of one image found, for the checks over all images.
struct Image<'a> {
    block: &'a Block<'a>,
    /// The base64 `data`, when there is some.
    data: Option<&'a Node>,
    /// Width and height, from a readable header.
    dimensions: Option<(u64, u64)>,
}

/// A PDF and its page-count estimate.
struct Pdf<'a> {
    data: &'a Node,
    pages: u64,
}

/// Checks one payload.
pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
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

fn check_image<'a>(ctx: &Context<'_>, block: &'a Block<'a>, sink: &mut Sink<'_>) -> Image<'a> {
    let mut image = Image {
        block,
        data: None,
        dimensions: None,
    };
    let Some(source) = block.node.get("source") else {
        return image;
    };
    match block_kind(source) {
        Some("base64") => {}
        Some(kind @ ("url" | "file")) => {
            check_source_platform(ctx, source, kind, "images", sink);
            return image;
        }
        _ => return image,
    }
    let path = base64_path(ctx, block);
    image.data = source.get("data");
    let encoded = image
        .data
        .and_then(|node| Some((node, node.as_str()?)))
        .and_then(|(node, data)| check_data(node, data, sink));
    let sniffed = encoded
        .as_ref()
        .map(|e| image::sniff(&e.head(image::SNIFF_LEN)));
    if let Some(media_type) = source.get("media_type") {
        check_image_media_type(media_type, sniffed, &path, sink);
    }
    if let (Some(encoded), Some(data)) = (&encoded, image.data) {
        check_size(ctx, data, encoded.decoded_len(), &path, sink);
        if let Some(Sniffed::Image(_)) = sniffed {
            image.dimensions = image::dimensions(encoded.reader());
        }
    }
    image
}

fn check_image_media_type(node: &Node, sniffed: Option<Sniffed>, path: &str, sink: &mut Sink<'_>) {
    let Some(declared) = node.as_str() else {
        return;
    };
    let fix_to = |format: ImageFormat| {
        Fix::safe(
            format!("Write `{}`", format.media_type()),
            vec![Edit::replace_value(node, json!(format.media_type()))],
        )
    };
    let Some(format) = ImageFormat::from_media_type(declared) else {
        let (meant, note) = match sniffed {
            Some(Sniffed::Image(actual)) => (Some(actual), String::new()),
            Some(Sniffed::Other(what)) => (None, format!("; the data is {what}")),
            _ => (ImageFormat::from_loose_media_type(declared), String::new()),
        };
        let types: Vec<&str> = ImageFormat::ALL.iter().map(|f| f.media_type()).collect();
        sink.report_fix(
            &UNSUPPORTED_IMAGE_TYPE,
            node.range,
            format!(
                "`{declared}` is not an image type the API takes ({}){note}: it answers 400 `{path}.media_type: Input should be {}`",
                list(&types),
                quoted_alternatives(&types)
            ),
            meant.map(fix_to),
        );
        return;
    };
    let (problem, fix) = match sniffed {
        Some(Sniffed::Image(actual)) if actual != format => (
            format!(
                "the data is {} image, not {}: the API answers 400 `{path}: The image was specified using the {declared} media type, but the image appears to be a {} image`",
                format_name(actual),
                format_name(format),
                actual.media_type()
            ),
            Some(fix_to(actual)),
        ),
        Some(Sniffed::Other(what)) => (
            format!(
                "the data is {what}, not an image the API reads (JPEG, PNG, GIF or WebP): it answers 400{}",
                if what.contains("PDF") {
                    "; a PDF goes in a `document` block"
                } else {
                    ""
                }
            ),
            None,
        ),
        Some(Sniffed::Unknown) => (
            format!(
                "the data does not start like {} file (nor any JPEG, PNG, GIF or WebP): the API cannot read it and answers 400",
                format_name(format)
            ),
            None,
        ),
        _ => return,
    };
    sink.report_fix(&IMAGE_TYPE_MISMATCH, node.range, problem, fix);
}

/// "a PNG", "a JPEG", "a GIF", "a WebP".
fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "a JPEG",
        ImageFormat::Png => "a PNG",
        ImageFormat::Gif => "a GIF",
        ImageFormat::Webp => "a WebP",
    }
}

/// `'a', 'b' or 'c'`, as pydantic lists the values of a literal.
fn quoted_alternatives(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// Checks base64 `data`; returns it ready to decode when it decodes.
fn check_data<'d>(node: &Node, data: &'d str, sink: &mut Sink<'_>) -> Option<Encoded<'d>> {
    if let Some(rest) = data.strip_prefix("data:")
        && let Some(at) = rest.find(";base64,")
    {
        let prefix = "data:".len() + at + ";base64,".len();
        sink.report_fix(
            &INVALID_BASE64,
            range_in_string(node, 0, prefix),
            format!(
                "the data is a data URL: `data` takes the base64 alone, without `{}`; as written it does not decode and the API answers 400",
                &data[..prefix]
            ),
            Some(replace_data(node, &data[prefix..], "Remove the data URL prefix")),
        );
        return None;
    }
    let scan = base64::scan(data);
    match scan.flaw {
        Some(Flaw::Char { offset, len, why }) => {
            let c = &data[offset..offset + len];
            let (problem, fix) = match why {
                BadChar::Outside if c == "-" || c == "_" => (
                    format!(
                        "`{c}` belongs to the URL-safe base64 alphabet; the API takes the standard one, with `+` and `/`"
                    ),
                    url_safe_fix(node, data),
                ),
                BadChar::Outside => (
                    format!("{} is not a base64 character", describe_char(c)),
                    None,
                ),
                BadChar::Padding => (
                    "`=` cannot be here: padding only completes the last group of four characters"
                        .to_owned(),
                    None,
                ),
                BadChar::AfterPadding => (
                    "the data goes on after its `=` padding (two encodings glued together?)"
                        .to_owned(),
                    None,
                ),
            };
            sink.report_fix(
                &INVALID_BASE64,
                range_in_string(node, offset, len),
                format!("{problem}: the data does not decode, and the API answers 400"),
                fix,
            );
            None
        }
        Some(Flaw::Length { missing }) => {
            let (problem, fix) = match missing {
                0 => ("one character too many (or too few)".to_owned(), None),
                n => (
                    format!("missing its final `{}` padding", "=".repeat(n)),
                    Some(replace_data(
                        node,
                        &format!("{data}{}", "=".repeat(n)),
                        "Add the missing padding",
                    )),
                ),
            };
            let end = data.len();
            sink.report_fix(
                &INVALID_BASE64,
                range_in_string(node, end.saturating_sub(1), end.min(1)),
                format!("the data ends in the middle of a group of four characters, {problem}: it does not decode, and the API answers 400"),
                fix,
            );
            None
        }
        None => {
            if let Some(offset) = scan.whitespace {
                let compact: String = data.split_ascii_whitespace().collect();
                sink.report_at(
                    Severity::Warning,
                    &INVALID_BASE64,
                    range_in_string(node, offset, 1),
                    "the data holds line breaks or spaces (MIME-style base64): lenient decoders skip them, strict ones refuse the data, and the API does not document which it is",
                    Some(replace_data(node, &compact, "Remove the whitespace")),
                );
            }
            Encoded::new(data, &scan)
        }
    }
}

/// `` `é` `` or "U+0000" for a character that does not print.
fn describe_char(c: &str) -> String {
    if c.chars().all(|c| c.is_control()) {
        c.chars()
            .map(|c| format!("U+{:04X}", c as u32))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        format!("`{c}`")
    }
}

fn replace_data(node: &Node, data: &str, title: &str) -> Fix {
    Fix::safe(title, vec![Edit::replace_value(node, json!(data))])
}

/// Rewrites URL-safe base64 into the standard alphabet, padded, when that makes it decode.
fn url_safe_fix(node: &Node, data: &str) -> Option<Fix> {
    let standard: String = data
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let padded = match base64::scan(&standard).flaw {
        None => standard,
        Some(Flaw::Length { missing }) if missing > 0 => standard + &"=".repeat(missing),
        Some(_) => return None,
    };
    Some(replace_data(
        node,
        &padded,
        "Convert to the standard base64 alphabet",
    ))
}

fn check_size(ctx: &Context<'_>, data: &Node, bytes: u64, path: &str, sink: &mut Sink<'_>) {
    let platforms = &api::limits().platform;
    // The clouds' limit, which the Claude API also answered with until 2026.
    let older = platforms
        .bedrock
        .max_image_bytes()
        .min(platforms.vertex.max_image_bytes());
    let limit = ctx.payload.dialect.platform().max_image_bytes();
    if bytes <= older.min(limit) {
        return;
    }
    let old_answer = format!(
        "`{path}: image exceeds {} MB maximum: {bytes} bytes > {older} bytes`",
        older / MB
    );
    let size = format!("the image is {bytes} bytes ({}) decoded", human_size(bytes));
    match ctx.payload.dialect {
        Dialect::FirstParty if bytes <= limit => sink.report_at(
            Severity::Warning,
            &IMAGE_TOO_LARGE,
            data.range,
            format!(
                "{size}: the Claude API documents a {} MB limit, but it answered 400 {old_answer} until 2026, and Bedrock and Vertex AI still do",
                limit / MB
            ),
            None,
        ),
        Dialect::FirstParty => sink.report(
            &IMAGE_TOO_LARGE,
            data.range,
            format!(
                "{size}, over the {} MB ({limit} bytes) the Claude API accepts per image: it answers 400 (before 2026: {old_answer})",
                limit / MB
            ),
        ),
        dialect => sink.report(
            &IMAGE_TOO_LARGE,
            data.range,
            format!(
                "{size}, over the {} MB {} accepts per image: it answers 400 {old_answer}",
                limit / MB,
                dialect.name()
            ),
        ),
    }
}

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

fn check_image_count(ctx: &Context<'_>, images: &[Image<'_>], sink: &mut Sink<'_>) {
    let facts = &api::limits().images;
    let small = ctx
        .model
        .filter(|m| m.context_window <= facts.small_window_tokens);
    let limit = if small.is_some() {
        facts.max_per_request_small_window
    } else {
        facts.max_per_request
    };
    let Some(first_over) = images.get(limit) else {
        return;
    };
    let node = first_over.block.node;
    let range = node.get("type").map_or(node.range, |t| t.range);
    sink.report(
        &TOO_MANY_IMAGES,
        range,
        format!(
            "this is image {} of {}: the API accepts at most {limit} images per request{}, and answers 400",
            limit + 1,
            images.len(),
            small
                .map(|m| format!(
                    " on a model with a {}-token context window ({})",
                    words::short_count(facts.small_window_tokens),
                    m.id
                ))
                .unwrap_or_default()
        ),
    );
}

fn check_dimensions(images: &[Image<'_>], counted: usize, sink: &mut Sink<'_>) {
    let facts = &api::limits().images;
    let many = counted > facts.many_images;
    let limit = if many {
        facts.max_side_px_many
    } else {
        facts.max_side_px
    };
    for image in images {
        let (Some((width, height)), Some(data)) = (image.dimensions, image.data) else {
            continue;
        };
        if width <= limit && height <= limit {
            continue;
        }
        let why = if many {
            format!(
                "this request holds {counted} images, and with more than {} each side may be at most {limit} px",
                facts.many_images
            )
        } else {
            format!("the API accepts at most {limit} px on each side")
        };
        let refuses = image
            .block
            .node
            .get("transformations")
            .and_then(|t| t.get("oversized_image"))
            .and_then(Node::as_str)
            == Some("error");
        let (severity, outcome) = if refuses {
            (
                Severity::Error,
                "with `transformations.oversized_image: \"error\"` the API answers 400 `image_dimensions_too_large`",
            )
        } else {
            (
                Severity::Warning,
                "the API downsizes it silently (`transformations.oversized_image` defaults to `\"downsize\"`); resize it yourself to control what the model sees",
            )
        };
        sink.report_at(
            severity,
            &IMAGE_DIMENSIONS_TOO_LARGE,
            data.range,
            format!("the image is {width} × {height} px, but {why}: {outcome}"),
            None,
        );
    }
}

/// Checks one document block; returns its PDF when its pages were counted.
fn check_document<'a>(
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

fn check_pages(ctx: &Context<'_>, pdfs: &[Pdf<'_>], sink: &mut Sink<'_>) {
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

fn check_user_citations(ctx: &Context<'_>, block: &Block<'_>, sink: &mut Sink<'_>) {
    let in_user_turn =
        block.role() == Some("user") && matches!(block.parent, None | Some("search_result"));
    let Some(member) = block.node.member("citations").filter(|_| in_user_turn) else {
        return;
    };
    if member.value.as_array().is_none_or(<[Node]>::is_empty) {
        return;
    }
    report_for_version(
        ctx,
        (&USER_TEXT_CITATIONS, Change::UserCitations),
        member.key_range,
        "a text block with `citations` in a user message",
        Some(Fix::unsafe_(
            "Remove `citations`",
            vec![Edit::remove_member(block.node, member)],
        )),
        sink,
    );
}

fn check_citations_with_format(block: &Block<'_>, sink: &mut Sink<'_>) {
    let Some(enabled) = block
        .node
        .get("citations")
        .and_then(|c| c.get("enabled"))
        .filter(|e| matches!(e.value, Value::Bool(true)))
    else {
        return;
    };
    sink.report(
        &CITATIONS_WITH_STRUCTURED_OUTPUT,
        enabled.range,
        format!(
            "citations are enabled on this {} and `output_config.format` asks for structured outputs: the two are incompatible, and the API answers 400",
            block.kind().unwrap_or("block").replace('_', " ")
        ),
    );
}
