//! `doisoat ocr`: read register scans into rows.json / rows.csv.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use doisoat::pipeline::log::Tee;
use doisoat::pipeline::scan::{read_scans, ScanOutcome};

use super::progress::TerminalProgress;
use super::{Exit, RunArgs, ScanArgs};

#[derive(Debug, Args)]
pub struct OcrArgs {
    #[command(flatten)]
    scans: ScanArgs,
    /// Output folder (created if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: &OcrArgs) -> anyhow::Result<Exit> {
    if args.run.dry_run {
        return super::dry_run(&args.scans.discover()?, &args.scans, &args.run);
    }
    let progress = TerminalProgress::new(args.run.verbosity());
    let setup = args.run.prepare(&args.out)?;
    let files = args.scans.discover()?;
    let params = args.scans.params(&setup)?;
    let outcome = read_scans(
        &files,
        &params,
        setup.cache.as_ref(),
        &Tee(vec![&progress, &*setup.log]),
    );
    progress.finish();
    write_rows(&args.out, &outcome)?;
    Ok(super::report_failures(
        &setup.log,
        &outcome.failures,
        outcome.pages,
        outcome.rows.len(),
    ))
}

fn write_rows(out: &std::path::Path, outcome: &ScanOutcome) -> anyhow::Result<()> {
    let json = serde_json::to_vec_pretty(&serde_json::json!({
        "rows": outcome.rows,
        "failures": outcome.failures,
    }))?;
    doisoat::cache::write_atomic(&out.join("rows.json"), &json).context("writing rows.json")?;
    doisoat::report::write_rows_csv(out, &outcome.rows, doisoat::report::Lang::Vi)?;
    Ok(())
}
