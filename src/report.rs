//! Writes the outputs of `doisoat match` into a directory: `report.json` (the stable, documented
//! schema other tools read; see `docs/REPORT.md`), `discrepancies.csv` (what reviewers work
//! through in Excel), `rows.csv` (every paper row and its match) and `summary.txt`.
//!
//! Every file is written to a temporary file in the same directory and renamed over the target,
//! so a reader never sees a half-written report and a failed run leaves the previous one intact.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::fields::{Date, Field};
use crate::matching::{compare::COMPARED, Discrepancy, FieldComparison, Kind, Reconciliation};
use crate::rows::{DbRow, Record, RowFlag, ScanRow};

/// Version of the `report.json` layout; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Language of the CSV headers and labels. `summary.txt` and explanations are Vietnamese always.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// Vietnamese headers, kinds and field names (the default: the reviewers' language).
    #[default]
    Vi,
    /// English headers; kinds and fields as their snake_case codes.
    En,
}

/// One input file of the run, for traceability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputFile {
    /// The path as given on the command line.
    pub path: String,
    /// `scan` or `export`.
    pub role: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// A file or page that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// File name.
    pub file: String,
    /// 1-based page, `None` when the whole file failed.
    pub page: Option<u32>,
    /// What went wrong.
    pub error: String,
}

impl Failure {
    /// A whole file failed (corrupt, encrypted, not a PDF …).
    pub fn file(file: &str, error: String) -> Failure {
        Failure {
            file: file.to_string(),
            page: None,
            error,
        }
    }

    /// One page failed.
    pub fn page(file: &str, page: usize, error: String) -> Failure {
        Failure {
            file: file.to_string(),
            page: Some(page as u32),
            error,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.page {
            Some(p) => write!(f, "{}, page {p}: {}", self.file, self.error),
            None => write!(f, "{}: {}", self.file, self.error),
        }
    }
}

/// Time spent in one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timing {
    /// Stage name (`scan`, `export`, `match`, `report` …).
    pub stage: String,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// What the caller knows about the run and matching does not: versions, inputs, timing, pages,
/// failures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunInfo {
    /// `doisoat` version.
    pub tool_version: String,
    /// Every input file.
    pub inputs: Vec<InputFile>,
    /// Register pages read.
    pub pages: u32,
    /// Time per stage, in order.
    pub timing: Vec<Timing>,
    /// Files or pages that failed.
    pub failures: Vec<Failure>,
}

/// Everything a report is made of.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// Paper rows, as given to matching.
    pub scan: &'a [ScanRow],
    /// Database rows, as given to matching.
    pub db: &'a [DbRow],
    /// What matching found.
    pub reconciliation: &'a Reconciliation,
    /// Facts about the run.
    pub run: &'a RunInfo,
}

/// The paths written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFiles {
    /// `report.json`.
    pub json: PathBuf,
    /// `discrepancies.csv`.
    pub discrepancies_csv: PathBuf,
    /// `rows.csv`.
    pub rows_csv: PathBuf,
    /// `summary.txt`.
    pub summary: PathBuf,
}

/// Why a report file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Creating, writing or renaming a file failed; the previous file, if any, is untouched.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file (or directory) concerned.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

/// Writes the four report files into `dir` (created if missing), each atomically, and returns
/// their paths.
pub fn write_report(
    dir: &Path,
    input: &ReportInput<'_>,
    lang: Lang,
) -> Result<ReportFiles, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let summary = Summary::of(input);
    let json = write_atomic(dir, "report.json", |w| {
        let doc = JsonReport {
            schema_version: SCHEMA_VERSION,
            rows: json_rows(input),
            discrepancies: sorted(input.reconciliation),
            summary: &summary,
        };
        serde_json::to_writer_pretty(&mut *w, &doc)?;
        w.write_all(b"\n")
    })?;
    let discrepancies_csv = write_atomic(dir, "discrepancies.csv", |w| {
        write_discrepancies(w, input, lang)
    })?;
    let rows_csv = write_atomic(dir, "rows.csv", |w| write_rows(w, input, lang))?;
    let summary = write_atomic(dir, "summary.txt", |w| {
        w.write_all(summary_text(&summary, input.run).as_bytes())
    })?;
    Ok(ReportFiles {
        json,
        discrepancies_csv,
        rows_csv,
        summary,
    })
}

/// Writes `dir/name` through a temporary file in `dir` renamed over the target once `fill` has
/// succeeded and the data is on disk. On any failure the temporary file is removed.
fn write_atomic(
    dir: &Path,
    name: &str,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<PathBuf, ReportError> {
    let path = dir.join(name);
    crate::cache::write_atomic_with(&path, fill).map_err(|source| ReportError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Writes `rows.csv` alone, for `doisoat ocr`: the rows read, with the match columns empty.
pub fn write_rows_csv(dir: &Path, scan: &[ScanRow], lang: Lang) -> Result<PathBuf, ReportError> {
    let reconciliation = Reconciliation::default();
    let run = RunInfo::default();
    let input = ReportInput {
        scan,
        db: &[],
        reconciliation: &reconciliation,
        run: &run,
    };
    write_atomic(dir, "rows.csv", |w| write_rows(w, &input, lang))
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    rows: Vec<JsonRow<'a>>,
    discrepancies: Vec<&'a Discrepancy>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    file: &'a str,
    page: u32,
    row: u32,
    #[serde(flatten)]
    record: &'a Record,
    confidence: f32,
    field_confidence: BTreeMap<Field, f32>,
    flags: &'a [RowFlag],
    line: Option<u32>,
    #[serde(rename = "match")]
    matched: Option<JsonMatch<'a>>,
}

#[derive(Serialize)]
struct JsonMatch<'a> {
    score: f64,
    fields: &'a [FieldComparison],
    explanation: &'a str,
}

/// Paper rows in file, page, row order, with their indices.
fn ordered_scan(scan: &[ScanRow]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scan.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |s: &ScanRow| (s.file.clone(), s.page, s.row);
        key(&scan[a]).cmp(&key(&scan[b]))
    });
    order
}

fn json_rows<'a>(input: &ReportInput<'a>) -> Vec<JsonRow<'a>> {
    ordered_scan(input.scan)
        .into_iter()
        .map(|i| {
            let s = &input.scan[i];
            let pair = input.reconciliation.pair_of_scan(i);
            JsonRow {
                file: &s.file,
                page: s.page,
                row: s.row,
                record: &s.record,
                confidence: s.confidence,
                field_confidence: s.cells.iter().map(|(f, c)| (*f, c.confidence)).collect(),
                flags: &s.flags,
                line: pair.map(|p| input.db[p.db_index].line),
                matched: pair.map(|p| JsonMatch {
                    score: p.score,
                    fields: &p.fields,
                    explanation: &p.explanation,
                }),
            }
        })
        .collect()
}

/// Discrepancies by file, page, row; database-only items last, by line.
fn sorted(rec: &Reconciliation) -> Vec<&Discrepancy> {
    let mut out: Vec<&Discrepancy> = rec.discrepancies.iter().collect();
    out.sort_by(|a, b| {
        let key = |d: &Discrepancy| {
            (
                d.scan.is_none(),
                d.scan.as_ref().map(|s| (s.file.clone(), s.page, s.row)),
                d.db.as_ref().map(|x| x.line),
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

/// The `summary` object of `report.json`.
#[derive(Debug, Serialize)]
struct Summary {
    tool_version: String,
    inputs: Vec<InputFile>,
    pages: u32,
    rows: usize,
    db_lines: usize,
    matched: usize,
    counts: BTreeMap<&'static str, usize>,
    field_mismatch_by_field: BTreeMap<&'static str, usize>,
    uncertain_by_field: BTreeMap<&'static str, usize>,
    timing: Vec<Timing>,
    failures: Vec<Failure>,
}

impl Summary {
    fn of(input: &ReportInput<'_>) -> Summary {
        let rec = input.reconciliation;
        let mut counts: BTreeMap<&'static str, usize> =
            Kind::ALL.iter().map(|k| (k.as_str(), 0)).collect();
        let mut mismatch: BTreeMap<&'static str, usize> =
            COMPARED.iter().map(|f| (f.as_str(), 0)).collect();
        let mut uncertain = BTreeMap::new();
        for d in &rec.discrepancies {
            *counts.entry(d.kind.as_str()).or_default() += 1;
            if let Some(f) = d.field {
                match d.kind {
                    Kind::FieldMismatch => *mismatch.entry(f.as_str()).or_default() += 1,
                    Kind::Uncertain => *uncertain.entry(f.as_str()).or_default() += 1,
                    _ => {}
                }
            }
        }
        Summary {
            tool_version: input.run.tool_version.clone(),
            inputs: input.run.inputs.clone(),
            pages: input.run.pages,
            rows: input.scan.len(),
            db_lines: input.db.len(),
            matched: rec.pairs.len(),
            counts,
            field_mismatch_by_field: mismatch,
            uncertain_by_field: uncertain,
            timing: input.run.timing.clone(),
            failures: input.run.failures.clone(),
        }
    }
}

/// Neutralises spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return gets a leading apostrophe, so Excel shows it as text instead of evaluating it.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A CSV writer that starts with the UTF-8 byte order mark Excel needs to read UTF-8.
fn csv_writer(w: &mut dyn Write) -> io::Result<csv::Writer<&mut dyn Write>> {
    w.write_all("\u{FEFF}".as_bytes())?;
    Ok(csv::Writer::from_writer(w))
}

fn write_record<W: Write>(csv: &mut csv::Writer<W>, cells: &[String]) -> io::Result<()> {
    csv.write_record(cells.iter().map(|c| neutralise(c)))?;
    Ok(())
}

const DISCREPANCY_HEADERS_VI: [&str; 13] = [
    "Loại sai lệch",
    "Trường thông tin",
    "Tệp",
    "Trang",
    "Dòng",
    "STT",
    "Giá trị trên sổ",
    "Giá trị trong CSDL",
    "Dòng trong tệp CSDL",
    "Độ tin cậy",
    "Giải thích",
    "Kết luận",
    "Ghi chú",
];

const DISCREPANCY_HEADERS_EN: [&str; 13] = [
    "Kind",
    "Field",
    "File",
    "Page",
    "Row",
    "No.",
    "Value on paper",
    "Value in database",
    "Database line",
    "Confidence",
    "Explanation",
    "Conclusion",
    "Note",
];

fn percent(x: f32) -> String {
    format!("{:.0}%", x * 100.0)
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn write_discrepancies(w: &mut dyn Write, input: &ReportInput<'_>, lang: Lang) -> io::Result<()> {
    let mut csv = csv_writer(w)?;
    let headers = match lang {
        Lang::Vi => DISCREPANCY_HEADERS_VI,
        Lang::En => DISCREPANCY_HEADERS_EN,
    };
    csv.write_record(headers)?;
    for d in sorted(input.reconciliation) {
        let (kind, field) = match lang {
            Lang::Vi => (d.kind.label_vi(), d.field.map(Field::label_vi)),
            Lang::En => (d.kind.as_str(), d.field.map(Field::as_str)),
        };
        let scan = d.scan.as_ref();
        write_record(
            &mut csv,
            &[
                kind.to_string(),
                opt(field),
                opt(scan.map(|s| &s.file)),
                opt(scan.map(|s| s.page)),
                opt(scan.map(|s| s.row)),
                opt(scan.and_then(|s| s.stt)),
                opt(scan.and_then(|s| s.value.as_ref())),
                opt(d.db.as_ref().and_then(|x| x.value.as_ref())),
                opt(d.db.as_ref().map(|x| x.line)),
                percent(d.confidence),
                d.explanation.clone(),
                String::new(),
                String::new(),
            ],
        )?;
    }
    csv.flush()
}

fn write_rows(w: &mut dyn Write, input: &ReportInput<'_>, lang: Lang) -> io::Result<()> {
    let mut csv = csv_writer(w)?;
    let fields: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|f| *f != Field::Note)
        .collect();
    let mut headers: Vec<&str> = match lang {
        Lang::Vi => vec!["Tệp", "Trang", "Dòng"],
        Lang::En => vec!["File", "Page", "Row"],
    };
    headers.extend(fields.iter().map(|f| match lang {
        Lang::Vi => f.label_vi(),
        Lang::En => f.as_str(),
    }));
    headers.extend(match lang {
        Lang::Vi => [
            "Độ tin cậy",
            "Dòng trong tệp CSDL",
            "Điểm ghép",
            "Số sai lệch",
            "Cảnh báo",
        ],
        Lang::En => [
            "Confidence",
            "Database line",
            "Match score",
            "Discrepancies",
            "Flags",
        ],
    });
    csv.write_record(&headers)?;
    let mut per_row: HashMap<(&str, u32, u32), usize> = HashMap::new();
    for d in &input.reconciliation.discrepancies {
        if let Some(s) = &d.scan {
            *per_row.entry((s.file.as_str(), s.page, s.row)).or_default() += 1;
        }
    }
    for i in ordered_scan(input.scan) {
        let s = &input.scan[i];
        let pair = input.reconciliation.pair_of_scan(i);
        let mut cells = vec![s.file.clone(), s.page.to_string(), s.row.to_string()];
        cells.extend(fields.iter().map(|&f| match f {
            Field::Dob => opt(s.record.dob.map(Date::to_vn)),
            f => opt(s.record.display(f)),
        }));
        let flags: Vec<String> = s
            .flags
            .iter()
            .map(|f| serde_json::to_value(f).map_or_else(|_| String::new(), |v| opt(v.as_str())))
            .collect();
        cells.extend([
            percent(s.confidence),
            opt(pair.map(|p| input.db[p.db_index].line)),
            opt(pair.map(|p| format!("{:.1}", p.score))),
            per_row
                .get(&(s.file.as_str(), s.page, s.row))
                .copied()
                .unwrap_or(0)
                .to_string(),
            flags.join(" "),
        ]);
        write_record(&mut csv, &cells)?;
    }
    csv.flush()
}

/// The Vietnamese name of a timing stage for `summary.txt` (report.json keeps the key).
fn stage_vi(stage: &str) -> &str {
    match stage {
        "export" => "đọc tệp CSDL",
        "scan" => "đọc sổ",
        "scan.decode" => "giải mã ảnh",
        "scan.deskew" => "chỉnh nghiêng",
        "scan.grid" => "tìm kẻ bảng",
        "scan.ocr" => "nhận dạng chữ",
        "scan.parse" => "tách trường",
        "match" => "đối chiếu",
        other => other,
    }
}

fn summary_text(summary: &Summary, run: &RunInfo) -> String {
    let mut t = String::new();
    let mut line = |s: String| {
        t.push_str(&s);
        t.push('\n');
    };
    line("KẾT QUẢ ĐỐI SOÁT SỔ GỐC CẤP BẰNG VỚI CƠ SỞ DỮ LIỆU".into());
    line(format!("Công cụ: doisoat {}", summary.tool_version));
    line(String::new());
    line("Tệp đầu vào:".into());
    for f in &summary.inputs {
        let role = if f.role == "scan" {
            "bản quét sổ"
        } else {
            "tệp xuất CSDL"
        };
        line(format!("  - {} ({role}), SHA-256 {}", f.path, f.sha256));
    }
    line(String::new());
    line(format!("Số trang sổ đã đọc: {}", summary.pages));
    line(format!("Số dòng trên sổ: {}", summary.rows));
    line(format!("Số dòng trong CSDL: {}", summary.db_lines));
    line(format!("Số dòng đã ghép được: {}", summary.matched));
    line(String::new());
    line("Sai lệch theo loại:".into());
    for kind in Kind::ALL {
        let n = summary.counts.get(kind.as_str()).copied().unwrap_or(0);
        line(format!("  - {}: {n}", kind.label_vi()));
    }
    line("Sai khác thông tin theo trường:".into());
    for field in COMPARED {
        let n = summary
            .field_mismatch_by_field
            .get(field.as_str())
            .copied()
            .unwrap_or(0);
        if n > 0 {
            line(format!("  - {}: {n}", field.label_vi()));
        }
    }
    line(String::new());
    if run.failures.is_empty() {
        line("Tệp hoặc trang không đọc được: không có".into());
    } else {
        line("Tệp hoặc trang không đọc được (cần quét hoặc đối soát lại bằng tay):".into());
        for f in &run.failures {
            let page = f.page.map_or(String::new(), |p| format!(" trang {p}"));
            line(format!("  - {}{page}: {}", f.file, f.error));
        }
    }
    if !run.timing.is_empty() {
        let parts: Vec<String> = run
            .timing
            .iter()
            .map(|t| {
                format!(
                    "{} {}",
                    stage_vi(&t.stage),
                    format!("{:.1} giây", t.seconds).replace('.', ",")
                )
            })
            .collect();
        line(format!("Thời gian: {}", parts.join(", ")));
    }
    line(String::new());
    line("Chi tiết: discrepancies.csv (danh sách cần kiểm tra), rows.csv (từng dòng trên sổ), report.json.".into());
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        let result = write_atomic(dir.path(), "report.json", |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(matches!(result, Err(ReportError::Io { .. })));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("report.json")]);
    }

    #[test]
    fn formula_starts_are_neutralised() {
        for bad in ["=1+1", "+84", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        assert_eq!(neutralise("Nguyễn Văn An"), "Nguyễn Văn An");
    }
}
