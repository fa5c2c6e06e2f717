//! Redirects the source's host configuration keeps (`vercel.json`,
//! `netlify.toml`, a `_redirects` file), written as `aliases` of the pages
//! they lead to, so old URLs and the links that still use them keep
//! working. Patterns (`:slug`, `*`, `(.*)`) and redirects to other sites
//! stay behind, listed in the report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value as Json;

use super::body::links::content_file;
use super::layout::Site;
use super::report::Note;

/// The `redirects` list of a host's settings: (file, from, to) per entry.
fn pairs_of(
    json: &Json,
    (from_key, to_key): (&str, &str),
    file: &'static str,
    pairs: &mut Vec<(&'static str, String, String)>,
) {
    for r in json
        .get("redirects")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(from), Some(to)) = (
            r.get(from_key).and_then(Json::as_str),
            r.get(to_key).and_then(Json::as_str),
        ) {
            pairs.push((file, from.to_string(), to.to_string()));
        }
    }
}

/// Content path of the target page → the old URLs that lead to it.
pub fn aliases(
    site: &Site,
    content_files: &BTreeMap<String, String>,
    notes: &mut Vec<Note>,
) -> BTreeMap<String, Vec<String>> {
    let mut pairs = Vec::new();
    let src = &site.root;
    if let Ok(text) = std::fs::read_to_string(src.join("vercel.json"))
        && let Ok(json) = serde_json::from_str::<Json>(&text)
    {
        pairs_of(&json, ("source", "destination"), "vercel.json", &mut pairs);
    }
    if let Ok(text) = std::fs::read_to_string(src.join("netlify.toml"))
        && let Ok(json) = crate::content::front_matter::toml_to_json(&text)
    {
        pairs_of(&json, ("from", "to"), "netlify.toml", &mut pairs);
    }
    for dir in &site.static_dirs {
        if let Ok(text) = std::fs::read_to_string(src.join(dir).join("_redirects")) {
            for line in text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                let mut words = line.split_whitespace();
                if let (Some(from), Some(to)) = (words.next(), words.next()) {
                    pairs.push(("_redirects", from.to_string(), to.to_string()));
                }
            }
        }
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut patterns = 0;
    for (file, from, to) in pairs {
        let plain = |p: &str| p.starts_with('/') && !p.contains([':', '*', '(', '?', ' ']);
        if !plain(&from) || to.contains("://") || !to.starts_with('/') {
            patterns += 1;
            continue;
        }
        let path = |p: &str| {
            p.split('#')
                .next()
                .unwrap_or("")
                .trim_start_matches('/')
                .to_string()
        };
        // An old URL that is still a page of its own (or a folder, which
        // gets a section page) is not an alias; `/a` and `/a/` are one URL.
        let old = path(&from);
        let old = old.strip_suffix("index.html").unwrap_or(&old);
        let old = old.strip_suffix(".html").unwrap_or(old);
        let old = old.trim_end_matches('/').to_string();
        let folder = format!("{}/", old.to_lowercase());
        let taken = content_file(&old, content_files).is_some()
            || content_files.keys().any(|f| f.starts_with(&folder));
        if taken || !seen.insert(old.to_lowercase()) {
            continue;
        }
        match content_file(&path(&to), content_files) {
            Some(target) => out.entry(target).or_default().push(from),
            None => notes.push(Note::config(
                Path::new(file),
                format!("the redirect `{from}` → `{to}` leads to no page of the site; left out"),
            )),
        }
    }
    if patterns > 0 {
        notes.push(Note::skipped(format!(
            "{patterns} redirects with patterns or to other sites were not turned into aliases; keep them in your host's configuration"
        )));
    }
    out
}
