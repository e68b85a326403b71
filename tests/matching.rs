//! Matching rules, one test per rule: each planted discrepancy is found with the right kind,
//! field and detail, and each accepted variant is not flagged.

use std::collections::BTreeMap;

use doisoat::fields::Field;
use doisoat::matching::{reconcile, Discrepancy, Kind, MatchParams, Reconciliation};
use doisoat::rows::{CellReading, DbRow, PixelBox, Record, RowFlag, ScanRow};

/// Fields of a person in this order.
const FIELDS: [Field; 8] = [
    Field::Name,
    Field::Dob,
    Field::Birthplace,
    Field::Gender,
    Field::Ethnicity,
    Field::Grade,
    Field::DiplomaNo,
    Field::RegisterNo,
];

type Person = [String; 8];

fn people() -> Vec<Person> {
    [
        [
            "NGUYỄN VĂN AN",
            "05/03/2000",
            "Lê Chân - Hải Phòng",
            "Nam",
            "Kinh",
            "",
            "B 2878801",
            "2018/068/0001",
        ],
        [
            "TRẦN THỊ THUỶ",
            "12/11/2000",
            "Kiến Thuỵ - Hải Phòng",
            "Nữ",
            "Kinh",
            "Khá",
            "B 2878802",
            "2018/068/0002",
        ],
        [
            "LÊ THỊ BÍCH NHI",
            "11/04/2000",
            "Hải Phòng",
            "Nữ",
            "Kinh",
            "",
            "B 2878803",
            "2018/068/0003",
        ],
        [
            "BÙI TUẤN ANH",
            "30/06/2000",
            "Thuỷ Nguyên - Hải Phòng",
            "Nam",
            "Kinh",
            "Giỏi",
            "B 2878804",
            "2018/068/0004",
        ],
        [
            "PHAN THỊ THU MAI",
            "14/06/1999",
            "Hải An - Hải Phòng",
            "Nữ",
            "Kinh",
            "Trung bình",
            "B 2878805",
            "2018/068/0005",
        ],
        [
            "NGUYỄN VĂN HÙNG",
            "22/05/2000",
            "Hải Phòng",
            "Nam",
            "Mường",
            "",
            "B 2878922",
            "2018/068/0006",
        ],
        [
            "LÝ VĂN KỲ",
            "01/09/2000",
            "Kiến An - Hải Phòng",
            "Nam",
            "Kinh",
            "",
            "B 2878807",
            "2018/068/0007",
        ],
        [
            "NGUYỄN THỊ HOÀ",
            "09/10/2000",
            "Hải Phòng",
            "Nữ",
            "Kinh",
            "Khá",
            "B 2878808",
            "2018/068/0008",
        ],
    ]
    .into_iter()
    .map(|p| p.map(str::to_string))
    .collect()
}

fn record(values: &Person) -> Record {
    let mut r = Record::default();
    for (field, text) in FIELDS.iter().zip(values) {
        // Empty and unparsable cells stay `None`, as the readers leave them.
        let _ = r.set_from_text(*field, text);
    }
    r
}

fn scan_row(i: usize, values: &Person) -> ScanRow {
    let mut record = record(values);
    record.stt = Some(i as u32 + 1);
    let cells = FIELDS
        .iter()
        .zip(values)
        .map(|(f, v)| {
            let reading = CellReading {
                raw: v.clone(),
                confidence: 0.95,
                problem: None,
            };
            (*f, reading)
        })
        .collect();
    ScanRow {
        file: "2018_Sổ cấp bằng_T01_T02.pdf".into(),
        page: 1 + i as u32 / 20,
        row: 1 + i as u32 % 20,
        record,
        cells,
        confidence: 0.95,
        flags: Vec::new(),
        bbox: PixelBox::default(),
    }
}

fn db_row(line: usize, values: &Person) -> DbRow {
    DbRow {
        line: line as u32,
        physical_row: line as u32 + 1,
        record: record(values),
        raw: FIELDS.iter().copied().zip(values.iter().cloned()).collect(),
        extra: BTreeMap::new(),
        warnings: Vec::new(),
    }
}

/// The database as typists keep it: Title Case names, rows in the order given.
fn database(people: &[Person]) -> Vec<DbRow> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut p = p.clone();
            p[0] = doisoat::text::title_case(&p[0]);
            db_row(i + 1, &p)
        })
        .collect()
}

fn paper(people: &[Person]) -> Vec<ScanRow> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| scan_row(i, p))
        .collect()
}

fn field_index(field: Field) -> usize {
    FIELDS.iter().position(|&f| f == field).unwrap()
}

/// Reconciles the standard people against a database where person `who` has `field` = `value`.
fn with_db_value(who: usize, field: Field, value: &str) -> Reconciliation {
    let ps = people();
    let mut db = ps.clone();
    db[who][field_index(field)] = value.to_string();
    reconcile(&paper(&ps), &database(&db), &MatchParams::default())
}

fn only(rec: &Reconciliation) -> &Discrepancy {
    assert_eq!(rec.discrepancies.len(), 1, "{:#?}", rec.discrepancies);
    &rec.discrepancies[0]
}

fn assert_mismatch(rec: &Reconciliation, field: Field, detail: Option<&str>) {
    let d = only(rec);
    assert_eq!(
        (d.kind, d.field, d.detail.as_deref()),
        (Kind::FieldMismatch, Some(field), detail),
        "{d:#?}"
    );
    assert_eq!(rec.pairs.len(), people().len(), "every row stays paired");
}

fn assert_clean(rec: &Reconciliation) {
    assert!(rec.discrepancies.is_empty(), "{:#?}", rec.discrepancies);
    assert_eq!(rec.pairs.len(), people().len());
}

#[test]
fn identical_rows_in_any_order_and_case_are_clean() {
    let ps = people();
    let mut db = database(&ps);
    db.reverse();
    let rec = reconcile(&paper(&ps), &db, &MatchParams::default());
    assert_clean(&rec);
    for pair in &rec.pairs {
        assert_eq!(pair.scan_index, ps.len() - 1 - pair.db_index);
        assert!(
            pair.explanation.starts_with("Ghép với dòng CSDL"),
            "{}",
            pair.explanation
        );
    }
}

#[test]
fn name_one_letter_typo() {
    let rec = with_db_value(4, Field::Name, "Phan Tcị Thu Mai");
    assert_mismatch(&rec, Field::Name, Some("spelling"));
    let d = only(&rec);
    assert_eq!(
        d.scan.as_ref().unwrap().value.as_deref(),
        Some("PHAN THỊ THU MAI")
    );
    assert_eq!(
        d.db.as_ref().unwrap().value.as_deref(),
        Some("Phan Tcị Thu Mai")
    );
    assert!(d.explanation.contains("Họ và tên"), "{}", d.explanation);
}

#[test]
fn name_wrong_diacritic() {
    let rec = with_db_value(2, Field::Name, "Lê Thị Bĩch Nhi");
    assert_mismatch(&rec, Field::Name, Some("diacritics_only"));
}

#[test]
fn name_missing_middle_name() {
    let rec = with_db_value(3, Field::Name, "Bùi Anh");
    assert_mismatch(&rec, Field::Name, Some("missing_word"));
}

#[test]
fn dob_digit_typo() {
    let rec = with_db_value(3, Field::Dob, "20/06/2000");
    assert_mismatch(&rec, Field::Dob, Some("digit_typo"));
}

#[test]
fn dob_day_month_swap_has_its_own_detail() {
    let rec = with_db_value(2, Field::Dob, "04/11/2000");
    assert_mismatch(&rec, Field::Dob, Some("day_month_swapped"));
}

#[test]
fn dob_wrong_year() {
    let rec = with_db_value(4, Field::Dob, "14/06/2000");
    assert_mismatch(&rec, Field::Dob, Some("wrong_year"));
}

#[test]
fn diploma_digit_typo_even_when_it_hits_a_neighbours_number() {
    // B 2878801 typed as B 2878802, the number of the next person on the page.
    let ps = people();
    let mut db = ps.clone();
    db[0][6] = "B 2878802".into();
    let rec = reconcile(&paper(&ps), &database(&db), &MatchParams::default());
    assert_mismatch(&rec, Field::DiplomaNo, Some("digit_typo"));
    assert_eq!(rec.pair_of_scan(0).unwrap().db_index, 0);
    assert_eq!(rec.pair_of_scan(1).unwrap().db_index, 1);
}

#[test]
fn diploma_digit_transposition() {
    let rec = with_db_value(5, Field::DiplomaNo, "B 2879822");
    assert_mismatch(&rec, Field::DiplomaNo, Some("digit_transposition"));
}

#[test]
fn register_typo() {
    let rec = with_db_value(1, Field::RegisterNo, "2018/068/0012");
    assert_mismatch(&rec, Field::RegisterNo, Some("digit_typo"));
}

#[test]
fn gender_changed() {
    let rec = with_db_value(2, Field::Gender, "Nam");
    assert_mismatch(&rec, Field::Gender, None);
}

#[test]
fn birthplace_changed() {
    let rec = with_db_value(2, Field::Birthplace, "Quảng Ninh");
    assert_mismatch(&rec, Field::Birthplace, None);
}

#[test]
fn ethnicity_changed() {
    let rec = with_db_value(5, Field::Ethnicity, "Kinh");
    assert_mismatch(&rec, Field::Ethnicity, None);
}

#[test]
fn grade_changed() {
    let rec = with_db_value(3, Field::Grade, "TB");
    assert_mismatch(&rec, Field::Grade, None);
}

#[test]
fn missing_in_db() {
    let ps = people();
    let mut db = ps.clone();
    db.remove(4);
    let rec = reconcile(&paper(&ps), &database(&db), &MatchParams::default());
    let d = only(&rec);
    assert_eq!(d.kind, Kind::MissingInDb);
    assert_eq!(d.scan.as_ref().unwrap().row, 5);
    assert!(d.db.is_none());
    assert_eq!(rec.unmatched_scan, vec![4]);
}

#[test]
fn not_in_scan() {
    let ps = people();
    let mut db = ps.clone();
    db.push(
        [
            "Lâm Thị Bích Diệp",
            "03/02/2001",
            "Hải Phòng",
            "Nữ",
            "Kinh",
            "",
            "B 2878999",
            "2018/068/0099",
        ]
        .map(str::to_string),
    );
    let rec = reconcile(&paper(&ps), &database(&db), &MatchParams::default());
    let d = only(&rec);
    assert_eq!(d.kind, Kind::NotInScan);
    assert_eq!(d.db.as_ref().unwrap().line, 9);
    assert!(d.scan.is_none());
    assert!(d.confidence > 0.8);
}

#[test]
fn duplicate_in_db_is_not_reported_as_not_in_scan() {
    let ps = people();
    let mut db = ps.clone();
    db.push(ps[1].clone());
    let rec = reconcile(&paper(&ps), &database(&db), &MatchParams::default());
    let d = only(&rec);
    assert_eq!(d.kind, Kind::DuplicateInDb);
    assert_eq!(d.db.as_ref().unwrap().line, 9);
    assert_eq!(
        d.scan.as_ref().unwrap().row,
        2,
        "points at the paper row of the original"
    );
    assert_eq!(
        rec.pair_of_scan(1).unwrap().db_index,
        1,
        "the first copy is the match"
    );
}

#[test]
fn nfd_text_is_not_flagged() {
    use unicode_normalization::UnicodeNormalization;
    let nfd: String = "Nguyễn Văn An".nfd().collect();
    assert_clean(&with_db_value(0, Field::Name, &nfd));
}

#[test]
fn tone_placement_is_not_flagged() {
    assert_clean(&with_db_value(1, Field::Name, "Trần Thị Thủy"));
    assert_clean(&with_db_value(7, Field::Name, "Nguyễn Thị Hòa"));
    assert_clean(&with_db_value(
        1,
        Field::Birthplace,
        "Kiến Thụy - Hải Phòng",
    ));
}

#[test]
fn y_i_variants_are_not_flagged() {
    let rec = with_db_value(6, Field::Name, "Lí Văn Kì");
    assert_clean(&rec);
    let name = &rec.pair_of_scan(6).unwrap().fields[2];
    assert_eq!(
        (name.field, name.detail),
        (Field::Name, Some("y_i_variant"))
    );
}

#[test]
fn case_is_not_flagged() {
    assert_clean(&with_db_value(0, Field::Name, "NGUYỄN Văn An"));
}

#[test]
fn doubled_and_non_breaking_spaces_are_not_flagged() {
    assert_clean(&with_db_value(0, Field::Name, "Nguyễn  Văn An"));
    assert_clean(&with_db_value(0, Field::Name, "Nguyễn\u{00A0}Văn An "));
}

#[test]
fn date_format_is_not_flagged() {
    assert_clean(&with_db_value(0, Field::Dob, "5/3/2000"));
    assert_clean(&with_db_value(0, Field::Dob, "05-03-2000"));
}

#[test]
fn diploma_space_and_separator_separators_are_not_flagged() {
    assert_clean(&with_db_value(0, Field::DiplomaNo, "B2878801"));
    assert_clean(&with_db_value(0, Field::Birthplace, "Lê Chân, Hải Phòng"));
}

#[test]
fn empty_grade_on_either_side_is_not_flagged_for_2015_to_2018() {
    assert_clean(&with_db_value(1, Field::Grade, ""));
    assert_clean(&with_db_value(0, Field::Grade, "Khá"));
    let params = MatchParams {
        graduation_year: Some(2021),
        ..MatchParams::default()
    };
    let ps = people();
    let mut db = ps.clone();
    db[1][5] = String::new();
    let rec = reconcile(&paper(&ps), &database(&db), &params);
    assert_eq!(only(&rec).field, Some(Field::Grade));
}

#[test]
fn low_ocr_confidence_makes_a_difference_uncertain() {
    let ps = people();
    let mut db = ps.clone();
    db[4][0] = "Phan Tcị Thu Mai".into();
    let mut scan = paper(&ps);
    scan[4].cells.get_mut(&Field::Name).unwrap().confidence = 0.4;
    let rec = reconcile(&scan, &database(&db), &MatchParams::default());
    let d = only(&rec);
    assert_eq!((d.kind, d.field), (Kind::Uncertain, Some(Field::Name)));
    assert!(d.explanation.contains("40%"), "{}", d.explanation);
}

#[test]
fn ocr_like_differences_need_a_surer_reading() {
    let ps = people();
    let mut db = ps.clone();
    db[2][0] = "Lê Thị Bĩch Nhi".into();
    let mut scan = paper(&ps);
    scan[2].cells.get_mut(&Field::Name).unwrap().confidence = 0.75;
    let rec = reconcile(&scan, &database(&db), &MatchParams::default());
    assert_eq!(only(&rec).kind, Kind::Uncertain);
}

#[test]
fn a_one_digit_difference_under_a_stamp_is_uncertain_however_sure_the_reading() {
    let ps = people();
    let mut db = ps.clone();
    let diploma = &mut db[2][6];
    let last = diploma.pop().unwrap();
    diploma.push(if last == '5' { '3' } else { '5' });
    let mut scan = paper(&ps);
    scan[2].flags.push(RowFlag::Stamp);
    scan[2].cells.get_mut(&Field::DiplomaNo).unwrap().confidence = 0.95;
    let rec = reconcile(&scan, &database(&db), &MatchParams::default());
    let d = only(&rec);
    assert_eq!((d.kind, d.field), (Kind::Uncertain, Some(Field::DiplomaNo)));
    assert!(d.explanation.contains("con dấu"), "{}", d.explanation);

    // Without the stamp the same sure reading is a mismatch.
    let mut scan = paper(&ps);
    scan[2].cells.get_mut(&Field::DiplomaNo).unwrap().confidence = 0.95;
    let rec = reconcile(&scan, &database(&db), &MatchParams::default());
    assert_eq!(only(&rec).kind, Kind::FieldMismatch);
}

#[test]
fn hand_corrected_rows_are_uncertain_not_mismatches() {
    let ps = people();
    let mut db = ps.clone();
    db[3][1] = "20/06/2000".into();
    let mut scan = paper(&ps);
    scan[3].flags.push(RowFlag::Handwriting);
    let rec = reconcile(&scan, &database(&db), &MatchParams::default());
    let d = only(&rec);
    assert_eq!((d.kind, d.field), (Kind::Uncertain, Some(Field::Dob)));
    assert!(d.explanation.contains("viết tay"));
}

#[test]
fn an_unread_paper_cell_is_uncertain() {
    let ps = people();
    let mut scan = paper(&ps);
    scan[0].record.birthplace = None;
    scan[0].cells.get_mut(&Field::Birthplace).unwrap().problem = Some("không đọc được".into());
    let rec = reconcile(&scan, &database(&ps), &MatchParams::default());
    let d = only(&rec);
    assert_eq!(
        (d.kind, d.field, d.detail.as_deref()),
        (
            Kind::Uncertain,
            Some(Field::Birthplace),
            Some("unparsed_on_paper")
        )
    );
}

#[test]
fn one_database_row_is_never_matched_twice() {
    // The same person twice on paper, the second with a date typo, and one database row.
    let ps = people();
    let mut paper_people = ps.clone();
    let mut twin = ps[0].clone();
    twin[1] = "06/03/2000".into();
    paper_people.push(twin);
    let rec = reconcile(
        &paper(&paper_people),
        &database(&ps),
        &MatchParams::default(),
    );
    let mut used: Vec<usize> = rec.pairs.iter().map(|p| p.db_index).collect();
    used.sort_unstable();
    used.dedup();
    assert_eq!(used.len(), rec.pairs.len());
    assert_eq!(
        rec.pair_of_scan(0).unwrap().db_index,
        0,
        "the better row wins"
    );
    let d = only(&rec);
    assert_eq!(
        (d.kind, d.scan.as_ref().unwrap().row),
        (Kind::MissingInDb, 9)
    );
}

#[test]
fn a_common_name_alone_never_makes_a_match() {
    let ps = people();
    let mut db = ps.clone();
    // Same name, gender, ethnicity and birthplace; different date, diploma and register.
    db[0][1] = "17/08/1999".into();
    db[0][6] = "B 1111111".into();
    db[0][7] = "2017/001/0001".into();
    let rec = reconcile(&paper(&ps), &database(&db), &MatchParams::default());
    assert!(rec.pair_of_scan(0).is_none());
    let kinds: Vec<Kind> = rec.discrepancies.iter().map(|d| d.kind).collect();
    assert!(!kinds.contains(&Kind::FieldMismatch), "{kinds:?}");
}

#[test]
fn a_near_miss_is_one_uncertain_item_with_both_rows() {
    let ps = people();
    let mut db = ps.clone();
    // Exact name and date of birth, but diploma and register numbers unrelated.
    db[4][6] = "B 1111111".into();
    db[4][7] = "2017/001/0001".into();
    let rec = reconcile(&paper(&ps), &database(&db), &MatchParams::default());
    let d = only(&rec);
    assert_eq!(
        (d.kind, d.detail.as_deref()),
        (Kind::Uncertain, Some("possible_match"))
    );
    assert_eq!(d.db.as_ref().unwrap().line, 5);
    assert_eq!(d.scan.as_ref().unwrap().row, 5);
}

#[test]
fn results_are_deterministic() {
    let ps = people();
    let mut db = ps.clone();
    db[2][1] = "04/11/2000".into();
    db.push(ps[3].clone());
    let a = reconcile(&paper(&ps), &database(&db), &MatchParams::default());
    let b = reconcile(&paper(&ps), &database(&db), &MatchParams::default());
    assert_eq!(a, b);
}
