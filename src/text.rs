//! Vietnamese text normalisation shared by every stage.
//!
//! Text from scans, CSV files, spreadsheets and legacy encodings arrives in many Unicode shapes that
//! render identically: NFC or NFD, `Ð` (U+00D0) instead of `Đ` (U+0110), non-breaking or doubled
//! spaces, and two accepted tone placements (`Hoà`/`Hòa`, `Thuỷ`/`Thủy`). Every value is cleaned with
//! [`clean`] at the edge of the program, and compared through the keys built here, never as raw strings.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// The five Vietnamese tone marks as combining characters, in the order used by [`Tone`].
const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// Cleans text for display and storage: NFC, `Ð`/`ð` mapped to `Đ`/`đ`, every kind of Unicode
/// space (including non-breaking and zero-width) turned into one ASCII space, runs of spaces
/// collapsed, control characters dropped, ends trimmed.
pub fn clean(s: &str) -> String {
    if is_clean(s) {
        s.to_string()
    } else if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        clean_chars(s.len(), s.chars())
    } else {
        clean_chars(s.len(), s.nfc())
    }
}

/// True when [`clean`] would return `s` unchanged. Most text already is clean, and checking is
/// much cheaper than rebuilding it: cleaning dominated reading a 200,000-row export before.
pub fn is_clean(s: &str) -> bool {
    let tidy_spaces = !s.starts_with(' ') && !s.ends_with(' ') && !s.contains("  ");
    if s.is_ascii() {
        // ASCII is always NFC; only controls (tabs, newlines) need cleaning.
        return tidy_spaces && s.bytes().all(|b| (b' '..=b'~').contains(&b));
    }
    tidy_spaces
        && s.chars().all(|c| !changed_by_clean(c))
        && is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// Whether [`clean`] maps, drops or turns `c` into a space. Vietnamese letters (Latin-1 and
/// Latin Extended, U+1EA0–U+1EF9) are answered by range, without the Unicode table look-ups.
fn changed_by_clean(c: char) -> bool {
    match u32::from(c) {
        0x20 => false,
        0..=0x7F => !(0x21..=0x7E).contains(&u32::from(c)),
        0x80..=0xA0 | 0xD0 | 0xF0 => true,
        0xA1..=0x167F => false,
        _ => {
            c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
        }
    }
}

fn clean_chars(len: usize, chars: impl Iterator<Item = char>) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for c in chars {
        let c = match c {
            '\u{00D0}' => 'Đ',
            '\u{00F0}' => 'đ',
            c => c,
        };
        if c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}') {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Comparison key that keeps every letter and tone but ignores case, spacing, Unicode form and tone
/// placement: each syllable becomes its toneless letters followed by a tone digit (`hòa`, `hoà` →
/// `hoa2`; `Thuỷ`, `Thủy` → `thuy4`). Two strings with equal keys are the same Vietnamese text.
pub fn exact_key(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len() + 8);
    for (i, word) in cleaned.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.is_ascii() {
            out.push_str(&word.to_ascii_lowercase());
            continue;
        }
        let mut tone = None;
        let mut letters = String::with_capacity(word.len());
        for c in word.nfd() {
            match TONE_MARKS.iter().position(|&t| t == c) {
                Some(t) => tone = Some(t),
                None => letters.push(c),
            }
        }
        out.extend(letters.nfc().flat_map(char::to_lowercase));
        if let Some(t) = tone {
            out.push(char::from(b'1' + t as u8));
        }
    }
    out
}

/// Key without any diacritic: lower case ASCII-ish letters, `đ` → `d`. Used for blocking (finding
/// candidates when OCR lost marks) and for fuzzy header matching; never as proof of equality.
pub fn fold_key(s: &str) -> String {
    let cleaned = clean(s);
    if cleaned.is_ascii() {
        return cleaned.to_ascii_lowercase();
    }
    cleaned
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'Đ' | 'đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Fold for header and label matching: like [`fold_key`] but punctuation dropped and every run of
/// non-alphanumerics squeezed to nothing, so `Ngày, tháng, năm sinh`, `NgayThangNamSinh` and
/// `ngay thang nam sinh` all give `ngaythangnamsinh`.
pub fn label_key(s: &str) -> String {
    fold_key(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Title Case the way Vietnamese names are written in a database (`NGUYỄN THỊ THỦY` →
/// `Nguyễn Thị Thủy`), applied to cleaned text.
pub fn title_case(s: &str) -> String {
    clean(s)
        .split(' ')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when `s` holds any Vietnamese letter with a diacritic (used to tell text that lost its
/// marks, e.g. `NGUYEN VAN AN`, from text that kept them).
pub fn has_diacritics(s: &str) -> bool {
    s.nfd().any(is_combining_mark) || s.chars().any(|c| matches!(c, 'Đ' | 'đ' | 'Ð'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_composes_nfd_and_maps_eth_to_d_with_stroke() {
        let nfd: String = "Nguyễn Thị Thủy".nfd().collect();
        assert_eq!(clean(&nfd), "Nguyễn Thị Thủy");
        assert_eq!(clean("\u{00D0}inh"), "Đinh");
    }

    #[test]
    fn is_clean_agrees_with_clean() {
        let nfd: String = "Thủy".nfd().collect();
        for s in [
            "Nguyễn Thị Thủy",
            "B 1234567",
            " a",
            "a  b",
            "a\u{00A0}b",
            "\u{00D0}inh",
            &nfd,
            "",
        ] {
            assert_eq!(is_clean(s), clean(s) == s, "{s:?}");
        }
    }

    #[test]
    fn clean_collapses_non_breaking_doubled_and_zero_width_spaces() {
        assert_eq!(clean("  Lê\u{00A0}\u{00A0}Văn \u{200B} An\t"), "Lê Văn An");
    }

    #[test]
    fn exact_key_ignores_tone_placement_case_and_form() {
        for (a, b) in [
            ("Hoà", "hòa"),
            ("Thuỷ", "THỦY"),
            ("khoẻ", "Khỏe"),
            ("Quý", "quý"),
        ] {
            assert_eq!(exact_key(a), exact_key(b), "{a} vs {b}");
        }
        let nfd: String = "Phạm Thị Hoà".nfd().collect();
        assert_eq!(exact_key(&nfd), exact_key("PHẠM THỊ HÒA"));
    }

    #[test]
    fn exact_key_keeps_different_tones_and_letters_apart() {
        assert_ne!(exact_key("Hương"), exact_key("Hường"));
        assert_ne!(exact_key("Trần"), exact_key("Trân"));
        assert_ne!(exact_key("Đinh"), exact_key("Dinh"));
        assert_ne!(exact_key("Lê"), exact_key("Lâ"));
    }

    #[test]
    fn fold_key_drops_every_mark_and_the_stroke() {
        assert_eq!(fold_key("ĐẶNG Thị Hường"), "dang thi huong");
    }

    #[test]
    fn label_key_ignores_punctuation_spacing_and_camel_case() {
        assert_eq!(label_key("Ngày, tháng, năm sinh"), "ngaythangnamsinh");
        assert_eq!(label_key("NgayThangNamSinh"), "ngaythangnamsinh");
    }

    #[test]
    fn title_case_lowers_the_rest_of_each_word() {
        assert_eq!(title_case("NGUYỄN  THỊ THỦY"), "Nguyễn Thị Thủy");
    }
}
