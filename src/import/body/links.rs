//! Links and images as the source tool resolved them, written so Rolebook
//! resolves them the same way: a link that names a page by its URL
//! (`/about/privacy/`, `./intro`, `/guide/Setup.html`) becomes a root link
//! to the page's content file (`/about/privacy.md`), which Rolebook turns
//! into the page's URL under any `base_url` path; an image that names no
//! file next to the page but a static file relative to the page's URL
//! (Next.js: `../images/a.png` on `/learn/page`) becomes that file's root
//! path. Links that already work, and external ones, stay as written.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::{Context, Notes, code_ranges};
use crate::import::layout::Format;

/// Rewrite the link and image destinations of a converted body.
pub fn fix(text: &str, cx: &Context<'_>, notes: &mut Notes<'_, '_>) -> String {
    if !text.contains("](") && !text.contains("]:") {
        return text.to_string();
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let (dest, image) = match &event {
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            _ => continue,
        };
        let Some(new) = rewrite(dest, image, cx, notes) else {
            continue;
        };
        let needle = format!("]({dest}");
        if let Some(at) = text[range.clone()].find(&needle) {
            let start = range.start + at + 2;
            edits.push((start..start + dest.len(), new));
        }
    }
    edits.extend(definitions(text, cx, notes));
    edits.sort_by_key(|(r, _)| r.start);
    edits.dedup_by_key(|(r, _)| r.start);
    let mut out = text.to_string();
    for (range, new) in edits.into_iter().rev() {
        out.replace_range(range, &new);
    }
    out
}

/// Reference definitions `[name]: /path/` outside code.
fn definitions(
    text: &str,
    cx: &Context<'_>,
    notes: &mut Notes<'_, '_>,
) -> Vec<(Range<usize>, String)> {
    let code = code_ranges(text, !cx.format.is_mdx());
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let Some(close) = trimmed.find("]:").filter(|_| trimmed.starts_with('[')) else {
            continue;
        };
        let after = &trimmed[close + 2..];
        let dest_start = after.len() - after.trim_start().len();
        let dest = after.split_whitespace().next().unwrap_or("");
        if let Some(new) = rewrite(dest, false, cx, notes) {
            let at = start + indent + close + 2 + dest_start;
            out.push((at..at + dest.len(), new));
        }
    }
    out
}

/// The new destination, if this one should change.
fn rewrite(dest: &str, image: bool, cx: &Context<'_>, notes: &mut Notes<'_, '_>) -> Option<String> {
    if dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with("//")
        || dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
    {
        return None;
    }
    let (path, rest) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let rooted = decoded.starts_with('/');
    if !rooted && cx.source_dir().join(decoded.as_ref()).is_file() {
        return renamed_page(&decoded, rest, image, cx);
    }
    let resolved = if rooted {
        decoded.trim_start_matches('/').to_string()
    } else {
        join(&url_base(cx), &decoded)
    };
    // `../reference/x.html` from a book's top: another site of the same
    // host. Rolebook refuses links out of `content/`; written from the
    // host's root, `check` tells whether they reach anything.
    if !rooted && escapes(&url_base(cx), &decoded) {
        let new = format!("/{resolved}{rest}");
        notes.at(
            dest,
            format!(
                "the link `{dest}` leads above the site: written as `{new}`, from the host's root"
            ),
        );
        return Some(new);
    }
    if image {
        let url = format!("/{resolved}");
        return (!rooted && cx.static_files.paths.contains(&url)).then(|| format!("{url}{rest}"));
    }
    let file = content_file(&resolved, cx.content_files)?;
    let new = format!("/{file}{}", anchor_as_rolebook(rest));
    (new != dest).then_some(new)
}

/// A relative link to a Markdown file of the source that exists: rewritten
/// when the import renames that file (mdBook's `README.md` → `_index.md`,
/// `.mdx` → `.md`) or when its anchor is written the source tool's way.
fn renamed_page(decoded: &str, rest: &str, image: bool, cx: &Context<'_>) -> Option<String> {
    let is_page = decoded.ends_with(".md") || decoded.ends_with(".mdx");
    if image || !is_page {
        return None;
    }
    let inside = join(&cx.page_dir(), decoded);
    let target = match inside.strip_suffix(".mdx") {
        Some(stem) => format!("{stem}.md"),
        None => inside.clone(),
    };
    let target = match target.strip_suffix("README.md") {
        Some(dir) if cx.format == Format::Mdbook && (dir.is_empty() || dir.ends_with('/')) => {
            format!("{dir}_index.md")
        }
        _ => target,
    };
    let anchor = anchor_as_rolebook(rest);
    (target != inside || anchor != rest).then(|| format!("/{target}{anchor}"))
}

/// `#Размеры`, `#%D1%80…` (ids the source tool made from a heading's own
/// letters) → the id Rolebook gives that heading (`#razmery`).
fn anchor_as_rolebook(rest: &str) -> String {
    let Some(anchor) = rest.strip_prefix('#') else {
        return rest.to_string();
    };
    let decoded = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
    if decoded.is_ascii() {
        return rest.to_string();
    }
    let slug = crate::slug::slugify(&decoded);
    if slug.is_empty() {
        rest.to_string()
    } else {
        format!("#{slug}")
    }
}

/// The folder a relative link is read from: the page's URL folder for
/// Hugo and Zola (pretty URLs: `../x/` on `/docs/page/` is `/docs/x/`), the
/// file's folder for the others.
fn url_base(cx: &Context<'_>) -> String {
    let dir = cx.page_dir();
    let stem = cx.file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let pretty = matches!(cx.format, Format::Hugo | Format::Zola);
    if pretty && stem != "_index" && stem != "index" {
        if dir.is_empty() {
            stem.to_string()
        } else {
            format!("{dir}/{stem}")
        }
    } else {
        dir
    }
}

/// True when `rel` climbs above the root from `base` (`a` + `../../x`).
fn escapes(base: &str, rel: &str) -> bool {
    let mut depth = base.split('/').filter(|p| !p.is_empty()).count() as i64;
    for part in rel.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

/// `a/b` + `../c/d` → `a/c/d`.
fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if rel.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    joined
}

/// The content file a site path names (`about/privacy/` → `about/privacy.md`,
/// `guide/` → `guide/_index.md`), by exact name or else ignoring case (Hugo
/// lowercases its URLs).
pub fn content_file(path: &str, files: &BTreeMap<String, String>) -> Option<String> {
    let path = path.trim_end_matches('/');
    let stem = path
        .strip_suffix(".html")
        .or_else(|| path.strip_suffix(".md"))
        .or_else(|| path.strip_suffix(".mdx"))
        .unwrap_or(path);
    if stem
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
    {
        return None;
    }
    let candidates: Vec<String> = if stem.is_empty() {
        vec!["_index.md".into(), "index.md".into()]
    } else {
        vec![
            format!("{stem}.md"),
            format!("{stem}/_index.md"),
            format!("{stem}/index.md"),
        ]
    };
    candidates
        .iter()
        .find(|c| files.contains_key(&c.to_lowercase()) && files[&c.to_lowercase()] == **c)
        .cloned()
        .or_else(|| {
            candidates
                .iter()
                .find_map(|c| files.get(&c.to_lowercase()).cloned())
        })
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn relative_paths_join() {
        assert_eq!(join("learn", "../images/a.png"), "images/a.png");
        assert_eq!(join("docs/page", "../x/"), "docs/x/");
        assert_eq!(join("", "./intro"), "intro");
    }
}
