//! Page geometry: quarter-turn detection, skew estimation and rotation.

use image::{GrayImage, ImageBuffer, Luma, Pixel, Rgb, RgbImage};

use super::ink::{horizontal_runs, vertical_runs, InkMask};

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

/// Whether the page's ruling runs mostly vertically, i.e. a landscape register scanned a
/// quarter turn off. Compares the total length of long straight horizontal and vertical runs:
/// a register has far more row lines than column lines, and their length dominates any text.
pub fn is_quarter_turned(mask: &InkMask, dpi: f32) -> bool {
    let min_len = (dpi / 6.0) as u32;
    let h: u64 = horizontal_runs(mask, 1, min_len)
        .iter()
        .map(|r| r.length() as u64)
        .sum();
    let v: u64 = vertical_runs(mask, 1, min_len)
        .iter()
        .map(|r| r.length() as u64)
        .sum();
    v * 2 > h * 3
}

/// Skew of the page's horizontal lines in degrees (positive: lines descend to the right),
/// searched within ±`max_deg`. Long horizontal runs are cut into short pieces and projected
/// along each candidate angle; the angle giving the sharpest projection profile wins.
pub fn estimate_skew(mask: &InkMask, dpi: f32, max_deg: f32) -> f32 {
    let piece = ((dpi / 12.0) as u32).max(8);
    let mut points: Vec<(f32, f32)> = Vec::new();
    for run in horizontal_runs(mask, 1, piece) {
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
            let b = (y - (x - cx) * t).round() as isize + margin as isize;
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

/// Rotates an image about its centre so that lines at `deg` (as measured by [`estimate_skew`])
/// become horizontal; uncovered corners are filled with `fill`. Bilinear sampling.
pub fn rotate<P>(img: &ImageBuffer<P, Vec<u8>>, deg: f32, fill: P) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8>,
{
    let (w, h) = img.dimensions();
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let n = P::CHANNEL_COUNT as usize;
    let src = img.as_raw();
    let mut dst = fill.channels().repeat((w * h) as usize);
    let stride = w as usize * n;
    for y in 0..h {
        let dy = y as f32 - cy;
        for x in 0..w {
            let dx = x as f32 - cx;
            let sx = cx + dx * c - dy * s;
            let sy = cy + dx * s + dy * c;
            if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
                continue;
            }
            let (x0, y0) = (sx as usize, sy as usize);
            let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
            let i00 = y0 * stride + x0 * n;
            let o = (y as usize * w as usize + x as usize) * n;
            for k in 0..n {
                let a = src[i00 + k] as f32;
                let b = src[i00 + n + k] as f32;
                let cc = src[i00 + stride + k] as f32;
                let d = src[i00 + stride + n + k] as f32;
                let top = a + (b - a) * fx;
                let bot = cc + (d - cc) * fx;
                dst[o + k] = (top + (bot - top) * fy + 0.5) as u8;
            }
        }
    }
    ImageBuffer::from_raw(w, h, dst).expect("buffer sized for the image")
}

/// Maps a point of the deskewed image back to the image [`rotate`] was given.
pub fn unrotate_point(x: f32, y: f32, w: u32, h: u32, deg: f32) -> (f32, f32) {
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (dx, dy) = (x - cx, y - cy);
    (cx + dx * c - dy * s, cy + dx * s + dy * c)
}

/// Deskews a gray page with white fill.
pub fn rotate_gray(img: &GrayImage, deg: f32) -> GrayImage {
    rotate(img, deg, Luma([255]))
}

/// Deskews a colour page with white fill.
pub fn rotate_rgb(img: &RgbImage, deg: f32) -> RgbImage {
    rotate(img, deg, Rgb([255, 255, 255]))
}
