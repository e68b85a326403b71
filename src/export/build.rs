//! Grid row → typed [`DbRow`], through the shared parsers; and duplicates among the rows.

use std::collections::hash_map::{Entry, HashMap};
use std::collections::BTreeMap;
use std::hash::Hash;

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

    fn set_dob(&mut self, cell: Cell) {
        match cell {
            Cell::Date(d) => {
                self.record.dob = Some(d);
                self.raw.insert(Field::Dob, d.to_vn());
            }
            Cell::Number(n) => {
                let shown = super::number_text(n);
                match dob_from_number(n) {
                    Some(d) => self.record.dob = Some(d),
                    None => self
                        .warnings
                        .push(format!("{} {shown:?} is not a date", Field::Dob)),
                }
                self.raw.insert(Field::Dob, shown);
            }
            Cell::Text(s) if !s.is_empty() => {
                match serial_in_text(&s) {
                    Some(d) => self.record.dob = Some(d),
                    None => self.set(Field::Dob, without_time(&s).to_string()),
                }
                self.raw.insert(Field::Dob, s);
            }
            Cell::Text(_) | Cell::Empty => {}
        }
    }
}

/// Types one grid row; `None` when the row is blank (only a row number, or nothing).
pub(crate) fn row(
    line: u32,
    physical_row: u32,
    mut cells: Vec<Cell>,
    plan: &Plan,
) -> Option<DbRow> {
    let stt_col = plan
        .fields
        .iter()
        .find(|(f, _)| *f == Field::Stt)
        .map(|(_, c)| *c);
    let blank = cells
        .iter()
        .enumerate()
        .all(|(i, c)| Some(i) == stt_col || c.is_empty());
    if blank {
        return None;
    }
    // Each column is read once, so its string moves into the row instead of being copied.
    let mut take = |i: usize| cells.get_mut(i).map(std::mem::take).unwrap_or_default();
    let mut typed = Typed::default();

    let name = match &plan.name {
        NameSource::Column(i) => take(*i).into_text(),
        NameSource::Parts(cols) => {
            let parts: Vec<String> = cols.iter().filter_map(|&i| take(i).into_text()).collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        }
    };
    match name {
        Some(name) => typed.set(Field::Name, name),
        None => typed.warnings.push(format!("{}: empty", Field::Name)),
    }

    match &plan.dob {
        Some(DobSource::Column(i)) => typed.set_dob(take(*i)),
        Some(DobSource::Parts { day, month, year }) => {
            let parts = [*day, *month, *year].map(|i| take(i).into_text());
            if parts.iter().any(Option::is_some) {
                typed.set(Field::Dob, parts.map(Option::unwrap_or_default).join("/"));
            }
        }
        Some(DobSource::Year(i)) => {
            if let Some(y) = take(*i).into_text() {
                typed.set(Field::Dob, y);
            }
        }
        None => {}
    }

    for &(field, i) in &plan.fields {
        if let Some(value) = take(i).into_text() {
            typed.set(field, value);
        }
    }
    let extra = plan
        .extras
        .iter()
        .filter_map(|&(e, i)| take(i).into_text().map(|v| (e, v)))
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
/// their first line. Keys borrow from the rows; the two kinds are grouped side by side.
pub(crate) fn duplicates(rows: &[DbRow]) -> Vec<Duplicate> {
    let (by_diploma, by_person) = rayon::join(
        || {
            shared(
                rows.len(),
                rows.iter()
                    .enumerate()
                    .filter_map(|(i, r)| Some((r.record.diploma_no.as_ref()?, i))),
            )
        },
        || {
            shared(
                rows.len(),
                rows.iter().enumerate().filter_map(|(i, r)| {
                    let person = (r.record.name.as_ref()?.key(), r.record.dob?);
                    Some((person, i))
                }),
            )
        },
    );
    let lines = |group: &[usize]| group.iter().map(|&i| rows[i].line).collect();
    let mut out: Vec<Duplicate> = by_diploma
        .iter()
        .map(|group| {
            let no = rows[group[0]].record.diploma_no.as_ref();
            Duplicate {
                kind: DuplicateKind::DiplomaNo,
                value: no.expect("grouped rows have diploma numbers").to_string(),
                lines: lines(group),
            }
        })
        .chain(by_person.iter().map(|group| {
            let first = &rows[group[0]].record;
            let name = first.name.as_ref().expect("grouped rows have names");
            let dob = first.dob.expect("grouped rows have dates of birth");
            Duplicate {
                kind: DuplicateKind::NameAndDob,
                value: format!("{name} {}", dob.to_vn()),
                lines: lines(group),
            }
        }))
        .collect();
    out.sort_by_key(|d| (d.lines[0], d.kind as u8));
    out
}

/// Indices of the items that share a key with another, grouped, each group ascending; `count`
/// bounds the number of items. Hashed rather than sorted: sorting a 200,000-row export's keys
/// spent most of its time comparing the common prefixes of names.
fn shared<K: Hash + Eq>(count: usize, keyed: impl Iterator<Item = (K, usize)>) -> Vec<Vec<usize>> {
    let mut seen: HashMap<K, (usize, Option<usize>)> = HashMap::with_capacity(count);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (key, i) in keyed {
        match seen.entry(key) {
            Entry::Vacant(v) => {
                v.insert((i, None));
            }
            Entry::Occupied(mut o) => match o.get_mut() {
                (_, Some(g)) => groups[*g].push(i),
                (first, group @ None) => {
                    *group = Some(groups.len());
                    groups.push(vec![*first, i]);
                }
            },
        }
    }
    groups
}
