//! Every file a build writes, as a list of [`Job`]s (with an error for two
//! writing one path), and the one runner of `build` and `serve`.
//!
//! Listing is cheap and deterministic; running a job is a pure function of
//! the site and the renderer plus one write into a [`Sink`], so `serve` can
//! re-run only the jobs a change touches, into memory.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::error::{Error, Location, display_path};
use crate::model::jobs::{
    CAREER_MAP_URL, SALARIES_URL, alias_output, page_count, paged_output, paginate_by,
};
use crate::model::{Asset, Generated, Job, JobKind, OutputFiles, PageId, Site};
use crate::progress::Reporter;
use crate::render::theme::StaticSource;
use crate::render::{Renderer, Theme};
use crate::search::{Analyzer, Document, ShardCache};
use crate::site::write::Sink;

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
    let replaced = replaced_by_site(site, theme);
    let files = generated_files(site);
    jobs.extend(files.into_iter().filter(|j| !replaced.contains(&j.output)));
    if site.config.search_enabled() {
        for lang in site.langs() {
            let prefix = site.config.language_prefix(site.lang_code(lang));
            jobs.push(job(
                format!("{prefix}search/index.html"),
                JobKind::SearchPage(lang),
            ));
            jobs.push(job(format!("{prefix}search/"), JobKind::SearchIndex(lang)));
        }
    }
    jobs.extend(generated_jobs(site));
    for (i, asset) in site.assets.iter().enumerate() {
        jobs.push(job(asset.rel_url.clone(), JobKind::Asset(i)));
    }
    let assets: HashMap<&str, &Asset> = site
        .assets
        .iter()
        .map(|a| (a.rel_url.as_str(), a))
        .collect();
    for (i, file) in theme.static_files().iter().enumerate() {
        // A content file and a static file with the same path and the same
        // bytes (an image kept in both places) are one file, not a conflict.
        let same = assets
            .get(file.rel.as_str())
            .is_some_and(|asset| same_bytes(&site.root.join(&asset.source), file));
        if !same {
            jobs.push(job(file.rel.clone(), JobKind::Static(i)));
        }
    }
    for (i, (rel_url, _)) in site.image_copies().into_iter().enumerate() {
        jobs.push(job(rel_url.to_string(), JobKind::Image(i)));
    }
    let errors = collisions(site, theme, &jobs);
    (jobs, errors)
}

/// Jobs for the generated knowledge-base outputs, per language that has roles.
fn generated_jobs(site: &Site) -> Vec<Job> {
    let mut jobs = Vec::new();
    for lang in site.langs() {
        let has_roles = site
            .entries
            .iter()
            .any(|e| e.kb.role.is_some() && e.lang == lang);
        if !has_roles {
            continue;
        }
        let prefix = site.config.language_prefix(site.lang_code(lang));
        jobs.push(job(
            format!("{prefix}{SALARIES_URL}index.html"),
            JobKind::Kb(Generated::SalaryOverview(lang)),
        ));
        jobs.push(job(
            format!("{prefix}{CAREER_MAP_URL}index.html"),
            JobKind::Kb(Generated::CareerMap(lang)),
        ));
        jobs.push(job(
            format!("{prefix}roles.json"),
            JobKind::Kb(Generated::RolesJson(lang)),
        ));
    }
    for (id, entry) in site.entries.iter().enumerate() {
        if entry.kb.course.is_some() {
            jobs.push(Job {
                output: format!("{}print/index.html", entry.rel_url),
                kind: JobKind::Kb(Generated::Handout(id)),
            });
        }
    }
    jobs
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
    for lang in site.langs() {
        let prefix = site.config.language_prefix(site.lang_code(lang));
        jobs.push(job(
            format!("{prefix}atom.xml"),
            JobKind::Feed {
                lang,
                section: None,
            },
        ));
    }
    for (id, entry) in site.entries.iter().enumerate() {
        if entry.page.is_section && !entry.children.is_empty() && !entry.page.is_home() {
            jobs.push(job(
                format!("{}atom.xml", entry.rel_url),
                JobKind::Feed {
                    lang: entry.lang,
                    section: Some(id),
                },
            ));
        }
    }
}

fn same_bytes(path: &std::path::Path, file: &crate::render::theme::StaticFile) -> bool {
    match (std::fs::read(path), file.bytes()) {
        (Ok(a), Ok(b)) => a == b.as_ref(),
        _ => false,
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
        JobKind::Image(_) => "a resized image".to_string(),
        JobKind::TaxonomyList(_) | JobKind::Term { .. } => "a taxonomy page".to_string(),
        JobKind::SearchPage(_) | JobKind::SearchIndex(_) => "the search page".to_string(),
        other => format!("the generated {other:?}"),
    }
}

/// The files the build generates besides pages: `404.html`, `sitemap.xml`,
/// `robots.txt` and the Atom feeds.
fn generated_files(site: &Site) -> Vec<Job> {
    let mut jobs = vec![job("404.html".into(), JobKind::NotFound)];
    if site.config.sitemap {
        jobs.push(job("sitemap.xml".into(), JobKind::Sitemap));
        jobs.push(job("robots.txt".into(), JobKind::Robots));
    }
    if site.config.feeds {
        feed_jobs(site, &mut jobs);
    }
    jobs
}

/// Generated files (`404.html`, `sitemap.xml`, `robots.txt`, feeds) that a
/// file of the site's own `static/` also writes: the site's file wins (a site
/// that brings its own `robots.txt` means it); `--verbose` names them.
pub fn replaced_by_site(site: &Site, theme: &Theme) -> Vec<String> {
    let own: std::collections::HashSet<&str> = theme
        .static_files()
        .iter()
        .filter(|f| f.origin.starts_with("static/"))
        .map(|f| f.rel.as_str())
        .collect();
    if own.is_empty() {
        return Vec::new();
    }
    let mut replaced: Vec<String> = generated_files(site)
        .into_iter()
        .map(|j| j.output)
        .filter(|output| own.contains(output.as_str()))
        .collect();
    replaced.sort();
    replaced
}

/// Everything a job reads.
pub struct Inputs<'a> {
    /// The resolved site.
    pub site: &'a Site,
    /// The templates and the theme.
    pub renderer: &'a Renderer,
    /// The entries' search documents, in entry order.
    pub search: &'a [Document],
    /// The term table of the documents.
    pub analyzer: &'a Analyzer,
    /// Deflated shards kept between rebuilds (`serve` only).
    pub shards: Option<&'a ShardCache>,
    /// Where the runner tells how many jobs are done.
    pub progress: &'a Reporter,
}

/// What one job did: the files it wrote and the pages its templates looked
/// up (for `serve`'s dependency tracking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// The job's output path.
    pub output: String,
    /// Every file it wrote.
    pub files: Vec<String>,
    /// Pages looked up with `get_page`, `get_section` or `url_for`.
    pub lookups: Vec<PageId>,
    /// Bytes written (of files copied: 0, the copy is the disk's work).
    pub bytes: u64,
    /// How long the job took.
    pub took: std::time::Duration,
    /// A page, section or list page rendered through a template.
    pub is_page: bool,
}

/// Run jobs in parallel, writing their files into `sink`: the one runner of
/// `build` (a folder) and `serve` (memory). One result per job, in order.
pub fn run(jobs: &[&Job], inputs: &Inputs<'_>, sink: &dyn Sink) -> Vec<Result<Ran, Error>> {
    inputs.progress.stage("rendering", jobs.len(), || {
        jobs.par_iter()
            .map(|job| {
                let started = std::time::Instant::now();
                let ran = run_one(job, inputs, sink).map(|mut ran| {
                    ran.took = started.elapsed();
                    ran
                });
                inputs.progress.advance(1);
                ran
            })
            .collect()
    })
}

fn run_one(job: &Job, inputs: &Inputs<'_>, sink: &dyn Sink) -> Result<Ran, Error> {
    let site = inputs.site;
    let copied = |files: Vec<String>| Ran {
        output: job.output.clone(),
        files,
        lookups: Vec::new(),
        bytes: 0,
        took: std::time::Duration::ZERO,
        is_page: false,
    };
    match &job.kind {
        JobKind::Asset(i) => {
            sink.copy(&site.root.join(&site.assets[*i].source), &job.output)?;
            Ok(copied(vec![job.output.clone()]))
        }
        JobKind::Static(i) => {
            match inputs.renderer.theme().static_files()[*i].source() {
                StaticSource::Embedded(bytes) => sink.write(&job.output, bytes)?,
                StaticSource::Disk(path) => sink.copy(path, &job.output)?,
            }
            Ok(copied(vec![job.output.clone()]))
        }
        JobKind::Image(i) => {
            let copies = site.image_copies();
            let (_, cache) = copies.get(*i).ok_or_else(|| {
                Error::new(crate::error::Kind::Io, format!("no image copy number {i}"))
            })?;
            sink.copy(cache, &job.output)?;
            Ok(copied(vec![job.output.clone()]))
        }
        _ => {
            let ((files, lookups), copies) = crate::render::images::record_copies(|| {
                crate::render::functions::record_lookups(|| produce(job, inputs))
            });
            let mut written = Vec::new();
            let mut total = 0;
            for (path, cache) in copies {
                sink.copy(&cache, &path)?;
                written.push(path);
            }
            for (path, bytes) in files? {
                total += bytes.len() as u64;
                sink.write_owned(&path, bytes)?;
                written.push(path);
            }
            Ok(Ran {
                output: job.output.clone(),
                files: written,
                lookups,
                bytes: total,
                took: std::time::Duration::ZERO,
                is_page: matches!(
                    job.kind,
                    JobKind::Page(_) | JobKind::Section { .. } | JobKind::Term { .. }
                ),
            })
        }
    }
}

/// The files a job writes (path, bytes), without touching the disk.
fn produce(job: &Job, inputs: &Inputs<'_>) -> Result<OutputFiles, Error> {
    inputs.renderer.scope(|| produce_in_scope(job, inputs))
}

fn produce_in_scope(job: &Job, inputs: &Inputs<'_>) -> Result<OutputFiles, Error> {
    let (site, renderer) = (inputs.site, inputs.renderer);
    let single = |bytes: Vec<u8>| Ok(vec![(job.output.clone(), bytes)]);
    match &job.kind {
        JobKind::SearchIndex(lang) => Ok(crate::search::write_index(
            site,
            inputs.search,
            inputs.analyzer,
            inputs.shards,
            *lang,
        )),
        JobKind::Kb(generated) => crate::render::kb::produce(generated, job, site, renderer),
        _ => single(renderer.render(job, site)?),
    }
}
