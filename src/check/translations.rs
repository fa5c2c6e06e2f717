//! Translations kept in step: `missing-translation` (a page of the default
//! language with no version in a configured language) and
//! `stale-translation` (a translation made from an older state of its
//! original, see [`crate::model::Behind`]); and `check --fix-hashes`, which
//! records in each translation the hash of its original's body as it is now.

use std::path::{Path, PathBuf};

use super::page::PageText;
use super::rules::{MISSING_TRANSLATION, STALE_TRANSLATION};
use crate::content::front_matter::{self, KeyPath};
use crate::content::page::hash_text;
use crate::error::{Error, Location, display_path};
use crate::model::{Behind, Site};

/// Pages of the default language without a (written) version in another.
pub(crate) fn missing(site: &Site, texts: &[PageText<'_>]) -> Vec<Error> {
    let mut findings = Vec::new();
    for text in texts {
        let id = text.index;
        let entry = &site.entries[id];
        if entry.lang != 0 {
            continue;
        }
        let missing: Vec<&str> = site
            .langs()
            .skip(1)
            .filter(|&l| {
                site.version(id, l)
                    .is_none_or(|v| site.entries[v].page.is_stand_in())
            })
            .map(|l| site.lang_code(l))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let files: Vec<String> = missing
            .iter()
            .map(|code| format!("`{}`", translation_file(&entry.page.file, code)))
            .collect();
        findings.push(
            Error::warning(
                MISSING_TRANSLATION,
                Location::at(&entry.page.file, 1, 1),
                format!("this page has no translation into {}", codes(&missing)),
            )
            .with_hint(format!("write {}", files.join(" and "))),
        );
    }
    findings
}

/// Translations whose original changed since they were made.
pub(crate) fn stale(site: &Site, texts: &[PageText<'_>]) -> Vec<Error> {
    texts
        .iter()
        .filter_map(|text| {
            let entry = &site.entries[text.index];
            let original = &site.entries[entry.original?];
            let original_file = display_path(&original.page.file);
            let finding = match entry.behind? {
                Behind::BodyChanged => Error::warning(
                    STALE_TRANSLATION,
                    text.key_location(&[KeyPath::Key("translation_of_hash")]),
                    format!("`{original_file}` has changed since this translation was made from it"),
                ),
                Behind::UpdatedLater => Error::warning(
                    STALE_TRANSLATION,
                    updated_location(text),
                    format!("`{original_file}` was updated after this translation"),
                ),
            };
            Some(finding.with_hint(
                "bring the translation in line with the original, then run `rolebook check --fix-hashes` to record the original it now matches",
            ))
        })
        .collect()
}

fn updated_location(text: &PageText<'_>) -> Location {
    let key = if text.page.front.updated.is_some() {
        "updated"
    } else {
        "date"
    };
    text.key_location(&[KeyPath::Key(key)])
}

fn codes(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `content/roles/pm.en.md` for `content/roles/pm.md`.
fn translation_file(original: &Path, code: &str) -> String {
    let path = display_path(original);
    match path.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{code}.md"),
        None => format!("{path}.{code}"),
    }
}

/// Write `translation_of_hash:` with the original's current body hash into
/// each translation (or only those in `only`, paths relative to the root),
/// keeping the rest of the file as it is. Returns the files changed.
pub fn fix_hashes(site: &Site, root: &Path, only: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let translations = || {
        site.entries
            .iter()
            .filter(|e| e.original.is_some() && !e.page.is_stand_in())
    };
    if let Some(stray) = only
        .iter()
        .find(|p| !translations().any(|e| same_file(p, &e.page.file)))
    {
        return Err(Error::at(
            Location::file(stray),
            "this file is not a translation of the site",
        )
        .with_hint("name translation files as they are written: `content/roles/pm.en.md`"));
    }
    let mut changed = Vec::new();
    for entry in &site.entries {
        let Some(original) = entry.original.map(|o| &site.entries[o]) else {
            continue;
        };
        let file = &entry.page.file;
        if entry.page.is_stand_in()
            || (!only.is_empty() && !only.iter().any(|p| same_file(p, file)))
        {
            continue;
        }
        let hash = hash_text(original.page.body_hash);
        if entry.page.front.translation_of_hash.as_deref() == Some(hash.as_str()) {
            continue;
        }
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", file, &e))?;
        let Some(updated) = with_hash(&text, &hash) else {
            return Err(Error::at(
                Location::at(file, 1, 1),
                "cannot record `translation_of_hash:` in this front matter",
            )
            .with_hint("write it by hand: only YAML front matter (`---`) is edited"));
        };
        replace_file(&path, &updated).map_err(|e| Error::io("write", file, &e))?;
        changed.push(file.clone());
    }
    Ok(changed)
}

/// Write next to the file and rename over it: an interrupted write never
/// leaves half a page.
fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    let temporary = path.with_extension("md.rolebook-tmp");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

fn same_file(given: &Path, file: &Path) -> bool {
    let given = given.strip_prefix("./").unwrap_or(given);
    given == file || file.strip_prefix("content").is_ok_and(|rest| rest == given)
}

/// The page text with `translation_of_hash: <hash>` set in its YAML front
/// matter: the line replaced where it is written, else added last.
fn with_hash(text: &str, hash: &str) -> Option<String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let normal = text.replace("\r\n", "\n");
    let split = front_matter::split(normal.trim_start_matches('\u{feff}')).ok()?;
    if split.format != front_matter::Format::Yaml {
        return None;
    }
    let line = format!("translation_of_hash: {hash}");
    let mut lines: Vec<String> = split.front.lines().map(str::to_string).collect();
    match lines
        .iter()
        .position(|l| l.starts_with("translation_of_hash:"))
    {
        Some(i) => lines[i] = line,
        None => lines.push(line),
    }
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let out = format!("{bom}---\n{}\n---\n{}", lines.join("\n"), split.body);
    Some(out.replace('\n', newline))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_added_or_replaced_and_the_rest_kept() {
        let text = "---\ntitle: A # note\n---\n\nBody\n";
        assert_eq!(
            with_hash(text, "00ff").unwrap(),
            "---\ntitle: A # note\ntranslation_of_hash: 00ff\n---\n\nBody\n"
        );
        let again = with_hash(&with_hash(text, "00ff").unwrap(), "1234").unwrap();
        assert_eq!(
            again,
            "---\ntitle: A # note\ntranslation_of_hash: 1234\n---\n\nBody\n"
        );
        assert_eq!(
            with_hash("---\r\ntitle: A\r\n---\r\nB\r\n", "1").unwrap(),
            "---\r\ntitle: A\r\ntranslation_of_hash: 1\r\n---\r\nB\r\n"
        );
        assert!(with_hash("+++\ntitle = 1\n+++\n", "1").is_none());
    }

    #[test]
    fn translation_files_are_named_next_to_the_original() {
        assert_eq!(
            translation_file(Path::new("content/roles/pm.md"), "en"),
            "content/roles/pm.en.md"
        );
    }
}
