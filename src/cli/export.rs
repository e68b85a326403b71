//! `doisoat export`: prints how an export file was understood.

use std::path::{Path, PathBuf};

use clap::Args;

use doisoat::export::{read_export, ColumnOverrides, Export, ExportParams};
use doisoat::fields::Field;

use super::Exit;

#[derive(Debug, Args)]
pub struct ExportArgs {
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
}

/// Reads the export and prints the detected format, encoding, separator, sheet, header row, column
/// mapping, unmapped columns, legacy conversions, warnings, duplicates and the first rows.
pub fn run(args: &ExportArgs) -> anyhow::Result<Exit> {
    let columns = args
        .columns
        .as_deref()
        .map(ColumnOverrides::from_file)
        .transpose()?;
    let params = ExportParams {
        sheet: args.sheet.clone(),
        columns,
    };
    let export = read_export(&args.export, &params).map_err(super::CliError::Export)?;
    print!("{}", report(&args.export, &export, args.rows));
    // The process ends here: freeing 200,000 rows one by one would add a quarter of the reading
    // time for nothing, the system reclaims the memory at once.
    std::mem::forget(export);
    Ok(Exit::Success)
}

fn report(path: &Path, export: &Export, shown: usize) -> String {
    use std::fmt::Write;
    let d = &export.detected;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("file:        {}", path.display()));
    line(format!("format:      {}", d.format));
    if let Some(e) = d.encoding {
        line(format!("encoding:    {e}"));
    }
    if let Some(s) = d.separator {
        let name = match s {
            '\t' => "tab".to_string(),
            c => format!("'{c}'"),
        };
        line(format!("separator:   {name}"));
    }
    if let Some(s) = &d.sheet {
        line(format!("sheet:       {s:?}"));
        if !d.other_sheets.is_empty() {
            line(format!("other sheets (not read): {:?}", d.other_sheets));
        }
    }
    line(format!(
        "header row:  {} ({} title row(s) skipped)",
        d.header_row,
        d.title_rows.len()
    ));
    for t in &d.title_rows {
        line(format!("  title: {t}"));
    }
    line("columns:".to_string());
    for c in &d.columns {
        let how = if c.by_override { " (--columns)" } else { "" };
        line(format!(
            "  {:>3} {:<40} -> {}{how}",
            c.letter,
            format!("{:?}", c.header),
            c.target
        ));
    }
    line(format!("unmapped:    {:?}", d.unmapped));
    for l in &d.legacy {
        line(format!(
            "legacy text: column {:?} converted from {}: {:?} -> {:?}",
            l.header,
            l.encoding.as_str(),
            l.before,
            l.after
        ));
    }
    let with_warnings = export
        .rows
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    line(format!(
        "rows:        {} ({} warning(s) on {} row(s))",
        export.rows.len(),
        export.warning_count(),
        with_warnings
    ));
    for r in export
        .rows
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .take(shown)
    {
        line(format!(
            "  line {} (row {}): {}",
            r.line,
            r.physical_row,
            r.warnings.join("; ")
        ));
    }
    line(format!("duplicates:  {}", export.duplicates.len()));
    for dup in export.duplicates.iter().take(shown) {
        line(format!(
            "  {:?} {:?} on lines {:?}",
            dup.kind, dup.value, dup.lines
        ));
    }
    line(format!("first {} row(s):", shown.min(export.rows.len())));
    for r in export.rows.iter().take(shown) {
        let mut cells = String::new();
        for f in Field::ALL {
            if let Some(v) = r.record.display(f) {
                let _ = write!(cells, " {}={v:?}", f.as_str());
            }
        }
        for (k, v) in &r.extra {
            let _ = write!(cells, " {}={v:?}", k.as_str());
        }
        line(format!(
            "  line {:>4} (row {:>4}):{cells}",
            r.line, r.physical_row
        ));
    }
    out
}
