//! Matching: pairs paper rows with database rows and lists every discrepancy a person must verify.
//!
//! [`reconcile`] works in four steps:
//! 1. **Blocking** ([`blocking`]): each paper row is scored only against database rows that share
//!    a key with it (diploma number, date of birth + given name, name + birth year, register
//!    number), so the cost grows about linearly with the number of rows.
//! 2. **Scoring** ([`compare`]): each field gets a level (exact / equivalent / day-month swapped /
//!    close / different / missing) and the level a weight; the sum is the match score.
//! 3. **Assignment** ([`assign`]): a single optimal one-to-one assignment over all candidate
//!    pairs that count as matches; a database row is never used twice.
//! 4. **Discrepancies**: differing fields of matched pairs, paper rows without a database row,
//!    database rows without a paper row, duplicates, and the cases the tool cannot decide.
//!
//! The decision rules and thresholds are on [`MatchParams`] and explained in `docs/REPORT.md`.

pub mod assign;
pub mod blocking;
pub mod compare;
mod explain;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::fields::Field;
use crate::rows::{DbRow, Record, RowFlag, ScanRow};
use compare::{Level, Outcome, COMPARED};

/// Thresholds of the decision rules. `Default` gives the values the project was tuned with.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchParams {
    /// A pair whose score reaches this is a match (default 12). Exact diploma number alone
    /// (+12) or exact date of birth plus a close name (+9 +4) reach it; an exact name with
    /// agreeing gender, ethnicity and birthplace (+11.5) does not, because a name alone
    /// never identifies a person (Nguyễn is ~38 % of people).
    pub min_score: f64,
    /// A pair scoring at least this (default 5) but not a match is shown as `uncertain` with
    /// both rows, instead of a `missing_in_db` plus a `not_in_scan`: a person must look.
    pub maybe_score: f64,
    /// A differing field whose paper reading has a confidence below this (default 0.6) is
    /// `uncertain`, not `field_mismatch`: the recogniser may have misread it.
    pub min_field_confidence: f32,
    /// For differences that OCR typically produces (diacritics only, confusable digits,
    /// one digit, `/` read as `A`), the paper reading must be at least this sure (default 0.85)
    /// to report a `field_mismatch`; below it the difference is `uncertain`.
    pub min_confidence_ocr_like: f32,
    /// Graduation year of the register. When it is in 2015–2018 or unknown (`None`, default), an
    /// empty grade on either side is not a discrepancy (those diplomas often carry none).
    pub graduation_year: Option<u16>,
    /// A blocking key shared by more database rows than this (default 64) is skipped.
    pub max_block: usize,
    /// Components of the candidate graph larger than this on one side (default 400) are
    /// assigned greedily instead of optimally, to bound the cubic cost.
    pub max_exact_component: usize,
}

impl Default for MatchParams {
    fn default() -> Self {
        MatchParams {
            min_score: 12.0,
            maybe_score: 5.0,
            min_field_confidence: 0.6,
            min_confidence_ocr_like: 0.85,
            graduation_year: None,
            max_block: 64,
            max_exact_component: 400,
        }
    }
}

/// The years whose diplomas often carry no grade.
const GRADELESS_YEARS: std::ops::RangeInclusive<u16> = 2015..=2018;

/// Prior log2 odds that a scored candidate is the true pair (about 1 in 256), used to turn a
/// score into the probability shown as confidence.
const PAIR_PRIOR_LOG2: f64 = -8.0;

/// Probability that a pair with this score is the same person.
fn pair_probability(score: f64) -> f32 {
    (1.0 / (1.0 + (-(score + PAIR_PRIOR_LOG2)).exp2())) as f32
}

/// One field of a pair as compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldComparison {
    /// The field.
    pub field: Field,
    /// How well the two values agree.
    pub level: Level,
    /// What kind of difference (`digit_typo`, `day_month_swapped` …), when there is one.
    pub detail: Option<&'static str>,
    /// The level's weight in the score.
    pub weight: f64,
    /// The paper value as displayed, `None` when empty.
    pub scan_value: Option<String>,
    /// The database value as displayed, `None` when empty.
    pub db_value: Option<String>,
}

/// A paper row and the database row assigned to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchPair {
    /// Index into the `scan` slice given to [`reconcile`].
    pub scan_index: usize,
    /// Index into the `db` slice given to [`reconcile`].
    pub db_index: usize,
    /// Sum of the field weights.
    pub score: f64,
    /// Every compared field, in [`compare::COMPARED`] order.
    pub fields: Vec<FieldComparison>,
    /// Why the rows were paired, in Vietnamese.
    pub explanation: String,
}

/// The sort of a discrepancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A paper row with no database row.
    MissingInDb,
    /// A database row with no paper row (data that is not on paper).
    NotInScan,
    /// One field differs between a paper row and its database row.
    FieldMismatch,
    /// A database row repeating another database row that is matched.
    DuplicateInDb,
    /// The tool cannot decide; a person must look at the page.
    Uncertain,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 5] = [
        Kind::MissingInDb,
        Kind::NotInScan,
        Kind::FieldMismatch,
        Kind::DuplicateInDb,
        Kind::Uncertain,
    ];

    /// The snake_case name used in JSON and English CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MissingInDb => "missing_in_db",
            Kind::NotInScan => "not_in_scan",
            Kind::FieldMismatch => "field_mismatch",
            Kind::DuplicateInDb => "duplicate_in_db",
            Kind::Uncertain => "uncertain",
        }
    }

    /// The Vietnamese label a reviewer reads.
    pub fn label_vi(self) -> &'static str {
        match self {
            Kind::MissingInDb => "Thiếu trong CSDL",
            Kind::NotInScan => "Không có trên sổ",
            Kind::FieldMismatch => "Sai khác thông tin",
            Kind::DuplicateInDb => "Trùng lặp trong CSDL",
            Kind::Uncertain => "Cần người kiểm tra",
        }
    }
}

/// Where a discrepancy is on paper.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanRef {
    /// PDF file name.
    pub file: String,
    /// 1-based page in the file.
    pub page: u32,
    /// 1-based data row on the page.
    pub row: u32,
    /// The paper value of the field concerned (the name for row-level kinds).
    pub value: Option<String>,
    /// Printed row number, when read.
    #[serde(skip)]
    pub stt: Option<u32>,
}

/// Where a discrepancy is in the export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DbRef {
    /// 1-based data line of the export (see [`DbRow::line`]).
    pub line: u32,
    /// The database value of the field concerned (the name for row-level kinds).
    pub value: Option<String>,
}

/// One thing a person must verify.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discrepancy {
    /// The sort.
    pub kind: Kind,
    /// The field concerned, for `field_mismatch` and field-level `uncertain`.
    pub field: Option<Field>,
    /// What kind of difference (`day_month_swapped`, `digit_typo`, `possible_match` …).
    pub detail: Option<String>,
    /// The paper side, when there is one.
    pub scan: Option<ScanRef>,
    /// The database side, when there is one.
    pub db: Option<DbRef>,
    /// How sure the tool is that the discrepancy is real, 0..1.
    pub confidence: f32,
    /// Why, in Vietnamese: how the rows were paired and what differs.
    pub explanation: String,
}

/// Everything [`reconcile`] found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reconciliation {
    /// Matched pairs, by paper row index.
    pub pairs: Vec<MatchPair>,
    /// Discrepancies, sorted by file, page, row, then database line.
    pub discrepancies: Vec<Discrepancy>,
    /// Paper rows without a matched database row (ascending indices).
    pub unmatched_scan: Vec<usize>,
    /// Database rows without a matched paper row (ascending indices).
    pub unmatched_db: Vec<usize>,
}

impl Reconciliation {
    /// The pair of paper row `scan_index`, if it was matched.
    pub fn pair_of_scan(&self, scan_index: usize) -> Option<&MatchPair> {
        self.pairs
            .binary_search_by_key(&scan_index, |p| p.scan_index)
            .ok()
            .map(|i| &self.pairs[i])
    }
}

/// Levels of every compared field and their score, for one candidate pair.
#[derive(Debug, Clone, Copy)]
struct Scored {
    outcomes: [Outcome; COMPARED.len()],
    score: f64,
}

/// The most the fields after the first `CHEAP` of [`COMPARED`] can add to a score.
fn best_rest() -> f64 {
    COMPARED[CHEAP..]
        .iter()
        .map(|&f| compare::weight(f, Level::Exact))
        .sum()
}

/// The first fields of [`COMPARED`] (diploma, date, name) decide most candidates; the rest is
/// compared only when the pair can still reach `floor`.
const CHEAP: usize = 3;

impl Scored {
    /// Scores a candidate pair; `None` when it cannot reach `floor`, which saves comparing
    /// places and numbers of the many candidates that are plainly someone else.
    fn of(scan: &Record, db: &Record, floor: f64) -> Option<Scored> {
        let mut outcomes = [compare::Outcome {
            level: Level::Missing,
            detail: None,
        }; COMPARED.len()];
        let mut score = 0.0;
        for (i, &field) in COMPARED.iter().enumerate() {
            if i == CHEAP && score + best_rest() < floor {
                return None;
            }
            outcomes[i] = compare::compare(field, scan, db);
            score += compare::weight(field, outcomes[i].level);
        }
        Some(Scored { outcomes, score })
    }

    fn level(&self, field: Field) -> Level {
        let i = COMPARED.iter().position(|&f| f == field).expect("compared");
        self.outcomes[i].level
    }

    /// True when the pair counts as a match: score at least `min_score` and an identifier.
    fn is_match(&self, params: &MatchParams) -> bool {
        self.score >= params.min_score && self.has_identifier()
    }

    /// Evidence beyond the name: the date of birth at least close, or an exact diploma or
    /// register number. Without it no score makes a match.
    fn has_identifier(&self) -> bool {
        matches!(
            self.level(Field::Dob),
            Level::Exact | Level::Equivalent | Level::DayMonthSwapped | Level::Close
        ) || self.level(Field::DiplomaNo) == Level::Exact
            || self.level(Field::RegisterNo) == Level::Exact
    }
}

/// The scored candidates of one paper row.
struct Candidates {
    /// Database rows scoring at least `maybe_score`, ascending.
    kept: Vec<(u32, Scored)>,
    /// The best-scoring database row among those scored in full (for explaining a missing row).
    best: Option<(u32, f64)>,
}

impl Candidates {
    /// Scores the database rows `rows` against paper row `s` and keeps those reaching
    /// `maybe_score`.
    fn score(&mut self, s: &ScanRow, rows: &[u32], db: &[DbRow], params: &MatchParams) {
        for &c in rows {
            let Some(sc) = Scored::of(&s.record, &db[c as usize].record, params.maybe_score) else {
                continue;
            };
            if self.best.is_none_or(|(_, b)| sc.score > b) {
                self.best = Some((c, sc.score));
            }
            if sc.score >= params.maybe_score {
                self.kept.push((c, sc));
            }
        }
    }
}

/// Pairs paper rows (`scan`) with database rows (`db`) one-to-one and lists the discrepancies.
/// Deterministic: the same inputs give the same output, whatever the thread count.
pub fn reconcile(scan: &[ScanRow], db: &[DbRow], params: &MatchParams) -> Reconciliation {
    let index = blocking::Index::new(db.iter().map(|d| &d.record), params.max_block);
    let scored: Vec<Candidates> = scan
        .par_iter()
        .map(|s| {
            let mut cands = Candidates {
                kept: Vec::new(),
                best: None,
            };
            let strong = index.candidates(&s.record, blocking::Tier::Strong);
            cands.score(s, &strong, db, params);
            if !cands.kept.iter().any(|(_, sc)| sc.is_match(params)) {
                let mut wide = index.candidates(&s.record, blocking::Tier::Wide);
                wide.retain(|c| strong.binary_search(c).is_err());
                cands.score(s, &wide, db, params);
                cands.kept.sort_by_key(|(c, _)| *c);
            }
            cands
        })
        .collect();

    let mut strong = Vec::new();
    for (i, cands) in scored.iter().enumerate() {
        for (c, sc) in &cands.kept {
            if sc.is_match(params) {
                strong.push((i as u32, *c, sc.score));
            }
        }
    }
    let matched = assign::assign(&strong, params.max_exact_component);
    let mut scan_taken = vec![false; scan.len()];
    let mut db_taken = vec![false; db.len()];
    for &(r, c, _) in &matched {
        scan_taken[r as usize] = true;
        db_taken[c as usize] = true;
    }

    // Second round among the rows left over: pairs that resemble each other but are not
    // matches become one `uncertain` each, so the reviewer sees both rows side by side.
    let mut weak = Vec::new();
    for (i, cands) in scored.iter().enumerate() {
        if scan_taken[i] {
            continue;
        }
        for (c, sc) in &cands.kept {
            if !db_taken[*c as usize] {
                weak.push((i as u32, *c, sc.score));
            }
        }
    }
    let maybes = assign::assign(&weak, params.max_exact_component);
    for &(r, c, _) in &maybes {
        scan_taken[r as usize] = true;
        db_taken[c as usize] = true;
    }

    let scored_of = |r: u32, c: u32| -> Scored {
        scored[r as usize]
            .kept
            .iter()
            .find(|(cc, _)| *cc == c)
            .map(|(_, sc)| *sc)
            .expect("assigned edges come from the candidates")
    };
    let ctx = explain::Context { scan, db, params };

    let mut pairs = Vec::with_capacity(matched.len());
    let mut discrepancies = Vec::new();
    for &(r, c, _) in &matched {
        let pair = ctx.pair(r as usize, c as usize, &scored_of(r, c));
        discrepancies.extend(ctx.field_discrepancies(&pair));
        pairs.push(pair);
    }
    for &(r, c, _) in &maybes {
        let pair = ctx.pair(r as usize, c as usize, &scored_of(r, c));
        discrepancies.push(ctx.possible_match(&pair));
    }

    let best_db_score = best_scan_score_per_db(&scored, db.len());
    let duplicates = duplicates_of_matched(db, &pairs, &db_taken);
    for (i, taken) in scan_taken.iter().enumerate() {
        if !taken {
            discrepancies.push(ctx.missing_in_db(i, scored[i].best));
        }
    }
    for (j, taken) in db_taken.iter().enumerate() {
        if *taken {
            continue;
        }
        discrepancies.push(match duplicates.get(&j) {
            Some(&(original, why)) => ctx.duplicate(j, original, &pairs, why),
            None => ctx.not_in_scan(j, best_db_score[j]),
        });
    }
    discrepancies.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));

    let unmatched_scan = (0..scan.len())
        .filter(|&i| pairs.binary_search_by_key(&i, |p| p.scan_index).is_err())
        .collect();
    let mut matched_db: Vec<usize> = pairs.iter().map(|p| p.db_index).collect();
    matched_db.sort_unstable();
    let unmatched_db = (0..db.len())
        .filter(|j| matched_db.binary_search(j).is_err())
        .collect();
    Reconciliation {
        pairs,
        discrepancies,
        unmatched_scan,
        unmatched_db,
    }
}

/// Sort order of the report: by file, page, row (database-only items last, by line), then kind
/// and field so the order is total.
fn sort_key(d: &Discrepancy) -> impl Ord + '_ {
    (
        d.scan.is_none(),
        d.scan.as_ref().map(|s| (s.file.as_str(), s.page, s.row)),
        d.db.as_ref().map(|x| x.line),
        d.kind,
        d.field,
    )
}

/// The best score any paper row reached with each database row (`None`: never a candidate
/// above `maybe_score`).
fn best_scan_score_per_db(scored: &[Candidates], n_db: usize) -> Vec<Option<f64>> {
    let mut best = vec![None; n_db];
    for cands in scored {
        for (c, sc) in &cands.kept {
            let slot: &mut Option<f64> = &mut best[*c as usize];
            if slot.is_none_or(|b| sc.score > b) {
                *slot = Some(sc.score);
            }
        }
    }
    best
}

/// Why a database row counts as a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DuplicateBy {
    /// Same diploma number.
    DiplomaNo,
    /// Same name key and date of birth.
    NameAndDob,
}

/// Unmatched database rows that repeat a matched database row (same diploma number, or same
/// name key and date of birth), mapped to that row's index. A repeat of an unmatched row is
/// also a duplicate, of the first (lowest line) of them, so one person missing from paper is
/// one `not_in_scan`.
fn duplicates_of_matched(
    db: &[DbRow],
    pairs: &[MatchPair],
    db_taken: &[bool],
) -> HashMap<usize, (usize, DuplicateBy)> {
    let mut by_diploma: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_person: BTreeMap<(String, String), usize> = BTreeMap::new();
    let person = |r: &Record| Some((r.name.as_ref()?.key().to_string(), r.dob?.to_iso()));
    let mut register = |j: usize| {
        let r = &db[j].record;
        if let Some(no) = &r.diploma_no {
            by_diploma.entry(no.to_string()).or_insert(j);
        }
        if let Some(p) = person(r) {
            by_person.entry(p).or_insert(j);
        }
    };
    let mut matched: Vec<usize> = pairs.iter().map(|p| p.db_index).collect();
    matched.sort_unstable();
    // Matched rows claim their keys first, then unmatched rows in line order.
    matched.iter().for_each(|&j| register(j));
    (0..db.len()).filter(|&j| !db_taken[j]).for_each(register);
    let mut out = HashMap::new();
    for j in (0..db.len()).filter(|&j| !db_taken[j]) {
        let r = &db[j].record;
        let by_no = r
            .diploma_no
            .as_ref()
            .and_then(|no| by_diploma.get(&no.to_string()))
            .filter(|&&o| o != j)
            .map(|&o| (o, DuplicateBy::DiplomaNo));
        let by_p = person(r)
            .and_then(|p| by_person.get(&p))
            .filter(|&&o| o != j)
            .map(|&o| (o, DuplicateBy::NameAndDob));
        if let Some(found) = by_no.or(by_p) {
            out.insert(j, found);
        }
    }
    out
}

/// True when an empty grade on one side must not be reported for this register.
fn grade_may_be_empty(params: &MatchParams) -> bool {
    params
        .graduation_year
        .is_none_or(|y| GRADELESS_YEARS.contains(&y))
}

/// True when a difference on this row/field may be the recogniser's doing, so it is `uncertain`.
/// Under a stamp, a difference of the kind misreading makes (one digit, one mark) is doubtful
/// however sure the recogniser was: print the stamp's ring crossed can read as another digit
/// with high confidence (`3155` read `3135` at 0.9 on a generated page).
fn reading_is_doubtful(row: &ScanRow, field: Field, outcome: Outcome, p: &MatchParams) -> bool {
    let flagged = |flag: RowFlag| row.flags.contains(&flag);
    let hand = flagged(RowFlag::Handwriting) || flagged(RowFlag::ColouredInk);
    let stamped = flagged(RowFlag::Stamp);
    let cell = row.cells.get(&field);
    let problem = cell.is_some_and(|c| c.problem.is_some());
    let confidence = cell.map_or(row.confidence, |c| c.confidence);
    let ocr_like = matches!(
        outcome.detail,
        Some("diacritics_only" | "ocr_confusion" | "digit_typo" | "digit_transposition")
    ) || outcome.level == Level::Missing;
    hand || problem
        || confidence < p.min_field_confidence
        || (ocr_like && (stamped || confidence < p.min_confidence_ocr_like))
}
