//! No input makes the export reader panic: arbitrary bytes, and arbitrary cells under known and
//! unknown headers, go through decoding, separator sniffing, header mapping and typing.

use std::path::Path;

use doisoat::export::{read_export_bytes, ExportParams};
use proptest::prelude::*;

const HEADERS: [&str; 10] = [
    "Họ và tên",
    "Ngày sinh",
    "Số hiệu văn bằng",
    "Họ đệm",
    "Tên",
    "Ngày",
    "Tháng",
    "Năm",
    "Giới tính",
    "xyz",
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9/.-]{0,12}",
        "[A-Za-zÀ-ỹµ¸¶·¹¨©ª«¬®ÆØÅ \"\n;,\t]{0,16}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for name in ["x.csv", "x.xlsx"] {
            let _ = read_export_bytes(Path::new(name), &bytes, &ExportParams::default());
        }
    }

    #[test]
    fn arbitrary_cells_under_headers_never_panic(
        headers in proptest::collection::vec(0..HEADERS.len(), 1..8),
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..9), 0..12),
        sep in prop_oneof![Just(','), Just(';'), Just('\t')],
        utf16 in any::<bool>(),
    ) {
        let mut text: String = headers.iter().map(|&h| HEADERS[h]).collect::<Vec<_>>().join(&sep.to_string());
        for row in rows {
            text.push('\n');
            text.push_str(&row.join(&sep.to_string()));
        }
        let bytes: Vec<u8> = if utf16 {
            [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
        } else {
            text.into_bytes()
        };
        if let Ok(export) = read_export_bytes(Path::new("p.csv"), &bytes, &ExportParams::default()) {
            for row in &export.rows {
                prop_assert!(row.line >= 1);
                prop_assert!(row.physical_row > export.detected.header_row);
            }
        }
    }
}
