//! The live progress line of the binary: on an interactive terminal, once a
//! stage has run for about a second, a bar on stderr with the stage, done of
//! total, the rate and the time left (indicatif), cleared when the stage
//! ends so the summary line follows. With `NO_COLOR` or `TERM=dumb`, a plain
//! line every few seconds instead. Nothing when stderr is not a terminal (CI
//! logs stay clean and deterministic) or with `--quiet`.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rolebook::progress::{Progress, Reporter};

/// How long a stage runs before its line appears; `ROLEBOOK_PROGRESS_AFTER_MS`
/// sets it (the tests make it 0).
fn threshold() -> Duration {
    let ms = std::env::var("ROLEBOOK_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1000);
    Duration::from_millis(ms)
}

/// The reporter for this run.
pub fn reporter(quiet: bool) -> Reporter {
    if quiet || !std::io::stderr().is_terminal() {
        return Reporter::default();
    }
    let dumb = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var("TERM").is_ok_and(|t| t == "dumb");
    if dumb {
        Reporter::new(Plain::default())
    } else {
        Reporter::new(Bar::default())
    }
}

/// A stage in progress.
struct Stage {
    name: &'static str,
    total: usize,
    done: usize,
    started: Instant,
    /// The drawn bar, once the stage has run long enough.
    bar: Option<ProgressBar>,
    note: String,
}

impl Stage {
    fn new(name: &'static str, total: usize) -> Self {
        Stage {
            name,
            total,
            done: 0,
            started: Instant::now(),
            bar: None,
            note: String::new(),
        }
    }
}

/// The indicatif bar.
#[derive(Default)]
struct Bar {
    stage: Mutex<Option<Stage>>,
}

impl Bar {
    fn with_stage(&self, f: impl FnOnce(&mut Stage)) {
        let mut guard = self.stage.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(stage) = guard.as_mut() {
            f(stage);
        }
    }
}

fn draw(stage: &mut Stage) {
    if stage.bar.is_none() && stage.started.elapsed() >= threshold() {
        let bar =
            ProgressBar::with_draw_target(Some(stage.total as u64), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{prefix:>12} [{bar:28}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(stage.name);
        bar.set_position(stage.done as u64);
        bar.set_message(pace(stage));
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(200));
        stage.bar = Some(bar);
    }
    if let Some(bar) = &stage.bar {
        bar.set_position(stage.done as u64);
        bar.set_message(pace(stage));
    }
}

/// `2100/s, ~3 s left` and the note, measured from the stage's start (the
/// bar itself starts late, which would skew its own estimate).
fn pace(stage: &Stage) -> String {
    let seconds = stage.started.elapsed().as_secs_f64().max(0.001);
    let rate = stage.done as f64 / seconds;
    let mut text = format!("{rate:.0}/s");
    if rate > 0.0 && stage.total > stage.done {
        let left = (stage.total - stage.done) as f64 / rate;
        text.push_str(&format!(", ~{left:.0} s left"));
    }
    if !stage.note.is_empty() {
        text.push_str("  ");
        text.push_str(&stage.note);
    }
    text
}

impl Progress for Bar {
    fn start(&self, stage: &'static str, total: usize) {
        *self.stage.lock().unwrap_or_else(|e| e.into_inner()) = Some(Stage::new(stage, total));
    }

    fn advance(&self, done: usize) {
        self.with_stage(|stage| {
            stage.done += done;
            draw(stage);
        });
    }

    fn note(&self, text: &str) {
        self.with_stage(|stage| {
            stage.note = text.to_string();
            draw(stage);
        });
    }

    fn finish(&self) {
        let stage = self.stage.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(bar) = stage.and_then(|s| s.bar) {
            bar.finish_and_clear();
        }
    }
}

/// Plain lines for terminals that cannot redraw one: at most one every
/// [`PLAIN_EVERY`].
#[derive(Default)]
struct Plain {
    stage: Mutex<Option<(Stage, Instant)>>,
}

const PLAIN_EVERY: Duration = Duration::from_secs(3);

impl Progress for Plain {
    fn start(&self, stage: &'static str, total: usize) {
        *self.stage.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((Stage::new(stage, total), Instant::now()));
    }

    fn advance(&self, done: usize) {
        let mut guard = self.stage.lock().unwrap_or_else(|e| e.into_inner());
        let Some((stage, last)) = guard.as_mut() else {
            return;
        };
        stage.done += done;
        let ran = stage.started.elapsed();
        if ran >= threshold() && last.elapsed() >= PLAIN_EVERY.min(ran) {
            *last = Instant::now();
            eprintln!("{}", plain_line(stage));
        }
    }

    fn note(&self, text: &str) {
        if let Some((stage, _)) = self
            .stage
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            stage.note = text.to_string();
        }
    }

    fn finish(&self) {
        self.stage.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

/// `rendering: 5000/10021 (2100/s, ~2 s left)`.
fn plain_line(stage: &Stage) -> String {
    format!(
        "{}: {}/{} ({})",
        stage.name,
        stage.done,
        stage.total,
        pace(stage)
    )
}
