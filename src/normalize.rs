//! Fields stage: the recognised text of a row's cells → a typed [`ScanRow`] whose confidences say
//! how far each value can be trusted.
//!
//! The recogniser's own confidence is only the start. A value that needed an OCR confusion undone
//! (`O`→`0`), a name with a syllable no Vietnamese name list knows (`Lâ`), or a cell that does not
//! parse at all is worth less, and matching turns a difference on a low-confidence field into
//! `uncertain` rather than a mismatch. Values are never replaced by guesses: the raw text stays.

use std::collections::{BTreeMap, HashSet};
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
    /// Confidence multiplier for a name with a syllable absent from the name lists.
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
        let (confidence, problem) = match record.set_from_text(cell.field, &raw) {
            Ok(corrected) => {
                let mut c = if corrected {
                    ocr * params.corrected_factor
                } else {
                    ocr
                };
                let mut problem = corrected.then(|| "OCR confusions undone".to_string());
                if cell.field == Field::Name {
                    let unknown = unknown_name_parts(&raw);
                    if !unknown.is_empty() {
                        c *= params.unknown_name_part_factor;
                        problem = Some(format!("unusual name part: {}", unknown.join(", ")));
                    }
                }
                (c, problem)
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
    fn an_empty_required_cell_is_flagged_but_an_empty_grade_is_not() {
        assert_eq!(row(&[(Field::Dob, "", 1.0)]).flags, [RowFlag::EmptyCell]);
        assert!(row(&[(Field::Grade, "", 1.0)]).flags.is_empty());
    }
}
