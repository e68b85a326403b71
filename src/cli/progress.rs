//! Terminal progress for long runs: a bar with pages/min and ETA on a terminal, plain log lines
//! otherwise (cron, redirected output), nothing with --quiet.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use doisoat::pipeline::{Event, Progress};

/// How much to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors and the final summary only.
    Quiet,
    /// A progress bar (or a line every few pages), failures.
    Normal,
    /// Every page.
    Verbose,
}

pub struct TerminalProgress {
    verbosity: Verbosity,
    bar: Mutex<Option<ProgressBar>>,
    tty: bool,
    start: Instant,
    done: Mutex<usize>,
}

impl TerminalProgress {
    pub fn new(verbosity: Verbosity) -> TerminalProgress {
        TerminalProgress {
            verbosity,
            bar: Mutex::new(None),
            tty: std::io::stderr().is_terminal(),
            start: Instant::now(),
            done: Mutex::new(0),
        }
    }

    fn line(&self, text: &str) {
        match self.bar.lock().expect("progress lock").as_ref() {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = self.bar.lock().expect("progress lock").take() {
            bar.finish_and_clear();
        }
    }
}

impl Progress for TerminalProgress {
    fn event(&self, event: Event) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        match event {
            Event::ScansOpened { pages, .. } => {
                self.line(&event.to_string());
                if self.tty {
                    let bar = ProgressBar::with_draw_target(
                        Some(pages as u64),
                        ProgressDrawTarget::stderr(),
                    );
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{bar:40} {pos}/{len} pages  {per_sec}  ETA {eta}  {msg}",
                        )
                        .expect("valid template"),
                    );
                    *self.bar.lock().expect("progress lock") = Some(bar);
                }
            }
            Event::PageDone { ref file, page, .. } => {
                let mut done = self.done.lock().expect("progress lock");
                *done += 1;
                if let Some(bar) = self.bar.lock().expect("progress lock").as_ref() {
                    bar.inc(1);
                    bar.set_message(format!("{file} p.{page}"));
                }
                if self.verbosity == Verbosity::Verbose {
                    self.line(&event.to_string());
                } else if !self.tty && done.is_multiple_of(10) {
                    let mins = self.start.elapsed().as_secs_f64() / 60.0;
                    self.line(&format!(
                        "{done} pages done ({:.1} pages/min)",
                        *done as f64 / mins.max(1e-9)
                    ));
                }
            }
            Event::Failed(_) | Event::CacheEntryRecomputed { .. } | Event::Warning(_) => {
                self.line(&event.to_string())
            }
            Event::Stage(_) | Event::StageTime { .. } => {
                if self.verbosity == Verbosity::Verbose {
                    self.line(&event.to_string())
                }
            }
        }
    }
}
