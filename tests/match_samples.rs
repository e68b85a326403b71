//! End to end on the shipped samples: the two register PDFs and the XLSX export, checked against
//! the generator's truth.json: every planted discrepancy reported (or flagged `uncertain` for a
//! person), no false alarm, and at most 3 `uncertain` per 100 paper rows (issue 5's target; 2.6
//! today, docs/BENCHMARKS.md).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use doisoat::input::discover;
use doisoat::matching::Kind;
use doisoat::pipeline::run::{run_match, RunParams};
use doisoat::pipeline::Silent;
use serde_json::Value;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

type ScanPos = (String, u64, u64);

fn pos(v: &Value) -> Option<ScanPos> {
    Some((
        v.get("file")?.as_str()?.to_string(),
        v.get("page")?.as_u64()?,
        v.get("row")?.as_u64()?,
    ))
}

#[test]
fn match_on_the_samples_finds_the_planted_discrepancies_without_false_alarms() {
    let out = tempfile::tempdir().unwrap();
    let files = discover(&[samples()]).unwrap();
    let mut groups = run_match(
        &files,
        &samples().join("export.xlsx"),
        out.path(),
        &RunParams::default(),
        None,
        &Silent,
    )
    .unwrap();
    assert_eq!(
        groups.len(),
        1,
        "one school year, reported into --out itself"
    );
    let outcome = groups.pop().unwrap().outcome;
    assert!(
        outcome.scan.failures.is_empty(),
        "{:?}",
        outcome.scan.failures
    );

    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(samples().join("truth.json")).unwrap())
            .unwrap();
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap())
            .unwrap();
    let found = report["discrepancies"].as_array().unwrap();
    let truth_rows = truth["rows"].as_array().unwrap().len();
    assert_eq!(
        report["rows"].as_array().unwrap().len(),
        truth_rows,
        "every paper row is read"
    );

    // A planted item is caught when the report names its row or line with its kind (and field),
    // or at least with an `uncertain` a person will look at.
    let mut caught = 0;
    let mut used = HashSet::new();
    for p in truth["planted"].as_array().unwrap() {
        let lines: Vec<u64> = ["db_line", "original_db_line"]
            .iter()
            .filter_map(|k| p.get(*k).and_then(Value::as_u64))
            .collect();
        let here = |d: &Value| {
            (p.get("scan").and_then(pos).is_some()
                && d.get("scan").and_then(pos) == p.get("scan").and_then(pos))
                || d["db"]["line"].as_u64().is_some_and(|l| lines.contains(&l))
        };
        let hit = found.iter().enumerate().find(|(_, d)| {
            here(d)
                && (d["kind"] == "uncertain"
                    || (d["kind"] == p["kind"]
                        && (p["kind"] != "field_mismatch" || d["field"] == p["field"])))
        });
        if let Some((i, _)) = hit {
            caught += 1;
            used.insert(i);
        }
    }
    let planted = truth["planted"].as_array().unwrap().len();
    assert_eq!(
        caught, planted,
        "every planted discrepancy is reported or sent to review"
    );

    let non_rows: HashSet<ScanPos> = truth["non_discrepancies"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.get("scan").and_then(pos))
        .collect();
    let false_alarms: Vec<&Value> = found
        .iter()
        .enumerate()
        .filter(|(i, d)| !used.contains(i) && d["kind"] != "uncertain")
        .map(|(_, d)| d)
        .collect();
    assert!(
        false_alarms.iter().all(|d| d
            .get("scan")
            .and_then(pos)
            .is_none_or(|p| !non_rows.contains(&p))),
        "a planted non-discrepancy was flagged: {false_alarms:#?}"
    );
    assert!(false_alarms.is_empty(), "false alarms: {false_alarms:#?}");
    let uncertain = outcome.count(Kind::Uncertain);
    // Issue 5's ceiling: at most 3 `uncertain` per 100 paper rows.
    assert!(
        uncertain * 100 <= truth_rows * 3,
        "{uncertain} uncertain for {truth_rows} rows"
    );
}
