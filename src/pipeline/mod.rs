//! The run: scans → pages → rows (→ matching → report), with parallel workers, a resumable cache
//! and per-page isolation. The library never prints: the caller receives [`Event`]s through a
//! [`Progress`] and decides how to show them.

pub mod executor;
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
