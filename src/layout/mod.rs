//! Layout stage: an upright, deskewed page with its ruled table, and which column holds what.
//!
//! [`analyse`] turns a [`PageImage`] into a [`PageLayout`]: quarter turns and skew undone, ink
//! mask, table grid, coloured marks, and a copy of the page with the ruling lines erased for OCR.
//! Column identification ([`columns`]) needs header text, which the OCR stage reads.

pub mod columns;
pub mod geometry;
pub mod grid;
pub mod ink;
pub mod marks;

use std::time::{Duration, Instant};

use image::imageops;
use image::GrayImage;

pub use columns::{ColumnKind, ColumnMap, LayoutFile, LayoutFileError};
pub use geometry::Rotation;
pub use grid::{Grid, GridError, GridParams, Line, Span};
pub use ink::InkMask;
pub use marks::{Marks, Rect};

use crate::raster::PageImage;
use crate::rows::PixelBox;

/// Settings of the layout stage.
#[derive(Debug, Clone)]
pub struct LayoutParams {
    /// Largest skew corrected, in degrees.
    pub max_skew_deg: f32,
    /// Table finder settings.
    pub grid: GridParams,
}

impl Default for LayoutParams {
    fn default() -> Self {
        LayoutParams {
            max_skew_deg: 5.0,
            grid: GridParams::default(),
        }
    }
}

/// Time spent in each step of [`analyse`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LayoutTimings {
    /// Orientation, skew estimation and rotation.
    pub deskew: Duration,
    /// Ink mask, grid, marks and line erasing.
    pub grid: Duration,
}

/// A page made upright and straight, with its table.
#[derive(Debug, Clone)]
pub struct PageLayout {
    /// Upright, deskewed page with the table's ruling lines painted white (what OCR reads).
    pub gray: GrayImage,
    /// Ink of the upright, deskewed page (ruling lines included).
    pub ink: InkMask,
    /// Coloured marks (stamps, red/blue ink); empty for gray scans.
    pub marks: Marks,
    /// Resolution of the page.
    pub dpi: f32,
    /// Quarter turns undone.
    pub rotation: Rotation,
    /// Skew undone, degrees.
    pub skew_deg: f32,
    /// The table.
    pub grid: Grid,
    /// Time per step.
    pub timings: LayoutTimings,
    quarter: Rotation,
    half: bool,
    source: (u32, u32),
}

/// A page → its upright layout, or why no table was found.
pub fn analyse(page: &PageImage, params: &LayoutParams) -> Result<PageLayout, GridError> {
    let t0 = Instant::now();
    let mut gray = page.gray.clone();
    // Only where the colour is matters after decoding (stamps, red or blue ink), so the colour
    // page becomes a mask at once: turning one byte per pixel is a third of the work of
    // turning three, and the mask needs no blending.
    let mut coloured = page.color.as_ref().map(marks::coloured_mask);
    let mut ink = InkMask::from_gray(&gray);
    let mut runs = geometry::orientation_runs(&ink, page.dpi);
    let quarter = if geometry::is_quarter_turned(&ink, &runs, page.dpi) {
        gray = imageops::rotate90(&gray);
        coloured = coloured.map(|c| imageops::rotate90(&c));
        ink = InkMask::from_gray(&gray);
        runs = geometry::orientation_runs(&ink, page.dpi);
        Rotation::Cw90
    } else {
        Rotation::None
    };
    let skew = geometry::estimate_skew(&ink, &runs, page.dpi, params.max_skew_deg);
    if skew.abs() >= 0.05 {
        gray = geometry::rotate_gray(&gray, skew);
        coloured = coloured.map(|c| geometry::rotate_mask(&c, skew));
    }
    let deskew = t0.elapsed();
    let t1 = Instant::now();
    if skew.abs() >= 0.05 {
        ink = InkMask::from_gray(&gray);
    }
    let mut grid = grid::find_grid(&ink, page.dpi, &params.grid)?;
    let half = upside_down(&grid);
    if half {
        imageops::rotate180_in_place(&mut gray);
        if let Some(c) = coloured.as_mut() {
            imageops::rotate180_in_place(c);
        }
        ink.data.reverse();
        grid = flip_grid(&grid, ink.width, ink.height);
    }
    let marks = coloured
        .as_ref()
        .map(|c| Marks::find(c, page.dpi, skew))
        .unwrap_or_default();
    erase_lines(&mut gray, &grid);
    if let Some(c) = &coloured {
        drop_coloured_ink(&mut gray, c);
    }
    let rotation = if half { quarter.plus_half() } else { quarter };
    let source = (page.gray.width(), page.gray.height());
    Ok(PageLayout {
        gray,
        ink,
        marks,
        dpi: page.dpi,
        rotation,
        skew_deg: skew,
        grid,
        timings: LayoutTimings {
            deskew,
            grid: t1.elapsed(),
        },
        quarter,
        half,
        source,
    })
}

/// A header row is taller than data rows; when the tallest row is at the bottom and the top row
/// is an ordinary one, the page is upside down.
fn upside_down(grid: &Grid) -> bool {
    let rows = grid.rows();
    if rows.len() < 3 {
        return false;
    }
    let mut h: Vec<u32> = rows.iter().map(Span::len).collect();
    h.sort_unstable();
    let median = h[h.len() / 2] as f32;
    let tall = |s: &Span| s.len() as f32 > median * 1.3;
    let last_line = grid.h_lines[grid.h_lines.len() - 1];
    !tall(&rows[0]) && tall(&rows[rows.len() - 1]) && !last_line.inferred
}

fn flip_grid(grid: &Grid, w: u32, h: u32) -> Grid {
    let flip = |lines: &[Line], size: u32| -> Vec<Line> {
        lines
            .iter()
            .rev()
            .map(|l| Line {
                start: size - l.end,
                end: size - l.start,
                inferred: l.inferred,
            })
            .collect()
    };
    Grid {
        h_lines: flip(&grid.h_lines, h),
        v_lines: flip(&grid.v_lines, w),
    }
}

/// A red pixel whose red channel is at least this is red ink over paper (stamp, pen); darker,
/// there is print under it.
const RED_OVER_PAPER: u8 = 128;

/// Takes stamps and ink corrections off the gray page Tesseract reads; the marks themselves are
/// kept in [`PageLayout::marks`]. Blue pixels (pen) are painted in the paper's colour, and so are
/// red pixels that are light in the red channel ([`marks::coloured_mask`]): red ink over paper.
/// Red pixels dark even in the red channel have print under them (a stamp over text, the reddish
/// fringe JPEG puts around print next to a stamp) and keep that darkness. Painting every red pixel
/// as paper erased the strokes of digits a stamp's ring crossed (`2018/068/3115` read
/// `2018/06/3015`).
fn drop_coloured_ink(gray: &mut GrayImage, coloured: &GrayImage) {
    let paper = paper_level(gray);
    for (g, &c) in gray.as_mut().iter_mut().zip(coloured.as_raw()) {
        match c {
            0 => {}
            marks::BLUE => *g = paper,
            red if red >= RED_OVER_PAPER => *g = paper,
            red => *g = (*g).max(red),
        }
    }
}

/// Brightness of the paper: the 90th percentile of a sample of the page's pixels.
fn paper_level(gray: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in gray.as_raw().iter().step_by(13) {
        hist[*p as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    let mut seen = 0;
    (0..256)
        .find(|&v| {
            seen += hist[v];
            seen * 10 >= total * 9
        })
        .unwrap_or(255) as u8
}

/// Paints the table's ruling lines in the paper's colour (with a 2-pixel margin for
/// anti-aliasing), so that a cell's text is not read together with its borders. Paper colour
/// rather than white: a white stripe on gray paper is an edge of its own to the recogniser.
fn erase_lines(gray: &mut GrayImage, grid: &Grid) {
    let (w, h) = gray.dimensions();
    let paper = paper_level(gray);
    let (Some(first_v), Some(last_v)) = (grid.v_lines.first(), grid.v_lines.last()) else {
        return;
    };
    let (Some(first_h), Some(last_h)) = (grid.h_lines.first(), grid.h_lines.last()) else {
        return;
    };
    let x0 = first_v.start.saturating_sub(2);
    let x1 = (last_v.end + 2).min(w);
    let y0 = first_h.start.saturating_sub(2);
    let y1 = (last_h.end + 2).min(h);
    for l in &grid.h_lines {
        for y in l.start.saturating_sub(2)..(l.end + 2).min(h) {
            for x in x0..x1 {
                gray.put_pixel(x, y, image::Luma([paper]));
            }
        }
    }
    for l in &grid.v_lines {
        for x in l.start.saturating_sub(2)..(l.end + 2).min(w) {
            for y in y0..y1 {
                gray.put_pixel(x, y, image::Luma([paper]));
            }
        }
    }
}

impl PageLayout {
    /// Cell rectangle (inside the ruling lines) of table row `row`, column `col`.
    pub fn cell(&self, row: usize, col: usize) -> Option<Rect> {
        let r = *self.grid.rows().get(row)?;
        let c = *self.grid.cols().get(col)?;
        Some(Rect {
            x0: c.start,
            y0: r.start,
            x1: c.end,
            y1: r.end,
        })
    }

    /// A rectangle of the upright page → the box it covers on the page image as decoded.
    pub fn to_source_box(&self, r: &Rect) -> PixelBox {
        let (w, h) = (self.ink.width, self.ink.height);
        let corners = [(r.x0, r.y0), (r.x1, r.y0), (r.x0, r.y1), (r.x1, r.y1)];
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (x, y) in corners {
            let (mut x, mut y) = (x as f32, y as f32);
            if self.half {
                x = w as f32 - x;
                y = h as f32 - y;
            }
            let (ux, uy) = geometry::unrotate_point(x, y, w, h, self.skew_deg);
            let (sx, sy) = match self.quarter {
                // rotate90 sent source (x, y) to (h_src - 1 - y, x).
                Rotation::Cw90 => (uy, self.source.1 as f32 - 1.0 - ux),
                _ => (ux, uy),
            };
            x0 = x0.min(sx);
            y0 = y0.min(sy);
            x1 = x1.max(sx);
            y1 = y1.max(sy);
        }
        let clamp_x = |v: f32| v.clamp(0.0, self.source.0 as f32) as u32;
        let clamp_y = |v: f32| v.clamp(0.0, self.source.1 as f32) as u32;
        let (bx, by) = (clamp_x(x0), clamp_y(y0));
        PixelBox {
            x: bx,
            y: by,
            width: clamp_x(x1) - bx,
            height: clamp_y(y1) - by,
        }
    }
}
