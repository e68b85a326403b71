//! Grid row → typed [`DbRow`], through the shared parsers; and duplicates among the rows.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::headers::{DobSource, NameSource, Plan};
use super::Cell;
use crate::fields::{Date, Field, FieldError};
use crate::rows::{DbRow, Record};

/// Five digits in a text date column are an Excel serial written out as text (a date column
/// formatted as "General" before saving as CSV): 10000 is 1927, 99999 is 2173.
fn serial_in_text(s: &str) -> Option<Date> {
    (s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse::<f64>().ok())
        .flatten()
        .and_then(Date::from_excel_serial)
}

/// Drops a midnight time some systems append to dates (`2000-03-05 00:00:00`, `...T00:00:00`).
fn without_time(s: &str) -> &str {
    match s.rsplit_once([' ', 'T']) {
        Some((date, time))
            if time.contains(':') && time.chars().all(|c| c.is_ascii_digit() || c == ':') =>
        {
            date.trim_end()
        }
        _ => s,
    }
}

fn dob_from_number(n: f64) -> Option<Date> {
    if n.fract() == 0.0 && (1900.0..=2099.0).contains(&n) {
        Date::year_only(n as u16)
    } else {
        Date::from_excel_serial(n)
    }
}

/// A row being typed: values, the texts they came from, and what was wrong.
#[derive(Default)]
struct Typed {
    record: Record,
    raw: BTreeMap<Field, String>,
    warnings: Vec<String>,
}

impl Typed {
    /// Parses `value` as `field` with the shared parsers; an unparseable value becomes a warning.
    fn set(&mut self, field: Field, value: String) {
        if let Err(e) = self.record.set_from_text(field, &value) {
            if e != FieldError::Empty {
                self.warnings.push(e.to_string());
            }
        }
        self.raw.insert(field, value);
    }

    fn set_dob(&mut self, cell: Option<&Cell>) {
        match cell {
            Some(Cell::Date(d)) => {
                self.record.dob = Some(*d);
                self.raw.insert(Field::Dob, d.to_vn());
            }
            Some(Cell::Number(n)) => {
                let shown = super::number_text(*n);
                match dob_from_number(*n) {
                    Some(d) => self.record.dob = Some(d),
                    None => self
                        .warnings
                        .push(format!("{} {shown:?} is not a date", Field::Dob)),
                }
                self.raw.insert(Field::Dob, shown);
            }
            Some(Cell::Text(s)) if !s.is_empty() => {
                match serial_in_text(s) {
                    Some(d) => self.record.dob = Some(d),
                    None => self.set(Field::Dob, without_time(s).to_string()),
                }
                self.raw.insert(Field::Dob, s.clone());
            }
            _ => {}
        }
    }
}

/// Types one grid row; `None` when the row is blank (only a row number, or nothing).
pub(crate) fn row(line: u32, physical_row: u32, cells: &[Cell], plan: &Plan) -> Option<DbRow> {
    let stt_col = plan
        .fields
        .iter()
        .find(|(f, _)| *f == Field::Stt)
        .map(|(_, c)| *c);
    let blank = cells
        .iter()
        .enumerate()
        .all(|(i, c)| Some(i) == stt_col || c.text().is_none());
    if blank {
        return None;
    }
    let text = |i: usize| cells.get(i).and_then(Cell::text);
    let mut typed = Typed::default();

    let name = match &plan.name {
        NameSource::Column(i) => text(*i),
        NameSource::Parts(cols) => {
            let parts: Vec<String> = cols.iter().filter_map(|&i| text(i)).collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        }
    };
    match name {
        Some(name) => typed.set(Field::Name, name),
        None => typed.warnings.push(format!("{}: empty", Field::Name)),
    }

    match &plan.dob {
        Some(DobSource::Column(i)) => typed.set_dob(cells.get(*i)),
        Some(DobSource::Parts { day, month, year }) => {
            let parts = [text(*day), text(*month), text(*year)];
            if parts.iter().any(Option::is_some) {
                typed.set(Field::Dob, parts.map(Option::unwrap_or_default).join("/"));
            }
        }
        Some(DobSource::Year(i)) => {
            if let Some(y) = text(*i) {
                typed.set(Field::Dob, y);
            }
        }
        None => {}
    }

    for &(field, i) in &plan.fields {
        if let Some(value) = text(i) {
            typed.set(field, value);
        }
    }
    let extra = plan
        .extras
        .iter()
        .filter_map(|&(e, i)| text(i).map(|v| (e.as_str().to_string(), v)))
        .collect();
    Some(DbRow {
        line,
        physical_row,
        record: typed.record,
        raw: typed.raw,
        extra,
        warnings: typed.warnings,
    })
}

/// What two rows share that should be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateKind {
    /// The same diploma number.
    DiplomaNo,
    /// The same name (equivalent spelling) and date of birth.
    NameAndDob,
}

/// Rows of the export that share a diploma number, or a name and date of birth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// What is shared.
    pub kind: DuplicateKind,
    /// The shared value as a person reads it (`B1234567`, `Nguyễn Văn An 05/03/2000`).
    pub value: String,
    /// The rows' [`DbRow::line`]s, ascending.
    pub lines: Vec<u32>,
}

/// Groups of two or more rows sharing a diploma number or a name + date of birth, ordered by
/// their first line.
pub(crate) fn duplicates(rows: &[DbRow]) -> Vec<Duplicate> {
    let mut groups: HashMap<(DuplicateKind, String), (String, Vec<u32>)> = HashMap::new();
    for row in rows {
        let r = &row.record;
        if let Some(no) = &r.diploma_no {
            let shown = no.to_string();
            groups
                .entry((DuplicateKind::DiplomaNo, shown.clone()))
                .or_insert_with(|| (shown, Vec::new()))
                .1
                .push(row.line);
        }
        if let (Some(name), Some(dob)) = (&r.name, r.dob) {
            groups
                .entry((
                    DuplicateKind::NameAndDob,
                    format!("{}|{}", name.key(), dob.to_iso()),
                ))
                .or_insert_with(|| (format!("{name} {}", dob.to_vn()), Vec::new()))
                .1
                .push(row.line);
        }
    }
    let mut out: Vec<Duplicate> = groups
        .into_iter()
        .filter(|(_, (_, lines))| lines.len() > 1)
        .map(|((kind, _), (value, lines))| Duplicate { kind, value, lines })
        .collect();
    out.sort_by(|a, b| (a.lines[0], a.kind as u8).cmp(&(b.lines[0], b.kind as u8)));
    out
}
