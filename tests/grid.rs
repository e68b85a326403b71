//! Table finder on generated pages: a ruled table drawn at a known geometry, then skewed, broken,
//! stamped, faded; the finder must recover the rows and columns.

use doisoat::layout::{self, ink::InkMask, GridParams, LayoutParams, Rotation};
use doisoat::raster::PageImage;
use image::{GrayImage, Luma};

const DPI: f32 = 150.0;
const W: u32 = 1750;
const H: u32 = 1240;

/// A table drawn in "ideal" (unskewed) page coordinates.
#[derive(Clone)]
struct Table {
    xs: Vec<f32>,
    ys: Vec<f32>,
    text_rows: usize,
    line_gray: u8,
    thickness: f32,
    /// Horizontal lines (by index) with gaps every 150 px.
    broken: Vec<usize>,
    /// Vertical lines broken by gaps every 100 px.
    broken_verticals: bool,
    missing_bottom: bool,
    double_border: bool,
    stamp: Option<(f32, f32, f32)>,
    dark_edge: bool,
    skew_deg: f32,
}

impl Table {
    fn new(data_rows: usize) -> Table {
        let xs = vec![
            100.0, 160.0, 500.0, 660.0, 860.0, 940.0, 1040.0, 1200.0, 1380.0, 1560.0, 1650.0,
        ];
        let mut ys = vec![300.0, 390.0];
        for i in 0..data_rows {
            ys.push(390.0 + 36.0 * (i + 1) as f32);
        }
        Table {
            xs,
            ys,
            text_rows: data_rows,
            line_gray: 20,
            thickness: 2.5,
            broken: Vec::new(),
            broken_verticals: false,
            missing_bottom: false,
            double_border: false,
            stamp: None,
            dark_edge: false,
            skew_deg: 0.0,
        }
    }

    /// Gray value of the ideal page at (x, y).
    fn ink(&self, x: f32, y: f32) -> u8 {
        let paper = 235;
        let (top, bottom) = (self.ys[0], *self.ys.last().unwrap());
        let (left, right) = (self.xs[0], *self.xs.last().unwrap());
        let t = self.thickness / 2.0;
        if let Some((cx, cy, r)) = self.stamp {
            let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt();
            if (d - r).abs() < 3.0 || (d < r * 0.6 && ((x as i32 / 5 + y as i32 / 7) % 3 == 0)) {
                return 120;
            }
        }
        let n_h = self.ys.len();
        for (i, &ly) in self.ys.iter().enumerate() {
            if i == n_h - 1 && self.missing_bottom {
                continue;
            }
            if (y - ly).abs() <= t && x >= left - t && x <= right + t {
                if self.broken.contains(&i) && (x as i32 % 150) < 45 {
                    continue;
                }
                return self.line_gray;
            }
            let outer = i == 0 || i == n_h - 1;
            if self.double_border && outer && (y - (ly - 6.0)).abs() <= t && x >= left && x <= right
            {
                return self.line_gray;
            }
        }
        for &lx in &self.xs {
            if (x - lx).abs() <= t && y >= top - t && y <= bottom + t {
                if self.broken_verticals && (y as i32 % 100) < 25 {
                    continue;
                }
                return self.line_gray;
            }
        }
        // Text: letter-sized blocks (16 px tall, as 11 pt type at 150 DPI) inside the header
        // (two lines) and the first `text_rows` data rows.
        for (i, w) in self.ys.windows(2).enumerate() {
            let in_line = |top: f32| y >= top && y < top + 16.0;
            let texty = if i == 0 {
                in_line(w[0] + 20.0) || in_line(w[0] + 50.0)
            } else {
                in_line(w[0] + 10.0)
            };
            if i > self.text_rows || !texty {
                continue;
            }
            for c in self.xs.windows(2) {
                if x > c[0] + 8.0 && x < (c[0] + c[1]) / 2.0 && (x as i32 % 9) < 5 {
                    return 30;
                }
            }
        }
        // A dark scanner edge beside the table, as long as the table.
        if self.dark_edge && x > 1700.0 && x < 1712.0 && y > top - 30.0 && y < bottom + 30.0 {
            return 90;
        }
        // Title block above the table.
        if y > 120.0 && y < 150.0 && x > 500.0 && x < 1200.0 && (x as i32 % 12) < 7 {
            return 30;
        }
        paper
    }

    fn render(&self) -> GrayImage {
        let (s, c) = self.skew_deg.to_radians().sin_cos();
        let (cx, cy) = (W as f32 / 2.0, H as f32 / 2.0);
        GrayImage::from_fn(W, H, |x, y| {
            // Page pixel → ideal coordinates: the page shows the table turned by skew_deg.
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let ix = cx + dx * c + dy * s;
            let iy = cy - dx * s + dy * c;
            Luma([self.ink(ix, iy)])
        })
    }

    fn rows(&self) -> usize {
        self.ys.len() - 1
    }

    fn cols(&self) -> usize {
        self.xs.len() - 1
    }
}

fn find(img: &GrayImage) -> doisoat::layout::Grid {
    layout::grid::find_grid(&InkMask::from_gray(img), DPI, &GridParams::default())
        .expect("a table is found")
}

fn page(img: GrayImage) -> PageImage {
    PageImage {
        gray: img,
        color: None,
        dpi: DPI,
        embedded: true,
    }
}

fn analyse(t: &Table) -> doisoat::layout::PageLayout {
    layout::analyse(&page(t.render()), &LayoutParams::default()).expect("a table is found")
}

#[test]
fn straight_table_gives_every_row_and_column_at_its_place() {
    let t = Table::new(12);
    let g = find(&t.render());
    assert_eq!(g.rows().len(), t.rows());
    assert_eq!(g.cols().len(), t.cols());
    for (line, want) in g.h_lines.iter().zip(&t.ys) {
        let mid = (line.start + line.end) as f32 / 2.0;
        assert!((mid - want).abs() <= 2.0, "line at {mid}, drawn at {want}");
    }
    for (line, want) in g.v_lines.iter().zip(&t.xs) {
        let mid = (line.start + line.end) as f32 / 2.0;
        assert!((mid - want).abs() <= 2.0, "line at {mid}, drawn at {want}");
    }
}

#[test]
fn skew_is_measured_and_undone() {
    for skew in [-4.0f32, -1.3, 0.7, 2.0, 4.5] {
        let mut t = Table::new(10);
        t.skew_deg = skew;
        let l = analyse(&t);
        assert!(
            (l.skew_deg - skew).abs() < 0.1,
            "drawn at {skew}°, measured {}°",
            l.skew_deg
        );
        assert_eq!(l.grid.rows().len(), t.rows(), "skew {skew}");
        assert_eq!(l.grid.cols().len(), t.cols(), "skew {skew}");
    }
}

#[test]
fn broken_and_faint_lines_are_still_lines() {
    let mut t = Table::new(10);
    t.broken = vec![2, 3, 7];
    // 45 levels below the paper, as the generator's faint lines.
    t.line_gray = 190;
    let g = find(&t.render());
    assert_eq!(g.rows().len(), t.rows());
    assert_eq!(g.cols().len(), t.cols());
}

#[test]
fn broken_column_lines_keep_every_row() {
    let mut t = Table::new(20);
    t.broken_verticals = true;
    t.broken = vec![5, 12];
    let g = find(&t.render());
    assert_eq!(g.rows().len(), t.rows());
    assert_eq!(g.cols().len(), t.cols());
}

#[test]
fn a_stamp_over_the_table_adds_no_line() {
    let mut t = Table::new(10);
    t.stamp = Some((1300.0, 520.0, 110.0));
    let g = find(&t.render());
    assert_eq!(g.rows().len(), t.rows());
    assert_eq!(g.cols().len(), t.cols());
}

#[test]
fn missing_bottom_line_is_inferred_from_the_column_lines() {
    let mut t = Table::new(8);
    t.missing_bottom = true;
    let g = find(&t.render());
    assert_eq!(g.rows().len(), t.rows());
    assert!(g.h_lines.last().unwrap().inferred);
    let bottom = g.h_lines.last().unwrap().start as f32;
    assert!(
        (bottom - t.ys.last().unwrap()).abs() < 4.0,
        "bottom at {bottom}"
    );
}

#[test]
fn a_dark_edge_beside_the_table_is_not_a_column() {
    let mut t = Table::new(10);
    t.dark_edge = true;
    let g = find(&t.render());
    assert_eq!(g.cols().len(), t.cols());
}

#[test]
fn double_border_is_one_line() {
    let mut t = Table::new(8);
    t.double_border = true;
    let g = find(&t.render());
    assert_eq!(g.rows().len(), t.rows());
}

#[test]
fn empty_trailing_rows_are_rows_of_the_grid() {
    let mut t = Table::new(12);
    t.text_rows = 7;
    let g = find(&t.render());
    assert_eq!(g.rows().len(), t.rows());
}

#[test]
fn a_page_without_table_is_an_error_saying_what_was_seen() {
    let img = GrayImage::from_pixel(W, H, Luma([240]));
    let err = layout::grid::find_grid(&InkMask::from_gray(&img), DPI, &GridParams::default())
        .unwrap_err();
    assert!(err.to_string().contains("0 long horizontal"), "{err}");
}

#[test]
fn quarter_turned_and_upside_down_pages_are_turned_upright() {
    let t = Table::new(10);
    let upright = t.render();
    for (img, want) in [
        (image::imageops::rotate270(&upright), Rotation::Cw90),
        (image::imageops::rotate180(&upright), Rotation::Half),
    ] {
        let l = layout::analyse(&page(img), &LayoutParams::default()).unwrap();
        assert_eq!(l.rotation, want);
        assert_eq!(l.grid.rows().len(), t.rows());
        assert_eq!(l.grid.cols().len(), t.cols());
        let header = l.grid.rows()[0];
        assert!(header.len() > 80, "header row first, {} px", header.len());
    }
}

#[test]
fn row_boxes_map_back_to_the_skewed_page() {
    let mut t = Table::new(6);
    t.skew_deg = 2.0;
    let l = analyse(&t);
    let cell = l.cell(1, 0).unwrap();
    let b = l.to_source_box(&cell);
    // The first data row's STT cell, drawn at x 100..160, y 390..426 before turning by 2°.
    let (s, c) = 2f32.to_radians().sin_cos();
    let (cx, cy) = (W as f32 / 2.0, H as f32 / 2.0);
    let (ix, iy) = (130.0 - cx, 408.0 - cy);
    let px = cx + ix * c - iy * s;
    let py = cy + ix * s + iy * c;
    assert!(
        (b.x as f32) < px && px < (b.x + b.width) as f32,
        "{b:?} vs {px}"
    );
    assert!(
        (b.y as f32) < py && py < (b.y + b.height) as f32,
        "{b:?} vs {py}"
    );
}
