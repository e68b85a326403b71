//! The run: scans → pages → rows → matching → report, with parallel workers, a resumable cache and
//! per-page isolation.

pub mod executor;
