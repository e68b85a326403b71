//! Fields stage: the recognised text of a row's cells → a typed [`ScanRow`] whose confidences say
//! how far each value can be trusted.
//!
//! The recogniser's own confidence is only the start. A value that needed an OCR confusion undone
//! (`O`→`0`), a name with a syllable no Vietnamese name list knows (`Lâ`), or a cell that does not
//! parse at all is worth less, and matching turns a difference on a low-confidence field into
//! `uncertain` rather than a mismatch. Values are never replaced by guesses: the raw text stays.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

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
    /// Confidence multiplier for a family name or place part restored from the lists (`NGUYÊN` →
    /// `NGUYỄN`): mild, because a dominant spelling is almost always right, but enough that a
    /// diacritic-only difference with the database on that field is shown as uncertain.
    pub lexicon_corrected_factor: f32,
    /// Confidence multiplier for a name or place with a part absent from the lists.
    pub unknown_name_part_factor: f32,
    /// Confidence ceiling for text that is not a valid value of its field.
    pub unparsed_ceiling: f32,
}

impl Default for NormalizeParams {
    /// Name, date of birth and diploma number required; corrections ×0.6 (below matching's
    /// uncertainty threshold for an otherwise sure reading, so a corrected digit that disagrees
    /// with the database is shown as uncertain); unknown name syllables ×0.75; unparsed ≤ 0.1.
    fn default() -> Self {
        NormalizeParams {
            required: vec![Field::Name, Field::Dob, Field::DiplomaNo],
            corrected_factor: 0.6,
            lexicon_corrected_factor: 0.9,
            unknown_name_part_factor: 0.75,
            unparsed_ceiling: 0.1,
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

/// Writes `fixed` in the letter case of `like` (registers print names in UPPER CASE).
fn in_case_of(fixed: &str, like: &str) -> String {
    if like.chars().any(char::is_lowercase) {
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

/// Name: the family name (first word) against the family-name list, every syllable against the
/// name syllables.
fn check_name(raw: &str) -> Checked {
    let mut words: Vec<String> = raw.split(' ').map(str::to_string).collect();
    let mut corrections = Vec::new();
    let mut unknown = Vec::new();
    if let Some(first) = words.first_mut() {
        match family_names().lookup(first) {
            Lookup::Known => {}
            Lookup::Corrected(fixed) => {
                let fixed = in_case_of(&fixed, first);
                corrections.push(format!("{first} → {fixed}"));
                *first = fixed;
            }
            Lookup::Unknown => unknown.push(first.clone()),
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
            Lookup::Unknown => {
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
    let confidence = readings
        .iter()
        .filter(|(f, _)| **f != Field::Note)
        .map(|(_, r)| r.confidence)
        .fold(1.0f32, f32::min);
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

#[cfg(test)]
mod tests {
    use super::*;

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
