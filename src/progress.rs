//! How long work tells how far it got: a stage (`loading`, `rendering`,
//! `external links`), how many of how many items are done, and a note (the
//! host a link check waits on). The library only reports; the binary draws
//! a live line on a terminal (and nothing in logs or tests), so every
//! function here is cheap when nobody listens.

use std::sync::Arc;

/// Where progress goes. Calls may come from many threads at once.
pub trait Progress: Send + Sync {
    /// A stage starts with `total` items to do (0 when unknown).
    fn start(&self, stage: &'static str, total: usize);
    /// `done` more items of the current stage are done.
    fn advance(&self, done: usize);
    /// Something worth showing beside the count (the slow host).
    fn note(&self, _text: &str) {}
    /// The current stage is over: its line goes away.
    fn finish(&self);
}

/// Progress that goes nowhere (the default: tests, `--quiet`, logs).
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: &'static str, _: usize) {}
    fn advance(&self, _: usize) {}
    fn finish(&self) {}
}

/// A shared handle to a [`Progress`], for option structs.
#[derive(Clone)]
pub struct Reporter(Arc<dyn Progress>);

impl Reporter {
    /// Report to `progress`.
    pub fn new(progress: impl Progress + 'static) -> Self {
        Reporter(Arc::new(progress))
    }

    /// Run `work` as a stage of `total` items; the stage ends with it,
    /// whatever it returns.
    pub fn stage<T>(&self, stage: &'static str, total: usize, work: impl FnOnce() -> T) -> T {
        self.0.start(stage, total);
        let result = work();
        self.0.finish();
        result
    }

    /// `done` more items are done.
    pub fn advance(&self, done: usize) {
        self.0.advance(done);
    }

    /// Show a note beside the count.
    pub fn note(&self, text: &str) {
        self.0.note(text);
    }
}

impl Default for Reporter {
    fn default() -> Self {
        Reporter::new(Silent)
    }
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reporter")
    }
}
