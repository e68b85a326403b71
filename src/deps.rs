//! Finds the native parts doisoat needs (libpdfium, Tesseract's Vietnamese models) and checks that
//! they load; `doisoat doctor` prints the resulting [`Report`].
//!
//! Search order, first hit wins: explicit paths ([`DepsParams`]), the environment (`DOISOAT_PDFIUM`,
//! `DOISOAT_TESSDATA`), next to the executable, the folders `scripts/setup.sh` fills in the source
//! tree (`vendor/pdfium/`, `models/tessdata/`), then the system.
//!
//! `scripts/setup.sh` puts the `best_int` model in `models/tessdata/best_int/`, not in
//! `models/tessdata/` itself: Debian's `fast` model read the generated registers more accurately
//! and faster (docs/BENCHMARKS.md), so it is what the search finds unless told otherwise
//! (`--tessdata models/tessdata/best_int`). A model dropped into `models/tessdata/` wins over it.

use std::path::{Path, PathBuf};

use pdfium_render::prelude::Pdfium;

/// Environment variable naming the libpdfium shared library to load.
pub const ENV_PDFIUM: &str = "DOISOAT_PDFIUM";
/// Environment variable naming the tessdata folder holding `vie.traineddata`.
pub const ENV_TESSDATA: &str = "DOISOAT_TESSDATA";
/// The Tesseract language doisoat reads registers with.
pub const LANGUAGE: &str = "vie";

const PDFIUM_FILE: &str = "libpdfium.so";
const SYSTEM_TESSDATA: [&str; 3] = [
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
];
const SYSTEM_PDFIUM: [&str; 3] = [
    "/usr/lib/libpdfium.so",
    "/usr/local/lib/libpdfium.so",
    "/usr/lib/x86_64-linux-gnu/libpdfium.so",
];
/// Where `scripts/setup.sh` puts the `best_int` model, relative to the source tree.
pub const BEST_INT: &str = "models/tessdata/best_int";
/// The command that installs everything, printed with every missing dependency.
pub const SETUP_COMMAND: &str = "bash scripts/setup.sh";

/// Paths given explicitly (command-line flags); `None` means "search".
#[derive(Debug, Clone, Default)]
pub struct DepsParams {
    /// The libpdfium shared library (`--pdfium PATH`), or a folder holding `libpdfium.so`.
    pub pdfium: Option<PathBuf>,
    /// The tessdata folder holding `vie.traineddata` (`--tessdata DIR`).
    pub tessdata: Option<PathBuf>,
}

/// Where a dependency was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag.
    Flag,
    /// An environment variable.
    Environment,
    /// Beside the doisoat executable.
    BesideExecutable,
    /// The source tree's folder filled by `scripts/setup.sh`.
    Project,
    /// A system location.
    System,
}

impl Source {
    fn describe(self) -> &'static str {
        match self {
            Source::Flag => "command-line flag",
            Source::Environment => "environment",
            Source::BesideExecutable => "next to the executable",
            Source::Project => "project folder filled by scripts/setup.sh",
            Source::System => "system",
        }
    }
}

/// A dependency that was found, where, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file or folder.
    pub path: PathBuf,
    /// Which step of the search order found it.
    pub source: Source,
}

/// Why a dependency cannot be used, with the command that fixes it.
#[derive(Debug, thiserror::Error)]
pub enum DepsError {
    /// libpdfium was not found anywhere in the search order.
    #[error("libpdfium not found (looked at: {looked}); fix: {SETUP_COMMAND}, or pass --pdfium PATH / set {ENV_PDFIUM}")]
    PdfiumMissing {
        /// The places searched.
        looked: String,
    },
    /// libpdfium was found but does not load.
    #[error("libpdfium at {path} does not load: {reason}; fix: {SETUP_COMMAND} (it re-extracts the pinned build)")]
    PdfiumBroken {
        /// The library file.
        path: PathBuf,
        /// The loader's message.
        reason: String,
    },
    /// No tessdata folder holds `vie.traineddata`.
    #[error("no tessdata folder with vie.traineddata (looked at: {looked}); fix: {SETUP_COMMAND} (Debian: apt-get install tesseract-ocr-vie), or pass --tessdata DIR / set {ENV_TESSDATA}")]
    TessdataMissing {
        /// The places searched.
        looked: String,
    },
    /// The Vietnamese model exists but Tesseract cannot initialise with it.
    #[error("Tesseract cannot load {LANGUAGE} from {path}: {reason}; fix: {SETUP_COMMAND}")]
    ModelBroken {
        /// The tessdata folder.
        path: PathBuf,
        /// Tesseract's message.
        reason: String,
    },
}

fn exe_dir() -> Option<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
}

fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Ordered list of places to try for a dependency.
fn candidates(
    explicit: Option<&Path>,
    env_var: &str,
    beside_exe: &str,
    project: &str,
    system: &[&str],
) -> Vec<Located> {
    let mut out = Vec::new();
    let mut push = |path: PathBuf, source| out.push(Located { path, source });
    if let Some(p) = explicit {
        push(p.to_path_buf(), Source::Flag);
        return out;
    }
    if let Some(p) = std::env::var_os(env_var).filter(|v| !v.is_empty()) {
        push(PathBuf::from(p), Source::Environment);
        return out;
    }
    if let Some(dir) = exe_dir() {
        push(dir.join(beside_exe), Source::BesideExecutable);
    }
    push(project_dir().join(project), Source::Project);
    for s in system {
        push(PathBuf::from(s), Source::System);
    }
    out
}

fn looked(list: &[Located]) -> String {
    list.iter()
        .map(|l| l.path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Finds libpdfium. A folder given explicitly is searched for `libpdfium.so`.
pub fn find_pdfium(params: &DepsParams) -> Result<Located, DepsError> {
    let list = candidates(
        params.pdfium.as_deref(),
        ENV_PDFIUM,
        PDFIUM_FILE,
        "vendor/pdfium/libpdfium.so",
        &SYSTEM_PDFIUM,
    );
    list.iter()
        .map(|l| match l.path.is_dir() {
            true => Located {
                path: l.path.join(PDFIUM_FILE),
                source: l.source,
            },
            false => l.clone(),
        })
        .find(|l| l.path.is_file())
        .ok_or_else(|| DepsError::PdfiumMissing {
            looked: looked(&list),
        })
}

/// Finds the tessdata folder holding `vie.traineddata` (see the module documentation for the order).
pub fn find_tessdata(params: &DepsParams) -> Result<Located, DepsError> {
    let mut system: Vec<String> = Vec::new();
    if let Some(prefix) = std::env::var_os("TESSDATA_PREFIX") {
        system.push(PathBuf::from(prefix).display().to_string());
    }
    system.extend(SYSTEM_TESSDATA.iter().map(|s| s.to_string()));
    let system: Vec<&str> = system.iter().map(String::as_str).collect();
    let list = candidates(
        params.tessdata.as_deref(),
        ENV_TESSDATA,
        "tessdata",
        "models/tessdata",
        &system,
    );
    list.iter()
        .find(|l| model_file(&l.path).is_file())
        .cloned()
        .ok_or_else(|| DepsError::TessdataMissing {
            looked: looked(&list),
        })
}

/// The Vietnamese model file inside a tessdata folder.
pub fn model_file(tessdata: &Path) -> PathBuf {
    tessdata.join(format!("{LANGUAGE}.traineddata"))
}

/// Checks that libpdfium loads and exports the functions doisoat binds. Binding is done on a
/// throw-away handle so the process-wide PDFium instance is not initialised by a mere check.
pub fn check_pdfium(path: &Path) -> Result<(), DepsError> {
    Pdfium::bind_to_library(path)
        .map(drop)
        .map_err(|e| DepsError::PdfiumBroken {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

/// Checks that Tesseract initialises with the Vietnamese model of `tessdata`.
pub fn check_model(tessdata: &Path) -> Result<(), DepsError> {
    tesseract::Tesseract::new(Some(&tessdata.to_string_lossy()), Some(LANGUAGE))
        .map(drop)
        .map_err(|e| DepsError::ModelBroken {
            path: tessdata.to_path_buf(),
            reason: e.to_string(),
        })
}

/// The version string of the linked Tesseract library (e.g. `5.3.0`).
pub fn tesseract_version() -> String {
    tesseract::plumbing::version()
        .to_string_lossy()
        .into_owned()
}

/// The PDFium build recorded beside the library by `scripts/setup.sh` (`version.json` from the
/// pypdfium2 wheel), e.g. `chromium/8149 (pypdfium2 5.15.2)`; `None` for a library of unknown origin.
pub fn pdfium_build(path: &Path) -> Option<String> {
    let dir = path.parent()?;
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("version.json")).ok()?).ok()?;
    let build = json.get("build")?.as_u64()?;
    let wheel = std::fs::read_to_string(dir.join("VERSION")).ok();
    Some(match wheel {
        Some(v) => format!("chromium/{build} (pypdfium2 {})", v.trim()),
        None => format!("chromium/{build}"),
    })
}

/// Languages (`*.traineddata` stems) present in a tessdata folder, sorted.
pub fn languages(tessdata: &Path) -> Vec<String> {
    let mut langs: Vec<String> = std::fs::read_dir(tessdata)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".traineddata").map(str::to_string)
        })
        .collect();
    langs.sort();
    langs
}

/// One line of the doctor's report.
#[derive(Debug)]
pub struct Check {
    /// What was checked ("libpdfium", "Tesseract", "Vietnamese model (best_int)" …).
    pub name: String,
    /// `Ok(details)` or the error with its fix.
    pub result: Result<String, DepsError>,
}

/// Everything `doisoat doctor` reports.
#[derive(Debug)]
pub struct Report {
    /// The checks, in the order printed.
    pub checks: Vec<Check>,
}

impl Report {
    /// True when every check passed.
    pub fn all_ok(&self) -> bool {
        self.checks.iter().all(|c| c.result.is_ok())
    }
}

fn describe_model(located: &Located) -> Result<String, DepsError> {
    check_model(&located.path)?;
    let file = model_file(&located.path);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "{} ({:.1} MB, {}), languages: {}",
        file.display(),
        size as f64 / 1e6,
        located.source.describe(),
        languages(&located.path).join(", ")
    ))
}

/// Runs every check: libpdfium loads, the Tesseract library version, the Vietnamese model that will
/// be used, and the setup script's `best_int` model when it is not the one used (kept for
/// comparison).
pub fn doctor(params: &DepsParams) -> Report {
    let mut checks = Vec::new();
    checks.push(Check {
        name: "libpdfium".into(),
        result: find_pdfium(params).and_then(|l| {
            check_pdfium(&l.path)?;
            Ok(format!(
                "{} ({}), build {}",
                l.path.display(),
                l.source.describe(),
                pdfium_build(&l.path).unwrap_or_else(|| "unknown".into())
            ))
        }),
    });
    checks.push(Check {
        name: "Tesseract".into(),
        result: Ok(format!("library {}", tesseract_version())),
    });
    let chosen = find_tessdata(params);
    let chosen_path = chosen.as_ref().ok().map(|l| l.path.clone());
    checks.push(Check {
        name: "Vietnamese model (used)".into(),
        result: chosen.and_then(|l| describe_model(&l)),
    });
    let best_int = project_dir().join(BEST_INT);
    if Some(&best_int) != chosen_path.as_ref() {
        checks.push(Check {
            name: format!("Vietnamese model best_int (for comparison: --tessdata {BEST_INT})"),
            result: match model_file(&best_int).is_file() {
                true => describe_model(&Located {
                    path: best_int,
                    source: Source::Project,
                }),
                false => Err(DepsError::TessdataMissing {
                    looked: best_int.display().to_string(),
                }),
            },
        });
    }
    Report { checks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_pdfium_path_that_does_not_exist_is_reported_with_the_fix() {
        let params = DepsParams {
            pdfium: Some(PathBuf::from("/nonexistent/libpdfium.so")),
            ..Default::default()
        };
        let err = find_pdfium(&params).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/libpdfium.so"), "{err}");
        assert!(err.contains(SETUP_COMMAND), "{err}");
    }

    #[test]
    fn a_file_that_is_not_a_library_fails_the_load_check() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join(PDFIUM_FILE);
        std::fs::write(&fake, b"not a shared object").unwrap();
        let err = check_pdfium(&fake).unwrap_err().to_string();
        assert!(err.contains("does not load"), "{err}");
    }

    #[test]
    fn tessdata_without_vie_is_not_chosen() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("eng.traineddata"), b"x").unwrap();
        let params = DepsParams {
            tessdata: Some(dir.path().to_path_buf()),
            ..Default::default()
        };
        assert!(matches!(
            find_tessdata(&params),
            Err(DepsError::TessdataMissing { .. })
        ));
        assert_eq!(languages(dir.path()), vec!["eng".to_string()]);
    }
}
