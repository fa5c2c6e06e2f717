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
    /// Content paths of Markdown files that failed to load (links to them
    /// are not reported again).
    pub broken: Vec<String>,
}

/// Read and parse every content file of the site at `root`.
///
/// Sections are parsed first because their `page_kind` is the default kind
/// of the pages below them. Drafts are dropped unless `drafts` is set (their
/// errors are still reported).
pub fn load(root: &Path, config: &Config, drafts: bool) -> Content {
    let (files, mut errors) = source::discover(root);
    let (section_files, page_files): (Vec<_>, Vec<_>) = files
        .markdown
        .into_iter()
        .partition(|p| p.file_name().is_some_and(|n| n == "_index.md"));
    let sections = parse_all(root, config, &section_files, &BTreeMap::new());
    let page_kinds = section_page_kinds(&sections);
    let pages = parse_all(root, config, &page_files, &page_kinds);
    let mut content = Content {
        assets: files.assets,
        ..Content::default()
    };
    let all_files = section_files.iter().chain(&page_files);
    for (result, path) in sections.into_iter().chain(pages).zip(all_files) {
        if result.is_err() {
            content.broken.push(content_relative(path));
        }
        match result {
            Ok((loaded, warnings)) => {
                content.warnings.extend(warnings);
                if drafts || !loaded.page.front.draft {
                    content.pages.push(loaded);
                }
            }
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    content
        .pages
        .sort_by(|a, b| a.page.content_path.cmp(&b.page.content_path));
    content.errors = errors;
    content
}

type ParseResult = Result<(Page, Vec<Error>), Vec<Error>>;
type LoadResult = Result<(Loaded, Vec<Error>), Vec<Error>>;

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
/// HTML at once.
pub fn load_file(
    root: &Path,
    path: &Path,
    content_path: String,
    default_kind: Kind,
    config: &Config,
) -> LoadResult {
    let source = source::read(root, path).map_err(|e| vec![e])?;
    let (mut page, warnings) = parse_page(source, content_path, default_kind, config)?;
    let (mut rendered, errors) = crate::markdown::render(&crate::markdown::Source {
        file: &page.file,
        content_path: &page.content_path,
        body: &page.body,
        body_line: page.body_line,
    });
    page.body = String::new();
    if !errors.is_empty() {
        return Err(errors);
    }
    let search = crate::search::analyze(&page, &mut rendered);
    Ok((
        Loaded {
            page,
            rendered,
            search,
        },
        warnings,
    ))
}

/// `content/roles/pm.md` → `roles/pm.md`.
fn content_relative(path: &Path) -> String {
    let rel = path.strip_prefix("content").unwrap_or(path);
    crate::error::display_path(rel)
}

/// The `page_kind` each section folder hands down, keyed by folder (`roles`).
fn section_page_kinds(sections: &[LoadResult]) -> BTreeMap<String, Kind> {
    let mut kinds = BTreeMap::new();
    for (Loaded { page, .. }, _) in sections.iter().flatten() {
        let course_default = (page.front.kind == Kind::Course).then_some(Kind::Chapter);
        if let Some(kind) = page.front.section.page_kind.or(course_default) {
            kinds.insert(page.folder().to_string(), kind);
        }
    }
    kinds
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
fn parse_page(
    source: SourceFile,
    content_path: String,
    default_kind: Kind,
    config: &Config,
) -> ParseResult {
    let SourceFile { path, mut text } = source;
    let is_section = content_path == "_index.md" || content_path.ends_with("/_index.md");
    let split = front_matter::split(&text).map_err(|e| vec![split_error(&path, e)])?;
    let ctx = ParseContext {
        path: &path,
        is_section,
        default_kind,
        taxonomies: &config.taxonomies,
        unknown_keys: config.unknown_front_matter,
    };
    let parsed = front_matter::parse(&split, &ctx)?;
    let warnings = parsed.warnings.clone();
    let front = check_front_matter(parsed, &split, &path)?;
    let body_line = split.body_line;
    let body_start = text.len() - split.body.len();
    text.replace_range(..body_start, "");
    Ok((
        Page {
            file: path,
            content_path,
            is_section,
            front,
            body: text,
            body_line,
        },
        warnings,
    ))
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

/// Checks serde cannot express: required title, date formats, empty slug, kind rules.
fn check_front_matter(
    parsed: front_matter::Parsed,
    split: &Split<'_>,
    path: &Path,
) -> Result<FrontMatter, Vec<Error>> {
    let locate = |keys: &[KeyPath<'_>]| front_matter::key_location(split, path, keys);
    let raw = parsed.raw;
    let mut errors = Vec::new();
    let title = raw.title.clone().unwrap_or_default();
    if title.trim().is_empty() {
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
    }
    errors.extend(crate::kb::check_fields(&raw, parsed.kind, &locate));
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut extra = raw.extra.clone().unwrap_or_default();
    for (key, value) in parsed.unknown {
        extra.entry(key).or_insert(value);
    }
    Ok(FrontMatter {
        title,
        description: raw.description.clone(),
        date,
        updated,
        draft: raw.draft.unwrap_or(false),
        slug: raw.slug.clone(),
        weight: raw.weight,
        tags: raw.tags.clone().unwrap_or_default(),
        aliases: raw.aliases.clone().unwrap_or_default(),
        template: raw.template.clone(),
        kind: parsed.kind,
        extra,
        lint_allow: raw
            .lint
            .as_ref()
            .map(|l| l.allow.clone())
            .unwrap_or_default(),
        taxonomies: parsed.taxonomies,
        section: SectionSettings {
            sort_by: raw.sort_by.unwrap_or_default(),
            paginate_by: raw.paginate_by,
            page_kind: raw.page_kind,
        },
        refs: crate::kb::references(&raw, parsed.kind, &locate),
        raw,
    })
}

#[cfg(test)]
mod tests;
