//! Fields stage: the recognised text of a row's cells → a typed [`ScanRow`] whose confidences say
//! how far each value can be trusted.
//!
//! The recogniser's own confidence is only the start. A value that needed an OCR confusion undone
//! (`O`→`0`), a name with a syllable no Vietnamese name list knows (`Lâ`), or a cell that does not
//! parse at all is worth less, and matching turns a difference on a low-confidence field into
//! `uncertain` rather than a mismatch. Values are never replaced by guesses: the raw text stays.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use crate::fields::{Field, FieldError};
use crate::rows::{CellReading, PixelBox, Record, RowFlag, ScanRow};
use crate::text;

/// How much to trust values that needed help.
#[derive(Debug, Clone)]
pub struct NormalizeParams {
    /// Fields whose emptiness is worth a flag, because matching leans on them.
    pub required: Vec<Field>,
    /// Confidence multiplier for a value parsed only after undoing OCR confusions.
    pub corrected_factor: f32,
    /// Confidence multiplier for a name or place part restored from the lists (`NGUYÊN` →
    /// `NGUYỄN`): mild, because a dominant spelling is almost always right, but enough that a
    /// diacritic-only difference with the database on that field is shown as uncertain.
    pub lexicon_corrected_factor: f32,
    /// Confidence multiplier for a name or place with a part absent from the lists.
    pub unknown_name_part_factor: f32,
    /// Confidence ceiling for text that is not a valid value of its field.
    pub unparsed_ceiling: f32,
    /// Confidence floor for a number read exactly as its surely read neighbours put it
    /// ([`check_sequences`]): two independent readings agree with it.
    pub sequence_confirmed: f32,
}

impl Default for NormalizeParams {
    /// Name, date of birth and diploma number required; corrections ×0.6 (below matching's
    /// uncertainty threshold for an otherwise sure reading, so a corrected digit that disagrees
    /// with the database is shown as uncertain); unknown name syllables ×0.75; unparsed ≤ 0.1;
    /// a number confirmed by its neighbours ≥ 0.95 (measured: docs/BENCHMARKS.md).
    fn default() -> Self {
        NormalizeParams {
            required: vec![Field::Name, Field::Dob, Field::DiplomaNo],
            corrected_factor: 0.6,
            lexicon_corrected_factor: 0.9,
            unknown_name_part_factor: 0.75,
            unparsed_ceiling: 0.1,
            sequence_confirmed: 0.95,
        }
    }
}

/// The text and recogniser confidence of one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CellInput {
    /// The column's field.
    pub field: Field,
    /// Recognised text.
    pub raw: String,
    /// Recogniser confidence 0..1.
    pub confidence: f32,
}

/// Where a row is: file name, 1-based page, 1-based data row, pixel box.
#[derive(Debug, Clone, PartialEq)]
pub struct RowPosition {
    /// PDF file name without folders.
    pub file: String,
    /// 1-based page in the PDF.
    pub page: u32,
    /// 1-based data row on the page.
    pub row: u32,
    /// The row on the page image.
    pub bbox: PixelBox,
}

fn name_syllables() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("data/name_syllables.txt")
            .lines()
            .map(text::exact_key)
            .collect()
    })
}

/// Known spellings of a kind of word (family names, places), grouped by their diacritic-free
/// key, with how common each is.
struct Lexicon {
    by_fold: HashMap<String, Vec<(String, u32)>>,
}

/// What a lexicon says about a word the recogniser read.
#[derive(Debug, PartialEq)]
enum Lookup {
    /// The word is a known spelling.
    Known,
    /// The word is unknown, but one known spelling with the same letters is so dominant that it
    /// is surely what is printed: OCR drops and confuses marks (`NGUYỄN` read `NGUYÊN`), and
    /// rarely invents letters.
    Corrected(String),
    /// Letters no spelling has, one letter away from a spelling that outweighs every other
    /// spelling one letter away (`NouyÊn`, `PTRẦN` → `NGUYỄN`, `TRẦN`): restored, but as a
    /// guess about a letter, trusted less than a restored mark.
    Near(String),
    /// Unknown, or known letters with several plausible spellings.
    Unknown,
}

/// A spelling is taken as the intended one when it makes up at least this share of the
/// spellings with the same letters, and the word as read is at most 1 % as common.
const DOMINANT_SHARE: f64 = 0.95;

impl Lexicon {
    fn new(entries: impl Iterator<Item = (String, u32)>) -> Lexicon {
        let mut by_fold: HashMap<String, Vec<(String, u32)>> = HashMap::new();
        for (word, count) in entries {
            let word = text::clean(&word);
            by_fold
                .entry(text::fold_key(&word))
                .or_default()
                .push((word, count));
        }
        for v in by_fold.values_mut() {
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        Lexicon { by_fold }
    }

    fn lookup(&self, word: &str) -> Lookup {
        let Some(group) = self.by_fold.get(&text::fold_key(word)) else {
            return Lookup::Unknown;
        };
        let key = text::exact_key(word);
        let total: u32 = group.iter().map(|(_, c)| c).sum();
        let own = group
            .iter()
            .find(|(w, _)| text::exact_key(w) == key)
            .map_or(0, |(_, c)| *c);
        let (best, best_count) = &group[0];
        if text::exact_key(best) == key {
            return Lookup::Known;
        }
        let dominant = f64::from(*best_count) >= DOMINANT_SHARE * f64::from(total)
            && f64::from(own) <= 0.01 * f64::from(*best_count);
        match (dominant, own) {
            (true, _) => Lookup::Corrected(best.clone()),
            (false, 0) => Lookup::Unknown,
            (false, _) => Lookup::Known,
        }
    }

    /// [`Lexicon::lookup`], and for letters no spelling has, the [`Lookup::Near`] rule. Words
    /// under three letters are left alone: every short name is one letter from several others.
    fn lookup_near(&self, word: &str) -> Lookup {
        let fold = text::fold_key(word);
        if self.by_fold.contains_key(&fold) || fold.chars().count() < 3 {
            return self.lookup(word);
        }
        let near: Vec<&(String, u32)> = self
            .by_fold
            .iter()
            .filter(|(k, _)| strsim::levenshtein(k, &fold) == 1)
            .flat_map(|(_, group)| group)
            .collect();
        let total: u32 = near.iter().map(|(_, c)| c).sum();
        match near.iter().max_by_key(|(w, c)| (*c, std::cmp::Reverse(w))) {
            Some((best, count)) if f64::from(*count) >= DOMINANT_SHARE * f64::from(total) => {
                Lookup::Near(best.clone())
            }
            _ => Lookup::Unknown,
        }
    }
}

fn family_names() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        Lexicon::new(
            include_str!("data/family_names.tsv")
                .lines()
                .skip(1)
                .filter_map(|l| {
                    let (name, count) = l.split_once('\t')?;
                    Some((name.to_string(), count.trim().parse().ok()?))
                }),
        )
    })
}

fn places() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        Lexicon::new(
            include_str!("data/places.txt")
                .lines()
                .map(|l| (l.to_string(), 1)),
        )
    })
}

/// Given names and middle parts, by position: a syllable common as a middle part (`Văn`) can be
/// rare as a given name and the other way round (`Vân`), so each position has its own counts.
fn name_parts(position: &str) -> Lexicon {
    Lexicon::new(
        include_str!("data/name_parts.tsv")
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut cols = l.split('\t');
                if cols.next()? != position {
                    return None;
                }
                Some((cols.next()?.to_string(), cols.next()?.trim().parse().ok()?))
            }),
    )
}

fn middle_names() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| name_parts("middle"))
}

fn given_names() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| name_parts("given"))
}

/// A name as printed holds letters and spaces only. Marks from dust, ruling and stamp edges at
/// either end are dropped, and a letter carrying a mark Vietnamese never puts on it (`Ñ`, `Ö`,
/// a breve on `o`) loses that mark: the letter is certain, the mark is noise.
fn strip_name_noise(raw: &str) -> String {
    let trimmed = raw.trim_matches(|c: char| !c.is_alphabetic());
    let mut out = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        push_vietnamese_letter(c, &mut out);
    }
    out
}

fn push_vietnamese_letter(c: char, out: &mut String) {
    if c.is_ascii() || matches!(c, 'đ' | 'Đ') || !c.is_alphabetic() {
        out.push(c);
        return;
    }
    let mut parts = std::iter::once(c).nfd();
    let base = parts.next().unwrap_or(c);
    if !base.is_ascii_alphabetic() {
        out.push(c);
        return;
    }
    let vowel = "aeiouyAEIOUY".contains(base);
    let allowed = |m: &char| {
        vowel
            && match m {
                '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => true,
                '\u{302}' => "aeoAEO".contains(base),
                '\u{306}' => "aA".contains(base),
                '\u{31B}' => "ouOU".contains(base),
                _ => false,
            }
    };
    out.extend(std::iter::once(base).chain(parts.filter(allowed)).nfc());
}

/// Writes `fixed` in the letter case most of `like`'s letters have (registers print names in
/// UPPER CASE; a misread word can come back in mixed case, `NouyÊn`).
fn in_case_of(fixed: &str, like: &str) -> String {
    let upper = like.chars().filter(|c| c.is_uppercase()).count();
    let lower = like.chars().filter(|c| c.is_lowercase()).count();
    if lower > upper {
        fixed.to_string()
    } else {
        fixed.to_uppercase()
    }
}

/// The syllables of `name` that no name list knows (compared by [`text::exact_key`], so tone
/// placement does not matter).
pub fn unknown_name_parts(name: &str) -> Vec<String> {
    let known = name_syllables();
    text::clean(name)
        .split(' ')
        .filter(|w| !w.is_empty() && !known.contains(&text::exact_key(w)))
        .map(str::to_string)
        .collect()
}

/// Outcome of checking a recognised text against the lexicons.
struct Checked {
    /// The text to parse (corrected where a correction was unambiguous).
    text: String,
    /// What was changed, for the record.
    corrections: Vec<String>,
    /// Parts no list knows.
    unknown: Vec<String>,
}

/// Name: noise at the ends and impossible marks dropped, then the family name (first word), the
/// middle parts and the given name (last word) each against the counts of its position, and every
/// syllable against the name syllables.
fn check_name(raw: &str) -> Checked {
    let mut corrections = Vec::new();
    let cleaned = strip_name_noise(raw);
    if cleaned != raw {
        corrections.push(format!("{raw} → {cleaned}"));
    }
    let mut words: Vec<String> = cleaned.split(' ').map(str::to_string).collect();
    let last = words.len() - 1;
    let mut unknown = Vec::new();
    for (i, word) in words.iter_mut().enumerate() {
        // Family names are few and skewed (a third of people are Nguyễn), so a letter misread
        // in one can be undone; given names are too many and too alike for that.
        let lookup = match i {
            0 => family_names().lookup_near(word),
            i if i == last => given_names().lookup(word),
            _ => middle_names().lookup(word),
        };
        match lookup {
            Lookup::Known => {}
            Lookup::Corrected(fixed) => {
                let fixed = in_case_of(&fixed, &cleaned);
                corrections.push(format!("{word} → {fixed}"));
                *word = fixed;
            }
            Lookup::Near(fixed) => {
                let fixed = in_case_of(&fixed, &cleaned);
                corrections.push(format!("{word} → {fixed}"));
                unknown.push(std::mem::replace(word, fixed));
            }
            Lookup::Unknown if i == 0 => unknown.push(word.clone()),
            Lookup::Unknown => {}
        }
    }
    let text = words.join(" ");
    for w in unknown_name_parts(&text) {
        if !unknown.contains(&w) {
            unknown.push(w);
        }
    }
    Checked {
        text,
        corrections,
        unknown,
    }
}

/// Place: each part (`district - province`) against the 2017 lists and old province names;
/// trailing punctuation, which OCR picks up from dust and ruling, is dropped.
fn check_place(raw: &str) -> Checked {
    let trimmed = raw.trim_end_matches(['.', ',', ';', ':', '-', ' ']);
    let mut corrections = Vec::new();
    let mut unknown = Vec::new();
    let mut text = String::with_capacity(trimmed.len());
    let mut rest = trimmed;
    while !rest.is_empty() {
        let end = rest.find([',', '-', '–']).unwrap_or(rest.len());
        let (part, tail) = rest.split_at(end);
        let sep_len = tail.chars().next().map_or(0, char::len_utf8);
        let (sep, next) = tail.split_at(sep_len);
        let name = part.trim();
        let lead = &part[..part.len() - part.trim_start().len()];
        let trail = &part[lead.len() + name.len()..];
        let fixed = match places().lookup(name) {
            Lookup::Known => name.to_string(),
            Lookup::Corrected(f) => {
                let f = in_case_of(&f, name);
                corrections.push(format!("{name} → {f}"));
                f
            }
            // Place names are looked up by their letters only (`lookup`, never `Near`): many
            // district names are one letter apart.
            Lookup::Unknown | Lookup::Near(_) => {
                if !name.is_empty() {
                    unknown.push(name.to_string());
                }
                name.to_string()
            }
        };
        text.push_str(lead);
        text.push_str(&fixed);
        text.push_str(trail);
        text.push_str(sep);
        rest = next;
    }
    Checked {
        text,
        corrections,
        unknown,
    }
}

/// Parses every cell of a row through the shared field parsers and scores it (see the module
/// documentation). `flags` are the layout stage's findings (stamp, ink); `EmptyCell` and
/// `Unparsed` are added here.
pub fn scan_row(
    pos: RowPosition,
    cells: Vec<CellInput>,
    mut flags: Vec<RowFlag>,
    params: &NormalizeParams,
) -> ScanRow {
    let mut record = Record::default();
    let mut readings = BTreeMap::new();
    for cell in cells {
        let raw = text::clean(&cell.raw);
        let ocr = cell.confidence.clamp(0.0, 1.0);
        let checked = match cell.field {
            Field::Name => Some(check_name(&raw)),
            Field::Birthplace => Some(check_place(&raw)),
            _ => None,
        };
        let to_parse = checked.as_ref().map_or(raw.as_str(), |c| c.text.as_str());
        let (confidence, problem) = match record.set_from_text(cell.field, to_parse) {
            Ok(corrected) => {
                let mut c = ocr;
                let mut notes = Vec::new();
                if corrected {
                    c *= params.corrected_factor;
                    notes.push("OCR confusions undone".to_string());
                }
                if let Some(checked) = &checked {
                    if !checked.corrections.is_empty() {
                        c *= params.lexicon_corrected_factor;
                        notes.push(format!("corrected: {}", checked.corrections.join(", ")));
                    }
                    if !checked.unknown.is_empty() {
                        c *= params.unknown_name_part_factor;
                        notes.push(format!("not in the lists: {}", checked.unknown.join(", ")));
                    }
                }
                (c, (!notes.is_empty()).then(|| notes.join("; ")))
            }
            Err(FieldError::Empty) => {
                if params.required.contains(&cell.field) {
                    flags.push(RowFlag::EmptyCell);
                }
                (ocr, None)
            }
            Err(err) => {
                flags.push(RowFlag::Unparsed);
                (ocr.min(params.unparsed_ceiling), Some(err.to_string()))
            }
        };
        readings.insert(
            cell.field,
            CellReading {
                raw,
                confidence,
                problem,
            },
        );
    }
    flags.sort();
    flags.dedup();
    let confidence = row_confidence(&readings);
    ScanRow {
        file: pos.file,
        page: pos.page,
        row: pos.row,
        record,
        cells: readings,
        confidence,
        flags,
        bbox: pos.bbox,
    }
}

/// A row's confidence: the lowest of its cells that matching relies on (all but the notes).
fn row_confidence(cells: &BTreeMap<Field, CellReading>) -> f32 {
    cells
        .iter()
        .filter(|(f, _)| **f != Field::Note)
        .map(|(_, r)| r.confidence)
        .fold(1.0f32, f32::min)
}

/// How many rows in a row [`check_sequences`] restores between two surely read numbers: a round
/// stamp covers two or three rows.
pub const SEQUENCE_GAP: usize = 3;

/// Checks the numbers a register gives one row after another — the số vào sổ, and diploma
/// serials, which blanks are handed out in order — across the data rows of one page, top to
/// bottom. When the nearest rows above and below that read their number surely and without
/// corrections (with at most [`SEQUENCE_GAP`] rows between them) read `N-a` and `N+b` under the
/// same prefix, `a` and `b` rows away, and a row between them reads a value within two characters
/// of `N`, that reading is a misread `N` (a stamp over a digit or over two or three rows, `/`
/// read as `//`): it is restored, recorded in the cell's `problem`, and its confidence lowered as
/// for any correction. Rows with hand marks are left alone (a correction by hand may be exactly a
/// changed number), and so are empty cells (the neighbours say what the number should be, not
/// that it is there).
///
/// A row that reads exactly `N` is confirmed instead: its confidence is raised to
/// [`NormalizeParams::sequence_confirmed`]. The whitelisted reading of a diploma number often
/// comes with a low confidence although every digit is right, which made a real difference
/// with the database (two digits swapped) only `uncertain`.
pub fn check_sequences(page: &mut [ScanRow], params: &NormalizeParams) {
    for field in [Field::RegisterNo, Field::DiplomaNo] {
        let serials: Vec<Option<Serial>> = page.iter().map(|r| Serial::sure(r, field)).collect();
        // The two nearest surely read rows in `rows` order, within reach of one stamp.
        let nearest = |rows: &mut dyn Iterator<Item = usize>| -> Vec<(usize, &Serial)> {
            rows.take(SEQUENCE_GAP + 1)
                .filter_map(|j| serials[j].as_ref().map(|s| (j, s)))
                .take(2)
                .collect()
        };
        for i in 0..page.len() {
            let above = nearest(&mut (0..i).rev());
            let below = nearest(&mut (i + 1..page.len()));
            let bracketed = match (above.first(), below.first()) {
                (Some(&(j, prev)), Some(&(k, next)))
                    if i - j <= SEQUENCE_GAP
                        && k - i <= SEQUENCE_GAP
                        && k - j - 1 <= SEQUENCE_GAP
                        && prev.continues_to(next, k - j) =>
                {
                    prev.at(i as i64 - j as i64)
                }
                _ => None,
            };
            // At the top or bottom of the page, or next to a skipped number, a run of two on
            // one side only confirms; restoring a number takes a run on both sides.
            let run = |side: &[(usize, &Serial)]| {
                let [(a, sa), (b, sb)] = side else {
                    return None;
                };
                let ((p, first), (q, second)) = if a < b {
                    ((a, sa), (b, sb))
                } else {
                    ((b, sb), (a, sa))
                };
                (first.continues_to(second, q - p))
                    .then(|| first.at(i as i64 - *p as i64))
                    .flatten()
            };
            let restorable = bracketed.is_some();
            let Some(expected) = bracketed.or_else(|| run(&above).or_else(|| run(&below))) else {
                continue;
            };
            let row = &mut page[i];
            if row
                .flags
                .iter()
                .any(|f| matches!(f, RowFlag::ColouredInk | RowFlag::Handwriting))
            {
                continue;
            }
            let Some(read) = row.record.display(field) else {
                continue;
            };
            if read == expected {
                if let Some(cell) = row.cells.get_mut(&field).filter(|c| c.problem.is_none()) {
                    cell.confidence = cell.confidence.max(params.sequence_confirmed);
                    row.confidence = row_confidence(&row.cells);
                }
                continue;
            }
            if !restorable || strsim::levenshtein(&read, &expected) > 2 {
                continue;
            }
            if row.record.set_from_text(field, &expected).is_err() {
                continue;
            }
            let Some(cell) = row.cells.get_mut(&field) else {
                continue;
            };
            let note =
                format!("{read} → {expected}: the rows above and below are numbered around it");
            cell.problem = Some(match cell.problem.take() {
                Some(p) => format!("{p}; {note}"),
                None => note,
            });
            cell.confidence *= params.corrected_factor;
            row.confidence = row_confidence(&row.cells);
        }
    }
}

/// A number a register gives row after row: prefix, trailing number and the number's width.
struct Serial {
    prefix: String,
    number: u64,
    width: usize,
}

impl Serial {
    /// `field`'s value of `row` when read surely and without any correction.
    fn sure(row: &ScanRow, field: Field) -> Option<Serial> {
        let cell = row.cells.get(&field)?;
        if cell.problem.is_some() || cell.confidence < 0.6 {
            return None;
        }
        let value = row.record.display(field)?;
        let prefix = value.trim_end_matches(|c: char| c.is_ascii_digit());
        let digits = &value[prefix.len()..];
        if digits.is_empty() || digits.len() > 12 {
            return None;
        }
        Some(Serial {
            prefix: prefix.to_string(),
            number: digits.parse().ok()?,
            width: digits.len(),
        })
    }

    /// Whether `later`, `rows` rows further down, continues the run this number is in.
    fn continues_to(&self, later: &Serial, rows: usize) -> bool {
        self.prefix == later.prefix
            && self.width == later.width
            && self.number + rows as u64 == later.number
    }

    /// The text of the number `rows` rows further down (up when negative) in this run.
    fn at(&self, rows: i64) -> Option<String> {
        let number = self.number.checked_add_signed(rows)?;
        Some(format!(
            "{}{number:0width$}",
            self.prefix,
            width = self.width
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::DiplomaNo;

    fn row(cells: &[(Field, &str, f32)]) -> ScanRow {
        let cells = cells
            .iter()
            .map(|(field, raw, confidence)| CellInput {
                field: *field,
                raw: raw.to_string(),
                confidence: *confidence,
            })
            .collect();
        let pos = RowPosition {
            file: "2018_Sổ_THPT A_T01_T02.pdf".into(),
            page: 1,
            row: 3,
            bbox: PixelBox::default(),
        };
        scan_row(pos, cells, vec![], &NormalizeParams::default())
    }

    #[test]
    fn clean_readings_keep_the_recogniser_confidence() {
        let r = row(&[
            (Field::Name, "NGUYỄN VĂN AN", 0.95),
            (Field::Dob, "05/03/2000", 0.9),
            (Field::DiplomaNo, "B 1234567", 0.97),
        ]);
        assert_eq!(r.record.dob.unwrap().to_iso(), "2000-03-05");
        assert_eq!(
            r.record.diploma_no.as_ref().unwrap().to_string(),
            "B1234567"
        );
        assert_eq!(r.field_confidence(Field::Name), 0.95);
        assert_eq!(r.confidence, 0.9);
        assert!(r.flags.is_empty());
    }

    #[test]
    fn undone_ocr_confusions_lower_the_confidence_and_say_so() {
        let r = row(&[(Field::DiplomaNo, "B 12345O7", 0.9)]);
        assert_eq!(
            r.record.diploma_no.as_ref().unwrap().to_string(),
            "B1234507"
        );
        assert!((r.field_confidence(Field::DiplomaNo) - 0.54).abs() < 1e-6);
        assert!(r.cells[&Field::DiplomaNo].problem.is_some());
    }

    #[test]
    fn unparseable_text_is_kept_raw_with_a_low_confidence_and_a_flag() {
        let r = row(&[(Field::Dob, "3l/O2/2000", 0.9)]);
        assert_eq!(r.record.dob, None);
        assert_eq!(r.cells[&Field::Dob].raw, "3l/O2/2000");
        assert!(r.field_confidence(Field::Dob) <= 0.1);
        assert_eq!(r.flags, [RowFlag::Unparsed]);
    }

    #[test]
    fn a_name_with_an_unknown_syllable_is_less_trusted() {
        let r = row(&[(Field::Name, "LÂ VĂN AN", 0.9)]);
        assert!(r.field_confidence(Field::Name) < 0.9);
        assert_eq!(unknown_name_parts("LÂ VĂN AN"), ["LÂ"]);
        assert!(unknown_name_parts("Nguyễn Thị Thuỷ").is_empty());
    }

    #[test]
    fn a_family_name_that_lost_its_mark_is_restored_and_recorded() {
        let r = row(&[(Field::Name, "NGUYÊN VĂN AN", 0.95)]);
        assert_eq!(r.record.name.as_ref().unwrap().text(), "NGUYỄN VĂN AN");
        assert_eq!(r.cells[&Field::Name].raw, "NGUYÊN VĂN AN");
        assert!(r.cells[&Field::Name]
            .problem
            .as_ref()
            .unwrap()
            .contains("NGUYÊN → NGUYỄN"));
        assert!(r.field_confidence(Field::Name) < 0.95);
    }

    #[test]
    fn a_family_name_with_several_real_spellings_is_left_alone() {
        let r = row(&[(Field::Name, "LƯỜNG VĂN AN", 0.95)]);
        assert_eq!(r.record.name.as_ref().unwrap().text(), "LƯỜNG VĂN AN");
        assert_eq!(r.field_confidence(Field::Name), 0.95);
        assert_eq!(family_names().lookup("Lã"), Lookup::Known);
        assert_eq!(family_names().lookup("Lạ"), Lookup::Unknown);
        assert_eq!(
            family_names().lookup("Định"),
            Lookup::Corrected("Đinh".into())
        );
    }

    #[test]
    fn given_and_middle_parts_regain_a_mark_only_where_one_spelling_dominates_that_position() {
        let r = row(&[(Field::Name, "NGUYỄN THỊ CẤM HÃNG", 0.95)]);
        assert_eq!(
            r.record.name.as_ref().unwrap().text(),
            "NGUYỄN THỊ CẨM HẰNG"
        );
        let problem = r.cells[&Field::Name].problem.clone().unwrap();
        assert!(problem.contains("CẤM → CẨM") && problem.contains("HÃNG → HẰNG"));
        assert!(r.field_confidence(Field::Name) < 0.95);
        // `Vân` is a common given name and `Văn` a common middle part: neither is "fixed".
        let r = row(&[(Field::Name, "LÊ VĂN VÂN", 0.95)]);
        assert_eq!(r.record.name.as_ref().unwrap().text(), "LÊ VĂN VÂN");
        assert_eq!(r.field_confidence(Field::Name), 0.95);
        // `Thủy`, `Thúy` and `Thùy` are all common: a reading among them stays as read.
        assert_eq!(given_names().lookup("Thúy"), Lookup::Known);
        assert_eq!(given_names().lookup("Thuy"), Lookup::Unknown);
    }

    #[test]
    fn a_family_name_one_letter_off_is_restored_only_when_one_name_outweighs_its_neighbours() {
        let r = row(&[(Field::Name, "NouyÊn ĐỨC LONG", 0.95)]);
        assert_eq!(r.record.name.as_ref().unwrap().text(), "NGUYỄN ĐỨC LONG");
        // A letter guessed is trusted less than a mark restored.
        assert!(r.field_confidence(Field::Name) < 0.95 * 0.9 * 0.8);
        let r = row(&[(Field::Name, "PTRẦN THỊ PHƯỢNG", 0.95)]);
        assert_eq!(r.record.name.as_ref().unwrap().text(), "TRẦN THỊ PHƯỢNG");
        // `Hầu` is one letter from Hà, Châu, Đậu, Âu, Hán …: none outweighs the rest.
        assert_eq!(family_names().lookup_near("Hầu"), Lookup::Unknown);
        assert_eq!(family_names().lookup_near("Lò"), Lookup::Known);
        assert_eq!(family_names().lookup_near("Xyz"), Lookup::Unknown);
    }

    fn numbered(register: &str, diploma: &str, conf: f32) -> ScanRow {
        row(&[
            (Field::RegisterNo, register, conf),
            (Field::DiplomaNo, diploma, conf),
        ])
    }

    #[test]
    fn a_number_that_breaks_the_run_its_neighbours_agree_on_is_restored_and_recorded() {
        let mut page = vec![
            numbered("2018/068/3112", "B 2879014", 0.9),
            numbered("2018/068/3//3", "B 2879O15", 0.9),
            numbered("2018/068/3114", "B 2879016", 0.9),
        ];
        check_sequences(&mut page, &NormalizeParams::default());
        let mid = &page[1];
        assert_eq!(
            mid.record.display(Field::RegisterNo).unwrap(),
            "2018/068/3113"
        );
        assert!(mid.cells[&Field::RegisterNo]
            .problem
            .as_ref()
            .unwrap()
            .contains("2018/068/3//3 → 2018/068/3113"));
        assert!(mid.field_confidence(Field::RegisterNo) < 0.9 * 0.7);
        // The diploma number parsed (O→0 undone) to the value its neighbours bracket: untouched.
        assert_eq!(
            mid.record.display(Field::DiplomaNo),
            DiplomaNo::parse("B 2879015")
                .ok()
                .map(|p| p.value.to_string())
        );
    }

    #[test]
    fn a_clean_number_its_neighbours_agree_on_is_confirmed() {
        let mut page = vec![
            numbered("2018/068/3112", "B 2879014", 0.9),
            numbered("2018/068/3113", "B 2879015", 0.4),
            numbered("2018/068/3114", "B 2879O16", 0.4),
            numbered("2018/068/3115", "B 2879017", 0.9),
            numbered("2018/068/3116", "B 2879019", 0.4),
            numbered("2018/068/3117", "B 2879020", 0.9),
        ];
        check_sequences(&mut page, &NormalizeParams::default());
        let diploma = |i: usize| page[i].field_confidence(Field::DiplomaNo);
        assert_eq!(diploma(1), 0.95);
        assert_eq!(page[1].confidence, 0.95);
        // Parsed only after undoing O→0: the correction stands as recorded.
        assert!(diploma(2) < 0.4);
        // 2879019 between 2879017 and 2879020 is not where the run puts it.
        assert_eq!(diploma(4), 0.4);
        assert_eq!(page[4].field_confidence(Field::RegisterNo), 0.95);
    }

    #[test]
    fn at_the_top_or_bottom_of_a_page_a_run_on_one_side_confirms_but_never_restores() {
        let mut page = vec![
            numbered("2018/068/3112", "B 2879014", 0.4),
            numbered("2018/068/3113", "B 2879015", 0.9),
            numbered("2018/068/3114", "B 2879016", 0.9),
            numbered("2018/068/3115", "B 2879017", 0.4),
            numbered("2018/068/3//6", "B 2879019", 0.4),
        ];
        check_sequences(&mut page, &NormalizeParams::default());
        assert_eq!(page[0].field_confidence(Field::DiplomaNo), 0.95);
        assert_eq!(page[3].field_confidence(Field::DiplomaNo), 0.95);
        // 2879019 after 2879015, 2879016 is not where the run puts it, and 3//6 stays as read.
        assert_eq!(page[4].field_confidence(Field::DiplomaNo), 0.4);
        assert_eq!(
            page[4].record.display(Field::RegisterNo).unwrap(),
            "2018/068/3//6"
        );
    }

    #[test]
    fn numbers_under_a_stamp_over_several_rows_are_restored_from_the_run_around_them() {
        let mut page = vec![
            numbered("2018/068/3112", "B 2879014", 0.9),
            numbered("2018/068/313", "B 2879015", 0.3),
            numbered("2018/06/3114", "B 2879016", 0.2),
            numbered("2018/068/3115", "B 2879017", 0.9),
        ];
        check_sequences(&mut page, &NormalizeParams::default());
        let registers: Vec<String> = page
            .iter()
            .map(|r| r.record.display(Field::RegisterNo).unwrap())
            .collect();
        assert_eq!(
            registers,
            [
                "2018/068/3112",
                "2018/068/3113",
                "2018/068/3114",
                "2018/068/3115"
            ]
        );
        // Four unsure rows are more than one stamp covers: no run is assumed across them.
        let mut page = vec![numbered("2018/068/3112", "B 2879014", 0.9)];
        page.extend((0..4).map(|_| numbered("2018/068/311", "B 2879015", 0.2)));
        page.push(numbered("2018/068/3117", "B 2879019", 0.9));
        check_sequences(&mut page, &NormalizeParams::default());
        assert_eq!(
            page[1].record.display(Field::RegisterNo).unwrap(),
            "2018/068/311"
        );
    }

    #[test]
    fn numbers_are_left_alone_without_a_sure_run_around_them_or_with_a_hand_mark() {
        let params = NormalizeParams::default();
        // A skipped number (a cancelled blank) is not a run: 3115, 3117, 3118.
        let mut page = vec![
            numbered("2018/068/3115", "B 2879015", 0.9),
            numbered("2018/068/3117", "B 2879017", 0.9),
            numbered("2018/068/3118", "B 2879018", 0.9),
        ];
        check_sequences(&mut page, &params);
        assert_eq!(
            page[1].record.display(Field::RegisterNo).unwrap(),
            "2018/068/3117"
        );
        // Neighbours read unsurely prove nothing.
        let mut page = vec![
            numbered("2018/068/3112", "B 2879014", 0.3),
            numbered("2018/068/3//3", "B 2879015", 0.9),
            numbered("2018/068/3114", "B 2879016", 0.9),
        ];
        check_sequences(&mut page, &params);
        assert_eq!(
            page[1].record.display(Field::RegisterNo).unwrap(),
            "2018/068/3//3"
        );
        // A row corrected by hand may carry exactly a changed number.
        let mut page = vec![
            numbered("2018/068/3112", "B 2879014", 0.9),
            numbered("2018/068/3//3", "B 2879999", 0.9),
            numbered("2018/068/3114", "B 2879016", 0.9),
        ];
        page[1].flags.push(RowFlag::Handwriting);
        check_sequences(&mut page, &params);
        assert_eq!(
            page[1].record.display(Field::RegisterNo).unwrap(),
            "2018/068/3//3"
        );
    }

    #[test]
    fn noise_around_a_name_and_marks_vietnamese_never_writes_are_dropped() {
        let r = row(&[(Field::Name, ".LÊ ĐỨC HÒA.", 0.9)]);
        assert_eq!(r.record.name.as_ref().unwrap().text(), "LÊ ĐỨC HÒA");
        let r = row(&[(Field::Name, "PHẠM THỊ ÑGA —_", 0.9)]);
        assert_eq!(r.record.name.as_ref().unwrap().text(), "PHẠM THỊ NGA");
        assert!(r.cells[&Field::Name]
            .problem
            .as_ref()
            .unwrap()
            .contains("PHẠM THỊ ÑGA —_ → PHẠM THỊ NGA"));
        assert_eq!(strip_name_noise("Ngô Ǒanh"), "Ngô Oanh");
        assert_eq!(strip_name_noise("Nguyễn Thị Ắnh"), "Nguyễn Thị Ắnh");
    }

    #[test]
    fn place_parts_lose_trailing_dots_and_regain_lost_marks() {
        let r = row(&[(Field::Birthplace, "Kiến Thuy - Hải Phòng.", 0.9)]);
        let want = crate::fields::Place::parse("Kiến Thụy - Hải Phòng")
            .unwrap()
            .value;
        assert_eq!(r.record.birthplace.as_ref().unwrap().key(), want.key());
        let r = row(&[(Field::Birthplace, "Kiến An - #Jai Phong", 0.9)]);
        assert!(r.field_confidence(Field::Birthplace) < 0.9 * 0.8);
        assert_eq!(
            r.record.birthplace.as_ref().unwrap().text(),
            "Kiến An - #Jai Phong"
        );
    }

    #[test]
    fn an_empty_required_cell_is_flagged_but_an_empty_grade_is_not() {
        assert_eq!(row(&[(Field::Dob, "", 1.0)]).flags, [RowFlag::EmptyCell]);
        assert!(row(&[(Field::Grade, "", 1.0)]).flags.is_empty());
    }
}
