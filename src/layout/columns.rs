//! Column identification: header text → which field each table column holds.

use std::path::Path;

use serde::{Deserialize, Serialize};
use strsim::normalized_levenshtein;
use thiserror::Error;

use super::grid::Span;
use crate::fields::Field;
use crate::text::label_key;

/// What a table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnKind {
    /// A field of the register.
    Field(Field),
    /// The receiver's signature: never read, and ink there is expected.
    Signature,
    /// A column the tool does not use (exam score, candidate number, unknown header).
    Other,
}

/// Kind of every column of a table, left to right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMap {
    /// One entry per grid column.
    pub kinds: Vec<ColumnKind>,
}

impl ColumnMap {
    /// Index of the column holding `field`, if any.
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.kinds
            .iter()
            .position(|k| *k == ColumnKind::Field(field))
    }

    /// Number of columns identified as a field.
    pub fn field_count(&self) -> usize {
        self.kinds
            .iter()
            .filter(|k| matches!(k, ColumnKind::Field(_)))
            .count()
    }
}

/// Header wordings seen in registers and lists (DOMAIN.md), as [`label_key`]s.
const SYNONYMS: &[(ColumnKind, &[&str])] = &[
    (
        ColumnKind::Field(Field::Stt),
        &["stt", "tt", "sott", "sothutu"],
    ),
    (
        ColumnKind::Field(Field::Name),
        &[
            "hovaten",
            "hoten",
            "hovatennguoihoc",
            "hovatenhocsinh",
            "hotenhocsinh",
            "hochudemvaten",
            "hotennguoihoc",
        ],
    ),
    (
        ColumnKind::Field(Field::Dob),
        &["ngaythangnamsinh", "ngaysinh", "sinhngay", "ngaythangsinh"],
    ),
    (
        ColumnKind::Field(Field::Birthplace),
        &["noisinh", "quequan"],
    ),
    (
        ColumnKind::Field(Field::Gender),
        &["gioitinh", "gt", "phai", "namnu"],
    ),
    (ColumnKind::Field(Field::Ethnicity), &["dantoc"]),
    (
        ColumnKind::Field(Field::Grade),
        &["xeploaitotnghiep", "xeploai", "xeploaitn", "loaitotnghiep"],
    ),
    (
        ColumnKind::Field(Field::DiplomaNo),
        &[
            "sohieuvanbang",
            "sohieubang",
            "sohieu",
            "sohieuvbcc",
            "sobang",
        ],
    ),
    (
        ColumnKind::Field(Field::RegisterNo),
        &[
            "sovaoso",
            "sovaosogoc",
            "sovaosogoccapvanbang",
            "sovaosocapbang",
            "sovaosogoccapbang",
        ],
    ),
    (ColumnKind::Field(Field::Note), &["ghichu"]),
    (
        ColumnKind::Signature,
        &[
            "chukynguoinhanbang",
            "chukynguoinhan",
            "chuky",
            "kynhan",
            "kyten",
            "nguoinhankyten",
        ],
    ),
    (
        ColumnKind::Other,
        &[
            "diemthihoidongthi",
            "hoidongthi",
            "diemthi",
            "sbd",
            "sobaodanh",
            "socmnd",
            "socccd",
            "quanhe",
            "ngaynhan",
        ],
    ),
];

/// Best score a header text reaches against a column's synonyms, with the column.
/// Scores are normalised Levenshtein similarities on diacritic-free letters and digits; a long
/// synonym contained in the text (a header with extra words) scores 0.9.
pub fn classify_header(text: &str) -> Option<(ColumnKind, f32)> {
    let key = label_key(text);
    // Column numbers "(3)" printed under a header are not part of its name.
    let key: String = key.chars().filter(|c| !c.is_ascii_digit()).collect();
    if key.is_empty() {
        return None;
    }
    let mut best: Option<(ColumnKind, f32)> = None;
    for (kind, syns) in SYNONYMS {
        for syn in *syns {
            let mut s = normalized_levenshtein(&key, syn) as f32;
            if syn.len() >= 5 && key.contains(syn) {
                s = s.max(0.9);
            }
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((*kind, s));
            }
        }
    }
    best
}

/// Similarity a header must reach to name its column.
const MIN_SCORE: f32 = 0.72;

/// Whether a table row reads like a header: at least two cells name a known column.
pub fn is_header_row(cells: &[String]) -> bool {
    cells
        .iter()
        .filter_map(|c| classify_header(c))
        .filter(|(_, s)| *s >= MIN_SCORE)
        .count()
        >= 2
}

/// Whether a row is the column-number row printed under some headers: `(1) (2) (3) …` or
/// `1 2 3 …` (most non-empty cells are a bare number, rising left to right).
pub fn is_column_number_row(cells: &[String]) -> bool {
    let numbers: Vec<Option<u32>> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .map(|c| {
            let inner = c.trim_matches(|ch: char| matches!(ch, '(' | ')' | '[' | ']' | '.' | ' '));
            (inner.len() <= 2).then(|| inner.parse().ok()).flatten()
        })
        .collect();
    let found: Vec<u32> = numbers.iter().flatten().copied().collect();
    found.len() >= 3
        && found.len() * 4 >= numbers.len() * 3
        && found.windows(2).all(|w| w[1] > w[0])
}

/// Header texts of one table → the kind of each column. `header_rows[r][c]` is the text of
/// column `c` in header row `r` (a column's texts are joined, so two-row headers work). Each
/// field goes to the column matching it best; `None` when fewer than two fields are found.
pub fn identify_columns(header_rows: &[Vec<String>]) -> Option<ColumnMap> {
    let ncols = header_rows.iter().map(Vec::len).max()?;
    let mut candidates: Vec<(usize, ColumnKind, f32)> = (0..ncols)
        .filter_map(|c| {
            let text: Vec<&str> = header_rows
                .iter()
                .filter_map(|r| r.get(c).map(String::as_str))
                .collect();
            classify_header(&text.join(" ")).map(|(k, s)| (c, k, s))
        })
        .filter(|(_, _, s)| *s >= MIN_SCORE)
        .collect();
    candidates.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut kinds = vec![ColumnKind::Other; ncols];
    let mut taken = vec![false; ncols];
    let mut used: Vec<ColumnKind> = Vec::new();
    for (c, kind, _) in candidates {
        if taken[c] || (kind != ColumnKind::Other && used.contains(&kind)) {
            continue;
        }
        kinds[c] = kind;
        taken[c] = true;
        used.push(kind);
    }
    // Every register and list layout starts with STT, and its narrow two-line header ("Số /
    // TT") is the one most often misread; an unclaimed first column is taken as STT.
    if !used.contains(&ColumnKind::Field(Field::Stt)) && !taken[0] {
        kinds[0] = ColumnKind::Field(Field::Stt);
    }
    let map = ColumnMap { kinds };
    (map.field_count() >= 3).then_some(map)
}

/// A layout file that pins the columns by hand (`--layout FILE`), in TOML. Either
///
/// ```toml
/// columns = ["stt", "name", "dob", "birthplace", "gender", "ethnicity", "-", "grade",
///            "diploma_no", "register_no", "signature", "note"]
/// ```
///
/// naming every grid column left to right (`-` for a column to ignore), or
///
/// ```toml
/// [[column]]
/// field = "name"
/// from = 0.05   # fractions of the table's width
/// to = 0.22
/// ```
///
/// giving x ranges; a grid column goes to the range holding its centre.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutFile {
    /// Column order as field names.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Column x ranges.
    #[serde(default)]
    pub column: Vec<ColumnRange>,
}

/// One pinned column range of a [`LayoutFile`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnRange {
    /// Field name (`name`, `dob` …, or `signature`).
    pub field: String,
    /// Left edge as a fraction of the table width.
    pub from: f32,
    /// Right edge as a fraction of the table width.
    pub to: f32,
}

/// Why a layout file cannot be used.
#[derive(Debug, Error)]
pub enum LayoutFileError {
    /// The file cannot be read.
    #[error("layout file {path}: {source}")]
    Io {
        /// The path given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML of the expected shape.
    #[error("layout file {path}: {reason}")]
    Invalid {
        /// The path given.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

fn kind_from_name(name: &str) -> Option<ColumnKind> {
    match name.trim() {
        "-" | "" | "other" => Some(ColumnKind::Other),
        "signature" => Some(ColumnKind::Signature),
        n => Field::from_name(n).map(ColumnKind::Field),
    }
}

impl LayoutFile {
    /// Reads and checks a layout file.
    pub fn load(path: &Path) -> Result<LayoutFile, LayoutFileError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| LayoutFileError::Io {
            path: p.clone(),
            source,
        })?;
        LayoutFile::parse(&text).map_err(|reason| LayoutFileError::Invalid { path: p, reason })
    }

    /// Parses layout TOML text; the error says what is wrong.
    pub fn parse(text: &str) -> Result<LayoutFile, String> {
        let file: LayoutFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if file.columns.is_empty() == file.column.is_empty() {
            return Err("give either `columns = [...]` or `[[column]]` ranges, not both".into());
        }
        let names = file
            .columns
            .iter()
            .chain(file.column.iter().map(|c| &c.field));
        for name in names {
            if kind_from_name(name).is_none() {
                return Err(format!(
                    "unknown column {name:?}; use one of stt, name, dob, birthplace, gender, \
                     ethnicity, grade, diploma_no, register_no, note, signature, -"
                ));
            }
        }
        Ok(file)
    }

    /// Grid columns of a page → their kinds as pinned by the file.
    pub fn apply(&self, cols: &[Span]) -> ColumnMap {
        if !self.columns.is_empty() {
            let kinds = (0..cols.len())
                .map(|i| {
                    self.columns
                        .get(i)
                        .and_then(|n| kind_from_name(n))
                        .unwrap_or(ColumnKind::Other)
                })
                .collect();
            return ColumnMap { kinds };
        }
        let (Some(first), Some(last)) = (cols.first(), cols.last()) else {
            return ColumnMap { kinds: Vec::new() };
        };
        let (x0, width) = (first.start as f32, (last.end - first.start).max(1) as f32);
        let kinds = cols
            .iter()
            .map(|c| {
                let mid = ((c.start + c.end) as f32 / 2.0 - x0) / width;
                self.column
                    .iter()
                    .find(|r| mid >= r.from && mid < r.to)
                    .and_then(|r| kind_from_name(&r.field))
                    .unwrap_or(ColumnKind::Other)
            })
            .collect();
        ColumnMap { kinds }
    }
}
