//! Command-line interface: clap definitions, dispatch, exit codes.

mod doctor;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use doisoat::deps::DepsParams;

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

#[derive(Debug, Subcommand)]
enum Command {
    /// Check that libpdfium, Tesseract and the Vietnamese model are installed and usable.
    Doctor(DepsArgs),
}

/// Process exit codes, documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The run completed (discrepancies found are a success).
    Success = 0,
    /// An unexpected error.
    Failure = 1,
    /// A native dependency is missing or broken.
    MissingDependency = 3,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Runs the parsed command and returns the exit code to use.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Doctor(deps) => Ok(doctor::run(&deps.params())),
    }
}
