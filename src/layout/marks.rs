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
    /// Pixels sampled every [`Marks::STEP`] pixels, row-major, outside stamps; empty for gray
    /// scans.
    coloured: Vec<Ink>,
    cols: u32,
    rows: u32,
}

/// Sampling step of the coloured-ink grid: ink strokes are several pixels wide, so every 4th
/// pixel in each direction sees them at 1/16 of the cost.
const STEP: u32 = 4;

/// Colour of one sample of the coloured grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ink {
    None,
    Blue,
    Red,
}

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

    /// Mask of a page's coloured pixels ([`coloured_mask`]) at `dpi`, turned upright by
    /// `skew_deg` → its stamps and coloured ink.
    pub fn find(mask: &GrayImage, dpi: f32, skew_deg: f32) -> Marks {
        let cols = mask.width() / STEP;
        let rows = mask.height() / STEP;
        let mut coloured = vec![Ink::None; (cols * rows) as usize];
        for y in 0..rows {
            for x in 0..cols {
                let ink = match mask.get_pixel(x * STEP, y * STEP).0[0] {
                    0 => Ink::None,
                    BLUE => Ink::Blue,
                    _ => Ink::Red,
                };
                coloured[(y * cols + x) as usize] = ink;
            }
        }
        let mut marks = Marks {
            stamps: Vec::new(),
            coloured,
            cols,
            rows,
        };
        marks.stamps = marks.take_stamps(dpi, skew_deg);
        marks
    }

    /// Finds stamp-shaped blobs of red ink (after closing small gaps between the ring and its
    /// lettering), removes them from the coloured grid and returns their boxes. Seals are red;
    /// looking at red alone keeps a seal over a blue signature from merging with it into one
    /// shapeless blob that is then taken for pen ink all over the rows it covers.
    ///
    /// A seal stamped across the join of two sheets (giáp lai) is cut by the page edge; what
    /// is left is a circular segment, accepted when its chord and depth fit a seal's circle.
    /// The page edge is where the image edge was before deskewing by `skew_deg`.
    fn take_stamps(&mut self, dpi: f32, skew_deg: f32) -> Vec<Rect> {
        // Stamp ring and letters are separated by a few millimetres: link pixels up to 3 cells.
        let link = 3;
        let mut seen = vec![false; self.coloured.len()];
        let mut stamps = Vec::new();
        let min_side = dpi * 0.45 / STEP as f32;
        let max_side = dpi * 2.5 / STEP as f32;
        let edge = (dpi * 0.2 / STEP as f32
            + self.cols.max(self.rows) as f32 / 2.0 * skew_deg.to_radians().sin().abs())
            as u32;
        for start in 0..self.coloured.len() {
            if self.coloured[start] != Ink::Red || seen[start] {
                continue;
            }
            let red = |ink| ink == Ink::Red;
            let (_, [x0, y0, x1, y1]) = self.blob(start, link, red, &mut seen);
            let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
            let squarish = bw.max(bh) <= bw.min(bh) * 1.4;
            let whole = squarish && bw.min(bh) >= min_side && bw.max(bh) <= max_side;
            let fits = |chord: f32, depth: f32| {
                let diameter = if depth * 2.0 >= chord {
                    chord
                } else {
                    chord * chord / (4.0 * depth) + depth
                };
                depth <= chord * 1.4 && (min_side..=max_side).contains(&diameter)
            };
            let cut_x = x0 <= edge || x1 + edge >= self.cols - 1;
            let cut_y = y0 <= edge || y1 + edge >= self.rows - 1;
            if whole || (cut_x && fits(bh, bw)) || (cut_y && fits(bw, bh)) {
                // The star and the lettering inside the ring are blobs of their own.
                for y in y0..=y1 {
                    for x in x0..=x1 {
                        let i = (y * self.cols + x) as usize;
                        if self.coloured[i] == Ink::Red {
                            self.coloured[i] = Ink::None;
                        }
                    }
                }
                stamps.push(Rect {
                    x0: x0 * STEP,
                    y0: y0 * STEP,
                    x1: (x1 + 1) * STEP,
                    y1: (y1 + 1) * STEP,
                });
            }
        }
        stamps
    }

    /// The samples of an ink that `takes` reachable from sample `start` through such samples at
    /// most `link` cells apart, none of them `seen` before (they are marked seen) → their
    /// indices and their box `[x0, y0, x1, y1]` in cells, inclusive.
    fn blob(
        &self,
        start: usize,
        link: i64,
        takes: impl Fn(Ink) -> bool,
        seen: &mut [bool],
    ) -> (Vec<usize>, [u32; 4]) {
        let (w, h) = (self.cols as i64, self.rows as i64);
        let mut stack = vec![start];
        seen[start] = true;
        let mut members = Vec::new();
        let (mut x0, mut y0, mut x1, mut y1) = (i64::MAX, i64::MAX, 0i64, 0i64);
        while let Some(i) = stack.pop() {
            members.push(i);
            let (x, y) = ((i as i64) % w, (i as i64) / w);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
            for ny in (y - link).max(0)..=(y + link).min(h - 1) {
                for nx in (x - link).max(0)..=(x + link).min(w - 1) {
                    let j = (ny * w + nx) as usize;
                    if takes(self.coloured[j]) && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        (members, [x0, y0, x1, y1].map(|v| v as u32))
    }

    /// The same marks without the coloured ink that reaches into any of `regions` (the
    /// signature columns) on a page scanned at `dpi`. A signature is pen ink by design and its
    /// strokes often run over the ruling into the cells beside it; there they are not a
    /// correction, and flagging them sent clean rows to review.
    pub fn without_ink_reaching(&self, regions: &[Rect], dpi: f32) -> Marks {
        let mut out = self.clone();
        if self.coloured.is_empty() {
            return out;
        }
        // A pen stroke is continuous; 1 mm bridges the samples a thin diagonal stroke skips.
        let link = (dpi / 25.4 / STEP as f32).ceil().max(1.0) as i64;
        let mut seen = vec![false; self.coloured.len()];
        for r in regions {
            for y in (r.y0 / STEP)..(r.y1.div_ceil(STEP)).min(self.rows) {
                for x in (r.x0 / STEP)..(r.x1.div_ceil(STEP)).min(self.cols) {
                    let i = (y * self.cols + x) as usize;
                    if self.coloured[i] == Ink::None || seen[i] {
                        continue;
                    }
                    for m in self.blob(i, link, |ink| ink != Ink::None, &mut seen).0 {
                        out.coloured[m] = Ink::None;
                    }
                }
            }
        }
        out
    }

    /// Number of coloured ink samples (outside stamps) inside a rectangle of the page.
    pub fn coloured_in(&self, r: &Rect) -> u32 {
        if self.coloured.is_empty() {
            return 0;
        }
        let mut n = 0;
        for y in (r.y0 / STEP)..(r.y1.div_ceil(STEP)).min(self.rows) {
            for x in (r.x0 / STEP)..(r.x1.div_ceil(STEP)).min(self.cols) {
                n += u32::from(self.coloured[(y * self.cols + x) as usize] != Ink::None);
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DPI: f32 = 300.0;

    /// A blank 1200×400 colour mask with blue strokes drawn as `[x0, y0, x1, y1)` boxes.
    fn mask(strokes: &[[u32; 4]]) -> GrayImage {
        let mut m = GrayImage::new(1200, 400);
        for &[x0, y0, x1, y1] in strokes {
            for y in y0..y1 {
                for x in x0..x1 {
                    m.put_pixel(x, y, image::Luma([BLUE]));
                }
            }
        }
        m
    }

    fn rect(x0: u32, x1: u32) -> Rect {
        Rect {
            x0,
            y0: 0,
            x1,
            y1: 400,
        }
    }

    #[test]
    fn a_signature_running_into_the_next_cell_is_not_ink_there() {
        // Signature column 800..1000; its stroke crosses the ruling into the notes cell.
        let marks = Marks::find(&mask(&[[820, 180, 1060, 186]]), DPI, 0.0);
        let notes = rect(1000, 1200);
        assert!(marks.coloured_in(&notes) > 6);
        assert_eq!(
            marks
                .without_ink_reaching(&[rect(800, 1000)], DPI)
                .coloured_in(&notes),
            0
        );
    }

    #[test]
    fn pen_ink_apart_from_the_signature_stays_a_mark() {
        // A correction in the name cell and one in the notes cell 3 mm from the signature.
        let marks = Marks::find(
            &mask(&[
                [100, 100, 300, 106],
                [820, 180, 990, 186],
                [1030, 180, 1150, 186],
            ]),
            DPI,
            0.0,
        );
        let kept = marks.without_ink_reaching(&[rect(800, 1000)], DPI);
        assert_eq!(
            kept.coloured_in(&rect(0, 400)),
            marks.coloured_in(&rect(0, 400))
        );
        assert_eq!(
            kept.coloured_in(&rect(1000, 1200)),
            marks.coloured_in(&rect(1000, 1200))
        );
        assert_eq!(kept.coloured_in(&rect(800, 1000)), 0);
    }

    /// A 1.2-inch red seal, ring 6 px thick, at 300 dpi, centred at (600, 400) on a 1200×800
    /// mask.
    fn seal() -> GrayImage {
        seal_at(600.0, 400.0)
    }

    /// The ring of [`seal`] with a solid centre (its star) at (`cx`, `cy`), cut by the mask's
    /// edges.
    fn seal_at(cx: f32, cy: f32) -> GrayImage {
        let mut m = GrayImage::new(1200, 800);
        let r = 180.0f32;
        for (x, y, p) in m.enumerate_pixels_mut() {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            if (d - r).abs() < 3.0 || d < 30.0 {
                *p = image::Luma([200]);
            }
        }
        m
    }

    const PAGE: Rect = Rect {
        x0: 0,
        y0: 0,
        x1: 1200,
        y1: 800,
    };

    #[test]
    fn a_round_seal_is_taken_out_of_the_coloured_ink() {
        let marks = Marks::find(&seal(), DPI, 0.0);
        assert_eq!(marks.stamps.len(), 1);
        let s = marks.stamps[0];
        assert!(s.x0.abs_diff(420) <= 8 && s.x1.abs_diff(780) <= 8, "{s:?}");
        assert_eq!(marks.coloured_in(&PAGE), 0);
    }

    #[test]
    fn a_seal_over_a_blue_signature_is_still_a_seal() {
        let mut m = seal();
        for y in 395..401 {
            for x in 100..1100 {
                m.put_pixel(x, y, image::Luma([BLUE]));
            }
        }
        let marks = Marks::find(&m, DPI, 0.0);
        assert_eq!(marks.stamps.len(), 1);
        // What is left is the signature's stroke: 250 samples along, 2 down.
        assert_eq!(marks.coloured_in(&PAGE), 500);
    }

    #[test]
    fn a_seal_cut_by_the_page_edge_is_still_a_seal() {
        // Across the join of two sheets: a third, a half and two thirds of the seal on the page.
        for (cx, cy) in [
            (-60.0, 400.0),
            (0.0, 400.0),
            (1260.0, 400.0),
            (600.0, 860.0),
        ] {
            let marks = Marks::find(&seal_at(cx, cy), DPI, 0.0);
            assert_eq!(marks.stamps.len(), 1, "seal at ({cx}, {cy})");
            assert_eq!(marks.coloured_in(&PAGE), 0, "seal at ({cx}, {cy})");
        }
    }

    #[test]
    fn red_pen_near_the_page_edge_is_not_a_seal() {
        let mut m = GrayImage::new(1200, 800);
        // A long rule down the margin and a short correction in the corner.
        for (x0, y0, x1, y1) in [(10, 20, 16, 780), (8, 700, 200, 706)] {
            for y in y0..y1 {
                for x in x0..x1 {
                    m.put_pixel(x, y, image::Luma([200]));
                }
            }
        }
        let marks = Marks::find(&m, DPI, 0.0);
        assert!(marks.stamps.is_empty(), "{:?}", marks.stamps);
        assert!(marks.coloured_in(&PAGE) > 0);
    }
}
