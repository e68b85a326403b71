//! Ctrl-C: stop at once and say how to resume. Finished pages are already in the cache (each is
//! written atomically as it finishes) and the reports are written only at the end, through a
//! temporary file, so stopping mid-run loses only the pages in flight.

use std::path::PathBuf;
use std::sync::Arc;

use doisoat::pipeline::log::RunLog;

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT, what shells report).
const INTERRUPTED: i32 = 130;

/// Installs the handler for this run: it logs the interruption, tells the user where the finished
/// pages are kept and that the same command resumes, and exits.
pub fn on_ctrl_c(log: Arc<RunLog>, cache: Option<PathBuf>) {
    let handler_log = log.clone();
    let result = ctrlc::set_handler(move || {
        let how = match &cache {
            Some(dir) => format!(
                "pages finished so far are kept in {}; run the same command again to resume \
                 (finished pages are not read again)",
                dir.display()
            ),
            None => "nothing was kept (--no-cache): a new run starts from the first page".into(),
        };
        handler_log.line(&format!("interrupted by Ctrl-C; {how}"));
        eprintln!("\ndoisoat: interrupted; {how}");
        // `_exit`, not `exit`: the workers' Tesseract engines are alive, and C++ static
        // destructors run by `exit` would print leak warnings over the message above. Nothing
        // needs flushing: the log is flushed per line, stderr is unbuffered, and every output
        // file is written by rename or not at all.
        // SAFETY: `_exit` ends the process without touching any Rust or C state.
        unsafe { libc::_exit(INTERRUPTED) }
    });
    if let Err(e) = result {
        log.line(&format!(
            "warning: cannot catch Ctrl-C ({e}); it will stop the run without a message"
        ));
    }
}
