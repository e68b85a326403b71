//! Typed field values of a register row, and the parsers that make them from text.
//!
//! The scan reader and the export reader both parse through these functions, so a date or a diploma
//! number means the same thing whichever side it came from. Every parser takes raw text (OCR output
//! or a spreadsheet cell) and returns either a typed value plus a [`Parsed::corrected`] flag (set when
//! an OCR confusion such as `O`→`0` had to be undone, so callers can lower their confidence), or a
//! [`FieldError`] that says why the text is not a valid value. Nothing here guesses silently.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize, Serializer};

use crate::text;

/// The columns of a register row that doisoat knows, in register order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Số thứ tự, the printed row number.
    Stt,
    /// Họ và tên.
    Name,
    /// Ngày sinh.
    Dob,
    /// Nơi sinh.
    Birthplace,
    /// Giới tính.
    Gender,
    /// Dân tộc.
    Ethnicity,
    /// Xếp loại tốt nghiệp.
    Grade,
    /// Số hiệu văn bằng.
    DiplomaNo,
    /// Số vào sổ gốc cấp bằng.
    RegisterNo,
    /// Ghi chú.
    Note,
}

impl Field {
    /// Every field, in register order.
    pub const ALL: [Field; 10] = [
        Field::Stt,
        Field::Name,
        Field::Dob,
        Field::Birthplace,
        Field::Gender,
        Field::Ethnicity,
        Field::Grade,
        Field::DiplomaNo,
        Field::RegisterNo,
        Field::Note,
    ];

    /// The snake_case name used in JSON, CSV headers (English) and layout files.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Stt => "stt",
            Field::Name => "name",
            Field::Dob => "dob",
            Field::Birthplace => "birthplace",
            Field::Gender => "gender",
            Field::Ethnicity => "ethnicity",
            Field::Grade => "grade",
            Field::DiplomaNo => "diploma_no",
            Field::RegisterNo => "register_no",
            Field::Note => "note",
        }
    }

    /// The Vietnamese label a clerk knows the column by.
    pub fn label_vi(self) -> &'static str {
        match self {
            Field::Stt => "STT",
            Field::Name => "Họ và tên",
            Field::Dob => "Ngày sinh",
            Field::Birthplace => "Nơi sinh",
            Field::Gender => "Giới tính",
            Field::Ethnicity => "Dân tộc",
            Field::Grade => "Xếp loại",
            Field::DiplomaNo => "Số hiệu văn bằng",
            Field::RegisterNo => "Số vào sổ",
            Field::Note => "Ghi chú",
        }
    }

    /// Parses the snake_case name (`"diploma_no"`) back into a field.
    pub fn from_name(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a text is not a valid value of its field. The message quotes the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// The cell is empty.
    #[error("empty")]
    Empty,
    /// The text does not have the shape of the field (e.g. letters in a date).
    #[error("{field} {text:?} is not in a known format")]
    Format {
        /// The field that was parsed.
        field: Field,
        /// The text as given.
        text: String,
    },
    /// The text has the right shape but names an impossible value (31/02/2000, month 13).
    #[error("{field} {text:?} is not a real value: {why}")]
    Invalid {
        /// The field that was parsed.
        field: Field,
        /// The text as given.
        text: String,
        /// What is impossible about it.
        why: &'static str,
    },
}

/// A value parsed from text, with whether an OCR confusion had to be undone to get it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// The typed value.
    pub value: T,
    /// True when characters were substituted (`O`→`0`, `l`→`1` …) or a value was inferred (a
    /// two-digit year). Callers lower the field's confidence when set.
    pub corrected: bool,
}

fn format_err(field: Field, text: &str) -> FieldError {
    FieldError::Format {
        field,
        text: text.to_string(),
    }
}

/// Letters OCR commonly produces for digits in a numeric context. Applied only where the position
/// must hold a digit.
fn digit_for_confusable(c: char) -> Option<char> {
    Some(match c {
        'O' | 'o' | 'D' | 'Q' => '0',
        'l' | 'I' | 'i' | '|' | '!' => '1',
        'Z' | 'z' => '2',
        'S' | 's' => '5',
        'G' | 'b' => '6',
        'B' => '8',
        'g' | 'q' => '9',
        _ => return None,
    })
}

/// A calendar date, or a year alone (exports sometimes hold only the birth year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    /// 0 when only the year is known.
    month: u8,
    /// 0 when only the year is known.
    day: u8,
}

/// Two-digit years are read as 19yy at or above this value, else 20yy. Candidates graduating in
/// 2015–2018 were born around 1995–2002.
const TWO_DIGIT_YEAR_PIVOT: u16 = 30;

impl Date {
    /// A full date; `None` when it does not exist on the calendar or lies outside 1900–2099.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1900..=2099).contains(&year) && (1..=12).contains(&month))
            .then_some(())
            .filter(|_| day >= 1 && day <= days_in_month(year, month))
            .map(|_| Date { year, month, day })
    }

    /// A date known only by its year.
    pub fn year_only(year: u16) -> Option<Date> {
        (1900..=2099).contains(&year).then_some(Date {
            year,
            month: 0,
            day: 0,
        })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, `None` for a year-only date.
    pub fn month(self) -> Option<u8> {
        (self.month != 0).then_some(self.month)
    }

    /// The day, `None` for a year-only date.
    pub fn day(self) -> Option<u8> {
        (self.day != 0).then_some(self.day)
    }

    /// True when only the year is known.
    pub fn is_year_only(self) -> bool {
        self.month == 0
    }

    /// The same date with day and month exchanged, when that is a real date.
    pub fn swapped_day_month(self) -> Option<Date> {
        if self.is_year_only() {
            return None;
        }
        Date::new(self.year, self.day, self.month)
    }

    /// Date from an Excel serial day number (1900 date system, with Excel's phantom 29/02/1900).
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
            return None;
        }
        let mut days = serial.floor() as i64;
        if days >= 60 {
            days -= 1;
        }
        // Day 1 is 1900-01-01; convert through days since 1970-01-01 (civil-from-days algorithm).
        let z = days - 25_568 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date::new(year, month, day)
    }

    /// Parses a birth date written day first: `05/03/2000`, `5/3/2000`, `05-03-2000`, `05.03.2000`,
    /// `5/3/00`, `05032000`, ISO `2000-03-05` (only when the year leads), or a bare year `2000`.
    /// Letters that OCR confuses with digits are undone and reported through `corrected`.
    pub fn parse(text: &str) -> Result<Parsed<Date>, FieldError> {
        let cleaned = text::clean(text);
        if cleaned.is_empty() {
            return Err(FieldError::Empty);
        }
        let mut corrected = false;
        let mut groups: Vec<String> = vec![String::new()];
        for c in cleaned.chars() {
            let digit = if c.is_ascii_digit() {
                Some(c)
            } else {
                digit_for_confusable(c).inspect(|_| corrected = true)
            };
            match digit {
                Some(d) => groups.last_mut().expect("never empty").push(d),
                None if matches!(c, '/' | '-' | '.' | ' ' | '\\' | ',') => {
                    if !groups.last().expect("never empty").is_empty() {
                        groups.push(String::new());
                    }
                }
                None => return Err(format_err(Field::Dob, text)),
            }
        }
        groups.retain(|g| !g.is_empty());
        let num = |s: &str| s.parse::<u16>().map_err(|_| format_err(Field::Dob, text));
        let (day, month, year) = match groups.as_slice() {
            [y] if y.len() == 4 => {
                return Date::year_only(num(y)?)
                    .map(|value| Parsed { value, corrected })
                    .ok_or_else(|| invalid(text, "year out of range"));
            }
            [all] if all.len() == 8 => (num(&all[0..2])?, num(&all[2..4])?, num(&all[4..8])?),
            [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
                (num(d)?, num(m)?, num(y)?)
            }
            [d, m, y] if d.len() <= 2 && m.len() <= 2 && (y.len() == 4 || y.len() == 2) => {
                let mut year = num(y)?;
                if y.len() == 2 {
                    corrected = true;
                    year += if year >= TWO_DIGIT_YEAR_PIVOT {
                        1900
                    } else {
                        2000
                    };
                }
                (num(d)?, num(m)?, year)
            }
            _ => return Err(format_err(Field::Dob, text)),
        };
        if !(1..=12).contains(&month) {
            return Err(invalid(text, "month is not 1–12"));
        }
        Date::new(year, month as u8, day as u8)
            .map(|value| Parsed { value, corrected })
            .ok_or_else(|| invalid(text, "no such day in that month, or year outside 1900–2099"))
    }

    /// `YYYY-MM-DD`, or `YYYY` for a year-only date.
    pub fn to_iso(self) -> String {
        if self.is_year_only() {
            format!("{:04}", self.year)
        } else {
            format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }

    /// `dd/mm/yyyy` as Vietnamese documents print it, or `yyyy` for a year-only date.
    pub fn to_vn(self) -> String {
        if self.is_year_only() {
            format!("{:04}", self.year)
        } else {
            format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
        }
    }
}

fn invalid(text: &str, why: &'static str) -> FieldError {
    FieldError::Invalid {
        field: Field::Dob,
        text: text.to_string(),
        why,
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

/// Số hiệu văn bằng: a series letter and the serial digits (`B 1234567` → `B1234567`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DiplomaNo {
    prefix: String,
    digits: String,
}

impl DiplomaNo {
    /// Parses a diploma number: upper-cased, spaces, dots and dashes dropped, a series letter then
    /// 6–8 digits. `O`/`l`/`I`/`S`/`B`… are turned into digits only after the series
    /// letters (the prefix letter itself is never changed), and that sets `corrected`.
    pub fn parse(text: &str) -> Result<Parsed<DiplomaNo>, FieldError> {
        let compact: String = text::clean(text)
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '_'))
            .collect();
        if compact.is_empty() {
            return Err(FieldError::Empty);
        }
        // The series is one letter on every diploma seen (A, B, T); the letter itself is never
        // "fixed", because B/8 and O/0 confusions there cannot be told apart from real series.
        let prefix = match compact.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
            _ => return Err(format_err(Field::DiplomaNo, text)),
        };
        let prefix_len = 1;
        let mut corrected = false;
        let mut digits = String::new();
        for c in compact.chars().skip(prefix_len) {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if let Some(d) = digit_for_confusable(c) {
                corrected = true;
                digits.push(d);
            } else {
                return Err(format_err(Field::DiplomaNo, text));
            }
        }
        if !(6..=8).contains(&digits.len()) {
            return Err(FieldError::Invalid {
                field: Field::DiplomaNo,
                text: text.to_string(),
                why: "a diploma number has 6 to 8 digits after its series letter",
            });
        }
        Ok(Parsed {
            value: DiplomaNo { prefix, digits },
            corrected,
        })
    }

    /// The series letter, e.g. `B`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The serial digits.
    pub fn digits(&self) -> &str {
        &self.digits
    }
}

impl fmt::Display for DiplomaNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.prefix, self.digits)
    }
}

impl Serialize for DiplomaNo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Số vào sổ gốc: free text with no national format (`2015/004/0289`, `207/ML`, `0640090006`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegisterNo(String);

impl RegisterNo {
    /// Upper-cases and drops spaces; anything non-empty is accepted because no format is defined.
    /// Punctuation at either end (`2018/068/3115.`, `-0289-`) is dust or ruling read as text, not
    /// part of a number: it is dropped and counted as a correction.
    pub fn parse(text: &str) -> Result<Parsed<RegisterNo>, FieldError> {
        let compact: String = text::clean(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect();
        let trimmed = compact.trim_matches(|c: char| !c.is_alphanumeric());
        if trimmed.is_empty() {
            return Err(FieldError::Empty);
        }
        Ok(Parsed {
            value: RegisterNo(trimmed.to_string()),
            corrected: trimmed.len() != compact.len(),
        })
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegisterNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for RegisterNo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Giới tính.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    /// Nam (male).
    Nam,
    /// Nữ (female).
    Nu,
}

impl Gender {
    /// Accepts `Nam`, `Nữ` in any case and with lost marks (`NU`, `Nu`, `Nư`), `male`/`female`,
    /// `M`/`F`, and `1`/`0` is NOT accepted (systems disagree on which is which).
    pub fn parse(text: &str) -> Result<Parsed<Gender>, FieldError> {
        let exact = text::exact_key(text);
        let folded = text::fold_key(text);
        if folded.is_empty() {
            return Err(FieldError::Empty);
        }
        let (value, corrected) = match (exact.as_str(), folded.as_str()) {
            ("nam", _) | (_, "male" | "m") => (Gender::Nam, false),
            ("nư3", _) | (_, "female" | "f") => (Gender::Nu, false),
            (_, "nu" | "nư") => (Gender::Nu, true),
            (_, "nam") => (Gender::Nam, true),
            _ => return Err(format_err(Field::Gender, text)),
        };
        Ok(Parsed { value, corrected })
    }

    /// `Nam` or `Nữ`.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Nam => "Nam",
            Gender::Nu => "Nữ",
        }
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Gender {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One of the 54 official ethnic groups (plus 55 foreigner, 56 unknown), by its official code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ethnicity {
    code: u8,
}

struct EthnicTable {
    names: Vec<(u8, String)>,
    /// label_key → code, for official names and unambiguous other names.
    by_key: HashMap<String, u8>,
}

/// Spellings seen on documents that the official list does not carry.
const EXTRA_ETHNIC_SPELLINGS: [(&str, u8); 6] = [
    ("Khmer", 5),
    ("Mông", 8),
    ("H'Mông", 8),
    ("Hmong", 8),
    ("Bana", 13),
    ("Êđê", 12),
];

fn ethnic_table() -> &'static EthnicTable {
    static TABLE: OnceLock<EthnicTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut reader =
            csv::Reader::from_reader(include_str!("data/ethnic_groups.csv").as_bytes());
        let mut names = Vec::new();
        let mut by_key = HashMap::new();
        let mut alias_count: HashMap<String, (u8, usize)> = HashMap::new();
        for record in reader.records() {
            let record = record.expect("the compiled-in ethnic group list is valid CSV");
            let code: u8 = record[0].parse().expect("ethnic codes are numbers");
            let name = text::clean(&record[1]);
            by_key.insert(text::label_key(&name), code);
            for alias in record[2]
                .split([',', '.'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                let entry = alias_count
                    .entry(text::label_key(alias))
                    .or_insert((code, 0));
                entry.1 += 1;
            }
            names.push((code, name));
        }
        // An alias shared by two groups ("Thổ", "Hoa", "Mán") or equal to an official name of another
        // group identifies nothing, so only unique ones are kept.
        for (key, (code, count)) in alias_count {
            if count == 1 {
                by_key.entry(key).or_insert(code);
            }
        }
        for (spelling, code) in EXTRA_ETHNIC_SPELLINGS {
            by_key.insert(text::label_key(spelling), code);
        }
        EthnicTable { names, by_key }
    })
}

impl Ethnicity {
    /// Matches the text against official names, their unambiguous other names and common spellings,
    /// insensitive to case, marks, hyphens and spaces (`Khơ-me`, `KHMER`, `Kinh`, `kinh`).
    pub fn parse(text: &str) -> Result<Parsed<Ethnicity>, FieldError> {
        let key = text::label_key(text);
        if key.is_empty() {
            return Err(FieldError::Empty);
        }
        let table = ethnic_table();
        match table.by_key.get(&key) {
            Some(&code) => Ok(Parsed {
                value: Ethnicity { code },
                corrected: false,
            }),
            None => Err(format_err(Field::Ethnicity, text)),
        }
    }

    /// The official code, `1` for Kinh.
    pub fn code(self) -> u8 {
        self.code
    }

    /// The official name (`Kinh`, `Khơ-me`, `HMông` …).
    pub fn name(self) -> &'static str {
        ethnic_table()
            .names
            .iter()
            .find(|(c, _)| *c == self.code)
            .map(|(_, n)| n.as_str())
            .expect("codes only come from the table")
    }
}

impl fmt::Display for Ethnicity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Ethnicity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Xếp loại tốt nghiệp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grade {
    /// Xuất sắc.
    XuatSac,
    /// Giỏi.
    Gioi,
    /// Khá.
    Kha,
    /// Trung bình (`TB`).
    TrungBinh,
}

impl Grade {
    /// Accepts the four grades with or without marks, and their abbreviations (`XS`, `G`, `K`,
    /// `TB`). A lone `B` is taken as `TB` and marked corrected: OCR loses the `T` of `TB` against
    /// the cell's left edge (23 of 818 grade cells of a generated 40-page set), and no grade or
    /// abbreviation starts with `B`.
    pub fn parse(text: &str) -> Result<Parsed<Grade>, FieldError> {
        let key = text::label_key(text);
        let (value, corrected) = match key.as_str() {
            "" => return Err(FieldError::Empty),
            "xuatsac" | "xs" => (Grade::XuatSac, false),
            "gioi" | "g" => (Grade::Gioi, false),
            "kha" | "k" => (Grade::Kha, false),
            "trungbinh" | "tb" => (Grade::TrungBinh, false),
            "b" => (Grade::TrungBinh, true),
            _ => return Err(format_err(Field::Grade, text)),
        };
        Ok(Parsed { value, corrected })
    }

    /// The full Vietnamese name.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::XuatSac => "Xuất sắc",
            Grade::Gioi => "Giỏi",
            Grade::Kha => "Khá",
            Grade::TrungBinh => "Trung bình",
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Grade {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Cleaned Vietnamese text with its comparison keys: a person's name or a place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VnText {
    text: String,
    key: String,
    folded: String,
}

impl VnText {
    fn new(text: &str) -> Option<VnText> {
        let text = text::clean(text);
        (!text.is_empty()).then(|| VnText {
            key: text::exact_key(&text),
            folded: text::fold_key(&text),
            text,
        })
    }

    /// The cleaned text, NFC, as written (case kept).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Key equal for equivalent spellings (see [`text::exact_key`]).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Key without diacritics (see [`text::fold_key`]).
    pub fn folded(&self) -> &str {
        &self.folded
    }
}

/// Họ và tên, with its normalised keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(VnText);

impl PersonName {
    /// Accepts any non-empty text of letters, spaces, apostrophes and hyphens; a digit or other
    /// symbol means the cell is not a name (often a misplaced column).
    pub fn parse(text: &str) -> Result<Parsed<PersonName>, FieldError> {
        let v = VnText::new(text).ok_or(FieldError::Empty)?;
        if !v
            .text
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.'))
        {
            return Err(format_err(Field::Name, text));
        }
        Ok(Parsed {
            value: PersonName(v),
            corrected: false,
        })
    }

    /// Builds a name from split database columns (`Họ đệm` + `Tên`, or `Họ` + `Đệm` + `Tên`).
    pub fn from_parts(parts: &[&str]) -> Result<Parsed<PersonName>, FieldError> {
        PersonName::parse(&parts.join(" "))
    }

    /// The cleaned name as written.
    pub fn text(&self) -> &str {
        self.0.text()
    }

    /// Key equal for equivalent spellings.
    pub fn key(&self) -> &str {
        self.0.key()
    }

    /// Key without diacritics.
    pub fn folded(&self) -> &str {
        self.0.folded()
    }

    /// The given name (last word), the part Vietnamese lists sort by.
    pub fn given(&self) -> &str {
        self.0.text.rsplit(' ').next().unwrap_or("")
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl Serialize for PersonName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text())
    }
}

/// Nơi sinh: a province, or `district - province`, kept as cleaned text with keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Place(VnText);

impl Place {
    /// Accepts any non-empty text.
    pub fn parse(text: &str) -> Result<Parsed<Place>, FieldError> {
        let v = VnText::new(text).ok_or(FieldError::Empty)?;
        Ok(Parsed {
            value: Place(v),
            corrected: false,
        })
    }

    /// The cleaned text as written.
    pub fn text(&self) -> &str {
        self.0.text()
    }

    /// Key equal for equivalent spellings; separators (`,` `-` `–`) between parts are unified.
    pub fn key(&self) -> String {
        place_parts(self.0.key()).join("|")
    }

    /// Key without diacritics, separators unified.
    pub fn folded(&self) -> String {
        place_parts(self.0.folded()).join("|")
    }
}

fn place_parts(key: &str) -> Vec<&str> {
    key.split([',', '-', '–', '/'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl Serialize for Place {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Result<(String, bool), FieldError> {
        Date::parse(text).map(|p| (p.value.to_iso(), p.corrected))
    }

    #[test]
    fn dates_are_read_day_first_in_every_printed_form() {
        let cases = [
            ("05/03/2000", "2000-03-05", false),
            ("5/3/2000", "2000-03-05", false),
            ("05-03-2000", "2000-03-05", false),
            ("05.03.2000", "2000-03-05", false),
            ("05 / 03 / 2000", "2000-03-05", false),
            ("05032000", "2000-03-05", false),
            ("2000-03-05", "2000-03-05", false),
            ("5/3/00", "2000-03-05", true),
            ("5/3/99", "1999-03-05", true),
            ("2000", "2000", false),
        ];
        for (text, iso, corrected) in cases {
            assert_eq!(date(text), Ok((iso.to_string(), corrected)), "{text}");
        }
    }

    #[test]
    fn date_ocr_confusions_are_undone_and_reported() {
        assert_eq!(date("O5/O3/2OOO"), Ok(("2000-03-05".into(), true)));
        assert_eq!(date("l2/l1/l999"), Ok(("1999-11-12".into(), true)));
        assert_eq!(date("2S/12/2000"), Ok(("2000-12-25".into(), true)));
    }

    #[test]
    fn impossible_or_garbled_dates_are_errors_not_guesses() {
        assert!(matches!(
            Date::parse("31/02/2000"),
            Err(FieldError::Invalid { .. })
        ));
        assert!(matches!(
            Date::parse("12/13/2000"),
            Err(FieldError::Invalid { .. })
        ));
        assert!(matches!(Date::parse("5/3"), Err(FieldError::Format { .. })));
        assert!(matches!(
            Date::parse("ngày 5"),
            Err(FieldError::Format { .. })
        ));
        assert_eq!(Date::parse("  "), Err(FieldError::Empty));
    }

    #[test]
    fn excel_serials_convert_to_calendar_dates() {
        assert_eq!(
            Date::from_excel_serial(36_590.0).unwrap().to_iso(),
            "2000-03-05"
        );
        assert_eq!(
            Date::from_excel_serial(61.0).unwrap().to_iso(),
            "1900-03-01"
        );
        assert_eq!(
            Date::from_excel_serial(44_197.0).unwrap().to_iso(),
            "2021-01-01"
        );
        assert!(Date::from_excel_serial(f64::NAN).is_none());
    }

    #[test]
    fn swapped_day_month_exists_only_when_both_are_months() {
        let d = Date::new(2000, 3, 5).unwrap();
        assert_eq!(d.swapped_day_month(), Date::new(2000, 5, 3));
        assert_eq!(Date::new(2000, 3, 25).unwrap().swapped_day_month(), None);
    }

    #[test]
    fn diploma_numbers_drop_spaces_and_fix_confusions_only_after_the_series_letter() {
        let cases = [
            ("B 1234567", "B1234567", false),
            ("b1234567", "B1234567", false),
            ("B 661596", "B661596", false),
            ("A 02694097", "A02694097", false),
            ("B 12345O7", "B1234507", true),
            ("B l234567", "B1234567", true),
            ("BO123456", "B0123456", true),
            ("T00630214", "T00630214", false),
        ];
        for (text, want, corrected) in cases {
            let got = DiplomaNo::parse(text).unwrap();
            assert_eq!(
                (got.value.to_string(), got.corrected),
                (want.to_string(), corrected),
                "{text}"
            );
        }
    }

    #[test]
    fn malformed_diploma_numbers_are_rejected() {
        assert!(DiplomaNo::parse("1234567").is_err());
        assert!(DiplomaNo::parse("B 123").is_err());
        assert!(DiplomaNo::parse("B 123#567").is_err());
        assert_eq!(DiplomaNo::parse(""), Err(FieldError::Empty));
    }

    #[test]
    fn register_numbers_keep_their_text_without_spaces() {
        assert_eq!(
            RegisterNo::parse(" 2018/068 /0289").unwrap().value.as_str(),
            "2018/068/0289"
        );
        assert_eq!(
            RegisterNo::parse("207/ml").unwrap().value.as_str(),
            "207/ML"
        );
        assert!(!RegisterNo::parse("207/ml").unwrap().corrected);
    }

    #[test]
    fn register_numbers_lose_dust_at_either_end_as_a_correction() {
        let p = RegisterNo::parse("2018/068/3115..").unwrap();
        assert_eq!((p.value.as_str(), p.corrected), ("2018/068/3115", true));
        assert_eq!(
            RegisterNo::parse("-TN-0012 -").unwrap().value.as_str(),
            "TN-0012"
        );
        assert_eq!(RegisterNo::parse(" .. "), Err(FieldError::Empty));
    }

    #[test]
    fn gender_reads_lost_marks_as_a_correction() {
        assert_eq!(
            Gender::parse("Nam").unwrap(),
            Parsed {
                value: Gender::Nam,
                corrected: false
            }
        );
        assert_eq!(
            Gender::parse("NỮ").unwrap(),
            Parsed {
                value: Gender::Nu,
                corrected: false
            }
        );
        assert_eq!(
            Gender::parse("NU").unwrap(),
            Parsed {
                value: Gender::Nu,
                corrected: true
            }
        );
        assert!(Gender::parse("Nan").is_err());
    }

    #[test]
    fn ethnic_groups_match_official_names_and_common_spellings() {
        for (text, code) in [
            ("Kinh", 1),
            ("KINH", 1),
            ("Khơ-me", 5),
            ("Khmer", 5),
            ("H'Mông", 8),
            ("Mường", 6),
        ] {
            assert_eq!(Ethnicity::parse(text).unwrap().value.code(), code, "{text}");
        }
        assert_eq!(Ethnicity::parse("khome").unwrap().value.name(), "Khơ-me");
        assert!(Ethnicity::parse("Thổ").is_ok_and(|p| p.value.code() == 24));
        assert!(Ethnicity::parse("Xyz").is_err());
    }

    #[test]
    fn grades_accept_abbreviations() {
        assert_eq!(Grade::parse("TB").unwrap().value, Grade::TrungBinh);
        assert_eq!(
            Grade::parse("B"),
            Ok(Parsed {
                value: Grade::TrungBinh,
                corrected: true
            })
        );
        assert_eq!(Grade::parse("Khá").unwrap().value, Grade::Kha);
        assert_eq!(Grade::parse(""), Err(FieldError::Empty));
    }

    #[test]
    fn names_keep_text_and_compare_by_key() {
        let a = PersonName::parse("NGUYỄN THỊ THUỶ").unwrap().value;
        let b = PersonName::parse("Nguyễn  Thị\u{00A0}Thủy").unwrap().value;
        assert_eq!(a.key(), b.key());
        assert_eq!(a.text(), "NGUYỄN THỊ THUỶ");
        assert_eq!(b.given(), "Thủy");
        assert!(PersonName::parse("Nguyễn Văn 4n").is_err());
        assert_eq!(
            PersonName::from_parts(&["Trần Văn", "Nam"])
                .unwrap()
                .value
                .text(),
            "Trần Văn Nam"
        );
    }

    #[test]
    fn places_unify_separators() {
        let a = Place::parse("Thủy Nguyên - Hải Phòng").unwrap().value;
        let b = Place::parse("Thuỷ Nguyên, Hải Phòng").unwrap().value;
        assert_eq!(a.key(), b.key());
    }
}
