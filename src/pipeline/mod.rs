//! The run: scans → pages → rows (→ matching → report), with parallel workers, a resumable cache
//! and per-page isolation. The library never prints: the caller receives [`Event`]s through a
//! [`Progress`] and decides how to show them.

pub mod executor;
pub mod scan;

use serde::Serialize;

/// A file or page that could not be read, and why. The run goes on without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// PDF file name.
    pub file: String,
    /// 1-based page, `None` when the whole file failed.
    pub page: Option<usize>,
    /// What went wrong, in words a clerk can act on.
    pub reason: String,
}

impl Failure {
    /// A whole file failed (corrupt, encrypted, not a PDF …).
    pub fn file(file: &str, reason: String) -> Failure {
        Failure {
            file: file.to_string(),
            page: None,
            reason,
        }
    }

    /// One page failed.
    pub fn page(file: &str, page: usize, reason: String) -> Failure {
        Failure {
            file: file.to_string(),
            page: Some(page),
            reason,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.page {
            Some(p) => write!(f, "{}, page {p}: {}", self.file, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

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
    /// Anything else worth a line in the log.
    Warning(String),
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
