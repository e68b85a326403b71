//! Coloured marks on a colour scan: round stamps and red/blue ink.

use image::{GrayImage, RgbImage};

/// A rectangle in pixels of the image it was found in: [x0, x1) × [y0, y1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left.
    pub x0: u32,
    /// Top.
    pub y0: u32,
    /// Right (exclusive).
    pub x1: u32,
    /// Bottom (exclusive).
    pub y1: u32,
}

impl Rect {
    /// Whether two rectangles share any pixel.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// Coloured ink found on a page.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Boxes of round stamps (large roughly square blobs of coloured ink).
    pub stamps: Vec<Rect>,
    /// Coloured (red or blue) pixels sampled every [`Marks::STEP`] pixels, row-major, outside
    /// stamps; empty for gray scans.
    coloured: Vec<u8>,
    cols: u32,
    rows: u32,
}

/// Sampling step of the coloured-ink grid: ink strokes are several pixels wide, so every 4th
/// pixel in each direction sees them at 1/16 of the cost.
const STEP: u32 = 4;

/// Mask value of a clearly blue pixel (see [`coloured_mask`]).
pub const BLUE: u8 = 1;

/// A pixel's value in [`coloured_mask`]: 0 for black, gray and paper; [`BLUE`] for clearly blue
/// ink; for clearly red ink its red channel (always above 50, so never [`BLUE`]).
fn mask_value([r, g, b]: [u8; 3]) -> u8 {
    let [ri, gi, bi] = [r, g, b].map(i32::from);
    if ri - gi.max(bi) > 50 {
        r
    } else if bi - ri.max(gi) > 35 {
        BLUE
    } else {
        0
    }
}

/// Colour page → mask of its clearly red or blue pixels among black, gray and paper (0). A red
/// pixel keeps its red channel: in that channel a red stamp over paper is nearly as light as the
/// paper while black print under the stamp stays dark, which is how the print is recovered from
/// under a stamp (see `drop_coloured_ink`).
pub fn coloured_mask(color: &RgbImage) -> GrayImage {
    let data = color
        .as_raw()
        .chunks_exact(3)
        .map(|p| mask_value([p[0], p[1], p[2]]))
        .collect();
    GrayImage::from_raw(color.width(), color.height(), data).expect("one byte per pixel")
}

impl Marks {
    /// Sampling step in pixels.
    pub const STEP: u32 = STEP;

    /// Mask of a page's coloured pixels ([`coloured_mask`]) at `dpi` → its stamps and coloured
    /// ink.
    pub fn find(mask: &GrayImage, dpi: f32) -> Marks {
        let cols = mask.width() / STEP;
        let rows = mask.height() / STEP;
        let mut coloured = vec![0u8; (cols * rows) as usize];
        for y in 0..rows {
            for x in 0..cols {
                coloured[(y * cols + x) as usize] =
                    u8::from(mask.get_pixel(x * STEP, y * STEP).0[0] != 0);
            }
        }
        let mut marks = Marks {
            stamps: Vec::new(),
            coloured,
            cols,
            rows,
        };
        marks.stamps = marks.take_stamps(dpi);
        marks
    }

    /// Finds stamp-shaped blobs (after closing small gaps between the ring and its lettering),
    /// removes them from the coloured grid and returns their boxes.
    fn take_stamps(&mut self, dpi: f32) -> Vec<Rect> {
        let (w, h) = (self.cols as i64, self.rows as i64);
        // Stamp ring and letters are separated by a few millimetres: link pixels up to 3 cells.
        let link = 3i64;
        let mut label = vec![0u32; self.coloured.len()];
        let mut stamps = Vec::new();
        let min_side = dpi * 0.45 / STEP as f32;
        let max_side = dpi * 2.5 / STEP as f32;
        let mut next = 0u32;
        for start in 0..self.coloured.len() {
            if self.coloured[start] == 0 || label[start] != 0 {
                continue;
            }
            next += 1;
            let mut stack = vec![start];
            label[start] = next;
            let mut members = Vec::new();
            let (mut x0, mut y0, mut x1, mut y1) = (i64::MAX, i64::MAX, 0i64, 0i64);
            while let Some(i) = stack.pop() {
                members.push(i);
                let (x, y) = ((i as i64) % w, (i as i64) / w);
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
                for dy in -link..=link {
                    for dx in -link..=link {
                        let (nx, ny) = (x + dx, y + dy);
                        if nx < 0 || ny < 0 || nx >= w || ny >= h {
                            continue;
                        }
                        let j = (ny * w + nx) as usize;
                        if self.coloured[j] != 0 && label[j] == 0 {
                            label[j] = next;
                            stack.push(j);
                        }
                    }
                }
            }
            let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
            let squarish = bw.max(bh) <= bw.min(bh) * 1.4;
            if squarish && bw.min(bh) >= min_side && bw.max(bh) <= max_side {
                for i in members {
                    self.coloured[i] = 0;
                }
                stamps.push(Rect {
                    x0: x0 as u32 * STEP,
                    y0: y0 as u32 * STEP,
                    x1: (x1 as u32 + 1) * STEP,
                    y1: (y1 as u32 + 1) * STEP,
                });
            }
        }
        stamps
    }

    /// Number of coloured ink samples (outside stamps) inside a rectangle of the page.
    pub fn coloured_in(&self, r: &Rect) -> u32 {
        if self.coloured.is_empty() {
            return 0;
        }
        let mut n = 0;
        for y in (r.y0 / STEP)..(r.y1.div_ceil(STEP)).min(self.rows) {
            for x in (r.x0 / STEP)..(r.x1.div_ceil(STEP)).min(self.cols) {
                n += self.coloured[(y * self.cols + x) as usize] as u32;
            }
        }
        n
    }
}
