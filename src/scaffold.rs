//! Scaffolding: `rolebook init` creates a site that builds at once;
//! `rolebook new` adds one page of a kind with valid front matter.
//!
//! This module writes into the site's own folders (never the output), and
//! never overwrites a file.

use std::path::{Path, PathBuf};

use crate::content::page::Kind;
use crate::error::{Error, Kind as ErrorKind, Result, display_path};
use crate::slug::slugify;

mod translate;

/// What `init` did.
#[derive(Debug, Default)]
pub struct InitReport {
    /// Files created, relative to the site folder.
    pub created: Vec<PathBuf>,
    /// Files that existed and were left alone (`--force`).
    pub kept: Vec<PathBuf>,
}

/// The starter site, file by file.
const STARTER: &[(&str, &str)] = &[
    ("rolebook.yaml", include_str!("scaffold/rolebook.yaml")),
    (".gitignore", "/public\n"),
    ("content/_index.md", include_str!("scaffold/home.md")),
    ("content/_index.en.md", include_str!("scaffold/home.en.md")),
    ("content/roles/_index.md", include_str!("scaffold/roles.md")),
    (
        "content/roles/_index.en.md",
        include_str!("scaffold/roles.en.md"),
    ),
    (
        "content/roles/primer-roli.md",
        include_str!("scaffold/role.md"),
    ),
    (
        "content/roles/primer-roli.en.md",
        include_str!("scaffold/role.en.md"),
    ),
    (
        "content/articles/_index.md",
        include_str!("scaffold/articles.md"),
    ),
    (
        "content/articles/primer-stati.md",
        include_str!("scaffold/article.md"),
    ),
    (
        "content/courses/_index.md",
        include_str!("scaffold/courses.md"),
    ),
    (
        "content/courses/primer-kursa/_index.md",
        include_str!("scaffold/course.md"),
    ),
    (
        "content/courses/primer-kursa/vvedenie.md",
        include_str!("scaffold/chapter1.md"),
    ),
    (
        "content/courses/primer-kursa/praktika.md",
        include_str!("scaffold/chapter2.md"),
    ),
];

/// Create a new site in `dir`. A non-empty folder is refused unless `force`;
/// with `force`, existing files are kept as they are.
pub fn init(dir: &Path, force: bool) -> Result<InitReport> {
    let non_empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if non_empty && !force {
        return Err(Error::new(ErrorKind::Usage, format!("`{}` is not empty", display_path(dir)))
            .with_hint("choose an empty folder, or pass `--force` to add the missing files (existing files are never overwritten)"));
    }
    let mut report = InitReport::default();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if path.exists() {
            report.kept.push(PathBuf::from(rel));
            continue;
        }
        write_new(&path, text)?;
        report.created.push(PathBuf::from(rel));
    }
    Ok(report)
}

/// What `new` needs.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The site root.
    pub root: PathBuf,
    /// The kind of page.
    pub kind: Kind,
    /// The page title.
    pub title: String,
    /// Folder under `content/` (default depends on the kind).
    pub section: Option<String>,
    /// The roles a comparison compares (slugs).
    pub roles: Vec<String>,
    /// Write the translation of an existing page into this language.
    pub lang: Option<String>,
    /// With `lang`: the original's file name, when it is not the title's slug.
    pub of: Option<String>,
}

/// Write a new page and return its path relative to the site root.
pub fn new_page(options: &NewOptions) -> Result<PathBuf> {
    let slug = slugify(&options.title);
    if slug.is_empty() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("cannot make a file name from `{}`", options.title),
        )
        .with_hint("use a title with letters or digits"));
    }
    if !options.roles.is_empty() && options.kind != Kind::Comparison {
        return Err(Error::new(
            ErrorKind::Usage,
            "`--roles` is for `rolebook new comparison`",
        )
        .with_hint("for a role's related roles, write `related: [slug]` in its front matter"));
    }
    let content = options.root.join("content");
    if !content.is_dir() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("`{}` has no `content/` folder", display_path(&options.root)),
        )
        .with_hint("run it in a site folder (see `rolebook init`), or pass `--root`"));
    }
    let section = options
        .section
        .clone()
        .unwrap_or_else(|| default_section(&content, options.kind));
    let section = section
        .trim_matches('/')
        .trim_start_matches("content/")
        .to_string();
    if let Some(lang) = &options.lang {
        let translation = translate::Translation {
            lang,
            of: options.of.as_deref(),
        };
        return translate::new_translation(options, &translation, &section, &slug);
    }
    if options.of.is_some() {
        return Err(Error::new(ErrorKind::Usage, "`--of` names the original of a translation")
            .with_hint("use it with `--lang`: `rolebook new role \"Account manager\" --lang en --of akkaunt-menedzher`"));
    }
    let (rel, text) = match options.kind {
        Kind::Course => (
            format!("{section}/{slug}/_index.md"),
            course_text(&options.title, &format!("{section}/{slug}")),
        ),
        Kind::Chapter => (
            format!("{section}/{slug}.md"),
            chapter_text(&content, &section, &slug, &options.title)?,
        ),
        Kind::Comparison => (
            format!("{section}/{slug}.md"),
            comparison_text(&content, &options.title, &options.roles)?,
        ),
        Kind::Role => (format!("{section}/{slug}.md"), role_text(&options.title)),
        Kind::Article => (format!("{section}/{slug}.md"), article_text(&options.title)),
    };
    let path = content.join(&rel);
    if path.exists() {
        return Err(
            Error::new(ErrorKind::Usage, format!("`content/{rel}` already exists"))
                .with_hint("choose another title, or edit the existing file"),
        );
    }
    if options.kind == Kind::Chapter {
        append_to_chapter_list(&content.join(&section).join("_index.md"), &slug)?;
    }
    write_new(&path, &text)?;
    Ok(PathBuf::from("content").join(rel))
}

/// Where pages of a kind go when `--section` is not given.
fn default_section(content: &Path, kind: Kind) -> String {
    let (preferred, page_kind) = match kind {
        Kind::Role => ("roles", Some("role")),
        Kind::Comparison => ("comparisons", Some("comparison")),
        Kind::Course => ("courses", None),
        Kind::Chapter => ("courses", None),
        Kind::Article => ("articles", None),
    };
    if let Some(found) = page_kind.and_then(|k| section_with_page_kind(content, k)) {
        return found;
    }
    preferred.to_string()
}

/// The first section whose `_index.md` sets `page_kind: <kind>`.
fn section_with_page_kind(content: &Path, kind: &str) -> Option<String> {
    walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "_index.md")
        .find(|e| {
            std::fs::read_to_string(e.path())
                .is_ok_and(|t| t.lines().any(|l| l.trim() == format!("page_kind: {kind}")))
        })
        .and_then(|e| {
            e.path()
                .parent()?
                .strip_prefix(content)
                .ok()
                .map(display_path)
        })
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

/// A `new` template with its title filled in. The templates leave optional
/// fields as commented examples: an empty value would render an empty card.
fn template(text: &str, title: &str) -> String {
    text.replacen("TITLE", &quoted(title), 1)
}

fn role_text(title: &str) -> String {
    template(include_str!("scaffold/new/role.md"), title)
}

fn article_text(title: &str) -> String {
    template(include_str!("scaffold/new/article.md"), title)
}

fn course_text(title: &str, section: &str) -> String {
    template(include_str!("scaffold/new/course.md"), title).replace("SECTION", section)
}

/// A comparison of the roles given with `--roles` (slugs of the site's roles).
fn comparison_text(content: &Path, title: &str, roles: &[String]) -> Result<String> {
    let known = role_slugs(content);
    let listed = || {
        if known.is_empty() {
            "the site has no roles yet: `rolebook new role \"Название роли\"`".to_string()
        } else {
            format!("the site's roles: {}", known.join(", "))
        }
    };
    if roles.len() < 2 {
        return Err(Error::new(
            ErrorKind::Usage,
            "a comparison needs the roles it compares: pass two or more with `--roles a,b`",
        )
        .with_hint(listed()));
    }
    for role in roles {
        if !known.iter().any(|k| k == role) {
            let hint = match crate::error::closest(role, known.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`? {}", listed()),
                None => listed(),
            };
            return Err(
                Error::new(ErrorKind::Usage, format!("no role `{role}` in this site"))
                    .with_hint(hint),
            );
        }
    }
    Ok(
        template(include_str!("scaffold/new/comparison.md"), title).replacen(
            "ROLES",
            &roles.join(", "),
            1,
        ),
    )
}

/// File stems of role pages (`kind: role`, or pages of a `page_kind: role` section).
fn role_slugs(content: &Path) -> Vec<String> {
    let role_section = section_with_page_kind(content, "role");
    walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| !is_section_or_translation(&e.file_name().to_string_lossy()))
        .filter(|e| {
            let in_section = role_section
                .as_ref()
                .is_some_and(|s| e.path().parent().is_some_and(|p| p.ends_with(s)));
            in_section
                || std::fs::read_to_string(e.path())
                    .is_ok_and(|t| t.lines().any(|l| l.trim() == "kind: role"))
        })
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect()
}

/// `_index.md`, `_index.en.md`, and translations (`pm.en.md`, `pm.pt-br.md`):
/// not pages a comparison names.
fn is_section_or_translation(name: &str) -> bool {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let code = stem.rsplit_once('.').map(|(_, code)| code);
    let is_code = |c: &str| {
        let (language, region) = c.split_once('-').unwrap_or((c, ""));
        (2..=3).contains(&language.len())
            && language.bytes().all(|b| b.is_ascii_lowercase())
            && region.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    stem == "_index" || stem.starts_with("_index.") || code.is_some_and(is_code)
}

/// A chapter with the next free weight in its course.
fn chapter_text(content: &Path, section: &str, _slug: &str, title: &str) -> Result<String> {
    let course = content.join(section).join("_index.md");
    let is_course = std::fs::read_to_string(&course)
        .is_ok_and(|t| t.lines().any(|l| l.trim() == "kind: course"));
    if !is_course {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("`content/{section}` is not a course (its `_index.md` lacks `kind: course`)"),
        )
        .with_hint("pass the course folder: `--section courses/my-course`"));
    }
    let weight = next_weight(&content.join(section));
    Ok(
        template(include_str!("scaffold/new/chapter.md"), title).replacen(
            "WEIGHT",
            &weight.to_string(),
            1,
        ),
    )
}

/// One more than the highest `weight:` among the folder's pages.
fn next_weight(folder: &Path) -> i64 {
    let weights = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md")
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|text| {
            text.lines().find_map(|l| {
                l.strip_prefix("weight:")
                    .and_then(|w| w.trim().parse::<i64>().ok())
            })
        });
    weights.max().unwrap_or(0) + 1
}

/// Add the chapter to the course's `chapters:` list, if it has one.
fn append_to_chapter_list(course: &Path, slug: &str) -> Result<()> {
    let text = std::fs::read_to_string(course).map_err(|e| Error::io("read", course, &e))?;
    let Some(updated) = crate::content::front_matter::append_to_list(&text, "chapters", slug)
    else {
        return Ok(());
    };
    std::fs::write(course, updated).map_err(|e| Error::io("write", course, &e))
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create the folder", parent, &e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io("create", path, &e))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io("write", path, &e))
}
