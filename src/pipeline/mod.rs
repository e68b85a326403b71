//! The run: scans → pages → rows (→ matching → report), with parallel workers, a resumable cache
//! and per-page isolation. The library never prints: the caller receives [`Event`]s through a
//! [`Progress`] and decides how to show them.

pub mod executor;
pub mod groups;
pub mod log;
pub mod plan;
pub mod run;
pub mod scan;

pub use crate::report::Failure;

/// Something the run wants the user to know about, as it happens.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The PDFs are open: how many files and pages will be read.
    ScansOpened {
        /// Files that opened.
        files: usize,
        /// Pages in them.
        pages: usize,
    },
    /// A page is done.
    PageDone {
        /// PDF file name.
        file: String,
        /// 1-based page.
        page: usize,
        /// Data rows found.
        rows: usize,
        /// True when the result came from the cache.
        cached: bool,
    },
    /// A file or page failed; the run goes on.
    Failed(Failure),
    /// A damaged cache entry was found and will be recomputed.
    CacheEntryRecomputed {
        /// PDF file name.
        file: String,
        /// 1-based page.
        page: usize,
    },
    /// A stage starts.
    Stage(&'static str),
    /// A stage (or, for scan reading, a part of it summed over the workers) took this long.
    StageTime {
        /// `export`, `scan`, `scan.ocr` …
        stage: String,
        /// Seconds.
        seconds: f64,
    },
    /// Anything else worth a line in the log.
    Warning(String),
}

/// One line of English for the run log and the terminal.
impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::ScansOpened { files, pages } => {
                write!(f, "{files} PDF file(s), {pages} page(s) to read")
            }
            Event::PageDone {
                file,
                page,
                rows,
                cached,
            } => {
                let how = if *cached { "from the cache" } else { "read" };
                write!(f, "{file}, page {page}: {rows} rows {how}")
            }
            Event::Failed(failure) => write!(f, "FAILED {failure}"),
            Event::CacheEntryRecomputed { file, page } => write!(
                f,
                "{file}, page {page}: damaged cache entry, reading the page again"
            ),
            Event::Stage(stage) => write!(f, "stage {stage}"),
            Event::StageTime { stage, seconds } => write!(f, "time {stage}: {seconds:.1} s"),
            Event::Warning(w) => write!(f, "warning: {w}"),
        }
    }
}

/// Receives [`Event`]s from the run (from the calling thread only).
pub trait Progress {
    /// Called for every event.
    fn event(&self, event: Event);
}

/// A [`Progress`] that ignores everything.
pub struct Silent;

impl Progress for Silent {
    fn event(&self, _: Event) {}
}
