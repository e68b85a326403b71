//! `--dry-run`: what a run would read and roughly how long it would take, without reading a page.

use std::time::Duration;

use crate::input::ScanFile;
use crate::raster::{Raster, RasterParams};

/// Seconds one worker spends on a page, measured on the generated registers
/// (docs/BENCHMARKS.md, "The overnight run": 65.5 pages/min with one job, fast model).
pub const SECONDS_PER_PAGE_PER_JOB: f64 = 0.92;

/// What each worker after the first adds, as a share of one: 2 jobs read 1.87× the pages per
/// minute of 1 on 2 cores (docs/BENCHMARKS.md). Workers beyond the cores add nothing.
const EXTRA_JOB_SHARE: f64 = 0.87;

/// One PDF as a dry run sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFile {
    /// File name.
    pub file: String,
    /// Year, book and school from the file name, when it follows the convention.
    pub name: Option<crate::input::ScanName>,
    /// Page count, or why the file cannot be opened.
    pub pages: Result<usize, String>,
}

/// What a run would process.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Every PDF, in reading order.
    pub files: Vec<PlannedFile>,
}

impl Plan {
    /// Pages in the files that open.
    pub fn pages(&self) -> usize {
        self.files
            .iter()
            .filter_map(|f| f.pages.as_ref().ok())
            .sum()
    }

    /// Estimated recognition time with `jobs` workers on this machine: a rough figure for
    /// planning the night, not a promise (pages of other registers may be slower or faster).
    pub fn estimate(&self, jobs: usize) -> Duration {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let speedup = 1.0 + EXTRA_JOB_SHARE * (jobs.clamp(1, cores.max(1)) - 1) as f64;
        Duration::from_secs_f64(self.pages() as f64 * SECONDS_PER_PAGE_PER_JOB / speedup)
    }
}

/// Opens every file only to count its pages. A file that does not open keeps its error, as the
/// run would report it.
pub fn plan(files: &[ScanFile], raster: &RasterParams) -> Plan {
    let reader = Raster::new(raster.clone());
    let files = files
        .iter()
        .map(|f| PlannedFile {
            file: f.file_name(),
            name: f.name.clone(),
            pages: match &reader {
                Ok(r) => r.page_count(&f.path).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            },
        })
        .collect();
    Plan { files }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_grows_with_pages_and_shrinks_with_jobs() {
        let file = |pages| PlannedFile {
            file: "a.pdf".into(),
            name: None,
            pages,
        };
        let plan = Plan {
            files: vec![file(Ok(10)), file(Err("not a PDF".into())), file(Ok(20))],
        };
        assert_eq!(plan.pages(), 30);
        assert!((plan.estimate(1).as_secs_f64() - 30.0 * SECONDS_PER_PAGE_PER_JOB).abs() < 1e-9);
        assert!(plan.estimate(2) <= plan.estimate(1));
    }
}
