//! Table finder: ruling lines → rows and columns of cells.

use thiserror::Error;

use super::ink::{horizontal_runs, vertical_runs, InkMask, Run};

/// One ruling line: the band of pixels it covers across its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// First pixel row (horizontal line) or column (vertical line) of the band.
    pub start: u32,
    /// One past the last pixel of the band.
    pub end: u32,
    /// True when no ink line was found here and the line was inferred (a last row whose bottom
    /// line is missing).
    pub inferred: bool,
}

/// The space between two ruling lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First pixel inside.
    pub start: u32,
    /// One past the last pixel inside.
    pub end: u32,
}

impl Span {
    /// Size in pixels.
    pub fn len(&self) -> u32 {
        self.end - self.start
    }

    /// Whether the span has no pixels.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// The ruled table of one (deskewed) page.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Horizontal ruling lines, top to bottom.
    pub h_lines: Vec<Line>,
    /// Vertical ruling lines, left to right.
    pub v_lines: Vec<Line>,
}

impl Grid {
    /// Rows of the table (every row, header rows included), top to bottom.
    pub fn rows(&self) -> Vec<Span> {
        spans(&self.h_lines)
    }

    /// Columns of the table, left to right.
    pub fn cols(&self) -> Vec<Span> {
        spans(&self.v_lines)
    }
}

fn spans(lines: &[Line]) -> Vec<Span> {
    lines
        .windows(2)
        .map(|w| Span {
            start: w[0].end,
            end: w[1].start,
        })
        .collect()
}

/// Settings of the table finder.
#[derive(Debug, Clone)]
pub struct GridParams {
    /// A horizontal line must cover this fraction of the table's width (lines broken by stamps
    /// or dropouts still pass).
    pub min_h_coverage: f32,
    /// A vertical line must cover this fraction of the table's height (header-only dividers of
    /// merged header cells do not).
    pub min_v_coverage: f32,
    /// Lines closer than this (inches) are one line (double borders).
    pub merge_in: f32,
    /// Rows thinner than this (inches) are not rows.
    pub min_row_in: f32,
}

impl Default for GridParams {
    fn default() -> Self {
        GridParams {
            min_h_coverage: 0.5,
            min_v_coverage: 0.5,
            merge_in: 0.05,
            min_row_in: 0.08,
        }
    }
}

/// Why no table was found.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum GridError {
    /// Not enough long lines for a table.
    #[error("no ruled table: found {h_lines} long horizontal and {v_lines} long vertical lines")]
    NoTable {
        /// Horizontal line candidates seen.
        h_lines: usize,
        /// Vertical line candidates seen.
        v_lines: usize,
    },
}

/// Ink mask of a deskewed page at `dpi` → its ruled table.
///
/// Lines are long straight runs of ink (small gaps bridged) whose total length along one pixel
/// row/column covers most of the table; bands of neighbouring rows/columns form one line, and
/// lines closer than [`GridParams::merge_in`] merge (double borders). When the column lines go on
/// well below the last horizontal line, the table's bottom line is inferred there.
pub fn find_grid(mask: &InkMask, dpi: f32, params: &GridParams) -> Result<Grid, GridError> {
    let gap = ((dpi / 100.0) as u32).max(2);
    let min_run = ((dpi * 0.4) as u32).max(20);
    let merge = (dpi * params.merge_in) as u32;
    let h_runs = horizontal_runs(mask, gap, min_run);
    let width_all = Span {
        start: 0,
        end: mask.width,
    };
    let rough_h = bands(&h_runs, mask.height, width_all, 0.25, merge);
    if rough_h.len() < 2 {
        return Err(GridError::NoTable {
            h_lines: rough_h.len(),
            v_lines: 0,
        });
    }
    let rough_y = Span {
        start: rough_h[0].start,
        end: rough_h[rough_h.len() - 1].end,
    };
    let v_runs = vertical_runs(mask, gap, min_run);
    // A column line meets the row lines; a dark page edge or a shadow running beside the table
    // is as long but no row line reaches it.
    let v_lines: Vec<Line> = bands(&v_runs, mask.width, rough_y, params.min_v_coverage, merge)
        .into_iter()
        .filter(|v| {
            let touched = rough_h
                .iter()
                .filter(|h| {
                    h_runs.iter().any(|r| {
                        r.at >= h.start
                            && r.at < h.end
                            && r.start <= v.end + gap
                            && r.end + gap >= v.start
                    })
                })
                .count();
            touched * 2 >= rough_h.len()
        })
        .collect();
    if v_lines.len() < 2 {
        return Err(GridError::NoTable {
            h_lines: rough_h.len(),
            v_lines: v_lines.len(),
        });
    }
    let table_x = Span {
        start: v_lines[0].start,
        end: v_lines[v_lines.len() - 1].end,
    };
    // The table's vertical extent is where its column lines run; a long rule in the title block
    // or footer lies outside it.
    let (top, bottom) = vertical_extent(&v_runs, &v_lines, rough_y, dpi);
    let tol = (dpi * 0.05) as u32;
    let mut h_lines: Vec<Line> = bands(&h_runs, mask.height, table_x, params.min_h_coverage, merge)
        .into_iter()
        .filter(|l| l.end + tol >= top && l.start <= bottom + tol)
        .collect();
    if h_lines.len() < 2 {
        return Err(GridError::NoTable {
            h_lines: h_lines.len(),
            v_lines: v_lines.len(),
        });
    }
    let min_row = (dpi * params.min_row_in) as u32;
    let mut heights: Vec<u32> = spans(&h_lines).iter().map(Span::len).collect();
    heights.sort_unstable();
    let typical = heights[heights.len() / 2].max(min_row);
    let last = h_lines[h_lines.len() - 1];
    if bottom > last.end + typical * 2 / 5 {
        h_lines.push(Line {
            start: bottom,
            end: bottom + 1,
            inferred: true,
        });
    }
    let first = h_lines[0];
    if first.start > top + typical * 2 / 5 {
        h_lines.insert(
            0,
            Line {
                start: top.saturating_sub(1),
                end: top,
                inferred: true,
            },
        );
    }
    h_lines.dedup_by(|b, a| {
        b.start < a.end + min_row && {
            a.end = a.end.max(b.end);
            true
        }
    });
    Ok(Grid { h_lines, v_lines })
}

/// Lines from runs: positions whose runs (clipped to `within`) cover `coverage` of its length,
/// grouped into bands and merged when closer than `merge`.
fn bands(runs: &[Run], size: u32, within: Span, coverage: f32, merge: u32) -> Vec<Line> {
    let mut profile = vec![0u32; size as usize];
    for r in runs {
        let s = r.start.max(within.start);
        let e = r.end.min(within.end);
        if e > s {
            profile[r.at as usize] += e - s;
        }
    }
    let need = (within.len() as f32 * coverage) as u32;
    let mut lines: Vec<Line> = Vec::new();
    for (i, &v) in profile.iter().enumerate() {
        if v < need.max(1) {
            continue;
        }
        let i = i as u32;
        match lines.last_mut() {
            Some(l) if i <= l.end + merge => l.end = i + 1,
            _ => lines.push(Line {
                start: i,
                end: i + 1,
                inferred: false,
            }),
        }
    }
    lines
}

/// Median top and bottom of the vertical lines. A line's runs are chained across breaks of up
/// to half an inch (lines broken by dropouts or stamps), and its longest chain is the line.
fn vertical_extent(v_runs: &[Run], v_lines: &[Line], rough_y: Span, dpi: f32) -> (u32, u32) {
    let max_break = (dpi * 0.5) as u32;
    let mut tops = Vec::new();
    let mut bottoms = Vec::new();
    for l in v_lines {
        let mut mine: Vec<Run> = v_runs
            .iter()
            .filter(|r| r.at >= l.start && r.at < l.end)
            .copied()
            .collect();
        mine.sort_unstable_by_key(|r| r.start);
        let mut best: Option<(u32, u32)> = None;
        let mut chain: Option<(u32, u32)> = None;
        for r in mine {
            chain = match chain {
                Some((s, e)) if r.start <= e + max_break => Some((s, e.max(r.end))),
                _ => Some((r.start, r.end)),
            };
            let c = chain.expect("just set");
            if best.is_none_or(|b| c.1 - c.0 > b.1 - b.0) {
                best = Some(c);
            }
        }
        if let Some((t, b)) = best.filter(|(t, b)| b - t >= rough_y.len() / 3) {
            tops.push(t);
            bottoms.push(b);
        }
    }
    if tops.is_empty() {
        return (rough_y.start, rough_y.end);
    }
    tops.sort_unstable();
    bottoms.sort_unstable();
    (tops[tops.len() / 2], bottoms[bottoms.len() / 2])
}
