//! The reading order a source keeps outside its pages, as `weight`s:
//! mdBook's `SUMMARY.md` (read with pulldown-cmark, links in document
//! order) and VitePress's sidebar links. A page's own weight wins.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};

use super::layout::{Format, Site};
use super::report::Note;

/// Source path under the content folder → weight.
pub fn weights(site: &Site, files: &[PathBuf], notes: &mut Vec<Note>) -> BTreeMap<PathBuf, i64> {
    let inside: Vec<PathBuf> = files
        .iter()
        .map(|f| f.strip_prefix(&site.content_dir).unwrap_or(f).to_path_buf())
        .collect();
    let mut out = BTreeMap::new();
    // The menu's order of the sections, on their own section pages.
    for (folder, weight) in &site.section_weights {
        for name in ["_index.md", "index.md", "README.md"] {
            let page = Path::new(folder).join(name);
            if inside.contains(&page) {
                out.entry(page).or_insert(*weight);
            }
        }
    }
    let links = match site.format {
        Format::Mdbook => summary_links(site, files, notes),
        Format::Vitepress | Format::Docusaurus => site.ordered_links.clone(),
        _ => return out,
    };
    for (n, link) in links.iter().enumerate() {
        if let Some(path) = page_of_link(link, &inside) {
            out.entry(path).or_insert((n as i64 + 1) * 10);
        }
    }
    out
}

/// The links of `SUMMARY.md`, in order.
fn summary_links(site: &Site, files: &[PathBuf], notes: &mut Vec<Note>) -> Vec<String> {
    let summary = site.content_dir.join("SUMMARY.md");
    if !files.contains(&summary) {
        notes.push(Note::config(
            &summary,
            "not found: pages are ordered by title",
        ));
        return Vec::new();
    }
    let text = std::fs::read_to_string(Path::new(&site.root).join(&summary)).unwrap_or_default();
    Parser::new(&text)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// `/guide/intro`, `guide/intro.md`, `/guide/`, `./x.html#a` → the source file.
fn page_of_link(link: &str, files: &[PathBuf]) -> Option<PathBuf> {
    if link.contains("://") {
        return None;
    }
    let path = link
        .split(['#', '?'])
        .next()?
        .trim_start_matches("./")
        .trim_start_matches('/');
    let stem = path
        .strip_suffix(".html")
        .or_else(|| path.strip_suffix(".md"))
        .unwrap_or(path);
    let candidates = if stem.is_empty() || stem.ends_with('/') {
        vec![format!("{stem}index.md"), format!("{stem}README.md")]
    } else {
        vec![
            format!("{stem}.md"),
            format!("{stem}/index.md"),
            format!("{stem}/README.md"),
        ]
    };
    candidates
        .into_iter()
        .map(PathBuf::from)
        .find(|c| files.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_find_their_files() {
        let files = vec![
            PathBuf::from("guide/intro.md"),
            PathBuf::from("guide/index.md"),
        ];
        assert_eq!(
            page_of_link("/guide/intro", &files),
            Some("guide/intro.md".into())
        );
        assert_eq!(
            page_of_link("/guide/intro.html#x", &files),
            Some("guide/intro.md".into())
        );
        assert_eq!(
            page_of_link("/guide/", &files),
            Some("guide/index.md".into())
        );
        assert_eq!(page_of_link("https://x.org/guide/intro", &files), None);
    }
}
