//! The default theme: publishing meta, sub-path builds, feeds, languages,
//! and in a real browser accessibility (axe-core), layout on phones, the
//! remembered dark mode and offline reading.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::browser::{self, StaticServer};
use crate::pages::{self, PAGE_TYPES, Scheme};
use crate::support::{TestSite, element};

/// Every `.html` file under `dir`, sorted.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Save screenshots of every page type at phone and desktop sizes, light and
/// dark, into `$ROLEBOOK_SCREENSHOTS` (default `/tmp/theme-shots`). A tool for
/// looking at the theme, not a check: `cargo test screenshots -- --ignored`.
#[test]
#[ignore = "writes screenshots for people to look at"]
fn screenshots() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let dir = std::env::var_os("ROLEBOOK_SCREENSHOTS")
        .map_or_else(|| PathBuf::from("/tmp/theme-shots"), PathBuf::from);
    std::fs::create_dir_all(&dir).unwrap();
    let site = TestSite::bundled();
    site.build();
    let server = StaticServer::start(&site.public());
    // Optional filters: `ROLEBOOK_SCREENSHOT_ONLY=role,home:390:dark` (page names, width, scheme).
    let only = std::env::var("ROLEBOOK_SCREENSHOT_ONLY").unwrap_or_default();
    let mut filter = only.split(':');
    let (names, widths, schemes) = (
        filter.next().unwrap_or(""),
        filter.next().unwrap_or(""),
        filter.next().unwrap_or(""),
    );
    let wanted = |list: &str, item: &str| list.is_empty() || list.split(',').any(|x| x == item);
    let tab = browser::tab(&chrome);
    for (width, height) in [(390, 844), (1366, 900)] {
        for scheme in [Scheme::Light, Scheme::Dark] {
            if !wanted(widths, &width.to_string()) || !wanted(schemes, scheme.name()) {
                continue;
            }
            pages::emulate(&tab, width, height, scheme);
            for (name, url) in PAGE_TYPES {
                if !wanted(names, name) {
                    continue;
                }
                pages::open(&tab, &format!("{}{url}", server.url));
                let file = format!("{}-{width}-{}", name.replace(' ', "-"), scheme.name());
                pages::full_screenshot(&tab, &dir, &file, (width, height), scheme);
            }
        }
    }
}
