//! Page geometry: quarter-turn detection, skew estimation and rotation.

use image::GrayImage;

use super::ink::{horizontal_runs, vertical_runs, InkMask, Run};

/// Quarter turns applied to the decoded page to make it upright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rotation {
    /// The page was upright.
    #[default]
    None,
    /// The page was turned 90° clockwise to make it upright.
    Cw90,
    /// The page was upside down.
    Half,
    /// The page was turned 90° counter-clockwise to make it upright.
    Ccw90,
}

impl Rotation {
    /// The rotation that follows `self` with a half turn.
    pub fn plus_half(self) -> Rotation {
        match self {
            Rotation::None => Rotation::Half,
            Rotation::Cw90 => Rotation::Ccw90,
            Rotation::Half => Rotation::None,
            Rotation::Ccw90 => Rotation::Cw90,
        }
    }
}

/// Shortest horizontal run [`is_quarter_turned`] counts.
fn ruling_len(dpi: f32) -> u32 {
    (dpi / 6.0) as u32
}

/// Length of the pieces [`estimate_skew`] cuts runs into.
fn skew_piece(dpi: f32) -> u32 {
    ((dpi / 12.0) as u32).max(8)
}

/// The horizontal runs (gaps of one pixel bridged) that [`is_quarter_turned`] and
/// [`estimate_skew`] work from, found once for both: a run's extent does not depend on the
/// shortest length asked for, so each keeps the runs long enough for it.
pub fn orientation_runs(mask: &InkMask, dpi: f32) -> Vec<Run> {
    horizontal_runs(mask, 1, ruling_len(dpi).min(skew_piece(dpi)))
}

/// Whether the page's ruling runs mostly vertically, i.e. a landscape register scanned a
/// quarter turn off. Compares the total length of long straight horizontal and vertical runs:
/// a register has far more row lines than column lines, and their length dominates any text.
/// `h_runs` are the mask's [`orientation_runs`].
pub fn is_quarter_turned(mask: &InkMask, h_runs: &[Run], dpi: f32) -> bool {
    let min_len = ruling_len(dpi);
    let h: u64 = h_runs
        .iter()
        .filter(|r| r.length() >= min_len)
        .map(|r| r.length() as u64)
        .sum();
    let v: u64 = vertical_runs(mask, 1, min_len)
        .iter()
        .map(|r| r.length() as u64)
        .sum();
    v * 2 > h * 3
}

/// Skew of the page's horizontal lines in degrees (positive: lines descend to the right),
/// searched within ±`max_deg`, from the mask's [`orientation_runs`]. Long horizontal runs are
/// cut into short pieces and projected along each candidate angle; the angle giving the
/// sharpest projection profile wins.
pub fn estimate_skew(mask: &InkMask, h_runs: &[Run], dpi: f32, max_deg: f32) -> f32 {
    let piece = skew_piece(dpi);
    let mut points: Vec<(f32, f32)> = Vec::new();
    // Runs shorter than a piece give no point.
    for run in h_runs {
        let mut s = run.start;
        while s + piece <= run.end {
            points.push(((s + piece / 2) as f32, run.at as f32));
            s += piece;
        }
    }
    if points.len() < 20 {
        return 0.0;
    }
    let cx = mask.width as f32 / 2.0;
    let margin = (mask.width as f32 * max_deg.to_radians().tan()).ceil() as usize + 2;
    let bins = mask.height as usize + 2 * margin;
    let mut hist = vec![0f32; bins];
    let mut score = |deg: f32| -> f32 {
        hist.iter_mut().for_each(|v| *v = 0.0);
        let t = deg.to_radians().tan();
        for &(x, y) in &points {
            let b = round_half_away(y - (x - cx) * t) as isize + margin as isize;
            if b >= 0 && (b as usize) < bins {
                hist[b as usize] += 1.0;
            }
        }
        hist.iter().map(|v| v * v).sum()
    };
    let best_in = |score: &mut dyn FnMut(f32) -> f32, from: f32, to: f32, step: f32| {
        let mut best = (f32::MIN, 0.0);
        let mut a = from;
        while a <= to + 1e-4 {
            let s = score(a);
            if s > best.0 {
                best = (s, a);
            }
            a += step;
        }
        best.1
    };
    let coarse = best_in(&mut score, -max_deg, max_deg, 0.25);
    best_in(&mut score, coarse - 0.25, coarse + 0.25, 0.025)
}

/// `v.round()` for a page coordinate (|v| < 2²³): the same result without the call to the C
/// library's `roundf`, which the baseline x86-64 target has no instruction for and which
/// [`estimate_skew`] makes for every point at every candidate angle.
#[inline]
fn round_half_away(v: f32) -> i32 {
    let whole = v as i32;
    // Exact: below 2²³ a float's fractional part is itself a float.
    let frac = v - whole as f32;
    if frac >= 0.5 {
        whole + 1
    } else if frac <= -0.5 {
        whole - 1
    } else {
        whole
    }
}

/// Fractional bits of the fixed-point source positions.
const FRAC: u32 = 16;
const ONE: i64 = 1 << FRAC;

/// Where each pixel of the rotated image comes from, row by row, in 16.16 fixed point. For each
/// destination row `y` it calls `row(y, x0..x1, sx, sy, dx, dy)`: the destination pixels whose
/// source position lies in `[0, w - 1) × [0, h - 1)` (so the pixel right and below it exist
/// too), the source position of the first of them, and the step per pixel. The position is a
/// linear function of x along a row, so stepping replaces two multiplications and the bounds
/// tests per pixel, 4–5× cheaper than evaluating it per pixel in floats.
fn source_rows(
    w: u32,
    h: u32,
    deg: f32,
    mut row: impl FnMut(u32, std::ops::Range<u32>, i64, i64, i64, i64),
) {
    let (s, c) = (deg as f64).to_radians().sin_cos();
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    let fixed = |v: f64| (v * ONE as f64).round() as i64;
    let (dx, dy) = (fixed(c), fixed(s));
    let (max_x, max_y) = ((w as i64 - 1) << FRAC, (h as i64 - 1) << FRAC);
    let inside = |sx: i64, sy: i64| sx >= 0 && sy >= 0 && sx < max_x && sy < max_y;
    for y in 0..h {
        let ry = y as f64 - cy;
        let sx0 = fixed(cx - cx * c - ry * s);
        let sy0 = fixed(cy - cx * s + ry * c);
        let at = |x: i64| (sx0 + x * dx, sy0 + x * dy);
        // The inside stretch of a row is one interval: find it from the real-valued bounds,
        // then settle its ends on the fixed-point positions actually used.
        let (mut lo, mut hi) = (0f64, w as f64);
        for (start, step, limit) in [(sx0, dx, max_x), (sy0, dy, max_y)] {
            let (start, step, limit) = (start as f64, step as f64, limit as f64);
            if step.abs() < 1e-9 {
                if start < 0.0 || start >= limit {
                    hi = lo;
                }
                continue;
            }
            let (a, b) = ((0.0 - start) / step, (limit - start) / step);
            lo = lo.max(a.min(b).floor() - 1.0);
            hi = hi.min(a.max(b).ceil() + 1.0);
        }
        let (mut x0, mut x1) = (lo.max(0.0) as i64, (hi.min(w as f64)) as i64);
        while x0 < x1 && !inside(at(x0).0, at(x0).1) {
            x0 += 1;
        }
        while x1 > x0 && !inside(at(x1 - 1).0, at(x1 - 1).1) {
            x1 -= 1;
        }
        if x0 < x1 {
            let (sx, sy) = at(x0);
            row(y, x0 as u32..x1 as u32, sx, sy, dx, dy);
        }
    }
}

/// Rotates a gray page about its centre so that lines at `deg` (as measured by
/// [`estimate_skew`]) become horizontal; uncovered corners are white. Bilinear sampling,
/// evaluated per pixel in floats: a fixed-point version on [`source_rows`] was 4–5× faster but
/// moved pixels by one gray level here and there, and that changed three of the 152 names read on
/// `samples/` (98.7 % → 98.0 % exact). Tesseract is that sensitive, so the page OCR reads keeps
/// the arithmetic the accuracy figures were measured with.
pub fn rotate_gray(img: &GrayImage, deg: f32) -> GrayImage {
    let (w, h) = img.dimensions();
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let src = img.as_raw();
    let stride = w as usize;
    let mut dst = vec![255u8; stride * h as usize];
    // The float operations are those of `cx + dx * c - dy * s` per pixel, in the same order, so
    // the pixels are identical to the one-pass version (a test keeps it as the reference); only
    // the time changes. Each row takes three passes: the source positions (plain arithmetic the
    // compiler vectorises), the runs of pixels whose 2×2 source block moves exactly one pixel
    // right per pixel (at a skew of a few degrees a row's source drops one line every few dozen
    // pixels and skips a column once in thousands), and the blend of each run, which reads four
    // contiguous slices and vectorises too. On an A4 page at 300 DPI this takes 25–33 ms
    // against 67–80 ms for the one-pass version (same run, this machine).
    let (dxc, dxs): (Vec<f32>, Vec<f32>) = (0..w)
        .map(|x| {
            let dx = x as f32 - cx;
            (dx * c, dx * s)
        })
        .unzip();
    let (max_x, max_y) = ((w - 1) as f32, (h - 1) as f32);
    let (mut sxs, mut sys) = (vec![0f32; stride], vec![0f32; stride]);
    // Per pixel: source column minus destination column, and source row; `OUTSIDE` when the
    // 2×2 block is not wholly on the page.
    const OUTSIDE: (i32, i32) = (i32::MIN, i32::MIN);
    let mut blocks = vec![OUTSIDE; stride];
    for (y, out) in dst.chunks_exact_mut(stride).enumerate() {
        let dy = y as f32 - cy;
        let (dys, dyc) = (dy * s, dy * c);
        for (((sx, sy), &xc), &xs) in sxs.iter_mut().zip(sys.iter_mut()).zip(&dxc).zip(&dxs) {
            *sx = cx + xc - dys;
            *sy = cy + xs + dyc;
        }
        for (x, ((b, &sx), &sy)) in blocks.iter_mut().zip(&sxs).zip(&sys).enumerate() {
            let inside = sx >= 0.0 && sy >= 0.0 && sx < max_x && sy < max_y;
            // Inside the page the clamp changes nothing and truncating is what `as usize` does.
            let (ix, iy) = (truncate(sx, max_x), truncate(sy, max_y));
            *b = if inside { (ix - x as i32, iy) } else { OUTSIDE };
        }
        let mut x = 0;
        while x < stride {
            let block = blocks[x];
            let run = 1 + blocks[x + 1..].iter().take_while(|&&b| b == block).count();
            if block != OUTSIDE {
                let (x0, y0) = ((x as i32 + block.0) as usize, block.1 as usize);
                let top = &src[y0 * stride + x0..][..=run];
                let bottom = &src[(y0 + 1) * stride + x0..][..=run];
                blend_run(
                    top,
                    bottom,
                    &sxs[x..x + run],
                    &sys[x..x + run],
                    (x0, y0),
                    &mut out[x..x + run],
                );
            }
            x += run;
        }
    }
    GrayImage::from_raw(w, h, dst).expect("buffer sized for the image")
}

/// `v` clamped to `0..=max` and truncated towards zero. The saturating `as` conversion checks
/// every value for range and NaN one at a time, which keeps the compiler from vectorising the
/// loops of [`rotate_gray`]; clamping first lets it use the plain conversion instead.
#[inline]
fn truncate(v: f32, max: f32) -> i32 {
    debug_assert!((0.0..=i32::MAX as f32).contains(&max));
    // `max(0.0)` also turns NaN into 0.
    let v = v.max(0.0).min(max);
    // SAFETY: `v` is finite and within 0..=max, which fits in an i32.
    unsafe { v.to_int_unchecked() }
}

/// Blends a run of pixels whose 2×2 source blocks start at column `x0 + i`, row `y0` for the
/// run's `i`-th pixel: `top` and `bottom` are those two source rows from `x0`, one pixel longer
/// than the run. The arithmetic is that of a per-pixel bilinear blend, in the same order.
#[inline]
fn blend_run(
    top: &[u8],
    bottom: &[u8],
    sxs: &[f32],
    sys: &[f32],
    (x0, y0): (usize, usize),
    out: &mut [u8],
) {
    let n = out.len();
    let (sxs, sys) = (&sxs[..n], &sys[..n]);
    let (a, b) = (&top[..n], &top[1..=n]);
    let (c, d) = (&bottom[..n], &bottom[1..=n]);
    let (x0, y0) = (x0 as i32, y0 as f32);
    for i in 0..n {
        let (fx, fy) = (sxs[i] - (x0 + i as i32) as f32, sys[i] - y0);
        let (a, b, c, d) = (a[i] as f32, b[i] as f32, c[i] as f32, d[i] as f32);
        let upper = a + (b - a) * fx;
        let lower = c + (d - c) * fx;
        // A blend of values in 0..=255 plus one half: truncating it is what `as u8` does.
        out[i] = truncate(upper + (lower - upper) * fy + 0.5, 255.0) as u8;
    }
}

/// Rotates a mask (one code per pixel) like [`rotate_gray`], taking the nearest source pixel so that
/// values are never blended; uncovered corners are 0.
pub fn rotate_mask(mask: &GrayImage, deg: f32) -> GrayImage {
    let (w, h) = mask.dimensions();
    let src = mask.as_raw();
    let stride = w as usize;
    let mut dst = vec![0u8; stride * h as usize];
    // Masks are mostly 0 (a stamp, a few corrections): a destination row whose source rows are
    // all 0 stays 0 and is not visited. `marked[y]` counts the source rows before `y` holding
    // anything.
    let mut marked = vec![0u32; h as usize + 1];
    for (y, row) in src.chunks_exact(stride).enumerate() {
        let any = row.iter().fold(0, |acc, &v| acc | v) != 0;
        marked[y + 1] = marked[y] + u32::from(any);
    }
    let half = ONE / 2;
    source_rows(w, h, deg, |y, xs, mut sx, mut sy, dx, dy| {
        let last = xs.end - xs.start - 1;
        let (first_y, last_y) = (sy + half, sy + half + i64::from(last) * dy);
        let (top, bottom) = (first_y.min(last_y) >> FRAC, first_y.max(last_y) >> FRAC);
        if marked[bottom as usize + 1] == marked[top as usize] {
            return;
        }
        let out = &mut dst[y as usize * stride..][..stride];
        for o in &mut out[xs.start as usize..xs.end as usize] {
            *o = src[((sy + half) >> FRAC) as usize * stride + ((sx + half) >> FRAC) as usize];
            sx += dx;
            sy += dy;
        }
    });
    GrayImage::from_raw(w, h, dst).expect("buffer sized for the image")
}

/// Maps a point of the deskewed image back to the image [`rotate_gray`] was given.
pub fn unrotate_point(x: f32, y: f32, w: u32, h: u32, deg: f32) -> (f32, f32) {
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (dx, dy) = (x - cx, y - cy);
    (cx + dx * c - dy * s, cy + dx * s + dy * c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gray level at source position (`sx`, `sy`), whose integer parts are `x0`, `y0` and whose
    /// right and lower neighbours exist, blended from the four pixels around it.
    fn bilinear(src: &[u8], stride: usize, sx: f32, sy: f32, x0: usize, y0: usize) -> u8 {
        let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
        let i00 = y0 * stride + x0;
        let a = src[i00] as f32;
        let b = src[i00 + 1] as f32;
        let cc = src[i00 + stride] as f32;
        let d = src[i00 + stride + 1] as f32;
        let top = a + (b - a) * fx;
        let bot = cc + (d - cc) * fx;
        (top + (bot - top) * fy + 0.5) as u8
    }

    /// A white page with one dark line through its centre, rising at `deg` to the right.
    fn page_with_line(w: u32, h: u32, deg: f32) -> GrayImage {
        let t = deg.to_radians().tan();
        GrayImage::from_fn(w, h, |x, y| {
            let line_y = h as f32 / 2.0 + (x as f32 - w as f32 / 2.0) * t;
            image::Luma([if (y as f32 - line_y).abs() < 2.0 {
                0
            } else {
                255
            }])
        })
    }

    /// Rows whose darkest pixel is dark, as (first, last).
    fn dark_rows(img: &GrayImage) -> (u32, u32) {
        let rows: Vec<u32> = (0..img.height())
            .filter(|&y| (0..img.width()).any(|x| img.get_pixel(x, y).0[0] < 128))
            .collect();
        (rows[0], *rows.last().unwrap())
    }

    /// The one-pass per-pixel positions the accuracy figures were first measured with.
    fn reference_rotate_gray(img: &GrayImage, deg: f32) -> GrayImage {
        let (w, h) = img.dimensions();
        let (s, c) = deg.to_radians().sin_cos();
        let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
        let src = img.as_raw();
        let stride = w as usize;
        let mut dst = vec![255u8; stride * h as usize];
        for y in 0..h {
            let dy = y as f32 - cy;
            for x in 0..w {
                let dx = x as f32 - cx;
                let sx = cx + dx * c - dy * s;
                let sy = cy + dx * s + dy * c;
                if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
                    continue;
                }
                dst[y as usize * stride + x as usize] =
                    bilinear(src, stride, sx, sy, sx as usize, sy as usize);
            }
        }
        GrayImage::from_raw(w, h, dst).expect("buffer sized for the image")
    }

    #[test]
    fn rotation_gives_the_same_pixels_as_the_one_pass_reference() {
        for (w, h) in [(331, 217), (1201, 97)] {
            let img = GrayImage::from_fn(w, h, |x, y| {
                image::Luma([((x * 7919 + y * 104_729) % 251) as u8])
            });
            for deg in [-4.9, -1.6, -0.05, 0.3, 1.27, 5.0] {
                assert!(
                    rotate_gray(&img, deg) == reference_rotate_gray(&img, deg),
                    "{w}×{h} at {deg}°"
                );
            }
        }
    }

    #[test]
    fn rounding_a_coordinate_matches_the_standard_library() {
        let cases = [
            0.0, 0.49999997, 0.5, 1.5, 2.5, -0.5, -1.5, -2.4999998, 3507.5, -1234.567,
        ];
        let steps = (0..20_000).map(|i| (i as f32 - 10_000.0) * 0.37);
        for v in cases.into_iter().chain(steps) {
            assert_eq!(round_half_away(v), v.round() as i32, "{v}");
        }
    }

    #[test]
    fn a_skewed_line_comes_out_horizontal_with_white_corners() {
        let img = page_with_line(600, 300, 2.0);
        let out = rotate_gray(&img, 2.0);
        let (first, last) = dark_rows(&out);
        assert!(last - first <= 4, "line spans rows {first}..{last}");
        assert_eq!(out.get_pixel(0, 0).0[0], 255);
        assert_eq!(out.get_pixel(599, 299).0[0], 255);
    }

    #[test]
    fn no_rotation_keeps_the_pixels_inside_the_border() {
        let img = GrayImage::from_fn(50, 40, |x, y| image::Luma([(x * 5 + y) as u8]));
        let out = rotate_gray(&img, 0.0);
        for (x, y) in [(0, 0), (10, 20), (48, 38)] {
            assert_eq!(out.get_pixel(x, y), img.get_pixel(x, y), "at {x},{y}");
        }
    }

    /// Nearest-pixel rotation evaluated per pixel on the same fixed-point positions, visiting
    /// every row.
    fn reference_rotate_mask(mask: &GrayImage, deg: f32) -> GrayImage {
        let (w, h) = mask.dimensions();
        let mut out = GrayImage::new(w, h);
        source_rows(w, h, deg, |y, xs, sx, sy, dx, dy| {
            for (i, x) in xs.enumerate() {
                let (px, py) = (sx + i as i64 * dx + ONE / 2, sy + i as i64 * dy + ONE / 2);
                let v = mask.get_pixel((px >> FRAC) as u32, (py >> FRAC) as u32).0[0];
                out.put_pixel(x, y, image::Luma([v]));
            }
        });
        out
    }

    #[test]
    fn a_sparse_mask_rotates_like_the_row_by_row_reference() {
        let mut mask = GrayImage::new(500, 300);
        for (x, y, v) in [
            (0, 0, 7),
            (499, 0, 3),
            (250, 150, 200),
            (10, 299, 1),
            (499, 299, 9),
        ] {
            mask.put_pixel(x, y, image::Luma([v]));
        }
        for x in 100..400 {
            mask.put_pixel(x, 40, image::Luma([5]));
        }
        for deg in [-5.0, -0.7, 0.0, 0.05, 2.3, 5.0] {
            assert!(
                rotate_mask(&mask, deg) == reference_rotate_mask(&mask, deg),
                "{deg}°"
            );
        }
    }

    #[test]
    fn a_rotated_mask_keeps_its_values_and_follows_the_page() {
        let mut mask = GrayImage::new(400, 200);
        mask.put_pixel(300, 150, image::Luma([1]));
        let mask_out = rotate_mask(&mask, -3.0);
        assert!(mask_out.as_raw().iter().all(|&v| v <= 1));
        let (x, y) = (0..200)
            .flat_map(|y| (0..400).map(move |x| (x, y)))
            .find(|&(x, y)| mask_out.get_pixel(x, y).0[0] == 1)
            .expect("the marked pixel is inside the page");
        let (sx, sy) = unrotate_point(x as f32, y as f32, 400, 200, -3.0);
        assert!(
            (sx - 300.0).abs() <= 1.0 && (sy - 150.0).abs() <= 1.0,
            "{sx},{sy}"
        );
    }
}
