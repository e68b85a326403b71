//! Runs over many registers: the scans of a tree of schools and years are split into one group per
//! school and graduation year — the unit the Department signs off (one package, one minutes per
//! year) — and each group is matched against the database rows of its own year and school.

use std::collections::BTreeMap;

use crate::input::ScanFile;
use crate::rows::{DbRow, ExtraField};
use crate::text::fold_key;

/// The scans of one school's graduation year (all its books), as their file names say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Graduation year, `None` for files whose names do not follow the convention.
    pub year: Option<u16>,
    /// School as written in the first file name of the group.
    pub school: Option<String>,
    /// The group's files, in the order they were given (book and page-range order).
    pub files: Vec<ScanFile>,
}

impl Group {
    /// Folder name for the group's report: `<Year>_<School>` as in the Department's archive names,
    /// `other` for files without a conventional name. Characters no file system takes are
    /// replaced by `_`.
    pub fn folder(&self) -> String {
        let name = match (self.year, &self.school) {
            (Some(year), Some(school)) => format!("{year}_{school}"),
            _ => "other".to_string(),
        };
        name.chars()
            .map(|c| match c {
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect()
    }
}

/// The comparison key of a school name: case and marks left out, and the words in front that
/// every school name shares (`Trường`, then `THPT` or `Trung học phổ thông`), so `Trường THPT
/// Nguyễn Trãi` in an export is the school of a file named `…_THPT Nguyễn Trãi_…`. Only the
/// front is stripped: `THPT Thống Nhất` keeps its `Thống`.
fn school_key(name: &str) -> String {
    let folded = fold_key(name);
    let mut words: &[&str] = &folded.split_whitespace().collect::<Vec<_>>();
    if words.first() == Some(&"truong") {
        words = &words[1..];
    }
    if words.starts_with(&["trung", "hoc", "pho", "thong"]) {
        words = &words[4..];
    } else if words
        .first()
        .is_some_and(|w| matches!(*w, "thpt" | "pt" | "ptth"))
    {
        words = &words[1..];
    }
    words.join(" ")
}

/// Scan files (in book order) → groups by graduation year and school, in order of first
/// appearance. Files without a conventional name form one group of their own.
pub fn group_scans(files: &[ScanFile]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: BTreeMap<(Option<u16>, Option<String>), usize> = BTreeMap::new();
    for f in files {
        let key = match &f.name {
            Some(n) => (Some(n.year), Some(school_key(&n.school))),
            None => (None, None),
        };
        let i = *index.entry(key).or_insert_with(|| {
            groups.push(Group {
                year: f.name.as_ref().map(|n| n.year),
                school: f.name.as_ref().map(|n| n.school.clone()),
                files: Vec::new(),
            });
            groups.len() - 1
        });
        groups[i].files.push(f.clone());
    }
    groups
}

/// Why the database rows cannot be divided among the groups.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// Several years (or schools) on paper, and the export has no column saying whose row is whose.
    #[error(
        "the scans cover {what}, but the export has no {column} column (or no row fills it) to \
         divide its rows by: add that column to the export, or run each {unit} with its own export"
    )]
    NoColumn {
        /// The years or schools found in the scan file names.
        what: String,
        /// The column that would be needed (`Năm tốt nghiệp`, `Trường`).
        column: &'static str,
        /// `year` or `school`.
        unit: &'static str,
    },
}

/// A row's graduation year: the last four-digit number of its `Năm tốt nghiệp` cell (so
/// `2018` and `2015-2018` both give 2018).
fn row_year(row: &DbRow) -> Option<u16> {
    let text = row.extra.get(&ExtraField::GraduationYear)?;
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse().ok())
        .next_back()
}

/// The database rows of each group (indices into `rows`, in file order), and the rows no group
/// claims (a year or school not on paper, or none given), which matching must not see as missing
/// from paper in the wrong year.
///
/// Rows are divided by year only when the groups' years differ, and by school only when their
/// schools differ, so the usual run — one school, one year — takes every row whatever the export
/// holds. A group without a conventional file name takes every row.
pub fn split_rows(
    rows: &[DbRow],
    groups: &[Group],
) -> Result<(Vec<Vec<usize>>, Vec<usize>), SplitError> {
    let distinct = |f: &dyn Fn(&Group) -> Option<String>| {
        let mut v: Vec<String> = groups.iter().filter_map(f).collect();
        v.sort();
        v.dedup();
        v
    };
    let years = distinct(&|g| g.year.map(|y| y.to_string()));
    let schools = distinct(&|g| g.school.as_deref().map(school_key));
    let by_year = years.len() > 1;
    let by_school = schools.len() > 1;
    if by_year && !rows.iter().any(|r| row_year(r).is_some()) {
        return Err(SplitError::NoColumn {
            what: format!("the graduation years {}", years.join(", ")),
            column: "Năm tốt nghiệp",
            unit: "year",
        });
    }
    let row_school = |r: &DbRow| r.extra.get(&ExtraField::School).map(|s| school_key(s));
    if by_school && !rows.iter().any(|r| row_school(r).is_some()) {
        let names: Vec<&str> = groups.iter().filter_map(|g| g.school.as_deref()).collect();
        return Err(SplitError::NoColumn {
            what: format!("the schools {}", names.join(", ")),
            column: "Trường",
            unit: "school",
        });
    }
    let mut parts = vec![Vec::new(); groups.len()];
    let mut unclaimed = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let mut claimed = false;
        for (g, group) in groups.iter().enumerate() {
            let takes = match group.year {
                None => true,
                Some(year) => {
                    (!by_year || row_year(row) == Some(year))
                        && (!by_school
                            || row_school(row) == group.school.as_deref().map(school_key))
                }
            };
            if takes {
                parts[g].push(i);
                claimed = true;
            }
        }
        if !claimed {
            unclaimed.push(i);
        }
    }
    Ok((parts, unclaimed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::parse_scan_name;
    use std::path::PathBuf;

    fn file(name: &str) -> ScanFile {
        ScanFile {
            path: PathBuf::from("/scans").join(name),
            name: parse_scan_name(name),
        }
    }

    fn db_row(line: u32, year: &str, school: &str) -> DbRow {
        let mut extra = BTreeMap::new();
        if !year.is_empty() {
            extra.insert(ExtraField::GraduationYear, year.to_string());
        }
        if !school.is_empty() {
            extra.insert(ExtraField::School, school.to_string());
        }
        DbRow {
            line,
            physical_row: line + 1,
            record: Default::default(),
            raw: BTreeMap::new(),
            extra,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn scans_are_grouped_by_year_and_school_keeping_book_order() {
        let files = [
            file("2018_Sổ gốc_THPT Nguyễn Trãi_T01_T10.pdf"),
            file("2018_Sổ gốc_THPT Nguyễn Trãi_T11_T20.pdf"),
            file("2018_Sổ cấp phát bằng_THPT NGUYỄN TRÃI_T01_T05.pdf"),
            file("2017_Sổ gốc_THPT Nguyễn Trãi_T01_T10.pdf"),
            file("scan0001.pdf"),
        ];
        let groups = group_scans(&files);
        let summary: Vec<(String, usize)> =
            groups.iter().map(|g| (g.folder(), g.files.len())).collect();
        assert_eq!(
            summary,
            [
                ("2018_THPT Nguyễn Trãi".to_string(), 3),
                ("2017_THPT Nguyễn Trãi".to_string(), 1),
                ("other".to_string(), 1)
            ]
        );
    }

    #[test]
    fn rows_go_to_the_group_of_their_year_and_school_and_the_rest_are_unclaimed() {
        let groups = group_scans(&[
            file("2018_Sổ gốc_THPT Nguyễn Trãi_T01_T10.pdf"),
            file("2017_Sổ gốc_THPT Nguyễn Trãi_T01_T10.pdf"),
            file("2017_Sổ gốc_THPT Lê Quý Đôn_T01_T10.pdf"),
        ]);
        let rows = [
            db_row(1, "2018", "Trường THPT Nguyễn Trãi"),
            db_row(2, "2014-2017", "THPT Nguyễn Trãi"),
            db_row(3, "2017", "THPT LÊ QUÝ ĐÔN"),
            db_row(4, "2016", "THPT Nguyễn Trãi"),
            db_row(5, "", "THPT Nguyễn Trãi"),
        ];
        let (parts, unclaimed) = split_rows(&rows, &groups).unwrap();
        assert_eq!(parts, [vec![0], vec![1], vec![2]]);
        assert_eq!(unclaimed, [3, 4]);
    }

    #[test]
    fn school_names_compare_without_the_words_every_school_name_starts_with() {
        assert_eq!(school_key("Trường THPT Nguyễn Trãi"), "nguyen trai");
        assert_eq!(
            school_key("Trường Trung học phổ thông Thống Nhất"),
            school_key("THPT THỐNG NHẤT")
        );
        assert_eq!(school_key("THPT Thống Nhất"), "thong nhat");
    }

    #[test]
    fn one_year_of_one_school_takes_every_row_whatever_the_export_says() {
        let groups = group_scans(&[file("2018_Sổ gốc_THPT Nguyễn Trãi_T01_T10.pdf")]);
        let rows = [db_row(1, "2017", "THPT Khác"), db_row(2, "", "")];
        let (parts, unclaimed) = split_rows(&rows, &groups).unwrap();
        assert_eq!(parts, [vec![0, 1]]);
        assert!(unclaimed.is_empty());
    }

    #[test]
    fn several_years_without_a_year_column_are_refused_with_what_is_needed() {
        let groups = group_scans(&[
            file("2018_Sổ gốc_THPT Nguyễn Trãi_T01_T10.pdf"),
            file("2017_Sổ gốc_THPT Nguyễn Trãi_T01_T10.pdf"),
        ]);
        let err = split_rows(&[db_row(1, "", "THPT Nguyễn Trãi")], &groups).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("2017, 2018"), "{text}");
        assert!(text.contains("Năm tốt nghiệp"), "{text}");
    }
}
