//! `doisoat export` prints how a file was understood, and fails with the reader's message.

use std::process::Command;

fn doisoat(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_doisoat"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn prints_format_encoding_separator_mapping_and_rows() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("excel.csv");
    std::fs::write(
        &file,
        "\u{FEFF}STT;Họ đệm;Tên;Ngày sinh;Số hiệu VBCC;Quốc tịch\r\n\
         1;Lê Thị;Hồng;07-11-2000;B 0012345;Việt Nam\r\n\
         2;Lê Thị;Hồng;07/11/2000;B 0012346;Việt Nam\r\n",
    )
    .unwrap();
    let (ok, out, err) = doisoat(&["export", "--export", file.to_str().unwrap(), "--rows", "1"]);
    assert!(ok, "{err}");
    for expected in [
        "format:      delimited text (CSV/TSV)",
        "encoding:    UTF-8 with BOM",
        "separator:   ';'",
        "header row:  1 (0 title row(s) skipped)",
        "B \"Họ đệm\"",
        "-> family_middle_name",
        "unmapped:    [\"Quốc tịch\"]",
        "rows:        2 (0 warning(s) on 0 row(s))",
        "NameAndDob \"Lê Thị Hồng 07/11/2000\" on lines [1, 2]",
        "line    1 (row    2): stt=\"1\" name=\"Lê Thị Hồng\" dob=\"07/11/2000\" diploma_no=\"B0012345\"",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    assert!(
        !out.contains("line    2 (row    3)"),
        "--rows 1 shows one row"
    );
}

#[test]
fn columns_file_and_errors_reach_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("odd.csv");
    std::fs::write(&file, "HS,NS\nNguyễn Văn An,05/03/2000\n").unwrap();
    let (ok, _, err) = doisoat(&["export", "--export", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("odd.csv: no header row found"), "{err}");

    let columns = dir.path().join("columns.toml");
    std::fs::write(&columns, "[columns]\nHS = \"name\"\nNS = \"dob\"\n").unwrap();
    let (ok, out, err) = doisoat(&[
        "export",
        "--export",
        file.to_str().unwrap(),
        "--columns",
        columns.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("-> name (--columns)"), "{out}");
    assert!(out.contains("dob=\"05/03/2000\""), "{out}");
}
