//! Delimited text (CSV, TSV, TXT) → grid rows: separator sniffing and quoted fields.

use super::Cell;

/// Separators tried, in the order that wins ties: a tab or `;` inside values is rarer than `,`
/// (which appears in places such as `Thủy Nguyên, Hải Phòng`).
const SEPARATORS: [u8; 3] = [b'\t', b';', b','];

/// Records looked at when sniffing the separator.
const SNIFF_RECORDS: usize = 50;

fn reader(text: &str, sep: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes())
}

/// Excel writes `sep=;` as the first line when asked to name the separator.
fn explicit_separator(text: &str) -> Option<(u8, &str)> {
    let first = text.lines().next()?;
    let sep = first.trim_end().strip_prefix("sep=")?;
    match sep.as_bytes() {
        [b] if SEPARATORS.contains(b) => {
            Some((*b, text[first.len()..].trim_start_matches(['\r', '\n'])))
        }
        _ => None,
    }
}

/// The separator under which most of the first records have the same number of fields (two or
/// more); title rows of one field do not count against it.
fn sniff(text: &str) -> u8 {
    let mut best = (b',', 0usize);
    for sep in SEPARATORS {
        let counts: Vec<usize> = reader(text, sep)
            .records()
            .take(SNIFF_RECORDS)
            .filter_map(Result::ok)
            .map(|r| r.len())
            .filter(|&n| n >= 2)
            .collect();
        let modal = counts
            .iter()
            .map(|n| counts.iter().filter(|m| *m == n).count())
            .max()
            .unwrap_or(0);
        if modal > best.1 {
            best = (sep, modal);
        }
    }
    best.0
}

/// A record the parser could not read, at a line of the text.
#[derive(Debug)]
pub(crate) struct BadRecord {
    pub line: u64,
    pub message: String,
}

/// Delimited text split into rows, with the separator used. Empty lines (which the CSV parser
/// skips) come back as empty rows, so that row `i` is what a spreadsheet shows as row `i + 1`
/// and blank rows keep their place in the line numbering.
pub(crate) fn parse(text: &str) -> Result<(Vec<Vec<Cell>>, u8), BadRecord> {
    let (sep, body) = explicit_separator(text).unwrap_or_else(|| (sniff(text), text));
    let mut rdr = reader(body, sep);
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The parser skips empty lines without a trace in the record's position; they show as lines
    // consumed beyond the record's own (one, plus any newline inside quotes).
    let mut line_before = 1u64;
    loop {
        match rdr.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(line_before, csv::Position::line);
                return Err(BadRecord {
                    line,
                    message: e.to_string(),
                });
            }
        }
        let line_after = rdr.position().line();
        let own_lines = 1 + record
            .iter()
            .map(|f| f.matches('\n').count() as u64)
            .sum::<u64>();
        let skipped = (line_after - line_before).saturating_sub(own_lines);
        line_before = line_after;
        rows.extend((0..skipped).map(|_| Vec::new()));
        rows.push(
            record
                .iter()
                .map(|f| {
                    if f.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok((rows, sep))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.text().unwrap_or_default()).collect())
            .collect()
    }

    #[test]
    fn separators_are_sniffed_despite_commas_in_values() {
        let text = "Họ, chữ đệm và tên;Nơi sinh\nAn;Thủy Nguyên, Hải Phòng\nBình;Hà Nội\n";
        let (rows, sep) = parse(text).unwrap();
        assert_eq!(sep, b';');
        assert_eq!(texts(&rows)[1], ["An", "Thủy Nguyên, Hải Phòng"]);
        assert_eq!(parse("a\tb\n1\t2\n").unwrap().1, b'\t');
        assert_eq!(parse("a,b\n1,2\n").unwrap().1, b',');
    }

    #[test]
    fn quoted_fields_keep_separators_and_newlines_and_blank_lines_keep_their_row() {
        let text = "a,b\n\"x, y\",\"two\nlines\"\n\nlast,row\n";
        let (rows, _) = parse(text).unwrap();
        assert_eq!(
            texts(&rows),
            vec![
                vec!["a".to_string(), "b".into()],
                vec!["x, y".into(), "two\nlines".into()],
                vec![],
                vec!["last".into(), "row".into()],
            ]
        );
    }

    #[test]
    fn excel_sep_line_names_the_separator() {
        let (rows, sep) = parse("sep=;\na;b,c\n").unwrap();
        assert_eq!(sep, b';');
        assert_eq!(texts(&rows), vec![vec!["a".to_string(), "b,c".into()]]);
    }
}
