//! Column identification from header text, column-number rows and layout files.

use doisoat::fields::Field;
use doisoat::layout::columns::{
    classify_header, identify_columns, is_column_number_row, is_header_row,
};
use doisoat::layout::{ColumnKind, LayoutFile, Span};

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

fn fields_of(map: &doisoat::layout::ColumnMap) -> Vec<Option<Field>> {
    map.kinds
        .iter()
        .map(|k| match k {
            ColumnKind::Field(f) => Some(*f),
            _ => None,
        })
        .collect()
}

const REGISTER: &[&str] = &[
    "STT",
    "Họ và tên người học",
    "Ngày tháng năm sinh",
    "Nơi sinh",
    "Giới tính",
    "Dân tộc",
    "Điểm thi / Hội đồng thi",
    "Xếp loại tốt nghiệp",
    "Số hiệu văn bằng",
    "Số vào sổ",
    "Chữ ký người nhận bằng",
    "Ghi chú",
];

#[test]
fn register_header_maps_every_column() {
    let map = identify_columns(&[row(REGISTER)]).expect("columns found");
    use Field::*;
    assert_eq!(
        fields_of(&map),
        vec![
            Some(Stt),
            Some(Name),
            Some(Dob),
            Some(Birthplace),
            Some(Gender),
            Some(Ethnicity),
            None,
            Some(Grade),
            Some(DiplomaNo),
            Some(RegisterNo),
            None,
            Some(Note),
        ]
    );
    assert_eq!(map.kinds[10], ColumnKind::Signature);
    assert_eq!(map.kinds[6], ColumnKind::Other);
}

#[test]
fn header_variants_without_marks_upper_case_and_ocr_noise() {
    let variants: &[(&str, Field)] = &[
        ("HỌ VÀ TÊN", Field::Name),
        ("Ho ten", Field::Name),
        ("Họ và tẽn", Field::Name),
        ("Ngày, tháng, năm sinh", Field::Dob),
        ("NGAY SINH", Field::Dob),
        ("Ngàv sinh", Field::Dob),
        ("Số hiệu VBCC", Field::DiplomaNo),
        ("Sổ hiệu văn bằng", Field::DiplomaNo),
        ("Số vào sổ gốc cấp văn bằng", Field::RegisterNo),
        ("Số vào sổ cấp bằng", Field::RegisterNo),
        ("Xếp loại TN", Field::Grade),
        ("GT", Field::Gender),
        ("Dân tộc (6)", Field::Ethnicity),
        ("Ghi chú", Field::Note),
    ];
    for (text, want) in variants {
        let (kind, score) = classify_header(text).expect("classified");
        assert_eq!(kind, ColumnKind::Field(*want), "{text:?} (score {score})");
        assert!(score >= 0.72, "{text:?} scored {score}");
    }
}

#[test]
fn old_list_layout_with_candidate_number() {
    let header = row(&[
        "STT",
        "SBD",
        "Họ và tên",
        "GT",
        "Ngày sinh",
        "Nơi sinh",
        "Hội đồng thi",
        "Xếp loại TN",
        "Ghi chú",
    ]);
    let map = identify_columns(&[header]).unwrap();
    assert_eq!(map.column_of(Field::Name), Some(2));
    assert_eq!(map.column_of(Field::Gender), Some(3));
    assert_eq!(map.column_of(Field::Dob), Some(4));
    assert_eq!(map.kinds[1], ColumnKind::Other);
    assert_eq!(map.column_of(Field::DiplomaNo), None);
}

#[test]
fn two_row_header_is_joined_per_column() {
    let top = row(&["STT", "Họ và", "Ngày tháng", "Số hiệu"]);
    let bottom = row(&["", "tên", "năm sinh", "văn bằng"]);
    let map = identify_columns(&[top, bottom]).unwrap();
    assert_eq!(map.column_of(Field::Name), Some(1));
    assert_eq!(map.column_of(Field::Dob), Some(2));
    assert_eq!(map.column_of(Field::DiplomaNo), Some(3));
}

#[test]
fn data_rows_are_not_headers() {
    let data = row(&[
        "12",
        "NGUYỄN VĂN AN",
        "05/03/2000",
        "Hải Phòng",
        "Nam",
        "Kinh",
        "",
        "Khá",
        "B 0123456",
        "2018/004/0289",
        "",
        "",
    ]);
    assert!(!is_header_row(&data));
    assert!(identify_columns(&[data]).is_none());
    assert!(is_header_row(&row(REGISTER)));
}

#[test]
fn column_number_row_is_recognised() {
    assert!(is_column_number_row(&row(&[
        "(1)", "(2)", "(3)", "(4)", "(5)", "(6)"
    ])));
    assert!(is_column_number_row(&row(&["1", "2", "3", "", "5", "6"])));
    assert!(!is_column_number_row(&row(&[
        "1",
        "Lê Văn Bình",
        "01/01/2000",
        "Nam",
        "Kinh"
    ])));
    assert!(!is_column_number_row(&row(REGISTER)));
}

fn spans(edges: &[u32]) -> Vec<Span> {
    edges
        .windows(2)
        .map(|w| Span {
            start: w[0],
            end: w[1],
        })
        .collect()
}

#[test]
fn layout_file_with_column_order() {
    let file =
        LayoutFile::parse(r#"columns = ["stt", "name", "dob", "-", "diploma_no", "signature"]"#)
            .unwrap();
    let map = file.apply(&spans(&[0, 10, 50, 70, 90, 120, 150, 170]));
    assert_eq!(map.kinds.len(), 7);
    assert_eq!(map.column_of(Field::Dob), Some(2));
    assert_eq!(map.kinds[3], ColumnKind::Other);
    assert_eq!(map.column_of(Field::DiplomaNo), Some(4));
    assert_eq!(map.kinds[5], ColumnKind::Signature);
    assert_eq!(map.kinds[6], ColumnKind::Other);
}

#[test]
fn layout_file_with_ranges() {
    let file = LayoutFile::parse(
        "[[column]]\nfield = \"name\"\nfrom = 0.1\nto = 0.5\n\n\
         [[column]]\nfield = \"register_no\"\nfrom = 0.5\nto = 1.0\n",
    )
    .unwrap();
    let map = file.apply(&spans(&[100, 140, 400, 900]));
    assert_eq!(map.kinds[0], ColumnKind::Other);
    assert_eq!(map.column_of(Field::Name), Some(1));
    assert_eq!(map.column_of(Field::RegisterNo), Some(2));
}

#[test]
fn layout_file_errors_name_the_problem() {
    let err = LayoutFile::parse(r#"columns = ["stt", "nmae"]"#).unwrap_err();
    assert!(err.contains("nmae"), "{err}");
    assert!(LayoutFile::parse("").is_err());
    let missing = LayoutFile::load(std::path::Path::new("/nonexistent/layout.toml")).unwrap_err();
    assert!(missing.to_string().contains("/nonexistent/layout.toml"));
}

#[test]
fn unreadable_first_header_is_stt_but_a_known_first_header_wins() {
    let map = identify_columns(&[row(&["Số ý KỈ", "Họ và tên", "Ngày sinh", "Nơi sinh"])]).unwrap();
    assert_eq!(map.column_of(Field::Stt), Some(0));
    let map = identify_columns(&[row(&["SBD", "Họ và tên", "Ngày sinh", "STT"])]).unwrap();
    assert_eq!(map.kinds[0], ColumnKind::Other);
    assert_eq!(map.column_of(Field::Stt), Some(3));
}
