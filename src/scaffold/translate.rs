//! `rolebook new <kind> <title> --lang en`: the translation of an existing
//! page, next to it (`roles/pm.en.md` beside `roles/pm.md`), with the
//! original's body hash recorded so `check` can tell when it falls behind.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::front_matter;
use crate::content::page::{Kind, body_hash, hash_text};
use crate::error::{Error, Kind as ErrorKind, Result};

/// What a translation needs beyond [`super::NewOptions`].
pub struct Translation<'a> {
    /// The language code (`en`).
    pub lang: &'a str,
    /// The original's file stem or folder, when it is not the title's slug.
    pub of: Option<&'a str>,
}

/// Write the translation and return its path relative to the site root.
pub fn new_translation(
    options: &super::NewOptions,
    translation: &Translation<'_>,
    section: &str,
    slug: &str,
) -> Result<PathBuf> {
    let config = Config::load(&options.root).map_err(|mut errors| errors.remove(0))?;
    check_language(&config, translation.lang)?;
    let content = options.root.join("content");
    let stem = translation.of.map_or(slug, |s| s.trim_end_matches(".md"));
    let folder_page = matches!(options.kind, Kind::Course);
    let (original, rel) = if folder_page {
        (
            format!("{section}/{stem}/_index.md"),
            format!("{section}/{stem}/_index.{}.md", translation.lang),
        )
    } else {
        (
            format!("{section}/{stem}.md"),
            format!("{section}/{stem}.{}.md", translation.lang),
        )
    };
    let original_path = content.join(&original);
    let text = std::fs::read_to_string(&original_path)
        .map_err(|_| no_original(&content, section, &original, stem))?;
    let body = front_matter::split(&text.replace("\r\n", "\n"))
        .map(|s| body_hash(s.body))
        .map_err(|_| {
            Error::new(
                ErrorKind::Usage,
                format!("`content/{original}` has no front matter"),
            )
            .with_hint("fix the original first: `rolebook check` says what is wrong")
        })?;
    let path = content.join(&rel);
    if path.exists() {
        return Err(
            Error::new(ErrorKind::Usage, format!("`content/{rel}` already exists"))
                .with_hint("edit the existing translation"),
        );
    }
    let template = match options.kind {
        Kind::Role => include_str!("translate/role.md"),
        _ => include_str!("translate/page.md"),
    };
    let text = super::template(template, &options.title)
        .replace("ORIGINAL", &format!("`content/{original}`"))
        .replace("HASH", &hash_text(body));
    super::write_new(&path, &text)?;
    Ok(PathBuf::from("content").join(rel))
}

fn check_language(config: &Config, lang: &str) -> Result<()> {
    let codes: Vec<&str> = config.language_codes().collect();
    if lang == config.language {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("`{lang}` is the site's default language"),
        )
        .with_hint("leave out `--lang` to write a page in the default language"));
    }
    if !codes.contains(&lang) {
        let listed = codes
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Error::new(
            ErrorKind::Usage,
            format!("`{lang}` is not one of the site's languages ({listed})"),
        )
        .with_hint(format!("add it under `languages:` in rolebook.yaml:\n  languages:\n    {lang}:\n      title: \"…\"")));
    }
    Ok(())
}

/// The original is not there: name the closest page of the section.
fn no_original(content: &Path, section: &str, original: &str, stem: &str) -> Error {
    let stems = originals(&content.join(section));
    let hint = match crate::error::closest(stem, stems.iter().map(String::as_str)) {
        Some(close) => {
            format!("did you mean `--of {close}`? A translation sits next to its original")
        }
        None if stems.is_empty() => format!("`content/{section}` has no pages to translate"),
        None => format!(
            "name the original with `--of`: {}",
            stems
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Error::new(
        ErrorKind::Usage,
        format!("there is no `content/{original}` to translate"),
    )
    .with_hint(hint)
}

/// File stems of the section's pages in the default language.
fn originals(folder: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut stems: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().join("_index.md").is_file() {
                return Some(name);
            }
            let stem = name.strip_suffix(".md")?;
            (!stem.contains('.') && stem != "_index").then(|| stem.to_string())
        })
        .collect();
    stems.sort();
    stems
}
