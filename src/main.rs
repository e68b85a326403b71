//! The `doisoat` command line: a thin layer over the library; all logic lives in `doisoat::*`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod cli {
    pub mod export;
}

/// Reconcile scanned Vietnamese diploma registers with the K12Online database export.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read a database export and show how it was understood (format, encoding, separator,
    /// header row, column mapping, warnings, duplicates, first rows), to check before a long run.
    Export {
        /// The export file: CSV/TSV/TXT in any encoding, or .xlsx/.xls/.ods.
        #[arg(long = "export", value_name = "FILE")]
        export: PathBuf,
        /// The worksheet to read (default: the one whose headers name the most fields).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// A TOML file naming columns by hand (see docs/EXPORT.md).
        #[arg(long, value_name = "FILE")]
        columns: Option<PathBuf>,
        /// How many parsed rows to show.
        #[arg(long, default_value_t = 10, value_name = "N")]
        rows: usize,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Export {
            export,
            sheet,
            columns,
            rows,
        } => cli::export::run(&export, sheet, columns.as_deref(), rows),
    }
}
