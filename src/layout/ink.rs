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

/// A mask row packed one bit per pixel (bit `x % 64` of word `x / 64` set where the byte is
/// not 0), so that stretches of paper and of ink are crossed a word at a time.
fn pack_row(row: &[u8], words: &mut Vec<u64>) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    words.clear();
    for chunk in row.chunks(64) {
        let mut word = 0u64;
        for (i, bytes) in chunk.chunks(8).enumerate() {
            let x = match <[u8; 8]>::try_from(bytes) {
                Ok(b) => u64::from_le_bytes(b),
                Err(_) => bytes.iter().rev().fold(0, |x, &b| x << 8 | u64::from(b)),
            };
            // 1 in each byte that is not 0, then those eight bits gathered into the top byte
            // (byte k's bit lands on bit 56 + k; no two products meet, so nothing carries).
            let nonzero = ((((x & LOW7) + LOW7) | x) >> 7) & 0x0101_0101_0101_0101;
            word |= (nonzero.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * i);
        }
        words.push(word);
    }
}

/// The first position from `from` on whose bit is `set`, if any.
fn next_bit(words: &[u64], from: usize, set: bool) -> Option<usize> {
    let mut i = from / 64;
    let flip = if set { 0 } else { u64::MAX };
    let mut w = (words.get(i)? ^ flip) & (u64::MAX << (from % 64));
    loop {
        if w != 0 {
            return Some(i * 64 + w.trailing_zeros() as usize);
        }
        i += 1;
        w = words.get(i)? ^ flip;
    }
}

/// The maximal stretches `[start, end)` of ink of a packed row, left to right.
fn ink_stretches(words: &[u64]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = next_bit(words, from, true)?;
        // Bits past the row's end are 0, so only a row filling its last word ends unseen.
        let end = next_bit(words, start, false).unwrap_or(words.len() * 64);
        from = end;
        Some((start as u32, end as u32))
    })
}

/// Horizontal runs of at least `min_len` pixels, bridging gaps of up to `gap` pixels.
pub fn horizontal_runs(mask: &InkMask, gap: u32, min_len: u32) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut words = Vec::new();
    for (y, row) in mask.data.chunks_exact(mask.width as usize).enumerate() {
        pack_row(row, &mut words);
        let at = y as u32;
        let mut current: Option<(u32, u32)> = None;
        for (start, end) in ink_stretches(&words) {
            current = match current {
                Some((s, last)) if start - last <= gap + 1 => Some((s, end - 1)),
                Some((s, last)) => {
                    if last + 1 - s >= min_len {
                        runs.push(Run {
                            at,
                            start: s,
                            end: last + 1,
                        });
                    }
                    Some((start, end - 1))
                }
                None => Some((start, end - 1)),
            };
        }
        if let Some((s, last)) = current {
            if last + 1 - s >= min_len {
                runs.push(Run {
                    at,
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
    let mut words = Vec::new();
    for (y, row) in mask.data.chunks_exact(w).enumerate() {
        let y = y as u32;
        pack_row(row, &mut words);
        for x in ink_stretches(&words).flat_map(|(s, e)| s as usize..e as usize) {
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

    /// Horizontal runs found pixel by pixel: what the packed scan must reproduce.
    fn reference_horizontal_runs(mask: &InkMask, gap: u32, min_len: u32) -> Vec<Run> {
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

    /// The mask turned about its diagonal: its vertical runs are the horizontal runs of this.
    fn transposed(mask: &InkMask) -> InkMask {
        let (w, h) = (mask.width as usize, mask.height as usize);
        let data = (0..w * h).map(|i| mask.data[(i % h) * w + i / h]).collect();
        InkMask {
            width: mask.height,
            height: mask.width,
            data,
        }
    }

    fn sorted(mut runs: Vec<Run>) -> Vec<Run> {
        runs.sort_by_key(|r| (r.at, r.start));
        runs
    }

    #[test]
    fn packed_runs_are_the_pixel_by_pixel_runs() {
        // Widths around the 64-pixel words, ink of several densities and of values other
        // than 1, gaps and lengths around the thresholds.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for (width, height) in [(1, 9), (63, 20), (64, 17), (65, 30), (200, 40), (333, 25)] {
            for density in [2, 20, 60, 97] {
                let data = (0..width * height)
                    .map(|_| {
                        let r = next();
                        if r % 100 < density {
                            (r >> 32) as u8 | 1
                        } else {
                            0
                        }
                    })
                    .collect();
                let mask = InkMask {
                    width,
                    height,
                    data,
                };
                for (gap, min_len) in [(0, 1), (1, 2), (1, 8), (3, 5), (2, 40)] {
                    let what = format!("{width}×{height}, {density} %, gap {gap}, min {min_len}");
                    assert_eq!(
                        horizontal_runs(&mask, gap, min_len),
                        reference_horizontal_runs(&mask, gap, min_len),
                        "horizontal, {what}"
                    );
                    assert_eq!(
                        sorted(vertical_runs(&mask, gap, min_len)),
                        sorted(reference_horizontal_runs(&transposed(&mask), gap, min_len)),
                        "vertical, {what}"
                    );
                }
            }
        }
    }

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
