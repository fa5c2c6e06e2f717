//! Parsing one content file: split off the front matter, parse it, run the
//! checks serde cannot express, and keep the body for the Markdown stage.
//! Every mistake is returned beside the page, which keeps what did parse.

use std::path::Path;

use super::front_matter::{self, KeyPath, ParseContext, Split, SplitError};
use super::page::{self, FrontMatter, Kind, Page, SectionSettings, parse_date};
use super::source::SourceFile;
use crate::config::Config;
use crate::error::{Error, Location};

/// `content/roles/pm.md` → `roles/pm.md`.
pub fn content_path(path: &Path) -> String {
    let rel = path.strip_prefix("content").unwrap_or(path);
    crate::error::display_path(rel)
}

/// The content path of a page file (`content/roles/pm.md` → `roles/pm.md`).
/// With `index_pages: section` a folder's `index.md` (and `index.en.md`)
/// is its section page, so its path is the section's: `guide/_index.md`.
pub fn page_content_path(path: &Path, config: &Config) -> String {
    let rel = content_path(path);
    if config.index_pages != crate::config::IndexPages::Section {
        return rel;
    }
    let (folder, name) = match rel.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), rel.as_str()),
    };
    let Some(rest) = name.strip_prefix("index.") else {
        return rel;
    };
    let is_index = rest == "md"
        || rest.strip_suffix(".md").is_some_and(|code| {
            config.is_multilingual() && config.language_codes().any(|c| c == code)
        });
    if is_index {
        format!("{folder}_index.{rest}")
    } else {
        rel
    }
}

/// The language of a content path and its path without it:
/// `roles/pm.en.md` → (`roles/pm.md`, `en`) when `en` is one of the site's
/// languages; any other path is in the default language (all of them on a
/// site in one language, whatever the file is called).
pub fn split_language(content_path: &str, config: &Config) -> (String, String) {
    if config.is_multilingual()
        && let Some(stem) = content_path.strip_suffix(".md")
        && let Some((base, code)) = stem.rsplit_once('.')
        && !base.ends_with('/')
        && !base.is_empty()
        && config.language_codes().any(|c| c == code)
    {
        return (format!("{base}.md"), code.to_string());
    }
    (content_path.to_string(), config.language.clone())
}

/// True for a section file: `_index.md` or a translation of it.
pub fn is_section_path(key: &str) -> bool {
    key == "_index.md" || key.ends_with("/_index.md")
}

/// The kind of the nearest enclosing section that sets one.
pub fn default_kind(
    content_path: &str,
    page_kinds: &std::collections::BTreeMap<String, Kind>,
) -> Kind {
    let mut folder = content_path.rsplit_once('/').map_or("", |(f, _)| f);
    let name = content_path
        .rsplit_once('/')
        .map_or(content_path, |(_, n)| n);
    if name.starts_with("_index.") {
        // A section's own kind is not inherited from itself.
        if !content_path.contains('/') {
            return Kind::Article;
        }
        folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
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
/// Returns the page with what did parse, and its errors and warnings.
pub(super) fn parse_page(
    source: SourceFile,
    content_path: String,
    default_kind: Kind,
    config: &Config,
) -> (Page, Vec<Error>) {
    let SourceFile { path, mut text } = source;
    let (key, lang) = split_language(&content_path, config);
    let is_section = is_section_path(&key);
    let mut errors = Vec::new();
    let split = front_matter::split(&text).unwrap_or_else(|e| {
        // A file without front matter is a page (VitePress and mdBook pages
        // have none: the title comes from the first `# H1`); an empty file
        // or an unclosed fence is a mistake.
        let body = match e {
            SplitError::Missing => text.as_str(),
            SplitError::Unterminated(_) => "",
        };
        if !matches!(e, SplitError::Missing) || body.trim().is_empty() {
            errors.push(split_error(&path, e));
        }
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
    errors.append(&mut parsed.warnings);
    if key != content_path && parsed.raw.roles.is_none() {
        // A translated comparison inherits its roles: checked on the original.
        parsed.failed.push("roles".to_string());
    }
    // No `title:` at all: the first `# H1` is the title, and is not shown twice.
    let heading = parsed
        .raw
        .title
        .is_none()
        .then(|| super::title::first_h1(split.body))
        .flatten();
    if let Some((title, _)) = &heading {
        parsed.raw.title = Some(title.clone());
    }
    let front = check_front_matter(parsed, &split, &path, &content_path, &mut errors);
    // A title taken from the body is front matter too: `serve`'s fast path
    // for body edits (same front matter) must not keep the old title.
    let derived_title = heading.as_ref().map_or(0, |(title, _)| {
        xxhash_rust::xxh3::xxh3_64(title.as_bytes()).rotate_left(1)
    });
    let front_hash =
        xxhash_rust::xxh3::xxh3_64(split.front.as_bytes()) ^ (default_kind as u64) ^ derived_title;
    let body_line = split.body_line;
    // Only translations compare against it: a site in one language skips it.
    let body_hash = if config.is_multilingual() {
        super::page::body_hash(split.body)
    } else {
        0
    };
    let body_start = text.len() - split.body.len();
    let body_end = body_start + split.body.len();
    text.truncate(body_end);
    text.replace_range(..body_start, "");
    if let Some((_, range)) = heading {
        super::title::blank_out(&mut text, range);
    }
    let page = Page {
        file: path,
        content_path,
        lang,
        key,
        is_section,
        front,
        front_hash,
        body_hash,
        body: text,
        body_line,
    };
    (page, errors)
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
        // Absent (and no `# H1`): the file name; written empty: a mistake.
        if !title_failed && raw.title.is_some() {
            errors.push(
                Error::at(locate(&[KeyPath::Key("title")]), "missing `title`")
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
    errors.extend(crate::content::kinds::check_fields(
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
        kind_location: raw.kind.is_some().then(|| locate(&[KeyPath::Key("kind")])),
        translation_of_hash: raw.translation_of_hash.take(),
        taxonomies: parsed.taxonomies,
        section: SectionSettings {
            sort_by: raw.sort_by.unwrap_or_default(),
            paginate_by: raw.paginate_by,
            page_kind: raw.page_kind,
        },
        refs: crate::content::kinds::references(&raw, parsed.kind, &locate),
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
