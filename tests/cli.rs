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
