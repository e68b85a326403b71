//! Excel 97-2003 (`.xls`) and OpenDocument (`.ods`) exports, from the committed fixtures that
//! `scripts/gen-fixtures` writes: a notes sheet, then the data below two title rows and a blank
//! row, with a date cell, a text date, an Excel serial number and an impossible text date.

mod common;

use common::*;
use doisoat::export::{Export, Format};
use doisoat::fields::Field;

const XLS: &[u8] = include_bytes!("fixtures/export.xls");
const ODS: &[u8] = include_bytes!("fixtures/export.ods");

/// What both fixtures hold, however their headers are worded.
fn assert_sheet_and_values(export: &Export, format: Format) {
    let d = &export.detected;
    assert_eq!(d.format, format);
    assert_eq!(d.encoding, None);
    assert_eq!(d.sheet.as_deref(), Some("DS cấp bằng"));
    assert_eq!(d.other_sheets, ["Hướng dẫn"]);
    assert_eq!(d.header_row, 4);
    assert_eq!(
        d.title_rows,
        [
            "DANH SÁCH HỌC SINH ĐƯỢC CẤP BẰNG TỐT NGHIỆP THPT",
            "Năm tốt nghiệp: 2018"
        ]
    );

    assert_eq!(dobs(export), spreadsheet_fixture_dobs());
    let raw_dobs: Vec<&str> = export
        .rows
        .iter()
        .map(|r| r.raw[&Field::Dob].as_str())
        .collect();
    assert_eq!(
        raw_dobs,
        ["05/03/2000", "17/08/2000", "36590", "30/02/2000"]
    );

    let first = line(export, 1);
    assert_eq!(first.record.stt, Some(1));
    assert_eq!(value(first, Field::Name).as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(value(first, Field::Gender).as_deref(), Some("Nam"));
    assert_eq!(value(first, Field::DiplomaNo).as_deref(), Some("B1234567"));
    let third = line(export, 3);
    assert_eq!(value(third, Field::Name).as_deref(), Some("Lê Văn Cường"));
    assert_eq!(third.record.ethnicity.map(|e| e.code()), Some(2));
    assert_eq!(value(line(export, 2), Field::Gender).as_deref(), Some("Nữ"));

    let warnings: Vec<(u32, &str)> = export
        .rows
        .iter()
        .flat_map(|r| r.warnings.iter().map(move |w| (r.line, w.as_str())))
        .collect();
    assert_eq!(
        warnings,
        [(
            5,
            "dob \"30/02/2000\" is not a real value: no such day in that month, or year outside \
             1900–2099"
        )]
    );
    assert!(export.duplicates.is_empty());
}

#[test]
fn xls_template_headers_date_cells_text_dates_and_serials() {
    let export = read("export.xls", XLS);
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("STT", "stt"),
            ("Họ, chữ đệm và tên", "name"),
            ("Ngày, tháng, năm sinh", "dob"),
            ("Giới tính", "gender"),
            ("Dân tộc", "ethnicity"),
            ("Số hiệu bằng", "diploma_no"),
        ])
    );
    assert_sheet_and_values(&export, Format::Xls);
}

#[test]
fn ods_split_name_date_cells_text_dates_and_serials() {
    let export = read("export.ods", ODS);
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("STT", "stt"),
            ("Họ đệm", "family_middle_name"),
            ("Tên", "given_name"),
            ("Ngày sinh", "dob"),
            ("Giới tính", "gender"),
            ("Dân tộc", "ethnicity"),
            ("Số hiệu VBCC", "diploma_no"),
        ])
    );
    assert_eq!(line(&export, 1).record.name.as_ref().unwrap().given(), "An");
    assert_sheet_and_values(&export, Format::Ods);
}

#[test]
fn an_ods_file_is_told_from_xlsx_by_its_extension_only() {
    // Both are zip files; the bytes alone read as a workbook calamine cannot open as .xlsx.
    let msg = error("export.xlsx", ODS, &Default::default());
    assert!(
        msg.starts_with("export.xlsx: cannot open the workbook"),
        "{msg}"
    );
}
