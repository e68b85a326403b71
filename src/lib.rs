//! doisoat reconciles ("đối soát") scanned Vietnamese diploma registers (Sổ gốc cấp bằng tốt nghiệp
//! THPT) with the K12Online database export, and writes the discrepancies people must verify.
//!
//! # Shared types
//! - [`text`]: Vietnamese normalisation (NFC, `Ð`→`Đ`, spaces, tone placement) and comparison keys.
//! - [`fields`]: typed values (`Date`, `DiplomaNo`, `PersonName` …) and their parsers.
//! - [`rows`]: [`rows::ScanRow`] (from scans), [`rows::DbRow`] (from the export), both carrying a
//!   typed [`rows::Record`].
//!
//! # Stages, in pipeline order
//! - [`input`]: scan discovery: `--scans` paths → register PDFs ordered by book and page range.
//! - [`raster`]: PDF pages → [`raster::PageImage`]s (embedded JPEG decoded, else rendered).
//! - [`layout`]: page → upright, deskewed [`layout::PageLayout`]: ruled grid, marks, column kinds.
//! - [`ocr`]: laid-out page → text and confidence per cell ([`ocr::PageText`]).
//! - [`normalize`]: the fields stage: cell texts → typed [`rows::ScanRow`]s with confidences.
//! - [`export`]: the K12Online export (CSV/TSV/XLSX/XLS, any encoding) → [`rows::DbRow`]s.
//! - [`matching`]: scan rows + database rows → pairs and discrepancies, with explanations.
//! - [`report`]: writes `report.json`, `discrepancies.csv`, `rows.csv` and `summary.txt`.
//!
//! # Running them
//! - [`pipeline`]: the run: page jobs on isolated workers (panics, timeouts), cache, header
//!   inheritance, progress events; `pipeline::run::run_match` is the whole job.
//! - [`cache`]: per-page result cache keyed by content hash (resume), atomic file writes.
//! - [`deps`]: finds libpdfium and Tesseract's Vietnamese models; `doisoat doctor` reports them.

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
