//! Incremental rebuilds for `serve`: reload only the changed files, resolve
//! the site again (cheap: no Markdown is rendered twice, and link URLs are
//! filled in at render time), and re-run only the jobs whose output can
//! depend on what changed, with the runner `build` uses, into memory.
//!
//! What an edit of page P re-renders: P; its section's list pages; the pages
//! whose prev/next or breadcrumbs show P; the term pages of P's old and new
//! terms; pages linking to P when its URL changes; every role and
//! comparison page and the generated knowledge-base pages when P is a role
//! or comparison; the whole course when P is a course or chapter; any output
//! whose templates looked P up with `get_page`/`get_section`/`url_for`; the
//! search index, sitemap and feeds. A change to the shared `site` value
//! (navigation, taxonomy list), to the config, templates, static files or
//! UI strings re-renders everything. `ROLEBOOK_SERVE_VERIFY=1` checks every
//! incremental result against a full render and reports any difference
//! (tests run with it).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::content::Files;
use crate::error::Failure;
use crate::model::{Job, JobKind, PageId, Site};
use crate::render::{Renderer, Templates, Theme};
use crate::search::{Analyzer, Document, ShardCache};
use crate::site::jobs::{self, Inputs};
use crate::site::resolve::Targets;
use crate::site::write::MemorySink;
use crate::site::{BuildOptions, Loaded, process, resolve, today};

mod affected;
mod body;

use affected::{Affected, Shape, content_path, fingerprint, global_fingerprint, stale_links};
use body::{anchors_hold, inherited_kind};

/// The served files: output path → bytes. A persistent map: a rebuild's
/// copy shares every entry it does not change (cloning is O(1)).
/// Pages are kept packed ([`crate::site::write::Stored`]).
pub type Outputs = imbl::OrdMap<String, Arc<crate::site::write::Stored>>;

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
    /// Pages and sections of the site.
    pub pages: usize,
}

/// Build state kept between edits.
pub struct Incremental {
    options: BuildOptions,
    /// Shared with the resolved site: never copied per rebuild.
    config: Option<Arc<Config>>,
    theme: Option<Theme>,
    /// `theme` compiled; kept across content edits.
    templates: Option<Arc<Templates>>,
    files: Files<Loaded>,
    /// The term table of every analysis this server runs: term ids of
    /// unchanged pages stay valid across rebuilds.
    analyzer: Analyzer,
    /// Deflated search shards of the last index.
    shards: ShardCache,
    site: Option<Arc<Site>>,
    /// The search documents of `site`'s entries, in entry order.
    search: Vec<Document>,
    outputs: Outputs,
    /// Output path → content paths its templates looked up.
    lookups: HashMap<String, Vec<String>>,
    /// Job output (`search/`) → the files it wrote, for jobs writing several.
    written_by: HashMap<String, Vec<String>>,
    verify: bool,
    /// Whether renders leave the search index for [`Incremental::finish`].
    defer_index: bool,
    /// What [`Incremental::finish`] has left to render.
    deferred: Option<Deferred>,
    /// The reporter of the current render: the options' for the first
    /// build, silent after (a rebuild is one line, said by `serve`).
    progress: crate::progress::Reporter,
}

/// Search index jobs left for later by [`Incremental::apply_first`], with
/// the render they belong to.
struct Deferred {
    later: Vec<Job>,
    jobs: Vec<Job>,
    renderer: Renderer,
}

impl Incremental {
    /// State for the site described by `options`; nothing is built yet.
    pub fn new(options: BuildOptions) -> Self {
        Incremental {
            options,
            config: None,
            theme: None,
            templates: None,
            files: Files::default(),
            analyzer: Analyzer::default(),
            shards: ShardCache::default(),
            site: None,
            search: Vec::new(),
            outputs: Outputs::new(),
            lookups: HashMap::new(),
            written_by: HashMap::new(),
            verify: std::env::var_os("ROLEBOOK_SERVE_VERIFY").is_some(),
            defer_index: false,
            deferred: None,
            progress: crate::progress::Reporter::default(),
        }
    }

    /// Apply an edit: a full build the first time or after a config change,
    /// a full render after theme changes, an incremental one otherwise.
    pub fn apply(&mut self, edit: &Edit) -> Result<Update, Failure> {
        let first = self.apply_first(edit)?;
        Ok(match self.finish()? {
            Some(index) => Update {
                changed: first.changed.into_iter().chain(index.changed).collect(),
                rendered_jobs: first.rendered_jobs + index.rendered_jobs,
                ..index
            },
            None => first,
        })
    }

    /// [`Incremental::apply`] but for the search index, which
    /// [`Incremental::finish`] renders next: `serve` publishes the edited
    /// pages first (at 10,000 pages the index takes most of a rebuild).
    pub fn apply_first(&mut self, edit: &Edit) -> Result<Update, Failure> {
        self.finish()?;
        self.defer_index = true;
        let update = self.apply_now(edit);
        self.defer_index = false;
        update
    }

    fn apply_now(&mut self, edit: &Edit) -> Result<Update, Failure> {
        if edit.config || self.config.is_none() {
            return self.full();
        }
        if edit.theme {
            self.theme = Some(Theme::load(&self.options.root, self.config())?);
            self.templates = None;
        }
        if edit.content.is_empty() {
            return self.render_all();
        }
        if !edit.theme
            && let Some(update) = self.body_edit(&edit.content)
        {
            return update;
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
            .get(&crate::content::page_content_path(file, &site.config))
            .map(|&id| site.entries[id].url.clone())
    }

    /// Where the site's symlinks may point (the default before the first load).
    pub fn symlinks(&self) -> crate::config::Symlinks {
        self.config.as_ref().map(|c| c.symlinks).unwrap_or_default()
    }

    /// The base path of the site (`/` or `/kb/`).
    pub fn base_path(&self) -> String {
        self.config
            .as_ref()
            .map_or_else(|| "/".to_string(), |c| c.base_path().to_string())
    }

    fn config(&self) -> &Config {
        self.config.as_deref().expect("config is loaded before use")
    }

    /// Load everything and render every job.
    pub fn full(&mut self) -> Result<Update, Failure> {
        let mut config = Config::load(&self.options.root)?;
        if let Some(url) = &self.options.base_url {
            config.set_base_url(url)?;
        }
        let theme = Theme::load(&self.options.root, &config)?;
        let analyzer = &self.analyzer;
        let process = |page| process(page, &config, analyzer);
        let files = Files::load(
            &self.options.root,
            &config,
            &process,
            &self.options.progress,
        );
        self.config = Some(Arc::new(config));
        self.theme = Some(theme);
        self.templates = None;
        self.files = files;
        self.site = None;
        self.search.clear();
        let (site, search) = self.resolve()?;
        self.site = Some(Arc::new(site));
        self.search = search;
        if self.outputs.is_empty() {
            self.progress = self.options.progress.clone();
        }
        let update = self.render_all();
        self.progress = crate::progress::Reporter::default();
        update
    }

    /// Hand the pages of the current site back to `files`.
    fn return_site(&mut self) -> Result<(), ()> {
        let Some(site) = self.site.take() else {
            return Ok(());
        };
        let search = std::mem::take(&mut self.search);
        let site = Arc::try_unwrap(site).map_err(|_| ())?;
        self.restore(site, search);
        Ok(())
    }

    fn restore(&mut self, site: Site, search: Vec<Document>) {
        let pages = site
            .into_pages()
            .zip(search)
            .map(|((page, rendered), search)| Loaded {
                page,
                rendered,
                search,
            });
        self.files.restore(pages);
    }

    /// Resolve the pages in `files` into a site; on errors, the pages go back.
    fn resolve(&mut self) -> Result<(Site, Vec<Document>), Failure> {
        let _step = tracing::debug_span!("resolve").entered();
        let config = self.config.clone().expect("config is loaded before use");
        let mut content = self.files.take_content(self.options.drafts);
        let mut problems = std::mem::take(&mut content.problems);
        let (mut site, search) = resolve::resolve(
            &self.options.root,
            config,
            content,
            today(&self.options),
            &mut problems,
        );
        if let Some(theme) = &self.theme {
            let cache = crate::images::Cache::of_site(&self.options.root);
            crate::site::after_resolve(&mut site, theme, &cache, &mut problems);
        }
        match Failure::check(problems) {
            Ok(_) => Ok((site, search)),
            Err(failure) => {
                self.restore(site, search);
                Err(failure)
            }
        }
    }

    /// Reload changed files, resolve, and re-render what depends on them.
    fn content_edit(
        &mut self,
        changed: &BTreeSet<PathBuf>,
        theme_changed: bool,
    ) -> Result<Update, Failure> {
        let Some(old_site) = self.site.clone() else {
            return self.full();
        };
        let candidates: BTreeSet<PathBuf> = changed
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .cloned()
            .collect();
        let before = Shape::of(&old_site, &candidates);
        drop(old_site);
        if self.return_site().is_err() {
            return self.full();
        }
        let reloaded = self.reload(changed);
        let (site, search) = self.resolve()?;
        let site = Arc::new(site);
        self.search = search;
        if theme_changed || before.global != global_fingerprint(&site) {
            self.site = Some(site);
            return self.render_all();
        }
        // Pages pointing at a page whose URL changed: their links are
        // filled in at render time, so they are rendered again, not read.
        let relinked = stale_links(&site, &before, &reloaded);
        let affected = Affected::find(&site, &before, &reloaded, changed, &relinked, &self.lookups);
        self.site = Some(site);
        self.render(|job| affected.contains(job))
    }

    fn reload(&mut self, changed: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
        let _step = tracing::debug_span!("reload files").entered();
        let root = self.options.root.clone();
        let config = self.config.clone().expect("config is loaded before use");
        let analyzer = &self.analyzer;
        self.files.update(&root, &config, changed, &|page| {
            process(page, &config, analyzer)
        })
    }

    /// The common case, made fast: the edit changed only the bodies of
    /// existing pages (their front matter text is the same), so URLs,
    /// sections, taxonomies and role data stay as they are. The pages are
    /// replaced in place; `None` when the edit needs the full path (or when
    /// it has errors, which the full path reports).
    fn body_edit(&mut self, changed: &BTreeSet<PathBuf>) -> Option<Result<Update, Failure>> {
        let step = tracing::debug_span!("reload bodies").entered();
        let root = self.options.root.clone();
        let config = self.config.clone()?;
        let broken: Vec<String> = self
            .files
            .unreadable
            .iter()
            .map(|p| content_path(p))
            .collect();
        let analyzer = &self.analyzer;
        let site = Arc::get_mut(self.site.as_mut()?)?;
        let mut edits = Vec::new();
        for path in changed {
            let path_in_content = crate::content::page_content_path(path, &config);
            let &id = site.by_path.get(&path_in_content)?;
            // Translations inherit from their originals and follow their
            // bodies (`translation_of_hash:`): the full path resolves them.
            if !site.entries[id].translations.is_empty() {
                return None;
            }
            if path.extension().is_none_or(|e| e != "md") || !root.join(path).is_file() {
                return None;
            }
            let kind = inherited_kind(site, &path_in_content);
            let parsed =
                crate::content::load_file(&root, path, path_in_content, kind, &config).ok()?;
            let clean = parsed.problems.is_empty();
            if parsed.page.front_hash != site.entries[id].page.front_hash || !clean {
                return None;
            }
            let (mut loaded, errors) = process(parsed.page, &config, analyzer);
            let targets = Targets::new(&site.by_path, &site.assets, &broken);
            let (links, page_links, errors_of_links) = targets.of(&loaded.rendered);
            if !errors.is_empty() || !errors_of_links.is_empty() {
                return None;
            }
            loaded.rendered.page_links = page_links;
            edits.push((id, loaded, links));
        }
        if !anchors_hold(site, &edits) {
            return None;
        }
        drop(step);
        let before: Vec<(PageId, u64)> = edits
            .iter()
            .map(|(id, _, _)| (*id, fingerprint(site, *id)))
            .collect();
        let sections_edited = edits
            .iter()
            .any(|(id, _, _)| site.entries[*id].page.is_section);
        let global = sections_edited.then(|| global_fingerprint(site));
        for (id, loaded, links) in edits {
            let entry = &mut site.entries[id];
            entry.page = loaded.page;
            entry.rendered = loaded.rendered;
            entry.links = links;
            entry.excerpt = crate::render::context::excerpt(&entry.page, &entry.rendered);
            entry.section_summary = std::sync::OnceLock::new();
            self.search[id] = loaded.search;
        }
        if global.is_some_and(|g| g != global_fingerprint(site)) {
            return Some(self.render_all());
        }
        let affected = Affected::for_bodies(site, &before, &self.lookups);
        Some(self.render(|job| affected.contains(job)))
    }

    /// Render every job.
    fn render_all(&mut self) -> Result<Update, Failure> {
        self.render(|_| true)
    }

    /// Render the jobs `select` picks; keep the other outputs as they were.
    /// With [`Incremental::apply_first`], the search index jobs wait for
    /// [`Incremental::finish`].
    fn render(&mut self, select: impl Fn(&Job) -> bool + Sync) -> Result<Update, Failure> {
        let site = self
            .site
            .clone()
            .expect("a site is loaded before rendering");
        let theme = self
            .theme
            .clone()
            .expect("a theme is loaded before rendering");
        let step = tracing::debug_span!("templates").entered();
        let renderer = Renderer::with(self.templates(&theme)?, &site, today(&self.options))?;
        drop(step);
        let (jobs, errors) = jobs::list(&site, &theme);
        if !errors.is_empty() {
            return Err(Failure::from(errors));
        }
        let chosen: Vec<&Job> = jobs
            .iter()
            .filter(|j| {
                select(j)
                    || !self.outputs.contains_key(&j.output)
                        && !matches!(j.kind, JobKind::SearchIndex(_))
            })
            .collect();
        let is_index = |j: &&Job| matches!(j.kind, JobKind::SearchIndex(_));
        let (now, later): (Vec<&Job>, Vec<&Job>) =
            if self.defer_index && chosen.iter().any(|j| !is_index(j)) {
                chosen.iter().partition(|j| !is_index(j))
            } else {
                (chosen, Vec::new())
            };
        let update = self.run(&now, &jobs, &site, &renderer)?;
        if later.is_empty() {
            self.verify(&jobs, &site, &renderer, update.rendered_jobs);
            return Ok(update);
        }
        self.deferred = Some(Deferred {
            later: later.into_iter().cloned().collect(),
            jobs,
            renderer,
        });
        Ok(update)
    }

    /// The theme compiled: the kept one unless the theme, the config or
    /// the day changed since.
    fn templates(&mut self, theme: &Theme) -> Result<Arc<Templates>, Failure> {
        let today = today(&self.options);
        if let Some(kept) = &self.templates
            && kept.is_of_day(&today)
        {
            return Ok(kept.clone());
        }
        let templates = Templates::compile(theme, self.config(), today)?;
        self.templates = Some(templates.clone());
        Ok(templates)
    }

    /// Render the search index jobs that [`Incremental::apply_first`] left
    /// for later; `None` when there were none.
    pub fn finish(&mut self) -> Result<Option<Update>, Failure> {
        let Some(deferred) = self.deferred.take() else {
            return Ok(None);
        };
        let site = self
            .site
            .clone()
            .expect("a site is loaded before rendering");
        let later: Vec<&Job> = deferred.later.iter().collect();
        let update = self.run(&later, &deferred.jobs, &site, &deferred.renderer)?;
        self.verify(&deferred.jobs, &site, &deferred.renderer, 0);
        Ok(Some(update))
    }

    /// Run `chosen` (of all `jobs`) and put what they wrote in the outputs.
    fn run(
        &mut self,
        chosen: &[&Job],
        jobs: &[Job],
        site: &Arc<Site>,
        renderer: &Renderer,
    ) -> Result<Update, Failure> {
        let outputs_of_jobs: HashSet<&str> = jobs.iter().map(|j| j.output.as_str()).collect();
        let step = tracing::debug_span!("jobs", count = chosen.len()).entered();
        let sink = MemorySink::default();
        let results = jobs::run(chosen, &self.inputs(site, renderer), &sink);
        let mut written = sink.into_files();
        drop(step);
        let mut new_outputs = self.outputs.clone();
        let multi: HashSet<&str> = self
            .written_by
            .iter()
            .filter(|(job, _)| outputs_of_jobs.contains(job.as_str()))
            .flat_map(|(_, files)| files.iter().map(String::as_str))
            .collect();
        let gone: Vec<String> = new_outputs
            .keys()
            .filter(|path| {
                !outputs_of_jobs.contains(path.as_str()) && !multi.contains(path.as_str())
            })
            .cloned()
            .collect();
        for path in gone {
            new_outputs.remove(&path);
        }
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok(ran) => {
                    if ran.files.len() != 1 || ran.files[0] != ran.output {
                        for old in self.written_by.remove(&ran.output).unwrap_or_default() {
                            new_outputs.remove(&old);
                        }
                        self.written_by
                            .insert(ran.output.clone(), ran.files.clone());
                    }
                    let looked_up = ran
                        .lookups
                        .iter()
                        .map(|&id| site.entries[id].page.content_path.clone())
                        .collect();
                    self.lookups.insert(ran.output, looked_up);
                    for path in ran.files {
                        if let Some(bytes) = written.remove(&path) {
                            new_outputs.insert(path, bytes);
                        }
                    }
                }
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            return Err(Failure::from(errors));
        }
        let changed = changed_paths(&self.outputs, &new_outputs);
        self.outputs = new_outputs;
        Ok(Update {
            outputs: Arc::new(self.outputs.clone()),
            changed,
            rendered_jobs: chosen.len(),
            pages: site.entries.len(),
        })
    }

    /// What the jobs of a render read.
    fn inputs<'a>(&'a self, site: &'a Site, renderer: &'a Renderer) -> Inputs<'a> {
        Inputs {
            site,
            renderer,
            search: &self.search,
            analyzer: &self.analyzer,
            shards: Some(&self.shards),
            progress: &self.progress,
        }
    }

    /// Test aid (`ROLEBOOK_SERVE_VERIFY`): unless this render was a full one
    /// (`rendered` is every job), render everything again and report any
    /// output the incremental render got wrong.
    fn verify(&self, jobs: &[Job], site: &Site, renderer: &Renderer, rendered: usize) {
        if !self.verify || rendered >= jobs.len() {
            return;
        }
        let all: Vec<&Job> = jobs.iter().collect();
        let sink = MemorySink::default();
        let results = jobs::run(&all, &self.inputs(site, renderer), &sink);
        if results.iter().any(Result::is_err) {
            eprintln!("incremental rebuild differs from a full rebuild: the full one failed");
            return;
        }
        let full: Outputs = sink.into_files().into_iter().collect();
        let differing = changed_paths(&self.outputs, &full);
        if !differing.is_empty() {
            eprintln!(
                "incremental rebuild differs from a full rebuild: {}",
                differing.join(", ")
            );
        }
    }
}

/// Paths whose bytes differ between two output sets (added and removed included).
pub fn changed_paths(old: &Outputs, new: &Outputs) -> Vec<String> {
    use imbl::ordmap::DiffItem;
    old.diff(new)
        .filter_map(|item| match item {
            DiffItem::Add(path, _) | DiffItem::Remove(path, _) => Some(path.clone()),
            DiffItem::Update { old, new } => (old.1 != new.1).then(|| new.0.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(files: &[(&str, &str)]) -> Outputs {
        files
            .iter()
            .map(|(k, v)| {
                let stored = crate::site::write::Stored::new(k, v.as_bytes().to_vec());
                (k.to_string(), Arc::new(stored))
            })
            .collect()
    }

    /// A content edit renders with the templates compiled before; a theme
    /// edit compiles them again (and its change shows).
    #[test]
    fn templates_are_kept_across_content_edits_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "rolebook.yaml",
            "title: Т\nbase_url: https://example.org/\nlanguage: ru\n",
        );
        write("content/_index.md", "---\ntitle: Главная\n---\n");
        write("content/a.md", "---\ntitle: Альфа\n---\nТекст.\n");
        let mut state = Incremental::new(BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        });
        state.full().unwrap_or_else(|f| panic!("{:?}", f.errors));
        let first = state.templates.clone().expect("compiled by the build");
        write("content/a.md", "---\ntitle: Альфа\n---\nДругой текст.\n");
        let content = Edit {
            content: [PathBuf::from("content/a.md")].into(),
            ..Edit::default()
        };
        state
            .apply(&content)
            .unwrap_or_else(|f| panic!("{:?}", f.errors));
        assert!(Arc::ptr_eq(&first, state.templates.as_ref().unwrap()));
        write(
            "templates/page.html",
            "<p>{{ page.title }} из шаблона сайта</p>",
        );
        let theme = Edit {
            theme: true,
            ..Edit::default()
        };
        let update = state
            .apply(&theme)
            .unwrap_or_else(|f| panic!("{:?}", f.errors));
        assert!(!Arc::ptr_eq(&first, state.templates.as_ref().unwrap()));
        let page = String::from_utf8_lossy(&update.outputs["a/index.html"].bytes()).into_owned();
        assert!(page.contains("шаблона сайта"), "{page}");
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
