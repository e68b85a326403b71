//! Reading every page of every register PDF into [`ScanRow`]s: pages decoded on the calling thread
//! (PDFium is not thread-safe), recognised on the executor's workers, cached per page, failures
//! recorded and the run going on.
//!
//! A page without a table header takes its columns from the previous page of the same book. To keep
//! pages independent (and so parallel), every page is first read on its own; the pages that turn
//! out to have no header are read again, in parallel, with the columns of the nearest earlier page
//! of their book that had one. Books where every page has a header pay nothing for this; books with
//! a header on page 1 only pay one table detection per page.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::executor::{self, ExecutorParams};
use super::{Event, Failure, Progress};
use crate::cache::{hash_parts, Lookup, PageCache};
use crate::fields::Field;
use crate::input::ScanFile;
use crate::layout::{ColumnMap, LayoutFile};
use crate::normalize::{check_sequences, scan_row, CellInput, NormalizeParams, RowPosition};
use crate::ocr::{read_page, ColumnsFrom, OcrError, OcrParams, PageText};
use crate::raster::{PageImage, Raster, RasterParams};
use crate::rows::{PixelBox, RowFlag, ScanRow};

/// Settings of scan reading.
#[derive(Debug, Clone, Default)]
pub struct ScanParams {
    /// PDF decoding.
    pub raster: RasterParams,
    /// Recognition (model, fields to read, layout settings).
    pub ocr: OcrParams,
    /// Columns pinned by hand (`--layout FILE`).
    pub layout: Option<LayoutFile>,
    /// Confidence rules of the fields stage.
    pub normalize: NormalizeParams,
    /// Workers and page timeout.
    pub executor: ExecutorParams,
}

/// Everything read from the scans.
#[derive(Debug, Default)]
pub struct ScanOutcome {
    /// Data rows of every page read, in book, file, page and row order.
    pub rows: Vec<ScanRow>,
    /// Pages found in the PDFs that opened.
    pub pages: usize,
    /// Pages recognised in this run.
    pub pages_recognised: usize,
    /// Pages taken from the cache.
    pub pages_cached: usize,
    /// Files and pages that could not be read, with the reason.
    pub failures: Vec<Failure>,
    /// Wall time of scan reading.
    pub elapsed: Duration,
    /// Time per part of scan reading, summed over the pages (and so over the workers).
    pub timings: ScanTimings,
}

/// Where scan reading spends its time, summed over pages: with several workers the sum exceeds the
/// wall time. Pages taken from the cache count only in `decode` and `parse`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanTimings {
    /// Getting page images out of the PDFs (on the calling thread).
    pub decode: Duration,
    /// Orientation and deskew.
    pub deskew: Duration,
    /// Ink mask, ruling lines, cells, marks.
    pub grid: Duration,
    /// Tesseract.
    pub ocr: Duration,
    /// Typing the cell texts into rows (fields stage).
    pub parse: Duration,
}

impl ScanOutcome {
    /// `(stage, seconds)`: the wall time of scan reading as `scan`, then each part as
    /// `scan.<part>`, in pipeline order. [`read_scans`] announces them as
    /// [`Event::StageTime`]s when it ends.
    pub fn stage_times(&self) -> [(&'static str, f64); 6] {
        let t = &self.timings;
        [
            ("scan", self.elapsed.as_secs_f64()),
            ("scan.decode", t.decode.as_secs_f64()),
            ("scan.deskew", t.deskew.as_secs_f64()),
            ("scan.grid", t.grid.as_secs_f64()),
            ("scan.ocr", t.ocr.as_secs_f64()),
            ("scan.parse", t.parse.as_secs_f64()),
        ]
    }
}

/// What the cache keeps of a page: the recogniser's output before parsing, so improving the
/// parsers never needs a new OCR pass.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedPage {
    columns: ColumnMap,
    /// The columns came from an earlier page, not from this page's header or a layout file.
    inherited: bool,
    rows: Vec<CachedRow>,
}

/// A cache entry: the page as read, or the finding that it has no header of its own (so that a
/// resumed run does not analyse the page again just to learn that it must inherit columns).
#[derive(Debug, Clone, Serialize, Deserialize)]
enum CachedOutcome {
    Read(CachedPage),
    NoHeader(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedRow {
    row: u32,
    cells: Vec<(Field, String, f32)>,
    flags: Vec<RowFlag>,
    bbox: PixelBox,
}

struct PageRef {
    file: usize,
    page: usize,
    book: String,
}

/// The page image and every setting that changes its reading, hashed once per page.
fn page_digest(image: &PageImage, settings: &str) -> String {
    hash_parts(&[
        image.gray.as_raw(),
        &image.gray.width().to_le_bytes(),
        &image.dpi.to_le_bytes(),
        image.color.as_ref().map_or(&[][..], |c| c.as_raw()),
        settings.as_bytes(),
    ])
}

/// Cache key of a page read with `previous` columns to fall back on. A page read from its own
/// header (or a layout file) is stored under the key without them, whatever it was offered, so
/// that a resumed run finds it however its columns were guessed this time.
fn cache_key(digest: &str, previous: Option<&ColumnMap>) -> String {
    let prev = previous
        .map(|m| format!("{:?}", m.kinds))
        .unwrap_or_default();
    hash_parts(&[digest.as_bytes(), prev.as_bytes()])
}

/// Everything besides the page image that changes a page's result.
fn settings_fingerprint(params: &ScanParams) -> String {
    let model = crate::deps::model_file(&params.ocr.tessdata);
    let model_hash = crate::cache::hash_file(&model).unwrap_or_default();
    // The program itself is part of the key: a rebuilt binary may read pages differently even
    // under the same version number, and a stale entry would silently keep the old reading.
    let program = std::env::current_exe()
        .and_then(|p| crate::cache::hash_file(&p))
        .unwrap_or_default();
    format!(
        "doisoat {} {program} | model {} {} | fields {:?} | layout {:?} | {:?}",
        env!("CARGO_PKG_VERSION"),
        params.ocr.language,
        model_hash,
        params.ocr.fields,
        params.layout,
        params.ocr.layout,
    )
}

/// Outcome of one page in one pass.
enum PassResult {
    /// Recognised now or found in the cache.
    Read(CachedPage),
    /// The page has no header and no column map was given: read it again with inherited columns.
    NoColumns(String),
    /// The page cannot be read.
    Failed(String),
}

/// The pass's view of the run: the open documents and what every page needs.
struct PassContext<'a> {
    pages: &'a [PageRef],
    docs: &'a BTreeMap<usize, crate::raster::ScanDocument>,
    files: &'a [ScanFile],
    params: &'a ScanParams,
    settings: &'a str,
    cache: Option<&'a PageCache>,
    progress: &'a dyn Progress,
    timings: &'a Cell<ScanTimings>,
}

impl PassContext<'_> {
    fn add_time(&self, part: impl Fn(&mut ScanTimings) -> &mut Duration, time: Duration) {
        let mut t = self.timings.get();
        *part(&mut t) += time;
        self.timings.set(t);
    }

    /// Caches a page's outcome; a page that cannot be cached is only a warning (the run goes on,
    /// it just would not resume there).
    fn store(&self, key: &str, outcome: &CachedOutcome, file: &str, page: usize) {
        if let Some(cache) = self.cache {
            if let Err(e) = cache.put(key, outcome) {
                self.progress.event(Event::Warning(format!(
                    "{file}, page {page}: not cached: {e}"
                )));
            }
        }
    }
}

/// A page sent to a worker, apart from its image and the columns it may fall back on.
struct JobMeta {
    index: usize,
    file: String,
    page: usize,
    /// Where the reading goes when it used the columns given.
    key: String,
    /// Where it goes when the page had columns of its own (see [`cache_key`]).
    own_key: String,
}

type Job = (JobMeta, PageImage, Option<ColumnMap>);

/// One parallel pass over `todo` (indices into `pages`), each page read with the column map
/// given, or in the first pass (`None`) with a guess: the [`book_columns`] of the pages already
/// read, taking the pages still in flight to have no header of their own, as most pages have
/// none. A guess saves decoding and analysing a header-less page twice; the
/// caller checks every guess once the pass is over. Pages found in the cache are not
/// recognised again; pages recognised are cached as soon as they are done, so a run killed now
/// loses only the pages in flight.
fn run_pass(
    ctx: &PassContext<'_>,
    todo: &[Todo],
    counts: &(Cell<usize>, Cell<usize>),
) -> BTreeMap<usize, PassResult> {
    let results = RefCell::new(BTreeMap::new());
    let dispatched = RefCell::new(Vec::new());
    let guess = |i: usize| book_columns(ctx.pages, &results.borrow(), i);
    let jobs = todo.iter().filter_map(|(i, given)| {
        let p = &ctx.pages[*i];
        let file = ctx.files[p.file].file_name();
        let start = Instant::now();
        let decoded = ctx.docs[&p.file].page(p.page + 1);
        ctx.add_time(|t| &mut t.decode, start.elapsed());
        let image = match decoded {
            Ok(image) => image,
            Err(e) => {
                results
                    .borrow_mut()
                    .insert(*i, PassResult::Failed(e.to_string()));
                return None;
            }
        };
        let previous = given.clone().or_else(|| guess(*i));
        let digest = page_digest(&image, ctx.settings);
        let own_key = cache_key(&digest, None);
        let key = cache_key(&digest, previous.as_ref());
        if let Some(cache) = ctx.cache {
            let keys = std::iter::once(&own_key).chain(previous.as_ref().map(|_| &key));
            for k in keys {
                match cache.get::<CachedOutcome>(k) {
                    // Known to have no header: its reading with `previous` is under `key`.
                    Lookup::Hit(CachedOutcome::NoHeader(_)) if *k != key => {}
                    Lookup::Hit(CachedOutcome::NoHeader(why)) => {
                        results.borrow_mut().insert(*i, PassResult::NoColumns(why));
                        return None;
                    }
                    Lookup::Hit(CachedOutcome::Read(page)) => {
                        counts.1.set(counts.1.get() + 1);
                        ctx.progress.event(Event::PageDone {
                            file,
                            page: p.page + 1,
                            rows: page.rows.len(),
                            cached: true,
                        });
                        results.borrow_mut().insert(*i, PassResult::Read(page));
                        return None;
                    }
                    Lookup::Corrupt => ctx.progress.event(Event::CacheEntryRecomputed {
                        file: file.clone(),
                        page: p.page + 1,
                    }),
                    Lookup::Miss => {}
                }
            }
        }
        dispatched.borrow_mut().push(*i);
        let meta = JobMeta {
            index: *i,
            file,
            page: p.page + 1,
            key,
            own_key,
        };
        Some((meta, image, previous))
    });
    let ocr = ctx.params.ocr.clone();
    let layout = ctx.params.layout.clone();
    let work = move |_: &mut (), (meta, image, previous): Job| {
        let result = read_page(
            &image,
            previous.as_ref(),
            layout.as_ref(),
            &ocr,
            &meta.file,
            meta.page,
        );
        (meta, result.map(|text| (to_cached(&text), text.timings)))
    };
    executor::run(
        &ctx.params.executor,
        jobs,
        || Ok(()),
        work,
        |job, outcome| {
            let (i, result) = match outcome {
                Ok((meta, Ok((cached, timings)))) => {
                    counts.0.set(counts.0.get() + 1);
                    ctx.add_time(|t| &mut t.deskew, timings.deskew);
                    ctx.add_time(|t| &mut t.grid, timings.grid);
                    ctx.add_time(|t| &mut t.ocr, timings.ocr);
                    let key = if cached.inherited {
                        &meta.key
                    } else {
                        &meta.own_key
                    };
                    let outcome = CachedOutcome::Read(cached.clone());
                    ctx.store(key, &outcome, &meta.file, meta.page);
                    ctx.progress.event(Event::PageDone {
                        file: meta.file,
                        page: meta.page,
                        rows: cached.rows.len(),
                        cached: false,
                    });
                    (meta.index, PassResult::Read(cached))
                }
                Ok((meta, Err(e @ OcrError::NoColumns { .. }))) => {
                    let why = e.to_string();
                    let outcome = CachedOutcome::NoHeader(why.clone());
                    ctx.store(&meta.key, &outcome, &meta.file, meta.page);
                    (meta.index, PassResult::NoColumns(why))
                }
                Ok((meta, Err(e))) => (meta.index, PassResult::Failed(e.to_string())),
                Err(failure) => (
                    dispatched.borrow()[job],
                    PassResult::Failed(failure.to_string()),
                ),
            };
            results.borrow_mut().insert(i, result);
        },
    );
    results.into_inner()
}

/// The columns page `i` inherits: those of the nearest earlier page of its book in `results`
/// that was read from a header of its own (which is what "the previous page's layout" resolves
/// to along a chain of header-less pages).
fn book_columns(
    pages: &[PageRef],
    results: &BTreeMap<usize, PassResult>,
    i: usize,
) -> Option<ColumnMap> {
    (0..i)
        .rev()
        .take_while(|&j| pages[j].book == pages[i].book)
        .find_map(|j| match results.get(&j) {
            Some(PassResult::Read(page)) if !page.inherited => Some(page.columns.clone()),
            _ => None,
        })
}

/// A page to read in a pass: its index and the columns it may fall back on.
type Todo = (usize, Option<ColumnMap>);

/// What the first pass leaves to the second. Header-less pages inherit their [`book_columns`]:
/// those not read yet, and those read on a guess that turned out wrong, are returned with the
/// columns to read them with; those no earlier
/// page can lend columns to are returned apart, with the reason they have none of their own.
fn second_pass(
    pages: &[PageRef],
    results: &BTreeMap<usize, PassResult>,
) -> (Vec<Todo>, Vec<(usize, String)>) {
    let mut second = Vec::new();
    let mut orphans = Vec::new();
    for i in 0..pages.len() {
        let (why, guessed) = match results.get(&i) {
            Some(PassResult::NoColumns(why)) => (why.clone(), None),
            Some(PassResult::Read(page)) if page.inherited => {
                ("no header row".to_string(), Some(page.columns.clone()))
            }
            _ => continue,
        };
        match book_columns(pages, results, i) {
            Some(columns) if Some(&columns) == guessed.as_ref() => {}
            Some(columns) => second.push((i, Some(columns))),
            None => orphans.push((i, why)),
        }
    }
    (second, orphans)
}

fn to_cached(text: &PageText) -> CachedPage {
    CachedPage {
        columns: text.columns.clone(),
        inherited: text.columns_from == ColumnsFrom::PreviousPage,
        rows: text
            .rows
            .iter()
            .map(|r| CachedRow {
                row: r.row,
                cells: r
                    .cells
                    .iter()
                    .map(|(f, c)| (*f, c.raw.clone(), c.confidence))
                    .collect(),
                flags: r.flags.clone(),
                bbox: r.bbox,
            })
            .collect(),
    }
}

/// Reads every page of `files` (in the order given, which [`crate::input::discover`] makes book
/// and page-range order). A file or page that cannot be read is recorded in
/// [`ScanOutcome::failures`] with its reason and the rest goes on.
pub fn read_scans(
    files: &[ScanFile],
    params: &ScanParams,
    cache: Option<&PageCache>,
    progress: &dyn Progress,
) -> ScanOutcome {
    let start = Instant::now();
    let mut out = ScanOutcome::default();
    let raster = match Raster::new(params.raster.clone()) {
        Ok(r) => r,
        Err(e) => {
            let reason = e.to_string();
            out.failures = files
                .iter()
                .map(|f| Failure::file(&f.file_name(), reason.clone()))
                .collect();
            return out;
        }
    };
    let mut docs = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        match raster.open(&f.path) {
            Ok(doc) => {
                docs.insert(i, doc);
            }
            Err(e) => {
                let failure = Failure::file(&f.file_name(), e.to_string());
                progress.event(Event::Failed(failure.clone()));
                out.failures.push(failure);
            }
        }
    }
    let pages: Vec<PageRef> = docs
        .iter()
        .flat_map(|(&file, doc)| {
            let book = files[file].book_key();
            (0..doc.page_count()).map(move |page| PageRef {
                file,
                page,
                book: book.clone(),
            })
        })
        .collect();
    out.pages = pages.len();
    progress.event(Event::ScansOpened {
        files: docs.len(),
        pages: pages.len(),
    });

    let settings = settings_fingerprint(params);
    let ctx = PassContext {
        pages: &pages,
        docs: &docs,
        files,
        params,
        settings: &settings,
        cache,
        progress,
        timings: &Cell::new(ScanTimings::default()),
    };
    let counts = (Cell::new(0), Cell::new(0));
    let first: Vec<Todo> = (0..pages.len()).map(|i| (i, None)).collect();
    let mut results = run_pass(&ctx, &first, &counts);

    let (second, orphans) = second_pass(&pages, &results);
    for (i, why) in orphans {
        let why = format!("{why}; no earlier page of this book has a header either: pin the columns with --layout FILE");
        results.insert(i, PassResult::Failed(why));
    }
    results.extend(run_pass(&ctx, &second, &counts));
    out.pages_recognised = counts.0.get();
    out.pages_cached = counts.1.get();

    let parse_start = Instant::now();
    for (i, p) in pages.iter().enumerate() {
        let file = files[p.file].file_name();
        match results.remove(&i) {
            Some(PassResult::Read(page)) => {
                let mut rows: Vec<ScanRow> = page
                    .rows
                    .into_iter()
                    .map(|r| {
                        let pos = RowPosition {
                            file: file.clone(),
                            page: p.page as u32 + 1,
                            row: r.row,
                            bbox: r.bbox,
                        };
                        let cells = r
                            .cells
                            .into_iter()
                            .map(|(field, raw, confidence)| CellInput {
                                field,
                                raw,
                                confidence,
                            })
                            .collect();
                        scan_row(pos, cells, r.flags, &params.normalize)
                    })
                    .collect();
                check_sequences(&mut rows, &params.normalize);
                out.rows.extend(rows);
            }
            Some(PassResult::Failed(why) | PassResult::NoColumns(why)) => {
                let failure = Failure::page(&file, p.page + 1, why);
                progress.event(Event::Failed(failure.clone()));
                out.failures.push(failure);
            }
            None => unreachable!("every page gets a result in the first pass"),
        }
    }
    ctx.add_time(|t| &mut t.parse, parse_start.elapsed());
    out.timings = ctx.timings.get();
    out.elapsed = start.elapsed();
    for (stage, seconds) in out.stage_times() {
        progress.event(Event::StageTime {
            stage: stage.to_string(),
            seconds,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::ColumnKind;

    fn page(book: &str) -> PageRef {
        PageRef {
            file: 0,
            page: 0,
            book: book.into(),
        }
    }

    fn read(kinds: &[ColumnKind], inherited: bool) -> PassResult {
        PassResult::Read(CachedPage {
            columns: ColumnMap {
                kinds: kinds.to_vec(),
            },
            inherited,
            rows: Vec::new(),
        })
    }

    #[test]
    fn pages_read_on_a_wrong_guess_are_read_again_with_their_books_columns() {
        use ColumnKind::{Field as F, Other, Signature};
        let a = [F(Field::Stt), F(Field::Name)];
        let b = [F(Field::Stt), F(Field::Name), Other, Signature];
        let (a, b) = (a.as_slice(), b.as_slice());
        let pages = ["x", "x", "x", "x", "x", "y", "y"].map(page);
        let results = BTreeMap::from([
            (0, read(a, false)),
            // Right guess: stays.
            (1, read(a, true)),
            // A page with a header of its own in mid-book...
            (2, read(b, false)),
            // ...so a page guessed from an earlier page is read again with its columns,
            (3, read(a, true)),
            // and so is a page that had no guess at all.
            (4, PassResult::NoColumns("no header row".into())),
            // The first page of another book has nothing to inherit.
            (
                5,
                PassResult::NoColumns("no header row and no previous page".into()),
            ),
            (6, PassResult::Failed("corrupt".into())),
        ]);
        let (second, orphans) = second_pass(&pages, &results);
        let b_map = Some(ColumnMap { kinds: b.to_vec() });
        assert_eq!(second, vec![(3, b_map.clone()), (4, b_map)]);
        assert_eq!(
            orphans,
            vec![(5, "no header row and no previous page".to_string())]
        );
    }
}
