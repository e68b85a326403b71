//! Ink mask: which pixels are darker than the paper around them.

use image::GrayImage;

/// One byte per pixel, 1 = ink, row-major, same size as the image it was made from.
#[derive(Debug, Clone)]
pub struct InkMask {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major 0/1 values.
    pub data: Vec<u8>,
}

impl InkMask {
    /// Gray page → ink mask. The paper's brightness is estimated per 64-pixel block (its 90th
    /// percentile), so uneven light and faint ruling lines are judged against the paper next
    /// to them rather than one global threshold.
    pub fn from_gray(gray: &GrayImage) -> InkMask {
        const BLOCK: u32 = 64;
        let (w, h) = gray.dimensions();
        let bw = w.div_ceil(BLOCK);
        let bh = h.div_ceil(BLOCK);
        let mut paper = vec![255u8; (bw * bh) as usize];
        for by in 0..bh {
            for bx in 0..bw {
                let mut hist = [0u32; 256];
                let mut n = 0;
                let (x0, x1) = ((bx * BLOCK) as usize, ((bx + 1) * BLOCK).min(w) as usize);
                for y in (by * BLOCK)..((by + 1) * BLOCK).min(h) {
                    let row = &gray.as_raw()[(y * w) as usize..][x0..x1];
                    row.iter().for_each(|&p| hist[p as usize] += 1);
                    n += row.len() as u32;
                }
                let mut seen = 0;
                let target = n * 9 / 10;
                for (v, c) in hist.iter().enumerate() {
                    seen += c;
                    if seen >= target {
                        paper[(by * bw + bx) as usize] = v as u8;
                        break;
                    }
                }
            }
        }
        let raw = gray.as_raw();
        let mut data = vec![0u8; (w * h) as usize];
        for y in 0..h {
            let prow = &paper[((y / BLOCK) * bw) as usize..];
            let row = &raw[(y * w) as usize..((y + 1) * w) as usize];
            let out = &mut data[(y * w) as usize..((y + 1) * w) as usize];
            for x in 0..w as usize {
                let bg = prow[x / BLOCK as usize] as i32;
                let p = row[x] as i32;
                // 12 % darker than the paper and at least 24 levels: faint lines (40 levels
                // below the paper on generated scans) pass, JPEG noise and paper texture
                // (a few levels) do not.
                out[x] = (p * 100 < bg * 88 && bg - p >= 24) as u8;
            }
        }
        InkMask {
            width: w,
            height: h,
            data,
        }
    }

    /// Whether (x, y) is ink; false outside the image.
    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.data[(y * self.width + x) as usize] != 0
    }

    /// Number of ink pixels in the rectangle [x0, x1) × [y0, y1), clipped to the image.
    pub fn count(&self, x0: u32, y0: u32, x1: u32, y1: u32) -> u32 {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        let mut n = 0;
        for y in y0..y1 {
            let row = &self.data[(y * self.width) as usize..];
            n += row[x0 as usize..x1 as usize]
                .iter()
                .map(|&v| v as u32)
                .sum::<u32>();
        }
        n
    }
}

/// A straight run of ink along one axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Position across the run (y for a horizontal run, x for a vertical one).
    pub at: u32,
    /// First pixel along the run.
    pub start: u32,
    /// One past the last pixel along the run.
    pub end: u32,
}

impl Run {
    /// Length in pixels.
    pub fn length(&self) -> u32 {
        self.end - self.start
    }
}

/// Horizontal runs of at least `min_len` pixels, bridging gaps of up to `gap` pixels.
pub fn horizontal_runs(mask: &InkMask, gap: u32, min_len: u32) -> Vec<Run> {
    let mut runs = Vec::new();
    for y in 0..mask.height {
        let row = &mask.data[(y * mask.width) as usize..((y + 1) * mask.width) as usize];
        let mut start: Option<u32> = None;
        let mut last = 0u32;
        for (x, &v) in row.iter().enumerate() {
            if v == 0 {
                continue;
            }
            let x = x as u32;
            match start {
                Some(_) if x - last <= gap + 1 => last = x,
                Some(s) => {
                    if last + 1 - s >= min_len {
                        runs.push(Run {
                            at: y,
                            start: s,
                            end: last + 1,
                        });
                    }
                    start = Some(x);
                    last = x;
                }
                None => {
                    start = Some(x);
                    last = x;
                }
            }
        }
        if let Some(s) = start {
            if last + 1 - s >= min_len {
                runs.push(Run {
                    at: y,
                    start: s,
                    end: last + 1,
                });
            }
        }
    }
    runs
}

/// Vertical runs of at least `min_len` pixels, bridging gaps of up to `gap` pixels.
pub fn vertical_runs(mask: &InkMask, gap: u32, min_len: u32) -> Vec<Run> {
    let w = mask.width as usize;
    let mut start = vec![u32::MAX; w];
    let mut last = vec![0u32; w];
    let mut runs = Vec::new();
    for y in 0..mask.height {
        let row = &mask.data[y as usize * w..(y as usize + 1) * w];
        for (x, &v) in row.iter().enumerate() {
            if v == 0 {
                continue;
            }
            if start[x] != u32::MAX && y - last[x] <= gap + 1 {
                last[x] = y;
                continue;
            }
            if start[x] != u32::MAX && last[x] + 1 - start[x] >= min_len {
                runs.push(Run {
                    at: x as u32,
                    start: start[x],
                    end: last[x] + 1,
                });
            }
            start[x] = y;
            last[x] = y;
        }
    }
    for x in 0..w {
        if start[x] != u32::MAX && last[x] + 1 - start[x] >= min_len {
            runs.push(Run {
                at: x as u32,
                start: start[x],
                end: last[x] + 1,
            });
        }
    }
    runs
}
