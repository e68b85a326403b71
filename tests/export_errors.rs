//! What the export reader refuses, and what its messages say; `--columns` overrides.

mod common;

use common::*;
use doisoat::export::{ColumnOverrides, ExportParams};
use doisoat::fields::Field;

fn no_params() -> ExportParams {
    ExportParams::default()
}

#[test]
fn missing_name_column_lists_headers_found_and_synonyms_expected() {
    let csv = "STT,Ngày sinh,Số hiệu văn bằng\n1,05/03/2000,B 1234567\n";
    let msg = error("noname.csv", csv.as_bytes(), &no_params());
    assert!(
        msg.starts_with("noname.csv: the header row (row 1) has no column for the name"),
        "{msg}"
    );
    assert!(
        msg.contains(r#"Headers found: "STT", "Ngày sinh", "Số hiệu văn bằng""#),
        "{msg}"
    );
    assert!(msg.contains(r#""Họ và tên", "Họ tên""#), "{msg}");
    assert!(
        msg.contains(r#""Họ đệm""#) && msg.contains(r#""Tên""#),
        "{msg}"
    );
    assert!(msg.contains("--columns"), "{msg}");
}

#[test]
fn neither_birth_date_nor_diploma_number_is_an_error() {
    let csv = "Họ và tên,Giới tính\nNguyễn Văn An,Nam\n";
    let msg = error("nodob.csv", csv.as_bytes(), &no_params());
    assert!(
        msg.contains("no column for a date of birth or a diploma number"),
        "{msg}"
    );
    assert!(
        msg.contains(r#"Headers found: "Họ và tên", "Giới tính""#),
        "{msg}"
    );
    assert!(
        msg.contains(r#""Ngày sinh""#) && msg.contains(r#""Số hiệu văn bằng""#),
        "{msg}"
    );
}

#[test]
fn a_file_without_any_known_header_says_so() {
    let csv = "a,b,c\n1,2,3\n";
    let msg = error("plain.csv", csv.as_bytes(), &no_params());
    assert!(msg.contains("plain.csv: no header row found"), "{msg}");
    assert!(msg.contains(r#"First row: "a", "b", "c""#), "{msg}");
}

#[test]
fn empty_files_and_html_disguised_as_xls_are_refused_by_name() {
    assert_eq!(
        error("empty.csv", b"", &no_params()),
        "empty.csv: the file is empty"
    );
    let msg = error(
        "fake.xls",
        b"<html><table><tr><td>x</td></tr></table></html>",
        &no_params(),
    );
    assert!(
        msg.starts_with("fake.xls: this is an HTML/XML page"),
        "{msg}"
    );
}

#[test]
fn unreadable_name_text_names_the_column_and_a_sample() {
    let csv = "Họ và tên,Ngày sinh\nÆØÅ ÆØÅ,05/03/2000\nÅØÆ,06/03/2000\n";
    let msg = error("garbled.csv", csv.as_bytes(), &no_params());
    assert!(
        msg.contains(r#"column "Họ và tên" holds text in an encoding doisoat cannot read"#),
        "{msg}"
    );
    assert!(msg.contains(r#"e.g. "ÆØÅ ÆØÅ""#), "{msg}");
}

#[test]
fn columns_file_maps_custom_headers_and_pins_the_header_row() {
    let overrides = ColumnOverrides::from_toml(
        r#"
header_row = 2
[columns]
"HS" = "name"
"NS" = "dob"
"Ghi chú" = "ignore"
"#,
    )
    .unwrap();
    let csv = "Họ và tên,Ngày sinh,x\nHS,NS,Ghi chú\nNguyễn Văn An,05/03/2000,bỏ qua\n";
    let params = ExportParams {
        columns: Some(overrides),
        ..ExportParams::default()
    };
    let export = read_with("custom.csv", csv.as_bytes(), &params).unwrap();
    assert_eq!(export.detected.header_row, 2);
    assert_eq!(mapping(&export), pairs(&[("HS", "name"), ("NS", "dob")]));
    assert!(export.detected.columns.iter().all(|c| c.by_override));
    assert_eq!(export.detected.unmapped, ["Ghi chú"]);
    assert_eq!(
        value(line(&export, 1), Field::Name).as_deref(),
        Some("Nguyễn Văn An")
    );
}

#[test]
fn columns_file_errors_name_the_problem() {
    let msg = ColumnOverrides::from_toml("[columns]\n\"HS\" = \"fullname\"\n").unwrap_err();
    assert!(
        msg.contains(r#"column "HS": unknown target "fullname"; use one of: stt, name"#),
        "{msg}"
    );
    let overrides = ColumnOverrides::from_toml("[columns]\n\"Họ tên HS\" = \"name\"\n").unwrap();
    let params = ExportParams {
        columns: Some(overrides),
        ..ExportParams::default()
    };
    let csv = "Họ và tên,Ngày sinh\nAn,05/03/2000\n";
    let msg = error("typo.csv", csv.as_bytes(), &params);
    assert!(msg.contains(r#"names the header "Họ tên HS", which is not in the header row (row 1): "Họ và tên", "Ngày sinh""#), "{msg}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cols.toml");
    std::fs::write(&file, "header_row = \"two\"\n").unwrap();
    let msg = ColumnOverrides::from_file(&file).unwrap_err().to_string();
    assert!(msg.starts_with(&format!("{}: ", file.display())), "{msg}");
}
