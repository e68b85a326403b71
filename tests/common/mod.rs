//! Helpers shared by the export tests.
#![allow(dead_code)] // each test crate uses its own subset of these helpers

use std::path::Path;

use doisoat::export::{read_export_bytes, Export, ExportError, ExportParams};
use doisoat::fields::Field;
use doisoat::rows::DbRow;

/// Reads an in-memory export named `name` with default parameters, panicking with the error.
pub fn read(name: &str, bytes: &[u8]) -> Export {
    read_with(name, bytes, &ExportParams::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Reads an in-memory export named `name`.
pub fn read_with(name: &str, bytes: &[u8], params: &ExportParams) -> Result<Export, ExportError> {
    read_export_bytes(Path::new(name), bytes, params)
}

/// The error message of a read that must fail.
pub fn error(name: &str, bytes: &[u8], params: &ExportParams) -> String {
    match read_with(name, bytes, params) {
        Ok(e) => panic!("expected an error, read {} rows", e.rows.len()),
        Err(e) => e.to_string(),
    }
}

/// Header → target name, in column order.
pub fn mapping(export: &Export) -> Vec<(String, String)> {
    export
        .detected
        .columns
        .iter()
        .map(|c| (c.header.clone(), c.target.to_string()))
        .collect()
}

/// `(header, target)` pairs from string literals.
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(h, t)| (h.to_string(), t.to_string()))
        .collect()
}

/// A row's field as a person reads it.
pub fn value(row: &DbRow, field: Field) -> Option<String> {
    row.record.display(field)
}

/// The row with this `line`.
pub fn line(export: &Export, line: u32) -> &DbRow {
    export
        .rows
        .iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no row with line {line}"))
}

/// The text encoded as UTF-16 little-endian with a BOM (Excel's "Unicode text").
pub fn utf16le_bom(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

/// Each row's (line, physical row, date of birth as ISO), to check numbering and dates together.
pub fn dobs(export: &Export) -> Vec<(u32, u32, Option<String>)> {
    export
        .rows
        .iter()
        .map(|r| (r.line, r.physical_row, r.record.dob.map(|d| d.to_iso())))
        .collect()
}

/// [`dobs`] of the spreadsheet fixtures: a date cell, a text date and an Excel serial for the same
/// day or not, below two title rows and a blank row; line 4 is blank, line 5 an impossible date.
pub fn spreadsheet_fixture_dobs() -> Vec<(u32, u32, Option<String>)> {
    vec![
        (1, 5, Some("2000-03-05".to_string())),
        (2, 6, Some("2000-08-17".to_string())),
        (3, 7, Some("2000-03-05".to_string())),
        (5, 9, None),
    ]
}
