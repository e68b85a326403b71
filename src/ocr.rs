//! OCR stage: the cells of a laid-out page → raw text and confidence per field, per data row.
//!
//! One Tesseract engine per thread (kept in a thread-local, so a rayon pool of N workers holds N
//! engines); each page is handed to Tesseract once and every cell is read through a rectangle,
//! with settings chosen by the field the column holds.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::CString;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tesseract::plumbing::tesseract_sys;
use tesseract::plumbing::TessBaseApi;
use thiserror::Error;

use crate::fields::Field;
use crate::layout::columns::{identify_columns, is_column_number_row, is_header_row};
use crate::layout::{self, ColumnKind, ColumnMap, LayoutFile, LayoutParams, PageLayout, Rect};
use crate::raster::PageImage;
use crate::rows::{PixelBox, RowFlag};

/// Settings of the OCR stage.
#[derive(Debug, Clone)]
pub struct OcrParams {
    /// Folder holding `<language>.traineddata`.
    pub tessdata: PathBuf,
    /// Tesseract language (model) name.
    pub language: String,
    /// Fields to read; other columns are skipped (the signature column is never read).
    pub fields: Vec<Field>,
    /// Layout stage settings.
    pub layout: LayoutParams,
}

impl Default for OcrParams {
    /// The model [`crate::deps::find_tessdata`] finds (Debian's fast model unless told
    /// otherwise, see there); language `vie`; every field but the notes.
    fn default() -> Self {
        let tessdata = crate::deps::find_tessdata(&crate::deps::DepsParams::default())
            .map_or_else(|_| PathBuf::from(DEBIAN_TESSDATA), |l| l.path);
        OcrParams {
            tessdata,
            language: "vie".into(),
            fields: Field::ALL
                .into_iter()
                .filter(|f| *f != Field::Note)
                .collect(),
            layout: LayoutParams::default(),
        }
    }
}

/// Where Debian's `tesseract-ocr-vie` installs the fast model.
pub const DEBIAN_TESSDATA: &str = "/usr/share/tesseract-ocr/5/tessdata";

/// Why a page could not be read.
#[derive(Debug, Error)]
pub enum OcrError {
    /// Tesseract could not start with the model.
    #[error("cannot start Tesseract with {language} from {tessdata}")]
    Init {
        /// Model folder.
        tessdata: String,
        /// Language.
        language: String,
    },
    /// Tesseract failed on a page.
    #[error("{file}, page {page}: Tesseract failed: {what}")]
    Tesseract {
        /// File name.
        file: String,
        /// 1-based page.
        page: usize,
        /// The call that failed.
        what: &'static str,
    },
    /// No table on the page.
    #[error("{file}, page {page}: {source}")]
    NoTable {
        /// File name.
        file: String,
        /// 1-based page.
        page: usize,
        /// What the table finder saw.
        source: layout::GridError,
    },
    /// The columns could not be identified.
    #[error(
        "{file}, page {page}: cannot tell which column holds what ({seen}); give --layout FILE"
    )]
    NoColumns {
        /// File name.
        file: String,
        /// 1-based page.
        page: usize,
        /// The header text that was read, or why none was usable.
        seen: String,
    },
}

/// Text and confidence of one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CellText {
    /// Recognised text, NFC, lines joined by a space; empty for a cell without ink.
    pub raw: String,
    /// Mean word confidence 0..1 (1 for a cell without ink: it is surely empty).
    pub confidence: f32,
    /// The cell on the upright page.
    pub rect: Rect,
}

/// One data row of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct RowText {
    /// 1-based position among the page's data rows (empty rows not counted), top to bottom.
    pub row: u32,
    /// Cells of the fields read.
    pub cells: BTreeMap<Field, CellText>,
    /// Stamp / coloured ink / handwriting found in the row's data cells.
    pub flags: Vec<RowFlag>,
    /// The row on the page image as decoded.
    pub bbox: PixelBox,
}

/// Time per stage of one page.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageTimings {
    /// Orientation and deskew.
    pub deskew: Duration,
    /// Ink mask, grid, marks.
    pub grid: Duration,
    /// Header and cell recognition.
    pub ocr: Duration,
}

/// Everything read from one page.
#[derive(Debug, Clone)]
pub struct PageText {
    /// Data rows, top to bottom.
    pub rows: Vec<RowText>,
    /// The columns used (to pass to the next page of the same book).
    pub columns: ColumnMap,
    /// How the columns were found.
    pub columns_from: ColumnsFrom,
    /// Skew undone, degrees.
    pub skew_deg: f32,
    /// Quarter turns undone.
    pub rotation: layout::Rotation,
    /// Time per stage.
    pub timings: PageTimings,
}

/// Source of a page's column map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnsFrom {
    /// The page's own header row.
    Header,
    /// The previous page of the book (this page has no header).
    PreviousPage,
    /// The layout file.
    LayoutFile,
}

/// Tesseract settings of one kind of cell.
struct CellSettings {
    whitelist: &'static str,
    /// Read the cell first without the whitelist and keep that reading when the field's parser
    /// takes it as it stands: the whitelisted reading of such cells mostly comes back with a
    /// confidence near 0 and has to be read again (see [`PageReader::read`]), so starting free
    /// saves a recognition on most of them.
    free_first: Option<fn(&str) -> bool>,
}

/// A diploma number that needs no repair: series letter then 6–8 digits.
fn clean_diploma_no(raw: &str) -> bool {
    crate::fields::DiplomaNo::parse(raw).is_ok_and(|p| !p.corrected)
}

fn settings(field: Option<Field>) -> CellSettings {
    let only = |whitelist| CellSettings {
        whitelist,
        free_first: None,
    };
    match field {
        Some(Field::Stt) => only("0123456789"),
        Some(Field::Dob) => only("0123456789/.-"),
        // Dots and dashes are allowed although no number has them: when the gap after the
        // series letter cannot be a space, Tesseract picks one of them with a fair confidence
        // instead of dropping the gap with confidence 0, and the parser drops them.
        Some(Field::DiplomaNo) => CellSettings {
            whitelist: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-",
            free_first: Some(clean_diploma_no),
        },
        Some(Field::RegisterNo) => only("0123456789/-.ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        _ => only(""),
    }
}

struct Engine {
    key: (PathBuf, String),
    api: TessBaseApi,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's engine for the model of `params`, creating it on first use.
fn with_engine<T>(
    params: &OcrParams,
    f: impl FnOnce(&mut TessBaseApi) -> T,
) -> Result<T, OcrError> {
    let key = (params.tessdata.clone(), params.language.clone());
    ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|e| e.key != key) {
            let init_err = || OcrError::Init {
                tessdata: params.tessdata.display().to_string(),
                language: params.language.clone(),
            };
            let dir = CString::new(params.tessdata.to_string_lossy().as_bytes())
                .map_err(|_| init_err())?;
            let lang = CString::new(params.language.as_bytes()).map_err(|_| init_err())?;
            let mut api = TessBaseApi::create();
            api.init_4(
                Some(dir.as_c_str()),
                Some(lang.as_c_str()),
                tesseract_sys::TessOcrEngineMode_OEM_LSTM_ONLY,
            )
            .map_err(|_| init_err())?;
            *slot = Some(Engine { key, api });
        }
        let engine = slot.as_mut().expect("engine was just created");
        Ok(f(&mut engine.api))
    })
}

/// Makes Tesseract run single-threaded inside each engine; call it first thing in `main`.
///
/// Debian's Tesseract is built with OpenMP, and several OpenMP threads per engine make a pool of
/// engines 2.5x slower (and burn system time spinning). The OpenMP runtime reads
/// `OMP_THREAD_LIMIT` once, when the process loads it, so setting the variable from inside the
/// process has no effect. When it is unset, this re-executes the current program with the same
/// arguments and `OMP_THREAD_LIMIT=1`; it returns `Ok` when the variable is already set and the
/// error when the re-execution failed.
pub fn reexec_with_single_thread_openmp() -> std::io::Result<()> {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("OMP_THREAD_LIMIT").is_some() {
        return Ok(());
    }
    let exe = std::env::current_exe()?;
    Err(std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("OMP_THREAD_LIMIT", "1")
        .exec())
}

/// Hands Tesseract a gray image (one byte per pixel, rows packed) scanned at `dpi`.
fn set_gray_image(api: &mut TessBaseApi, image: &image::GrayImage, dpi: u32) -> Result<(), ()> {
    let (w, h) = (image.width() as i32, image.height() as i32);
    api.set_image(image.as_raw(), w, h, 1, w).map_err(|_| ())?;
    api.set_source_resolution(dpi as i32);
    Ok(())
}

/// Checks that Tesseract starts with the model of `params` (on this thread).
pub fn check_model(params: &OcrParams) -> Result<(), OcrError> {
    with_engine(params, |_| ())
}

/// Reads one image holding a single line of Vietnamese text (a name or a place cut out of a
/// page or printed elsewhere) with the settings of the free-text cells → its text (NFC) and
/// confidence 0..1. It measures the recogniser alone, on crops no table finder produced.
pub fn read_text_line(
    image: &image::GrayImage,
    dpi: u32,
    params: &OcrParams,
) -> Result<(String, f32), OcrError> {
    let failed = |what| OcrError::Tesseract {
        file: "text line".into(),
        page: 1,
        what,
    };
    with_engine(params, |api| {
        set_gray_image(api, image, dpi).map_err(|_| failed("set_image"))?;
        api.set_variable(c"tessedit_char_whitelist", c"")
            .map_err(|_| failed("set_variable"))?;
        api.set_page_seg_mode(tesseract_sys::TessPageSegMode_PSM_SINGLE_LINE);
        let text = api.get_utf8_text().map_err(|_| failed("get_utf8_text"))?;
        let raw = crate::text::clean(&text.as_ref().to_string_lossy());
        let confidence = (api.mean_text_conf().clamp(0, 100) as f32) / 100.0;
        Ok((raw, confidence))
    })?
}

/// Cell reader bound to one page image in one engine.
struct PageReader<'a> {
    api: &'a mut TessBaseApi,
    layout: &'a PageLayout,
}

impl PageReader<'_> {
    /// Reads one cell; `field` picks the settings (`None`: header text).
    fn read(&mut self, rect: Rect, field: Option<Field>) -> Result<CellText, &'static str> {
        let dpi = self.layout.dpi;
        let inset = ((dpi / 100.0) as u32).max(2);
        let inner = Rect {
            x0: rect.x0 + inset,
            y0: rect.y0 + inset,
            x1: rect.x1.saturating_sub(inset).max(rect.x0 + inset),
            y1: rect.y1.saturating_sub(inset).max(rect.y0 + inset),
        };
        let lines = text_lines(self.layout, &inner);
        if lines == 0 {
            return Ok(CellText {
                raw: String::new(),
                confidence: 1.0,
                rect,
            });
        }
        // Header cells are always read as a block: a two-line header in a narrow column
        // ("Xếp loại / TN", "Số / TT") has its lines so close that they count as one band,
        // and read as a single line it came back as "." and the column went unidentified.
        let psm = if lines >= 2 || field.is_none() {
            tesseract_sys::TessPageSegMode_PSM_SINGLE_BLOCK
        } else {
            tesseract_sys::TessPageSegMode_PSM_SINGLE_LINE
        };
        self.api.set_page_seg_mode(psm);
        // The recogniser drops characters that touch the edge of its rectangle (a 3-digit STT in
        // a narrow column lost its first digit), so it is given the cell with the erased ruling
        // lines around it as margin.
        let (w, h) = self.layout.gray.dimensions();
        let pad = ((dpi / 50.0) as u32).max(3);
        let outer = Rect {
            x0: rect.x0.saturating_sub(pad),
            y0: rect.y0.saturating_sub(pad),
            x1: (rect.x1 + pad).min(w),
            y1: (rect.y1 + pad).min(h),
        };
        let s = settings(field);
        let mut free = None;
        if let Some(accept) = s.free_first {
            let (raw, confidence) = self.recognise(&outer, "")?;
            if accept(&raw) {
                return Ok(CellText {
                    raw,
                    confidence,
                    rect,
                });
            }
            free = Some((raw, confidence));
        }
        let (raw, mut confidence) = self.recognise(&outer, s.whitelist)?;
        // With the whitelist, the LSTM's word confidence for "B 2878903" is often near 0 even
        // when every character is right: the best character it saw for the gap or a glyph lies
        // outside the whitelist and is charged to the word. The same cell is then read without
        // the whitelist; when that free reading has the same letters and digits, its (honest)
        // confidence is kept, otherwise the low one stands.
        if !s.whitelist.is_empty() && !raw.is_empty() && confidence < LOW_WHITELIST_CONF {
            let (free, free_conf) = match free {
                Some(f) => f,
                None => self.recognise(&outer, "")?,
            };
            if alnum_key(&free) == alnum_key(&raw) {
                confidence = confidence.max(free_conf);
            }
        }
        Ok(CellText {
            raw,
            confidence,
            rect,
        })
    }

    /// One recognition of `rect` with `whitelist` (empty: every character) → text (NFC,
    /// cleaned) and confidence 0..1 (0 for no text).
    fn recognise(&mut self, rect: &Rect, whitelist: &str) -> Result<(String, f32), &'static str> {
        let wl = CString::new(whitelist).expect("whitelists have no NUL");
        self.api
            .set_variable(c"tessedit_char_whitelist", &wl)
            .map_err(|_| "set_variable")?;
        // Setting the rectangle also drops the previous recognition Tesseract keeps cached.
        self.api.set_rectangle(
            rect.x0 as i32,
            rect.y0 as i32,
            (rect.x1 - rect.x0) as i32,
            (rect.y1 - rect.y0) as i32,
        );
        let text = self.api.get_utf8_text().map_err(|_| "get_utf8_text")?;
        let raw = crate::text::clean(&text.as_ref().to_string_lossy());
        let confidence = if raw.is_empty() {
            0.0
        } else {
            (self.api.mean_text_conf().clamp(0, 100) as f32) / 100.0
        };
        Ok((raw, confidence))
    }
}

/// Whether a cell's text is a data row's printed number: digits only, above 1.
fn is_row_number(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit())
        && text.parse::<u32>().is_ok_and(|n| n > 1)
}

/// Below this confidence a whitelisted cell is read again without the whitelist.
const LOW_WHITELIST_CONF: f32 = 0.6;

/// Letters and digits of a reading, upper-case: what two readings must share to agree.
fn alnum_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Number of text lines in a cell: bands of pixel rows holding ink. Gaps of up to 1/40 inch
/// (between letters and their diacritics) do not split a line; specks thinner than 1/25 inch
/// are not lines.
fn text_lines(layout: &PageLayout, r: &Rect) -> usize {
    if r.x1 <= r.x0 || r.y1 <= r.y0 {
        return 0;
    }
    let min_band = (layout.dpi / 25.0) as u32;
    let join_gap = (layout.dpi / 40.0) as u32;
    let mut bands: Vec<(u32, u32)> = Vec::new();
    for y in r.y0..r.y1 {
        if layout.ink.count(r.x0, y, r.x1, y + 1) < 2 {
            continue;
        }
        match bands.last_mut() {
            Some(b) if y - b.1 <= join_gap => b.1 = y + 1,
            _ => bands.push((y, y + 1)),
        }
    }
    bands.iter().filter(|b| b.1 - b.0 >= min_band).count()
}

/// Whether a stroke crosses the cell's text: a correction by hand strikes the printed value
/// through, and on a gray scan that stroke is the only sign of it. Printed letters never hold a
/// straight horizontal run of ink longer than about one letter (serifs and bars included), so a
/// run of twice the cell's height through its middle band is a line drawn across the text.
fn struck_through(layout: &PageLayout, r: &Rect) -> bool {
    let h = r.y1.saturating_sub(r.y0);
    if h < 4 || r.x1 <= r.x0 {
        return false;
    }
    let min_run = 2 * h;
    // One-pixel gaps are noise in a drawn stroke, not the space between letters.
    let max_gap = (layout.dpi / 150.0).max(1.0) as u32;
    (r.y0 + h / 4..r.y1 - h / 4).any(|y| {
        let (mut run, mut gap) = (0u32, 0u32);
        for x in r.x0..r.x1 {
            if layout.ink.get(x, y) {
                run += gap + 1;
                gap = 0;
                if run >= min_run {
                    return true;
                }
            } else if run > 0 && gap < max_gap {
                gap += 1;
            } else {
                run = 0;
                gap = 0;
            }
        }
        false
    })
}

/// One page → its data rows.
///
/// `previous` is the column map of the previous page of the same book (used when this page has
/// no header row); `pinned` is a layout file that overrides column identification. `file` and
/// `page` (1-based) only name the page in errors.
pub fn read_page(
    image: &PageImage,
    previous: Option<&ColumnMap>,
    pinned: Option<&LayoutFile>,
    params: &OcrParams,
    file: &str,
    page: usize,
) -> Result<PageText, OcrError> {
    let layout = layout::analyse(image, &params.layout).map_err(|source| OcrError::NoTable {
        file: file.into(),
        page,
        source,
    })?;
    let t0 = Instant::now();
    let tess_err = |what| OcrError::Tesseract {
        file: file.into(),
        page,
        what,
    };
    let result = with_engine(params, |api| -> Result<PageText, OcrError> {
        let gray = &layout.gray;
        set_gray_image(api, gray, layout.dpi.round() as u32).map_err(|_| tess_err("set_image"))?;
        let mut reader = PageReader {
            api,
            layout: &layout,
        };
        let rows = layout.grid.rows();
        let ncols = layout.grid.cols().len();
        let read_row = |reader: &mut PageReader, r: usize| -> Result<Vec<String>, OcrError> {
            (0..ncols)
                .map(|c| {
                    let rect = layout.cell(r, c).expect("row and column exist");
                    reader.read(rect, None).map(|t| t.raw).map_err(tess_err)
                })
                .collect()
        };
        // Header rows at the top, then maybe a column-number row; everything after is data.
        // A column-number row is much lower than a data row; its digits in parentheses are
        // not always read as such, so its height alone marks it once a header was seen.
        let mut heights: Vec<u32> = rows.iter().map(|s| s.len()).collect();
        heights.sort_unstable();
        let median_height = heights[heights.len() / 2];
        let mut header: Vec<Vec<String>> = Vec::new();
        let mut first_data = 0;
        while first_data < rows.len().min(3) {
            let short = rows[first_data].len() * 10 < median_height * 7;
            if short && !header.is_empty() {
                first_data += 1;
                break;
            }
            // Most pages have no header: their first row is data, and reading all of it as a
            // possible header (signature and notes too) only to read it again cost a row of
            // cells per page. A full-height row opening with a bare number above 1 is data (a
            // column-number row opens with 1 or (1)); anything else is read whole.
            if header.is_empty() && !short {
                let first = layout.cell(first_data, 0).expect("row and column exist");
                let text = reader.read(first, None).map_err(tess_err)?.raw;
                if is_row_number(&text) {
                    break;
                }
            }
            let texts = read_row(&mut reader, first_data)?;
            if is_header_row(&texts) {
                header.push(texts);
                first_data += 1;
            } else if is_column_number_row(&texts) {
                first_data += 1;
                break;
            } else {
                break;
            }
        }
        let (columns, columns_from) = if let Some(pinned) = pinned {
            (pinned.apply(&layout.grid.cols()), ColumnsFrom::LayoutFile)
        } else if let Some(map) = identify_columns(&header) {
            (map, ColumnsFrom::Header)
        } else if let Some(prev) = previous.filter(|p| p.kinds.len() == ncols) {
            (prev.clone(), ColumnsFrom::PreviousPage)
        } else {
            let seen = if header.is_empty() {
                match previous {
                    Some(p) => format!(
                        "no header row; the previous page's layout has {} columns, this table {}",
                        p.kinds.len(),
                        ncols
                    ),
                    None => format!("no header row and no previous page; {ncols} columns"),
                }
            } else {
                format!("header read as {:?}", header)
            };
            return Err(OcrError::NoColumns {
                file: file.into(),
                page,
                seen,
            });
        };
        let (top, bottom) = (rows[0].start, rows[rows.len() - 1].end);
        let signatures: Vec<Rect> = (layout.grid.cols().iter().zip(&columns.kinds))
            .filter(|(_, k)| **k == ColumnKind::Signature)
            .map(|(c, _)| Rect {
                x0: c.start,
                y0: top,
                x1: c.end,
                y1: bottom,
            })
            .collect();
        let marks = layout.marks.without_ink_reaching(&signatures, layout.dpi);
        let mut out = Vec::new();
        for (r, span) in rows.iter().enumerate().skip(first_data) {
            let data_cols: Vec<(usize, ColumnKind)> = columns
                .kinds
                .iter()
                .copied()
                .enumerate()
                .filter(|(_, k)| *k != ColumnKind::Signature)
                .collect();
            let row_rect = Rect {
                x0: layout.grid.v_lines[0].start,
                y0: span.start,
                x1: layout.grid.v_lines[ncols].end,
                y1: span.end,
            };
            let inked = data_cols.iter().any(|(c, _)| {
                let cell = layout.cell(r, *c).expect("cell exists");
                let inner = shrink(&cell, (layout.dpi / 60.0) as u32);
                text_lines(&layout, &inner) > 0
            });
            if !inked {
                continue;
            }
            let mut flags = Vec::new();
            if layout.marks.stamps.iter().any(|s| s.overlaps(&row_rect)) {
                flags.push(RowFlag::Stamp);
            }
            let min_coloured = 6;
            if data_cols.iter().any(|(c, _)| {
                let cell = layout.cell(r, *c).expect("cell exists");
                marks.coloured_in(&cell) >= min_coloured
            }) {
                flags.push(RowFlag::ColouredInk);
            }
            if data_cols.iter().any(|(c, _)| {
                let cell = layout.cell(r, *c).expect("cell exists");
                struck_through(&layout, &shrink(&cell, (layout.dpi / 60.0) as u32))
            }) {
                flags.push(RowFlag::Handwriting);
            }
            let mut cells = BTreeMap::new();
            for (c, kind) in &data_cols {
                let ColumnKind::Field(field) = *kind else {
                    continue;
                };
                if !params.fields.contains(&field) {
                    continue;
                }
                let rect = layout.cell(r, *c).expect("cell exists");
                let text = reader.read(rect, Some(field)).map_err(tess_err)?;
                cells.insert(field, text);
            }
            out.push(RowText {
                row: out.len() as u32 + 1,
                cells,
                flags,
                bbox: layout.to_source_box(&row_rect),
            });
        }
        Ok(PageText {
            rows: out,
            columns,
            columns_from,
            skew_deg: layout.skew_deg,
            rotation: layout.rotation,
            timings: PageTimings::default(),
        })
    })??;
    let mut result = result;
    result.timings = PageTimings {
        deskew: layout.timings.deskew,
        grid: layout.timings.grid,
        ocr: t0.elapsed(),
    };
    Ok(result)
}

fn shrink(r: &Rect, by: u32) -> Rect {
    Rect {
        x0: r.x0 + by,
        y0: r.y0 + by,
        x1: r.x1.saturating_sub(by).max(r.x0 + by),
        y1: r.y1.saturating_sub(by).max(r.y0 + by),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bare_number_above_one_marks_a_row_as_data_before_it_is_read() {
        for data in ["2", "17", "120"] {
            assert!(is_row_number(data), "{data}");
        }
        // Column-number rows open with 1 or (1); headers with words; "1" may be either.
        for unsure in ["1", "(1)", "01", "0", "Số TT", "STT", "", "1.", "17a"] {
            assert!(!is_row_number(unsure), "{unsure}");
        }
    }

    #[test]
    fn a_free_diploma_reading_is_kept_only_when_it_needs_no_repair() {
        for kept in ["B2878789", "B 2878789", "A 012345", "T-01234567"] {
            assert!(clean_diploma_no(kept), "{kept}");
        }
        // Digit repairs, a series letter read as a digit, and wrong lengths go to the
        // whitelisted reading, which cannot produce the letters that caused them.
        for reread in [
            "B28787O9",
            "B2878l89",
            "8 2878789",
            "B 28787",
            "B 287878901",
            "",
            "Bằng",
        ] {
            assert!(!clean_diploma_no(reread), "{reread}");
        }
    }
}
