//! Watching: notify events (debounced by notify's own debouncer) turned into
//! a [`ChangeSet`] that says what to rebuild. The classification is a pure,
//! unit-tested function of the changed paths.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::error::{Error, Kind, Result};

/// Debounce window: long enough to merge an editor's write-then-rename,
/// short enough that the browser updates at once.
pub const DEBOUNCE: Duration = Duration::from_millis(5);

/// What changed, by kind of input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Content files (relative to the site root) created, changed or removed.
    pub content: BTreeSet<PathBuf>,
    /// A template of the site or theme changed.
    pub templates: bool,
    /// Static files changed (theme or site).
    pub static_files: BTreeSet<PathBuf>,
    /// UI strings changed.
    pub strings: bool,
    /// `rolebook.yaml` changed: everything is rebuilt.
    pub config: bool,
}

impl ChangeSet {
    /// Nothing to do.
    pub fn is_empty(&self) -> bool {
        self.content.is_empty()
            && !self.templates
            && self.static_files.is_empty()
            && !self.strings
            && !self.config
    }

    /// Only stylesheets changed: the browser can swap them without a reload.
    pub fn is_css_only(&self) -> bool {
        !self.static_files.is_empty()
            && self
                .static_files
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
            && self.content.is_empty()
            && !self.templates
            && !self.strings
            && !self.config
    }

    /// Merge another change set into this one.
    pub fn extend(&mut self, other: ChangeSet) {
        self.content.extend(other.content);
        self.static_files.extend(other.static_files);
        self.templates |= other.templates;
        self.strings |= other.strings;
        self.config |= other.config;
    }
}

/// Classify changed absolute paths of the site at `root`. Paths outside the
/// watched inputs, hidden files, editor leftovers and the output folder are ignored.
pub fn classify(root: &Path, output: &Path, paths: &[PathBuf]) -> ChangeSet {
    let mut changes = ChangeSet::default();
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        if path.starts_with(output) || is_ignored(rel) {
            continue;
        }
        let parts: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(p) => p.to_str(),
                _ => None,
            })
            .collect();
        match parts.as_slice() {
            [crate::config::CONFIG_FILE] => changes.config = true,
            ["content", ..] => {
                changes.content.insert(rel.to_path_buf());
            }
            ["templates", ..] | ["themes", _, "templates", ..] => changes.templates = true,
            ["static", rest @ ..] | ["themes", _, "static", rest @ ..] if !rest.is_empty() => {
                changes.static_files.insert(rel.to_path_buf());
            }
            ["i18n", ..] | ["themes", _, "i18n", ..] => changes.strings = true,
            _ => {}
        }
    }
    changes
}

/// Creations, writes, renames and removals; not reads or metadata touches.
fn is_change(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(access) => matches!(
            access,
            notify::event::AccessKind::Close(notify::event::AccessMode::Write)
        ),
        EventKind::Other => false,
    }
}

/// Hidden files and folders, and editor leftovers.
fn is_ignored(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(name) => crate::content::source::is_ignored(name),
        _ => false,
    })
}

/// Size and modification time of a file, to notice changes no event told of.
pub type Stamp = (u64, Option<std::time::SystemTime>);

/// Every file the loader finds under `content/` ([`crate::content::source::discover`]:
/// the same files, ignored ones left out, symlinks followed), with its [`Stamp`].
pub fn content_stamps(
    root: &Path,
    symlinks: crate::config::Symlinks,
) -> std::collections::BTreeMap<PathBuf, Stamp> {
    let (found, _) = crate::content::source::discover(root, symlinks);
    found
        .markdown
        .into_iter()
        .chain(found.assets)
        .filter_map(|rel| stamp(root, &rel).map(|stamp| (rel, stamp)))
        .collect()
}

/// The stamp of one file (relative to `root`), `None` when it is gone.
pub fn stamp(root: &Path, rel: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(root.join(rel)).ok()?;
    meta.is_file().then(|| (meta.len(), meta.modified().ok()))
}

/// Content files whose stamps differ between `seen` and `now`.
pub fn missed(
    seen: &std::collections::BTreeMap<PathBuf, Stamp>,
    now: &std::collections::BTreeMap<PathBuf, Stamp>,
) -> BTreeSet<PathBuf> {
    let changed = now.iter().filter(|(p, s)| seen.get(*p) != Some(s));
    let gone = seen.keys().filter(|p| !now.contains_key(*p));
    changed
        .map(|(p, _)| p.clone())
        .chain(gone.cloned())
        .collect()
}

type Debouncer = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _debouncer: Arc<Mutex<Debouncer>>,
}

/// The input folders of a site: watched recursively, also when they appear
/// after `serve` started.
const INPUT_FOLDERS: [&str; 5] = ["content", "templates", "static", "themes", "i18n"];

/// Input folders among `paths` that were just created at the top of the
/// site (`static/` made for the first override): they need a watch of their own.
fn appeared_inputs(root: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.parent() == Some(root))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| INPUT_FOLDERS.contains(&n))
        })
        .filter(|p| p.is_dir())
        .cloned()
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Watch the site's inputs and send a [`ChangeSet`] for every debounced burst.
pub fn watch(root: &Path, output: &Path, sender: mpsc::Sender<ChangeSet>) -> Result<Watcher> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let output = output.to_path_buf();
    let handler_root = root.clone();
    let (appeared, appeared_rx) = mpsc::channel::<PathBuf>();
    let on_appeared = sender.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        // A watcher error or an overflowed event queue means changes may have
        // been missed: rebuild everything rather than serve a stale site.
        let rescan = ChangeSet {
            config: true,
            ..ChangeSet::default()
        };
        let Ok(events) = result else {
            let _ = sender.send(rescan);
            return;
        };
        if events.iter().any(|e| e.event.need_rescan()) {
            let _ = sender.send(rescan);
            return;
        }
        // Reading files (our own builds do) must not trigger rebuilds.
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| is_change(&e.event.kind))
            .flat_map(|e| e.event.paths)
            .collect();
        for folder in appeared_inputs(&handler_root, &paths) {
            let _ = appeared.send(folder);
        }
        let changes = classify(&handler_root, &output, &paths);
        if !changes.is_empty() {
            let _ = sender.send(changes);
        }
    })
    .map_err(|e| Error::new(Kind::Io, "could not start watching files").with_cause(e))?;
    for dir in INPUT_FOLDERS {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Error::io("watch", &path, &std::io::Error::other(e.to_string())))?;
        }
    }
    // The root itself (not recursive): `rolebook.yaml`, and input folders created later.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::io("watch", &root, &std::io::Error::other(e.to_string())))?;
    let debouncer = Arc::new(Mutex::new(debouncer));
    watch_appearing(Arc::downgrade(&debouncer), appeared_rx, on_appeared);
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

/// A folder such as `templates/` created while `serve` runs is watched from
/// then on, and the site is rebuilt whole (files may have been written into
/// it before its watch began). The watch is added from a thread of its own:
/// the event handler runs on the watcher's thread, which `watch` waits on.
/// The thread ends with the watcher (its handler holds the other end).
fn watch_appearing(
    debouncer: std::sync::Weak<Mutex<Debouncer>>,
    appeared: mpsc::Receiver<PathBuf>,
    sender: mpsc::Sender<ChangeSet>,
) {
    std::thread::spawn(move || {
        for folder in appeared {
            let Some(debouncer) = debouncer.upgrade() else {
                break;
            };
            let watched = debouncer
                .lock()
                .map(|mut d| d.watch(&folder, RecursiveMode::Recursive).is_ok())
                .unwrap_or(false);
            if watched {
                let rebuild = ChangeSet {
                    config: true,
                    ..ChangeSet::default()
                };
                let _ = sender.send(rebuild);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(paths: &[&str]) -> ChangeSet {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
        classify(root, &root.join("public"), &paths)
    }

    #[test]
    fn files_changed_added_or_removed_without_an_event_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/roles")).unwrap();
        std::fs::write(root.join("content/a.md"), "a").unwrap();
        std::fs::write(root.join("content/roles/b.md"), "b").unwrap();
        std::fs::write(root.join("content/.b.md.swp"), "x").unwrap();
        let seen = content_stamps(root, crate::config::Symlinks::Inside);
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(
            missed(
                &seen,
                &content_stamps(root, crate::config::Symlinks::Inside)
            )
            .is_empty()
        );
        std::fs::write(root.join("content/a.md"), "a, longer").unwrap();
        std::fs::remove_file(root.join("content/roles/b.md")).unwrap();
        std::fs::write(root.join("content/roles/c.md"), "c").unwrap();
        let found: Vec<PathBuf> = missed(
            &seen,
            &content_stamps(root, crate::config::Symlinks::Inside),
        )
        .into_iter()
        .collect();
        assert_eq!(
            found,
            ["content/a.md", "content/roles/b.md", "content/roles/c.md"].map(PathBuf::from)
        );
        assert_eq!(stamp(root, Path::new("content/roles/b.md")), None);
    }

    #[cfg(unix)]
    #[test]
    fn files_in_symlinked_folders_are_stamped_like_the_loader_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(root.join("shared/a.md"), "a").unwrap();
        std::os::unix::fs::symlink(root.join("shared"), root.join("content/shared")).unwrap();
        let stamps = content_stamps(root, crate::config::Symlinks::Inside);
        let path = PathBuf::from("content/shared/a.md");
        assert_eq!(stamps.get(&path).copied(), stamp(root, &path));
        assert!(stamps.contains_key(&path), "{stamps:?}");
    }

    #[test]
    fn content_templates_static_and_config_are_told_apart() {
        let c = changes(&[
            "content/roles/pm.md",
            "templates/page.html",
            "static/extra.css",
            "rolebook.yaml",
        ]);
        assert_eq!(
            c.content.iter().collect::<Vec<_>>(),
            [Path::new("content/roles/pm.md")]
        );
        assert!(c.templates && c.config);
        assert_eq!(c.static_files.len(), 1);
        let theme = changes(&[
            "themes/default/templates/base.html",
            "themes/default/i18n/ru.yaml",
        ]);
        assert!(theme.templates && theme.strings);
    }

    #[test]
    fn output_hidden_and_editor_files_are_ignored() {
        let c = changes(&[
            "public/index.html",
            "content/.pm.md.swp",
            "content/pm.md~",
            "content/.#pm.md",
            ".git/HEAD",
            "content/4913",
            "README.md",
        ]);
        assert_eq!(
            c.content.iter().collect::<Vec<_>>(),
            [Path::new("content/4913")]
        );
        assert!(!c.config && !c.templates);
    }

    #[test]
    fn css_only_changes_are_recognized() {
        assert!(changes(&["static/style.css"]).is_css_only());
        assert!(changes(&["themes/default/static/style.css", "static/print.css"]).is_css_only());
        assert!(!changes(&["static/style.css", "content/a.md"]).is_css_only());
        assert!(!changes(&["static/app.js"]).is_css_only());
        assert!(!ChangeSet::default().is_css_only());
    }
}
