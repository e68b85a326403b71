//! The rows that flow between stages: what the scan reader produces ([`ScanRow`]), what the export
//! reader produces ([`DbRow`]), and the typed [`Record`] both carry, which is all matching sees.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::fields::{
    Date, DiplomaNo, Ethnicity, Field, FieldError, Gender, Grade, PersonName, Place, RegisterNo,
};

/// Typed values of one register row; `None` where the cell was empty or could not be parsed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Record {
    /// Printed row number.
    pub stt: Option<u32>,
    /// Họ và tên.
    pub name: Option<PersonName>,
    /// Ngày sinh (ISO in JSON).
    pub dob: Option<Date>,
    /// Nơi sinh.
    pub birthplace: Option<Place>,
    /// Giới tính.
    pub gender: Option<Gender>,
    /// Dân tộc.
    pub ethnicity: Option<Ethnicity>,
    /// Xếp loại.
    pub grade: Option<Grade>,
    /// Số hiệu văn bằng.
    pub diploma_no: Option<DiplomaNo>,
    /// Số vào sổ.
    pub register_no: Option<RegisterNo>,
    /// Ghi chú.
    pub note: Option<String>,
}

impl Record {
    /// Parses `text` as `field` with the shared parsers of [`crate::fields`] and stores the value.
    /// Returns whether an OCR confusion was undone (`Ok(true)`), or why the text is not a value of
    /// the field, in which case the field is left `None`.
    pub fn set_from_text(&mut self, field: Field, text: &str) -> Result<bool, FieldError> {
        fn put<T>(slot: &mut Option<T>, parsed: crate::fields::Parsed<T>) -> bool {
            *slot = Some(parsed.value);
            parsed.corrected
        }
        match field {
            Field::Stt => {
                let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                let digits = digits.trim_end_matches(['.', ')']);
                if digits.is_empty() {
                    return Err(FieldError::Empty);
                }
                let n = digits.parse::<u32>().map_err(|_| FieldError::Format {
                    field,
                    text: text.to_string(),
                })?;
                self.stt = Some(n);
                Ok(false)
            }
            Field::Name => Ok(put(&mut self.name, PersonName::parse(text)?)),
            Field::Dob => Ok(put(&mut self.dob, Date::parse(text)?)),
            Field::Birthplace => Ok(put(&mut self.birthplace, Place::parse(text)?)),
            Field::Gender => Ok(put(&mut self.gender, Gender::parse(text)?)),
            Field::Ethnicity => Ok(put(&mut self.ethnicity, Ethnicity::parse(text)?)),
            Field::Grade => Ok(put(&mut self.grade, Grade::parse(text)?)),
            Field::DiplomaNo => Ok(put(&mut self.diploma_no, DiplomaNo::parse(text)?)),
            Field::RegisterNo => Ok(put(&mut self.register_no, RegisterNo::parse(text)?)),
            Field::Note => {
                let note = crate::text::clean(text);
                if note.is_empty() {
                    return Err(FieldError::Empty);
                }
                self.note = Some(note);
                Ok(false)
            }
        }
    }

    /// The value of `field` as a person reads it (`05/03/2000`, `B1234567`), or `None` when empty.
    pub fn display(&self, field: Field) -> Option<String> {
        match field {
            Field::Stt => self.stt.map(|n| n.to_string()),
            Field::Name => self.name.as_ref().map(ToString::to_string),
            Field::Dob => self.dob.map(Date::to_vn),
            Field::Birthplace => self.birthplace.as_ref().map(ToString::to_string),
            Field::Gender => self.gender.map(|g| g.to_string()),
            Field::Ethnicity => self.ethnicity.map(|e| e.to_string()),
            Field::Grade => self.grade.map(|g| g.to_string()),
            Field::DiplomaNo => self.diploma_no.as_ref().map(ToString::to_string),
            Field::RegisterNo => self.register_no.as_ref().map(ToString::to_string),
            Field::Note => self.note.clone(),
        }
    }
}

/// What the recogniser read in one cell of a scanned row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellReading {
    /// The text as recognised (NFC), before parsing.
    pub raw: String,
    /// How sure the reading is, 0..1: the recogniser's confidence, lowered when parsing had to
    /// undo confusions and near 0 when the text is not a valid value of the field.
    pub confidence: f32,
    /// Why the text did not parse, when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Something about a scanned row that a person should know before trusting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowFlag {
    /// Handwriting (other than the signature) inside a data cell: a correction by hand.
    Handwriting,
    /// Red or blue ink inside a data cell.
    ColouredInk,
    /// A stamp covers some of the row's cells.
    Stamp,
    /// A cell the matching needs is empty.
    EmptyCell,
    /// A cell's text is not a valid value of its field.
    Unparsed,
}

/// A rectangle in page pixels (of the image as decoded, before deskew).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PixelBox {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// One data row read from a register scan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanRow {
    /// PDF file name, without folders.
    pub file: String,
    /// 1-based page within that PDF.
    pub page: u32,
    /// 1-based position among the data rows of the page, top to bottom.
    pub row: u32,
    /// Typed values.
    #[serde(flatten)]
    pub record: Record,
    /// Raw reading and confidence of every cell that was read.
    pub cells: BTreeMap<Field, CellReading>,
    /// Row confidence 0..1: the lowest confidence among the cells matching relies on.
    pub confidence: f32,
    /// Warnings about the row.
    pub flags: Vec<RowFlag>,
    /// Where the row is on the page image, for crops shown to the reviewer.
    pub bbox: PixelBox,
}

impl ScanRow {
    /// Confidence of one field's reading; 0 when the cell was not read.
    pub fn field_confidence(&self, field: Field) -> f32 {
        self.cells.get(&field).map_or(0.0, |c| c.confidence)
    }
}

/// An identifier of the export that matching does not use but reports show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraField {
    /// `Mã học sinh`, `Mã người học`.
    StudentId,
    /// `Số định danh cá nhân`.
    PersonalId,
    /// `Năm tốt nghiệp`.
    GraduationYear,
    /// `Trường`.
    School,
    /// `Lớp`.
    Class,
}

impl ExtraField {
    /// Every identifier, in report order.
    pub const ALL: [ExtraField; 5] = [
        ExtraField::StudentId,
        ExtraField::PersonalId,
        ExtraField::GraduationYear,
        ExtraField::School,
        ExtraField::Class,
    ];

    /// The snake_case name used in JSON and `--columns` files.
    pub fn as_str(self) -> &'static str {
        match self {
            ExtraField::StudentId => "student_id",
            ExtraField::PersonalId => "personal_id",
            ExtraField::GraduationYear => "graduation_year",
            ExtraField::School => "school",
            ExtraField::Class => "class",
        }
    }
}

/// One data row of the database export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DbRow {
    /// 1-based index of the data row after the header row (blank rows skipped but still counted),
    /// the number reports use to point into the export.
    pub line: u32,
    /// 1-based row in the file or sheet as a spreadsheet program shows it, for humans.
    pub physical_row: u32,
    /// Typed values.
    #[serde(flatten)]
    pub record: Record,
    /// The cell texts as found in the file (after decoding, NFC), per mapped field.
    pub raw: BTreeMap<Field, String>,
    /// Identifiers kept for the report. Keyed by an enum, not a string: a 200,000-row export
    /// would otherwise spend ~60 MB on copies of the key names.
    pub extra: BTreeMap<ExtraField, String>,
    /// Problems with this row (unparseable or impossible values, empty name), each naming the field.
    pub warnings: Vec<String>,
}
