//! Vietnamese text normalisation shared by every stage.
//!
//! Text from scans, CSV files, spreadsheets and legacy encodings arrives in many Unicode shapes that
//! render identically: NFC or NFD, `Ð` (U+00D0) instead of `Đ` (U+0110), non-breaking or doubled
//! spaces, and two accepted tone placements (`Hoà`/`Hòa`, `Thuỷ`/`Thủy`). Every value is cleaned with
//! [`clean`] at the edge of the program, and compared through the keys built here, never as raw strings.

use std::borrow::Cow;
use std::sync::OnceLock;

use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// The five Vietnamese tone marks as combining characters, in the order of [`exact_key`]'s tone
/// digits (`1` for the grave accent … `5` for the dot below).
const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// Cleans text for display and storage: NFC, `Ð`/`ð` mapped to `Đ`/`đ`, every kind of Unicode
/// space (including non-breaking and zero-width) turned into one ASCII space, runs of spaces
/// collapsed, control characters dropped, ends trimmed.
pub fn clean(s: &str) -> String {
    cleaned(s).into_owned()
}

/// [`clean`] without copying text that is already clean, which most text is.
fn cleaned(s: &str) -> Cow<'_, str> {
    if is_clean(s) {
        Cow::Borrowed(s)
    } else if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Owned(clean_chars(s.len(), s.chars()))
    } else {
        Cow::Owned(clean_chars(s.len(), s.nfc()))
    }
}

/// True when [`clean`] would return `s` unchanged. Most text already is clean, and checking is
/// much cheaper than rebuilding it: cleaning dominated reading a 200,000-row export before.
pub fn is_clean(s: &str) -> bool {
    let tidy_spaces = !s.starts_with(' ') && !s.ends_with(' ') && !s.contains("  ");
    if !tidy_spaces {
        return false;
    }
    if s.is_ascii() {
        // ASCII is always NFC; only controls (tabs, newlines) need cleaning.
        return s.bytes().all(|b| (b' '..=b'~').contains(&b));
    }
    // Printable ASCII and the letters of the table are NFC starters that nothing composes with,
    // so text made only of them is NFC without asking the Unicode tables character by character.
    s.chars()
        .all(|c| matches!(c, ' '..='~') || letter(c).is_some())
        || (s.chars().all(|c| !changed_by_clean(c)) && is_nfc_quick(s.chars()) == IsNormalized::Yes)
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

/// What the keys make of one precomposed letter, worked out once through the normalising path.
/// Decomposing every letter of every name was a quarter of the time spent reading a
/// 200,000-row export, for a few hundred distinct letters.
struct Letter {
    /// Its part of [`exact_key`]: the letter without its tone, lower case.
    exact: String,
    /// Index in [`TONE_MARKS`] of its tone mark.
    tone: Option<usize>,
    /// Its part of [`fold_key`].
    fold: String,
}

/// Code point blocks holding every Vietnamese letter: Latin-1 Supplement to Latin Extended-B,
/// and Latin Extended Additional.
const LETTER_BLOCKS: [(u32, u32); 2] = [(0xC0, 0x250), (0x1E00, 0x1F00)];

/// The table entry of `c`, or `None` for characters outside [`LETTER_BLOCKS`] and any whose keys
/// could depend on their neighbours. A letter is in the table when it is kept by [`clean`], NFC,
/// a starter, and decomposes to a starter that composes with nothing before it: then the
/// decomposition of a word is the concatenation of its letters' decompositions, and its
/// recomposition the concatenation of theirs, so per-letter keys concatenate to the word's key.
fn letter(c: char) -> Option<&'static Letter> {
    static TABLE: OnceLock<Vec<Option<Letter>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        LETTER_BLOCKS
            .iter()
            .flat_map(|&(start, end)| start..end)
            .map(|cp| char::from_u32(cp).and_then(letter_keys))
            .collect()
    });
    let cp = u32::from(c);
    let mut base = 0;
    for (start, end) in LETTER_BLOCKS {
        if (start..end).contains(&cp) {
            return table[base + (cp - start) as usize].as_ref();
        }
        base += (end - start) as usize;
    }
    None
}

fn letter_keys(c: char) -> Option<Letter> {
    let single = |c: char| {
        canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
    };
    let base = c.nfd().next()?;
    if !c.is_alphabetic() || changed_by_clean(c) || !single(c) || !single(base) {
        return None;
    }
    let word = c.to_string();
    let mut exact = String::new();
    let tone = exact_word_by_normalising(&word, &mut exact);
    Some(Letter {
        exact,
        tone,
        fold: fold_by_normalising(&word),
    })
}

/// Comparison key that keeps every letter and tone but ignores case, spacing, Unicode form and tone
/// placement: each syllable becomes its toneless letters followed by a tone digit (`hòa`, `hoà` →
/// `hoa1`; `Thuỷ`, `Thủy` → `thuy4`). Two strings with equal keys are the same Vietnamese text.
pub fn exact_key(s: &str) -> String {
    let cleaned = cleaned(s);
    let mut out = String::with_capacity(cleaned.len() + 8);
    for (i, word) in cleaned.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let start = out.len();
        let tone = exact_word_by_table(word, &mut out).unwrap_or_else(|| {
            out.truncate(start);
            exact_word_by_normalising(word, &mut out)
        });
        if let Some(t) = tone {
            out.push(char::from(b'1' + t as u8));
        }
    }
    out
}

/// Appends a cleaned word's toneless lower-case letters to `out` from the [`letter`] table, and
/// returns its tone (the last one written, as [`exact_word_by_normalising`] does); `None` when a
/// character is not in the table.
fn exact_word_by_table(word: &str, out: &mut String) -> Option<Option<usize>> {
    let mut tone = None;
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            let l = letter(c)?;
            out.push_str(&l.exact);
            tone = l.tone.or(tone);
        }
    }
    Some(tone)
}

/// The general form of [`exact_word_by_table`]: decompose, set the tone aside, recompose.
fn exact_word_by_normalising(word: &str, out: &mut String) -> Option<usize> {
    let mut tone = None;
    let mut letters = String::with_capacity(word.len());
    for c in word.nfd() {
        match TONE_MARKS.iter().position(|&t| t == c) {
            Some(t) => tone = Some(t),
            None => letters.push(c),
        }
    }
    out.extend(letters.nfc().flat_map(char::to_lowercase));
    tone
}

/// Key without any diacritic: lower case ASCII-ish letters, `đ` → `d`. Used for blocking (finding
/// candidates when OCR lost marks) and for fuzzy header matching; never as proof of equality.
pub fn fold_key(s: &str) -> String {
    let cleaned = cleaned(s);
    if cleaned.is_ascii() {
        return cleaned.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(cleaned.len());
    for c in cleaned.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            match letter(c) {
                Some(l) => out.push_str(&l.fold),
                None => return fold_by_normalising(&cleaned),
            }
        }
    }
    out
}

/// The general form of [`fold_key`] on cleaned text: decompose and drop every mark.
fn fold_by_normalising(cleaned: &str) -> String {
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

    /// Every pair of table letters (and a letter beside ASCII), keyed through the table and
    /// through normalisation: the table is only a shortcut.
    #[test]
    fn letter_table_keys_agree_with_normalising() {
        let letters: Vec<char> = LETTER_BLOCKS
            .iter()
            .flat_map(|&(start, end)| start..end)
            .filter_map(char::from_u32)
            .filter(|&c| letter(c).is_some())
            .collect();
        assert!(letters.len() > 300, "{} letters", letters.len());
        for &a in &letters {
            for b in letters.iter().copied().chain(['a', 'Q', '\'']) {
                let word: String = [a, b].into_iter().collect();
                let mut by_table = String::new();
                let mut by_normalising = String::new();
                let tone = exact_word_by_table(&word, &mut by_table);
                let expected = exact_word_by_normalising(&word, &mut by_normalising);
                assert_eq!(tone, Some(expected), "{word:?}");
                assert_eq!(by_table, by_normalising, "{word:?}");
                assert_eq!(fold_key(&word), fold_by_normalising(&word), "{word:?}");
                assert!(is_clean(&word), "{word:?}");
            }
        }
    }

    #[test]
    fn words_outside_the_table_are_normalised() {
        let nfd: String = "Thủy".nfd().collect();
        assert_eq!(exact_key(&format!("a{nfd}")), "athuy4");
        assert_eq!(fold_key("Ελλάδα Ả"), "ελλαδα a");
        assert_eq!(exact_key("Hòa Thủy"), "hoa1 thuy4");
        assert!(letter('\u{0301}').is_none() && letter('\u{00D0}').is_none());
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
