//! Benchmark of matching alone: N generated paper rows against N database rows of which 5 %
//! carry noise (a typo in one field, a swapped date, a dropped or an extra row), shuffled.
//! Run through `scripts/bench-match`; prints one line per size with the time of `reconcile`
//! and the process's peak resident memory.

use std::time::Instant;

use doisoat::fields::Field;
use doisoat::matching::{reconcile, Kind, MatchParams};
use doisoat::rows::{CellReading, DbRow, PixelBox, Record, ScanRow};

/// Deterministic generator (SplitMix64), so every run benchmarks the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Family names with Nguyễn repeated to approach its real share (~38 %).
const FAMILY: [&str; 16] = [
    "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
    "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
];
const MIDDLE: [&str; 10] = [
    "Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Hoàng", "Thanh", "Quốc", "Bảo",
];
const GIVEN: [&str; 30] = [
    "An", "Anh", "Bình", "Chi", "Dũng", "Dương", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoà",
    "Hùng", "Hương", "Huy", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngân", "Nhi",
    "Phương", "Quân", "Quỳnh", "Sơn", "Thảo", "Thuỷ",
];
const PLACES: [&str; 8] = [
    "Hải Phòng",
    "Lê Chân - Hải Phòng",
    "Kiến An - Hải Phòng",
    "Thuỷ Nguyên - Hải Phòng",
    "Hải Dương",
    "Quảng Ninh",
    "Thái Bình",
    "Hưng Yên",
];

const FIELDS: [Field; 8] = [
    Field::Name,
    Field::Dob,
    Field::Birthplace,
    Field::Gender,
    Field::Ethnicity,
    Field::Grade,
    Field::DiplomaNo,
    Field::RegisterNo,
];

fn person(rng: &mut Rng, serial: usize) -> [String; 8] {
    let name = format!(
        "{} {} {}",
        rng.pick(&FAMILY),
        rng.pick(&MIDDLE),
        rng.pick(&GIVEN)
    );
    let dob = format!(
        "{:02}/{:02}/{}",
        1 + rng.below(28),
        1 + rng.below(12),
        1998 + rng.below(4)
    );
    [
        name.to_uppercase(),
        dob,
        rng.pick(&PLACES).to_string(),
        rng.pick(&["Nam", "Nữ"]).to_string(),
        rng.pick(&["Kinh", "Kinh", "Kinh", "Mường", "Tày"])
            .to_string(),
        rng.pick(&["", "", "Khá", "Giỏi", "Trung bình"]).to_string(),
        format!("B {}", 2_000_000 + serial),
        format!("2018/068/{serial:06}"),
    ]
}

/// One noise item on a database copy: the sorts of slips the real data has.
fn add_noise(rng: &mut Rng, p: &mut [String; 8]) {
    let replace_digit = |rng: &mut Rng, s: &str| -> String {
        let positions: Vec<usize> = s
            .char_indices()
            .filter(|(_, c)| c.is_ascii_digit())
            .map(|(i, _)| i)
            .collect();
        let at = positions[positions.len() - 1 - rng.below(3)];
        let old = s.as_bytes()[at];
        let new = b'0' + ((old - b'0' + 1 + rng.below(9) as u8) % 10);
        let mut bytes = s.as_bytes().to_vec();
        bytes[at] = new;
        String::from_utf8(bytes).expect("ASCII digit replaced by ASCII digit")
    };
    match rng.below(6) {
        0 => p[0] = p[0].replacen('N', "M", 1),
        1 => p[1] = replace_digit(rng, &p[1]),
        2 => {
            let parts: Vec<&str> = p[1].split('/').collect();
            p[1] = format!("{}/{}/{}", parts[1], parts[0], parts[2]);
        }
        3 => p[6] = replace_digit(rng, &p[6]),
        4 => p[3] = if p[3] == "Nam" { "Nữ" } else { "Nam" }.to_string(),
        _ => p[2] = rng.pick(&PLACES).to_string(),
    }
}

fn record(values: &[String; 8]) -> Record {
    let mut r = Record::default();
    for (f, v) in FIELDS.iter().zip(values) {
        // Generated dates may not exist (31/02 after a swap); such cells stay empty, as a reader
        // would leave them.
        let _ = r.set_from_text(*f, v);
    }
    r
}

fn scan_row(i: usize, values: &[String; 8]) -> ScanRow {
    ScanRow {
        file: "bench.pdf".into(),
        page: 1 + (i / 20) as u32,
        row: 1 + (i % 20) as u32,
        record: record(values),
        cells: FIELDS
            .iter()
            .zip(values)
            .map(|(f, v)| {
                let reading = CellReading {
                    raw: v.clone(),
                    confidence: 0.95,
                    problem: None,
                };
                (*f, reading)
            })
            .collect(),
        confidence: 0.95,
        flags: Vec::new(),
        bbox: PixelBox::default(),
    }
}

fn db_row(line: usize, values: &[String; 8]) -> DbRow {
    DbRow {
        line: line as u32,
        physical_row: line as u32 + 1,
        record: record(values),
        raw: Default::default(),
        extra: Default::default(),
        warnings: Vec::new(),
    }
}

/// Peak resident set size of this process in MiB (Linux `VmHWM`).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("sizes are row counts"))
        .collect();
    for n in sizes {
        let mut rng = Rng(20_180_720 + n as u64);
        let people: Vec<[String; 8]> = (0..n).map(|i| person(&mut rng, i)).collect();
        let scan: Vec<ScanRow> = people
            .iter()
            .enumerate()
            .map(|(i, p)| scan_row(i, p))
            .collect();
        let mut db_people = Vec::with_capacity(n);
        let mut planted = 0;
        for p in &people {
            if rng.below(100) < 5 {
                planted += 1;
                match rng.below(10) {
                    0 => continue,
                    1 => {
                        db_people.push(p.clone());
                        db_people.push(person(&mut rng, n + db_people.len()));
                        continue;
                    }
                    _ => {
                        let mut noisy = p.clone();
                        add_noise(&mut rng, &mut noisy);
                        db_people.push(noisy);
                        continue;
                    }
                }
            }
            db_people.push(p.clone());
        }
        for i in (1..db_people.len()).rev() {
            let j = rng.below(i + 1);
            db_people.swap(i, j);
        }
        let db: Vec<DbRow> = db_people
            .iter()
            .enumerate()
            .map(|(i, p)| db_row(i + 1, p))
            .collect();
        let rss_before = peak_rss_mib().unwrap_or(f64::NAN);
        let start = Instant::now();
        let rec = reconcile(&scan, &db, &MatchParams::default());
        let seconds = start.elapsed().as_secs_f64();
        let count = |k: Kind| rec.discrepancies.iter().filter(|d| d.kind == k).count();
        println!(
            "n={n} db={} noise_items={planted} time={seconds:.2}s peak_rss={:.0}MiB \
             (before matching {:.0}MiB) pairs={} field_mismatch={} missing_in_db={} \
             not_in_scan={} uncertain={} threads={}",
            db.len(),
            peak_rss_mib().unwrap_or(f64::NAN),
            rss_before,
            rec.pairs.len(),
            count(Kind::FieldMismatch),
            count(Kind::MissingInDb),
            count(Kind::NotInScan),
            count(Kind::Uncertain),
            rayon::current_num_threads(),
        );
    }
}
