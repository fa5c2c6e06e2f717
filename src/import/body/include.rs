//! Files a page pulls in: mdBook's `{{#include}}`, `{{#rustdoc_include}}`,
//! `{{#playground}}` (and `{{#title}}`), VitePress's `<<< @/snippet`. The
//! file must lie inside the source site (symlinks resolved): nothing from
//! outside it reaches the new site.

use std::path::{Path, PathBuf};

use super::{Context, Emitter, Notes, replace_spans};
use crate::import::front::Front;

/// A file of the source, if it resolves inside the source root.
fn inside_source(cx: &Context<'_>, path: &Path) -> Option<String> {
    let root = cx.src.canonicalize().ok()?;
    let canonical = path.canonicalize().ok()?;
    if !canonical.starts_with(&root) {
        return None;
    }
    std::fs::read_to_string(canonical).ok()
}

/// mdBook's directives, anywhere in the text (they stand inside code blocks).
pub fn mdbook_directives(
    text: &str,
    cx: &Context<'_>,
    front: &mut Front,
    notes: &mut Notes<'_, '_>,
) -> String {
    if !text.contains("{{#") {
        return text.to_string();
    }
    replace_spans(text, "{{#", "}}", |raw, escaped| {
        // `\\{{#include x}}` is mdBook's way to show the directive as text.
        if escaped {
            return raw.to_string();
        }
        let inner = raw[3..raw.len() - 2].trim();
        let (directive, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let arg = arg.trim();
        let missing = || {
            format!(
                "`{raw}`: no such file inside the source folder (nothing outside it is read, a symlink's target included); left out"
            )
        };
        match directive {
            "title" => {
                front.set_title_if_missing(arg);
                String::new()
            }
            "include" | "rustdoc_include" => included(arg, cx)
                .map(|body| body.trim_end_matches('\n').to_string())
                .unwrap_or_else(|| {
                    notes.at(raw, missing());
                    String::new()
                }),
            "playground" => included(arg.split_whitespace().next().unwrap_or(""), cx)
                .map(|body| format!("```rust\n{}\n```", body.trim_end_matches('\n')))
                .unwrap_or_else(|| {
                    notes.at(raw, missing());
                    String::new()
                }),
            _ => {
                notes.at(
                    raw,
                    format!(
                        "the mdBook directive `{directive}` has no Rolebook equivalent; left out"
                    ),
                );
                String::new()
            }
        }
    })
}

/// `file.rs`, `file.rs:2:10`, `file.rs:anchor` → the lines asked for.
fn included(arg: &str, cx: &Context<'_>) -> Option<String> {
    let mut parts = arg.splitn(2, ':');
    let file = parts.next()?;
    let spec = parts.next();
    let text = inside_source(cx, &cx.source_dir().join(file))?;
    let lines: Vec<&str> = text.lines().collect();
    let picked: Vec<&str> = match spec {
        None => lines.clone(),
        Some(spec) if spec.chars().all(|c| c.is_ascii_digit() || c == ':') => {
            let (from, to) = spec.split_once(':').unwrap_or((spec, spec));
            let from = from.parse::<usize>().unwrap_or(1).max(1);
            let to = if to.is_empty() {
                lines.len()
            } else {
                to.parse::<usize>().unwrap_or(lines.len())
            };
            let single = !spec.contains(':');
            let to = if single { from } else { to.min(lines.len()) };
            lines
                .get(from - 1..to)
                .map(<[&str]>::to_vec)
                .unwrap_or_default()
        }
        Some(anchor) => {
            let begin = format!("ANCHOR: {anchor}");
            let end = format!("ANCHOR_END: {anchor}");
            let from = lines.iter().position(|l| l.contains(&begin))? + 1;
            let to = lines[from..]
                .iter()
                .position(|l| l.contains(&end))
                .map_or(lines.len(), |n| from + n);
            lines[from..to].to_vec()
        }
    };
    let kept: Vec<&str> = picked
        .into_iter()
        .filter(|l| !l.contains("ANCHOR"))
        .collect();
    Some(kept.join("\n"))
}

/// VitePress's `<<< @/snippets/demo.js{2} [title]`: the file as a code block.
pub fn vitepress_snippet(
    trimmed: &str,
    i: usize,
    cx: &Context<'_>,
    emit: &mut Emitter,
    notes: &mut Notes<'_, '_>,
) {
    let arg = trimmed.trim_start_matches('<').trim();
    let path_text = arg.split_whitespace().next().unwrap_or("");
    let path_text = path_text.split(['{', '#']).next().unwrap_or("");
    let path: PathBuf = match path_text.strip_prefix("@/") {
        Some(rest) => cx.src.join(cx.content_dir).join(rest),
        None => cx.source_dir().join(path_text),
    };
    match inside_source(cx, &path) {
        Some(body) => {
            let lang = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            emit.line(&format!("```{lang}"));
            for line in body.trim_end_matches('\n').lines() {
                emit.line(line);
            }
            emit.line("```");
        }
        None => notes.at_line(
            i,
            format!("`{trimmed}`: the snippet file was not found inside the site; left out"),
        ),
    }
}
