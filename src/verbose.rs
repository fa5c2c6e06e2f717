//! `--verbose`: how long each stage took, printed as it ends, from the
//! library's `tracing` spans (build stages in seconds, the steps of a
//! `serve` rebuild in milliseconds).

use std::time::Instant;

use tracing::span::{Attributes, Id};
use tracing::{Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// Print every span's duration on stderr when it closes.
struct StageTimes;

impl<S> Layer<S> for StageTimes
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, _: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Instant::now());
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else {
            return;
        };
        let Some(started) = span.extensions().get::<Instant>().copied() else {
            return;
        };
        let took = started.elapsed().as_secs_f64();
        if *span.metadata().level() <= Level::INFO {
            eprintln!("  {}: {took:.3} s", span.name());
        } else {
            eprintln!("  {}: {:.1} ms", span.name(), took * 1000.0);
        }
    }
}

/// What `--verbose` adds after a build: what was written, and the pages
/// that took longest to render (where a slow template shows first).
pub fn counts(report: &rolebook::site::BuildReport) {
    eprintln!(
        "  pages: {}, files written: {}, bytes: {}",
        report.pages,
        report.files,
        bytes(report.bytes)
    );
    let (resized, reused) = report.images;
    if resized + reused > 0 {
        eprintln!("  images: {resized} copies made, {reused} from the cache");
    }
    for file in &report.replaced {
        eprintln!("  {file}: the site's static/{file} replaces the generated one");
    }
    if !report.slowest.is_empty() {
        eprintln!("  slowest pages to render:");
        for (output, took) in &report.slowest {
            eprintln!("    {:>8.1} ms  {output}", took.as_secs_f64() * 1000.0);
        }
    }
}

/// `1.8 MB`, `734 KB`, `512 B`.
fn bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.0} KB", n as f64 / 1e3),
        n => format!("{n} B"),
    }
}

/// Turn the stage times on for this process.
pub fn install() {
    let subscriber = tracing_subscriber::registry().with(StageTimes);
    let _ = tracing::subscriber::set_global_default(subscriber);
}
