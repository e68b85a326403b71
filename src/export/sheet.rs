//! Spreadsheets (`.xlsx`, `.xls`, `.ods`) → grid rows, through calamine.

use std::io::Cursor;

use calamine::{Data, Ods, Reader, Sheets, Xls, Xlsx};

use super::{Cell, Format};
use crate::fields::Date;

/// One worksheet as grid rows; row `i` is the spreadsheet's row `first_row + i`.
pub(crate) struct SheetGrid {
    pub name: String,
    pub first_row: u32,
    pub rows: Vec<Vec<Cell>>,
}

/// Opens a workbook held in memory.
pub(crate) fn open(format: Format, bytes: Vec<u8>) -> Result<Sheets<Cursor<Vec<u8>>>, String> {
    let cursor = Cursor::new(bytes);
    match format {
        Format::Xls => calamine::open_workbook_from_rs::<Xls<_>, _>(cursor)
            .map(Sheets::Xls)
            .map_err(|e| e.to_string()),
        Format::Ods => calamine::open_workbook_from_rs::<Ods<_>, _>(cursor)
            .map(Sheets::Ods)
            .map_err(|e| e.to_string()),
        _ => calamine::open_workbook_from_rs::<Xlsx<_>, _>(cursor)
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string()),
    }
}

fn cell(data: Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s),
        Data::Int(i) => Cell::Number(i as f64),
        Data::Float(f) => Cell::Number(f),
        Data::Bool(b) => Cell::Text(if b { "TRUE" } else { "FALSE" }.to_string()),
        Data::Error(e) => Cell::Text(e.to_string()),
        Data::DateTime(dt) => {
            // Through calamine's own conversion, which knows the workbook's 1900/1904 epoch.
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match Date::new(y, m, d) {
                Some(date) if dt.is_datetime() => Cell::Date(date),
                _ => Cell::Number(dt.as_f64()),
            }
        }
    }
}

/// Reads the named sheets in workbook order.
pub(crate) fn read(
    book: &mut Sheets<Cursor<Vec<u8>>>,
    names: &[String],
) -> Result<Vec<SheetGrid>, (String, String)> {
    names
        .iter()
        .map(|name| {
            let range = book
                .worksheet_range(name)
                .map_err(|e| (name.clone(), e.to_string()))?;
            let first_row = range.start().map_or(1, |(r, _)| r + 1);
            let first_col = range.start().map_or(0, |(_, c)| c as usize);
            let width = range.width();
            let rows = range
                .rows()
                .map(|r| {
                    // Cells left of the used range are empty, so column indices stay the sheet's.
                    let mut row = Vec::with_capacity(first_col + width);
                    row.resize_with(first_col, || Cell::Empty);
                    row.extend(r.iter().cloned().map(cell));
                    row
                })
                .collect();
            Ok(SheetGrid {
                name: name.clone(),
                first_row,
                rows,
            })
        })
        .collect()
}
