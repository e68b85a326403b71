//! Runs page jobs on a fixed set of worker threads, each with its own expensive state (a Tesseract
//! engine), so that one bad page cannot take the run down.
//!
//! Jobs are pulled lazily from an iterator on the calling thread (where PDFium, which is not
//! thread-safe, decodes the pages), with at most two jobs in flight per worker so memory stays
//! bounded however many pages a run has. A job that panics is reported as failed and its worker
//! rebuilds its state. A job that runs past its deadline is reported as timed out and its worker is
//! abandoned and replaced: Tesseract cannot be interrupted from outside, and a thread pool such as
//! rayon's cannot give back a thread stuck in a native call, so owning the threads is what makes
//! `--page-timeout` real.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Why a job produced no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobFailure {
    /// The job panicked; the message is the panic payload when it was text.
    Panicked(String),
    /// The job ran longer than the deadline.
    TimedOut(Duration),
    /// The worker's state (e.g. the OCR engine) could not be created.
    NoWorkerState(String),
}

impl std::fmt::Display for JobFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobFailure::Panicked(m) => write!(f, "internal error while processing: {m}"),
            JobFailure::TimedOut(d) => {
                write!(f, "gave up after {} s (--page-timeout)", d.as_secs())
            }
            JobFailure::NoWorkerState(m) => write!(f, "cannot start a worker: {m}"),
        }
    }
}

/// How many workers and how long a job may take.
#[derive(Debug, Clone)]
pub struct ExecutorParams {
    /// Worker threads (at least 1).
    pub workers: usize,
    /// Longest time one job may run.
    pub timeout: Duration,
}

impl Default for ExecutorParams {
    fn default() -> Self {
        ExecutorParams {
            workers: thread::available_parallelism().map_or(1, |n| n.get()),
            timeout: Duration::from_secs(180),
        }
    }
}

enum Message<R> {
    Started {
        job: usize,
        worker: usize,
    },
    Finished {
        job: usize,
        worker: usize,
        result: Result<R, JobFailure>,
    },
}

struct Worker {
    abandoned: Arc<AtomicBool>,
    thread: thread::JoinHandle<()>,
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// Runs `work` on every job from `jobs` with per-worker state made by `init`, and hands each
/// outcome to `on_result` (on the calling thread, in completion order, with the job's index in
/// `jobs`). Returns when every job has an outcome.
pub fn run<J, S, R, I, W, O>(
    params: &ExecutorParams,
    jobs: impl IntoIterator<Item = J>,
    init: I,
    work: W,
    mut on_result: O,
) where
    J: Send + 'static,
    R: Send + 'static,
    I: Fn() -> Result<S, String> + Send + Sync + 'static,
    W: Fn(&mut S, J) -> R + Send + Sync + 'static,
    O: FnMut(usize, Result<R, JobFailure>),
{
    let workers = params.workers.max(1);
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, J)>(workers);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (msg_tx, msg_rx) = mpsc::channel::<Message<R>>();
    let init = Arc::new(init);
    let work = Arc::new(work);
    let mut pool: HashMap<usize, Worker> = HashMap::new();
    let mut next_worker = 0;
    let mut spawn = |pool: &mut HashMap<usize, Worker>| {
        let id = next_worker;
        next_worker += 1;
        let abandoned = Arc::new(AtomicBool::new(false));
        let flag = abandoned.clone();
        let (rx, tx, init, work) = (job_rx.clone(), msg_tx.clone(), init.clone(), work.clone());
        let thread = thread::Builder::new()
            .name(format!("doisoat-worker-{id}"))
            .spawn(move || worker_loop(id, &rx, &tx, &*init, &*work, &flag))
            .expect("the system can start a worker thread");
        pool.insert(id, Worker { abandoned, thread });
    };
    for _ in 0..workers {
        spawn(&mut pool);
    }

    let mut jobs = jobs.into_iter().enumerate();
    let mut running: HashMap<usize, (usize, Instant)> = HashMap::new();
    let mut in_flight = 0usize;
    let mut exhausted = false;
    let capacity = workers * 2;
    loop {
        while !exhausted && in_flight < capacity {
            match jobs.next() {
                Some(job) => {
                    job_tx.send(job).expect("workers outlive the job queue");
                    in_flight += 1;
                }
                None => exhausted = true,
            }
        }
        if exhausted && in_flight == 0 {
            break;
        }
        let wait = running
            .values()
            .map(|(_, start)| params.timeout.saturating_sub(start.elapsed()))
            .min()
            .unwrap_or(params.timeout)
            .max(Duration::from_millis(10));
        match msg_rx.recv_timeout(wait) {
            Ok(Message::Started { job, worker }) => {
                running.insert(job, (worker, Instant::now()));
            }
            Ok(Message::Finished {
                job,
                worker,
                result,
            }) => {
                if pool.contains_key(&worker) && running.remove(&job).is_some() {
                    in_flight -= 1;
                    on_result(job, result);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => unreachable!("the executor holds a sender"),
        }
        let late: Vec<usize> = running
            .iter()
            .filter(|(_, (_, start))| start.elapsed() >= params.timeout)
            .map(|(job, _)| *job)
            .collect();
        for job in late {
            let (worker, _) = running.remove(&job).expect("listed as running");
            if let Some(w) = pool.remove(&worker) {
                w.abandoned.store(true, Ordering::SeqCst);
            }
            spawn(&mut pool);
            in_flight -= 1;
            on_result(job, Err(JobFailure::TimedOut(params.timeout)));
        }
    }
    // Wait for the live workers to drop their state: a Tesseract engine still alive in a thread
    // when the process exits makes Tesseract's static destructors print leak warnings. Abandoned
    // workers may be stuck in a native call and are not waited for.
    drop(job_tx);
    for (_, worker) in pool {
        let _ = worker.thread.join();
    }
}

fn worker_loop<J, S, R>(
    id: usize,
    jobs: &Mutex<Receiver<(usize, J)>>,
    out: &Sender<Message<R>>,
    init: &(dyn Fn() -> Result<S, String> + Send + Sync),
    work: &(dyn Fn(&mut S, J) -> R + Send + Sync),
    abandoned: &AtomicBool,
) {
    let mut state: Option<S> = None;
    loop {
        let next = jobs.lock().map(|rx| rx.recv());
        let Ok(Ok((job, input))) = next else { return };
        if out.send(Message::Started { job, worker: id }).is_err() {
            return;
        }
        if state.is_none() {
            match catch_unwind(AssertUnwindSafe(init)) {
                Ok(Ok(s)) => state = Some(s),
                Ok(Err(e)) => {
                    let _ = out.send(Message::Finished {
                        job,
                        worker: id,
                        result: Err(JobFailure::NoWorkerState(e)),
                    });
                    continue;
                }
                Err(p) => {
                    let _ = out.send(Message::Finished {
                        job,
                        worker: id,
                        result: Err(JobFailure::NoWorkerState(panic_text(&*p))),
                    });
                    continue;
                }
            }
        }
        let s = state.as_mut().expect("initialised above");
        let result = catch_unwind(AssertUnwindSafe(|| work(s, input)))
            .map_err(|p| JobFailure::Panicked(panic_text(&*p)));
        if result.is_err() {
            // The engine may be half-way through a page; start the next job with a fresh one.
            state = None;
        }
        if abandoned.load(Ordering::SeqCst) {
            return;
        }
        if out
            .send(Message::Finished {
                job,
                worker: id,
                result,
            })
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect<J, R>(
        params: &ExecutorParams,
        jobs: Vec<J>,
        work: fn(&mut u32, J) -> R,
    ) -> Vec<(usize, Result<R, JobFailure>)>
    where
        J: Send + 'static,
        R: Send + 'static,
    {
        let mut out = Vec::new();
        run(params, jobs, || Ok(0u32), work, |i, r| out.push((i, r)));
        out.sort_by_key(|(i, _)| *i);
        out
    }

    #[test]
    fn every_job_gets_exactly_one_outcome() {
        let params = ExecutorParams {
            workers: 3,
            timeout: Duration::from_secs(10),
        };
        let out = collect(&params, (0..50u32).collect(), |_, x| x * 2);
        assert_eq!(out.len(), 50);
        for (i, r) in out {
            assert_eq!(r, Ok(i as u32 * 2));
        }
    }

    #[test]
    fn a_panicking_job_fails_alone() {
        let params = ExecutorParams {
            workers: 2,
            timeout: Duration::from_secs(10),
        };
        let out = collect(&params, vec![1u32, 0, 3], |_, x| {
            assert!(x != 0, "page 2 is broken");
            x
        });
        assert_eq!(out[0].1, Ok(1));
        assert!(
            matches!(&out[1].1, Err(JobFailure::Panicked(m)) if m.contains("page 2 is broken"))
        );
        assert_eq!(out[2].1, Ok(3));
    }

    #[test]
    fn a_job_past_its_deadline_is_reported_and_the_rest_go_on() {
        let params = ExecutorParams {
            workers: 1,
            timeout: Duration::from_millis(300),
        };
        let started = Instant::now();
        let out = collect(&params, vec![10u64, 5_000, 10, 10], |_, ms| {
            thread::sleep(Duration::from_millis(ms));
            ms
        });
        assert_eq!(out[0].1, Ok(10));
        assert!(matches!(out[1].1, Err(JobFailure::TimedOut(_))));
        assert_eq!(out[2].1, Ok(10));
        assert_eq!(out[3].1, Ok(10));
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "the stuck job was waited for"
        );
    }

    #[test]
    fn a_worker_whose_state_cannot_be_made_fails_its_jobs_with_the_reason() {
        let params = ExecutorParams {
            workers: 1,
            timeout: Duration::from_secs(5),
        };
        let mut out = Vec::new();
        run(
            &params,
            vec![1, 2],
            || Err::<u32, _>("no vie model".to_string()),
            |_, x: i32| x,
            |i, r| out.push((i, r)),
        );
        assert_eq!(out.len(), 2);
        assert!(out
            .iter()
            .all(|(_, r)| matches!(r, Err(JobFailure::NoWorkerState(m)) if m == "no vie model")));
    }
}
