//! Spreadsheet exports: sheet choice, title rows, date cells, text dates, serial numbers, legacy
//! font text stored in cells.

mod common;

use common::*;
use doisoat::export::{ExportParams, Format as ExportFormat};
use doisoat::fields::Field;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// A workbook whose first sheet is notes and whose second holds the data below three title rows
/// (one merged): dates as real date cells, as text and as bare serial numbers.
fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Hướng dẫn").unwrap();
    notes
        .write_string(0, 0, "Danh sách do K12Online xuất")
        .unwrap();
    notes.write_string(1, 0, "Họ và tên: ghi đầy đủ").unwrap();

    let data = wb.add_worksheet();
    data.set_name("DS cấp bằng").unwrap();
    let bold = Format::new().set_bold();
    data.merge_range(
        0,
        0,
        0,
        5,
        "DANH SÁCH HỌC SINH ĐƯỢC CẤP BẰNG TỐT NGHIỆP THPT",
        &bold,
    )
    .unwrap();
    data.write_string(1, 0, "Năm tốt nghiệp: 2018").unwrap();
    let headers = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Số hiệu văn bằng",
    ];
    for (c, h) in headers.iter().enumerate() {
        data.write_string(3, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let rows: [(&str, &str, &str); 3] = [
        ("Nguyễn Văn An", "Nam", "B 1234567"),
        ("Trần Thị Bình", "Nữ", "B 1234568"),
        ("Lê Văn Cường", "Nam", "B 1234569"),
    ];
    for (i, (name, gender, diploma)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        data.write_number(r, 0, (i + 1) as f64).unwrap();
        data.write_string(r, 1, *name).unwrap();
        data.write_string(r, 3, *gender).unwrap();
        data.write_string(r, 4, "Kinh").unwrap();
        data.write_string(r, 5, *diploma).unwrap();
    }
    data.write_datetime_with_format(4, 2, ExcelDateTime::from_ymd(2000, 3, 5).unwrap(), &date)
        .unwrap();
    data.write_string(5, 2, "17/08/2000").unwrap();
    data.write_number(6, 2, 36_590.0).unwrap();
    // a blank row, then a row whose date is impossible
    data.write_number(8, 0, 5.0).unwrap();
    data.write_string(8, 1, "Phạm Thị Dung").unwrap();
    data.write_string(8, 2, "30/02/2000").unwrap();
    data.write_string(8, 5, "B 1234571").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_data_sheet_is_chosen_and_title_rows_skipped() {
    let export = read("export.xlsx", &workbook());
    let d = &export.detected;
    assert_eq!(d.format, ExportFormat::Xlsx);
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
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("STT", "stt"),
            ("Họ và tên", "name"),
            ("Ngày sinh", "dob"),
            ("Giới tính", "gender"),
            ("Dân tộc", "ethnicity"),
            ("Số hiệu văn bằng", "diploma_no"),
        ])
    );
}

#[test]
fn date_cells_text_dates_and_serials_all_become_dates() {
    let export = read("export.xlsx", &workbook());
    assert_eq!(dobs(&export), spreadsheet_fixture_dobs());
    let first = line(&export, 1);
    assert_eq!(first.record.stt, Some(1));
    assert_eq!(first.raw[&Field::Dob], "05/03/2000");
    assert_eq!(value(first, Field::DiplomaNo).as_deref(), Some("B1234567"));
    assert!(line(&export, 5).warnings[0].contains("\"30/02/2000\" is not a real value"));
    assert_eq!(export.warning_count(), 1);
}

#[test]
fn sheet_can_be_named_and_a_wrong_name_lists_the_sheets() {
    let params = ExportParams {
        sheet: Some("Hướng dẫn".into()),
        ..ExportParams::default()
    };
    let msg = error("export.xlsx", &workbook(), &params);
    assert!(
        msg.starts_with("export.xlsx, sheet \"Hướng dẫn\": no header row found"),
        "{msg}"
    );
    let params = ExportParams {
        sheet: Some("Sheet9".into()),
        ..ExportParams::default()
    };
    let msg = error("export.xlsx", &workbook(), &params);
    assert_eq!(
        msg,
        r#"export.xlsx: no sheet named "Sheet9"; the sheets are: "Hướng dẫn", "DS cấp bằng""#
    );
    let params = ExportParams {
        sheet: Some("ds cap bang".into()),
        ..ExportParams::default()
    };
    let export = read_with("export.xlsx", &workbook(), &params).unwrap();
    assert_eq!(export.rows.len(), 4);
}

#[test]
fn legacy_font_text_in_cells_is_converted() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Hä vµ tªn", "Ngµy sinh", "N¬i sinh"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "NGUYÔN V¡N AN").unwrap();
    ws.write_string(1, 1, "05/03/2000").unwrap();
    ws.write_string(1, 2, "H¶i Phßng").unwrap();
    ws.write_string(2, 0, "Ph¹m ThÞ Thu").unwrap();
    ws.write_string(2, 1, "06/03/2000").unwrap();
    ws.write_string(2, 2, "Hµ Néi").unwrap();
    let export = read("legacy.xlsx", &wb.save_to_buffer().unwrap());
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("Họ và tên", "name"),
            ("Ngày sinh", "dob"),
            ("Nơi sinh", "birthplace")
        ])
    );
    assert_eq!(
        value(line(&export, 1), Field::Name).as_deref(),
        Some("NGUYỄN VĂN AN")
    );
    assert_eq!(
        value(line(&export, 1), Field::Birthplace).as_deref(),
        Some("Hải Phòng")
    );
    assert_eq!(
        value(line(&export, 2), Field::Name).as_deref(),
        Some("Phạm Thị Thu")
    );
    assert_eq!(export.detected.legacy.len(), 3);
}
