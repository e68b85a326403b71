//! `match`: the whole job. The export is read first, so an unusable export is reported before hours
//! of OCR; then the scans, matching, and the report.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::groups::{group_scans, split_rows, Group, SplitError};
use super::scan::{read_scans, ScanOutcome, ScanParams};
use super::{Event, Progress};
use crate::cache::{hash_file, PageCache};
use crate::export::{read_export, ExportError, ExportParams};
use crate::input::ScanFile;
use crate::matching::{reconcile, Kind, MatchParams, Reconciliation};
use crate::report::{
    write_report, InputFile, Lang, ReportError, ReportFiles, ReportInput, RunInfo, Timing,
};
use crate::rows::DbRow;

/// Settings of a whole run.
#[derive(Debug, Clone, Default)]
pub struct RunParams {
    /// Scan reading.
    pub scan: ScanParams,
    /// Export reading.
    pub export: ExportParams,
    /// Matching thresholds. When `graduation_year` is `None`, each group's year (from its scan
    /// file names) is used.
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
    /// The export's rows cannot be divided among the years or schools of the scans.
    #[error(transparent)]
    Split(#[from] SplitError),
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

/// One group's report.
#[derive(Debug)]
pub struct GroupOutcome {
    /// The school year the report covers.
    pub group: Group,
    /// The folder its files were written to.
    pub out: PathBuf,
    /// What it found.
    pub outcome: RunOutcome,
}

/// Reads the export, then the scans group by group ([`group_scans`]: one school's graduation
/// year each), matches each group against the export rows of its year and school, and writes
/// each group's report: into `out` itself when there is one group (the usual run), otherwise into
/// `out/<Year>_<School>/`. Export rows that belong to no group are announced as a warning.
pub fn run_match(
    files: &[ScanFile],
    export: &Path,
    out: &Path,
    params: &RunParams,
    cache: Option<&PageCache>,
    progress: &dyn Progress,
) -> Result<Vec<GroupOutcome>, RunError> {
    progress.event(Event::Stage("export"));
    let start = Instant::now();
    let db = read_export(export, &params.export)?;
    let export_time = timed(progress, "export", start);
    let export_input = input(export, "export")?;
    let groups = group_scans(files);
    let (parts, unclaimed) = split_rows(&db.rows, &groups)?;
    if !unclaimed.is_empty() {
        let lines: Vec<String> = unclaimed
            .iter()
            .take(20)
            .map(|&i| db.rows[i].line.to_string())
            .collect();
        let more = if unclaimed.len() > 20 { ", …" } else { "" };
        progress.event(Event::Warning(format!(
            "{} export line(s) belong to no year or school on paper and are in no report: \
             lines {}{more}",
            unclaimed.len(),
            lines.join(", ")
        )));
    }
    let single = groups.len() == 1;
    let mut outcomes = Vec::new();
    for (group, rows) in groups.into_iter().zip(parts) {
        let dir = if single {
            out.to_path_buf()
        } else {
            out.join(group.folder())
        };
        // Indices come in file order, so a group with as many rows as the export has them all:
        // the usual one-year run compares the export as read, without a copy.
        let db_rows: Cow<[DbRow]> = if rows.len() == db.rows.len() {
            Cow::Borrowed(&db.rows)
        } else {
            Cow::Owned(rows.iter().map(|&i| db.rows[i].clone()).collect())
        };
        let job = GroupJob {
            files: &group.files,
            year: group.year,
            db: &db_rows,
            export: &export_input,
            export_time: &export_time,
        };
        let outcome = run_group(&job, &dir, params, cache, progress)?;
        outcomes.push(GroupOutcome {
            group,
            out: dir,
            outcome,
        });
    }
    Ok(outcomes)
}

/// The time since `start` of `stage`, announced as an [`Event::StageTime`] and kept for the
/// report.
fn timed(progress: &dyn Progress, stage: &str, start: Instant) -> Timing {
    let seconds = start.elapsed().as_secs_f64();
    progress.event(Event::StageTime {
        stage: stage.to_string(),
        seconds,
    });
    Timing {
        stage: stage.to_string(),
        seconds,
    }
}

/// What one group's run is given.
struct GroupJob<'a> {
    files: &'a [ScanFile],
    year: Option<u16>,
    db: &'a [DbRow],
    export: &'a InputFile,
    export_time: &'a Timing,
}

/// Reads one group's scans, matches them with its database rows and writes its report.
fn run_group(
    job: &GroupJob<'_>,
    out: &Path,
    params: &RunParams,
    cache: Option<&PageCache>,
    progress: &dyn Progress,
) -> Result<RunOutcome, RunError> {
    progress.event(Event::Stage("scan"));
    let scan = read_scans(job.files, &params.scan, cache, progress);
    let mut timing = vec![job.export_time.clone()];
    timing.extend(scan.stage_times().map(|(stage, seconds)| Timing {
        stage: stage.to_string(),
        seconds,
    }));

    progress.event(Event::Stage("match"));
    let start = Instant::now();
    let mut matching = params.matching.clone();
    matching.graduation_year = matching.graduation_year.or(job.year);
    let reconciliation = reconcile(&scan.rows, job.db, &matching);
    timing.push(timed(progress, "match", start));

    progress.event(Event::Stage("report"));
    let mut inputs = vec![job.export.clone()];
    for f in job.files {
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
        db: job.db,
        reconciliation: &reconciliation,
        run: &run,
    };
    let written = write_report(out, &report, params.lang)?;
    Ok(RunOutcome {
        files: written,
        db_rows: job.db.len(),
        scan,
        reconciliation,
    })
}
