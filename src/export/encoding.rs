//! Bytes of a text export → text: BOMs, UTF-16 with or without BOM, UTF-8, and Windows-1258.

use std::fmt;

use encoding_rs::{UTF_16BE, UTF_16LE};
use serde::Serialize;

use super::legacy::{self, Decoder};

/// The character encoding a text export was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// Not UTF-8: Windows-1258 (Vietnamese ANSI), unless a column reads as a legacy font encoding.
    Windows1258,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Windows1258 => "Windows-1258",
        })
    }
}

/// Share of NUL bytes at odd (or even) positions above which BOM-less text is taken as UTF-16:
/// Vietnamese text in UTF-16 has a NUL in about half its code units (ASCII and Latin-1 letters).
const UTF16_NUL_SHARE: f64 = 0.3;

fn utf16_without_bom(bytes: &[u8]) -> Option<TextEncoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = (head.len() / 2) as f64;
    let zeros_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count() as f64
    };
    if zeros_at(1) / pairs > UTF16_NUL_SHARE && zeros_at(0) == 0.0 {
        Some(TextEncoding::Utf16Le)
    } else if zeros_at(0) / pairs > UTF16_NUL_SHARE && zeros_at(1) == 0.0 {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Decodes a text export, reusing its buffer when it is UTF-8. Returns the text, the encoding
/// found, and the decoder its cells still need: for Windows-1258 the text is a byte-for-byte
/// Windows-1252 view, decoded per column later because legacy-font columns need the bytes.
pub(crate) fn decode(mut bytes: Vec<u8>) -> (String, TextEncoding, Decoder) {
    let utf16 = |enc: &'static encoding_rs::Encoding, body: &[u8], found| {
        let (text, _) = enc.decode_without_bom_handling(body);
        (text.into_owned(), found, Decoder::AsIs)
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        return (text, TextEncoding::Utf8Bom, Decoder::AsIs);
    }
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(UTF_16LE, body, TextEncoding::Utf16Le);
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(UTF_16BE, body, TextEncoding::Utf16Be);
    }
    match utf16_without_bom(&bytes) {
        Some(TextEncoding::Utf16Le) => return utf16(UTF_16LE, &bytes, TextEncoding::Utf16Le),
        Some(TextEncoding::Utf16Be) => return utf16(UTF_16BE, &bytes, TextEncoding::Utf16Be),
        _ => {}
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, TextEncoding::Utf8, Decoder::AsIs),
        Err(e) => (
            legacy::cp1252_view(e.as_bytes()),
            TextEncoding::Windows1258,
            Decoder::Cp1258,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_bomless_utf16_are_recognised() {
        let text = "Họ và tên;Ngày sinh";
        let mut le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(le.clone()).1, TextEncoding::Utf16Le);
        assert_eq!(decode(le.clone()).0, text);
        le.splice(0..0, [0xFF, 0xFE]);
        assert_eq!(decode(le).0, text);
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let found = (text.to_string(), TextEncoding::Utf16Be, Decoder::AsIs);
        assert_eq!(decode(be), found);
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let found = (text.to_string(), TextEncoding::Utf8Bom, Decoder::AsIs);
        assert_eq!(decode(bom), found);
        assert_eq!(decode(text.into()).1, TextEncoding::Utf8);
        assert_eq!(
            decode(b"Nguy\xea\xden".to_vec()).1,
            TextEncoding::Windows1258
        );
    }
}
