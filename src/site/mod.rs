//! The build: one short orchestration of the stages.
//!
//! `build` = config → [`crate::content::load`] (read and parse each file,
//! then [`process`] it: Markdown, search analysis, in one parallel pass) →
//! [`resolve::resolve`] → list the jobs and run them in parallel
//! ([`jobs::run`]) into a [`write::Sink`] → [`write::OutputDir::commit`].
//! `serve` runs the same jobs into memory ([`incremental`]).

pub mod dates;
pub mod images;
pub mod incremental;
pub mod jobs;
pub mod resolve;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::page::{Date, Page};
use crate::error::{Error, Failure, Kind, sort_errors};
use crate::markdown::Rendered;
use crate::model::{Job, Site};
use crate::progress::Reporter;
use crate::render::{Renderer, Theme};
use crate::search::{Analyzer, Document};
use write::Sink;

/// What `build` needs from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root.
    pub root: PathBuf,
    /// Output folder overriding `output_dir`.
    pub output: Option<PathBuf>,
    /// Base URL overriding `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// "Today" for staleness and feed dates; from `SOURCE_DATE_EPOCH` when set.
    pub today: Option<Date>,
    /// Where the stages tell how far they got (nowhere by default).
    pub progress: Reporter,
    /// Read image sizes and check the files, but make no resized copies
    /// (`check`, which writes no site).
    pub no_image_copies: bool,
}

/// What a successful build reports.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages and sections rendered.
    pub pages: usize,
    /// Files written.
    pub files: usize,
    /// Where the site is.
    pub output: PathBuf,
    /// Warnings, sorted.
    pub warnings: Vec<Error>,
    /// Bytes written.
    pub bytes: u64,
    /// The slowest pages to render, slowest first (output path, time).
    pub slowest: Vec<(String, Duration)>,
    /// Wall time.
    pub elapsed: Duration,
    /// Resized image copies made by this build, and found in the cache.
    pub images: (usize, usize),
    /// Generated files (`robots.txt`…) the site's own `static/` replaces.
    pub replaced: Vec<String>,
}

/// A content file as the build keeps it: the page (its body dropped once
/// rendered), its rendered Markdown and its search document.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The page.
    pub page: Page,
    /// The rendered body, local links as placeholders.
    pub rendered: Rendered,
    /// What the search index needs from the page.
    pub search: Document,
}

impl crate::content::HasPage for Loaded {
    fn page(&self) -> &Page {
        &self.page
    }
}

/// The per-file stages after parsing, run in the same parallel pass as the
/// read and the parse: render the Markdown, analyze the text for search
/// (only when search is on: it is a third of the pass), drop the source.
pub fn process(page: Page, config: &Config, analyzer: &Analyzer) -> (Loaded, Vec<Error>) {
    let mut page = page;
    let (mut rendered, errors) = crate::markdown::render(&crate::markdown::Source {
        file: &page.file,
        content_path: &page.content_path,
        body: &page.body,
        body_line: page.body_line,
        raw_html: config.markdown.raw_html,
    });
    page.body = String::new();
    let search = if config.search_enabled() {
        analyzer.analyze(&page, &mut rendered)
    } else {
        rendered.text = String::new();
        Document::default()
    };
    let loaded = Loaded {
        page,
        rendered,
        search,
    };
    (loaded, errors)
}

/// A site loaded, checked and resolved, with everything its jobs read.
#[derive(Debug)]
pub struct Resolved {
    /// The resolved site.
    pub site: Site,
    /// The search document of each entry, in entry order.
    pub search: Vec<Document>,
    /// The term table the documents were analyzed with.
    pub analyzer: Analyzer,
    /// The theme with the site's overrides.
    pub theme: Theme,
    /// Warnings, sorted.
    pub warnings: Vec<Error>,
    /// Resized image copies made by this build, and found in the cache.
    pub images: (usize, usize),
}

/// Load, check and resolve a site and its theme without writing anything
/// (used by `build` and `check`). Errors of the content and of the theme
/// (a symlink out of the site in `static/`, say) come together.
pub fn load(options: &BuildOptions) -> Result<Resolved, Failure> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url)?;
    }
    let analyzer = Analyzer::default();
    let process = |page| process(page, &config, &analyzer);
    let mut content = crate::content::load(
        &options.root,
        &config,
        options.drafts,
        &process,
        &options.progress,
    );
    let mut problems = std::mem::take(&mut content.problems);
    let theme = Theme::load(&options.root, &config).map_err(|e| problems.extend(e));
    let (mut site, search) = resolve::resolve(
        &options.root,
        std::sync::Arc::new(config),
        content,
        today(options),
        &mut problems,
    );
    let mut cache = crate::images::Cache::of_site(&options.root);
    if options.no_image_copies {
        cache = cache.without_copies();
    }
    if let Ok(theme) = &theme {
        after_resolve(&mut site, theme, &cache, &mut problems);
    }
    let warnings = Failure::check(problems)?;
    let theme = theme.expect("a theme that failed to load reported its errors");
    Ok(Resolved {
        site,
        search,
        analyzer,
        theme,
        warnings,
        images: cache.counts(),
    })
}

/// What the build adds to a resolved site from outside its content
/// files: `updated` from Git, then image sizes and resized copies.
pub fn after_resolve(
    site: &mut Site,
    theme: &Theme,
    cache: &crate::images::Cache,
    errors: &mut Vec<Error>,
) {
    dates::apply(site);
    images::attach(site, theme, cache, errors);
}

/// Build the site into its output folder. On any error nothing in the
/// output folder changes and every error is returned, sorted.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    let stage = tracing::info_span!("load, parse, resolve").entered();
    let Resolved {
        site,
        search,
        analyzer,
        theme,
        mut warnings,
        images,
    } = load(options)?;
    drop(stage);
    let site = std::sync::Arc::new(site);
    let replaced = jobs::replaced_by_site(&site, &theme);
    let output = output_dir(options, &site.config);
    let out = write::OutputDir::prepare(&options.root, &output)?;
    let stage = tracing::info_span!("theme and templates").entered();
    let renderer = Renderer::new(&site, &theme, today(options)).map_err(|errors| {
        let mut failure = Failure::from(errors);
        failure.warnings = std::mem::take(&mut warnings);
        failure
    })?;
    drop(stage);
    let inputs = jobs::Inputs {
        site: &site,
        renderer: &renderer,
        search: &search,
        analyzer: &analyzer,
        shards: None,
        progress: &options.progress,
    };
    let written = render_all(&inputs, &theme, &out).map_err(|mut f| {
        f.warnings = std::mem::take(&mut warnings);
        f
    })?;
    let stage = tracing::info_span!("swap output").entered();
    out.commit()?;
    drop(stage);
    sort_errors(&mut warnings);
    let pages = site.entries.len();
    drop(renderer);
    // Freeing every page takes a tenth of a second at 10,000 pages; nothing
    // waits for it, and a process that exits first leaves it to the OS.
    // When no thread can start (a tight `ulimit -v`), the failed spawn
    // drops the site right here instead; `thread::spawn` would panic.
    let _ = std::thread::Builder::new().spawn(move || drop((site, search)));
    Ok(BuildReport {
        pages,
        files: written.files,
        bytes: written.bytes,
        slowest: written.slowest,
        output,
        warnings,
        elapsed: started.elapsed(),
        images,
        replaced,
    })
}

/// What the jobs of a build wrote.
struct Written {
    files: usize,
    bytes: u64,
    slowest: Vec<(String, Duration)>,
}

/// Pages named in `--verbose`'s list of the slowest to render.
const SLOWEST_SHOWN: usize = 5;

/// Run every job of a resolved site into `sink`.
fn render_all(
    inputs: &jobs::Inputs<'_>,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<Written, Failure> {
    let _stage = tracing::info_span!("render and write").entered();
    let (jobs, errors) = jobs::list(inputs.site, theme);
    if !errors.is_empty() {
        return Err(Failure::from(errors));
    }
    let chosen: Vec<&Job> = jobs.iter().collect();
    let mut written = Written {
        files: 0,
        bytes: 0,
        slowest: Vec::new(),
    };
    let mut errors = Vec::new();
    for result in jobs::run(&chosen, inputs, sink) {
        match result {
            Ok(ran) => {
                written.files += ran.files.len();
                written.bytes += ran.bytes;
                if ran.is_page {
                    written.slowest.push((ran.output, ran.took));
                }
            }
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(Failure::from(errors));
    }
    written
        .slowest
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    written.slowest.truncate(SLOWEST_SHOWN);
    Ok(written)
}

/// The output folder: `--output`, else `output_dir` from the config, under the root.
pub fn output_dir(options: &BuildOptions, config: &Config) -> PathBuf {
    match &options.output {
        Some(path) => path.clone(),
        None => options.root.join(&config.output_dir),
    }
}

/// Today's date: `SOURCE_DATE_EPOCH` when given, else the clock.
pub fn today(options: &BuildOptions) -> Date {
    options
        .today
        .unwrap_or_else(|| jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()))
}

/// Parse `SOURCE_DATE_EPOCH` (seconds since 1970) into a date.
pub fn date_from_epoch(value: &str) -> Result<Date, Error> {
    let seconds: i64 = value.trim().parse().map_err(|_| {
        Error::new(
            Kind::Usage,
            format!("SOURCE_DATE_EPOCH `{value}` is not a number of seconds"),
        )
    })?;
    let ts = jiff::Timestamp::from_second(seconds)
        .map_err(|e| Error::new(Kind::Usage, format!("SOURCE_DATE_EPOCH out of range: {e}")))?;
    Ok(jiff::tz::Offset::UTC.to_datetime(ts))
}

/// Relative display of the output folder for the summary line.
pub fn display_output(root: &Path, output: &Path) -> String {
    let shown = output.strip_prefix(root).unwrap_or(output);
    let mut text = crate::error::display_path(shown);
    if !text.ends_with('/') {
        text.push('/');
    }
    text
}
