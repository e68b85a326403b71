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

/// The pages a run log says were read (not taken from the cache), one entry per log line.
fn pages_read(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.ends_with("rows read"))
        .filter_map(|l| l.split_once(' ').map(|(_, rest)| rest.to_string()))
        .collect()
}

#[test]
fn a_run_killed_mid_way_resumes_without_rereading_finished_pages_and_writes_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args = |out: &std::path::Path, cache: bool| {
        let mut args = vec![
            "ocr".to_string(),
            "--scans".into(),
            sample(FIRST_PDF),
            "--out".into(),
            out.display().to_string(),
            "--jobs".into(),
            "1".into(),
            "-v".into(),
        ];
        if !cache {
            args.push("--no-cache".into());
        }
        args
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_doisoat"))
        .args(args(&out, true))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    let log = || std::fs::read_to_string(out.join("doisoat.log")).unwrap_or_default();
    while pages_read(&log()).len() < 2 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        assert!(std::time::Instant::now() < deadline, "no page finished");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let finished = pages_read(&log()).len();
    assert!(
        !out.join("rows.json").exists(),
        "a killed run writes no result"
    );

    let argv = args(&out, true);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let resumed = doisoat(&argv);
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert_eq!(resumed.status.code(), Some(0), "{stderr}");
    let from_cache = stderr.matches("rows from the cache").count();
    assert!(
        from_cache >= finished,
        "{finished} pages were done:\n{stderr}"
    );
    let log = log();
    assert_eq!(log.matches("run started").count(), 2, "{log}");
    let read = pages_read(&log);
    assert_eq!(read.len() + from_cache, 4 + finished, "{log}");
    let mut distinct = read.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), read.len(), "a page was read twice:\n{log}");

    let clean = dir.path().join("clean");
    let argv = args(&clean, false);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    assert_eq!(doisoat(&argv).status.code(), Some(0));
    assert_eq!(
        std::fs::read(out.join("rows.json")).unwrap(),
        std::fs::read(clean.join("rows.json")).unwrap(),
        "the resumed run wrote what an uninterrupted run writes"
    );
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

/// Runs `doisoat match` over a tree `scans/2017/…`, `scans/2018/…` holding the first sample PDF
/// under each year's name, with `export` from the samples and `extra` arguments; returns the
/// output and the output folder.
fn match_two_years(
    dir: &std::path::Path,
    export: &str,
    extra: &[&str],
) -> (Output, std::path::PathBuf) {
    let scans = dir.join("scans");
    for year in ["2017", "2018"] {
        let folder = scans.join(year);
        std::fs::create_dir_all(&folder).unwrap();
        let name = FIRST_PDF.replacen("2018", year, 1);
        std::fs::copy(sample(FIRST_PDF), folder.join(name)).unwrap();
    }
    let out = dir.join("out");
    let (scans, export, out_arg) = (
        scans.display().to_string(),
        sample(export),
        out.display().to_string(),
    );
    let mut args = vec![
        "match", "--scans", &scans, "--export", &export, "--out", &out_arg,
    ];
    args.extend_from_slice(extra);
    (doisoat(&args), out)
}

#[test]
fn a_dry_run_over_two_years_lists_one_report_per_year_with_its_export_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = match_two_years(dir.path(), "export_utf8.csv", &["--dry-run"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("2017_THPT Nguyễn Trãi: 1 file(s), 0 export rows"),
        "{text}"
    );
    assert!(
        text.contains("2018_THPT Nguyễn Trãi: 1 file(s), 153 export rows"),
        "{text}"
    );
    assert!(!out.exists(), "a dry run writes nothing");
}

#[test]
fn two_years_with_an_export_that_has_no_year_column_are_refused_before_any_page() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = match_two_years(dir.path(), "export_utf16.txt", &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("2017, 2018"), "{stderr}");
    assert!(stderr.contains("Năm tốt nghiệp"), "{stderr}");
    assert!(!stderr.contains("page(s) to read"), "{stderr}");
    assert!(!out.join("2018_THPT Nguyễn Trãi").exists());
}

#[test]
fn scans_of_two_years_get_one_report_each_against_that_years_export_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = match_two_years(dir.path(), "export_utf8.csv", &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let report = |year: &str| -> serde_json::Value {
        let path = out
            .join(format!("{year}_THPT Nguyễn Trãi"))
            .join("report.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    // Every export row says 2018: the 2017 register has none of its rows in the database.
    let (y2017, y2018) = (report("2017"), report("2018"));
    let paper_rows = y2017["rows"].as_array().unwrap().len();
    assert!(paper_rows > 0);
    assert_eq!(y2017["summary"]["db_lines"], 0, "{}", y2017["summary"]);
    assert_eq!(
        y2017["summary"]["counts"]["missing_in_db"], paper_rows,
        "{}",
        y2017["summary"]
    );
    assert_eq!(y2018["summary"]["db_lines"], 153, "{}", y2018["summary"]);
    assert!(!out.join("report.json").exists());
}
