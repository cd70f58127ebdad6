//! Base64 `data` of an image or document source: data URLs, characters outside the alphabet,
//! misplaced padding, a length that is not a whole number of groups, and whitespace.

use serde_json::json;

use super::INVALID_BASE64;
use crate::fix::{Edit, Fix};
use crate::media::base64::{self, BadChar, Encoded, Flaw};
use crate::media::range_in_string;
use crate::rules::{Severity, Sink};
use crate::syntax::Node;

/// Checks base64 `data`; returns it ready to decode when it decodes.
pub(super) fn check_data<'d>(
    node: &Node,
    data: &'d str,
    sink: &mut Sink<'_>,
) -> Option<Encoded<'d>> {
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

/// The fix that writes `data` in place of the value.
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
