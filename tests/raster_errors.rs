//! Bad PDFs are refused with an error that names the file and says what is wrong, and a page
//! without a table fails alone, named by file and page.

use std::path::{Path, PathBuf};

use doisoat::input::discover;
use doisoat::pipeline::scan::{read_scans, ScanParams};
use doisoat::pipeline::Silent;
use doisoat::raster::{Raster, RasterError, RasterParams};

/// A PDF made of `objects` (numbered from 1, object 1 the catalog) with a correct cross-reference
/// table, and `trailer_extra` added to the trailer dictionary.
fn pdf(objects: &[&str], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

const CATALOG: &str = "<< /Type /Catalog /Pages 2 0 R >>";

fn blank_page_pdf() -> Vec<u8> {
    pdf(
        &[
            CATALOG,
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] >>",
        ],
        "",
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn open(path: &Path) -> Result<usize, RasterError> {
    Raster::new(RasterParams::default())
        .unwrap()
        .open(path)
        .map(|d| d.page_count())
}

#[test]
fn a_file_that_is_not_a_pdf_is_named_and_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "2018_Sổ_A_T01_T02.pdf",
        b"PK\x03\x04 a zip, not a PDF",
    );
    let err = open(&path).unwrap_err();
    assert!(matches!(err, RasterError::NotPdf { .. }), "{err:?}");
    assert!(err.to_string().contains("2018_Sổ_A_T01_T02.pdf"));
}

#[test]
fn an_empty_file_is_named_and_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.pdf", b"");
    let err = open(&path).unwrap_err();
    assert!(matches!(err, RasterError::Empty { .. }), "{err:?}");
    assert!(err.to_string().contains("empty.pdf"), "{err}");
}

#[test]
fn a_pdf_without_pages_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = pdf(&[CATALOG, "<< /Type /Pages /Kids [] /Count 0 >>"], "");
    let err = open(&write(dir.path(), "nopages.pdf", &bytes)).unwrap_err();
    assert!(err.to_string().contains("no pages"), "{err}");
}

#[test]
fn a_password_protected_pdf_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // Standard security handler whose /U does not match the empty user password.
    let enc = format!(
        "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <{o}> /U <{u}> >>",
        o = "11".repeat(32),
        u = "22".repeat(32)
    );
    let mut objects = vec![
        CATALOG,
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] >>",
    ];
    objects.push(&enc);
    let bytes = pdf(
        &objects,
        "/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
    );
    let err = open(&write(dir.path(), "locked.pdf", &bytes)).unwrap_err();
    assert!(matches!(err, RasterError::Encrypted { .. }), "{err:?}");
    assert!(err.to_string().contains("locked.pdf"));
}

#[test]
fn a_truncated_pdf_is_reported_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = blank_page_pdf();
    let err = open(&write(dir.path(), "cut.pdf", &bytes[..40])).unwrap_err();
    assert!(matches!(err, RasterError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("cut.pdf"));
}

#[test]
fn a_page_without_a_table_fails_alone_named_by_file_and_page() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "2018_Sổ_A_T01_T01.pdf", &blank_page_pdf());
    let files = discover(&[dir.path().to_path_buf()]).unwrap();
    let outcome = read_scans(&files, &ScanParams::default(), None, &Silent);
    assert!(outcome.rows.is_empty());
    assert_eq!(outcome.failures.len(), 1, "{:?}", outcome.failures);
    let failure = &outcome.failures[0];
    assert_eq!(failure.file, "2018_Sổ_A_T01_T01.pdf");
    assert_eq!(failure.page, Some(1));
    assert!(failure.error.contains("table"), "{}", failure.error);
}
