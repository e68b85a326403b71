//! Legacy Vietnamese font encodings (TCVN3/ABC and VNI) and Windows-1258, decided per column.
//!
//! Text typed with a legacy font is stored as Windows-1252 characters (`Hµ Néi`, `Nguyeãn`): the
//! font, not the code point, made it Vietnamese. The same shape appears in a non-UTF-8 text file,
//! which this reader decodes as Windows-1252 first so no byte is lost. Each column then gets the
//! decoder under which most of its cells read as plausible Vietnamese syllables; the tables come
//! from `src/data/legacy_*.tsv`.

use std::collections::HashMap;
use std::sync::OnceLock;

use encoding_rs::{WINDOWS_1252, WINDOWS_1258};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::text;

/// A legacy font encoding found in a column and converted to Unicode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum LegacyEncoding {
    /// TCVN3 (TCVN 5712 VN3, the ABC `.VnTime` fonts): `Hµ Néi` → `Hà Nội`.
    Tcvn3,
    /// VNI Windows (`VNI-Times` fonts): `Nguyeãn` → `Nguyễn`.
    Vni,
}

impl LegacyEncoding {
    /// Name shown to the user.
    pub fn as_str(self) -> &'static str {
        match self {
            LegacyEncoding::Tcvn3 => "TCVN3 (ABC)",
            LegacyEncoding::Vni => "VNI",
        }
    }
}

/// How the text cells of one column are turned into Unicode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decoder {
    /// Already Unicode.
    AsIs,
    /// Windows-1252 view of Windows-1258 bytes (a non-UTF-8 text file).
    Cp1258,
    /// Windows-1252 view of legacy-font bytes.
    Legacy(LegacyEncoding),
}

enum VniEntry {
    Mark(String),
    Letter(char),
}

struct Tables {
    /// Windows-1252 character → byte, for the 0x80–0x9F block that is not Latin-1.
    cp1252_high: HashMap<char, u8>,
    tcvn3: HashMap<u8, char>,
    vni: HashMap<u8, VniEntry>,
}

fn data_lines(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn hex_byte(s: &str) -> u8 {
    u8::from_str_radix(s, 16).expect("legacy tables hold hex bytes")
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let cp1252_high = (0x80u8..=0x9F)
            .filter_map(|b| {
                let byte = [b];
                let (s, _) = WINDOWS_1252.decode_without_bom_handling(&byte);
                s.chars().next().map(|c| (c, b))
            })
            .collect();
        let tcvn3 = data_lines(include_str!("../data/legacy_tcvn3.tsv"))
            .map(|cols| {
                let letter = cols[1].chars().next().expect("a letter per row");
                (hex_byte(cols[0]), letter)
            })
            .collect();
        let vni = data_lines(include_str!("../data/legacy_vni.tsv"))
            .map(|cols| {
                let entry = match cols[1] {
                    "mark" => VniEntry::Mark(
                        cols[2]
                            .split(' ')
                            .map(|h| {
                                char::from_u32(u32::from_str_radix(h, 16).expect("hex mark"))
                                    .expect("a combining mark")
                            })
                            .collect(),
                    ),
                    _ => VniEntry::Letter(cols[2].chars().next().expect("a letter per row")),
                };
                (hex_byte(cols[0]), entry)
            })
            .collect();
        Tables {
            cp1252_high,
            tcvn3,
            vni,
        }
    })
}

/// The Windows-1252 byte of `c`, when it has one.
fn cp1252_byte(c: char) -> Option<u8> {
    match u32::from(c) {
        n @ (0..=0x7F | 0xA0..=0xFF) => Some(n as u8),
        _ => tables().cp1252_high.get(&c).copied(),
    }
}

/// The bytes behind a Windows-1252 view of text, or `None` when it holds other characters (it is
/// real Unicode, not a font-encoded string).
fn cp1252_bytes(s: &str) -> Option<Vec<u8>> {
    s.chars().map(cp1252_byte).collect()
}

/// Decodes a non-UTF-8 text file byte for byte, so that every column can later be decoded on its
/// own as Windows-1258, TCVN3 or VNI.
pub(crate) fn cp1252_view(bytes: &[u8]) -> String {
    WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

fn tcvn3(bytes: &[u8]) -> String {
    let table = &tables().tcvn3;
    let converted: String = bytes
        .iter()
        .map(|b| table.get(b).copied().unwrap_or(char::from(*b)))
        .collect();
    // The upper-case fonts (.VnTimeH) store capitals at the lower-case positions, so text whose
    // ASCII letters are all capitals is upper-case text (`NGUYÔN` is `NGUYỄN`). One capital
    // letter alone (`Hµ`) is a capitalised word, not upper-case text.
    let ascii_letters = || bytes.iter().filter(|b| b.is_ascii_alphabetic());
    if ascii_letters().nth(1).is_some() && ascii_letters().all(u8::is_ascii_uppercase) {
        converted.to_uppercase()
    } else {
        converted
    }
}

fn is_vowel(c: char) -> bool {
    matches!(
        c.to_ascii_lowercase(),
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ơ' | 'ư'
    ) || matches!(c, 'Ơ' | 'Ư')
}

fn vni(bytes: &[u8]) -> String {
    let table = &tables().vni;
    let mut out = String::with_capacity(bytes.len() + 8);
    // The base letter of the last character pushed, when it can carry a mark.
    let mut after_vowel = false;
    for &b in bytes {
        match table.get(&b) {
            Some(VniEntry::Mark(marks)) if after_vowel => out.push_str(marks),
            Some(VniEntry::Letter(c)) => {
                out.push(*c);
                after_vowel = is_vowel(*c);
            }
            _ => {
                let c = char::from(b);
                out.push(c);
                after_vowel = is_vowel(c);
            }
        }
    }
    out
}

/// [`decode`] into the cell's own string, which is kept when decoding would not change it (the
/// common case): re-allocating every cell doubles the memory a 200,000-row export needs.
pub(crate) fn decode_in_place(decoder: Decoder, s: &mut String) {
    if (decoder == Decoder::AsIs || s.is_ascii()) && text::is_clean(s) {
        return;
    }
    let decoded = decode(decoder, s);
    if decoded != *s {
        *s = decoded;
    }
}

/// Decodes one cell's text; the result is cleaned (NFC, spaces) like every value leaving the
/// reader. Text that is not a Windows-1252 view (real Unicode) is kept as it is.
pub(crate) fn decode(decoder: Decoder, s: &str) -> String {
    let bytes = match decoder {
        Decoder::AsIs => None,
        _ if s.is_ascii() => None,
        _ => cp1252_bytes(s),
    };
    let Some(bytes) = bytes else {
        return text::clean(s);
    };
    match decoder {
        Decoder::Cp1258 => text::clean(&WINDOWS_1258.decode_without_bom_handling(&bytes).0),
        Decoder::Legacy(LegacyEncoding::Tcvn3) => text::clean(&tcvn3(&bytes)),
        Decoder::Legacy(LegacyEncoding::Vni) => text::clean(&vni(&bytes)),
        Decoder::AsIs => text::clean(s),
    }
}

/// Vowel sequences of Vietnamese syllables, without tone, after `qu`/`gi` lost their glide.
const NUCLEI: [&str; 53] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "oai", "oao", "oay", "oeo", "uây",
    "uôi", "uya", "uyê", "ươi", "yêu",
];

const TONES: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

fn is_vn_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// True when every word of `s` could be a Vietnamese syllable (or plain ASCII): only Vietnamese
/// letters, at most one tone, one known vowel sequence. Mojibake fails on the first two counts.
pub(crate) fn plausible(s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric() && !TONES.contains(&c) && !is_combining(c))
        .filter(|w| !w.is_empty())
        .all(plausible_word)
}

fn is_combining(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn plausible_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    let mut tones = 0;
    let mut base = String::with_capacity(lower.len());
    for c in lower.nfd() {
        if TONES.contains(&c) {
            tones += 1;
        } else {
            base.push(c);
        }
    }
    if tones > 1 {
        return false;
    }
    let base: String = base.nfc().collect();
    if !base
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, 'ă' | 'â' | 'đ' | 'ê' | 'ô' | 'ơ' | 'ư'))
    {
        return false;
    }
    if base.is_ascii() && tones == 0 {
        return true;
    }
    let glide_free = base
        .strip_prefix("qu")
        .or_else(|| {
            base.strip_prefix("gi")
                .filter(|rest| rest.starts_with(is_vn_vowel))
        })
        .unwrap_or(&base);
    let runs: Vec<&str> = glide_free
        .split(|c: char| !is_vn_vowel(c))
        .filter(|r| !r.is_empty())
        .collect();
    match runs.as_slice() {
        [] => tones == 0,
        [nucleus] => NUCLEI.contains(nucleus),
        _ => false,
    }
}

/// Cells examined per column when choosing its decoder: enough to outvote a few odd cells, few
/// enough to keep a 200,000-row file fast.
const SAMPLE: usize = 400;

/// Cells of a column looked at, at most, to find that sample: a column of real Unicode names has
/// no candidates at all, and scanning 200,000 of them would cost more than decoding them.
const SCAN: usize = 20_000;

/// The decoder chosen for one column, with the evidence.
#[derive(Debug, Clone)]
pub(crate) struct ColumnChoice {
    pub decoder: Decoder,
    /// Cells whose text could be font-encoded (non-ASCII, all Windows-1252), within the sample.
    pub candidates: usize,
    /// Of those, how many read as plausible Vietnamese under `decoder`.
    pub plausible: usize,
    /// A candidate cell that is not plausible under `decoder`, for error messages.
    pub doubtful: Option<String>,
    /// A cell before and after conversion, when a legacy decoder was chosen.
    pub sample: Option<(String, String)>,
}

/// Chooses the decoder for a column from its text cells: the source's own (`default`) unless a
/// legacy font encoding makes more of them plausible, and at least half.
pub(crate) fn choose<'a>(default: Decoder, cells: impl Iterator<Item = &'a str>) -> ColumnChoice {
    let candidates: Vec<&str> = cells
        .take(SCAN)
        .filter(|s| !s.is_ascii() && s.chars().all(|c| cp1252_byte(c).is_some()))
        .take(SAMPLE)
        .collect();
    let score = |d: Decoder| {
        candidates
            .iter()
            .filter(|s| plausible(&decode(d, s)))
            .count()
    };
    let mut best = (default, score(default));
    if !candidates.is_empty() {
        for legacy in [LegacyEncoding::Tcvn3, LegacyEncoding::Vni] {
            let d = Decoder::Legacy(legacy);
            let n = score(d);
            if n > best.1 && n * 2 >= candidates.len() {
                best = (d, n);
            }
        }
    }
    let (decoder, plausible_count) = best;
    let doubtful = candidates
        .iter()
        .find(|s| !plausible(&decode(decoder, s)))
        .map(|s| text::clean(s));
    let sample = matches!(decoder, Decoder::Legacy(_))
        .then(|| candidates.first())
        .flatten()
        .map(|s| (text::clean(s), decode(decoder, s)));
    ColumnChoice {
        decoder,
        candidates: candidates.len(),
        plausible: plausible_count,
        doubtful,
        sample,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_mojibake_converts() {
        let d = Decoder::Legacy(LegacyEncoding::Tcvn3);
        assert_eq!(decode(d, "Hµ Néi"), "Hà Nội");
        assert_eq!(decode(d, "B¶o Th¾ng"), "Bảo Thắng");
        assert_eq!(decode(d, "Ph¹m ThÞ H\u{AD}¬ng"), "Phạm Thị Hương");
        assert_eq!(decode(d, "NGUYÔN V¡N AN"), "NGUYỄN VĂN AN");
        assert_eq!(decode(d, "NGUYÔN THÞ Hµ"), "NGUYỄN THỊ HÀ");
    }

    #[test]
    fn vni_mojibake_converts() {
        let d = Decoder::Legacy(LegacyEncoding::Vni);
        assert_eq!(decode(d, "Nguyeãn Vaên Tröôøng"), "Nguyễn Văn Trường");
        assert_eq!(decode(d, "Ñaø Naüng"), "Đà Nẵng");
        assert_eq!(decode(d, "Leâ Thò Phöôùc"), "Lê Thị Phước");
    }

    #[test]
    fn windows_1258_combining_marks_compose_to_nfc() {
        let view = cp1252_view(b"Nguy\xea\xden");
        assert_eq!(decode(Decoder::Cp1258, &view), "Nguyễn");
    }

    #[test]
    fn plausibility_tells_vietnamese_from_mojibake() {
        for ok in [
            "Nguyễn Thị Thủy",
            "Hà Nội",
            "Quảng Ninh",
            "Giang",
            "Khuya",
            "Ksor H'Bia",
        ] {
            assert!(plausible(ok), "{ok}");
        }
        for bad in ["Hµ Néi", "Nguyeãn", "Vaên", "Nguyờịn", "Tröôøng"] {
            assert!(!plausible(bad), "{bad}");
        }
    }

    #[test]
    fn choice_prefers_the_source_unless_a_legacy_table_reads_better() {
        let unicode = ["Nguyễn Văn An", "Hoà", "Lê Thị Hồng"];
        assert_eq!(
            choose(Decoder::AsIs, unicode.into_iter()).decoder,
            Decoder::AsIs
        );
        let tcvn = ["NguyÔn V¨n An", "Hµ Néi", "Lª ThÞ Hång"];
        assert_eq!(
            choose(Decoder::AsIs, tcvn.into_iter()).decoder,
            Decoder::Legacy(LegacyEncoding::Tcvn3)
        );
        let vni = ["Nguyeãn Vaên An", "Leâ Thò Hoàng"];
        assert_eq!(
            choose(Decoder::AsIs, vni.into_iter()).decoder,
            Decoder::Legacy(LegacyEncoding::Vni)
        );
    }
}
