//! Turns scored pairs and leftover rows into [`MatchPair`]s and [`Discrepancy`]s with their
//! Vietnamese explanations and confidences.

use super::compare::{self, Level, COMPARED};
use super::{
    grade_may_be_empty, pair_probability, reading_is_doubtful, DbRef, Discrepancy, DuplicateBy,
    FieldComparison, Kind, MatchPair, MatchParams, ScanRef, Scored,
};
use crate::fields::Field;
use crate::rows::{DbRow, RowFlag, ScanRow};

/// A score or similar number the Vietnamese way (`35,5`).
fn number(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

fn percent(x: f32) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Vietnamese words for a difference detail.
fn detail_vi(detail: &str) -> &'static str {
    match detail {
        "day_month_swapped" => "đảo ngày và tháng",
        "digit_typo" => "sai một chữ số",
        "digit_transposition" => "đảo hai chữ số liền nhau",
        "digit_count" => "thừa hoặc thiếu một chữ số",
        "series_letter" => "khác chữ cái sê-ri",
        "diacritics_only" => "chỉ khác dấu",
        "missing_word" => "thiếu một từ",
        "spelling" => "khác chính tả",
        "partial" => "một bên thiếu một phần",
        "y_i_variant" => "biến thể y/i",
        "year_only" => "một bên chỉ có năm",
        "wrong_year" => "sai năm",
        "ocr_confusion" => "khác ở ký tự dễ đọc nhầm",
        "empty_in_db" => "CSDL để trống",
        "empty_on_paper" => "trên sổ để trống",
        "invalid_in_db" => "giá trị trong CSDL không hợp lệ",
        "unparsed_on_paper" => "không đọc được giá trị trên sổ",
        _ => "khác",
    }
}

fn level_vi(level: Level) -> &'static str {
    match level {
        Level::Exact => "khớp",
        Level::Equivalent => "tương đương",
        Level::DayMonthSwapped => "đảo ngày/tháng",
        Level::Close => "gần giống",
        Level::Different => "khác",
        Level::Missing => "trống",
    }
}

fn quoted(v: &Option<String>) -> String {
    v.as_ref()
        .map_or_else(|| "(trống)".to_string(), |v| format!("«{v}»"))
}

fn label_lower(field: Field) -> String {
    let label = field.label_vi();
    if field == Field::Stt {
        return label.to_string();
    }
    let mut cs = label.chars();
    cs.next()
        .map(|c| c.to_lowercase().chain(cs).collect())
        .unwrap_or_default()
}

/// The inputs every explanation needs.
pub(super) struct Context<'a> {
    pub scan: &'a [ScanRow],
    pub db: &'a [DbRow],
    pub params: &'a MatchParams,
}

impl Context<'_> {
    fn scan_ref(&self, i: usize, value: Option<String>) -> ScanRef {
        let s = &self.scan[i];
        ScanRef {
            file: s.file.clone(),
            page: s.page,
            row: s.row,
            value,
            stt: s.record.stt,
        }
    }

    fn db_ref(&self, j: usize, value: Option<String>) -> DbRef {
        DbRef {
            line: self.db[j].line,
            value,
        }
    }

    /// A paper value as displayed, or the text read from the cell when it did not parse.
    fn scan_text(&self, i: usize, field: Field) -> Option<String> {
        let row = &self.scan[i];
        row.record.display(field).or_else(|| {
            let raw = crate::text::clean(&row.cells.get(&field)?.raw);
            (!raw.is_empty()).then_some(raw)
        })
    }

    /// A database value as displayed, or the cell text when it did not parse.
    fn db_text(&self, j: usize, field: Field) -> Option<String> {
        let row = &self.db[j];
        row.record.display(field).or_else(|| {
            let raw = crate::text::clean(row.raw.get(&field)?);
            (!raw.is_empty()).then_some(raw)
        })
    }

    fn scan_name(&self, i: usize) -> Option<String> {
        self.scan_text(i, Field::Name)
    }

    fn db_name(&self, j: usize) -> Option<String> {
        self.db_text(j, Field::Name)
    }

    /// Builds the pair with its per-field comparisons and the sentence saying why it was made.
    pub fn pair(&self, i: usize, j: usize, scored: &Scored) -> MatchPair {
        let fields: Vec<FieldComparison> = COMPARED
            .iter()
            .zip(&scored.outcomes)
            .map(|(&field, o)| FieldComparison {
                field,
                level: o.level,
                detail: o.detail,
                weight: compare::weight(field, o.level),
                scan_value: self.scan_text(i, field),
                db_value: self.db_text(j, field),
            })
            .collect();
        let identifying = [Field::DiplomaNo, Field::Dob, Field::Name, Field::RegisterNo];
        let basis: Vec<String> = fields
            .iter()
            .filter(|f| identifying.contains(&f.field) && f.level.agrees())
            .map(|f| {
                format!(
                    "{} {}",
                    label_lower(f.field),
                    f.scan_value.as_deref().unwrap_or_default()
                )
            })
            .collect();
        let levels: Vec<String> = fields
            .iter()
            .map(|f| {
                format!(
                    "{} {} ({:+})",
                    label_lower(f.field),
                    level_vi(f.level),
                    f.weight
                )
            })
            .collect();
        let basis = if basis.is_empty() {
            "các trường gần giống".to_string()
        } else {
            basis.join(", ")
        };
        let explanation = format!(
            "Ghép với dòng CSDL {} theo {basis} (điểm {}: {})",
            self.db[j].line,
            number(scored.score),
            levels.join(", ")
        );
        MatchPair {
            scan_index: i,
            db_index: j,
            score: scored.score,
            fields,
            explanation,
        }
    }

    /// The `field_mismatch` and field-level `uncertain` items of a matched pair.
    pub fn field_discrepancies(&self, pair: &MatchPair) -> Vec<Discrepancy> {
        let row = &self.scan[pair.scan_index];
        let p_pair = pair_probability(pair.score);
        let mut out = Vec::new();
        for fc in &pair.fields {
            if fc.level.agrees() {
                continue;
            }
            let scan_parsed = row.record.display(fc.field).is_some();
            let db_parsed = self.db[pair.db_index].record.display(fc.field).is_some();
            let one_empty = fc.scan_value.is_none() || fc.db_value.is_none();
            if fc.field == Field::Grade && one_empty && grade_may_be_empty(self.params) {
                continue;
            }
            let detail = match (fc.level, scan_parsed, db_parsed) {
                (Level::Missing, false, false) => continue,
                (Level::Missing, true, false) if fc.db_value.is_some() => Some("invalid_in_db"),
                (Level::Missing, true, false) => Some("empty_in_db"),
                (Level::Missing, false, true) if fc.scan_value.is_some() => {
                    Some("unparsed_on_paper")
                }
                (Level::Missing, false, true) => Some("empty_on_paper"),
                _ => fc.detail,
            };
            let outcome = compare::Outcome {
                level: fc.level,
                detail,
            };
            let cell = row.cells.get(&fc.field);
            // A paper cell that yielded no value is only a fact when it was read as blank.
            let unread = !scan_parsed && cell.is_none_or(|c| !c.raw.trim().is_empty());
            let doubtful = unread || reading_is_doubtful(row, fc.field, outcome, self.params);
            let confidence = cell.map_or(row.confidence, |c| c.confidence);
            let what = format!(
                "{}: trên sổ {}, trong CSDL {}{}",
                fc.field.label_vi(),
                quoted(&fc.scan_value),
                quoted(&fc.db_value),
                detail.map_or(String::new(), |d| format!(" ({})", detail_vi(d)))
            );
            let (kind, explanation) = if doubtful {
                (
                    Kind::Uncertain,
                    format!(
                        "{what}. Chữ trên ảnh chưa chắc chắn ({}), cần xem ảnh trang {} dòng {}. {}",
                        self.doubt_reason(pair.scan_index, fc.field),
                        row.page,
                        row.row,
                        pair.explanation
                    ),
                )
            } else {
                (Kind::FieldMismatch, format!("{what}. {}", pair.explanation))
            };
            out.push(Discrepancy {
                kind,
                field: Some(fc.field),
                detail: detail.map(str::to_string),
                scan: Some(self.scan_ref(pair.scan_index, fc.scan_value.clone())),
                db: Some(self.db_ref(pair.db_index, fc.db_value.clone())),
                confidence: (p_pair * confidence).clamp(0.0, 1.0),
                explanation,
            });
        }
        out
    }

    fn doubt_reason(&self, i: usize, field: Field) -> String {
        let row = &self.scan[i];
        let mut reasons = Vec::new();
        if row.flags.contains(&RowFlag::Handwriting) {
            reasons.push("dòng có chữ viết tay".to_string());
        }
        if row.flags.contains(&RowFlag::ColouredInk) {
            reasons.push("dòng có mực màu".to_string());
        }
        if row.flags.contains(&RowFlag::Stamp) {
            reasons.push("dòng bị con dấu đè lên".to_string());
        }
        match row.cells.get(&field) {
            Some(c) => {
                if let Some(problem) = &c.problem {
                    reasons.push(format!("ô đọc được «{}» nhưng {problem}", c.raw));
                }
                reasons.push(format!("độ tin cậy nhận dạng {}", percent(c.confidence)));
            }
            None => reasons.push("ô không đọc được".to_string()),
        }
        reasons.join("; ")
    }

    /// A leftover pair that resembles but does not reach a match: one `uncertain` item.
    pub fn possible_match(&self, pair: &MatchPair) -> Discrepancy {
        let differing: Vec<String> = pair
            .fields
            .iter()
            .filter(|f| {
                matches!(
                    f.level,
                    Level::Different | Level::Close | Level::DayMonthSwapped
                )
            })
            .map(|f| {
                format!(
                    "{} trên sổ {}, trong CSDL {}",
                    label_lower(f.field),
                    quoted(&f.scan_value),
                    quoted(&f.db_value)
                )
            })
            .collect();
        Discrepancy {
            kind: Kind::Uncertain,
            field: None,
            detail: Some("possible_match".to_string()),
            scan: Some(self.scan_ref(pair.scan_index, self.scan_name(pair.scan_index))),
            db: Some(self.db_ref(pair.db_index, self.db_name(pair.db_index))),
            confidence: pair_probability(pair.score),
            explanation: format!(
                "Có thể là cùng một người với dòng CSDL {} nhưng chưa đủ bằng chứng để ghép \
                 (điểm {}, cần {} và ngày sinh hoặc số hiệu khớp). Khác nhau: {}. \
                 Nếu là cùng người thì đây là sai lệch thông tin; nếu không, dòng trên sổ thiếu \
                 trong CSDL và dòng CSDL không có trên sổ. {}",
                self.db[pair.db_index].line,
                number(pair.score),
                number(self.params.min_score),
                differing.join("; "),
                pair.explanation
            ),
        }
    }

    /// A paper row left without a database row: `missing_in_db`, or `uncertain` when too little
    /// of the row was read to look it up.
    pub fn missing_in_db(&self, i: usize, best: Option<(u32, f64)>) -> Discrepancy {
        let r = &self.scan[i].record;
        let identifiers = [r.name.is_some(), r.dob.is_some(), r.diploma_no.is_some()];
        let readable = identifiers.iter().filter(|&&x| x).count() >= 2;
        let nearest = best.map_or(
            "không có dòng CSDL nào cùng số hiệu, ngày sinh hay họ tên".to_string(),
            |(j, s)| {
                format!(
                    "dòng CSDL gần nhất là dòng {} (điểm {})",
                    self.db[j as usize].line,
                    number(s)
                )
            },
        );
        let p_absent = 1.0 - best.map_or(0.0, |(_, s)| pair_probability(s));
        if readable {
            Discrepancy {
                kind: Kind::MissingInDb,
                field: None,
                detail: None,
                scan: Some(self.scan_ref(i, self.scan_name(i))),
                db: None,
                confidence: p_absent,
                explanation: format!(
                    "Dòng trên sổ không có trong CSDL: {nearest}, không đủ để ghép."
                ),
            }
        } else {
            Discrepancy {
                kind: Kind::Uncertain,
                field: None,
                detail: Some("unreadable_row".to_string()),
                scan: Some(self.scan_ref(i, self.scan_name(i))),
                db: None,
                confidence: p_absent * self.scan[i].confidence,
                explanation: format!(
                    "Không đọc được đủ họ tên, ngày sinh và số hiệu của dòng này nên không thể \
                     đối chiếu; {nearest}. Cần xem ảnh trang {} dòng {}.",
                    self.scan[i].page, self.scan[i].row
                ),
            }
        }
    }

    /// A database row no paper row matched.
    pub fn not_in_scan(&self, j: usize, best: Option<f64>) -> Discrepancy {
        let d = &self.db[j];
        let ids: Vec<String> = [Field::DiplomaNo, Field::Dob]
            .iter()
            .filter_map(|&f| Some(format!("{} {}", label_lower(f), d.record.display(f)?)))
            .collect();
        Discrepancy {
            kind: Kind::NotInScan,
            field: None,
            detail: None,
            scan: None,
            db: Some(self.db_ref(j, self.db_name(j))),
            confidence: 1.0 - best.map_or(0.0, pair_probability),
            explanation: format!(
                "Dòng CSDL {} ({}{}) không khớp với dòng nào trên sổ đã quét.",
                d.line,
                quoted(&self.db_name(j)),
                ids.iter().map(|s| format!(", {s}")).collect::<String>()
            ),
        }
    }

    /// An unmatched database row repeating `original`.
    pub fn duplicate(
        &self,
        j: usize,
        original: usize,
        pairs: &[MatchPair],
        why: DuplicateBy,
    ) -> Discrepancy {
        let paired = pairs.iter().find(|p| p.db_index == original);
        let (detail, same, confidence) = match why {
            DuplicateBy::DiplomaNo => ("same_diploma_no", "cùng số hiệu văn bằng", 0.95),
            DuplicateBy::NameAndDob => ("same_name_and_dob", "cùng họ tên và ngày sinh", 0.85),
        };
        let where_ = paired.map_or("dòng đó cũng không có trên sổ".to_string(), |p| {
            let s = &self.scan[p.scan_index];
            format!(
                "dòng đó đã ghép với sổ {} trang {} dòng {}",
                s.file, s.page, s.row
            )
        });
        Discrepancy {
            kind: Kind::DuplicateInDb,
            field: None,
            detail: Some(detail.to_string()),
            scan: paired.map(|p| self.scan_ref(p.scan_index, self.scan_name(p.scan_index))),
            db: Some(self.db_ref(j, self.db_name(j))),
            confidence,
            explanation: format!(
                "Dòng CSDL {} trùng với dòng CSDL {} ({same}); {where_}.",
                self.db[j].line, self.db[original].line
            ),
        }
    }
}
