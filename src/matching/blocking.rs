//! Candidate generation: which database rows are worth scoring against a paper row.
//!
//! Scoring every pair is quadratic; instead each record gets a handful of blocking keys and only
//! rows sharing a key are scored. A true pair survives when any one key agrees, so the keys are
//! chosen so that no single typing or OCR slip removes all of them:
//! - the diploma number; its digits alone (a different series letter); its digits with one
//!   position deleted plus the given name's initial (one wrong digit, two exchanged neighbours,
//!   one digit added or lost);
//! - the date of birth with the folded given name, queried also with day and month exchanged;
//! - the folded full name with the birth year (catches a wrong day or month);
//! - the register number.
//!
//! The wide keys are queried only for paper rows the strong keys did not already match: they are
//! what makes candidate lists long (consecutive serials, common names).
//!
//! Keys are 64-bit hashes (a collision only adds a candidate, which scoring then rejects). A key
//! shared by more than `max_block` database rows identifies nothing (a very common name born the
//! same year) and is skipped, which keeps the cost linear in the number of rows.

use std::collections::HashMap;

use crate::fields::Date;
use crate::rows::Record;

/// FNV-1a over the parts, with a separator byte so `("ab","c")` and `("a","bc")` differ.
fn key(tag: u8, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(tag);
    for part in parts {
        for &b in part.iter().chain(std::iter::once(&0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn date_bytes(d: Date) -> [u8; 4] {
    let [y0, y1] = d.year().to_le_bytes();
    [y0, y1, d.month().unwrap_or(0), d.day().unwrap_or(0)]
}

/// Which keys to use: the selective ones that find nearly every true pair, or the wider ones
/// that also survive a slip in the diploma number or the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Diploma number, date of birth + given name (also swapped), register number.
    Strong,
    /// Digits alone, digits with one deleted + initial, full name + birth year.
    Wide,
}

/// Pushes the blocking keys of `record` of the given tiers; `with_swapped_dob` adds the key of
/// the date with day and month exchanged (needed on one side only).
fn keys(record: &Record, tiers: &[Tier], with_swapped_dob: bool, out: &mut Vec<u64>) {
    let strong = tiers.contains(&Tier::Strong);
    let wide = tiers.contains(&Tier::Wide);
    let folded = record.name.as_ref().map(|n| n.folded());
    let given = folded.map(|f| f.rsplit(' ').next().unwrap_or(f).as_bytes());
    if let Some(no) = &record.diploma_no {
        let digits = no.digits().as_bytes();
        if strong {
            out.push(key(1, &[no.prefix().as_bytes(), digits]));
        }
        if wide {
            out.push(key(2, &[digits]));
        }
        // Serials are consecutive, so "one digit off" matches dozens of neighbours; the initial
        // of the given name keeps that key selective.
        if let Some(initial) = given.and_then(|g| g.first()).filter(|_| wide) {
            let mut shorter = Vec::with_capacity(digits.len());
            for skip in 0..digits.len() {
                shorter.clear();
                shorter.extend_from_slice(&digits[..skip]);
                shorter.extend_from_slice(&digits[skip + 1..]);
                out.push(key(2, &[&shorter, &[*initial]]));
            }
        }
    }
    if let (Some(folded), Some(given)) = (folded, given) {
        if let Some(dob) = record.dob {
            if strong {
                out.push(key(3, &[&date_bytes(dob), given]));
                if let Some(swapped) = dob.swapped_day_month().filter(|_| with_swapped_dob) {
                    out.push(key(3, &[&date_bytes(swapped), given]));
                }
            }
            if wide {
                out.push(key(4, &[folded.as_bytes(), &dob.year().to_le_bytes()]));
            }
        }
    }
    if let Some(reg) = record.register_no.as_ref().filter(|_| strong) {
        out.push(key(5, &[reg.as_str().as_bytes()]));
    }
}

/// Database rows indexed by blocking key.
pub struct Index {
    buckets: HashMap<u64, Vec<u32>>,
    max_block: usize,
}

impl Index {
    /// Indexes `db` (the records of the database rows, in order).
    pub fn new<'a>(db: impl Iterator<Item = &'a Record>, max_block: usize) -> Index {
        let mut buckets: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut ks = Vec::new();
        for (i, record) in db.enumerate() {
            ks.clear();
            keys(record, &[Tier::Strong, Tier::Wide], false, &mut ks);
            ks.sort_unstable();
            ks.dedup();
            for &k in &ks {
                buckets.entry(k).or_default().push(i as u32);
            }
        }
        Index { buckets, max_block }
    }

    /// The database rows sharing a usable key of `tier` with `scan`, ascending, no repeats.
    pub fn candidates(&self, scan: &Record, tier: Tier) -> Vec<u32> {
        let mut ks = Vec::new();
        keys(scan, &[tier], true, &mut ks);
        let mut out = Vec::new();
        for k in ks {
            if let Some(rows) = self.buckets.get(&k).filter(|r| r.len() <= self.max_block) {
                out.extend_from_slice(rows);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
