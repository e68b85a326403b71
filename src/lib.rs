//! doisoat reconciles ("đối soát") scanned Vietnamese diploma registers (Sổ gốc cấp bằng tốt nghiệp
//! THPT) with the K12Online database export, and writes the discrepancies people must verify.
//!
//! # Shared types
//! - [`text`]: Vietnamese normalisation (NFC, `Ð`→`Đ`, spaces, tone placement) and comparison keys.
//! - [`fields`]: typed values (`Date`, `DiplomaNo`, `PersonName` …) and their parsers.
//! - [`rows`]: [`rows::ScanRow`] (from scans), [`rows::DbRow`] (from the export), both carrying a
//!   typed [`rows::Record`].
//!
//! # Stages
//! - [`deps`]: finds libpdfium and Tesseract's Vietnamese models; `doisoat doctor` reports them.
//! - [`cache`]: per-page result cache keyed by content hash (resume), atomic file writes.
//! - [`export`]: reads the K12Online database export (CSV/TSV/XLSX/XLS, any encoding) into [`rows::DbRow`]s.
//! - [`input`]: scan discovery: `--scans` paths → register PDFs ordered by book and page range.
//! - [`normalize`]: the fields stage: recognised cell texts → typed [`rows::ScanRow`] with confidences.
//! - [`pipeline`]: the run: page jobs on isolated workers (panics, timeouts), cache, progress events.
//! - [`matching`]: pairs paper rows with database rows and lists the discrepancies.
//! - [`report`]: writes `report.json`, `discrepancies.csv`, `rows.csv` and `summary.txt`.

pub mod cache;
pub mod deps;
pub mod export;
pub mod fields;
pub mod input;
pub mod layout;
pub mod matching;
pub mod normalize;
pub mod ocr;
pub mod pipeline;
pub mod raster;
pub mod report;
pub mod rows;
pub mod text;
