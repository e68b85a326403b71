//! Raster stage: a scanned register PDF → one grayscale (and, when the scan is in colour, RGB)
//! image per page.
//!
//! Scanners write one image per page; when a page is exactly that, the embedded image is taken
//! as it is stored (JPEG decoded in Rust, other codecs decoded by PDFium), which is several times
//! faster than rendering. Any other page is rendered at [`RasterParams::render_dpi`].

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use image::{DynamicImage, GrayImage, RgbImage};
use pdfium_render::prelude::*;
use thiserror::Error;

/// One page as pixels, ready for layout analysis.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// Luma of the page, 0 = black.
    pub gray: GrayImage,
    /// The page in colour, kept only when the source holds coloured pixels (red ink, stamps).
    pub color: Option<RgbImage>,
    /// Pixels per inch of `gray` (and `color`), derived from the page's size in the PDF.
    pub dpi: f32,
    /// True when the embedded image was used, false when the page was rendered.
    pub embedded: bool,
}

/// Settings of the raster stage.
#[derive(Debug, Clone)]
pub struct RasterParams {
    /// Path of `libpdfium.so`.
    pub library: PathBuf,
    /// Resolution used when a page has to be rendered.
    pub render_dpi: f32,
}

impl Default for RasterParams {
    /// The library [`crate::deps::find_pdfium`] finds (else the path `scripts/setup.sh` fills,
    /// so the error names it); rendering at 300 DPI.
    fn default() -> Self {
        let library = crate::deps::find_pdfium(&crate::deps::DepsParams::default()).map_or_else(
            |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor/pdfium/libpdfium.so"),
            |l| l.path,
        );
        RasterParams {
            library,
            render_dpi: 300.0,
        }
    }
}

/// Why a PDF or one of its pages could not be turned into an image.
#[derive(Debug, Error)]
pub enum RasterError {
    /// PDFium could not be loaded.
    #[error("cannot load PDFium from {path}: {reason}")]
    Library {
        /// The library path tried.
        path: PathBuf,
        /// PDFium's error.
        reason: String,
    },
    /// The file could not be read at all.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// File name.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file does not start like a PDF.
    #[error("{file}: not a PDF (no %PDF header)")]
    NotPdf {
        /// File name.
        file: String,
    },
    /// The PDF needs a password.
    #[error("{file}: the PDF is encrypted (password protected); save an unprotected copy")]
    Encrypted {
        /// File name.
        file: String,
    },
    /// The file is empty or the PDF has no pages.
    #[error("{file}: {what}")]
    Empty {
        /// File name.
        file: String,
        /// "file is empty" or "the PDF has no pages".
        what: &'static str,
    },
    /// PDFium could not parse the file.
    #[error("{file}: corrupt PDF: {reason}")]
    Corrupt {
        /// File name.
        file: String,
        /// PDFium's error.
        reason: String,
    },
    /// One page could not be decoded or rendered.
    #[error("{file}, page {page}: {reason}")]
    Page {
        /// File name.
        file: String,
        /// 1-based page number.
        page: usize,
        /// What went wrong.
        reason: String,
    },
}

static PDFIUM: OnceLock<Pdfium> = OnceLock::new();

/// Opens scanned PDFs. PDFium is process-wide and serialises its calls, so decode pages on
/// one thread and hand the images to OCR workers.
pub struct Raster {
    pdfium: &'static Pdfium,
    params: RasterParams,
}

impl Raster {
    /// Binds PDFium (once per process; later calls reuse the first binding) → a reader.
    pub fn new(params: RasterParams) -> Result<Raster, RasterError> {
        let pdfium = match PDFIUM.get() {
            Some(p) => p,
            None => {
                let bindings =
                    Pdfium::bind_to_library(&params.library).map_err(|e| RasterError::Library {
                        path: params.library.clone(),
                        reason: format!("{e:?}"),
                    })?;
                PDFIUM.get_or_init(|| Pdfium::new(bindings))
            }
        };
        Ok(Raster { pdfium, params })
    }

    /// Opens one PDF → a document whose pages can be decoded one at a time.
    pub fn open(&self, path: &Path) -> Result<ScanDocument, RasterError> {
        let file = file_name(path);
        check_header(path, &file)?;
        let doc = self
            .pdfium
            .load_pdf_from_file(path, None)
            .map_err(|e| match e {
                PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError)
                | PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::SecurityError) => {
                    RasterError::Encrypted { file: file.clone() }
                }
                other => RasterError::Corrupt {
                    file: file.clone(),
                    reason: format!("{other:?}"),
                },
            })?;
        let pages = doc.pages().len().max(0) as usize;
        if pages == 0 {
            return Err(RasterError::Empty {
                file,
                what: "the PDF has no pages",
            });
        }
        Ok(ScanDocument {
            doc,
            file,
            pages,
            render_dpi: self.params.render_dpi,
        })
    }

    /// Number of pages of a PDF, without decoding any image (for dry runs).
    pub fn page_count(&self, path: &Path) -> Result<usize, RasterError> {
        Ok(self.open(path)?.page_count())
    }
}

/// An open PDF. Not `Send`: PDFium documents stay on the thread that opened them.
pub struct ScanDocument {
    doc: PdfDocument<'static>,
    file: String,
    pages: usize,
    render_dpi: f32,
}

impl ScanDocument {
    /// File name (without folder) the document was opened from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Number of pages (≥ 1).
    pub fn page_count(&self) -> usize {
        self.pages
    }

    /// 1-based page number → its image, from the embedded scan when the page is one image,
    /// else rendered.
    pub fn page(&self, page: usize) -> Result<PageImage, RasterError> {
        let err = |reason: String| RasterError::Page {
            file: self.file.clone(),
            page,
            reason,
        };
        if page == 0 || page > self.pages {
            return Err(err(format!("no such page (the PDF has {})", self.pages)));
        }
        let pdf_page = self
            .doc
            .pages()
            .get((page - 1) as PdfPageIndex)
            .map_err(|e| err(format!("cannot load the page: {e:?}")))?;
        let width_in = pdf_page.width().value / 72.0;
        let height_in = pdf_page.height().value / 72.0;
        if width_in <= 0.0 || height_in <= 0.0 {
            return Err(err("the page has no size".into()));
        }
        if let Some(img) = embedded_image(&pdf_page, width_in, height_in) {
            let dpi = img.width() as f32 / width_in;
            return Ok(split_color(img, dpi, true));
        }
        let scale = self.render_dpi / 72.0;
        let bitmap = pdf_page
            .render_with_config(
                &PdfRenderConfig::new()
                    .scale_page_by_factor(scale)
                    .set_format(PdfBitmapFormat::BGRA),
            )
            .map_err(|e| err(format!("cannot render: {e:?}")))?;
        let img = bitmap
            .as_image()
            .map_err(|e| err(format!("cannot convert the rendered page: {e:?}")))?;
        let dpi = img.width() as f32 / width_in;
        Ok(split_color(img, dpi, false))
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// PDFium reports a text file and a truncated PDF alike as a format error; the header tells the
/// user which of the two they have.
fn check_header(path: &Path, file: &str) -> Result<(), RasterError> {
    let io = |source| RasterError::Io {
        file: file.to_string(),
        source,
    };
    let mut head = Vec::with_capacity(1024);
    std::fs::File::open(path)
        .map_err(io)?
        .take(1024)
        .read_to_end(&mut head)
        .map_err(io)?;
    if head.is_empty() {
        return Err(RasterError::Empty {
            file: file.to_string(),
            what: "the file is empty",
        });
    }
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(RasterError::NotPdf {
            file: file.to_string(),
        });
    }
    Ok(())
}

/// The page's single image when the page is nothing but a scan, upright, filling the page.
/// `None` sends the page to the renderer.
fn embedded_image(page: &PdfPage, width_in: f32, height_in: f32) -> Option<DynamicImage> {
    if !matches!(page.rotation(), Ok(PdfPageRenderRotation::None)) {
        return None;
    }
    let objects = page.objects();
    if objects.len() != 1 {
        return None;
    }
    let object = objects.get(0).ok()?;
    let image = object.as_image_object()?;
    let (w, h) = (image.width().ok()? as f32, image.height().ok()? as f32);
    // A transform that rotates or crops the image would make the stored pixels differ from
    // what the page shows; equal aspect ratios rule out the common cases.
    if w <= 0.0 || h <= 0.0 || ((w / h) / (width_in / height_in) - 1.0).abs() > 0.02 {
        return None;
    }
    let filters = image.filters();
    let only_dct = filters.len() == 1 && filters.get(0).ok()?.name() == "DCTDecode";
    if only_dct {
        let data = image.get_raw_image_data().ok()?;
        if let Ok(img) = image::load_from_memory_with_format(&data, image::ImageFormat::Jpeg) {
            return Some(img);
        }
    }
    image.get_raw_image().ok()
}

/// Splits a decoded page into the gray image for OCR and, if any pixel is clearly coloured, the
/// colour image for ink detection (a gray scan stored as RGB costs memory for nothing).
fn split_color(img: DynamicImage, dpi: f32, embedded: bool) -> PageImage {
    let (gray, rgb) = match img {
        // What scanners write; the other layouts are rare enough for image's generic path.
        DynamicImage::ImageRgb8(rgb) => (luma_of(&rgb), Some(rgb)),
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLuma16(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageLumaA16(_) => (img.to_luma8(), None),
        other => (other.to_luma8(), Some(other.to_rgb8())),
    };
    let color = match rgb {
        None => None,
        Some(rgb) => {
            let coloured = rgb
                .pixels()
                .step_by(7)
                .filter(|p| {
                    let [r, g, b] = p.0;
                    r.max(g).max(b) - r.min(g).min(b) > 60
                })
                .take(50)
                .count();
            (coloured >= 50).then_some(rgb)
        }
    };
    PageImage {
        gray,
        color,
        dpi,
        embedded,
    }
}

/// BT.709 luminance weights as image 0.25 derives them for sRGB (via moxcms 0.8).
const LUMA_WEIGHTS: [f32; 3] = [0.212_647_84, 0.715_179_2, 0.072_173_04];

/// An RGB page's luma, pixel for pixel what image's `to_luma8` gives (a test compares all 2²⁴
/// colours). image's generic conversion goes through float buffers and a C library `roundf`
/// call per pixel, which made it a third of the time to decode a page; here blocks of pixels
/// are split into planes so that the arithmetic vectorises.
fn luma_of(rgb: &RgbImage) -> GrayImage {
    const BLOCK: usize = 16;
    let (w, h) = rgb.dimensions();
    let raw = rgb.as_raw();
    let mut luma = vec![0u8; raw.len() / 3];
    let blocks = luma
        .chunks_exact_mut(BLOCK)
        .zip(raw.chunks_exact(3 * BLOCK));
    for (out, px) in blocks {
        let mut planes = [[0f32; BLOCK]; 3];
        for (i, p) in px.chunks_exact(3).enumerate() {
            for (plane, &c) in planes.iter_mut().zip(p) {
                plane[i] = f32::from(c);
            }
        }
        for (i, o) in out.iter_mut().enumerate() {
            *o = luma_level(planes[0][i], planes[1][i], planes[2][i]);
        }
    }
    let done = luma.len() / BLOCK * BLOCK;
    for (o, p) in luma[done..].iter_mut().zip(raw[3 * done..].chunks_exact(3)) {
        *o = luma_level(f32::from(p[0]), f32::from(p[1]), f32::from(p[2]));
    }
    GrayImage::from_raw(w, h, luma).expect("one luma byte per RGB pixel")
}

/// One pixel's luma as image computes it: each component scaled to 0..1, weighted and summed in
/// the same order, scaled back, rounded half away from zero and saturated to 0..=255.
#[inline]
fn luma_level(r: f32, g: f32, b: f32) -> u8 {
    const UNIT: f32 = 1.0 / 255.0;
    // Adding 2²³ leaves a float in 0..=255 rounded to an integer (ties to even) in the low
    // mantissa bits: rounding without a conversion instruction.
    const SHIFT: f32 = 8_388_608.0;
    let [kr, kg, kb] = LUMA_WEIGHTS;
    let sum = r * UNIT * kr + g * UNIT * kg + b * UNIT * kb;
    // Clamping first changes nothing once rounded and saturated.
    let v = (sum * 255.0).clamp(0.0, 255.0);
    let shifted = v + SHIFT;
    let even = (shifted.to_bits() & 0x1ff) as u8;
    // A tie rounded down to even goes up instead (half away from zero); both sides are exact.
    let tie_down = v - (shifted - SHIFT) == 0.5;
    even + u8::from(tie_down)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luma_is_the_image_crates_for_every_colour() {
        let all = RgbImage::from_fn(4096, 4096, |x, y| {
            let c = y * 4096 + x;
            image::Rgb([(c >> 16) as u8, (c >> 8) as u8, c as u8])
        });
        let ours = luma_of(&all);
        let theirs = DynamicImage::ImageRgb8(all).to_luma8();
        let differ = ours
            .pixels()
            .zip(theirs.pixels())
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(differ, 0, "colours whose luma differs");
    }
}
