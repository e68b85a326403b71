//! The run log: one file in the output folder (`doisoat.log`) that says, for every run started
//! there, the exact command line, each page as it finishes (read or from the cache), warnings,
//! failures and the time of each stage. Runs append to it, so a resumed run's log follows the
//! interrupted one's; each line is flushed at once, so a killed run's log ends where it stopped.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{Event, Progress};

/// File name of the run log inside the output folder.
pub const LOG_FILE: &str = "doisoat.log";

/// An open run log. Shared between threads (the Ctrl-C handler writes to it too).
#[derive(Debug)]
pub struct RunLog {
    path: PathBuf,
    file: Mutex<File>,
}

impl RunLog {
    /// Output folder and the command line as typed → the log, opened for appending, with a first
    /// line naming the run (tool version, working folder, command line).
    pub fn open(dir: &Path, command_line: &str) -> io::Result<RunLog> {
        let path = dir.join(LOG_FILE);
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        let log = RunLog {
            path,
            file: Mutex::new(file),
        };
        let cwd = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        log.line(&format!(
            "run started: doisoat {} in {cwd}: {command_line}",
            env!("CARGO_PKG_VERSION")
        ));
        Ok(log)
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line, prefixed with the UTC time. A log that cannot be written must not stop
    /// the run it describes, so write errors are ignored.
    pub fn line(&self, text: &str) {
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(file, "{} {text}", utc_timestamp(SystemTime::now()));
        let _ = file.flush();
    }
}

impl Progress for RunLog {
    fn event(&self, event: Event) {
        self.line(&event.to_string());
    }
}

/// Sends every event to each of several [`Progress`]es (the terminal and the log).
pub struct Tee<'a>(pub Vec<&'a dyn Progress>);

impl Progress for Tee<'_> {
    fn event(&self, event: Event) {
        for p in &self.0 {
            p.event(event.clone());
        }
    }
}

/// `2026-12-04T10:19:11Z` for a point in time (UTC: the machine's time zone setting is not needed
/// to read it, and Vietnam has no daylight saving to confuse anyway).
pub fn utc_timestamp(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → proleptic Gregorian (year, month, day); Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_utc_calendar_times() {
        let at = |s| utc_timestamp(UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_796_379_551), "2026-12-04T10:19:11Z");
    }

    #[test]
    fn a_log_keeps_the_command_line_and_every_event_across_runs() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLog::open(dir.path(), "doisoat match --scans a.pdf").unwrap();
        first.event(Event::PageDone {
            file: "a.pdf".into(),
            page: 3,
            rows: 20,
            cached: false,
        });
        drop(first);
        let second = RunLog::open(dir.path(), "doisoat match --scans a.pdf").unwrap();
        second.event(Event::Warning("something odd".into()));
        let text = std::fs::read_to_string(second.path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].ends_with("doisoat match --scans a.pdf"), "{text}");
        assert!(lines[1].contains("a.pdf, page 3: 20 rows read"), "{text}");
        assert!(lines[2].contains("run started"), "{text}");
        assert!(lines[3].contains("warning: something odd"), "{text}");
    }
}
