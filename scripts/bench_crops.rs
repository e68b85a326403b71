//! Recogniser benchmark on real printed names (run by `scripts/bench-ocr`): reads every crop
//! listed in `labels.tsv` of a folder (default `../shared/data/real-name-crops`) as one text line,
//! then through the fields stage, and prints the character error rate of both against the labels.
//!
//! Usage: `bench_crops [CROPS_DIR] [--tessdata DIR]`

use std::path::PathBuf;

use doisoat::fields::Field;
use doisoat::normalize::{scan_row, CellInput, NormalizeParams, RowPosition};
use doisoat::ocr::{read_text_line, OcrParams};
use doisoat::rows::PixelBox;
use doisoat::text::exact_key;
use serde_json::json;

fn main() -> anyhow::Result<()> {
    doisoat::ocr::reexec_with_single_thread_openmp()?;
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from("../shared/data/real-name-crops");
    let mut params = OcrParams::default();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--tessdata" => params.tessdata = args.next().expect("DIR").into(),
            other => dir = PathBuf::from(other),
        }
    }
    let labels = std::fs::read_to_string(dir.join("labels.tsv"))?;
    let (mut raw_err, mut typed_err, mut len, mut exact) = (0, 0, 0, 0);
    let mut crops = Vec::new();
    for line in labels.lines().skip(1) {
        let Some((file, truth)) = line.split_once('\t') else {
            continue;
        };
        let img = image::open(dir.join(file))?.to_luma8();
        // ID-card crops carry no resolution; their letters are ~30 px tall, as at 300 DPI.
        let (raw, confidence) = read_text_line(&img, 300, &params)?;
        let pos = RowPosition {
            file: file.to_string(),
            page: 1,
            row: 1,
            bbox: PixelBox::default(),
        };
        let cell = CellInput {
            field: Field::Name,
            raw: raw.clone(),
            confidence,
        };
        let row = scan_row(pos, vec![cell], vec![], &NormalizeParams::default());
        let typed = row.record.name.map(|n| n.to_string()).unwrap_or_default();
        let want = exact_key(truth);
        raw_err += strsim::levenshtein(&want, &exact_key(&raw));
        typed_err += strsim::levenshtein(&want, &exact_key(&typed));
        len += want.chars().count();
        exact += usize::from(exact_key(&typed) == want);
        crops.push(
            json!({"file": file, "truth": truth, "read": raw, "reported": typed,
                          "confidence": confidence}),
        );
    }
    let pct = |e: usize| (e as f64 / len.max(1) as f64 * 10000.0).round() / 100.0;
    let report = json!({
        "tessdata": params.tessdata,
        "crops": crops.len(),
        "exact_reported": exact,
        "cer_raw_pct": pct(raw_err),
        "cer_reported_pct": pct(typed_err),
        "readings": crops,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
