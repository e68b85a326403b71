//! `--page-timeout`: a page that takes too long is recorded as failed with its file, page and
//! reason, and the run goes on to the next page.

use std::path::PathBuf;
use std::time::Duration;

use doisoat::input::discover;
use doisoat::pipeline::scan::{read_scans, ScanParams};
use doisoat::pipeline::Silent;

#[test]
fn pages_past_the_timeout_fail_alone_with_their_file_page_and_reason() {
    let first_book = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join("2018_Sổ cấp bằng tốt nghiệp_THPT Nguyễn Trãi_T01_T04.pdf");
    let files = discover(&[first_book]).unwrap();
    let mut params = ScanParams::default();
    params.executor.workers = 1;
    // No real page is read in a millisecond, so every page runs past its deadline.
    params.executor.timeout = Duration::from_millis(1);
    let outcome = read_scans(&files, &params, None, &Silent);
    assert!(outcome.rows.is_empty());
    assert_eq!(outcome.pages, 4);
    let failed: Vec<(String, Option<u32>)> = outcome
        .failures
        .iter()
        .map(|f| (f.file.clone(), f.page))
        .collect();
    let name = files[0].file_name();
    assert_eq!(
        failed,
        (1..=4).map(|p| (name.clone(), Some(p))).collect::<Vec<_>>()
    );
    for f in &outcome.failures {
        assert!(f.error.contains("--page-timeout"), "{f}");
    }
}
