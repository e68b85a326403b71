//! `doisoat match`: the main job.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use doisoat::export::ExportParams;
use doisoat::matching::Kind;
use doisoat::pipeline::groups::{group_scans, split_rows};
use doisoat::pipeline::log::Tee;
use doisoat::pipeline::run::{run_match, GroupOutcome, RunError, RunParams};
use doisoat::report::Lang;

use super::progress::TerminalProgress;
use super::{CliError, Exit, RunArgs, ScanArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Vi,
    En,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    #[command(flatten)]
    scans: ScanArgs,
    /// The K12Online export: CSV/TSV/TXT in any encoding, or .xlsx/.xls.
    #[arg(long, value_name = "CSV|XLSX")]
    export: PathBuf,
    /// Worksheet of the export to read (default: the one whose headers name the most fields).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// TOML file naming the export's columns by hand (see docs/EXPORT.md).
    #[arg(long, value_name = "FILE")]
    columns: Option<PathBuf>,
    /// Output folder (created if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Graduation year (default: the year in the scan file names).
    #[arg(long, value_name = "YYYY")]
    year: Option<u16>,
    /// Language of the CSV headers and labels.
    #[arg(long, value_enum, default_value = "vi")]
    lang: LangArg,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: &MatchArgs) -> anyhow::Result<Exit> {
    let columns = args
        .columns
        .as_deref()
        .map(doisoat::export::ColumnOverrides::from_file)
        .transpose()
        .map_err(|e| CliError::Arguments(e.to_string()))?;
    let export_params = ExportParams {
        sheet: args.sheet.clone(),
        columns,
    };
    if args.run.dry_run {
        let export =
            doisoat::export::read_export(&args.export, &export_params).map_err(CliError::Export)?;
        println!(
            "export: {} ({} rows)",
            args.export.display(),
            export.rows.len()
        );
        let files = args.scans.discover()?;
        let groups = group_scans(&files);
        let (parts, unclaimed) =
            split_rows(&export.rows, &groups).map_err(|e| CliError::Arguments(e.to_string()))?;
        if groups.len() > 1 {
            for (group, rows) in groups.iter().zip(&parts) {
                println!(
                    "report {}: {} file(s), {} export rows",
                    args.out.join(group.folder()).display(),
                    group.files.len(),
                    rows.len()
                );
            }
            if !unclaimed.is_empty() {
                println!(
                    "{} export rows belong to no year or school on paper",
                    unclaimed.len()
                );
            }
        }
        return super::dry_run(&files, &args.scans, &args.run);
    }
    let progress = TerminalProgress::new(args.run.verbosity());
    let setup = args.run.prepare(&args.out)?;
    let files = args.scans.discover()?;
    let mut params = RunParams {
        scan: args.scans.params(&setup)?,
        export: export_params,
        lang: match args.lang {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        },
        ..RunParams::default()
    };
    params.matching.graduation_year = args.year;
    let groups = run_match(
        &files,
        &args.export,
        &args.out,
        &params,
        setup.cache.as_ref(),
        &Tee(vec![&progress, &*setup.log]),
    )
    .map_err(|e| match e {
        RunError::Export(e) => anyhow::Error::new(CliError::Export(e)),
        RunError::Split(e) => anyhow::Error::new(CliError::Arguments(e.to_string())),
        other => anyhow::Error::new(other),
    })?;
    progress.finish();
    let (mut failures, mut pages, mut rows) = (Vec::new(), 0, 0);
    for GroupOutcome {
        group,
        out,
        outcome,
    } in &groups
    {
        let counts: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("{} {}", outcome.count(*k), k.as_str()))
            .collect();
        let which = if groups.len() > 1 {
            format!("{}: ", group.folder())
        } else {
            String::new()
        };
        let summary = format!(
            "{which}{} paper rows, {} database rows, {} matched; discrepancies: {}",
            outcome.scan.rows.len(),
            outcome.db_rows,
            outcome.reconciliation.pairs.len(),
            counts.join(", ")
        );
        setup.log.line(&summary);
        eprintln!("{summary}");
        eprintln!("results: {}", out.display());
        for file in [
            &outcome.files.discrepancies_csv,
            &outcome.files.summary,
            &outcome.files.json,
        ] {
            eprintln!("  {}", file.display());
        }
        failures.extend(outcome.scan.failures.iter().cloned());
        pages += outcome.scan.pages;
        rows += outcome.scan.rows.len();
    }
    eprintln!("log: {}", setup.log.path().display());
    Ok(super::report_failures(&setup.log, &failures, pages, rows))
}
