//! Command-line interface: clap definitions, dispatch, exit codes.

mod doctor;
mod export;
mod interrupt;
mod matching;
mod ocr;
mod progress;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use doisoat::cache::PageCache;
use doisoat::deps::{self, DepsParams};
use doisoat::input::{discover, ScanFile};
use doisoat::layout::LayoutFile;
use doisoat::pipeline::executor::ExecutorParams;
use doisoat::pipeline::log::RunLog;
use doisoat::pipeline::scan::ScanParams;
use doisoat::pipeline::Failure;

use progress::Verbosity;

/// Reconcile scanned diploma registers (Sổ gốc cấp bằng tốt nghiệp THPT) with the K12Online export.
#[derive(Debug, Parser)]
#[command(name = "doisoat", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where to find the native dependencies (see `doisoat doctor`).
#[derive(Debug, Clone, Args)]
pub struct DepsArgs {
    /// libpdfium shared library (or its folder); default: DOISOAT_PDFIUM, next to the executable,
    /// vendor/pdfium/ of the source tree, then the system.
    #[arg(long, global = true, value_name = "PATH")]
    pdfium: Option<PathBuf>,
    /// tessdata folder holding vie.traineddata; default: DOISOAT_TESSDATA, next to the executable,
    /// models/tessdata/ of the source tree, then the system.
    #[arg(long, global = true, value_name = "DIR")]
    tessdata: Option<PathBuf>,
}

impl DepsArgs {
    fn params(&self) -> DepsParams {
        DepsParams {
            pdfium: self.pdfium.clone(),
            tessdata: self.tessdata.clone(),
        }
    }
}

/// Which scans to read and how their tables are laid out.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Register PDFs, or folders searched recursively for PDFs; several may follow one --scans,
    /// and --scans may be repeated.
    #[arg(long, required = true, num_args = 1.., action = clap::ArgAction::Append, value_name = "PDF|DIR")]
    scans: Vec<PathBuf>,
    /// TOML file pinning the table columns when header detection fails (see README).
    #[arg(long, value_name = "FILE")]
    layout: Option<PathBuf>,
    #[command(flatten)]
    deps: DepsArgs,
}

impl ScanArgs {
    fn discover(&self) -> anyhow::Result<Vec<ScanFile>> {
        Ok(discover(&self.scans)?)
    }

    fn params(&self, setup: &Setup) -> Result<ScanParams, CliError> {
        let deps = self.deps.params();
        let pdfium = deps::find_pdfium(&deps).map_err(CliError::Dependency)?;
        let tessdata = deps::find_tessdata(&deps).map_err(CliError::Dependency)?;
        let mut params = ScanParams::default();
        params.raster.library = pdfium.path;
        params.ocr.tessdata = tessdata.path;
        params.executor = setup.executor.clone();
        if let Some(path) = &self.layout {
            params.layout =
                Some(LayoutFile::load(path).map_err(|e| CliError::Arguments(e.to_string()))?);
        }
        Ok(params)
    }
}

/// How a long run behaves: workers, cache, timeouts, verbosity.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Pages recognised in parallel (default: number of cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Page cache folder that makes an interrupted run resumable (default: OUT/cache).
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Do not read or write the page cache.
    #[arg(long, conflicts_with = "cache")]
    no_cache: bool,
    /// Give up on a page after this many seconds, record it as failed and go on.
    #[arg(long, default_value_t = 180, value_name = "SECONDS")]
    page_timeout: u64,
    /// Only errors and the final summary.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// One line per page.
    #[arg(short, long)]
    verbose: bool,
    /// List the files, page counts and years that would be read, and the estimated time; read
    /// nothing and write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// What a run needs before its first page: a writable output folder with room to spare, the run
/// log, the cache, worker settings.
pub struct Setup {
    cache: Option<PageCache>,
    executor: ExecutorParams,
    log: Arc<RunLog>,
}

/// Free space below which a run is refused before it starts: the cache takes a few kilobytes per
/// page and the reports a few megabytes, so this covers tens of thousands of pages.
const MIN_FREE_BYTES: u64 = 200 << 20;

/// The command line as typed, each argument quoted for a POSIX shell when it needs it, so the log
/// line can be pasted to repeat the run.
fn command_line() -> String {
    std::env::args()
        .map(|a| {
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || "-_./=:,@+%".contains(c));
            if plain {
                a
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Refuses a folder on a disk with less than [`MIN_FREE_BYTES`] free.
fn check_free_space(dir: &Path) -> Result<(), CliError> {
    let Ok(stat) = rustix::fs::statvfs(dir) else {
        return Ok(());
    };
    let free = stat.f_bavail.saturating_mul(stat.f_frsize);
    if free < MIN_FREE_BYTES {
        return Err(CliError::Output(format!(
            "{}: only {} MB free on its disk; a run needs at least {} MB for its cache and \
             reports: free some space or choose another --out / --cache",
            dir.display(),
            free >> 20,
            MIN_FREE_BYTES >> 20
        )));
    }
    Ok(())
}

impl RunArgs {
    fn jobs(&self) -> usize {
        self.jobs
            .unwrap_or_else(|| ExecutorParams::default().workers)
            .max(1)
    }

    fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        }
    }

    /// Creates the output folder and proves it (and the cache) writable before hours of work.
    fn prepare(&self, out: &Path) -> Result<Setup, CliError> {
        let unwritable =
            |e: &dyn std::fmt::Display| CliError::Output(format!("{}: {e}", out.display()));
        std::fs::create_dir_all(out).map_err(|e| unwritable(&e))?;
        doisoat::cache::write_atomic(&out.join(".writable"), b"ok").map_err(|e| unwritable(&e))?;
        std::fs::remove_file(out.join(".writable")).map_err(|e| unwritable(&e))?;
        check_free_space(out)?;
        let log = Arc::new(RunLog::open(out, &command_line()).map_err(|e| unwritable(&e))?);
        let cache = if self.no_cache {
            None
        } else {
            let dir = self.cache.clone().unwrap_or_else(|| out.join("cache"));
            let cache = PageCache::open(&dir).map_err(|e| CliError::Output(e.to_string()))?;
            check_free_space(cache.dir())?;
            Some(cache)
        };
        let executor = ExecutorParams {
            workers: self.jobs(),
            timeout: Duration::from_secs(self.page_timeout.max(1)),
        };
        interrupt::on_ctrl_c(log.clone(), cache.as_ref().map(|c| c.dir().to_path_buf()));
        Ok(Setup {
            cache,
            executor,
            log,
        })
    }
}

/// Errors that map to their own exit codes.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Arguments that are well-formed but unusable (a layout file that does not parse …).
    #[error("{0}")]
    Arguments(String),
    /// A native dependency is missing.
    #[error("{0}")]
    Dependency(deps::DepsError),
    /// The output folder cannot be written.
    #[error("cannot write the output folder {0}")]
    Output(String),
    /// The database export cannot be read.
    #[error(transparent)]
    Export(doisoat::export::ExportError),
}

/// `--dry-run`: prints what would be read from `files` (found by `scans`) and the estimated time.
fn dry_run(files: &[ScanFile], scans: &ScanArgs, run: &RunArgs) -> anyhow::Result<Exit> {
    let deps = scans.deps.params();
    let raster = doisoat::raster::RasterParams {
        library: deps::find_pdfium(&deps).map_err(CliError::Dependency)?.path,
        ..Default::default()
    };
    let plan = doisoat::pipeline::plan::plan(files, &raster);
    for f in &plan.files {
        let what = match &f.name {
            Some(n) => format!(
                "{} | {} | {} | T{:02}–T{:02}",
                n.year, n.book, n.school, n.from_page, n.to_page
            ),
            None => "(name does not follow <Year>_<Book>_<School>_T<from>_T<to>.pdf)".to_string(),
        };
        match &f.pages {
            Ok(p) => println!("{:>5} pages  {}  [{what}]", p, f.file),
            Err(e) => println!("  CANNOT OPEN  {}: {e}", f.file),
        }
    }
    let secs = plan.estimate(run.jobs()).as_secs();
    println!(
        "{} file(s), {} page(s); estimated {} h {:02} min with {} job(s)",
        plan.files.len(),
        plan.pages(),
        secs / 3600,
        secs % 3600 / 60,
        run.jobs()
    );
    Ok(Exit::Success)
}

/// Prints (and logs) the failures and a closing line; the exit code says whether anything failed.
fn report_failures(log: &RunLog, failures: &[Failure], pages: usize, rows: usize) -> Exit {
    let say = |line: &str| {
        eprintln!("{line}");
        log.line(line);
    };
    if failures.is_empty() {
        say(&format!("done: {pages} pages, {rows} rows"));
        return Exit::Success;
    }
    say(&format!(
        "done with failures: {pages} pages, {rows} rows; {} file(s) or page(s) failed:",
        failures.len()
    ));
    for f in failures {
        say(&format!("  {f}"));
    }
    Exit::CompletedWithFailures
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check that libpdfium, Tesseract and the Vietnamese model are installed and usable.
    Doctor(DepsArgs),
    /// Read register scans into typed rows (rows.json, rows.csv) without matching.
    Ocr(ocr::OcrArgs),
    /// Reconcile register scans with the database export and write the discrepancy list.
    Match(matching::MatchArgs),
    /// Read a database export and show how it was understood (format, encoding, separator,
    /// header row, column mapping, warnings, duplicates, first rows), to check before a long run.
    Export(export::ExportArgs),
}

/// Process exit codes, documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The run completed (discrepancies found are a success).
    Success = 0,
    /// An unexpected error.
    Failure = 1,
    /// Bad arguments (also clap's own code for unparseable ones).
    BadArguments = 2,
    /// A native dependency is missing or broken.
    MissingDependency = 3,
    /// The database export cannot be read or understood.
    UnreadableExport = 4,
    /// The output folder cannot be written.
    OutputUnwritable = 6,
    /// The run completed, but some files or pages could not be read (listed in the summary).
    CompletedWithFailures = 5,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Runs the parsed command and returns the exit code to use.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let result = match &cli.command {
        Command::Doctor(deps) => return Ok(doctor::run(&deps.params())),
        Command::Match(args) => matching::run(args),
        Command::Ocr(args) => ocr::run(args),
        Command::Export(args) => export::run(args),
    };
    result.or_else(|err| {
        let code = match err.downcast_ref::<CliError>() {
            Some(CliError::Arguments(_)) => Exit::BadArguments,
            Some(CliError::Dependency(_)) => Exit::MissingDependency,
            Some(CliError::Output(_)) => Exit::OutputUnwritable,
            Some(CliError::Export(_)) => Exit::UnreadableExport,
            None => return Err(err),
        };
        eprintln!("doisoat: error: {err:#}");
        Ok(code)
    })
}
