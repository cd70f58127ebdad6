//! Image blocks: the declared media type against the bytes, the decoded size, the count per
//! request and the dimensions.

use serde_json::json;

use super::data::check_data;
use super::{
    IMAGE_DIMENSIONS_TOO_LARGE, IMAGE_TOO_LARGE, IMAGE_TYPE_MISMATCH, TOO_MANY_IMAGES,
    UNSUPPORTED_IMAGE_TYPE, base64_path, check_source_platform,
};
use crate::facts::Dialect;
use crate::facts::api::{self, MB};
use crate::fix::{Edit, Fix};
use crate::media::image::{self, ImageFormat, Sniffed};
use crate::rules::conversation::{Block, block_kind};
use crate::rules::request::human_size;
use crate::rules::{Context, Severity, Sink};
use crate::syntax::Node;
use crate::words::{self, list};

/// What the checks of one image found, for the checks over all images.
pub(super) struct Image<'a> {
    block: &'a Block<'a>,
    /// The base64 `data`, when there is some.
    data: Option<&'a Node>,
    /// Width and height, from a readable header.
    dimensions: Option<(u64, u64)>,
}

/// Checks one image block; returns what the checks over all images need.
pub(super) fn check_image<'a>(
    ctx: &Context<'_>,
    block: &'a Block<'a>,
    sink: &mut Sink<'_>,
) -> Image<'a> {
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

/// Checks the declared `media_type` against the image types the API takes and the bytes.
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
pub(super) fn format_name(format: ImageFormat) -> &'static str {
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

/// Checks an image's decoded size against the platform's limit (and the older, smaller one).
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

/// Reports the first image past the per-request limit.
pub(super) fn check_image_count(ctx: &Context<'_>, images: &[Image<'_>], sink: &mut Sink<'_>) {
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

/// Reports images with a side over the limit, which is lower when a request holds many.
pub(super) fn check_dimensions(images: &[Image<'_>], counted: usize, sink: &mut Sink<'_>) {
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
