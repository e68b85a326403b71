//! The K12Online database export reader: any CSV/TSV/TXT or spreadsheet a school hands over →
//! typed [`DbRow`]s, plus a [`Detected`] account of how the file was understood.
//!
//! The export format is not published, so the reader finds everything itself: container (by
//! content, not extension), text encoding (BOMs, UTF-16, UTF-8, Windows-1258, TCVN3/VNI legacy
//! fonts per column), separator, the sheet and the header row (below up to a dozen title rows), and
//! what each header means (synonyms, or a `--columns` TOML file). Values are typed by the shared
//! parsers of [`crate::fields`]; a bad value is a warning on its row, never a failure of the file.
//! Everything leaving the reader is NFC.

mod build;
mod delimited;
mod encoding;
mod headers;
mod legacy;
mod sheet;

use std::fmt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

pub use crate::rows::ExtraField;
pub use build::{Duplicate, DuplicateKind};
pub use encoding::TextEncoding;
pub use headers::{ColumnOverrides, DatePart, NamePart, Target};
pub use legacy::LegacyEncoding;

use crate::fields::{Date, Field};
use crate::rows::DbRow;
use headers::{Meaning, Missing, NameSource};
use legacy::{ColumnChoice, Decoder};
use sheet::SheetGrid;

/// One cell as the container gave it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Cell {
    #[default]
    Empty,
    Text(String),
    /// A numeric spreadsheet cell (a serial date formatted as a number lands here too).
    Number(f64),
    /// A spreadsheet cell formatted as a date.
    Date(Date),
}

impl Cell {
    /// The cell as text, `None` when empty: numbers without a spurious `.0`, dates `dd/mm/yyyy`.
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => (!s.is_empty()).then(|| s.clone()),
            _ => self.clone().into_text(),
        }
    }

    /// [`Cell::text`] without copying a text cell's string.
    pub(crate) fn into_text(self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(s) => (!s.is_empty()).then_some(s),
            Cell::Number(n) => Some(number_text(n)),
            Cell::Date(d) => Some(d.to_vn()),
        }
    }

    /// True for an empty cell or empty text.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.is_empty(),
            Cell::Number(_) | Cell::Date(_) => false,
        }
    }
}

/// A number as a person typed it: whole numbers without decimals (`5`, not `5.0`).
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The container of the export, found from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Delimited text: CSV, TSV, TXT.
    Delimited,
    /// Excel 2007+ workbook.
    Xlsx,
    /// Excel 97–2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Delimited => "delimited text (CSV/TSV)",
            Format::Xlsx => "Excel workbook (.xlsx)",
            Format::Xls => "Excel 97-2003 workbook (.xls)",
            Format::Ods => "OpenDocument spreadsheet (.ods)",
        })
    }
}

/// What the caller may pin instead of letting the reader detect it.
#[derive(Debug, Clone, Default)]
pub struct ExportParams {
    /// The worksheet to read (`--sheet`); by default the one whose headers name the most fields.
    pub sheet: Option<String>,
    /// A hand-written mapping (`--columns FILE`), see [`ColumnOverrides`].
    pub columns: Option<ColumnOverrides>,
}

/// How one column was understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnMapping {
    /// 0-based column index.
    pub column: usize,
    /// The column's spreadsheet letter (`A`, `B` … `AA`).
    pub letter: String,
    /// The header text (NFC).
    pub header: String,
    /// What the column is read as.
    pub target: Target,
    /// True when the `--columns` file said so, false when a synonym did.
    pub by_override: bool,
}

/// A column whose text was in a legacy font encoding and was converted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegacyColumn {
    /// The column's header.
    pub header: String,
    /// The encoding found.
    pub encoding: LegacyEncoding,
    /// One cell as found …
    pub before: String,
    /// … and as converted.
    pub after: String,
}

/// How the file was understood, for the user to check before a long run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detected {
    /// The container.
    pub format: Format,
    /// Text encoding, for delimited text.
    pub encoding: Option<TextEncoding>,
    /// Field separator, for delimited text.
    pub separator: Option<char>,
    /// The worksheet read, for spreadsheets.
    pub sheet: Option<String>,
    /// The other worksheets, not read.
    pub other_sheets: Vec<String>,
    /// The header row, numbered as a spreadsheet shows it (1-based).
    pub header_row: u32,
    /// Non-empty rows above the header (titles), cells joined with ` | `.
    pub title_rows: Vec<String>,
    /// The columns read, in column order.
    pub columns: Vec<ColumnMapping>,
    /// Headers of columns not read (unknown, ignored by `--columns`, or a second column for a
    /// field already mapped).
    pub unmapped: Vec<String>,
    /// Columns converted from a legacy font encoding.
    pub legacy: Vec<LegacyColumn>,
}

/// The export, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Export {
    /// Data rows in file order; blank rows are skipped but keep their `line` number.
    pub rows: Vec<DbRow>,
    /// Rows sharing a diploma number, or a name and date of birth.
    pub duplicates: Vec<Duplicate>,
    /// How the file was understood.
    pub detected: Detected,
}

impl Export {
    /// Number of row warnings, over all rows.
    pub fn warning_count(&self) -> usize {
        self.rows.iter().map(|r| r.warnings.len()).sum()
    }
}

fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("{:?}", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn in_sheet(sheet: &Option<String>) -> String {
    sheet
        .as_ref()
        .map(|s| format!(", sheet {s:?}"))
        .unwrap_or_default()
}

/// Why an export could not be read. Every message names the file, and the line, column or value
/// concerned where there is one.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file (or the `--columns` file) could not be read.
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Nothing in the file.
    #[error("{}: the file is empty", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// HTML or XML under a spreadsheet name (some web systems export that as `.xls`).
    #[error(
        "{}: this is an HTML/XML page, not a spreadsheet or CSV file; open it in Excel and save it \
         as .xlsx or CSV",
        path.display()
    )]
    NotATable {
        /// The file.
        path: PathBuf,
    },
    /// calamine could not open the workbook.
    #[error("{}: cannot open the workbook: {message}", path.display())]
    Workbook {
        /// The file.
        path: PathBuf,
        /// calamine's reason.
        message: String,
    },
    /// A worksheet could not be read.
    #[error("{}, sheet {sheet:?}: cannot read the sheet: {message}", path.display())]
    Sheet {
        /// The file.
        path: PathBuf,
        /// The sheet.
        sheet: String,
        /// calamine's reason.
        message: String,
    },
    /// `--sheet` names a sheet the workbook does not have.
    #[error("{}: no sheet named {wanted:?}; the sheets are: {}", path.display(), quoted_list(sheets))]
    NoSuchSheet {
        /// The file.
        path: PathBuf,
        /// The name asked for.
        wanted: String,
        /// The sheets there are.
        sheets: Vec<String>,
    },
    /// The delimited text could not be split into records.
    #[error("{}: line {line}: {message}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// Line of the text file.
        line: u64,
        /// The parser's reason.
        message: String,
    },
    /// No row near the top has a known header.
    #[error(
        "{}{}: no header row found in the first {searched} rows: no cell is a known column \
         header. First row: {}. Expected headers such as {}. Use --columns FILE to name the \
         columns by hand.",
        path.display(), in_sheet(sheet), quoted_list(first_row), quoted_list(expected)
    )]
    NoHeader {
        /// The file.
        path: PathBuf,
        /// The sheet, for spreadsheets.
        sheet: Option<String>,
        /// Rows searched.
        searched: usize,
        /// The first non-empty row's cells.
        first_row: Vec<String>,
        /// Headers the reader knows.
        expected: Vec<&'static str>,
    },
    /// The header row lacks a column the matching needs.
    #[error(
        "{}{}: the header row (row {header_row}) has no column for {missing}. Headers found: {}. \
         Expected one of: {}. Use --columns FILE to name the columns by hand.",
        path.display(), in_sheet(sheet), quoted_list(found), quoted_list(expected)
    )]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The sheet, for spreadsheets.
        sheet: Option<String>,
        /// The header row as a spreadsheet numbers it.
        header_row: u32,
        /// What is missing, in words.
        missing: &'static str,
        /// The header row's cells.
        found: Vec<String>,
        /// Headers (or combinations) that would do.
        expected: Vec<&'static str>,
    },
    /// `--columns` names a header the header row does not have.
    #[error(
        "{}: the --columns file names the header {header:?}, which is not in the header row \
         (row {header_row}): {}",
        path.display(), quoted_list(found)
    )]
    OverrideNotFound {
        /// The export file.
        path: PathBuf,
        /// The header named in the `--columns` file.
        header: String,
        /// The header row as a spreadsheet numbers it.
        header_row: u32,
        /// The header row's cells.
        found: Vec<String>,
    },
    /// `header_row` in the `--columns` file is not a non-empty row of the sheet.
    #[error(
        "{}: header_row = {row} from the --columns file is not a non-empty row of the table \
         (rows {first}–{last})",
        path.display()
    )]
    HeaderRowOutOfRange {
        /// The export file.
        path: PathBuf,
        /// The row asked for.
        row: u32,
        /// First row of the table.
        first: u32,
        /// Last row of the table.
        last: u32,
    },
    /// The name column is text the reader cannot decode.
    #[error(
        "{}: column {column:?} holds text in an encoding doisoat cannot read (not Unicode, \
         Windows-1258, TCVN3 or VNI), e.g. {sample:?}; convert the file to Unicode and try again",
        path.display()
    )]
    UnreadableText {
        /// The export file.
        path: PathBuf,
        /// The column's header.
        column: String,
        /// A cell as found.
        sample: String,
    },
    /// The `--columns` file is not valid.
    #[error("{}: {message}", path.display())]
    Columns {
        /// The `--columns` file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Rows searched for the header: real exports have up to five title rows; merged title blocks
/// and blank spacer rows can double that.
const HEADER_SEARCH_ROWS: usize = 15;

/// Spreadsheet column letters: 0 → `A`, 26 → `AA`.
fn column_letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

fn sniff_format(path: &Path, bytes: &[u8]) -> Result<Format, ExportError> {
    let is_ods = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ods"));
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(if is_ods { Format::Ods } else { Format::Xlsx });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Xls);
    }
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = start.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None if bytes.iter().all(|&b| b == 0 || b.is_ascii_whitespace()) => {
            Err(ExportError::Empty {
                path: path.to_path_buf(),
            })
        }
        Some(b'<') => Err(ExportError::NotATable {
            path: path.to_path_buf(),
        }),
        _ => Ok(Format::Delimited),
    }
}

/// The file split into grids, before any decoding of legacy text.
struct Source {
    format: Format,
    encoding: Option<TextEncoding>,
    separator: Option<char>,
    decoder: Decoder,
    grids: Vec<SheetGrid>,
    all_sheets: Vec<String>,
}

fn load(path: &Path, bytes: Vec<u8>, params: &ExportParams) -> Result<Source, ExportError> {
    let format = sniff_format(path, &bytes)?;
    if format == Format::Delimited {
        let (text, encoding, decoder) = encoding::decode(bytes);
        let (rows, sep) = delimited::parse(&text).map_err(|e| ExportError::Csv {
            path: path.to_path_buf(),
            line: e.line,
            message: e.message,
        })?;
        return Ok(Source {
            format,
            encoding: Some(encoding),
            separator: Some(char::from(sep)),
            decoder,
            grids: vec![SheetGrid {
                name: String::new(),
                first_row: 1,
                rows,
            }],
            all_sheets: Vec::new(),
        });
    }
    let mut book =
        sheet::open(format, bytes.to_vec()).map_err(|message| ExportError::Workbook {
            path: path.to_path_buf(),
            message,
        })?;
    let all_sheets = calamine::Reader::sheet_names(&book);
    let wanted = match &params.sheet {
        Some(want) => {
            let key = crate::text::label_key(want);
            let found = all_sheets
                .iter()
                .find(|s| *s == want)
                .or_else(|| all_sheets.iter().find(|s| crate::text::label_key(s) == key))
                .ok_or_else(|| ExportError::NoSuchSheet {
                    path: path.to_path_buf(),
                    wanted: want.clone(),
                    sheets: all_sheets.clone(),
                })?;
            vec![found.clone()]
        }
        None => all_sheets.clone(),
    };
    let grids = sheet::read(&mut book, &wanted).map_err(|(sheet, message)| ExportError::Sheet {
        path: path.to_path_buf(),
        sheet,
        message,
    })?;
    Ok(Source {
        format,
        encoding: None,
        separator: None,
        decoder: Decoder::AsIs,
        grids,
        all_sheets,
    })
}

/// Decodes every text cell of a grid with the decoder chosen for its column.
fn decode_columns(rows: &mut [Vec<Cell>], default: Decoder) -> Vec<ColumnChoice> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let choices: Vec<ColumnChoice> = (0..width)
        .map(|c| {
            legacy::choose(
                default,
                rows.iter().filter_map(|r| match r.get(c) {
                    Some(Cell::Text(s)) => Some(s.as_str()),
                    _ => None,
                }),
            )
        })
        .collect();
    rows.par_iter_mut().for_each(|row| {
        for (cell, choice) in row.iter_mut().zip(&choices) {
            if let Cell::Text(s) = cell {
                legacy::decode_in_place(choice.decoder, s);
                if s.is_empty() {
                    *cell = Cell::Empty;
                }
            }
        }
    });
    choices
}

fn row_texts(row: &[Cell]) -> Vec<String> {
    row.iter().map(|c| c.text().unwrap_or_default()).collect()
}

/// A grid decoded, with its header row found.
struct Candidate {
    grid: SheetGrid,
    choices: Vec<ColumnChoice>,
    /// Index in `grid.rows` of the header row.
    header: usize,
    score: usize,
}

fn candidate(
    path: &Path,
    mut grid: SheetGrid,
    decoder: Decoder,
    overrides: Option<&ColumnOverrides>,
) -> Result<Candidate, ExportError> {
    let choices = decode_columns(&mut grid.rows, decoder);
    let last = grid.first_row + grid.rows.len().saturating_sub(1) as u32;
    let (header, score) = match overrides.and_then(|o| o.header_row) {
        Some(row) => {
            let i = row
                .checked_sub(grid.first_row)
                .map(|i| i as usize)
                .filter(|&i| {
                    grid.rows
                        .get(i)
                        .is_some_and(|r| r.iter().any(|c| !c.is_empty()))
                })
                .ok_or_else(|| ExportError::HeaderRowOutOfRange {
                    path: path.to_path_buf(),
                    row,
                    first: grid.first_row,
                    last,
                })?;
            (
                i,
                headers::header_score(&row_texts(&grid.rows[i]), overrides),
            )
        }
        None => grid
            .rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .enumerate()
            .map(|(i, r)| (i, headers::header_score(&row_texts(r), overrides)))
            .fold(
                (0, 0),
                |best, (i, s)| if s > best.1 { (i, s) } else { best },
            ),
    };
    Ok(Candidate {
        grid,
        choices,
        header,
        score,
    })
}

fn sheet_name(format: Format, grid: &SheetGrid) -> Option<String> {
    (format != Format::Delimited).then(|| grid.name.clone())
}

/// Reads an export file. `path` is read whole; see [`read_export_bytes`] for what comes out.
pub fn read_export(path: &Path, params: &ExportParams) -> Result<Export, ExportError> {
    let bytes = std::fs::read(path).map_err(|source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_owned(path, bytes, params)
}

/// Reads an export held in memory; `path` names it in errors (its extension only tells `.ods`
/// from `.xlsx`: the container is found from the bytes). Returns the typed rows, the duplicates
/// and how the file was understood, or an error naming the file and what is wrong with it.
pub fn read_export_bytes(
    path: &Path,
    bytes: &[u8],
    params: &ExportParams,
) -> Result<Export, ExportError> {
    read_owned(path, bytes.to_vec(), params)
}

/// Rows typed per batch: the batch's intermediate results are small, so typing in parallel does
/// not hold a second copy of every row.
const BATCH_ROWS: usize = 16_384;

/// [`read_export_bytes`] on a buffer it may consume, so a UTF-8 file is not copied.
fn read_owned(path: &Path, bytes: Vec<u8>, params: &ExportParams) -> Result<Export, ExportError> {
    let overrides = params.columns.as_ref();
    let source = load(path, bytes, params)?;
    let mut best: Option<Candidate> = None;
    for grid in source.grids {
        let c = candidate(path, grid, source.decoder, overrides)?;
        if best.as_ref().is_none_or(|b| c.score > b.score) {
            best = Some(c);
        }
    }
    let Some(Candidate {
        grid,
        choices,
        header,
        score,
    }) = best
    else {
        return Err(ExportError::Empty {
            path: path.to_path_buf(),
        });
    };
    let sheet = sheet_name(source.format, &grid);
    if score == 0 {
        let first_row = grid
            .rows
            .iter()
            .map(|r| row_texts(r))
            .find(|r| r.iter().any(|c| !c.is_empty()))
            .ok_or_else(|| ExportError::Empty {
                path: path.to_path_buf(),
            })?;
        return Err(ExportError::NoHeader {
            path: path.to_path_buf(),
            sheet,
            searched: HEADER_SEARCH_ROWS,
            first_row,
            expected: headers::synonyms_of(&[
                Target::Field(Field::Name),
                Target::Field(Field::Dob),
                Target::Field(Field::DiplomaNo),
            ]),
        });
    }
    let header_row = grid.first_row + header as u32;
    let header_cells = row_texts(&grid.rows[header]);
    if let Some(o) = overrides {
        let keys: Vec<String> = header_cells
            .iter()
            .map(|h| crate::text::label_key(h))
            .collect();
        if let Some((missing, _)) = o
            .columns
            .iter()
            .find(|(h, _)| !keys.contains(&crate::text::label_key(h)))
        {
            return Err(ExportError::OverrideNotFound {
                path: path.to_path_buf(),
                header: missing.clone(),
                header_row,
                found: header_cells,
            });
        }
    }
    let meanings: Vec<Meaning> = header_cells
        .iter()
        .map(|h| headers::meaning(h, overrides))
        .collect();
    let plan = headers::plan(&header_cells, &meanings).map_err(|missing| {
        let (what, expected) = match missing {
            Missing::Name => (
                "the name (Họ và tên, or Họ đệm + Tên, or Họ + Đệm + Tên)",
                headers::synonyms_of(&[
                    Target::Field(Field::Name),
                    Target::Name(NamePart::FamilyMiddle),
                    Target::Name(NamePart::Given),
                ]),
            ),
            Missing::DobAndDiplomaNo => (
                "a date of birth or a diploma number (one of them is needed to match rows)",
                headers::synonyms_of(&[
                    Target::Field(Field::Dob),
                    Target::Dob(DatePart::Year),
                    Target::Field(Field::DiplomaNo),
                ]),
            ),
        };
        ExportError::MissingColumn {
            path: path.to_path_buf(),
            sheet: sheet.clone(),
            header_row,
            missing: what,
            found: header_cells.clone(),
            expected,
        }
    })?;

    let name_columns = match &plan.name {
        NameSource::Column(i) => vec![*i],
        NameSource::Parts(cols) => cols.clone(),
    };
    for i in name_columns {
        let choice = &choices[i];
        if choice.plausible * 2 < choice.candidates {
            return Err(ExportError::UnreadableText {
                path: path.to_path_buf(),
                column: header_cells[i].clone(),
                sample: choice.doubtful.clone().unwrap_or_default(),
            });
        }
    }

    let columns: Vec<ColumnMapping> = plan
        .used
        .iter()
        .map(|&(i, target)| ColumnMapping {
            column: i,
            letter: column_letter(i),
            header: header_cells[i].clone(),
            target,
            by_override: matches!(
                meanings[i],
                Meaning::Mapped {
                    by_override: true,
                    ..
                }
            ),
        })
        .collect();
    let unmapped = header_cells
        .iter()
        .enumerate()
        .filter(|(i, h)| !h.is_empty() && !plan.used.iter().any(|(u, _)| u == i))
        .map(|(_, h)| h.clone())
        .collect();
    let legacy = choices
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match (c.decoder, &c.sample) {
            (Decoder::Legacy(encoding), Some((before, after))) => Some(LegacyColumn {
                header: header_cells
                    .get(i)
                    .filter(|h| !h.is_empty())
                    .cloned()
                    .unwrap_or_else(|| column_letter(i)),
                encoding,
                before: before.clone(),
                after: after.clone(),
            }),
            _ => None,
        })
        .collect();
    let title_rows = grid.rows[..header]
        .iter()
        .map(|r| {
            row_texts(r)
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .filter(|t| !t.is_empty())
        .collect();

    let first_data_row = header_row + 1;
    let mut data = grid.rows;
    data.drain(..=header);
    let mut rows: Vec<DbRow> = Vec::with_capacity(data.len());
    for (b, batch) in data.chunks_mut(BATCH_ROWS).enumerate() {
        let typed: Vec<Option<DbRow>> = batch
            .par_iter_mut()
            .enumerate()
            .map(|(k, cells)| {
                let k = (b * BATCH_ROWS + k) as u32;
                build::row(k + 1, first_data_row + k, std::mem::take(cells), &plan)
            })
            .collect();
        rows.extend(typed.into_iter().flatten());
    }
    drop(data);
    let duplicates = build::duplicates(&rows);
    let other_sheets = source
        .all_sheets
        .iter()
        .filter(|s| Some(*s) != sheet.as_ref())
        .cloned()
        .collect();
    Ok(Export {
        rows,
        duplicates,
        detected: Detected {
            format: source.format,
            encoding: source.encoding,
            separator: source.separator,
            sheet,
            other_sheets,
            header_row,
            title_rows,
            columns,
            unmapped,
            legacy,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn numbers_print_as_typed() {
        assert_eq!(number_text(5.0), "5");
        assert_eq!(number_text(36590.0), "36590");
        assert_eq!(number_text(2.5), "2.5");
    }
}
