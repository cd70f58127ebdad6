//! Image formats from their magic numbers, and dimensions from their headers.

use std::io::{BufRead, Seek};

use crate::facts::models::ImageTier;

/// The image formats the API takes (reference §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageFormat {
    /// `image/jpeg`
    Jpeg,
    /// `image/png`
    Png,
    /// `image/gif`
    Gif,
    /// `image/webp`
    Webp,
}

impl ImageFormat {
    /// Every format the API takes, in the order its error messages list them.
    pub(crate) const ALL: [ImageFormat; 4] = [
        ImageFormat::Jpeg,
        ImageFormat::Png,
        ImageFormat::Gif,
        ImageFormat::Webp,
    ];

    /// The `media_type` that names the format.
    pub(crate) fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Webp => "image/webp",
        }
    }

    /// The format a `media_type` names exactly, as the API spells it.
    pub(crate) fn from_media_type(media_type: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.media_type() == media_type)
    }

    /// The format a misspelt `media_type` most likely means: another case, a missing `image/`,
    /// `jpg`, `image/x-png`, a file extension. `None` when it names no format of ours.
    pub(crate) fn from_loose_media_type(media_type: &str) -> Option<Self> {
        let lower = media_type.trim().to_ascii_lowercase();
        let name = lower.strip_prefix("image/").unwrap_or(&lower);
        let name = name.strip_prefix("x-").unwrap_or(name);
        let name = name.strip_prefix('.').unwrap_or(name);
        Some(match name {
            "jpeg" | "jpg" | "pjpeg" => ImageFormat::Jpeg,
            "png" => ImageFormat::Png,
            "gif" => ImageFormat::Gif,
            "webp" => ImageFormat::Webp,
            _ => return None,
        })
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// One of the formats the API takes.
    Image(ImageFormat),
    /// A recognisable file of another kind, named for messages ("a PDF document").
    Other(&'static str),
    /// Nothing recognisable.
    Unknown,
}

/// How many leading bytes [`sniff`] looks at.
pub(crate) const SNIFF_LEN: usize = 16;

/// Identifies a file from its first bytes (at least [`SNIFF_LEN`] when the file has them).
pub(crate) fn sniff(head: &[u8]) -> Sniffed {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if at(0, b"\xFF\xD8\xFF") {
        Sniffed::Image(ImageFormat::Jpeg)
    } else if at(0, b"\x89PNG\r\n\x1A\n") {
        Sniffed::Image(ImageFormat::Png)
    } else if at(0, b"GIF87a") || at(0, b"GIF89a") {
        Sniffed::Image(ImageFormat::Gif)
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        Sniffed::Image(ImageFormat::Webp)
    } else if at(0, b"%PDF-") {
        Sniffed::Other("a PDF document")
    } else if at(0, b"BM") {
        Sniffed::Other("a BMP image")
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        Sniffed::Other("a TIFF image")
    } else if at(4, b"ftypavif") {
        Sniffed::Other("an AVIF image")
    } else if at(4, b"ftyphei") || at(4, b"ftypmif1") || at(4, b"ftyphevc") {
        Sniffed::Other("a HEIC image")
    } else if at(0, b"<svg") || at(0, b"<?xml") {
        Sniffed::Other("an SVG or XML file")
    } else {
        Sniffed::Unknown
    }
}

/// Width and height in pixels from the image's header, reading only the bytes the format
/// needs (a JPEG's segments are skipped by seeking). `None` when the header is unreadable.
pub(crate) fn dimensions(reader: impl BufRead + Seek) -> Option<(u64, u64)> {
    let size = imagesize::reader_size(reader).ok()?;
    Some((size.width as u64, size.height as u64))
}

/// The most tokens one image can cost, whatever its size: larger images are downscaled first
/// (reference §8.2: about 1,568 tokens on the standard tier, 4,784 on the high-resolution
/// tier of Claude 4.7 and later), rounded up.
pub(crate) fn max_tokens(tier: ImageTier) -> u64 {
    match tier {
        ImageTier::Standard => 1_600,
        ImageTier::HighRes => 4_800,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    /// A PNG signature and IHDR chunk for a `width`×`height` image: all a header read needs.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR".to_vec();
        png.extend(width.to_be_bytes());
        png.extend(height.to_be_bytes());
        png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        png
    }

    #[test]
    fn sniffs_the_four_formats_and_common_others() {
        assert_eq!(sniff(&png_header(1, 1)), Sniffed::Image(ImageFormat::Png));
        assert_eq!(
            sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0"),
            Sniffed::Image(ImageFormat::Jpeg)
        );
        assert_eq!(
            sniff(b"GIF89a\x01\0\x01\0"),
            Sniffed::Image(ImageFormat::Gif)
        );
        assert_eq!(
            sniff(b"RIFF\x1a\0\0\0WEBPVP8L"),
            Sniffed::Image(ImageFormat::Webp)
        );
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Other("a PDF document"));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic"), Sniffed::Other("a HEIC image"));
        assert_eq!(sniff(b"RIFF\x1a\0\0\0WAVE"), Sniffed::Unknown);
        assert_eq!(sniff(b""), Sniffed::Unknown);
    }

    #[test]
    fn loose_media_types() {
        assert_eq!(
            ImageFormat::from_loose_media_type("image/jpg"),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(
            ImageFormat::from_loose_media_type("PNG"),
            Some(ImageFormat::Png)
        );
        assert_eq!(
            ImageFormat::from_loose_media_type("image/x-png"),
            Some(ImageFormat::Png)
        );
        assert_eq!(ImageFormat::from_loose_media_type("image/bmp"), None);
        assert_eq!(ImageFormat::from_media_type("image/jpg"), None);
    }

    #[test]
    fn dimensions_from_a_header_alone() {
        assert_eq!(
            dimensions(Cursor::new(png_header(9000, 120))),
            Some((9000, 120))
        );
        assert_eq!(dimensions(Cursor::new(b"not an image".to_vec())), None);
    }
}
