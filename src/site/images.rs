//! The site's raster images: every PNG, JPEG and WebP file of `content/`
//! and the files of `static/` that pages show get their size and resized
//! WebP copies ([`crate::images`]) once the site is resolved, so templates
//! and components write `width`, `height` and `srcset`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::error::Error;
use crate::images::{Cache, Processed, is_raster};
use crate::model::{ImageCopy, ImageInfo, Site};
use crate::render::Theme;
use crate::render::theme::StaticSource;

/// The output folder of resized copies.
pub const OUTPUT_FOLDER: &str = "processed_images";

/// Size and copies for the images of `site`; a file that cannot be
/// decoded is an error naming it.
pub fn attach(site: &mut Site, theme: &Theme, cache: &Cache, errors: &mut Vec<Error>) {
    let _span = tracing::info_span!("images").entered();
    let widths = site.config.images.widths.clone();
    let assets: Vec<usize> = (0..site.assets.len())
        .filter(|&i| is_raster(&site.assets[i].content_path))
        .collect();
    let statics = shown_static_images(site, theme);
    let mut sources: Vec<(PathBuf, PathBuf)> = assets
        .iter()
        .map(|&i| {
            let source = &site.assets[i].source;
            (site.root.join(source), source.clone())
        })
        .collect();
    sources.extend(statics.iter().map(|(_, file)| {
        let shown = file.strip_prefix(&site.root).unwrap_or(file).to_path_buf();
        (file.clone(), shown)
    }));
    let mut results = cache.process(&sources, &widths).into_iter();
    let base_path = site.config.base_path().to_string();
    for &i in &assets {
        match results.next() {
            Some(Ok(processed)) => site.assets[i].image = Some(info(processed, &base_path)),
            Some(Err(error)) => errors.push(error),
            None => {}
        }
    }
    for (rel, _) in statics {
        match results.next() {
            Some(Ok(processed)) => {
                site.static_images.insert(rel, info(processed, &base_path));
            }
            Some(Err(error)) => errors.push(error),
            None => {}
        }
    }
}

/// The model's view of processed copies.
fn info(processed: Processed, base_path: &str) -> ImageInfo {
    ImageInfo {
        width: processed.original.width,
        height: processed.original.height,
        hash: processed.original.hash,
        copies: processed
            .copies
            .into_iter()
            .map(|copy| {
                let rel_url = format!("{OUTPUT_FOLDER}/{}", copy.name);
                ImageCopy {
                    width: copy.width,
                    height: copy.height,
                    url: format!("{base_path}{rel_url}"),
                    rel_url,
                    cache: copy.file,
                }
            })
            .collect(),
    }
}

/// Root-relative raster images (`/img/team.png`) the pages show with
/// Markdown images or `figure()` that are files of `static/` on disk:
/// their path in `static/` and the file.
fn shown_static_images(site: &Site, theme: &Theme) -> Vec<(String, PathBuf)> {
    let shown: BTreeSet<&str> = site
        .entries
        .iter()
        .flat_map(|e| &e.rendered.components)
        .filter_map(|call| call.args.get("src").and_then(|v| v.as_str()))
        .filter(|src| src.starts_with('/') && !src.starts_with("//") && is_raster(src))
        .collect();
    shown
        .into_iter()
        .filter_map(|src| {
            let rel = crate::images::static_path(src, site.config.base_path());
            match theme.static_file(rel)?.source() {
                StaticSource::Disk(path) => Some((rel.to_string(), path.to_path_buf())),
                StaticSource::Embedded(_) => None,
            }
        })
        .collect()
}
