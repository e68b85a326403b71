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
//! - [`matching`]: pairs paper rows with database rows and lists the discrepancies.
//! - [`report`]: writes `report.json`, `discrepancies.csv`, `rows.csv` and `summary.txt`.
//!

pub mod fields;
pub mod matching;
pub mod report;
pub mod rows;
pub mod text;
