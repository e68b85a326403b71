//! Column headers: what each header means (synonyms and `--columns` overrides), which row holds
//! the headers, and how split name and date columns combine.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::ExportError;
use crate::fields::Field;
use crate::rows::ExtraField;
use crate::text::label_key;

/// One part of a name split over several columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NamePart {
    /// `Họ` alone.
    Family,
    /// `Họ đệm`, `Họ và đệm`: family and middle names together.
    FamilyMiddle,
    /// `Đệm`, `Chữ đệm`.
    Middle,
    /// `Tên`: the given name.
    Given,
}

/// One part of a date of birth split over three columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DatePart {
    /// `Ngày`.
    Day,
    /// `Tháng`.
    Month,
    /// `Năm`, `Năm sinh`.
    Year,
}

/// What a column of the export holds; serialised as its [`Target::as_str`] name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A whole register field.
    Field(Field),
    /// Part of the name.
    Name(NamePart),
    /// Part of the date of birth.
    Dob(DatePart),
    /// An identifier kept for the report.
    Extra(ExtraField),
}

impl Target {
    /// Every target a `--columns` file may name, with its name there.
    const NAMED: [(&'static str, Target); 22] = [
        ("stt", Target::Field(Field::Stt)),
        ("name", Target::Field(Field::Name)),
        ("dob", Target::Field(Field::Dob)),
        ("birthplace", Target::Field(Field::Birthplace)),
        ("gender", Target::Field(Field::Gender)),
        ("ethnicity", Target::Field(Field::Ethnicity)),
        ("grade", Target::Field(Field::Grade)),
        ("diploma_no", Target::Field(Field::DiplomaNo)),
        ("register_no", Target::Field(Field::RegisterNo)),
        ("note", Target::Field(Field::Note)),
        ("family_name", Target::Name(NamePart::Family)),
        ("family_middle_name", Target::Name(NamePart::FamilyMiddle)),
        ("middle_name", Target::Name(NamePart::Middle)),
        ("given_name", Target::Name(NamePart::Given)),
        ("dob_day", Target::Dob(DatePart::Day)),
        ("dob_month", Target::Dob(DatePart::Month)),
        ("dob_year", Target::Dob(DatePart::Year)),
        ("student_id", Target::Extra(ExtraField::StudentId)),
        ("personal_id", Target::Extra(ExtraField::PersonalId)),
        ("graduation_year", Target::Extra(ExtraField::GraduationYear)),
        ("school", Target::Extra(ExtraField::School)),
        ("class", Target::Extra(ExtraField::Class)),
    ];

    /// The name used in `--columns` files and printed in the mapping (`name`, `given_name` …).
    pub fn as_str(self) -> &'static str {
        Target::NAMED
            .iter()
            .find(|(_, t)| *t == self)
            .map(|(n, _)| *n)
            .expect("every target is named")
    }

    /// Parses a name written by [`Target::as_str`].
    pub fn from_name(s: &str) -> Option<Target> {
        Target::NAMED
            .iter()
            .find(|(n, _)| *n == s.trim())
            .map(|(_, t)| *t)
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Headers recognised without a `--columns` file, compared through [`label_key`] (case, marks,
/// punctuation and spacing ignored). The first ones of each target are the ones error messages
/// quote.
const SYNONYMS: &[(&str, Target)] = &[
    ("STT", Target::Field(Field::Stt)),
    ("TT", Target::Field(Field::Stt)),
    ("Số thứ tự", Target::Field(Field::Stt)),
    ("Họ và tên", Target::Field(Field::Name)),
    ("Họ tên", Target::Field(Field::Name)),
    ("Họ, chữ đệm và tên", Target::Field(Field::Name)),
    ("HoTen", Target::Field(Field::Name)),
    ("Họ và tên người học", Target::Field(Field::Name)),
    ("Họ tên người học", Target::Field(Field::Name)),
    ("Họ và tên học sinh", Target::Field(Field::Name)),
    ("Họ tên học sinh", Target::Field(Field::Name)),
    ("Họ và tên thí sinh", Target::Field(Field::Name)),
    ("Họ, chữ đệm, tên", Target::Field(Field::Name)),
    ("Họ đệm", Target::Name(NamePart::FamilyMiddle)),
    ("Họ và đệm", Target::Name(NamePart::FamilyMiddle)),
    ("Họ và chữ đệm", Target::Name(NamePart::FamilyMiddle)),
    ("Họ, chữ đệm", Target::Name(NamePart::FamilyMiddle)),
    ("Họ và tên đệm", Target::Name(NamePart::FamilyMiddle)),
    ("Họ", Target::Name(NamePart::Family)),
    ("Đệm", Target::Name(NamePart::Middle)),
    ("Chữ đệm", Target::Name(NamePart::Middle)),
    ("Tên đệm", Target::Name(NamePart::Middle)),
    ("Tên", Target::Name(NamePart::Given)),
    ("Ngày sinh", Target::Field(Field::Dob)),
    ("Ngày tháng năm sinh", Target::Field(Field::Dob)),
    ("Ngày, tháng, năm sinh", Target::Field(Field::Dob)),
    ("NgaySinh", Target::Field(Field::Dob)),
    ("Sinh ngày", Target::Field(Field::Dob)),
    ("Ngày", Target::Dob(DatePart::Day)),
    ("Tháng", Target::Dob(DatePart::Month)),
    ("Tháng sinh", Target::Dob(DatePart::Month)),
    ("Năm sinh", Target::Dob(DatePart::Year)),
    ("Năm", Target::Dob(DatePart::Year)),
    ("Nơi sinh", Target::Field(Field::Birthplace)),
    ("Giới tính", Target::Field(Field::Gender)),
    ("Phái", Target::Field(Field::Gender)),
    ("Dân tộc", Target::Field(Field::Ethnicity)),
    ("Xếp loại tốt nghiệp", Target::Field(Field::Grade)),
    ("Xếp loại", Target::Field(Field::Grade)),
    ("Xếp loại TN", Target::Field(Field::Grade)),
    ("Loại tốt nghiệp", Target::Field(Field::Grade)),
    ("Số hiệu văn bằng", Target::Field(Field::DiplomaNo)),
    ("Số hiệu bằng", Target::Field(Field::DiplomaNo)),
    ("Số hiệu VBCC", Target::Field(Field::DiplomaNo)),
    ("SoHieuVanBang", Target::Field(Field::DiplomaNo)),
    ("Số hiệu", Target::Field(Field::DiplomaNo)),
    (
        "Số hiệu văn bằng, chứng chỉ",
        Target::Field(Field::DiplomaNo),
    ),
    ("Số hiệu bằng tốt nghiệp", Target::Field(Field::DiplomaNo)),
    ("Số bằng", Target::Field(Field::DiplomaNo)),
    (
        "Số vào sổ gốc cấp văn bằng",
        Target::Field(Field::RegisterNo),
    ),
    ("Số vào sổ", Target::Field(Field::RegisterNo)),
    ("Số vào sổ cấp bằng", Target::Field(Field::RegisterNo)),
    ("Số vào sổ gốc", Target::Field(Field::RegisterNo)),
    ("Số vào sổ gốc cấp bằng", Target::Field(Field::RegisterNo)),
    ("Số vào sổ cấp văn bằng", Target::Field(Field::RegisterNo)),
    (
        "Số vào sổ gốc cấp văn bằng, chứng chỉ",
        Target::Field(Field::RegisterNo),
    ),
    ("SoVaoSo", Target::Field(Field::RegisterNo)),
    ("Ghi chú", Target::Field(Field::Note)),
    ("Mã học sinh", Target::Extra(ExtraField::StudentId)),
    ("Mã người học", Target::Extra(ExtraField::StudentId)),
    ("Mã HS", Target::Extra(ExtraField::StudentId)),
    (
        "Số định danh cá nhân",
        Target::Extra(ExtraField::PersonalId),
    ),
    ("Mã định danh", Target::Extra(ExtraField::PersonalId)),
    ("Số CCCD", Target::Extra(ExtraField::PersonalId)),
    ("Năm tốt nghiệp", Target::Extra(ExtraField::GraduationYear)),
    ("Năm TN", Target::Extra(ExtraField::GraduationYear)),
    // The national template gives the school years (`2015-2018`); the last is the graduation year.
    ("Niên khóa", Target::Extra(ExtraField::GraduationYear)),
    ("Trường", Target::Extra(ExtraField::School)),
    ("Tên trường", Target::Extra(ExtraField::School)),
    ("Tên trường đã học", Target::Extra(ExtraField::School)),
    ("Lớp", Target::Extra(ExtraField::Class)),
];

fn synonym_table() -> &'static HashMap<String, Target> {
    static TABLE: OnceLock<HashMap<String, Target>> = OnceLock::new();
    TABLE.get_or_init(|| SYNONYMS.iter().map(|(h, t)| (label_key(h), *t)).collect())
}

/// The synonyms of `targets`, for error messages.
pub(crate) fn synonyms_of(targets: &[Target]) -> Vec<&'static str> {
    SYNONYMS
        .iter()
        .filter(|(_, t)| targets.contains(t))
        .map(|(h, _)| *h)
        .collect()
}

/// A hand-written mapping (`--columns FILE`), applied before the synonyms.
///
/// ```toml
/// header_row = 3            # optional: the row holding the headers, as the spreadsheet numbers it
/// [columns]
/// "Họ và tên HS" = "name"   # header as written (case, marks, spacing ignored) = target
/// "NS" = "dob"
/// "Ngày cấp" = "ignore"     # never map this column
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnOverrides {
    /// Physical row (1-based) holding the headers, instead of detecting it.
    pub header_row: Option<u32>,
    /// Header text → target, `None` to leave the column unmapped.
    pub columns: Vec<(String, Option<Target>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    header_row: Option<u32>,
    #[serde(default)]
    columns: toml::Table,
}

impl ColumnOverrides {
    /// Reads a `--columns` TOML file. Errors name the file and say what is wrong (unknown target
    /// names list the valid ones).
    pub fn from_file(path: &Path) -> Result<ColumnOverrides, ExportError> {
        let text = std::fs::read_to_string(path).map_err(|source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        ColumnOverrides::from_toml(&text).map_err(|message| ExportError::Columns {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses the TOML text of a `--columns` file; the error is a message for the user.
    pub fn from_toml(text: &str) -> Result<ColumnOverrides, String> {
        let file: OverridesFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let mut columns = Vec::new();
        for (header, value) in file.columns {
            let name = value
                .as_str()
                .ok_or_else(|| format!("column {header:?}: the target must be a string"))?;
            let target = match name {
                "ignore" => None,
                _ => Some(Target::from_name(name).ok_or_else(|| {
                    let valid: Vec<&str> = Target::NAMED.iter().map(|(n, _)| *n).collect();
                    format!(
                        "column {header:?}: unknown target {name:?}; use one of: {}, ignore",
                        valid.join(", ")
                    )
                })?),
            };
            columns.push((header, target));
        }
        Ok(ColumnOverrides {
            header_row: file.header_row,
            columns,
        })
    }

    fn lookup(&self, key: &str) -> Option<Option<Target>> {
        self.columns
            .iter()
            .find(|(h, _)| label_key(h) == key)
            .map(|(_, t)| *t)
    }
}

/// How one header was understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning {
    Mapped { target: Target, by_override: bool },
    Ignored,
    Unknown,
}

/// What one header cell means, through the overrides then the synonyms.
pub(crate) fn meaning(header: &str, overrides: Option<&ColumnOverrides>) -> Meaning {
    let key = label_key(header);
    if key.is_empty() {
        return Meaning::Unknown;
    }
    if let Some(found) = overrides.and_then(|o| o.lookup(&key)) {
        return match found {
            Some(target) => Meaning::Mapped {
                target,
                by_override: true,
            },
            None => Meaning::Ignored,
        };
    }
    let table = synonym_table();
    // `Ngày sinh (dd/mm/yyyy)`, `Giới tính (Nam/Nữ)`: the note in brackets is not part of the name.
    let without_note = header
        .split_once('(')
        .map(|(head, _)| label_key(head))
        .filter(|k| !k.is_empty() && *k != key);
    match table
        .get(&key)
        .or_else(|| without_note.and_then(|k| table.get(&k)))
    {
        Some(&target) => Meaning::Mapped {
            target,
            by_override: false,
        },
        None => Meaning::Unknown,
    }
}

/// How many distinct targets a row's cells name: the header row is the one naming most.
pub(crate) fn header_score(cells: &[String], overrides: Option<&ColumnOverrides>) -> usize {
    let mut seen: Vec<Target> = cells
        .iter()
        .filter_map(|c| match meaning(c, overrides) {
            Meaning::Mapped { target, .. } => Some(target),
            _ => None,
        })
        .collect();
    seen.sort();
    seen.dedup();
    seen.len()
}

/// Where the name comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameSource {
    Column(usize),
    /// Columns to join with a space, in name order.
    Parts(Vec<usize>),
}

/// Where the date of birth comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DobSource {
    Column(usize),
    Parts {
        day: usize,
        month: usize,
        year: usize,
    },
    Year(usize),
}

/// The columns each value is read from, resolved from the header meanings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub name: NameSource,
    pub dob: Option<DobSource>,
    /// Other fields, one column each.
    pub fields: Vec<(Field, usize)>,
    pub extras: Vec<(ExtraField, usize)>,
    /// Every column used, with its target, in column order.
    pub used: Vec<(usize, Target)>,
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Missing {
    Name,
    DobAndDiplomaNo,
}

/// Resolves header meanings into a plan. The first column naming a target wins; later ones stay
/// unmapped. A whole `Họ và tên` column wins over split parts, a `Ngày sinh` column over day,
/// month and year columns, unless month and year columns exist (then `Ngày sinh` holds the day).
pub(crate) fn plan(headers: &[String], meanings: &[Meaning]) -> Result<Plan, Missing> {
    let mut first: HashMap<Target, usize> = HashMap::new();
    for (i, m) in meanings.iter().enumerate() {
        if let Meaning::Mapped { target, .. } = m {
            first.entry(*target).or_insert(i);
        }
    }
    let col = |t: Target| first.get(&t).copied();
    let mut used: Vec<(usize, Target)> = Vec::new();
    let mut take = |i: usize, t: Target| {
        used.push((i, t));
        i
    };

    let name = if let Some(i) = col(Target::Field(Field::Name)) {
        NameSource::Column(take(i, Target::Field(Field::Name)))
    } else {
        let given = col(Target::Name(NamePart::Given)).ok_or(Missing::Name)?;
        let mut parts = Vec::new();
        if let Some(i) = col(Target::Name(NamePart::FamilyMiddle)) {
            parts.push(take(i, Target::Name(NamePart::FamilyMiddle)));
        } else {
            let family = col(Target::Name(NamePart::Family)).ok_or(Missing::Name)?;
            parts.push(take(family, Target::Name(NamePart::Family)));
            if let Some(i) = col(Target::Name(NamePart::Middle)) {
                parts.push(take(i, Target::Name(NamePart::Middle)));
            }
        }
        parts.push(take(given, Target::Name(NamePart::Given)));
        NameSource::Parts(parts)
    };

    let month = col(Target::Dob(DatePart::Month));
    let year = col(Target::Dob(DatePart::Year));
    let whole = col(Target::Field(Field::Dob));
    let day = col(Target::Dob(DatePart::Day));
    // A bare `Năm` could be any year (of graduation, of the course); only beside `Ngày` and
    // `Tháng` is it surely the birth year.
    let year_header_is_bare = year.is_some_and(|i| {
        matches!(
            meanings[i],
            Meaning::Mapped {
                by_override: false,
                ..
            }
        ) && label_key(&headers[i]) == "nam"
    });
    let dob = match (whole, day.or(whole), month, year) {
        (_, Some(d), Some(m), Some(y)) => Some(DobSource::Parts {
            day: take(d, Target::Dob(DatePart::Day)),
            month: take(m, Target::Dob(DatePart::Month)),
            year: take(y, Target::Dob(DatePart::Year)),
        }),
        (Some(w), ..) => Some(DobSource::Column(take(w, Target::Field(Field::Dob)))),
        (None, _, _, Some(y)) if !year_header_is_bare => {
            Some(DobSource::Year(take(y, Target::Dob(DatePart::Year))))
        }
        _ => None,
    };

    let mut fields = Vec::new();
    for field in Field::ALL {
        if matches!(field, Field::Name | Field::Dob) {
            continue;
        }
        if let Some(i) = col(Target::Field(field)) {
            fields.push((field, take(i, Target::Field(field))));
        }
    }
    if dob.is_none() && !fields.iter().any(|(f, _)| *f == Field::DiplomaNo) {
        return Err(Missing::DobAndDiplomaNo);
    }
    let mut extras = Vec::new();
    for (extra, i) in ExtraField::ALL
        .into_iter()
        .filter_map(|e| col(Target::Extra(e)).map(|i| (e, i)))
    {
        extras.push((extra, take(i, Target::Extra(extra))));
    }
    used.sort();
    Ok(Plan {
        name,
        dob,
        fields,
        extras,
        used,
    })
}
