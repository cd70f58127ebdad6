//! Media priced from their bytes without tokenizing them: image sizes and PDF contents read
//! through [`crate::media`] (the same base64, image and PDF readers the rules use), and the
//! documented downscaling of each image tier.

use super::calibration::ImageLimits;
use crate::media::{base64, image, pdf};

/// The side of one patch, in pixels: an image costs one token per 28x28 patch.
pub(crate) const PATCH: u32 = 28;

/// The pixel size of a base64-encoded image, read from its header; `None` when the data is
/// not valid base64 or not a PNG, JPEG, GIF or WebP this can read.
pub(crate) fn image_size(data: &str) -> Option<(u32, u32)> {
    let encoded = encoded(data)?;
    let (w, h) = image::dimensions(encoded.reader())?;
    let (w, h) = (u32::try_from(w).ok()?, u32::try_from(h).ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

/// What a base64-encoded PDF holds (pages, the text they draw, images); `None` when the data
/// is not valid base64 or not a PDF.
pub(crate) fn pdf_contents(data: &str) -> Option<pdf::Contents> {
    let encoded = encoded(data)?;
    if !encoded.head(4).starts_with(b"%PDF") {
        return None;
    }
    Some(pdf::contents(encoded.chunks()))
}

/// The data as valid base64, without the `data:...;base64,` prefix some clients leave on it.
fn encoded(data: &str) -> Option<base64::Encoded<'_>> {
    let data = match data.strip_prefix("data:") {
        Some(rest) => rest.split_once(',').map_or(rest, |(_, b64)| b64),
        None => data,
    };
    base64::Encoded::new(data, &base64::scan(data))
}

/// The tokens an image of `width` x `height` pixels costs on a tier: one per 28x28 patch
/// after the image is scaled down, keeping its aspect ratio, to the largest size whose long
/// edge (padded to whole patches) fits `max_edge` and whose patch count fits `max_tokens`
/// ([DOCS] vision-coordinates "How Claude resizes and pads images").
pub(crate) fn image_tokens(width: u32, height: u32, limits: &ImageLimits) -> u64 {
    let (w, h) = downscaled(width, height, limits);
    patches(w, h)
}

/// `ceil(w/28) * ceil(h/28)`.
fn patches(w: u32, h: u32) -> u64 {
    u64::from(w.div_ceil(PATCH)) * u64::from(h.div_ceil(PATCH))
}

/// The size an image is scaled down to on a tier (unchanged when it already fits).
pub(crate) fn downscaled(width: u32, height: u32, limits: &ImageLimits) -> (u32, u32) {
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

    use ::base64::Engine;
    use ::base64::engine::general_purpose::STANDARD;

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
    pub(crate) fn png(w: u32, h: u32) -> String {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bytes.extend_from_slice(&w.to_be_bytes());
        bytes.extend_from_slice(&h.to_be_bytes());
        bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        STANDARD.encode(bytes)
    }

    /// A PDF of `pages` pages, each drawing `line` in a text object, the first `images`
    /// of them with an image XObject; content streams are stored plain.
    pub(crate) fn pdf_with(pages: usize, line: &str, images: usize) -> String {
        let mut pdf =
            String::from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
        pdf.push_str(&format!(
            "2 0 obj\n<< /Type /Pages /Kids [{}] /Count {pages} >>\nendobj\n",
            kids.join(" ")
        ));
        for i in 0..pages {
            let (page, content, picture) = (3 + 3 * i, 4 + 3 * i, 5 + 3 * i);
            let stream = format!("BT /F1 12 Tf 72 720 Td ({line}) Tj ET");
            pdf.push_str(&format!(
                "{page} 0 obj\n<< /Type /Page /Parent 2 0 R /Contents {content} 0 R >>\nendobj\n{content} 0 obj\n<< /Length {} >>\nstream\n{stream}\nendstream\nendobj\n",
                stream.len()
            ));
            if i < images {
                pdf.push_str(&format!(
                    "{picture} 0 obj\n<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n(ab)\nendstream\nendobj\n"
                ));
            }
        }
        pdf.push_str("trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        STANDARD.encode(pdf)
    }

    /// A PDF of `pages` pages with one short line each.
    pub(crate) fn pdf(pages: usize) -> String {
        pdf_with(pages, "Hello", 0)
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
    fn pdf_contents_are_read_through_the_media_reader() {
        let found = pdf_contents(&pdf_with(3, "One line of text", 1)).unwrap();
        assert_eq!(found.pages, 3);
        assert_eq!(found.images, 1);
        assert_eq!(found.streams_read, 3);
        assert_eq!(
            found.text,
            "One line of text One line of text One line of text "
        );
        assert_eq!(
            pdf_contents(&STANDARD.encode("not a pdf /Type /Page")),
            None
        );
        assert_eq!(pdf_contents("@@@"), None);
    }
}
