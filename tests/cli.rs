//! Behaviour of the `doisoat` binary, one test per behaviour (the library is tested directly
//! elsewhere).

use std::process::{Command, Output};

/// Runs the doisoat binary built for these tests with `args`, from the crate root.
fn doisoat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_doisoat"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DOISOAT_PDFIUM")
        .env_remove("DOISOAT_TESSDATA")
        .output()
        .expect("the doisoat binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn doctor_passes_when_setup_has_installed_everything() {
    let out = doisoat(&["doctor"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("libpdfium"), "{text}");
    assert!(text.contains("chromium/8149"), "{text}");
    assert!(text.contains("vie.traineddata"), "{text}");
}

#[test]
fn doctor_fails_with_the_fix_when_libpdfium_is_missing() {
    let out = doisoat(&["doctor", "--pdfium", "/nonexistent/libpdfium.so"]);
    assert_eq!(out.status.code(), Some(3));
    let text = stdout(&out);
    assert!(text.contains("MISSING libpdfium"), "{text}");
    assert!(text.contains("bash scripts/setup.sh"), "{text}");
}

#[test]
fn doctor_fails_when_the_tessdata_folder_has_no_vietnamese_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = doisoat(&["doctor", "--tessdata", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stdout(&out).contains("vie.traineddata"));
}

#[test]
fn bad_arguments_exit_with_code_2() {
    let out = doisoat(&["doctor", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

fn sample(name: &str) -> String {
    format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"))
}

const FIRST_PDF: &str = "2018_Sổ cấp bằng tốt nghiệp_THPT Nguyễn Trãi_T01_T04.pdf";

#[test]
fn match_stops_with_code_4_on_an_unreadable_export_before_reading_scans() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    std::fs::write(&export, "Cột A,Cột B\n1,2\n").unwrap();
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    let o = doisoat(&[
        "match",
        "--scans",
        &sample(FIRST_PDF),
        "--export",
        &export.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("export.csv"));
    assert!(
        started.elapsed().as_secs() < 20,
        "the scans were read first"
    );
}

#[test]
fn an_unwritable_output_folder_is_refused_with_code_6() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let o = doisoat(&[
        "ocr",
        "--scans",
        &sample(FIRST_PDF),
        "--out",
        &blocker.join("out").display().to_string(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_corrupt_pdf_among_good_ones_fails_alone_and_the_run_exits_5() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir(&scans).unwrap();
    std::fs::copy(sample(FIRST_PDF), scans.join(FIRST_PDF)).unwrap();
    std::fs::write(
        scans.join("2018_Sổ cấp bằng tốt nghiệp_THPT Nguyễn Trãi_T05_T08.pdf"),
        b"%PDF-1.4 broken",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = doisoat(&[
        "ocr",
        "--scans",
        &scans.display().to_string(),
        "--out",
        &out.display().to_string(),
        "--jobs",
        "2",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("T05_T08.pdf"), "{stderr}");
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("rows.json")).unwrap()).unwrap();
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample("truth.json")).unwrap()).unwrap();
    let expected = truth["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["file"] == FIRST_PDF)
        .count();
    assert_eq!(
        rows["rows"].as_array().unwrap().len(),
        expected,
        "the good PDF's rows are all there"
    );
    assert_eq!(rows["failures"].as_array().unwrap().len(), 1);
}

#[test]
fn a_second_run_reuses_every_cached_page_and_writes_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let run = |out: &str| {
        let out = dir.path().join(out);
        let o = doisoat(&[
            "ocr",
            "--scans",
            &sample(FIRST_PDF),
            "--out",
            &out.display().to_string(),
            "--cache",
            &cache.display().to_string(),
            "-v",
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        (
            String::from_utf8_lossy(&o.stderr).into_owned(),
            std::fs::read(out.join("rows.json")).unwrap(),
        )
    };
    let (first_log, first) = run("first");
    let (second_log, second) = run("second");
    assert!(!first_log.contains("(cache)"), "{first_log}");
    assert_eq!(second_log.matches("(cache)").count(), 4, "{second_log}");
    assert_eq!(first, second);
}

#[test]
fn a_dry_run_lists_files_pages_and_years_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = doisoat(&[
        "match",
        "--scans",
        &sample(""),
        "--export",
        &sample("export.xlsx"),
        "--out",
        &out.display().to_string(),
        "--dry-run",
        "--jobs",
        "1",
    ]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("export.xlsx (153 rows)"), "{text}");
    assert!(
        text.contains(
            "    4 pages  2018_Sổ cấp bằng tốt nghiệp_THPT Nguyễn Trãi_T05_T08.pdf  [2018 |"
        ),
        "{text}"
    );
    assert!(
        text.contains("2 file(s), 8 page(s); estimated 0 h 00 min with 1 job(s)"),
        "{text}"
    );
    assert!(!out.exists());
}
