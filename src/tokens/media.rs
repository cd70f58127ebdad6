//! Media priced from their bytes without tokenizing them: image sizes from the decoded header
//! of the base64 data, PDF page counts, and the documented downscaling of each image tier.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::calibration::ImageLimits;

/// The side of one patch, in pixels: an image costs one token per 28x28 patch.
pub const PATCH: u32 = 28;

/// How many base64 characters of an image are decoded, in turn, to find its size: most
/// headers sit in the first bytes, a JPEG's frame header can follow a large EXIF block.
const HEADER_PREFIXES: [usize; 3] = [1 << 10, 1 << 16, 1 << 20];

/// The pixel size of a base64-encoded image, read from its header; `None` when the data is
/// not a PNG, JPEG, GIF or WebP this can read.
pub fn image_size(base64: &str) -> Option<(u32, u32)> {
    let data = strip_data_url(base64).as_bytes();
    for prefix in HEADER_PREFIXES {
        let whole = prefix >= data.len();
        let take = if whole { data.len() } else { prefix };
        let bytes = decode(&data[..take], whole)?;
        if let Ok(size) = imagesize::blob_size(&bytes) {
            let (w, h) = (
                u32::try_from(size.width).ok()?,
                u32::try_from(size.height).ok()?,
            );
            return (w > 0 && h > 0).then_some((w, h));
        }
        if whole {
            return None;
        }
    }
    None
}

/// The number of pages of a base64-encoded PDF, from its page objects (`/Type /Page`) or,
/// when those sit in compressed object streams, the page tree's `/Count`; `None` when
/// neither can be read.
pub fn pdf_pages(base64: &str) -> Option<u32> {
    let bytes = decode(strip_data_url(base64).as_bytes(), true)?;
    if !bytes.starts_with(b"%PDF") {
        return None;
    }
    let pages = count_page_objects(&bytes);
    if pages > 0 {
        return Some(pages);
    }
    largest_count(&bytes)
}

/// The tokens an image of `width` x `height` pixels costs on a tier: one per 28x28 patch
/// after the image is scaled down, keeping its aspect ratio, to the largest size whose long
/// edge (padded to whole patches) fits `max_edge` and whose patch count fits `max_tokens`
/// ([DOCS] vision-coordinates "How Claude resizes and pads images").
pub fn image_tokens(width: u32, height: u32, limits: &ImageLimits) -> u64 {
    let (w, h) = downscaled(width, height, limits);
    patches(w, h)
}

/// `ceil(w/28) * ceil(h/28)`.
fn patches(w: u32, h: u32) -> u64 {
    u64::from(w.div_ceil(PATCH)) * u64::from(h.div_ceil(PATCH))
}

/// The size an image is scaled down to on a tier (unchanged when it already fits).
pub fn downscaled(width: u32, height: u32, limits: &ImageLimits) -> (u32, u32) {
    // Padded edges in u64: a header may claim an edge near u32::MAX.
    let padded = |edge: u32| u64::from(edge.div_ceil(PATCH)) * u64::from(PATCH);
    let fits = |w: u32, h: u32| {
        padded(w) <= u64::from(limits.max_edge)
            && padded(h) <= u64::from(limits.max_edge)
            && patches(w, h) <= u64::from(limits.max_tokens)
    };
    if fits(width, height) {
        return (width, height);
    }
    if height > width {
        let (h, w) = downscaled(height, width, limits);
        return (w, h);
    }
    // The long edge is `width`: find the largest width whose proportional height still fits.
    // `lo` always fits (one pixel wide), `hi` never does (the full width).
    let ratio = f64::from(width) / f64::from(height);
    let height_for = |w: u32| ((f64::from(w) / ratio).round_ties_even() as u32).max(1);
    let (mut lo, mut hi) = (1u32, width);
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if fits(mid, height_for(mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo, height_for(lo))
}

/// A `data:...;base64,` prefix, which some clients leave on the data, is not part of it.
fn strip_data_url(data: &str) -> &str {
    match data.strip_prefix("data:") {
        Some(rest) => rest.split_once(',').map_or(rest, |(_, b64)| b64),
        None => data,
    }
}

/// Decodes base64, tolerating line breaks; a prefix that is not the whole data is cut to
/// whole 4-character groups.
fn decode(data: &[u8], whole: bool) -> Option<Vec<u8>> {
    let clean: std::borrow::Cow<'_, [u8]> = if data.iter().any(u8::is_ascii_whitespace) {
        data.iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect::<Vec<u8>>()
            .into()
    } else {
        data.into()
    };
    let usable = if whole {
        clean.len()
    } else {
        clean.len() / 4 * 4
    };
    STANDARD.decode(&clean[..usable]).ok()
}

/// Occurrences of `/Type /Page` (any spacing) not followed by `s` (which would be `/Pages`).
fn count_page_objects(pdf: &[u8]) -> u32 {
    let mut count = 0;
    let mut at = 0;
    while let Some(found) = find(&pdf[at..], b"/Type") {
        let mut i = at + found + b"/Type".len();
        while pdf.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if pdf[i..].starts_with(b"/Page") && !pdf.get(i + 5).is_some_and(u8::is_ascii_alphanumeric)
        {
            count += 1;
        }
        at = i;
    }
    count
}

/// The largest `/Count N` in the file: the page tree root's count of all pages.
fn largest_count(pdf: &[u8]) -> Option<u32> {
    let mut best = None;
    let mut at = 0;
    while let Some(found) = find(&pdf[at..], b"/Count") {
        let mut i = at + found + b"/Count".len();
        while pdf.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        let digits = pdf[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if let Some(n) = std::str::from_utf8(&pdf[i..i + digits])
            .ok()
            .and_then(|s| s.parse::<u32>().ok())
        {
            best = best.max(Some(n));
        }
        at = i;
    }
    best.filter(|&n| n > 0)
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut start = 0;
    while let Some(pos) = haystack[start..].iter().position(|&b| b == first) {
        let at = start + pos;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    /// Found by fuzzing: an image header claiming an edge near `u32::MAX` overflowed the
    /// padded-edge arithmetic.
    #[test]
    fn edges_near_u32_max_do_not_overflow() {
        let limits = ImageLimits {
            max_edge: 1568,
            max_tokens: 1600,
            source: String::new(),
        };
        let (w, h) = downscaled(u32::MAX, u32::MAX - 1, &limits);
        assert!(w.div_ceil(PATCH) * PATCH <= 1568 && h.div_ceil(PATCH) * PATCH <= 1568);
        assert!(image_tokens(u32::MAX, 3, &limits) <= 1600);
    }

    use super::*;

    fn standard() -> ImageLimits {
        ImageLimits {
            max_edge: 1568,
            max_tokens: 1568,
            source: String::new(),
        }
    }

    fn high_res() -> ImageLimits {
        ImageLimits {
            max_edge: 2576,
            max_tokens: 4784,
            source: String::new(),
        }
    }

    /// A PNG of `w` x `h` pixels: its signature and IHDR chunk are all a size reader needs.
    pub fn png(w: u32, h: u32) -> String {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bytes.extend_from_slice(&w.to_be_bytes());
        bytes.extend_from_slice(&h.to_be_bytes());
        bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        STANDARD.encode(bytes)
    }

    /// A minimal PDF text with `pages` page objects.
    pub fn pdf(pages: usize) -> String {
        let mut text = String::from("%PDF-1.4\n1 0 obj << /Type /Pages /Count 0 >> endobj\n");
        for i in 0..pages {
            text.push_str(&format!(
                "{} 0 obj << /Type/Page /Parent 1 0 R >> endobj\n",
                i + 2
            ));
        }
        STANDARD.encode(text)
    }

    #[test]
    fn the_documented_examples_cost_what_the_docs_say() {
        // [DOCS] build-with-claude/vision, "Resolution and token cost".
        let cases = [
            ((200, 200), 64, 64),
            ((1000, 1000), 1296, 1296),
            ((1092, 1092), 1521, 1521),
            ((1920, 1080), 1560, 2691),
            ((2000, 1500), 1564, 3888),
            ((3840, 2160), 1560, 4784),
        ];
        for ((w, h), standard_tokens, high_tokens) in cases {
            assert_eq!(image_tokens(w, h, &standard()), standard_tokens, "{w}x{h}");
            assert_eq!(
                image_tokens(w, h, &high_res()),
                high_tokens,
                "{w}x{h} high-res"
            );
        }
        assert_eq!(downscaled(1920, 1080, &standard()), (1456, 819));
        assert_eq!(downscaled(3840, 2160, &high_res()), (2576, 1449));
        // The A4 scan of "How Claude resizes and pads images", both orientations.
        assert_eq!(downscaled(1075, 1520, &standard()), (924, 1307));
        assert_eq!(downscaled(1520, 1075, &standard()), (1307, 924));
        assert_eq!(downscaled(1075, 1520, &high_res()), (1075, 1520));
    }

    #[test]
    fn extreme_shapes_stay_within_the_limits() {
        for (w, h) in [(8000, 1), (1, 8000), (8000, 8000), (30000, 17)] {
            for limits in [standard(), high_res()] {
                let (dw, dh) = downscaled(w, h, &limits);
                assert!(dw >= 1 && dh >= 1);
                assert!(image_tokens(w, h, &limits) <= u64::from(limits.max_tokens));
            }
        }
    }

    #[test]
    fn image_sizes_come_from_the_header() {
        assert_eq!(image_size(&png(640, 480)), Some((640, 480)));
        assert_eq!(
            image_size(&format!("data:image/png;base64,{}", png(3, 4))),
            Some((3, 4))
        );
        // A long image: only its first kilobyte is decoded.
        let mut long = png(100, 50);
        long.push_str(&"A".repeat(1 << 21));
        assert_eq!(image_size(&long), Some((100, 50)));
        assert_eq!(image_size("not base64!"), None);
        assert_eq!(image_size(&STANDARD.encode("plain text")), None);
        assert_eq!(image_size(""), None);
    }

    #[test]
    fn pdf_pages_are_counted() {
        assert_eq!(pdf_pages(&pdf(3)), Some(3));
        assert_eq!(pdf_pages(&pdf(1)), Some(1));
        let compressed =
            STANDARD.encode("%PDF-1.7\n<< /Type /Pages /Kids [] /Count 12 >>\n<< /Count 3 >>");
        assert_eq!(pdf_pages(&compressed), Some(12));
        assert_eq!(pdf_pages(&STANDARD.encode("%PDF-1.7\nnothing")), None);
        assert_eq!(pdf_pages(&STANDARD.encode("not a pdf /Type /Page")), None);
        assert_eq!(pdf_pages("@@@"), None);
    }
}
