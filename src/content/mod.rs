//! Loading: walk `content/`, read every file once, parse every front matter,
//! and collect all errors instead of stopping at the first.

pub mod front_matter;
pub mod page;
pub mod source;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Location};
use front_matter::{KeyPath, ParseContext, Split, SplitError};
use page::{FrontMatter, Kind, Page, SectionSettings, parse_date};
use source::SourceFile;

/// A page read, parsed and rendered to HTML (links still placeholders).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The page (its Markdown body already rendered and dropped).
    pub page: Page,
    /// The rendered body.
    pub rendered: crate::markdown::Rendered,
    /// What the search index needs from the page.
    pub search: crate::search::Document,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Sections (`_index.md`) and pages, sorted by path.
    pub pages: Vec<Loaded>,
    /// Non-Markdown files, relative to the site root.
    pub assets: Vec<PathBuf>,
    /// Errors of every file.
    pub errors: Vec<Error>,
    /// Warnings (e.g. unknown keys under `unknown_front_matter: warn`).
    pub warnings: Vec<Error>,
    /// Content paths of Markdown files that could not be read at all (links
    /// to them are not reported again). A file with front matter errors is a
    /// page all the same, with what did parse.
    pub broken: Vec<String>,
}

/// Read and parse every content file of the site at `root`.
///
/// Sections are parsed first because their `page_kind` is the default kind
/// of the pages below them. Drafts are dropped unless `drafts` is set (their
/// errors are still reported).
pub fn load(root: &Path, config: &Config, drafts: bool) -> Content {
    Files::load(root, config).take_content(drafts)
}

/// The outcome of loading each content file, kept by `serve` between edits
/// so that a change reloads only the files it touches.
#[derive(Debug, Default)]
pub struct Files {
    /// Pages loaded, by file path relative to the site root.
    pub loaded: BTreeMap<PathBuf, Loaded>,
    /// Errors by file: of pages that loaded with mistakes (they are in
    /// `loaded` too) and of files that could not be read (they are not).
    pub errors: BTreeMap<PathBuf, Vec<Error>>,
    /// Files that could not be read as text: no page, links to them are
    /// not reported again.
    pub unreadable: std::collections::BTreeSet<PathBuf>,
    /// Warnings, by file.
    pub warnings: BTreeMap<PathBuf, Vec<Error>>,
    /// Non-Markdown files.
    pub assets: std::collections::BTreeSet<PathBuf>,
    /// Errors of the folder walk (symlink loops, unreadable folders).
    pub walk_errors: Vec<Error>,
}

impl Files {
    /// Load every file under `root/content`.
    pub fn load(root: &Path, config: &Config) -> Files {
        let (found, walk_errors) = source::discover(root, config.symlinks);
        let mut files = Files {
            assets: found.assets.into_iter().collect(),
            walk_errors,
            ..Files::default()
        };
        let (sections, pages): (Vec<_>, Vec<_>) =
            found.markdown.into_iter().partition(|p| is_section_file(p));
        let results = parse_all(root, config, &sections, &BTreeMap::new());
        files.record(sections, results);
        let kinds = files.page_kinds();
        let results = parse_all(root, config, &pages, &kinds);
        files.record(pages, results);
        files
    }

    fn record(&mut self, paths: Vec<PathBuf>, results: Vec<LoadResult>) {
        for (path, result) in paths.into_iter().zip(results) {
            self.forget(&path);
            match result {
                Ok(file) => {
                    if !file.warnings.is_empty() {
                        self.warnings.insert(path.clone(), file.warnings);
                    }
                    if !file.errors.is_empty() {
                        self.errors.insert(path.clone(), file.errors);
                    }
                    self.loaded.insert(path, file.loaded);
                }
                Err(errors) => {
                    self.unreadable.insert(path.clone());
                    self.errors.insert(path, errors);
                }
            }
        }
    }

    fn forget(&mut self, path: &Path) {
        self.loaded.remove(path);
        self.errors.remove(path);
        self.warnings.remove(path);
        self.unreadable.remove(path);
    }

    /// The `page_kind` each section folder hands down.
    fn page_kinds(&self) -> BTreeMap<String, Kind> {
        let mut kinds = BTreeMap::new();
        for loaded in self.loaded.values().filter(|l| l.page.is_section) {
            let page = &loaded.page;
            let course_default = (page.front.kind == Kind::Course).then_some(Kind::Chapter);
            if let Some(kind) = page.front.section.page_kind.or(course_default) {
                kinds.insert(page.folder().to_string(), kind);
            }
        }
        kinds
    }

    /// Reload the changed files (paths relative to the root); returns the
    /// Markdown files that were reloaded. When a section's kinds change, the
    /// pages below it are reloaded too (their default kind may differ).
    pub fn update(
        &mut self,
        root: &Path,
        config: &Config,
        changed: &std::collections::BTreeSet<PathBuf>,
    ) -> std::collections::BTreeSet<PathBuf> {
        let before = self.page_kinds();
        let (sections, others): (Vec<&PathBuf>, Vec<&PathBuf>) =
            changed.iter().partition(|p| is_section_file(p));
        self.reload(
            root,
            config,
            sections.into_iter().cloned().collect(),
            &before,
        );
        let after = self.page_kinds();
        let mut pages: std::collections::BTreeSet<PathBuf> = others
            .into_iter()
            .filter(|p| is_markdown(p))
            .cloned()
            .collect();
        if before != after {
            let moved: Vec<&String> = before
                .keys()
                .chain(after.keys())
                .filter(|k| before.get(*k) != after.get(*k))
                .collect();
            let below = |p: &PathBuf| {
                moved.iter().any(|folder| {
                    content_relative(p).starts_with(&format!("{folder}/")) || folder.is_empty()
                })
            };
            pages.extend(
                self.loaded
                    .keys()
                    .chain(&self.unreadable)
                    .filter(|p| !is_section_file(p) && below(p))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
        self.reload(root, config, pages.iter().cloned().collect(), &after);
        for path in changed.iter().filter(|p| !is_markdown(p)) {
            self.assets.remove(path);
            self.errors.remove(path);
            if !root.join(path).is_file() {
                continue;
            }
            match source::check_inside(root, path, config.symlinks) {
                Ok(()) => {
                    self.assets.insert(path.clone());
                }
                Err(error) => {
                    self.errors.insert(path.clone(), vec![error]);
                }
            }
        }
        // Walk errors (a link out of the site, say) of files that changed
        // are found again, or not, by the reload above.
        self.walk_errors
            .retain(|e| e.location().is_none_or(|l| !changed.contains(&l.path)));
        changed
            .iter()
            .filter(|p| is_markdown(p))
            .cloned()
            .chain(pages)
            .collect()
    }

    fn reload(
        &mut self,
        root: &Path,
        config: &Config,
        paths: Vec<PathBuf>,
        kinds: &BTreeMap<String, Kind>,
    ) {
        let (present, gone): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.into_iter().partition(|p| root.join(p).is_file());
        for path in gone {
            self.forget(&path);
        }
        let (present, refused): (Vec<PathBuf>, Vec<PathBuf>) = present
            .into_iter()
            .partition(|p| source::check_inside(root, p, config.symlinks).is_ok());
        for path in refused {
            self.forget(&path);
            if let Err(error) = source::check_inside(root, &path, config.symlinks) {
                self.errors.insert(path, vec![error]);
            }
        }
        let results = parse_all(root, config, &present, kinds);
        self.record(present, results);
    }

    /// Move the pages out for a build (drafts stay unless `drafts`); the
    /// caller hands them back with [`Files::restore`] when it is done.
    pub fn take_content(&mut self, drafts: bool) -> Content {
        let keys: Vec<PathBuf> = self
            .loaded
            .iter()
            .filter(|(_, l)| drafts || !l.page.front.draft)
            .map(|(k, _)| k.clone())
            .collect();
        let mut pages: Vec<Loaded> = keys.iter().filter_map(|k| self.loaded.remove(k)).collect();
        pages.sort_by(|a, b| a.page.content_path.cmp(&b.page.content_path));
        let mut errors = self.walk_errors.clone();
        errors.extend(self.errors.values().flatten().cloned());
        let broken = self
            .unreadable
            .iter()
            .map(|p| content_relative(p))
            .collect();
        Content {
            pages,
            assets: self.assets.iter().cloned().collect(),
            errors,
            warnings: self.warnings.values().flatten().cloned().collect(),
            broken,
        }
    }

    /// Take pages back after a build.
    pub fn restore(&mut self, pages: impl IntoIterator<Item = Loaded>) {
        for loaded in pages {
            self.loaded.insert(loaded.page.file.clone(), loaded);
        }
    }
}

fn is_section_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "_index.md")
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

/// One content file read, parsed and rendered: the page with everything
/// that did parse, and every mistake in it.
#[derive(Debug)]
pub struct LoadedFile {
    /// The page (front matter keys that failed are left out).
    pub loaded: Loaded,
    /// Warnings (unknown keys under `warn`).
    pub warnings: Vec<Error>,
    /// Errors of the front matter, the kind's fields and the body's links.
    pub errors: Vec<Error>,
}

/// `Err` only for a file that cannot be read as text.
type LoadResult = Result<LoadedFile, Vec<Error>>;

fn parse_all(
    root: &Path,
    config: &Config,
    files: &[PathBuf],
    page_kinds: &BTreeMap<String, Kind>,
) -> Vec<LoadResult> {
    files
        .par_iter()
        .map(|path| {
            let content_path = content_relative(path);
            let default_kind = default_kind(&content_path, page_kinds);
            load_file(root, path, content_path, default_kind, config)
        })
        .collect()
}

/// Read, parse and render one content file. The source text is dropped as
/// soon as it is rendered, so a big site never holds all sources and all
/// HTML at once. A page with mistakes is returned with them: it still takes
/// part in the build, so pages that refer to it get no false errors.
pub fn load_file(
    root: &Path,
    path: &Path,
    content_path: String,
    default_kind: Kind,
    config: &Config,
) -> LoadResult {
    let source = source::read(root, path).map_err(|e| vec![e])?;
    let (mut page, warnings, mut errors) = parse_page(source, content_path, default_kind, config);
    let (mut rendered, link_errors) = crate::markdown::render(&crate::markdown::Source {
        file: &page.file,
        content_path: &page.content_path,
        body: &page.body,
        body_line: page.body_line,
        raw_html: config.markdown.raw_html,
    });
    page.body = String::new();
    errors.extend(link_errors);
    // Analysis is a third of the load stage's CPU: only when it is used.
    let search = if config.search_enabled() {
        crate::search::analyze(&page, &mut rendered)
    } else {
        rendered.text = String::new();
        crate::search::Document::default()
    };
    Ok(LoadedFile {
        loaded: Loaded {
            page,
            rendered,
            search,
        },
        warnings,
        errors,
    })
}

/// `content/roles/pm.md` → `roles/pm.md`.
fn content_relative(path: &Path) -> String {
    let rel = path.strip_prefix("content").unwrap_or(path);
    crate::error::display_path(rel)
}

/// The kind of the nearest enclosing section that sets one.
fn default_kind(content_path: &str, page_kinds: &BTreeMap<String, Kind>) -> Kind {
    let mut folder = content_path.rsplit_once('/').map_or("", |(f, _)| f);
    if content_path.ends_with("/_index.md") || content_path == "_index.md" {
        // A section's own kind is not inherited from itself.
        folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
        if content_path == "_index.md" {
            return Kind::Article;
        }
    }
    loop {
        if let Some(kind) = page_kinds.get(folder) {
            return *kind;
        }
        if folder.is_empty() {
            return Kind::Article;
        }
        folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
    }
}

/// Split, parse and check one file; the body is kept for Markdown rendering.
/// Returns the page with what did parse, its warnings and its errors.
fn parse_page(
    source: SourceFile,
    content_path: String,
    default_kind: Kind,
    config: &Config,
) -> (Page, Vec<Error>, Vec<Error>) {
    let SourceFile { path, mut text } = source;
    let is_section = content_path == "_index.md" || content_path.ends_with("/_index.md");
    let mut errors = Vec::new();
    let split = front_matter::split(&text).unwrap_or_else(|e| {
        // Without its front matter the page still exists: a body without a
        // fence is kept (its links are checked), an unclosed fence is not.
        let body = match e {
            SplitError::Missing => text.as_str(),
            SplitError::Unterminated(_) => "",
        };
        errors.push(split_error(&path, e));
        Split {
            format: front_matter::Format::Yaml,
            front: "",
            front_line: 1,
            body,
            body_line: 1,
        }
    });
    let ctx = ParseContext {
        path: &path,
        is_section,
        default_kind,
        taxonomies: &config.taxonomies,
        unknown_keys: config.unknown_front_matter,
    };
    let (mut parsed, parse_errors) = front_matter::parse(&split, &ctx);
    if !errors.is_empty() {
        parsed.failed.push("*".to_string());
    }
    errors.extend(parse_errors);
    let warnings = std::mem::take(&mut parsed.warnings);
    let front = check_front_matter(parsed, &split, &path, &content_path, &mut errors);
    let front_hash = xxhash_rust::xxh3::xxh3_64(split.front.as_bytes()) ^ (default_kind as u64);
    let body_line = split.body_line;
    let body_start = text.len() - split.body.len();
    let body_end = body_start + split.body.len();
    text.truncate(body_end);
    text.replace_range(..body_start, "");
    let page = Page {
        file: path,
        content_path,
        is_section,
        front,
        front_hash,
        body: text,
        body_line,
    };
    (page, warnings, errors)
}

fn split_error(path: &Path, error: SplitError) -> Error {
    match error {
        SplitError::Missing => Error::at(
            Location::at(path, 1, 1),
            "missing front matter: a page starts with a `---` block that has a `title`",
        )
        .with_hint("start the file with three lines: `---`, `title: Page title`, `---`"),
        SplitError::Unterminated(fence) => Error::at(
            Location::at(path, 1, 1),
            format!("front matter opened with `{fence}` is never closed"),
        )
        .with_hint(format!(
            "add a line with `{fence}` after the last front matter key"
        )),
    }
}

/// Checks serde cannot express: required title, date formats, empty slug,
/// kind rules. Errors go to `errors`; the front matter is returned with a
/// stand-in for what is wrong (the file name as title, no date), so the
/// page still resolves and nothing else reports the same mistake.
fn check_front_matter(
    parsed: front_matter::Parsed,
    split: &Split<'_>,
    path: &Path,
    content_path: &str,
    errors: &mut Vec<Error>,
) -> FrontMatter {
    let locate = |keys: &[KeyPath<'_>]| front_matter::key_location(split, path, keys);
    let title_failed = parsed.failed("title");
    let mut raw = parsed.raw;
    let title = raw.title.clone().unwrap_or_default();
    let title = if title.trim().is_empty() {
        if !title_failed {
            let location = if raw.title.is_some() {
                locate(&[KeyPath::Key("title")])
            } else {
                Location::at(path, split.front_line.saturating_sub(1).max(1), 1)
            };
            errors.push(
                Error::at(location, "missing `title`")
                    .with_hint("add `title: Page title` to the front matter"),
            );
        }
        fallback_title(content_path)
    } else {
        title
    };
    let mut date_of = |key: &'static str, text: &Option<page::DateText>| {
        let text = text.as_ref()?;
        let date = parse_date(&text.0);
        if date.is_none() {
            errors.push(
                Error::at(
                    locate(&[KeyPath::Key(key)]),
                    format!("`{key}` is not a date: `{}`", text.0),
                )
                .with_hint(format!("write `{key}: 2024-05-31` (year-month-day)")),
            );
        }
        date
    };
    let date = date_of("date", &raw.date);
    let updated = date_of("updated", &raw.updated);
    if let Some(slug) = &raw.slug
        && crate::slug::slugify(slug).is_empty()
    {
        errors.push(
            Error::at(
                locate(&[KeyPath::Key("slug")]),
                "`slug` is empty after cleaning",
            )
            .with_hint("use letters or digits, e.g. `slug: account-manager`"),
        );
        raw.slug = None;
    }
    check_aliases(&mut raw, &locate, errors);
    errors.extend(crate::kb::check_fields(
        &raw,
        parsed.kind,
        &parsed.failed,
        &locate,
    ));
    // Fields with a typed home move there; `raw` keeps only the kind data.
    let mut extra = raw.extra.take().unwrap_or_default();
    for (key, value) in parsed.unknown {
        extra.entry(key).or_insert(value);
    }
    FrontMatter {
        title,
        description: raw.description.take(),
        date,
        updated,
        draft: raw.draft.unwrap_or(false),
        slug: raw.slug.take(),
        weight: raw.weight,
        tags: raw.tags.take().unwrap_or_default(),
        aliases: raw.aliases.take().unwrap_or_default(),
        template: raw.template.take(),
        kind: parsed.kind,
        extra: page::Extra(tera::Value::from_serializable(&extra)),
        lint_allow: raw.lint.take().map(|l| l.allow).unwrap_or_default(),
        taxonomies: parsed.taxonomies,
        section: SectionSettings {
            sort_by: raw.sort_by.unwrap_or_default(),
            paginate_by: raw.paginate_by,
            page_kind: raw.page_kind,
        },
        refs: crate::kb::references(&raw, parsed.kind, &locate),
        raw: Box::new(raw),
    }
}

/// An alias is an old path of this site: each one that would write outside
/// the output folder, or is not a path at all, is an error at its line (and
/// is dropped, so nothing tries to write it).
fn check_aliases(
    raw: &mut page::RawFrontMatter,
    locate: &dyn Fn(&[KeyPath<'_>]) -> Location,
    errors: &mut Vec<Error>,
) {
    let Some(aliases) = raw.aliases.as_mut() else {
        return;
    };
    let mut index = 0;
    aliases.retain(|alias| {
        let problem = alias_problem(alias);
        if let Some(problem) = problem {
            let at = locate(&[KeyPath::Key("aliases"), KeyPath::Index(index)]);
            errors.push(
                Error::at(at, format!("alias `{alias}` {problem}")).with_hint(
                    "write the old address as a path of this site, e.g. `/old/account-manager/`",
                ),
            );
        }
        index += 1;
        problem.is_none()
    });
}

fn alias_problem(alias: &str) -> Option<&'static str> {
    let path = alias.trim();
    if path.is_empty() || path.trim_matches('/').is_empty() {
        return Some("is empty (it would replace the home page)");
    }
    if path.contains("://") || path.starts_with("//") {
        return Some("is a URL, not a path of this site");
    }
    if path.contains(['?', '#', '\\']) || path.chars().any(char::is_control) {
        return Some("has a character a file path cannot have (`?`, `#`, `\\`)");
    }
    if path.split('/').any(|segment| segment == "..") {
        return Some("climbs out of the site with `..`");
    }
    None
}

/// The title of a page whose own is missing: its file (or folder) name.
fn fallback_title(content_path: &str) -> String {
    let path = content_path
        .trim_end_matches(".md")
        .trim_end_matches("/_index")
        .trim_end_matches("/index");
    path.rsplit('/').next().unwrap_or(path).to_string()
}

#[cfg(test)]
mod tests;
