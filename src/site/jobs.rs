//! Every file a build writes, as a list of [`Job`]s, and running them in parallel.
//!
//! Listing is cheap and deterministic; running a job is a pure function of
//! the site and the renderer plus one write, so `serve` can re-run only the
//! jobs a change touches.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::error::{Error, Location, display_path};
use crate::render::{Renderer, Theme};
use crate::site::write::Sink;
use crate::site::{PageId, Site, xml};

/// One output of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Output path relative to the output folder (`roles/pm/index.html`);
    /// for jobs writing several files, their common folder.
    pub output: String,
    /// What to produce.
    pub kind: JobKind,
}

/// What a job produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobKind {
    /// A page through its template.
    Page(PageId),
    /// Page `number` (1-based) of a section's list.
    Section {
        /// The section.
        id: PageId,
        /// 1-based page number.
        number: usize,
    },
    /// The list of terms of a taxonomy.
    TaxonomyList(usize),
    /// Page `number` of a term's list.
    Term {
        /// Taxonomy index.
        taxonomy: usize,
        /// Term index.
        term: usize,
        /// 1-based page number.
        number: usize,
    },
    /// A redirect from an old URL (an `aliases:` entry) to a page.
    Alias(PageId),
    /// The site's `404.html`.
    NotFound,
    /// The `/search/` page.
    SearchPage,
    /// The search index files.
    SearchIndex,
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// An Atom feed of the site (`None`) or of a section.
    Feed(Option<PageId>),
    /// A generated knowledge-base page or data file.
    Kb(crate::kb::Generated),
    /// A file from `content/` copied next to its page.
    Asset(usize),
    /// A static file of the theme or the site.
    Static(usize),
}

/// All jobs of a site build, with errors for outputs that collide.
pub fn list(site: &Site, theme: &Theme) -> (Vec<Job>, Vec<Error>) {
    let mut jobs = Vec::new();
    for (id, entry) in site.entries.iter().enumerate() {
        if entry.page.is_section {
            section_jobs(site, id, &mut jobs);
        } else {
            jobs.push(job(entry.output_path(), JobKind::Page(id)));
        }
        for alias in &entry.page.front.aliases {
            jobs.push(job(alias_output(alias), JobKind::Alias(id)));
        }
    }
    taxonomy_jobs(site, &mut jobs);
    jobs.push(job("404.html".into(), JobKind::NotFound));
    if site.config.search_enabled() {
        jobs.push(job("search/index.html".into(), JobKind::SearchPage));
        jobs.push(job("search/".into(), JobKind::SearchIndex));
    }
    if site.config.sitemap {
        jobs.push(job("sitemap.xml".into(), JobKind::Sitemap));
        jobs.push(job("robots.txt".into(), JobKind::Robots));
    }
    if site.config.feeds {
        feed_jobs(site, &mut jobs);
    }
    jobs.extend(crate::kb::jobs(site));
    for (i, asset) in site.assets.iter().enumerate() {
        jobs.push(job(asset.rel_url.clone(), JobKind::Asset(i)));
    }
    for (i, file) in theme.static_files().iter().enumerate() {
        jobs.push(job(file.rel.clone(), JobKind::Static(i)));
    }
    let errors = collisions(site, theme, &jobs);
    (jobs, errors)
}

fn job(output: String, kind: JobKind) -> Job {
    Job { output, kind }
}

fn section_jobs(site: &Site, id: PageId, jobs: &mut Vec<Job>) {
    let entry = &site.entries[id];
    let pages = page_count(entry.children.len(), paginate_by(site, id));
    for number in 1..=pages {
        jobs.push(job(
            paged_output(&entry.rel_url, number),
            JobKind::Section { id, number },
        ));
    }
}

fn taxonomy_jobs(site: &Site, jobs: &mut Vec<Job>) {
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(job(
            format!("{}index.html", taxonomy.rel_url),
            JobKind::TaxonomyList(t),
        ));
        for (i, term) in taxonomy.terms.iter().enumerate() {
            let pages = page_count(term.pages.len(), site.config.paginate_by);
            for number in 1..=pages {
                jobs.push(job(
                    paged_output(&term.rel_url, number),
                    JobKind::Term {
                        taxonomy: t,
                        term: i,
                        number,
                    },
                ));
            }
        }
    }
}

fn feed_jobs(site: &Site, jobs: &mut Vec<Job>) {
    jobs.push(job("atom.xml".into(), JobKind::Feed(None)));
    for (id, entry) in site.entries.iter().enumerate() {
        if entry.page.is_section
            && !entry.children.is_empty()
            && entry.page.content_path != "_index.md"
        {
            jobs.push(job(
                format!("{}atom.xml", entry.rel_url),
                JobKind::Feed(Some(id)),
            ));
        }
    }
}

/// Entries per list page for a section (0: everything on one page).
pub fn paginate_by(site: &Site, section: PageId) -> usize {
    site.entries[section]
        .page
        .front
        .section
        .paginate_by
        .unwrap_or(site.config.paginate_by)
}

/// Number of list pages for `items` entries (at least one).
pub fn page_count(items: usize, per_page: usize) -> usize {
    if per_page == 0 {
        1
    } else {
        items.div_ceil(per_page).max(1)
    }
}

/// `roles/` page 1 → `roles/index.html`, page 3 → `roles/page/3/index.html`.
pub fn paged_output(rel_url: &str, number: usize) -> String {
    format!("{}index.html", paged_rel_url(rel_url, number))
}

/// `roles/` page 3 → `roles/page/3/`.
pub fn paged_rel_url(rel_url: &str, number: usize) -> String {
    if number <= 1 {
        rel_url.to_string()
    } else {
        format!("{rel_url}page/{number}/")
    }
}

/// `/old/url/` or `old/url` → `old/url/index.html`; `old.html` stays a file.
pub fn alias_output(alias: &str) -> String {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        trimmed.to_string()
    } else if trimmed.is_empty() {
        "index.html".to_string()
    } else {
        format!("{}/index.html", trimmed.trim_end_matches('/'))
    }
}

/// Two jobs writing the same file is an error naming both sources.
fn collisions(site: &Site, theme: &Theme, jobs: &[Job]) -> Vec<Error> {
    let mut seen: HashMap<&str, &Job> = HashMap::new();
    let mut errors = Vec::new();
    for job in jobs {
        if let Some(first) = seen.insert(&job.output, job) {
            let (a, b) = (describe(site, theme, first), describe(site, theme, job));
            let location = job_location(site, job).or_else(|| job_location(site, first));
            let message = format!("{a} and {b} both write `{}`", job.output);
            let error = match location {
                Some(location) => Error::at(location, message),
                None => Error::new(crate::error::Kind::Content, message),
            };
            errors.push(error.with_hint("rename one of them, or change its `slug:` or `aliases:`"));
        }
    }
    errors
}

fn job_location(site: &Site, job: &Job) -> Option<Location> {
    match job.kind {
        JobKind::Page(id) | JobKind::Alias(id) | JobKind::Section { id, .. } => {
            Some(Location::file(&site.entries[id].page.file))
        }
        JobKind::Asset(i) => Some(Location::file(&site.assets[i].source)),
        _ => None,
    }
}

fn describe(site: &Site, theme: &Theme, job: &Job) -> String {
    match &job.kind {
        JobKind::Page(id) | JobKind::Section { id, .. } => {
            format!("`{}`", display_path(&site.entries[*id].page.file))
        }
        JobKind::Alias(id) => format!(
            "an alias of `{}`",
            display_path(&site.entries[*id].page.file)
        ),
        JobKind::Asset(i) => format!("`{}`", display_path(&site.assets[*i].source)),
        JobKind::Static(i) => format!("the static file `{}`", theme.static_files()[*i].origin),
        JobKind::TaxonomyList(_) | JobKind::Term { .. } => "a taxonomy page".to_string(),
        JobKind::SearchPage | JobKind::SearchIndex => "the search page".to_string(),
        other => format!("the generated {other:?}"),
    }
}

/// Run jobs in parallel, writing each result; returns every error.
pub fn run(jobs: &[Job], site: &Site, renderer: &Renderer, out: &dyn Sink) -> Vec<Error> {
    jobs.par_iter()
        .filter_map(|job| run_one(job, site, renderer, out).err())
        .collect()
}

fn run_one(job: &Job, site: &Site, renderer: &Renderer, out: &dyn Sink) -> Result<(), Error> {
    match &job.kind {
        JobKind::Asset(i) => out.copy(&site.root.join(&site.assets[*i].source), &job.output),
        JobKind::Static(i) => renderer.theme().static_files()[*i].write(out, &job.output),
        _ => {
            for (path, bytes) in produce(job, site, renderer)? {
                out.write(&path, &bytes)?;
            }
            Ok(())
        }
    }
}

/// Files a job writes: (output path, bytes).
pub type OutputFiles = Vec<(String, Vec<u8>)>;

/// Every file a job writes, static files and assets included, with the pages
/// its templates looked up (for `serve`'s dependency tracking).
pub fn produce_with_lookups(
    job: &Job,
    site: &Site,
    renderer: &Renderer,
) -> Result<(OutputFiles, Vec<PageId>), Error> {
    match &job.kind {
        JobKind::Asset(i) => {
            let path = site.root.join(&site.assets[*i].source);
            let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, &e))?;
            Ok((vec![(job.output.clone(), bytes)], Vec::new()))
        }
        JobKind::Static(i) => {
            let bytes = renderer.theme().static_files()[*i].bytes()?.into_owned();
            Ok((vec![(job.output.clone(), bytes)], Vec::new()))
        }
        _ => {
            let (files, lookups) =
                crate::render::functions::record_lookups(|| produce(job, site, renderer));
            Ok((files?, lookups))
        }
    }
}

/// The files a job writes (path, bytes), without touching the disk.
pub fn produce(job: &Job, site: &Site, renderer: &Renderer) -> Result<OutputFiles, Error> {
    let single = |bytes: Vec<u8>| Ok(vec![(job.output.clone(), bytes)]);
    match &job.kind {
        JobKind::Sitemap => single(xml::sitemap(site).into_bytes()),
        JobKind::Robots => single(xml::robots(site).into_bytes()),
        JobKind::Feed(section) => single(xml::feed(site, *section, renderer.today()).into_bytes()),
        JobKind::SearchIndex => Ok(crate::search::write_index(site)),
        JobKind::Kb(generated) => crate::kb::produce(generated, job, site, renderer),
        _ => single(renderer.render(job, site)?),
    }
}
