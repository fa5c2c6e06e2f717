//! Content: walk `content/`, read every file once, parse every front matter,
//! and collect every error instead of stopping at the first. Produces pages
//! and nothing else: what the caller makes of a page (the build renders its
//! Markdown and analyses it for search) runs in the same parallel pass, as a
//! function handed to [`Files::load`], so a big site never holds all sources
//! and all HTML at once.
//!
//! [`Files`] is also the cache `serve` keeps between edits: a change reloads
//! only the files it touches (and the pages whose inherited kind moves).

pub mod front_matter;
pub mod kinds;
pub mod page;
mod parse;
pub mod quiz;
pub mod source;
pub mod title;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::Error;
use crate::progress::Reporter;
use page::{Kind, Page};
pub use parse::{content_path, default_kind, is_section_path, page_content_path, split_language};

/// What the cache keeps of a page: anything that holds it.
pub trait HasPage {
    /// The page.
    fn page(&self) -> &Page;
}

impl HasPage for Page {
    fn page(&self) -> &Page {
        self
    }
}

/// Everything taken out of the cache for one build.
#[derive(Debug)]
pub struct Content<T> {
    /// Sections (`_index.md`) and pages, sorted by content path.
    pub pages: Vec<T>,
    /// Non-Markdown files, relative to the site root.
    pub assets: Vec<PathBuf>,
    /// Errors and warnings of every file and of the folder walk (a warning
    /// is an unknown key under `unknown_front_matter: warn`).
    pub problems: Vec<Error>,
    /// Content paths of Markdown files that could not be read at all (links
    /// to them are not reported again). A file with front matter errors is a
    /// page all the same, with what did parse.
    pub broken: Vec<String>,
}

/// Read and parse every content file of the site at `root`, turning each
/// page into `T` with `process` in the same parallel pass. Drafts are left
/// out unless `drafts` is set (their errors are still reported).
pub fn load<T, F>(
    root: &Path,
    config: &Config,
    drafts: bool,
    process: &F,
    progress: &Reporter,
) -> Content<T>
where
    T: HasPage + Send,
    F: Fn(Page) -> (T, Vec<Error>) + Sync,
{
    Files::load(root, config, process, progress).take_content(drafts)
}

/// The outcome of loading each content file, kept by `serve` between edits.
#[derive(Debug)]
pub struct Files<T> {
    /// Pages loaded, by file path relative to the site root.
    pub loaded: BTreeMap<PathBuf, T>,
    /// Errors and warnings by file: of pages that loaded with mistakes (they
    /// are in `loaded` too) and of files that could not be read (they are not).
    pub problems: BTreeMap<PathBuf, Vec<Error>>,
    /// Files that could not be read as text: no page.
    pub unreadable: BTreeSet<PathBuf>,
    /// Non-Markdown files.
    pub assets: BTreeSet<PathBuf>,
    /// Errors of the folder walk (symlink loops, links out of the site).
    pub walk_errors: Vec<Error>,
}

impl<T> Default for Files<T> {
    fn default() -> Self {
        Files {
            loaded: BTreeMap::new(),
            problems: BTreeMap::new(),
            unreadable: BTreeSet::new(),
            assets: BTreeSet::new(),
            walk_errors: Vec::new(),
        }
    }
}

/// One file read and parsed (then processed), with its problems: `Err` only
/// for a file that cannot be read as text.
type FileResult<T> = Result<(T, Vec<Error>), Vec<Error>>;

impl<T: HasPage + Send> Files<T> {
    /// Load every file under `root/content`. Sections come first: their
    /// `page_kind` is the default kind of the pages below them.
    pub fn load<F>(root: &Path, config: &Config, process: &F, progress: &Reporter) -> Files<T>
    where
        F: Fn(Page) -> (T, Vec<Error>) + Sync,
    {
        let (found, walk_errors) = source::discover(root, config.symlinks);
        let mut files = Files {
            assets: found.assets.into_iter().collect(),
            walk_errors,
            ..Files::default()
        };
        let (sections, pages): (Vec<_>, Vec<_>) = found
            .markdown
            .into_iter()
            .partition(|p| is_section_page(p, config));
        let total = sections.len() + pages.len();
        // Translations after their originals: a translation has its original's kind.
        let is_translation = |p: &PathBuf| {
            let path = page_content_path(p, config);
            split_language(&path, config).0 != path
        };
        let (sections, section_translations): (Vec<_>, Vec<_>) =
            sections.into_iter().partition(|p| !is_translation(p));
        let (pages, page_translations): (Vec<_>, Vec<_>) =
            pages.into_iter().partition(|p| !is_translation(p));
        progress.stage("loading", total, || {
            for batch in [sections, section_translations, pages, page_translations] {
                let kinds = files.page_kinds();
                let results = load_all(root, config, &batch, &kinds, process, progress);
                files.record(batch, results);
            }
        });
        files
    }

    fn record(&mut self, paths: Vec<PathBuf>, results: Vec<FileResult<T>>) {
        for (path, result) in paths.into_iter().zip(results) {
            self.forget(&path);
            match result {
                Ok((item, problems)) => {
                    if !problems.is_empty() {
                        self.problems.insert(path.clone(), problems);
                    }
                    self.loaded.insert(path, item);
                }
                Err(problems) => {
                    self.unreadable.insert(path.clone());
                    self.problems.insert(path, problems);
                }
            }
        }
    }

    fn forget(&mut self, path: &Path) {
        self.loaded.remove(path);
        self.problems.remove(path);
        self.unreadable.remove(path);
    }

    /// The `page_kind` each section folder hands down (a course's pages are
    /// chapters).
    pub fn page_kinds(&self) -> BTreeMap<String, Kind> {
        section_kinds(self.loaded.values().map(HasPage::page))
    }

    /// Reload the changed files (paths relative to the root); returns the
    /// Markdown files that were reloaded. When a section's kinds change, the
    /// pages below it are reloaded too (their default kind may differ).
    pub fn update<F>(
        &mut self,
        root: &Path,
        config: &Config,
        changed: &BTreeSet<PathBuf>,
        process: &F,
    ) -> BTreeSet<PathBuf>
    where
        F: Fn(Page) -> (T, Vec<Error>) + Sync,
    {
        let before = self.page_kinds();
        let (sections, others): (Vec<&PathBuf>, Vec<&PathBuf>) =
            changed.iter().partition(|p| is_section_page(p, config));
        self.reload(
            root,
            config,
            sections.into_iter().cloned().collect(),
            &before,
            process,
        );
        let after = self.page_kinds();
        let mut pages: BTreeSet<PathBuf> = others
            .into_iter()
            .filter(|p| is_markdown(p))
            .cloned()
            .collect();
        if before != after {
            pages.extend(self.pages_below_moved_kinds(&before, &after, config));
        }
        self.reload(
            root,
            config,
            pages.iter().cloned().collect(),
            &after,
            process,
        );
        self.update_assets(root, config, changed);
        changed
            .iter()
            .filter(|p| is_markdown(p))
            .cloned()
            .chain(pages)
            .collect()
    }

    /// The pages below the sections whose handed-down kind changed.
    fn pages_below_moved_kinds(
        &self,
        before: &BTreeMap<String, Kind>,
        after: &BTreeMap<String, Kind>,
        config: &Config,
    ) -> Vec<PathBuf> {
        let moved: Vec<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        let below = |p: &PathBuf| {
            moved.iter().any(|folder| {
                content_path(p).starts_with(&format!("{folder}/")) || folder.is_empty()
            })
        };
        self.loaded
            .keys()
            .chain(&self.unreadable)
            .filter(|p| !is_section_page(p, config) && below(p))
            .cloned()
            .collect()
    }

    fn update_assets(&mut self, root: &Path, config: &Config, changed: &BTreeSet<PathBuf>) {
        for path in changed.iter().filter(|p| !is_markdown(p)) {
            self.assets.remove(path);
            self.problems.remove(path);
            if !root.join(path).is_file() {
                continue;
            }
            match source::check_inside(root, path, config.symlinks) {
                Ok(()) => {
                    self.assets.insert(path.clone());
                }
                Err(error) => {
                    self.problems.insert(path.clone(), vec![error]);
                }
            }
        }
        // Walk errors (a link out of the site, say) of files that changed
        // are found again, or not, by the reload.
        self.walk_errors
            .retain(|e| e.location().is_none_or(|l| !changed.contains(&l.path)));
    }

    fn reload<F>(
        &mut self,
        root: &Path,
        config: &Config,
        paths: Vec<PathBuf>,
        kinds: &BTreeMap<String, Kind>,
        process: &F,
    ) where
        F: Fn(Page) -> (T, Vec<Error>) + Sync,
    {
        let (present, gone): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.into_iter().partition(|p| root.join(p).is_file());
        for path in gone {
            self.forget(&path);
        }
        let mut inside = Vec::with_capacity(present.len());
        for path in present {
            match source::check_inside(root, &path, config.symlinks) {
                Ok(()) => inside.push(path),
                Err(error) => {
                    self.forget(&path);
                    self.problems.insert(path, vec![error]);
                }
            }
        }
        let results = load_all(root, config, &inside, kinds, process, &Reporter::default());
        self.record(inside, results);
    }

    /// Move the pages out for a build (drafts stay unless `drafts`); the
    /// caller hands them back with [`Files::restore`] when it is done.
    pub fn take_content(&mut self, drafts: bool) -> Content<T> {
        let keys: Vec<PathBuf> = self
            .loaded
            .iter()
            .filter(|(_, l)| drafts || !l.page().front.draft)
            .map(|(k, _)| k.clone())
            .collect();
        let mut pages: Vec<T> = keys.iter().filter_map(|k| self.loaded.remove(k)).collect();
        pages.sort_by(|a, b| a.page().content_path.cmp(&b.page().content_path));
        let mut problems = self.walk_errors.clone();
        problems.extend(self.problems.values().flatten().cloned());
        Content {
            pages,
            assets: self.assets.iter().cloned().collect(),
            problems,
            broken: self.unreadable.iter().map(|p| content_path(p)).collect(),
        }
    }

    /// Take pages back after a build; a file reloaded or found unreadable
    /// meanwhile keeps its newer state.
    pub fn restore(&mut self, pages: impl IntoIterator<Item = T>) {
        for item in pages {
            let file = item.page().file.clone();
            if !self.loaded.contains_key(&file) && !self.unreadable.contains(&file) {
                self.loaded.insert(file, item);
            }
        }
    }
}

/// The kind each section folder hands down to the pages below it: its
/// `page_kind`, or `chapter` below a course. Pages of the default language
/// that write their `kind:` are in the map too, by file (`roles/x.md`): a
/// translation has its original's kind.
pub fn section_kinds<'a>(pages: impl Iterator<Item = &'a Page>) -> BTreeMap<String, Kind> {
    let mut kinds = BTreeMap::new();
    // Translations hand down nothing: their originals do.
    for page in pages.filter(|p| p.key == p.content_path) {
        if page.front.kind_location.is_some() {
            kinds.insert(page.key.clone(), page.front.kind);
        }
        if !page.is_section {
            continue;
        }
        let course_default = (page.front.kind == Kind::Course).then_some(Kind::Chapter);
        if let Some(kind) = page.front.section.page_kind.or(course_default) {
            kinds.insert(page.folder().to_string(), kind);
        }
    }
    kinds
}

/// A section's file: `_index.md` and its translations, and with
/// `index_pages: section` a folder's `index.md`.
fn is_section_page(path: &Path, config: &Config) -> bool {
    is_section_file(path) || is_section_path(&page_content_path(path, config))
}

/// `_index.md` and its translations (`_index.en.md`).
fn is_section_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n == "_index.md"
            || (n.starts_with("_index.") && n.ends_with(".md") && n.matches('.').count() == 2)
    })
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

fn load_all<T, F>(
    root: &Path,
    config: &Config,
    files: &[PathBuf],
    page_kinds: &BTreeMap<String, Kind>,
    process: &F,
    progress: &Reporter,
) -> Vec<FileResult<T>>
where
    T: Send,
    F: Fn(Page) -> (T, Vec<Error>) + Sync,
{
    files
        .par_iter()
        .map(|path| {
            let result = load_one(root, config, path, page_kinds, process);
            progress.advance(1);
            result
        })
        .collect()
}

fn load_one<T, F>(
    root: &Path,
    config: &Config,
    path: &Path,
    page_kinds: &BTreeMap<String, Kind>,
    process: &F,
) -> FileResult<T>
where
    F: Fn(Page) -> (T, Vec<Error>) + Sync,
{
    let content_path = page_content_path(path, config);
    let (key, _) = split_language(&content_path, config);
    let default_kind = match page_kinds.get(&key) {
        Some(&kind) if key != content_path => kind,
        _ => default_kind(&content_path, page_kinds),
    };
    let parsed = load_file(root, path, content_path, default_kind, config)?;
    let (item, more) = process(parsed.page);
    let mut problems = parsed.problems;
    problems.extend(more);
    Ok((item, problems))
}

/// One content file read and parsed: the page with everything that did
/// parse (its body kept for the Markdown stage), and every mistake in it.
#[derive(Debug)]
pub struct ParsedFile {
    /// The page (front matter keys that failed are left out).
    pub page: Page,
    /// Errors of the front matter and the kind's fields, and warnings
    /// (unknown keys under `warn`).
    pub problems: Vec<Error>,
}

/// Read and parse one content file; `Err` only when it cannot be read as
/// text. A page with mistakes is returned with them: it still takes part in
/// the build, so pages that refer to it get no false errors.
pub fn load_file(
    root: &Path,
    path: &Path,
    content_path: String,
    default_kind: Kind,
    config: &Config,
) -> Result<ParsedFile, Vec<Error>> {
    let source = source::read(root, path).map_err(|e| vec![e])?;
    let (page, problems) = parse::parse_page(source, content_path, default_kind, config);
    Ok(ParsedFile { page, problems })
}

#[cfg(test)]
mod tests;
