//! The `doisoat` command: argument parsing and terminal output only; the work is done by the
//! library so tests can drive it directly.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT only at load time; with several threads
    // per engine a pool of engines runs 2.5× slower, so the process restarts itself with one.
    if let Err(err) = doisoat::ocr::reexec_with_single_thread_openmp() {
        eprintln!(
            "doisoat: warning: cannot restart with OMP_THREAD_LIMIT=1 ({err}); OCR will be slower"
        );
    }
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("doisoat: error: {err:#}");
            cli::Exit::Failure.into()
        }
    }
}
