//! The only code that writes into the output folder.
//!
//! A build writes into a temporary folder beside the output and swaps it in
//! at the end, so a failed or interrupted build leaves the previous site
//! intact. A `.git` folder inside the old output is carried over.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Kind, Result, display_path};

/// Where a build's files go: a folder on disk ([`OutputDir`]) for `build`,
/// memory ([`MemorySink`]) for `serve`.
pub trait Sink: Sync {
    /// Write one output file (`roles/pm/index.html`).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    /// Write one output file the caller no longer needs (memory keeps it
    /// without a copy).
    fn write_owned(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        self.write(rel, &bytes)
    }

    /// Copy a file of the site into the output.
    fn copy(&self, source: &Path, rel: &str) -> Result<()> {
        let bytes = std::fs::read(source).map_err(|e| Error::io("read", source, &e))?;
        self.write(rel, &bytes)
    }
}

impl Sink for OutputDir {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        OutputDir::write(self, rel, bytes)
    }

    fn copy(&self, source: &Path, rel: &str) -> Result<()> {
        OutputDir::copy(self, source, rel)
    }
}

/// The files of a build in memory, by output path: what `serve` serves.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: std::sync::Mutex<std::collections::BTreeMap<String, std::sync::Arc<Stored>>>,
}

impl MemorySink {
    /// The files written, by output path.
    pub fn into_files(self) -> std::collections::BTreeMap<String, std::sync::Arc<Stored>> {
        self.files
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn put(&self, rel: &str, bytes: Vec<u8>) {
        let stored = std::sync::Arc::new(Stored::new(rel, bytes));
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.insert(rel.to_string(), stored);
    }
}

/// One file kept in memory: pages and other markup LZ4-packed, the rest
/// as written. A served 10,000-page site held 300 MB of HTML, which is read
/// back one request at a time; packed it takes about a third, and a page
/// unpacks in tens of microseconds.
#[derive(Clone, PartialEq, Eq)]
pub struct Stored {
    bytes: Box<[u8]>,
    /// The unpacked length, for a packed file.
    unpacked: Option<usize>,
}

/// Smaller files are kept as written: packing them saves next to nothing.
const PACK_FROM_BYTES: usize = 2048;

impl Stored {
    /// Keep `bytes` of the output file `rel`, packed when it is markup.
    pub fn new(rel: &str, bytes: Vec<u8>) -> Self {
        let markup = [".html", ".xml"].iter().any(|end| rel.ends_with(end));
        if !markup || bytes.len() < PACK_FROM_BYTES {
            return Stored {
                bytes: bytes.into_boxed_slice(),
                unpacked: None,
            };
        }
        Stored {
            bytes: lz4_flex::block::compress(&bytes).into_boxed_slice(),
            unpacked: Some(bytes.len()),
        }
    }

    /// The file's bytes.
    pub fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self.unpacked {
            None => std::borrow::Cow::Borrowed(&self.bytes),
            Some(len) => std::borrow::Cow::Owned(
                lz4_flex::block::decompress(&self.bytes, len)
                    .expect("an LZ4 block made by `Stored::new` unpacks"),
            ),
        }
    }

    /// The file's length in bytes.
    pub fn len(&self) -> usize {
        self.unpacked.unwrap_or(self.bytes.len())
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Debug for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stored({} bytes in {})", self.len(), self.bytes.len())
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.put(rel, bytes.to_vec());
        Ok(())
    }

    fn write_owned(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        self.put(rel, bytes);
        Ok(())
    }
}

/// A build in progress: files go to `temp`, [`OutputDir::commit`] swaps it in.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl OutputDir {
    /// Check that `target` is a safe output folder for the site at `root`
    /// and create the temporary folder beside it.
    pub fn prepare(root: &Path, target: &Path) -> Result<OutputDir> {
        check_output_dir(root, target)?;
        // `out` has the parent `""`, which no file call accepts: it is `.`.
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        create_dir_all(parent)?;
        remove_stale_temps(parent, &name);
        let temp = parent.join(format!(".{name}.rolebook-tmp-{}", std::process::id()));
        if temp.exists() {
            remove_dir_all(&temp)?;
        }
        create_dir_all(&temp)?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            temp,
            committed: false,
        })
    }

    /// The folder the finished site ends up in.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Write one output file (`roles/pm/index.html`), creating its folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io("write", &path, &e))
    }

    /// Copy a file from the site into the output (`rel` is its output path).
    pub fn copy(&self, source: &Path, rel: &str) -> Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            create_dir_all(parent)?;
        }
        std::fs::copy(source, &path)
            .map(|_| ())
            .map_err(|e| Error::io("copy", source, &e))
    }

    fn path_of(&self, rel: &str) -> Result<PathBuf> {
        let rel_path = Path::new(rel);
        let safe = rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Err(Error::new(
                Kind::Content,
                format!("refusing to write `{rel}` outside the output folder"),
            ));
        }
        Ok(self.temp.join(rel_path))
    }

    /// Swap the finished site in: the old output (if any) is replaced, its
    /// `.git` folder moved into the new one.
    pub fn commit(mut self) -> Result<()> {
        let old = self.target.with_file_name(format!(
            ".{}.rolebook-old-{}",
            self.target
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
        if self.target.exists() {
            let git = self.target.join(".git");
            if git.exists() {
                rename(&git, &self.temp.join(".git"))?;
            }
            rename(&self.target, &old)?;
        }
        rename(&self.temp, &self.target)?;
        self.committed = true;
        if old.exists() {
            remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for OutputDir {
    /// A build that did not commit leaves no temporary folder behind.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

/// Refuse output folders whose replacement would destroy the site itself:
/// `/`, the site root or a folder containing it, and the site's own inputs.
pub fn check_output_dir(root: &Path, target: &Path) -> Result<()> {
    let root = absolute(root);
    let target = absolute(target);
    let refuse = |why: &str| {
        Err(Error::new(
            Kind::Usage,
            format!(
                "refusing to use `{}` as the output folder: {why}",
                display_path(&target)
            ),
        )
        .with_hint("choose a separate folder such as `public/` (nothing was deleted)"))
    };
    if target.parent().is_none() {
        return refuse("it is the file system root");
    }
    if root.starts_with(&target) {
        return refuse("it contains the site itself");
    }
    for input in ["content", "themes", "templates", "static", "i18n"] {
        if target.starts_with(root.join(input)) {
            return refuse(&format!("it is inside the site's `{input}/` folder"));
        }
    }
    if target.exists() && !target.is_dir() {
        return refuse("it is a file");
    }
    if target.is_dir() && !looks_like_a_site(&target) {
        return refuse(
            "it is a non-empty folder that does not look like a built site (no `index.html`)",
        );
    }
    Ok(())
}

fn looks_like_a_site(dir: &Path) -> bool {
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let empty = entries.all(|e| e.is_ok_and(|e| e.file_name() == ".git"));
    empty
        || ["index.html", "404.html", "sitemap.xml"]
            .iter()
            .any(|f| dir.join(f).exists())
}

/// An absolute path with `.` and `..` resolved, and symlinks resolved in
/// the part that exists (the output folder may not exist yet).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut lexical = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        let Some(name) = existing.file_name().map(|n| n.to_os_string()) else {
            break;
        };
        rest.push(name);
        existing.pop();
    }
    let mut result = existing.canonicalize().unwrap_or(existing);
    result.extend(rest.iter().rev());
    result
}

/// Temporary folders of interrupted builds whose process is gone.
fn remove_stale_temps(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = file_name
            .strip_prefix(&format!(".{name}.rolebook-tmp-"))
            .or_else(|| file_name.strip_prefix(&format!(".{name}.rolebook-old-")))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            let alive = Path::new(&format!("/proc/{pid}")).exists();
            if !alive || pid == std::process::id() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io("create the folder", path, &e))
}

fn remove_dir_all(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path).map_err(|e| Error::io("remove", path, &e))
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io("move", from, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_output_folders() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        for bad in [
            PathBuf::from("/"),
            root.clone(),
            site.path().to_path_buf(),
            root.join("content"),
            root.join("content/x"),
            root.join("public/.."),
        ] {
            let err = check_output_dir(&root, &bad).unwrap_err();
            assert!(err.to_string().contains("refusing"), "{bad:?}: {err}");
        }
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_site() {
        let site = tempfile::tempdir().unwrap();
        let docs = site.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("thesis.txt"), "precious").unwrap();
        assert!(check_output_dir(site.path(), &docs).is_err());
        std::fs::write(docs.join("index.html"), "").unwrap();
        assert!(check_output_dir(site.path(), &docs).is_ok());
    }

    #[test]
    fn commit_swaps_and_keeps_git() {
        let site = tempfile::tempdir().unwrap();
        let public = site.path().join("public");
        std::fs::create_dir_all(public.join(".git")).unwrap();
        std::fs::write(public.join(".git/HEAD"), "ref").unwrap();
        std::fs::write(public.join("index.html"), "old").unwrap();
        std::fs::write(public.join("stale.html"), "old").unwrap();
        let out = OutputDir::prepare(site.path(), &public).unwrap();
        out.write("index.html", b"new").unwrap();
        out.write("a/b/index.html", b"deep").unwrap();
        assert!(out.write("../evil", b"x").is_err());
        out.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(public.join(".git/HEAD")).unwrap(),
            "ref"
        );
        assert!(!public.join("stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn dropping_without_commit_keeps_the_old_site() {
        let site = tempfile::tempdir().unwrap();
        let public = site.path().join("public");
        std::fs::create_dir_all(&public).unwrap();
        std::fs::write(public.join("index.html"), "old").unwrap();
        let out = OutputDir::prepare(site.path(), &public).unwrap();
        out.write("index.html", b"new").unwrap();
        drop(out);
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(site.path()).unwrap().count(), 1);
    }

    #[test]
    fn memory_keeps_pages_packed_and_gives_back_the_same_bytes() {
        let page = "<li><a href=\"/roles/pm/\">Менеджер проектов</a></li>\n".repeat(100);
        let sink = MemorySink::default();
        sink.write("roles/pm/index.html", page.as_bytes()).unwrap();
        sink.write("search/shard.bin", page.as_bytes()).unwrap();
        sink.write("a/index.html", b"<p>short</p>").unwrap();
        let files = sink.into_files();
        let packed = &files["roles/pm/index.html"];
        assert_eq!(packed.bytes().as_ref(), page.as_bytes());
        assert_eq!(packed.len(), page.len());
        assert!(format!("{packed:?}").ends_with(&format!("in {})", packed.bytes.len())));
        assert!(packed.bytes.len() * 4 < page.len(), "{packed:?}");
        // Not markup, or too small to gain: kept as written.
        assert_eq!(files["search/shard.bin"].bytes.len(), page.len());
        assert_eq!(files["a/index.html"].bytes.as_ref(), b"<p>short</p>");
        assert_eq!(
            *files["roles/pm/index.html"],
            Stored::new("x.html", page.into_bytes())
        );
    }
}
