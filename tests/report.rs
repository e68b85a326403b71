//! Report files: BOM and Vietnamese headers, sorting, formula neutralisation, the JSON schema,
//! and atomic writes.

use std::collections::BTreeMap;

use doisoat::fields::Field;
use doisoat::matching::{reconcile, MatchParams};
use doisoat::report::{write_report, Failure, InputFile, Lang, ReportInput, RunInfo, Timing};
use doisoat::rows::{CellReading, DbRow, PixelBox, Record, ScanRow};

const FIELDS: [Field; 4] = [Field::Name, Field::Dob, Field::Gender, Field::DiplomaNo];

fn record(values: [&str; 4]) -> Record {
    let mut r = Record::default();
    for (f, v) in FIELDS.iter().zip(values) {
        let _ = r.set_from_text(*f, v);
    }
    r
}

fn scan(page: u32, row: u32, values: [&str; 4]) -> ScanRow {
    ScanRow {
        file: "so.pdf".into(),
        page,
        row,
        record: record(values),
        cells: FIELDS
            .iter()
            .zip(values)
            .map(|(f, v)| {
                let reading = CellReading {
                    raw: v.into(),
                    confidence: 0.97,
                    problem: None,
                };
                (*f, reading)
            })
            .collect(),
        confidence: 0.97,
        flags: Vec::new(),
        bbox: PixelBox::default(),
    }
}

fn db(line: u32, values: [&str; 4]) -> DbRow {
    DbRow {
        line,
        physical_row: line + 1,
        record: record(values),
        raw: FIELDS
            .iter()
            .copied()
            .zip(values.map(String::from))
            .collect(),
        extra: BTreeMap::new(),
        warnings: Vec::new(),
    }
}

struct Fixture {
    scan: Vec<ScanRow>,
    db: Vec<DbRow>,
    run: RunInfo,
}

/// Three paper rows (given out of order) and a database with a gender mismatch on page 1, a
/// name mismatch on page 2 whose value starts with `=`, and one extra row whose name starts
/// with `-`.
fn fixture() -> Fixture {
    let scan = vec![
        scan(2, 1, ["TRẦN THỊ MAI", "12/11/2000", "Nữ", "B 2878802"]),
        scan(1, 2, ["LÊ VĂN HÙNG", "01/02/1999", "Nam", "B 2878803"]),
        scan(1, 1, ["NGUYỄN VĂN AN", "05/03/2000", "Nam", "B 2878801"]),
    ];
    let db = vec![
        db(1, ["=HYPERLINK(\"x\")", "12/11/2000", "Nữ", "B2878802"]),
        db(2, ["Nguyễn Văn An", "5/3/2000", "Nữ", "B2878801"]),
        db(3, ["Lê Văn Hùng", "01/02/1999", "Nam", "B2878803"]),
        db(4, ["-Phạm Văn Tư", "07/07/2000", "Nam", "B2878899"]),
    ];
    let run = RunInfo {
        tool_version: "0.1.0".into(),
        inputs: vec![InputFile {
            path: "samples/export.csv".into(),
            role: "export".into(),
            sha256: "ab".repeat(32),
            bytes: 100,
        }],
        pages: 2,
        timing: vec![Timing {
            stage: "match".into(),
            seconds: 0.25,
        }],
        failures: vec![Failure {
            file: "hong.pdf".into(),
            page: Some(3),
            error: "không giải mã được ảnh".into(),
        }],
    };
    Fixture { scan, db, run }
}

fn write(dir: &std::path::Path, lang: Lang) -> doisoat::report::ReportFiles {
    let f = fixture();
    let rec = reconcile(&f.scan, &f.db, &MatchParams::default());
    let input = ReportInput {
        scan: &f.scan,
        db: &f.db,
        reconciliation: &rec,
        run: &f.run,
    };
    write_report(dir, &input, lang).unwrap()
}

fn csv_rows(path: &std::path::Path) -> (Vec<u8>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (bytes, rows)
}

#[test]
fn discrepancies_csv_has_bom_vietnamese_headers_and_sorted_rows() {
    let dir = tempfile::tempdir().unwrap();
    let files = write(dir.path(), Lang::Vi);
    let (bytes, rows) = csv_rows(&files.discrepancies_csv);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    assert_eq!(
        rows[0],
        [
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
            "Ghi chú"
        ]
    );
    let summary: Vec<(&str, &str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[3].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("Sai khác thông tin", "Giới tính", "1", "1"),
            ("Sai khác thông tin", "Họ và tên", "2", "1"),
            ("Không có trên sổ", "", "", ""),
        ]
    );
    assert!(rows[1..]
        .iter()
        .all(|r| r[11].is_empty() && r[12].is_empty()));
}

#[test]
fn formula_injection_is_neutralised_in_csv() {
    let dir = tempfile::tempdir().unwrap();
    let files = write(dir.path(), Lang::Vi);
    let (_, rows) = csv_rows(&files.discrepancies_csv);
    let name_row = rows.iter().find(|r| r[1] == "Họ và tên").unwrap();
    assert_eq!(name_row[7], "'=HYPERLINK(\"x\")");
    let extra = rows.iter().find(|r| r[0] == "Không có trên sổ").unwrap();
    assert_eq!(extra[7], "'-Phạm Văn Tư");
    assert!(rows
        .iter()
        .flatten()
        .all(|c| !c.starts_with(['=', '+', '-', '@'])));
}

#[test]
fn english_headers_and_codes_with_lang_en() {
    let dir = tempfile::tempdir().unwrap();
    let files = write(dir.path(), Lang::En);
    let (_, rows) = csv_rows(&files.discrepancies_csv);
    assert_eq!(rows[0][0], "Kind");
    assert_eq!(rows[1][0], "field_mismatch");
    assert_eq!(rows[1][1], "gender");
}

#[test]
fn report_json_follows_the_documented_schema() {
    let dir = tempfile::tempdir().unwrap();
    let files = write(dir.path(), Lang::Vi);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files.json).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let first = &rows[0];
    for key in [
        "file",
        "page",
        "row",
        "stt",
        "name",
        "dob",
        "birthplace",
        "gender",
        "ethnicity",
        "grade",
        "diploma_no",
        "register_no",
        "confidence",
        "field_confidence",
        "line",
    ] {
        assert!(first.get(key).is_some(), "rows[].{key}");
    }
    assert_eq!(
        (first["page"].as_u64(), first["row"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(first["dob"], "2000-03-05");
    assert_eq!(first["line"], 2);
    assert_eq!(first["match"]["fields"][0]["field"], "diploma_no");
    let d = &json["discrepancies"][0];
    for key in [
        "kind",
        "field",
        "detail",
        "scan",
        "db",
        "confidence",
        "explanation",
    ] {
        assert!(d.get(key).is_some(), "discrepancies[].{key}");
    }
    assert_eq!(d["kind"], "field_mismatch");
    assert_eq!(d["scan"]["file"], "so.pdf");
    assert_eq!(d["db"]["line"], 2);
    let s = &json["summary"];
    assert_eq!(s["counts"]["field_mismatch"], 2);
    assert_eq!(s["counts"]["not_in_scan"], 1);
    assert_eq!(s["counts"]["missing_in_db"], 0);
    assert_eq!(
        (s["rows"].as_u64(), s["db_lines"].as_u64()),
        (Some(3), Some(4))
    );
    assert_eq!(s["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(s["failures"][0]["page"], 3);
}

#[test]
fn rows_csv_and_summary_cover_every_row_and_failure() {
    let dir = tempfile::tempdir().unwrap();
    let files = write(dir.path(), Lang::Vi);
    let (bytes, rows) = csv_rows(&files.rows_csv);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1][..3], ["so.pdf", "1", "1"]);
    let summary = std::fs::read_to_string(&files.summary).unwrap();
    assert!(summary.contains("Số dòng trên sổ: 3"), "{summary}");
    assert!(summary.contains("Sai khác thông tin: 2"), "{summary}");
    assert!(summary.contains("hong.pdf trang 3"), "{summary}");
    assert!(summary.contains("Thời gian: đối chiếu 0,"), "{summary}");
}

#[test]
fn rewriting_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), Lang::Vi);
    write(dir.path(), Lang::Vi);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "discrepancies.csv",
            "report.json",
            "rows.csv",
            "summary.txt"
        ]
    );
}
