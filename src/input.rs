//! Scan discovery: turns the paths a clerk gives (`--scans FILE|DIR …`) into the ordered list of
//! register PDFs to read, grouped into books.
//!
//! The Department names each scan `<Year>_<Book name>_<School>_T<from>_T<to>.pdf`
//! (`2018_Sổ cấp bằng tốt nghiệp_THPT Nguyễn Trãi_T01_T08.pdf`). A book may be split over several
//! PDFs; their page ranges order them, and a page without a table header continues the layout of
//! the previous page of the same book, so the order matters.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A register PDF and what its name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanFile {
    /// The file.
    pub path: PathBuf,
    /// The name parsed from the file name, or `None` when the name does not follow the convention.
    pub name: Option<ScanName>,
}

/// The parts of a conventional scan file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanName {
    /// Graduation year.
    pub year: u16,
    /// Book name (`Sổ cấp bằng tốt nghiệp`).
    pub book: String,
    /// School (`THPT Nguyễn Trãi`).
    pub school: String,
    /// First book page in this PDF.
    pub from_page: u32,
    /// Last book page in this PDF.
    pub to_page: u32,
}

impl ScanFile {
    /// The file name without folders, as reports show it.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Identifies the book this file belongs to: same folder, year, book name and school. Files
    /// without a conventional name are books of their own.
    pub fn book_key(&self) -> String {
        let dir = self.path.parent().unwrap_or(Path::new("")).display();
        match &self.name {
            Some(n) => format!(
                "{dir}/{}_{}_{}",
                n.year,
                crate::text::exact_key(&n.book),
                crate::text::exact_key(&n.school)
            ),
            None => self.path.display().to_string(),
        }
    }
}

/// Parses `<Year>_<Book name>_<School>_T<from>_T<to>.pdf`. The book and school may themselves hold
/// underscores only if the other parts are intact: the year is the first part and the page range the
/// last two, everything between is split at the last underscore into book and school.
pub fn parse_scan_name(file_name: &str) -> Option<ScanName> {
    let stem = crate::text::clean(file_name);
    let stem = stem
        .strip_suffix(".pdf")
        .or_else(|| stem.strip_suffix(".PDF"))?;
    let parts: Vec<&str> = stem.split('_').collect();
    if parts.len() < 5 {
        return None;
    }
    let page = |p: &str| {
        p.strip_prefix(['T', 't'])
            .and_then(|n| n.trim().parse::<u32>().ok())
    };
    let year: u16 = parts[0].trim().parse().ok()?;
    let to_page = page(parts[parts.len() - 1])?;
    let from_page = page(parts[parts.len() - 2])?;
    let middle = &parts[1..parts.len() - 2];
    let (school, book) = middle.split_last()?;
    let book = book.join("_");
    if book.trim().is_empty() || school.trim().is_empty() || from_page > to_page {
        return None;
    }
    Some(ScanName {
        year,
        book: book.trim().to_string(),
        school: school.trim().to_string(),
        from_page,
        to_page,
    })
}

/// Why the scan paths cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A path given on the command line does not exist.
    #[error("{0}: no such file or folder")]
    NotFound(PathBuf),
    /// A folder could not be listed.
    #[error("{path}: cannot list folder: {source}")]
    Unreadable {
        /// The folder.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Nothing to read.
    #[error("no PDF files found in: {0}")]
    NoPdfs(String),
}

fn is_pdf(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

fn collect(path: &Path, out: &mut BTreeSet<PathBuf>) -> Result<(), InputError> {
    if path.is_file() {
        out.insert(path.to_path_buf());
        return Ok(());
    }
    if !path.is_dir() {
        return Err(InputError::NotFound(path.to_path_buf()));
    }
    let entries = std::fs::read_dir(path).map_err(|source| InputError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| InputError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        let p = entry.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if is_pdf(&p) {
            out.insert(p);
        }
    }
    Ok(())
}

/// Lists the PDFs to read: files as given (whatever their extension, so a mis-named PDF is still
/// tried), folders searched recursively for `*.pdf`. The result is ordered by book (folder, year,
/// book name, school) and, within a book, by the first page of the range in the file name, so
/// continuation pages follow the page whose header they inherit. Duplicates are removed.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<ScanFile>, InputError> {
    let mut found = BTreeSet::new();
    for p in paths {
        collect(p, &mut found)?;
    }
    if found.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(InputError::NoPdfs(shown.join(", ")));
    }
    let mut files: Vec<ScanFile> = found
        .into_iter()
        .map(|path| {
            let name = parse_scan_name(&path.file_name().unwrap_or_default().to_string_lossy());
            ScanFile { path, name }
        })
        .collect();
    files.sort_by_cached_key(|f| {
        (
            f.book_key(),
            f.name.as_ref().map_or(0, |n| n.from_page),
            f.path.clone(),
        )
    });
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventional_names_are_parsed() {
        let n =
            parse_scan_name("2018_Sổ cấp bằng tốt nghiệp_THPT Nguyễn Trãi_T01_T08.pdf").unwrap();
        assert_eq!(n.year, 2018);
        assert_eq!(n.book, "Sổ cấp bằng tốt nghiệp");
        assert_eq!(n.school, "THPT Nguyễn Trãi");
        assert_eq!((n.from_page, n.to_page), (1, 8));
    }

    #[test]
    fn other_names_are_not_guessed() {
        assert_eq!(parse_scan_name("scan0001.pdf"), None);
        assert_eq!(parse_scan_name("2018_Sổ_Trường_T09_T02.pdf"), None);
        assert_eq!(parse_scan_name("2018_Sổ_Trường_T01_T02.jpg"), None);
    }

    #[test]
    fn folders_are_ordered_by_page_range_not_by_name() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "2018_Sổ cấp bằng_THPT A_T10_T12.pdf",
            "2018_Sổ cấp bằng_THPT A_T01_T09.pdf",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), b"%PDF-1.4").unwrap();
        }
        let files = discover(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<String> = files.iter().map(ScanFile::file_name).collect();
        assert_eq!(
            names,
            [
                "2018_Sổ cấp bằng_THPT A_T01_T09.pdf",
                "2018_Sổ cấp bằng_THPT A_T10_T12.pdf"
            ]
        );
        assert_eq!(files[0].book_key(), files[1].book_key());
    }

    #[test]
    fn a_missing_path_is_named_in_the_error() {
        let err = discover(&[PathBuf::from("/no/such/scans")]).unwrap_err();
        assert!(err.to_string().contains("/no/such/scans"));
    }
}
