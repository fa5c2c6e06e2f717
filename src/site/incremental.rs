//! Incremental rebuilds for `serve`: reload only the changed files, resolve
//! the site again (cheap: no Markdown is rendered twice), and re-run only the
//! jobs whose output can depend on what changed.
//!
//! What an edit of page P re-renders: P; its section's list pages; the pages
//! whose prev/next or breadcrumbs show P; the term pages of P's old and new
//! terms; pages linking to P when its URL changes (reloaded, links are
//! filled at load); every role and comparison page and the generated
//! knowledge-base pages when P is a role or comparison; the whole course when
//! P is a course or chapter; any output whose templates looked P up with
//! `get_page`/`get_section`/`url_for`; the search index, sitemap and feeds.
//! A change to the shared `site` value (navigation, taxonomy list), to the
//! config, templates, static files or UI strings re-renders everything.
//! `ROLEBOOK_SERVE_VERIFY=1` checks every incremental result against a full
//! render and reports any difference (tests run with it).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Files;
use crate::content::page::Kind;
use crate::error::{Error, Failure, sort_errors};
use crate::render::{Renderer, Theme};
use crate::site::jobs::{self, Job, JobKind};
use crate::site::{BuildOptions, PageId, Site, resolve, today};

/// The served files: output path → bytes.
pub type Outputs = BTreeMap<String, Arc<Vec<u8>>>;

/// What changed since the last build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit {
    /// Content files (relative to the site root) created, changed or removed.
    pub content: BTreeSet<PathBuf>,
    /// Templates, static files or UI strings changed: re-render everything.
    pub theme: bool,
    /// `rolebook.yaml` changed: reload and rebuild everything.
    pub config: bool,
}

/// The result of a successful (re)build.
#[derive(Debug, Clone)]
pub struct Update {
    /// Every output file.
    pub outputs: Arc<Outputs>,
    /// Output paths whose bytes changed, appeared or disappeared.
    pub changed: Vec<String>,
    /// Jobs rendered this time (for reports and benchmarks).
    pub rendered_jobs: usize,
}

/// Build state kept between edits.
pub struct Incremental {
    options: BuildOptions,
    config: Option<Config>,
    theme: Option<Theme>,
    files: Files,
    site: Option<Arc<Site>>,
    outputs: Outputs,
    /// Output path → content paths its templates looked up.
    lookups: HashMap<String, Vec<String>>,
    /// Job output (`search/`) → the files it wrote, for jobs writing several.
    written_by: HashMap<String, Vec<String>>,
    verify: bool,
}

impl Incremental {
    /// State for the site described by `options`; nothing is built yet.
    pub fn new(options: BuildOptions) -> Self {
        Incremental {
            options,
            config: None,
            theme: None,
            files: Files::default(),
            site: None,
            outputs: Outputs::new(),
            lookups: HashMap::new(),
            written_by: HashMap::new(),
            verify: std::env::var_os("ROLEBOOK_SERVE_VERIFY").is_some(),
        }
    }

    /// Apply an edit: a full build the first time or after a config change,
    /// a full render after theme changes, an incremental one otherwise.
    pub fn apply(&mut self, edit: &Edit) -> Result<Update, Failure> {
        if edit.config || self.config.is_none() {
            return self.full();
        }
        if edit.theme {
            self.theme = Some(Theme::load(&self.options.root, self.config())?);
        }
        if edit.content.is_empty() {
            return self.render_all();
        }
        self.content_edit(&edit.content, edit.theme)
    }

    /// The options this state builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The URL of the page built from `file` (relative to the site root).
    pub fn url_of(&self, file: &std::path::Path) -> Option<String> {
        let site = self.site.as_ref()?;
        site.by_path
            .get(&content_path(file))
            .map(|&id| site.entries[id].url.clone())
    }

    /// The base path of the site (`/` or `/kb/`).
    pub fn base_path(&self) -> String {
        self.config
            .as_ref()
            .map_or_else(|| "/".to_string(), |c| c.base_path().to_string())
    }

    fn config(&self) -> &Config {
        self.config.as_ref().expect("config is loaded before use")
    }

    /// Load everything and render every job.
    pub fn full(&mut self) -> Result<Update, Failure> {
        let mut config = Config::load(&self.options.root)?;
        if let Some(url) = &self.options.base_url {
            config.set_base_url(url)?;
        }
        let theme = Theme::load(&self.options.root, &config)?;
        let files = Files::load(&self.options.root, &config);
        self.config = Some(config);
        self.theme = Some(theme);
        self.files = files;
        self.return_site();
        let site = self.resolve()?;
        self.site = Some(Arc::new(site));
        self.render_all()
    }

    /// Hand the pages of the current site back to `files`.
    fn return_site(&mut self) {
        if let Some(site) = self.site.take() {
            match Arc::try_unwrap(site) {
                Ok(site) => self.restore(site, &BTreeSet::new()),
                Err(_) => {
                    // Still shared (cannot happen: renderers are dropped after
                    // each build). Reload from disk rather than lose pages.
                    self.files = Files::load(&self.options.root, self.config());
                }
            }
        }
    }

    fn restore(&mut self, site: Site, skip: &BTreeSet<PathBuf>) {
        let pages = site
            .into_loaded()
            .into_iter()
            .filter(|l| !skip.contains(&l.page.file));
        let pages: Vec<_> = pages
            .filter(|l| {
                !self.files.loaded.contains_key(&l.page.file)
                    && !self.files.failed.contains_key(&l.page.file)
            })
            .collect();
        self.files.restore(pages);
    }

    /// Resolve the pages in `files` into a site; on errors, the pages go back.
    fn resolve(&mut self) -> Result<Site, Failure> {
        let config = self.config().clone();
        let mut content = self.files.take_content(self.options.drafts);
        let mut errors = std::mem::take(&mut content.errors);
        let mut warnings = std::mem::take(&mut content.warnings);
        let site = resolve::resolve(
            &self.options.root,
            config,
            content,
            today(&self.options),
            &mut errors,
        );
        if errors.is_empty() {
            return Ok(site);
        }
        self.restore(site, &BTreeSet::new());
        sort_errors(&mut errors);
        sort_errors(&mut warnings);
        Err(Failure { errors, warnings })
    }

    /// Reload changed files, resolve, and re-render what depends on them.
    fn content_edit(
        &mut self,
        changed: &BTreeSet<PathBuf>,
        theme_changed: bool,
    ) -> Result<Update, Failure> {
        let Some(old_site) = self.site.take() else {
            return self.full();
        };
        let candidates: BTreeSet<PathBuf> = changed
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .cloned()
            .collect();
        let before = Shape::of(&old_site, &candidates);
        match Arc::try_unwrap(old_site) {
            Ok(site) => self.restore(site, &BTreeSet::new()),
            Err(_) => return self.full(),
        }
        let root = self.options.root.clone();
        let config = self.config().clone();
        let mut reloaded = self.files.update(&root, &config, changed);
        let mut site = self.resolve()?;
        // Links are filled in when a page loads: pages pointing at a page whose
        // URL changed (or that appeared or went away) are loaded again.
        let stale = stale_links(&site, &before, &reloaded);
        if !stale.is_empty() {
            self.restore(site, &BTreeSet::new());
            reloaded.extend(self.files.update(&root, &config, &stale));
            site = self.resolve()?;
        }
        let site = Arc::new(site);
        if theme_changed || before.global != global_fingerprint(&site) {
            self.site = Some(site);
            return self.render_all();
        }
        let affected = Affected::find(&site, &before, &reloaded, changed, &self.lookups);
        self.site = Some(site);
        self.render(|job| affected.contains(job))
    }

    /// Render every job.
    fn render_all(&mut self) -> Result<Update, Failure> {
        self.render(|_| true)
    }

    /// Render the jobs `select` picks; keep the other outputs as they were.
    fn render(&mut self, select: impl Fn(&Job) -> bool + Sync) -> Result<Update, Failure> {
        let site = self
            .site
            .clone()
            .expect("a site is loaded before rendering");
        let theme = self
            .theme
            .clone()
            .expect("a theme is loaded before rendering");
        let renderer = Renderer::new(&site, &theme, today(&self.options)).map_err(failure)?;
        let (jobs, errors) = jobs::list(&site, &theme);
        if !errors.is_empty() {
            return Err(failure(errors));
        }
        let outputs_of_jobs: HashSet<&str> = jobs.iter().map(|j| j.output.as_str()).collect();
        let chosen: Vec<&Job> = jobs
            .iter()
            .filter(|j| {
                select(j)
                    || !self.outputs.contains_key(&j.output)
                        && !matches!(j.kind, JobKind::SearchIndex)
            })
            .collect();
        type Rendered = Result<(String, jobs::OutputFiles, Vec<PageId>), Error>;
        let results: Vec<Rendered> = chosen
            .par_iter()
            .map(|job| {
                jobs::produce_with_lookups(job, &site, &renderer)
                    .map(|(files, ids)| (job.output.clone(), files, ids))
            })
            .collect();
        drop(renderer);
        let mut new_outputs = self.outputs.clone();
        let multi: HashSet<&str> = self
            .written_by
            .iter()
            .filter(|(job, _)| outputs_of_jobs.contains(job.as_str()))
            .flat_map(|(_, files)| files.iter().map(String::as_str))
            .collect();
        new_outputs.retain(|path, _| {
            outputs_of_jobs.contains(path.as_str()) || multi.contains(path.as_str())
        });
        let mut errors = Vec::new();
        let mut written: Vec<String> = Vec::new();
        for result in results {
            match result {
                Ok((output, files, ids)) => {
                    if files.len() != 1 || files[0].0 != output {
                        for old in self.written_by.remove(&output).unwrap_or_default() {
                            new_outputs.remove(&old);
                        }
                        self.written_by.insert(
                            output.clone(),
                            files.iter().map(|(p, _)| p.clone()).collect(),
                        );
                    }
                    self.lookups.insert(
                        output,
                        ids.iter()
                            .map(|&id| site.entries[id].page.content_path.clone())
                            .collect(),
                    );
                    for (path, bytes) in files {
                        written.push(path.clone());
                        new_outputs.insert(path, Arc::new(bytes));
                    }
                }
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            return Err(failure(errors));
        }
        let rendered_jobs = chosen.len();
        if self.verify && rendered_jobs < jobs.len() {
            self.verify_against_full(&site, &theme, &new_outputs)?;
        }
        let changed = changed_paths(&self.outputs, &new_outputs);
        self.outputs = new_outputs;
        Ok(Update {
            outputs: Arc::new(self.outputs.clone()),
            changed,
            rendered_jobs,
        })
    }

    /// Test aid: render everything again and report any output the
    /// incremental render got wrong.
    fn verify_against_full(
        &self,
        site: &Arc<Site>,
        theme: &Theme,
        outputs: &Outputs,
    ) -> Result<(), Failure> {
        let renderer = Renderer::new(site, theme, today(&self.options)).map_err(failure)?;
        let (jobs, _) = jobs::list(site, theme);
        let mut full = Outputs::new();
        for job in &jobs {
            let (files, _) =
                jobs::produce_with_lookups(job, site, &renderer).map_err(Failure::from)?;
            full.extend(files.into_iter().map(|(p, b)| (p, Arc::new(b))));
        }
        let differing = changed_paths(outputs, &full);
        if !differing.is_empty() {
            eprintln!(
                "incremental rebuild differs from a full rebuild: {}",
                differing.join(", ")
            );
        }
        Ok(())
    }
}

fn failure(mut errors: Vec<Error>) -> Failure {
    sort_errors(&mut errors);
    Failure {
        errors,
        warnings: Vec::new(),
    }
}

/// Paths whose bytes differ between two output sets (added and removed included).
pub fn changed_paths(old: &Outputs, new: &Outputs) -> Vec<String> {
    let mut paths: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| old.get(*path).is_none_or(|o| o != *bytes))
        .map(|(path, _)| path.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// What the previous site looked like, for deciding what an edit affects.
#[derive(Debug, Default)]
struct Shape {
    /// Content path → URL.
    urls: HashMap<String, String>,
    /// Content path → (parent, prev, next) content paths.
    places: HashMap<String, [Option<String>; 3]>,
    /// Section content path → its children's content paths, in order.
    children: HashMap<String, Vec<String>>,
    /// Content path → its terms as `taxonomy/slug`.
    terms: HashMap<String, Vec<String>>,
    /// Summary fingerprints of the reloaded pages before the edit.
    fingerprints: HashMap<String, u64>,
    /// Kinds of the reloaded pages before the edit.
    kinds: HashMap<String, Kind>,
    /// Fingerprint of the shared `site` value.
    global: u64,
}

impl Shape {
    fn of(site: &Site, reloaded: &BTreeSet<PathBuf>) -> Shape {
        let path = |id: Option<PageId>| id.map(|i| site.entries[i].page.content_path.clone());
        let mut shape = Shape {
            global: global_fingerprint(site),
            ..Shape::default()
        };
        for (id, entry) in site.entries.iter().enumerate() {
            let key = entry.page.content_path.clone();
            shape.urls.insert(key.clone(), entry.url.clone());
            shape.places.insert(
                key.clone(),
                [path(entry.parent), path(entry.prev), path(entry.next)],
            );
            if entry.page.is_section {
                shape.children.insert(
                    key.clone(),
                    entry
                        .children
                        .iter()
                        .map(|&c| site.entries[c].page.content_path.clone())
                        .collect(),
                );
            }
            shape.terms.insert(key.clone(), term_keys(site, id));
            if reloaded.contains(&entry.page.file) {
                shape
                    .fingerprints
                    .insert(key.clone(), fingerprint(site, id));
                shape.kinds.insert(key, entry.page.front.kind);
            }
        }
        shape
    }
}

fn term_keys(site: &Site, id: PageId) -> Vec<String> {
    site.page_terms[id]
        .iter()
        .map(|&(t, i)| {
            format!(
                "{}/{}",
                site.taxonomies[t].name, site.taxonomies[t].terms[i].slug
            )
        })
        .collect()
}

/// A hash of what lists and lookups show of an entry.
fn fingerprint(site: &Site, id: PageId) -> u64 {
    let summary = crate::render::context::summary(site, id);
    xxhash_rust::xxh3::xxh3_64(&serde_json::to_vec(&summary).unwrap_or_default())
}

/// A hash of the values every page shares (`site`, `config`).
fn global_fingerprint(site: &Site) -> u64 {
    let values = crate::render::context::site_values(site);
    let bytes = serde_json::to_vec(&(&values.site, &values.config)).unwrap_or_default();
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

/// Pages not reloaded whose local links point at a page whose URL changed,
/// appeared or disappeared.
fn stale_links(site: &Site, before: &Shape, reloaded: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
    site.entries
        .iter()
        .filter(|e| !reloaded.contains(&e.page.file))
        .filter(|e| {
            e.rendered.local_links.iter().any(|link| {
                let now = site
                    .by_path
                    .get(&link.target)
                    .map(|&i| site.entries[i].url.as_str());
                let then = before.urls.get(&link.target).map(String::as_str);
                link.target.ends_with(".md") && now != then
            })
        })
        .map(|e| e.page.file.clone())
        .collect()
}

/// The jobs an edit affects.
struct Affected {
    /// Entries whose own outputs re-render.
    pages: HashSet<PageId>,
    /// Terms (`taxonomy/slug`) whose pages re-render.
    terms: HashSet<String>,
    /// Everything knowledge-base (roles, comparisons, generated pages).
    kb: bool,
    /// Site-wide outputs (search index, sitemap, feeds).
    site_wide: bool,
    /// Assets and static files that changed, and outputs whose templates
    /// looked up a changed page (output paths).
    files: HashSet<String>,
}

impl Affected {
    fn find(
        site: &Site,
        before: &Shape,
        reloaded: &BTreeSet<PathBuf>,
        changed: &BTreeSet<PathBuf>,
        lookups: &HashMap<String, Vec<String>>,
    ) -> Affected {
        let mut affected = Affected {
            pages: HashSet::new(),
            terms: HashSet::new(),
            kb: false,
            site_wide: true,
            files: HashSet::new(),
        };
        let reloaded_paths: HashSet<String> = reloaded.iter().map(|p| content_path(p)).collect();
        // Entries whose summary changed (or that appeared or went away).
        let mut moved: HashSet<String> = HashSet::new();
        for path in &reloaded_paths {
            let now = site.by_path.get(path).copied();
            let changed_summary = match (now, before.fingerprints.get(path)) {
                (Some(id), Some(&old)) => fingerprint(site, id) != old,
                (None, None) => false,
                _ => true,
            };
            if changed_summary {
                moved.insert(path.clone());
            }
            let kinds = [
                before.kinds.get(path).copied(),
                now.map(|id| site.entries[id].page.front.kind),
            ];
            if kinds
                .iter()
                .flatten()
                .any(|k| matches!(k, Kind::Role | Kind::Comparison))
            {
                affected.kb = true;
            }
            if let Some(id) = now {
                affected.pages.insert(id);
            }
            for term in before.terms.get(path).into_iter().flatten() {
                affected.terms.insert(term.clone());
            }
        }
        for (id, entry) in site.entries.iter().enumerate() {
            let key = &entry.page.content_path;
            let path = |i: Option<PageId>| i.map(|i| site.entries[i].page.content_path.clone());
            let place = [path(entry.parent), path(entry.prev), path(entry.next)];
            let old_place = before.places.get(key);
            let place_changed = old_place != Some(&place);
            let shows_moved = place.iter().flatten().any(|p| moved.contains(p))
                || ancestors_moved(site, id, &moved);
            let children_changed = entry.page.is_section && {
                let now: Vec<String> = entry
                    .children
                    .iter()
                    .map(|&c| site.entries[c].page.content_path.clone())
                    .collect();
                before.children.get(key) != Some(&now)
                    || now.iter().any(|c| moved.contains(c))
                    || entry
                        .subsections
                        .iter()
                        .any(|&s| moved.contains(&site.entries[s].page.content_path))
            };
            if place_changed || shows_moved || children_changed {
                affected.pages.insert(id);
            }
            if moved.contains(key) || reloaded_paths.contains(key) {
                affected.terms.extend(term_keys(site, id));
            }
        }
        for (output, paths) in lookups {
            if paths
                .iter()
                .any(|p| moved.contains(p) || reloaded_paths.contains(p))
            {
                affected.files.insert(output.clone());
            }
        }
        if affected.kb {
            affected.add_knowledge_base(site);
        }
        affected.add_courses(site);
        for path in changed
            .iter()
            .filter(|p| p.extension().is_none_or(|e| e != "md"))
        {
            if let Some(asset) = site.assets.iter().find(|a| &a.source == path) {
                affected.files.insert(asset.rel_url.clone());
            }
        }
        affected
    }

    /// A role or comparison edit re-renders every role and comparison page
    /// and the sections listing roles (directory cards, derived table rows).
    fn add_knowledge_base(&mut self, site: &Site) {
        for (id, entry) in site.entries.iter().enumerate() {
            let lists_roles = entry
                .page
                .front
                .section
                .page_kind
                .is_some_and(|k| matches!(k, Kind::Role | Kind::Comparison));
            if entry.kb.role.is_some() || entry.kb.comparison.is_some() || lists_roles {
                self.pages.insert(id);
            }
        }
    }

    /// A chapter or course edit re-renders the whole course.
    fn add_courses(&mut self, site: &Site) {
        let touched: Vec<PageId> = self.pages.iter().copied().collect();
        for id in touched {
            let entry = &site.entries[id];
            let course = entry.kb.chapter.as_ref().map(|c| c.course).or(entry
                .kb
                .course
                .as_ref()
                .map(|_| id));
            if let Some(course) = course {
                self.pages.insert(course);
                if let Some(data) = &site.entries[course].kb.course {
                    self.pages.extend(data.chapters.iter().copied());
                }
            }
        }
    }

    fn contains(&self, job: &Job) -> bool {
        match &job.kind {
            _ if self.files.contains(&job.output) => true,
            JobKind::Page(id) | JobKind::Section { id, .. } | JobKind::Alias(id) => {
                self.pages.contains(id)
            }
            JobKind::TaxonomyList(_) => !self.terms.is_empty(),
            JobKind::Term { .. } => {
                let term = job.output.trim_end_matches("index.html");
                let term = term
                    .split("/page/")
                    .next()
                    .unwrap_or(term)
                    .trim_end_matches('/');
                self.terms.contains(term)
            }
            JobKind::Kb(crate::kb::Generated::Handout(course)) => self.pages.contains(course),
            JobKind::Kb(_) => self.kb,
            JobKind::SearchIndex | JobKind::Sitemap | JobKind::Feed(_) => self.site_wide,
            JobKind::Robots | JobKind::NotFound | JobKind::SearchPage => false,
            JobKind::Asset(_) | JobKind::Static(_) => false,
        }
    }
}

fn ancestors_moved(site: &Site, id: PageId, moved: &HashSet<String>) -> bool {
    let mut parent = site.entries[id].parent;
    while let Some(p) = parent {
        if moved.contains(&site.entries[p].page.content_path) {
            return true;
        }
        parent = site.entries[p].parent;
    }
    false
}

fn content_path(file: &std::path::Path) -> String {
    crate::error::display_path(file.strip_prefix("content").unwrap_or(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(files: &[(&str, &str)]) -> Outputs {
        files
            .iter()
            .map(|(k, v)| (k.to_string(), Arc::new(v.as_bytes().to_vec())))
            .collect()
    }

    #[test]
    fn changed_paths_cover_edits_additions_and_removals() {
        let old = outputs(&[
            ("index.html", "a"),
            ("roles/pm/index.html", "b"),
            ("gone/index.html", "c"),
        ]);
        let new = outputs(&[
            ("index.html", "a"),
            ("roles/pm/index.html", "B"),
            ("new.css", "x"),
        ]);
        assert_eq!(
            changed_paths(&old, &new),
            ["gone/index.html", "new.css", "roles/pm/index.html"]
        );
    }
}
