//! Per-field comparison of a paper row with a database row.
//!
//! Each field is compared on normalised values only (name and place keys, dates as dates, diploma
//! numbers as series letter + digits) and given a [`Level`]. Each level carries a weight in the
//! spirit of Fellegi–Sunter: roughly log2(P(level | same person) / P(level | different people)),
//! so agreement on a rare value (a diploma number) adds much, agreement on a common one (gender)
//! little, and a disagreement subtracts. The sum of the weights is the pair's match score.

use serde::Serialize;

use crate::fields::{Date, DiplomaNo, Field};
use crate::rows::Record;

/// How well one field of a paper row agrees with the same field of a database row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Same normalised value.
    Exact,
    /// Accepted variant of the same value (`Lý`/`Lí`); never reported as a discrepancy.
    Equivalent,
    /// A date whose day and month are exchanged.
    DayMonthSwapped,
    /// Differs in a way typing or OCR commonly produces (one digit, diacritics only, one word
    /// missing): still evidence for the pair, and a discrepancy.
    Close,
    /// Unrelated values.
    Different,
    /// Empty on at least one side: no evidence either way.
    Missing,
}

impl Level {
    /// True when the two values count as the same (no discrepancy).
    pub fn agrees(self) -> bool {
        matches!(self, Level::Exact | Level::Equivalent)
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Exact => "exact",
            Level::Equivalent => "equivalent",
            Level::DayMonthSwapped => "day_month_swapped",
            Level::Close => "close",
            Level::Different => "different",
            Level::Missing => "missing",
        }
    }
}

/// The fields matching compares, in the order explanations list them. `stt` (row numbers differ
/// between paper and export by design) and `note` (free text) are not compared.
pub const COMPARED: [Field; 8] = [
    Field::DiplomaNo,
    Field::Dob,
    Field::Name,
    Field::RegisterNo,
    Field::Birthplace,
    Field::Gender,
    Field::Ethnicity,
    Field::Grade,
];

/// Weight of a level for a field (log2 likelihood ratio, rounded). Why these values:
/// - diploma number: a serial unique per person, so exact agreement is near proof (+12); but
///   serials are consecutive within a school, so "one digit off" also describes the neighbours
///   on the same page and is weak (+3);
/// - date of birth: ~1,100 distinct dates in a cohort (+9 ≈ log2 of 1/500 chance agreement);
///   a swap or one-digit slip keeps some evidence;
/// - name: exact full-name agreement is strong but not unique (+8); a close spelling less so;
/// - register number: consecutive like the diploma serial, so exact +8 and close only +2;
/// - birthplace, gender, ethnicity, grade: shared by many people, small weights, yet a
///   disagreement still argues against the pair.
pub fn weight(field: Field, level: Level) -> f64 {
    use Level::*;
    match (field, level) {
        (_, Missing) => 0.0,
        (Field::DiplomaNo, Exact | Equivalent) => 12.0,
        (Field::DiplomaNo, Close | DayMonthSwapped) => 3.0,
        (Field::DiplomaNo, Different) => -8.0,
        (Field::Dob, Exact) => 9.0,
        (Field::Dob, Equivalent) => 7.0,
        (Field::Dob, DayMonthSwapped) => 5.0,
        (Field::Dob, Close) => 3.0,
        (Field::Dob, Different) => -6.0,
        (Field::Name, Exact) => 8.0,
        (Field::Name, Equivalent) => 7.0,
        (Field::Name, Close | DayMonthSwapped) => 4.0,
        (Field::Name, Different) => -6.0,
        (Field::RegisterNo, Exact | Equivalent) => 8.0,
        (Field::RegisterNo, Close | DayMonthSwapped) => 2.0,
        (Field::RegisterNo, Different) => -4.0,
        (Field::Birthplace, Exact | Equivalent) => 2.0,
        (Field::Birthplace, Close | DayMonthSwapped) => 1.0,
        (Field::Birthplace, Different) => -2.0,
        (Field::Gender, Exact | Equivalent) => 1.0,
        (Field::Gender, _) => -3.0,
        (Field::Ethnicity, Exact | Equivalent) => 0.5,
        (Field::Ethnicity, _) => -3.0,
        (Field::Grade, Exact | Equivalent) => 0.5,
        (Field::Grade, _) => -1.0,
        (Field::Stt | Field::Note, _) => 0.0,
    }
}

/// The level of one field plus, for differences, a snake_case word saying what kind
/// (`day_month_swapped`, `digit_typo`, `diacritics_only` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The level.
    pub level: Level,
    /// What kind of difference, when there is one and it has a name.
    pub detail: Option<&'static str>,
}

impl Outcome {
    fn of(level: Level) -> Outcome {
        Outcome {
            level,
            detail: None,
        }
    }

    fn with(level: Level, detail: &'static str) -> Outcome {
        Outcome {
            level,
            detail: Some(detail),
        }
    }
}

/// Compares one field of two records.
pub fn compare(field: Field, scan: &Record, db: &Record) -> Outcome {
    fn both<T, U>(a: &Option<T>, b: &Option<T>, f: impl FnOnce(&T, &T) -> U) -> Option<U> {
        Some(f(a.as_ref()?, b.as_ref()?))
    }
    let eq = |same: bool| Outcome::of(if same { Level::Exact } else { Level::Different });
    let outcome = match field {
        Field::Name => both(&scan.name, &db.name, |a, b| {
            compare_text(a.key(), b.key(), a.folded(), b.folded())
        }),
        Field::Birthplace => both(&scan.birthplace, &db.birthplace, |a, b| {
            if a == b {
                Outcome::of(Level::Exact)
            } else {
                compare_place(&a.key(), &b.key(), &a.folded(), &b.folded())
            }
        }),
        Field::Dob => both(&scan.dob, &db.dob, |a, b| compare_date(*a, *b)),
        Field::DiplomaNo => both(&scan.diploma_no, &db.diploma_no, compare_diploma),
        Field::RegisterNo => both(&scan.register_no, &db.register_no, |a, b| {
            compare_register(a.as_str(), b.as_str())
        }),
        Field::Gender => both(&scan.gender, &db.gender, |a, b| eq(a == b)),
        Field::Ethnicity => both(&scan.ethnicity, &db.ethnicity, |a, b| eq(a == b)),
        Field::Grade => both(&scan.grade, &db.grade, |a, b| eq(a == b)),
        Field::Stt | Field::Note => None,
    };
    outcome.unwrap_or(Outcome::of(Level::Missing))
}

/// Names: exact key; `y`/`i` variant; diacritics only (OCR drops or confuses stacked marks, `Đ`
/// loses its bar); one word missing (a middle name); a small OCR-weighted edit distance.
fn compare_text(key_a: &str, key_b: &str, fold_a: &str, fold_b: &str) -> Outcome {
    if key_a == key_b {
        return Outcome::of(Level::Exact);
    }
    // `y`→`i` keeps byte lengths, so keys of different lengths cannot be variants.
    if key_a.len() == key_b.len() && y_to_i(key_a) == y_to_i(key_b) {
        return Outcome::with(Level::Equivalent, "y_i_variant");
    }
    if fold_a == fold_b {
        return Outcome::with(Level::Close, "diacritics_only");
    }
    if one_word_missing(key_a, key_b) {
        return Outcome::with(Level::Close, "missing_word");
    }
    if fold_a.len().abs_diff(fold_b.len()) > 4 {
        return Outcome::of(Level::Different);
    }
    let a: Vec<char> = fold_a.chars().collect();
    let b: Vec<char> = fold_b.chars().collect();
    let limit = (a.len().max(b.len()) as f64 * 0.2).min(2.0);
    if ocr_distance(&a, &b, limit) <= limit {
        return Outcome::with(Level::Close, "spelling");
    }
    Outcome::of(Level::Different)
}

/// Places: like names, plus "one is a part of the other" (`Hải Phòng` vs `Lê Chân - Hải Phòng`),
/// which is reported because the database then holds less than the paper.
fn compare_place(key_a: &str, key_b: &str, fold_a: &str, fold_b: &str) -> Outcome {
    let text = compare_text(key_a, key_b, fold_a, fold_b);
    if text.level != Level::Different {
        return text;
    }
    let parts_a: Vec<&str> = key_a.split('|').collect();
    let parts_b: Vec<&str> = key_b.split('|').collect();
    let (short, long) = if parts_a.len() <= parts_b.len() {
        (&parts_a, &parts_b)
    } else {
        (&parts_b, &parts_a)
    };
    if short.iter().all(|p| long.contains(p)) {
        return Outcome::with(Level::Close, "partial");
    }
    text
}

/// Syllables whose only vowel is `y` after a consonant (`lý`, `kỳ`, `mỹ`, `quý`) are also written
/// with `i`; both spellings are accepted, so they share this key. `uy` (`Thuỷ`) is a different
/// vowel and is kept.
fn y_to_i(key: &str) -> String {
    key.split(' ')
        .map(|word| {
            let letters = word.trim_end_matches(|c: char| c.is_ascii_digit());
            let tone = &word[letters.len()..];
            match letters.strip_suffix('y') {
                Some(onset)
                    if !onset.is_empty()
                        && (onset == "qu" || !onset.chars().any(is_vowel_letter)) =>
                {
                    format!("{onset}i{tone}")
                }
                _ => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_vowel_letter(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// True when the word lists differ by exactly one word left out, order kept.
fn one_word_missing(a: &str, b: &str) -> bool {
    if a.matches(' ').count().abs_diff(b.matches(' ').count()) != 1 {
        return false;
    }
    let wa: Vec<&str> = a.split(' ').collect();
    let wb: Vec<&str> = b.split(' ').collect();
    let (short, long) = if wa.len() < wb.len() {
        (wa, wb)
    } else {
        (wb, wa)
    };
    if long.len() != short.len() + 1 || short.is_empty() {
        return false;
    }
    (0..long.len()).any(|skip| {
        long.iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, w)| w)
            .eq(short.iter())
    })
}

/// Pairs of characters OCR and typists confuse; substituting one for the other costs half.
const CONFUSABLE: [(char, char); 14] = [
    ('1', '7'),
    ('0', '8'),
    ('5', '6'),
    ('3', '8'),
    ('6', '8'),
    ('1', 'l'),
    ('0', 'o'),
    ('m', 'n'),
    ('r', 'n'),
    ('c', 'e'),
    ('u', 'v'),
    ('h', 'b'),
    ('i', 'l'),
    ('/', 'a'),
];

fn substitution_cost(a: char, b: char) -> f64 {
    if a == b {
        0.0
    } else if CONFUSABLE.contains(&(a, b)) || CONFUSABLE.contains(&(b, a)) {
        0.5
    } else {
        1.0
    }
}

/// Edit distance with cheap OCR confusions and adjacent transpositions (optimal string
/// alignment), computed only where it can stay within `limit`: every insertion or deletion costs
/// 1, so cells more than `limit` off the diagonal are skipped. Returns a value above `limit`
/// when the distance exceeds it.
fn ocr_distance(a: &[char], b: &[char], limit: f64) -> f64 {
    let over = limit + 1.0;
    let band = limit.floor() as usize;
    if a.len().abs_diff(b.len()) > band {
        return over;
    }
    let width = b.len() + 1;
    let mut d = vec![over; (a.len() + 1) * width];
    for (j, cell) in d.iter_mut().take(width.min(band + 1)).enumerate() {
        *cell = j as f64;
    }
    for i in 1..=a.len() {
        if i <= band {
            d[i * width] = i as f64;
        }
        let mut row_min = over;
        for j in i.saturating_sub(band).max(1)..=(i + band).min(b.len()) {
            let mut best = (d[(i - 1) * width + j] + 1.0)
                .min(d[i * width + j - 1] + 1.0)
                .min(d[(i - 1) * width + j - 1] + substitution_cost(a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1.0);
            }
            d[i * width + j] = best;
            row_min = row_min.min(best);
        }
        if row_min > limit {
            return over;
        }
    }
    d[a.len() * width + b.len()]
}

/// Digit strings one typing or OCR slip apart: one digit replaced, two neighbours exchanged, or
/// one digit added or lost.
fn digit_slip(a: &[u8], b: &[u8]) -> Option<&'static str> {
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return match diff.as_slice() {
            [_] => Some("digit_typo"),
            [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i] => {
                Some("digit_transposition")
            }
            _ => None,
        };
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return None;
    }
    (0..long.len())
        .any(|skip| {
            long.iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .eq(short.iter())
        })
        .then_some("digit_count")
}

fn compare_diploma(a: &DiplomaNo, b: &DiplomaNo) -> Outcome {
    match (a.prefix() == b.prefix(), a.digits() == b.digits()) {
        (true, true) => Outcome::of(Level::Exact),
        (false, true) => Outcome::with(Level::Close, "series_letter"),
        (true, false) => match digit_slip(a.digits().as_bytes(), b.digits().as_bytes()) {
            Some(detail) => Outcome::with(Level::Close, detail),
            None => Outcome::of(Level::Different),
        },
        (false, false) => Outcome::of(Level::Different),
    }
}

/// Register numbers have no format; after the shared parser (spaces dropped, upper case) they
/// agree exactly, differ by one OCR confusion (`/`↔`A`, `1`↔`l`), or by one digit slip.
fn compare_register(a: &str, b: &str) -> Outcome {
    if a == b {
        return Outcome::of(Level::Exact);
    }
    let chars = |s: &str| -> Vec<char> { s.to_lowercase().chars().collect() };
    if ocr_distance(&chars(a), &chars(b), 0.5) <= 0.5 {
        return Outcome::with(Level::Close, "ocr_confusion");
    }
    match digit_slip(a.as_bytes(), b.as_bytes()) {
        Some(detail) => Outcome::with(Level::Close, detail),
        None => Outcome::of(Level::Different),
    }
}

/// Dates compare as dates, so `5/3/2000` equals `05/03/2000` by construction.
fn compare_date(a: Date, b: Date) -> Outcome {
    if a == b {
        return Outcome::of(Level::Exact);
    }
    if a.is_year_only() || b.is_year_only() {
        return if a.year() == b.year() {
            Outcome::with(Level::Close, "year_only")
        } else {
            Outcome::of(Level::Different)
        };
    }
    if a.swapped_day_month() == Some(b) {
        return Outcome::with(Level::DayMonthSwapped, "day_month_swapped");
    }
    let same_day_month = a.day() == b.day() && a.month() == b.month();
    if same_day_month && a.year().abs_diff(b.year()) == 1 {
        return Outcome::with(Level::Close, "wrong_year");
    }
    let digits = |d: Date| {
        let (day, month) = (d.day().unwrap_or(0), d.month().unwrap_or(0));
        let y = d.year();
        [
            b'0' + day / 10,
            b'0' + day % 10,
            b'0' + month / 10,
            b'0' + month % 10,
            b'0' + (y / 1000) as u8,
            b'0' + (y / 100 % 10) as u8,
            b'0' + (y / 10 % 10) as u8,
            b'0' + (y % 10) as u8,
        ]
    };
    match digit_slip(&digits(a), &digits(b)) {
        Some(detail) if a.year() == b.year() || same_day_month => {
            Outcome::with(Level::Close, detail)
        }
        _ => Outcome::of(Level::Different),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{PersonName, Place};

    fn name(a: &str, b: &str) -> Outcome {
        let a = PersonName::parse(a).unwrap().value;
        let b = PersonName::parse(b).unwrap().value;
        compare_text(a.key(), b.key(), a.folded(), b.folded())
    }

    fn date(a: &str, b: &str) -> Outcome {
        compare_date(Date::parse(a).unwrap().value, Date::parse(b).unwrap().value)
    }

    fn diploma(a: &str, b: &str) -> Outcome {
        compare_diploma(
            &DiplomaNo::parse(a).unwrap().value,
            &DiplomaNo::parse(b).unwrap().value,
        )
    }

    #[test]
    fn names_equal_under_every_accepted_spelling() {
        assert_eq!(
            name("NGUYỄN THỊ THUỶ", "Nguyễn  Thị Thủy").level,
            Level::Exact
        );
        assert_eq!(name("Lý Văn Kỳ", "Lí Văn Kì").level, Level::Equivalent);
        assert_eq!(
            name("Trần Văn Quý", "Trần Văn Quí").level,
            Level::Equivalent
        );
    }

    #[test]
    fn y_i_does_not_merge_uy_with_ui() {
        assert_eq!(y_to_i("thuy4"), "thuy4");
        assert_eq!(y_to_i("ly2 ky1"), "li2 ki1");
    }

    #[test]
    fn name_differences_get_their_kind() {
        assert_eq!(
            name("LÊ THỊ BÍCH NHI", "LÊ THỊ BĨCH NHI").detail,
            Some("diacritics_only")
        );
        assert_eq!(
            name("ĐINH VĂN AN", "DINH VĂN AN").detail,
            Some("diacritics_only")
        );
        assert_eq!(name("BÙI TUẤN ANH", "BÙI ANH").detail, Some("missing_word"));
        assert_eq!(
            name("PHAN THỊ THU MAI", "PHAN TCỊ THU MAI").detail,
            Some("spelling")
        );
        assert_eq!(name("PHAN THỊ MAI", "LÊ VĂN HÙNG").level, Level::Different);
    }

    #[test]
    fn dates_compare_as_dates_with_a_swap_level() {
        assert_eq!(date("5/3/2000", "05-03-2000").level, Level::Exact);
        assert_eq!(
            date("11/04/2000", "04/11/2000").level,
            Level::DayMonthSwapped
        );
        assert_eq!(date("30/06/2000", "20/06/2000").detail, Some("digit_typo"));
        assert_eq!(date("14/06/2000", "14/06/2001").detail, Some("wrong_year"));
        assert_eq!(date("14/06/2000", "2000").detail, Some("year_only"));
        assert_eq!(date("14/06/2000", "03/11/1999").level, Level::Different);
    }

    #[test]
    fn diploma_slips_are_close() {
        assert_eq!(diploma("B 2878806", "B2878806").level, Level::Exact);
        assert_eq!(diploma("B 2878806", "B 2878886").detail, Some("digit_typo"));
        assert_eq!(
            diploma("B 2878922", "B 2879822").detail,
            Some("digit_transposition")
        );
        assert_eq!(diploma("B 2878922", "B 1234567").level, Level::Different);
    }

    #[test]
    fn register_numbers_tolerate_slash_read_as_a() {
        assert_eq!(
            compare_register("2018/068/2934", "2018A068/2934").detail,
            Some("ocr_confusion")
        );
        assert_eq!(
            compare_register("2018/068/2934", "2018/068/2933").detail,
            Some("digit_typo")
        );
    }

    #[test]
    fn places_with_a_missing_part_are_partial() {
        let a = Place::parse("Lê Chân - Hải Phòng").unwrap().value;
        let b = Place::parse("Hải Phòng").unwrap().value;
        let got = compare_place(&a.key(), &b.key(), &a.folded(), &b.folded());
        assert_eq!(got.detail, Some("partial"));
    }
}
