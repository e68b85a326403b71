//! `match`: the whole job. The export is read first, so an unusable export is reported before hours
//! of OCR; then the scans, matching, and the report.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::scan::{read_scans, ScanOutcome, ScanParams};
use super::{Event, Progress};
use crate::cache::{hash_file, PageCache};
use crate::export::{read_export, ExportError, ExportParams};
use crate::input::ScanFile;
use crate::matching::{reconcile, Kind, MatchParams, Reconciliation};
use crate::report::{
    write_report, InputFile, Lang, ReportError, ReportFiles, ReportInput, RunInfo, Timing,
};

/// Settings of a whole run.
#[derive(Debug, Clone, Default)]
pub struct RunParams {
    /// Scan reading.
    pub scan: ScanParams,
    /// Export reading.
    pub export: ExportParams,
    /// Matching thresholds. When `graduation_year` is `None`, the year of the scan file names is
    /// used when they all agree.
    pub matching: MatchParams,
    /// Language of the CSV headers.
    pub lang: Lang,
}

/// Why a run produced no report.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The export cannot be read or understood.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The report cannot be written.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// An input file cannot be read to record its checksum.
    #[error("{path}: cannot read: {source}")]
    Input {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
}

/// What a run produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// The files written.
    pub files: ReportFiles,
    /// What scan reading did (rows, pages, failures).
    pub scan: ScanOutcome,
    /// Database rows read.
    pub db_rows: usize,
    /// What matching found.
    pub reconciliation: Reconciliation,
}

impl RunOutcome {
    /// Number of discrepancies of one kind.
    pub fn count(&self, kind: Kind) -> usize {
        self.reconciliation
            .discrepancies
            .iter()
            .filter(|d| d.kind == kind)
            .count()
    }
}

fn input(path: &Path, role: &str) -> Result<InputFile, RunError> {
    let err = |source| RunError::Input {
        path: path.to_path_buf(),
        source,
    };
    Ok(InputFile {
        path: path.display().to_string(),
        role: role.to_string(),
        sha256: hash_file(path).map_err(err)?,
        bytes: std::fs::metadata(path).map_err(err)?.len(),
    })
}

/// The graduation year the scan file names agree on, if they do.
fn year_of(files: &[ScanFile]) -> Option<u16> {
    let mut years = files.iter().filter_map(|f| f.name.as_ref().map(|n| n.year));
    let first = years.next()?;
    years.all(|y| y == first).then_some(first)
}

/// Reads the export and the scans, matches them and writes the report into `out`.
pub fn run_match(
    files: &[ScanFile],
    export: &Path,
    out: &Path,
    params: &RunParams,
    cache: Option<&PageCache>,
    progress: &dyn Progress,
) -> Result<RunOutcome, RunError> {
    let mut timing = Vec::new();
    let mut record = |stage: &str, seconds: f64| {
        progress.event(Event::StageTime {
            stage: stage.to_string(),
            seconds,
        });
        timing.push(Timing {
            stage: stage.to_string(),
            seconds,
        })
    };
    progress.event(Event::Stage("export"));
    let start = Instant::now();
    let db = read_export(export, &params.export)?;
    record("export", start.elapsed().as_secs_f64());

    progress.event(Event::Stage("scan"));
    let start = Instant::now();
    let scan = read_scans(files, &params.scan, cache, progress);
    record("scan", start.elapsed().as_secs_f64());
    for (part, seconds) in scan.timings.parts() {
        record(part, seconds);
    }

    progress.event(Event::Stage("match"));
    let start = Instant::now();
    let mut matching = params.matching.clone();
    matching.graduation_year = matching.graduation_year.or_else(|| year_of(files));
    let reconciliation = reconcile(&scan.rows, &db.rows, &matching);
    record("match", start.elapsed().as_secs_f64());

    progress.event(Event::Stage("report"));
    let mut inputs = vec![input(export, "export")?];
    for f in files {
        inputs.push(input(&f.path, "scan")?);
    }
    let run = RunInfo {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        inputs,
        pages: scan.pages as u32,
        timing,
        failures: scan.failures.clone(),
    };
    let report = ReportInput {
        scan: &scan.rows,
        db: &db.rows,
        reconciliation: &reconciliation,
        run: &run,
    };
    let written = write_report(out, &report, params.lang)?;
    Ok(RunOutcome {
        files: written,
        db_rows: db.rows.len(),
        scan,
        reconciliation,
    })
}
