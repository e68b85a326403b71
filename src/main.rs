//! The `doisoat` command: argument parsing and terminal output only; the work is done by the
//! library so tests can drive it directly.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("doisoat: error: {err:#}");
            cli::Exit::Failure.into()
        }
    }
}
