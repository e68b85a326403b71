//! Spreadsheets (`.xlsx`, `.xls`, `.ods`) → grid rows, through calamine.

use std::io::Cursor;

use calamine::{Data, DataRef, Ods, Range, Reader, Sheets, Xls, Xlsx, XlsxError};

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
        Data::DateTimeIso(s) => iso_date(&s).map_or(Cell::Text(s), Cell::Date),
        Data::String(s) | Data::DurationIso(s) => Cell::Text(s),
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

/// The date of an OpenDocument date cell (`2000-03-05`, `2000-03-05T00:00:00`), which calamine
/// hands over as ISO text: a date cell, as in Excel, not a text date. The time is dropped as it
/// is for Excel date cells.
fn iso_date(s: &str) -> Option<Date> {
    let date = s.split_once('T').map_or(s, |(date, _)| date);
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Reads the named sheets in workbook order.
pub(crate) fn read(
    book: &mut Sheets<Cursor<Vec<u8>>>,
    names: &[String],
) -> Result<Vec<SheetGrid>, (String, String)> {
    names
        .iter()
        .map(|name| {
            let (first_row, rows) = match book {
                Sheets::Xlsx(xlsx) => xlsx_rows(xlsx, name).map_err(|e| e.to_string()),
                _ => book
                    .worksheet_range(name)
                    .map(range_rows)
                    .map_err(|e| e.to_string()),
            }
            .map_err(|e| (name.clone(), e))?;
            Ok(SheetGrid {
                name: name.clone(),
                first_row,
                rows,
            })
        })
        .collect()
}

/// The first used row (1-based) and the rows from there to the last used one. Cells left of the
/// used range are empty, so column indices stay the sheet's; every row is as wide as the widest.
fn range_rows(range: Range<Data>) -> (u32, Vec<Vec<Cell>>) {
    let first_row = range.start().map_or(1, |(r, _)| r + 1);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let width = range.width();
    let rows = range
        .rows()
        .map(|r| {
            let mut row = Vec::with_capacity(first_col + width);
            row.resize_with(first_col, || Cell::Empty);
            row.extend(r.iter().cloned().map(cell));
            row
        })
        .collect();
    (first_row, rows)
}

/// [`range_rows`] for `.xlsx`, streamed from the sheet's XML: going through calamine's `Range`
/// converted and copied every cell twice, a third of the time spent on a 200,000-row workbook.
fn xlsx_rows(
    book: &mut Xlsx<Cursor<Vec<u8>>>,
    name: &str,
) -> Result<(u32, Vec<Vec<Cell>>), XlsxError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet: no cells, as calamine's own range reader has it.
        Err(XlsxError::NotAWorksheet(_)) => return Ok((1, Vec::new())),
        Err(e) => return Err(e),
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut first: Option<usize> = None;
    let mut width = 0;
    while let Some(c) = reader.next_cell()? {
        if *c.get_value() == DataRef::Empty {
            continue;
        }
        let (r, col) = c.get_position();
        let (r, col) = (r as usize, col as usize);
        first = Some(first.map_or(r, |f| f.min(r)));
        if rows.len() <= r {
            // Rows come in order and are mostly as wide as the ones before.
            rows.resize_with(r + 1, || Vec::with_capacity(width));
        }
        let row = &mut rows[r];
        if row.len() <= col {
            row.resize_with(col + 1, || Cell::Empty);
        }
        width = width.max(col + 1);
        row[col] = cell(c.get_value().clone().into());
    }
    let first = first.unwrap_or(rows.len());
    rows.drain(..first);
    for row in &mut rows {
        row.resize_with(width, || Cell::Empty);
    }
    Ok((first as u32 + 1, rows))
}
