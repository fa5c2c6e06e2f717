//! `resize_image(path=, width=, format=)`: a copy of an image of the site
//! (a file of `content/` by its path there, or of `static/` root-relative)
//! at any width, for themes. The copy comes from the image cache
//! ([`crate::images::Cache`], made there on first use); the job whose
//! template asked for it copies it into the output ([`record_copies`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Kwargs, TeraResult, Value};

use super::functions::Lookup;
use crate::images::Format;

thread_local! {
    /// Copies asked for during the current job: (output path, cache file).
    static COPIES: RefCell<Option<Vec<(String, PathBuf)>>> = const { RefCell::new(None) };
}

/// Run `render` and return the image copies its templates asked for.
pub fn record_copies<T>(render: impl FnOnce() -> T) -> (T, Vec<(String, PathBuf)>) {
    let previous = COPIES.with(|c| c.replace(Some(Vec::new())));
    let result = render();
    let copies = COPIES.with(|c| c.replace(previous)).unwrap_or_default();
    (result, copies)
}

/// Note a copy for the job running now.
pub(crate) fn note_copy(rel_url: &str, file: &std::path::Path) {
    COPIES.with(|c| {
        if let Some(copies) = c.borrow_mut().as_mut() {
            copies.push((rel_url.to_string(), file.to_path_buf()));
        }
    });
}

/// The files of `static/` on disk, by their path there.
pub(super) fn static_sources(theme: &super::Theme) -> HashMap<String, PathBuf> {
    theme
        .static_files()
        .iter()
        .filter_map(|file| match file.source() {
            super::theme::StaticSource::Disk(path) => Some((file.rel.clone(), path.to_path_buf())),
            super::theme::StaticSource::Embedded(_) => None,
        })
        .collect()
}

fn error(message: String) -> tera::Error {
    tera::Error::message(message)
}

/// The function: `{url, width, height, orig_width, orig_height}`.
pub(super) fn resize_image(lookup: &Lookup, kwargs: &Kwargs) -> TeraResult<Value> {
    let path = kwargs.must_get::<&str>("path")?;
    let width = kwargs.must_get::<u32>("width")?;
    let format = kwargs.get::<&str>("format")?.unwrap_or("webp");
    let format = Format::parse(format).ok_or_else(|| {
        error(format!(
            "`resize_image`: unknown format `{format}` (hint: write `webp`, `png` or `jpg`)"
        ))
    })?;
    let site = &lookup.site;
    let source = match path.starts_with('/') {
        true => {
            let rel = crate::images::static_path(path, lookup.site.config.base_path());
            lookup.static_sources.get(rel).cloned()
        }
        false => {
            let rel = path.trim_start_matches("@/").trim_start_matches("content/");
            site.assets
                .iter()
                .find(|a| a.content_path == rel)
                .map(|a| site.root.join(&a.source))
        }
    };
    let file = source.ok_or_else(|| {
        error(format!(
            "`resize_image`: no image `{path}` (hint: give a file of `content/` by its path there, `articles/a/chart.png`, or a file of `static/` as `/img/chart.png`)"
        ))
    })?;
    let shown = file.strip_prefix(&site.root).unwrap_or(&file).to_path_buf();
    let (original, copy) = lookup
        .image_cache
        .resize(&file, &shown, width, format)
        .map_err(|e| error(e.to_string()))?;
    let rel_url = format!("processed_images/{}", copy.name);
    note_copy(&rel_url, &copy.file);
    let mut map = tera::Map::new();
    map.insert(
        "url".into(),
        Value::from(format!("{}{rel_url}", site.config.base_path())),
    );
    map.insert("width".into(), Value::from(copy.width));
    map.insert("height".into(), Value::from(copy.height));
    map.insert("orig_width".into(), Value::from(original.width));
    map.insert("orig_height".into(), Value::from(original.height));
    Ok(Value::from(map))
}
