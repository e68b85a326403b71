//! Delimited-text exports: encodings, separators, quoting, header synonyms, split columns, title
//! rows, line numbering, row warnings and duplicates.

mod common;

use common::*;
use doisoat::export::{Format, TextEncoding};
use doisoat::fields::Field;
use doisoat::rows::ExtraField;

#[test]
fn national_template_headers_map_and_values_are_typed() {
    let csv = "STT,Số hiệu bằng,Số vào sổ gốc cấp văn bằng,Tên văn bằng,\"Họ, chữ đệm và tên\",\
Mã người học,Số định danh cá nhân,\"Ngày, tháng, năm sinh\",Giới tính,Dân tộc,Quốc tịch,Nơi sinh,\
Tên trường đã học,Năm tốt nghiệp,Xếp loại,Ghi chú\n\
1,B 1234567,2018/068/0289,Bằng tốt nghiệp THPT,Nguyễn Văn An,HS001,031200001234,05/03/2000,Nam,Kinh,\
Việt Nam,\"Thủy Nguyên, Hải Phòng\",THPT Bạch Đằng,2018,Khá,\n";
    let export = read("template.csv", csv.as_bytes());
    let d = &export.detected;
    assert_eq!(d.format, Format::Delimited);
    assert_eq!(d.encoding, Some(TextEncoding::Utf8));
    assert_eq!(d.separator, Some(','));
    assert_eq!(d.header_row, 1);
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("STT", "stt"),
            ("Số hiệu bằng", "diploma_no"),
            ("Số vào sổ gốc cấp văn bằng", "register_no"),
            ("Họ, chữ đệm và tên", "name"),
            ("Mã người học", "student_id"),
            ("Số định danh cá nhân", "personal_id"),
            ("Ngày, tháng, năm sinh", "dob"),
            ("Giới tính", "gender"),
            ("Dân tộc", "ethnicity"),
            ("Nơi sinh", "birthplace"),
            ("Tên trường đã học", "school"),
            ("Năm tốt nghiệp", "graduation_year"),
            ("Xếp loại", "grade"),
            ("Ghi chú", "note"),
        ])
    );
    assert_eq!(d.unmapped, ["Tên văn bằng", "Quốc tịch"]);
    let row = line(&export, 1);
    assert_eq!(row.physical_row, 2);
    assert_eq!(value(row, Field::Name).as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(row.record.dob.unwrap().to_iso(), "2000-03-05");
    assert_eq!(value(row, Field::DiplomaNo).as_deref(), Some("B1234567"));
    assert_eq!(row.raw[&Field::DiplomaNo], "B 1234567");
    assert_eq!(
        value(row, Field::RegisterNo).as_deref(),
        Some("2018/068/0289")
    );
    assert_eq!(value(row, Field::Gender).as_deref(), Some("Nam"));
    assert_eq!(value(row, Field::Ethnicity).as_deref(), Some("Kinh"));
    assert_eq!(value(row, Field::Grade).as_deref(), Some("Khá"));
    assert_eq!(
        value(row, Field::Birthplace).as_deref(),
        Some("Thủy Nguyên, Hải Phòng")
    );
    assert_eq!(row.extra[&ExtraField::StudentId], "HS001");
    assert_eq!(row.extra[&ExtraField::PersonalId], "031200001234");
    assert_eq!(row.extra[&ExtraField::School], "THPT Bạch Đằng");
    assert_eq!(row.extra[&ExtraField::GraduationYear], "2018");
    assert!(row.warnings.is_empty(), "{:?}", row.warnings);
}

#[test]
fn utf8_bom_is_stripped_and_nfd_text_leaves_as_nfc() {
    let nfd_name = "Tra\u{0302}\u{0300}n Thi\u{0323} Hoa\u{0300}";
    let csv = format!("\u{FEFF}Họ và tên,Ngày sinh\n{nfd_name},1/2/2001\n");
    let export = read("bom.csv", csv.as_bytes());
    assert_eq!(export.detected.encoding, Some(TextEncoding::Utf8Bom));
    assert_eq!(
        mapping(&export)[0],
        ("Họ và tên".to_string(), "name".to_string())
    );
    let row = line(&export, 1);
    assert_eq!(value(row, Field::Name).as_deref(), Some("Trần Thị Hoà"));
    assert_eq!(row.raw[&Field::Name], "Trần Thị Hoà");
    assert_eq!(row.record.dob.unwrap().to_iso(), "2001-02-01");
}

#[test]
fn excel_vietnamese_locale_semicolons_with_split_name() {
    let csv = "STT;Họ đệm;Tên;Ngày sinh;Giới tính;Số hiệu VBCC;Số vào sổ cấp bằng\r\n\
1;Lê Thị;Hồng;07-11-2000;Nữ;B 0012345;207/ML\r\n\
2;Phạm Văn;Đức;7/1/2000;Nam;B 0012346;208/ML\r\n";
    let export = read("excel_vn.csv", csv.as_bytes());
    assert_eq!(export.detected.separator, Some(';'));
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("STT", "stt"),
            ("Họ đệm", "family_middle_name"),
            ("Tên", "given_name"),
            ("Ngày sinh", "dob"),
            ("Giới tính", "gender"),
            ("Số hiệu VBCC", "diploma_no"),
            ("Số vào sổ cấp bằng", "register_no"),
        ])
    );
    let first = line(&export, 1);
    assert_eq!(value(first, Field::Name).as_deref(), Some("Lê Thị Hồng"));
    assert_eq!(first.record.name.as_ref().unwrap().given(), "Hồng");
    assert_eq!(first.record.dob.unwrap().to_iso(), "2000-11-07");
    assert_eq!(value(first, Field::Gender).as_deref(), Some("Nữ"));
    let second = line(&export, 2);
    assert_eq!(value(second, Field::Name).as_deref(), Some("Phạm Văn Đức"));
    assert_eq!(second.record.dob.unwrap().to_iso(), "2000-01-07");
    assert_eq!(value(second, Field::DiplomaNo).as_deref(), Some("B0012346"));
}

#[test]
fn family_middle_given_columns_and_day_month_year_columns_combine() {
    let csv = "Họ,Đệm,Tên,Ngày,Tháng,Năm,Số hiệu văn bằng\n\
Nguyễn,Thị,Lan,5,3,2000,B 1111111\n\
Trần,,Nam,31,12,1999,B 1111112\n";
    let export = read("split.csv", csv.as_bytes());
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("Họ", "family_name"),
            ("Đệm", "middle_name"),
            ("Tên", "given_name"),
            ("Ngày", "dob_day"),
            ("Tháng", "dob_month"),
            ("Năm", "dob_year"),
            ("Số hiệu văn bằng", "diploma_no"),
        ])
    );
    assert_eq!(
        value(line(&export, 1), Field::Name).as_deref(),
        Some("Nguyễn Thị Lan")
    );
    assert_eq!(line(&export, 1).record.dob.unwrap().to_iso(), "2000-03-05");
    assert_eq!(
        value(line(&export, 2), Field::Name).as_deref(),
        Some("Trần Nam")
    );
    assert_eq!(line(&export, 2).record.dob.unwrap().to_iso(), "1999-12-31");
}

#[test]
fn utf16_tab_separated_with_headers_without_diacritics() {
    let text = "STT\tHoTen\tNgaySinh\tGioiTinh\tSoHieuVanBang\tSoVaoSo\r\n\
1\tVũ Thị Ngọc Ánh\t12/08/2001\tNữ\tB 2895162\t2019/001\r\n";
    let export = read("export_utf16.txt", &utf16le_bom(text));
    assert_eq!(export.detected.encoding, Some(TextEncoding::Utf16Le));
    assert_eq!(export.detected.separator, Some('\t'));
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("STT", "stt"),
            ("HoTen", "name"),
            ("NgaySinh", "dob"),
            ("GioiTinh", "gender"),
            ("SoHieuVanBang", "diploma_no"),
            ("SoVaoSo", "register_no"),
        ])
    );
    let row = line(&export, 1);
    assert_eq!(value(row, Field::Name).as_deref(), Some("Vũ Thị Ngọc Ánh"));
    assert_eq!(row.record.dob.unwrap().to_iso(), "2001-08-12");
    assert_eq!(value(row, Field::DiplomaNo).as_deref(), Some("B2895162"));

    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let export = read("export_utf16be.txt", &be);
    assert_eq!(export.detected.encoding, Some(TextEncoding::Utf16Be));
    assert_eq!(
        value(line(&export, 1), Field::Name).as_deref(),
        Some("Vũ Thị Ngọc Ánh")
    );
}

#[test]
fn windows_1258_is_decoded_and_composed_to_nfc() {
    // "Họ và tên;Ngày sinh;Số hiệu văn bằng" / "Nguyễn Văn Đức;01/02/2000;B 1234567" /
    // "Lê Thị Hà;02/02/2000;B 7654321", written the way Windows-1258 stores them: base letters
    // with hats precomposed, tones as separate combining bytes.
    let mut bytes = Vec::new();
    bytes.extend_from_slice(
        b"Ho\xF2 v\xE0 t\xEAn;Ng\xE0y sinh;S\xF4\xEC hi\xEA\xF2u v\xE3n b\xE3\xCCng\r\n",
    );
    bytes.extend_from_slice(b"Nguy\xEA\xDEn V\xE3n \xD0\xFD\xECc;01/02/2000;B 1234567\r\n");
    bytes.extend_from_slice(b"L\xEA Thi\xF2 H\xE0;02/02/2000;B 7654321\r\n");
    let export = read("export_cp1258.csv", &bytes);
    assert_eq!(export.detected.encoding, Some(TextEncoding::Windows1258));
    assert!(export.detected.legacy.is_empty());
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("Họ và tên", "name"),
            ("Ngày sinh", "dob"),
            ("Số hiệu văn bằng", "diploma_no"),
        ])
    );
    assert_eq!(
        value(line(&export, 1), Field::Name).as_deref(),
        Some("Nguyễn Văn Đức")
    );
    assert_eq!(
        value(line(&export, 2), Field::Name).as_deref(),
        Some("Lê Thị Hà")
    );
}

#[test]
fn tcvn3_bytes_are_detected_per_column_and_converted() {
    // "Họ và tên,Ngày sinh,Nơi sinh" / "Nguyễn Văn An,05/03/2000,Hà Nội" typed with an ABC font.
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"H\xE4 v\xB5 t\xAAn,Ng\xB5y sinh,N\xACi sinh\r\n");
    bytes.extend_from_slice(b"Nguy\xD4n V\xA8n An,05/03/2000,H\xB5 N\xE9i\r\n");
    bytes.extend_from_slice(b"L\xAA Th\xDE H\xE5ng,06/03/2000,H\xB5 N\xE9i\r\n");
    let export = read("tcvn3.csv", &bytes);
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
        Some("Nguyễn Văn An")
    );
    assert_eq!(
        value(line(&export, 2), Field::Name).as_deref(),
        Some("Lê Thị Hồng")
    );
    assert_eq!(
        value(line(&export, 1), Field::Birthplace).as_deref(),
        Some("Hà Nội")
    );
    let legacy = &export.detected.legacy;
    assert!(legacy.iter().any(|l| l.header == "Nơi sinh"
        && l.encoding == doisoat::export::LegacyEncoding::Tcvn3
        && l.before == "N¬i sinh"
        && l.after == "Nơi sinh"));
}

#[test]
fn vni_mojibake_in_a_unicode_file_is_converted() {
    let csv = "Họ và tên,Ngày sinh,Nơi sinh\nNguyeãn Vaên Tröôøng,05/03/2000,Ñaø Naüng\n\
Leâ Thò Phöôùc,06/03/2000,Ñaø Naüng\n";
    let export = read("vni.csv", csv.as_bytes());
    assert_eq!(
        value(line(&export, 1), Field::Name).as_deref(),
        Some("Nguyễn Văn Trường")
    );
    assert_eq!(
        value(line(&export, 2), Field::Name).as_deref(),
        Some("Lê Thị Phước")
    );
    assert_eq!(
        value(line(&export, 2), Field::Birthplace).as_deref(),
        Some("Đà Nẵng")
    );
    assert!(export
        .detected
        .legacy
        .iter()
        .all(|l| l.encoding == doisoat::export::LegacyEncoding::Vni));
    assert_eq!(export.detected.legacy.len(), 2);
}

#[test]
fn quoted_fields_hold_separators_quotes_and_newlines() {
    let csv = "Họ và tên;Ngày sinh;Ghi chú;Nơi sinh\n\
\"Đỗ Minh Quân\";01/01/2000;\"cấp lại; \"\"bản sao\"\"\nlần 2\";\"Kiến An; Hải Phòng\"\n\
Hà Văn Bình;02/01/2000;;Hải Phòng\n";
    let export = read("quoted.csv", csv.as_bytes());
    assert_eq!(export.detected.separator, Some(';'));
    let first = line(&export, 1);
    assert_eq!(first.raw[&Field::Note], "cấp lại; \"bản sao\" lần 2");
    assert_eq!(
        value(first, Field::Birthplace).as_deref(),
        Some("Kiến An; Hải Phòng")
    );
    let second = line(&export, 2);
    assert_eq!(value(second, Field::Name).as_deref(), Some("Hà Văn Bình"));
    assert_eq!(
        second.physical_row, 3,
        "a spreadsheet shows the two-line record as one row"
    );
}

#[test]
fn title_rows_are_skipped_and_blank_rows_keep_line_numbers() {
    let csv = "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG,,\n\
DANH SÁCH CẤP BẰNG TỐT NGHIỆP THPT NĂM 2018,,\n\
,,\n\
STT,Họ và tên,Ngày sinh\n\
1,Nguyễn Văn An,05/03/2000\n\
,,\n\
\n\
4,Trần Thị Bình,06/03/2000\n";
    let export = read("titles.csv", csv.as_bytes());
    let d = &export.detected;
    assert_eq!(d.header_row, 4);
    assert_eq!(
        d.title_rows,
        [
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG",
            "DANH SÁCH CẤP BẰNG TỐT NGHIỆP THPT NĂM 2018"
        ]
    );
    assert_eq!(export.rows.len(), 2);
    assert_eq!((export.rows[0].line, export.rows[0].physical_row), (1, 5));
    assert_eq!((export.rows[1].line, export.rows[1].physical_row), (4, 8));
    assert_eq!(
        value(&export.rows[1], Field::Name).as_deref(),
        Some("Trần Thị Bình")
    );
}

#[test]
fn bad_values_are_row_warnings_not_failures() {
    let csv = "Họ và tên,Ngày sinh,Số hiệu văn bằng,Giới tính\n\
Nguyễn Văn An,31/02/2000,B 1234567,Nam\n\
,05/03/2000,B 1234568,Nữ\n\
Lê Văn Cường,không rõ,B 12,Nam\n\
Phạm Thị Dung,36590,B 1234570,nu\n";
    let export = read("warnings.csv", csv.as_bytes());
    assert_eq!(export.rows.len(), 4);
    let impossible = line(&export, 1);
    assert_eq!(impossible.record.dob, None);
    assert_eq!(impossible.raw[&Field::Dob], "31/02/2000");
    assert!(
        impossible.warnings[0].contains("31/02/2000"),
        "{:?}",
        impossible.warnings
    );
    assert!(impossible.warnings[0].contains("not a real value"));
    let empty_name = line(&export, 2);
    assert_eq!(empty_name.warnings, ["name: empty"]);
    let garbled = line(&export, 3);
    assert_eq!(garbled.warnings.len(), 2, "{:?}", garbled.warnings);
    assert!(garbled.warnings[0].contains("\"không rõ\" is not in a known format"));
    assert!(garbled.warnings[1].contains("diploma_no \"B 12\""));
    let serial = line(&export, 4);
    assert_eq!(serial.record.dob.unwrap().to_iso(), "2000-03-05");
    assert_eq!(value(serial, Field::Gender).as_deref(), Some("Nữ"));
    assert!(serial.warnings.is_empty());
    assert_eq!(export.warning_count(), 4);
}

#[test]
fn duplicates_by_diploma_number_and_by_name_and_birth_date() {
    let csv = "Họ và tên,Ngày sinh,Số hiệu văn bằng\n\
Phạm Thị Hoà,05/03/2000,B 1234567\n\
Lê Văn Cường,06/03/2000,B1234567\n\
PHẠM THỊ HÒA,5/3/2000,B 7777777\n\
Ngô Văn Dũng,07/03/2000,B 8888888\n";
    let export = read("dups.csv", csv.as_bytes());
    use doisoat::export::DuplicateKind;
    let found: Vec<(DuplicateKind, &str, &[u32])> = export
        .duplicates
        .iter()
        .map(|d| (d.kind, d.value.as_str(), d.lines.as_slice()))
        .collect();
    assert_eq!(
        found,
        [
            (DuplicateKind::DiplomaNo, "B1234567", &[1u32, 2][..]),
            (
                DuplicateKind::NameAndDob,
                "Phạm Thị Hoà 05/03/2000",
                &[1, 3][..]
            ),
        ]
    );
}

#[test]
fn header_notes_in_brackets_and_odd_spacing_still_map() {
    let csv = "  HỌ VÀ TÊN ,Ngày sinh (dd/mm/yyyy),SỐ HIỆU  VĂN BẰNG,Giới tính (Nam/Nữ),Xếp loại (tốt nghiệp)\n\
Nguyễn Văn An,05/03/2000,B 1234567,Nam,Giỏi\n";
    let export = read("odd.csv", csv.as_bytes());
    assert_eq!(
        mapping(&export),
        pairs(&[
            ("HỌ VÀ TÊN", "name"),
            ("Ngày sinh (dd/mm/yyyy)", "dob"),
            ("SỐ HIỆU VĂN BẰNG", "diploma_no"),
            ("Giới tính (Nam/Nữ)", "gender"),
            ("Xếp loại (tốt nghiệp)", "grade"),
        ])
    );
    assert_eq!(
        value(line(&export, 1), Field::Grade).as_deref(),
        Some("Giỏi")
    );
}

#[test]
fn iso_dates_with_a_time_and_year_only_columns_are_read() {
    let csv = "Họ tên,Ngày sinh,Số hiệu bằng\nAn,2000-03-05 00:00:00,B 1234567\n";
    let export = read("iso.csv", csv.as_bytes());
    assert_eq!(line(&export, 1).record.dob.unwrap().to_iso(), "2000-03-05");
    let csv = "Họ tên,Năm sinh\nAn,2000\n";
    let export = read("year.csv", csv.as_bytes());
    assert_eq!(
        mapping(&export)[1],
        ("Năm sinh".to_string(), "dob_year".to_string())
    );
    assert_eq!(line(&export, 1).record.dob.unwrap().to_iso(), "2000");
}
