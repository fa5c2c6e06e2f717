//! `rolebook import`: a new Rolebook site written from a Hugo, Zola,
//! VitePress, Docusaurus (or other MDX) or mdBook site, which is only read.
//!
//! The stages, one file each: `layout.rs` finds where the source keeps its
//! content, static files and settings and reads those settings;
//! `front.rs` maps each page's front matter to Rolebook's fields (the rest
//! under `extra`); `body.rs` converts the foreign syntax of a body (code
//! left alone); `order.rs` turns mdBook's `SUMMARY.md` and VitePress's
//! sidebar into `weight`s; `report.rs` writes `IMPORT.md`, every construct
//! that was not converted, with the source file and line. Nothing outside
//! the source is read (the content walker's symlink guard) and nothing is
//! written outside DEST, which must be new or empty.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::Symlinks;
use crate::error::{Error, Kind as ErrorKind, Location, Result, display_path};

mod body;
mod front;
mod layout;
mod order;
mod redirects;
mod report;

pub use layout::Format;
pub use report::Note;

/// What to import, from where, to where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The source tool.
    pub from: Format,
    /// The source site's root (only read).
    pub src: PathBuf,
    /// The new site's folder (created; must not exist or be empty).
    pub dest: PathBuf,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Markdown pages written.
    pub pages: usize,
    /// Other files copied (images, static files).
    pub copied: usize,
    /// Constructs converted with a loss or not at all (also in `IMPORT.md`).
    pub notes: Vec<Note>,
}

/// Import the site at `options.src` into a new site at `options.dest`.
pub fn import(options: &ImportOptions) -> Result<ImportReport> {
    let src = &options.src;
    check_folders(src, &options.dest)?;
    let site = layout::read(options.from, src)?;
    let mut notes = site.notes.clone();
    let (files, walk_errors) =
        crate::content::source::walk(src, &site.content_dir, Symlinks::Inside);
    for error in walk_errors {
        notes.push(Note::skipped(error.to_string()));
    }
    let weights = order::weights(&site, &files, &mut notes);
    let statics = static_files(&site, src, &mut notes);
    let mut index = body::StaticFiles::default();
    for (_, inside) in &statics {
        let url = format!("/{}", inside.to_string_lossy().replace('\\', "/"));
        if let Some(stem) = inside.file_stem().and_then(|s| s.to_str()) {
            index
                .by_stem
                .entry(stem.to_string())
                .or_insert_with(|| url.clone());
        }
        index.paths.insert(url);
    }
    let content_files = files
        .iter()
        .filter(|rel| is_markdown(rel, options.from))
        .filter_map(|rel| site.target_path(rel.strip_prefix(&site.content_dir).unwrap_or(rel)))
        .map(|target| {
            let path = target.to_string_lossy().replace('\\', "/");
            (path.to_lowercase(), path)
        })
        .collect();
    let aliases = redirects::aliases(&site, &content_files, &mut notes);
    let mut out = Output::new(&options.dest);
    let mut pages = 0;
    let mut sections = BTreeSet::new();
    for rel in &files {
        let inside = rel.strip_prefix(&site.content_dir).unwrap_or(rel);
        if is_markdown(rel, options.from) {
            let target = site
                .target_path(inside)
                .map(|t| t.to_string_lossy().replace('\\', "/"));
            let page = Page {
                rel,
                inside,
                weight: weights.get(inside).copied(),
                aliases: target
                    .and_then(|t| aliases.get(&t))
                    .cloned()
                    .unwrap_or_default(),
            };
            let Some((target, text)) =
                convert_page(&site, src, &page, (&index, &content_files), &mut notes)
            else {
                continue;
            };
            sections.insert(target.parent().map(Path::to_path_buf).unwrap_or_default());
            out.write(&Path::new("content").join(&target), text.as_bytes())?;
            pages += 1;
        } else if !site.skip(inside) {
            out.copy(&src.join(rel), &Path::new("content").join(inside))?;
        }
    }
    for (rel, inside) in &statics {
        out.copy(&src.join(rel), &Path::new("static").join(inside))?;
    }
    for (dir, text) in section_pages(&site, &out, &sections) {
        out.write(
            &Path::new("content").join(dir).join("_index.md"),
            text.as_bytes(),
        )?;
        pages += 1;
    }
    out.write(Path::new("rolebook.yaml"), site.config_yaml().as_bytes())?;
    notes.sort_by_key(Note::sort_key);
    let report_text = report::render(options.from, src, pages, out.copied, &notes);
    out.write(Path::new("IMPORT.md"), report_text.as_bytes())?;
    Ok(ImportReport {
        pages,
        copied: out.copied,
        notes,
    })
}

/// SRC must be a folder; DEST new or empty, and not inside SRC's content.
fn check_folders(src: &Path, dest: &Path) -> Result<()> {
    if !src.is_dir() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("{} is not a folder", display_path(src)),
        ));
    }
    if dest.exists() {
        let empty = std::fs::read_dir(dest)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("{} exists and is not empty", display_path(dest)),
            )
            .with_hint("import into a new folder: nothing is ever overwritten"));
        }
    }
    let canonical_src = src.canonicalize().unwrap_or_else(|_| src.to_path_buf());
    let dest_abs = crate::site::write::absolute(dest);
    if dest_abs.starts_with(&canonical_src) {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "{} is inside the source {}",
                display_path(dest),
                display_path(src)
            ),
        )
        .with_hint("the source is only read: import into a folder outside it"));
    }
    Ok(())
}

fn is_markdown(rel: &Path, from: Format) -> bool {
    match rel.extension().and_then(|e| e.to_str()) {
        Some("md") => true,
        Some("mdx") => from == Format::Docusaurus,
        _ => false,
    }
}

/// The static files of the source: (path in the source, path under `static/`).
fn static_files(site: &layout::Site, src: &Path, notes: &mut Vec<Note>) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for dir in &site.static_dirs {
        let (files, errors) = crate::content::source::walk(src, dir, Symlinks::Inside);
        for error in errors {
            notes.push(Note::skipped(error.to_string()));
        }
        for rel in files {
            let inside = rel.strip_prefix(dir).unwrap_or(&rel).to_path_buf();
            out.push((rel, inside));
        }
    }
    out
}

/// A Markdown file of the source.
struct Page<'a> {
    /// Relative to the source root.
    rel: &'a Path,
    /// Relative to the content folder.
    inside: &'a Path,
    /// From the source's reading order.
    weight: Option<i64>,
    /// Old URLs from the host's redirects.
    aliases: Vec<String>,
}

/// One page converted: its path under `content/` and its new text.
fn convert_page(
    site: &layout::Site,
    src: &Path,
    page: &Page<'_>,
    (static_files, content_files): (&body::StaticFiles, &BTreeMap<String, String>),
    notes: &mut Vec<Note>,
) -> Option<(PathBuf, String)> {
    let (rel, inside) = (page.rel, page.inside);
    let file = match crate::content::source::read(src, rel) {
        Ok(file) => file,
        Err(error) => {
            notes.push(Note::skipped(error.to_string()));
            return None;
        }
    };
    let target = site.target_path(inside)?;
    let text = file.text.replace("\r\n", "\n");
    let context = body::Context {
        format: site.format,
        file: rel,
        src,
        content_dir: &site.content_dir,
        lang: &site.language,
        taxonomies: &site.taxonomies,
        static_files,
        content_files,
    };
    let (mut front, body, body_line) = front::split(&text, &context, notes);
    let converted = body::convert(body, body_line, &context, &mut front, notes);
    if let Some(weight) = page.weight {
        front.set_weight_if_missing(weight);
    }
    front.add_aliases(&page.aliases);
    // A section page without a title of its own (VitePress's `layout:
    // home`, a folder's bare `index.md`) is called as the menu calls its
    // folder, or by the folder's name; the home page as the site is.
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let section = name == "_index.md" || name == "index.md" && site.index_is_section();
    if section && crate::content::title::first_h1(&converted).is_none() {
        let folder = target
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str());
        front.set_title_if_missing(&site.section_title(folder));
    }
    Some((target, front.write(&converted)))
}

/// Section pages for folders that have pages but no `_index.md` (or, with
/// `index_pages: section`, no `index.md`): breadcrumbs and navigation need
/// them. Their title is the menu's name for the folder, else its name.
fn section_pages(
    site: &layout::Site,
    out: &Output,
    dirs: &BTreeSet<PathBuf>,
) -> Vec<(PathBuf, String)> {
    let mut all = BTreeSet::new();
    for dir in dirs {
        let mut dir = dir.as_path();
        loop {
            all.insert(dir.to_path_buf());
            match dir.parent() {
                Some(parent) => dir = parent,
                None => break,
            }
        }
    }
    let mut pages = Vec::new();
    for dir in all {
        let has_page = ["_index.md", "index.md"].iter().any(|name| {
            out.written
                .contains(&Path::new("content").join(&dir).join(name))
        });
        // Inside a page bundle (its own `index.md` included), no section.
        if has_page || dir.ancestors().any(|d| is_bundle(out, d, site)) {
            continue;
        }
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        let mut fields = serde_json::Map::new();
        fields.insert("title".into(), site.section_title(name.as_deref()).into());
        if let Some(weight) = name.as_deref().and_then(|n| site.section_weights.get(n)) {
            fields.insert("weight".into(), (*weight).into());
        }
        let yaml = crate::content::front_matter::to_yaml(&serde_json::Value::Object(fields));
        pages.push((dir, format!("---\n{yaml}---\n")));
    }
    pages
}

fn is_bundle(out: &Output, dir: &Path, site: &layout::Site) -> bool {
    !site.index_is_section()
        && !dir.as_os_str().is_empty()
        && out
            .written
            .contains(&Path::new("content").join(dir).join("index.md"))
}

/// The new site's files, written once each: a path written twice keeps the
/// first (a page's own bundle file and a static file of one name).
struct Output {
    root: PathBuf,
    written: BTreeSet<PathBuf>,
    copied: usize,
}

impl Output {
    fn new(root: &Path) -> Self {
        Output {
            root: root.to_path_buf(),
            written: BTreeSet::new(),
            copied: 0,
        }
    }

    /// Where `rel` goes, its folder created.
    fn place(&self, rel: &Path) -> Result<PathBuf> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(&path, e))?;
        }
        Ok(path)
    }

    fn write(&mut self, rel: &Path, bytes: &[u8]) -> Result<()> {
        let path = self.place(rel)?;
        std::fs::write(&path, bytes).map_err(|e| io_error(&path, e))?;
        self.written.insert(rel.to_path_buf());
        Ok(())
    }

    fn copy(&mut self, from: &Path, rel: &Path) -> Result<()> {
        if self.written.contains(rel) {
            return Ok(());
        }
        let path = self.place(rel)?;
        std::fs::copy(from, &path).map_err(|e| io_error(from, e))?;
        self.written.insert(rel.to_path_buf());
        self.copied += 1;
        Ok(())
    }
}

fn io_error(path: &Path, error: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, "could not write the imported site")
        .with_location(Location::file(path))
        .with_cause(error)
}
