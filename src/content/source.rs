//! The only reader of content files: finds them, reads each once, and turns
//! every way a file can be unreadable into a located error.

use std::path::{Path, PathBuf};

use crate::config::Symlinks;
use crate::error::{Error, Location, Result};

/// A content file's text, with a UTF-8 BOM removed and CRLF turned into LF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the site root (`content/roles/pm.md`).
    pub path: PathBuf,
    /// The text.
    pub text: String,
}

/// What a walk of `content/` found.
#[derive(Debug, Default)]
pub struct ContentFiles {
    /// Markdown files, relative to the site root, sorted.
    pub markdown: Vec<PathBuf>,
    /// Every other file (images, downloads), relative to the site root, sorted.
    pub assets: Vec<PathBuf>,
}

/// Walk `root/content`, skipping hidden files and editor leftovers. Symlinks
/// are followed where `symlinks` allows; loops, unreadable folders and links
/// out of the site are reported, never fatal.
pub fn discover(root: &Path, symlinks: Symlinks) -> (ContentFiles, Vec<Error>) {
    let mut files = ContentFiles::default();
    if !root.join("content").is_dir() {
        let error = Error::at(
            Location::file("content"),
            "the site has no `content/` folder",
        )
        .with_hint("create `content/_index.md` for the home page");
        return (files, vec![error]);
    }
    let (found, errors) = walk(root, Path::new("content"), symlinks);
    for rel in found {
        if rel.extension().is_some_and(|e| e == "md") {
            files.markdown.push(rel);
        } else {
            files.assets.push(rel);
        }
    }
    (files, errors)
}

/// Every file below `root/dir` (paths relative to `root`), sorted, without
/// hidden files and editor leftovers. A symlink is followed only when its
/// target stays inside the site, unless the site says `symlinks: follow`:
/// a link out of the site is an error and nothing of its target is listed.
pub fn walk(root: &Path, dir: &Path, symlinks: Symlinks) -> (Vec<PathBuf>, Vec<Error>) {
    let top = root.join(dir);
    if !top.is_dir() {
        return (Vec::new(), Vec::new());
    }
    let guard = Guard::new(root, symlinks);
    if let Err(error) = guard.check(&top) {
        return (Vec::new(), vec![error]);
    }
    let refused = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(&top)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let visible = e.depth() == 0 || !is_ignored(e.file_name());
            visible && (e.depth() == 0 || !e.path_is_symlink() || guard.admit(e.path(), &refused))
        });
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(relative(root, entry.path())),
            Ok(_) => {}
            Err(err) => errors.push(walk_error(root, &err)),
        }
    }
    errors.extend(refused.into_inner());
    (files, errors)
}

/// Check that a file of the site (relative to `root`) does not lead out of
/// it through a symlink; for files that arrive one at a time (`serve`).
pub fn check_inside(root: &Path, rel: &Path, symlinks: Symlinks) -> Result<()> {
    Guard::new(root, symlinks).check(&root.join(rel))
}

/// Decides whether a symlink may be followed: its target must resolve
/// inside the site root (which may itself be reached through a symlink).
struct Guard<'a> {
    root: &'a Path,
    canonical_root: Option<PathBuf>,
}

impl<'a> Guard<'a> {
    fn new(root: &'a Path, symlinks: Symlinks) -> Self {
        let canonical_root = match symlinks {
            Symlinks::Follow => None,
            Symlinks::Inside => Some(root.canonicalize().unwrap_or_else(|_| root.to_path_buf())),
        };
        Guard {
            root,
            canonical_root,
        }
    }

    /// `Err` when `path` resolves outside the site. A dangling link passes
    /// here; the walk reports it as unreadable.
    fn check(&self, path: &Path) -> Result<()> {
        let Some(root) = &self.canonical_root else {
            return Ok(());
        };
        match path.canonicalize() {
            Ok(target) if !target.starts_with(root) => {
                Err(outside_error(&relative(self.root, path), &target))
            }
            _ => Ok(()),
        }
    }

    fn admit(&self, path: &Path, refused: &std::cell::RefCell<Vec<Error>>) -> bool {
        match self.check(path) {
            Ok(()) => true,
            Err(error) => {
                refused.borrow_mut().push(error);
                false
            }
        }
    }
}

fn outside_error(link: &Path, target: &Path) -> Error {
    Error::at(
        Location::file(link),
        format!(
            "symlink to `{}`, which is outside the site",
            crate::error::display_path(target)
        ),
    )
    .with_hint(
        "copy what the site needs into it; to follow links out of the site on purpose, set `symlinks: follow` in rolebook.yaml",
    )
}

fn walk_error(root: &Path, err: &walkdir::Error) -> Error {
    let path = err.path().map(|p| relative(root, p)).unwrap_or_default();
    if let Some(ancestor) = err.loop_ancestor() {
        return Error::at(
            Location::file(&path),
            format!(
                "symlink loop: this folder links back to `{}`",
                crate::error::display_path(&relative(root, ancestor))
            ),
        )
        .with_hint("remove the symlink or point it outside its own parent folders");
    }
    if let Some(full) = err.path()
        && let Ok(target) = std::fs::read_link(full)
        && !full.exists()
    {
        return Error::at(
            Location::file(&path),
            format!(
                "broken symlink: `{}` does not exist",
                crate::error::display_path(&target)
            ),
        )
        .with_hint("point the link at an existing file of the site, or remove it");
    }
    let error = Error::at(Location::file(&path), "could not read this folder");
    match err.io_error() {
        Some(io) => error.with_cause(io),
        None => error.with_cause(err),
    }
}

/// Hidden files and editor leftovers are not content.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Read one content file as UTF-8 text.
pub fn read(root: &Path, path: &Path) -> Result<SourceFile> {
    let bytes = std::fs::read(root.join(path))
        .map_err(|e| Error::at(Location::file(path), "could not read this file").with_cause(e))?;
    let text = decode(path, bytes)?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

/// UTF-8 check with a located message, BOM removal and CRLF normalization.
fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if let Some(nul) = memchr::memchr(0, &bytes) {
        let (line, column) = line_col_of_byte(&bytes, nul);
        return Err(Error::at(
            Location::at(path, line, column),
            "this looks like a binary file, not Markdown (it contains a NUL byte)",
        )
        .with_hint("rename it so it does not end in `.md`, or move it out of `content/`"));
    }
    // simdutf8 checks Cyrillic text about ten times faster than `std`, and
    // copying the checked text is cheaper still than checking it twice.
    let Ok(checked) = simdutf8::basic::from_utf8(&bytes) else {
        return Err(not_utf8(path, &bytes));
    };
    let mut text = checked
        .strip_prefix('\u{feff}')
        .unwrap_or(checked)
        .to_owned();
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    Ok(text)
}

/// The error for a file that is not UTF-8, at its first bad byte.
fn not_utf8(path: &Path, bytes: &[u8]) -> Error {
    let bad = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let (line, column) = line_col_of_byte(bytes, bad);
    Error::at(
        Location::at(path, line, column),
        format!("the file is not valid UTF-8 (byte 0x{:02x})", bytes[bad]),
    )
    .with_hint(
        "save the file as UTF-8 (e.g. convert from Windows-1251 with `iconv -f cp1251 -t utf-8`)",
    )
}

fn line_col_of_byte(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".hidden.md",
            "a.md~",
            ".#a.md",
            "a.md.swp",
            "a.tmp",
            "#a.md#",
        ] {
            assert!(is_ignored(std::ffi::OsStr::new(name)), "{name}");
        }
        assert!(!is_ignored(std::ffi::OsStr::new("a.md")));
    }

    #[test]
    fn bom_and_crlf_are_normalized() {
        let text = decode(
            Path::new("a.md"),
            b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(text, "---\ntitle: x\n---\n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode(Path::new("content/a.md"), b"ok\nab\xff".to_vec()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("content/a.md:2:3: error: the file is not valid UTF-8"),
            "{err}"
        );
        let err = decode(Path::new("content/b.md"), b"\x00\x01".to_vec()).unwrap_err();
        assert!(err.to_string().contains("binary file"), "{err}");
    }
}
