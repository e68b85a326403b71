//! Scan-reading benchmark (run by `scripts/bench-ocr`): reads every page of the PDFs in a
//! generated sample folder and scores the cells against its `truth.json`.
//!
//! Usage: `bench_ocr SAMPLES_DIR [--tessdata DIR] [--jobs N] [--dump-png DIR]`
//! Prints one JSON object: accuracy per field as reported (after normalisation) and as the
//! recogniser read it, name CER, row recall, time per stage, pages/min.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use doisoat::fields::Field;
use doisoat::layout::ColumnMap;
use doisoat::normalize::{check_sequences, scan_row, CellInput, NormalizeParams, RowPosition};
use doisoat::ocr::{read_page, OcrParams, PageText};
use doisoat::raster::{PageImage, Raster, RasterParams};
use doisoat::rows::{Record, ScanRow};
use doisoat::text::exact_key;
use rayon::prelude::*;
use serde_json::{json, Value};

fn main() -> anyhow::Result<()> {
    doisoat::ocr::reexec_with_single_thread_openmp()?;
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("SAMPLES_DIR"));
    let mut params = OcrParams::default();
    let mut jobs = 1;
    let mut dump: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--tessdata" => params.tessdata = args.next().expect("DIR").into(),
            "--jobs" => jobs = args.next().expect("N").parse()?,
            "--dump-png" => dump = Some(args.next().expect("DIR").into()),
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    let truth: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json"))?)?;
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();

    // Decode on this thread: PDFium serialises its calls anyway.
    let raster = Raster::new(RasterParams::default())?;
    let t = Instant::now();
    let mut pages: Vec<(String, usize, PageImage)> = Vec::new();
    for pdf in &pdfs {
        let doc = raster.open(pdf)?;
        for p in 1..=doc.page_count() {
            pages.push((doc.file().to_string(), p, doc.page(p)?));
        }
    }
    let decode = t.elapsed();
    if let Some(out) = &dump {
        std::fs::create_dir_all(out)?;
        for (i, (_, _, img)) in pages.iter().enumerate() {
            img.gray.save(out.join(format!("page{:03}.png", i + 1)))?;
        }
    }

    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let wall = Instant::now();
    // The first page of the run carries the header; later pages without one inherit its columns,
    // as the overnight run does page after page within a book.
    let first = read_page(&pages[0].2, None, None, &params, &pages[0].0, pages[0].1)?;
    let columns: ColumnMap = first.columns.clone();
    let rest: Vec<Result<PageText, String>> = pool.install(|| {
        pages[1..]
            .par_iter()
            .map(|(f, p, img)| {
                read_page(img, Some(&columns), None, &params, f, *p).map_err(|e| e.to_string())
            })
            .collect()
    });
    let wall = wall.elapsed();
    let mut results: Vec<Result<PageText, String>> = vec![Ok(first)];
    results.extend(rest);

    let mut by_pos: HashMap<(String, usize, u32), (&doisoat::ocr::RowText, ScanRow)> =
        HashMap::new();
    let (mut deskew, mut grid, mut ocr) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut failures = Vec::new();
    let mut found_rows = 0;
    for ((f, p, _), r) in pages.iter().zip(&results) {
        match r {
            Ok(pt) => {
                deskew += pt.timings.deskew;
                grid += pt.timings.grid;
                ocr += pt.timings.ocr;
                found_rows += pt.rows.len();
                let mut typed: Vec<ScanRow> =
                    pt.rows.iter().map(|row| normalized(f, *p, row)).collect();
                check_sequences(&mut typed, &NormalizeParams::default());
                for (row, typed) in pt.rows.iter().zip(typed) {
                    by_pos.insert((f.clone(), *p, row.row), (row, typed));
                }
            }
            Err(e) => failures.push(e.clone()),
        }
    }

    let scored = [
        (Field::Stt, "stt"),
        (Field::Name, "name"),
        (Field::Dob, "dob_text"),
        (Field::Birthplace, "birthplace"),
        (Field::Gender, "gender_text"),
        (Field::Ethnicity, "ethnicity"),
        (Field::DiplomaNo, "diploma_no"),
        (Field::RegisterNo, "register_no"),
    ];
    // `right` scores what the tool reports (after the normalize stage's lexicon corrections);
    // `right_raw` what the recogniser alone read.
    let mut right: HashMap<Field, usize> = HashMap::new();
    let mut right_raw: HashMap<Field, usize> = HashMap::new();
    // The same over rows without a hand correction: a corrected row needs a person (it must be
    // flagged), and its struck-through print is not a value to read.
    let mut right_unmarked: HashMap<Field, usize> = HashMap::new();
    let mut unmarked_rows = 0usize;
    let mut wrong_examples: Vec<Value> = Vec::new();
    let (mut cer_err, mut cer_len) = (0usize, 0usize);
    let mut parse_time = Duration::ZERO;
    let truth_rows = truth["rows"].as_array().expect("rows");
    let mut recalled = 0;
    let mut missing: Vec<Value> = Vec::new();
    let (mut hand_flagged, mut hand_missed, mut false_flags) = (0, 0, 0);
    for tr in truth_rows {
        let key = (
            tr["file"].as_str().unwrap_or_default().to_string(),
            tr["page"].as_u64().unwrap_or(0) as usize,
            tr["row"].as_u64().unwrap_or(0) as u32,
        );
        let Some((row, typed)) = by_pos.get(&key) else {
            missing.push(json!([key.0, key.1, key.2]));
            continue;
        };
        recalled += 1;
        let hand = tr["artefacts"]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v == "hand_correction"));
        let flagged = row.flags.iter().any(|f| {
            matches!(
                f,
                doisoat::rows::RowFlag::ColouredInk | doisoat::rows::RowFlag::Handwriting
            )
        });
        if !hand {
            unmarked_rows += 1;
        }
        match (hand, flagged) {
            (true, true) => hand_flagged += 1,
            (true, false) => hand_missed += 1,
            (false, true) => false_flags += 1,
            (false, false) => {}
        }
        for (field, tkey) in scored {
            let want = match &tr[tkey] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            let raw = row.cells.get(&field).map(|c| c.raw.as_str()).unwrap_or("");
            let reported = typed.record.display(field);
            let got = reported.as_deref().unwrap_or(raw);
            let t0 = Instant::now();
            let ok = same_value(field, got, &want);
            parse_time += t0.elapsed();
            if same_value(field, raw, &want) {
                *right_raw.entry(field).or_default() += 1;
            }
            if ok && !hand {
                *right_unmarked.entry(field).or_default() += 1;
            }
            if ok {
                *right.entry(field).or_default() += 1;
            } else if wrong_examples.len() < 80 {
                wrong_examples.push(json!([field.as_str(), want, raw, got, tr["artefacts"]]));
            }
            if field == Field::Name {
                let (w, g) = (exact_key(&want), exact_key(got));
                cer_err += strsim::levenshtein(&w, &g);
                cer_len += w.chars().count();
            }
        }
    }
    let n = truth_rows.len().max(1) as f64;
    let pct = |counts: &HashMap<Field, usize>, n: f64| -> serde_json::Map<String, Value> {
        scored
            .iter()
            .map(|(f, _)| {
                let r = *counts.get(f).unwrap_or(&0) as f64;
                (
                    f.as_str().to_string(),
                    json!((r / n * 1000.0).round() / 10.0),
                )
            })
            .collect()
    };
    let secs = |d: Duration| (d.as_secs_f64() * 1000.0).round() / 1000.0;
    let report = json!({
        "tessdata": params.tessdata,
        "jobs": jobs,
        "pages": pages.len(),
        "page_failures": failures,
        "truth_rows": truth_rows.len(),
        "rows_found": found_rows,
        "row_recall_pct": (recalled as f64 / n * 1000.0).round() / 10.0,
        "missing_rows": missing,
        "hand_corrections": {"flagged": hand_flagged, "missed": hand_missed, "rows_flagged_without": false_flags},
        "accuracy_pct": pct(&right, n),
        "accuracy_without_hand_corrections_pct": pct(&right_unmarked, unmarked_rows.max(1) as f64),
        "raw_ocr_accuracy_pct": pct(&right_raw, n),
        "name_cer_pct": (cer_err as f64 / cer_len.max(1) as f64 * 10000.0).round() / 100.0,
        "seconds": {
            "decode": secs(decode),
            "deskew": secs(deskew),
            "grid": secs(grid),
            "ocr": secs(ocr),
            "parse": secs(parse_time),
            "wall_read": secs(wall),
        },
        "pages_per_min": ((pages.len() as f64) / (wall + decode).as_secs_f64() * 60.0 * 10.0).round() / 10.0,
        "wrong_examples": wrong_examples,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// The row as the pipeline reports it: the normalize stage applied to the recogniser's cells.
fn normalized(file: &str, page: usize, row: &doisoat::ocr::RowText) -> ScanRow {
    let pos = RowPosition {
        file: file.to_string(),
        page: page as u32,
        row: row.row,
        bbox: row.bbox,
    };
    let cells = row
        .cells
        .iter()
        .map(|(&field, c)| CellInput {
            field,
            raw: c.raw.clone(),
            confidence: c.confidence,
        })
        .collect();
    scan_row(pos, cells, row.flags.clone(), &NormalizeParams::default())
}

/// Whether the OCR text and the truth text are the same value of `field`, both parsed by the
/// shared parsers (names compared on their exact keys: case and tone placement ignored).
fn same_value(field: Field, got: &str, want: &str) -> bool {
    if want.trim().is_empty() {
        return got.trim().is_empty();
    }
    let (mut a, mut b) = (Record::default(), Record::default());
    let pa = a.set_from_text(field, got);
    let pb = b.set_from_text(field, want);
    if pa.is_err() || pb.is_err() {
        return exact_key(got) == exact_key(want);
    }
    let (da, db) = (a.display(field), b.display(field));
    da.map(|s| exact_key(&s)) == db.map(|s| exact_key(&s))
}
