//! The recogniser on a real printed name (an ID-card crop), outside any table.

use std::path::PathBuf;

use doisoat::ocr::{read_text_line, OcrParams};

#[test]
fn a_real_printed_name_is_read_with_its_marks() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real-name-crops/name_01.jpeg");
    let img = image::open(&path).unwrap().to_luma8();
    let (text, confidence) = read_text_line(&img, 300, &OcrParams::default()).unwrap();
    assert_eq!(text, "HOÀNG THỊ THOI");
    assert!(confidence > 0.8, "confidence {confidence}");
}
