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
        // The rule is monotone in the pixel (darker stays ink), so each paper level gives one
        // limit below which a pixel is ink, and the per-pixel work is a comparison the compiler
        // vectorises over each block's stretch of a row.
        let limit: [u8; 256] = std::array::from_fn(|bg| {
            (0..=255u8).take_while(|&p| is_ink(p, bg as u8)).count() as u8
        });
        let raw = gray.as_raw();
        let mut data = vec![0u8; (w * h) as usize];
        for ((y, row), out) in raw
            .chunks_exact(w as usize)
            .enumerate()
            .zip(data.chunks_exact_mut(w as usize))
        {
            let prow = &paper[(y / BLOCK as usize) * bw as usize..];
            for ((px, o), &bg) in row
                .chunks(BLOCK as usize)
                .zip(out.chunks_mut(BLOCK as usize))
                .zip(prow)
            {
                let lim = limit[bg as usize];
                for (o, &p) in o.iter_mut().zip(px) {
                    *o = u8::from(p < lim);
                }
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

/// Whether a pixel of level `p` is ink on paper of level `bg`: 12 % darker than the paper and at
/// least 24 levels. Faint lines (40 levels below the paper on generated scans) pass, JPEG noise
/// and paper texture (a few levels) do not.
fn is_ink(p: u8, bg: u8) -> bool {
    let (p, bg) = (i32::from(p), i32::from(bg));
    p * 100 < bg * 88 && bg - p >= 24
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Ink by [`is_ink`] applied pixel by pixel, paper level per 64-pixel block from sorting the
    /// block: what [`InkMask::from_gray`]'s histograms and limit table must reproduce.
    fn reference(gray: &GrayImage) -> Vec<u8> {
        const BLOCK: u32 = 64;
        let (w, h) = gray.dimensions();
        let paper = |bx: u32, by: u32| {
            let mut block: Vec<u8> = (by * BLOCK..((by + 1) * BLOCK).min(h))
                .flat_map(|y| (bx * BLOCK..((bx + 1) * BLOCK).min(w)).map(move |x| (x, y)))
                .map(|(x, y)| gray.get_pixel(x, y).0[0])
                .collect();
            block.sort_unstable();
            block[block.len() * 9 / 10 - 1]
        };
        let papers: Vec<Vec<u8>> = (0..h.div_ceil(BLOCK))
            .map(|by| (0..w.div_ceil(BLOCK)).map(|bx| paper(bx, by)).collect())
            .collect();
        (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| {
                let bg = papers[(y / BLOCK) as usize][(x / BLOCK) as usize];
                u8::from(is_ink(gray.get_pixel(x, y).0[0], bg))
            })
            .collect()
    }

    #[test]
    fn ink_is_judged_against_the_paper_of_its_own_block() {
        // Paper darkening from left to right (uneven light), every gray level present, and
        // blocks cut short at the right and bottom edges.
        let gray = GrayImage::from_fn(300, 170, |x, y| {
            let paper = 250 - (x / 3) as u8;
            let v = if (x * 7 + y * 13) % 11 < 3 {
                ((x * 31 + y * 17) % 256) as u8
            } else {
                paper - (y % 5) as u8
            };
            image::Luma([v])
        });
        let mask = InkMask::from_gray(&gray);
        assert_eq!(mask.data, reference(&gray));
        assert!(mask.data.contains(&1) && mask.data.contains(&0));
    }

    #[test]
    fn a_pixel_is_ink_only_when_clearly_darker_than_the_paper() {
        assert!(is_ink(150, 240));
        assert!(!is_ink(230, 240), "4 % darker is paper texture");
        assert!(!is_ink(0, 20), "on black paper nothing is 24 levels darker");
        assert!(
            is_ink(126, 150) && !is_ink(127, 150),
            "24 levels below the paper, not 23"
        );
        assert!(
            is_ink(219, 250) && !is_ink(220, 250),
            "12 % below the paper"
        );
    }
}
