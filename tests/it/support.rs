//! `TestSite`: copy a fixture to a temporary folder, build it, read the output.

use std::path::{Path, PathBuf};
use std::process::Command;

use rolebook::error::Failure;
use rolebook::site::{self, BuildOptions, BuildReport};

/// A fixture site copied into a temporary folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// "Today" for tests that depend on it: 2026-01-15.
pub const TODAY_EPOCH: &str = "1768435200";

impl TestSite {
    /// Copy `tests/fixtures/<case>` into a fresh temporary folder.
    #[track_caller]
    pub fn new(case: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(case);
        assert!(fixture.is_dir(), "no fixture {}", fixture.display());
        copy_dir(&fixture, dir.path());
        TestSite { dir }
    }

    /// A copy of the bundled site (the repository's own `content/`).
    pub fn bundled() -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &dir.path().join("content"));
        std::fs::copy(repo.join("rolebook.yaml"), dir.path().join("rolebook.yaml")).unwrap();
        TestSite { dir }
    }

    /// An empty site with only a config, for tests that write their own files.
    pub fn empty(config: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("rolebook.yaml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        TestSite { dir }
    }

    /// A site written by `rolebook import --from <tool>` from the fixture
    /// `tests/fixtures/import/<tool>`; panics with the output on failure.
    #[track_caller]
    pub fn import(tool: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import")
            .join(tool);
        let output = Command::new(env!("CARGO_BIN_EXE_rolebook"))
            .args(["import", "--from", tool])
            .arg(&source)
            .arg(dir.path())
            .output()
            .expect("run rolebook");
        assert!(
            output.status.success(),
            "import failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        TestSite { dir }
    }

    /// A file of the site (not of the output) as text.
    #[track_caller]
    pub fn source(&self, rel: &str) -> String {
        let path = self.root().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Write (or replace) a file of the site.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Options for a build with a pinned "today".
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            today: Some(site::date_from_epoch(TODAY_EPOCH).unwrap()),
            ..BuildOptions::default()
        }
    }

    /// Build through the library; panics with the report on failure.
    #[track_caller]
    pub fn build(&self) -> BuildReport {
        match site::build(&self.options()) {
            Ok(report) => report,
            Err(failure) => panic!("build failed:\n{}", render_failure(&failure)),
        }
    }

    /// Build and expect failure; returns the errors as printed, one string each.
    #[track_caller]
    pub fn errors(&self) -> Vec<String> {
        match site::build(&self.options()) {
            Ok(_) => panic!("build succeeded, expected errors"),
            Err(failure) => failure.errors.iter().map(|e| e.to_string()).collect(),
        }
    }

    /// Path of the output folder.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A file of the output as text.
    #[track_caller]
    pub fn file(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// True if the output has this file.
    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }

    /// The `<main>` element of the page at `url` (`/roles/pm/`).
    #[track_caller]
    pub fn main_html(&self, url: &str) -> String {
        let html = self.file(&format!("{}index.html", url.trim_start_matches('/')));
        element(&html, "<main", "</main>")
    }

    /// No temporary or old output folder of a build is left in the site root.
    #[track_caller]
    pub fn assert_no_temporary_folders(&self) {
        let leftovers: Vec<String> = std::fs::read_dir(self.root())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("rolebook-") && n != ".rolebook-cache")
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    /// Run the real binary in the site root.
    pub fn run(&self, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_rolebook"))
            .args(args)
            .current_dir(self.root())
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .output()
            .expect("run rolebook");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// What a run of the binary printed.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The text from `start` to the end of `end`, panicking if absent.
#[track_caller]
pub fn element(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in:\n{html}"));
    let to = html[from..]
        .find(end)
        .map(|i| from + i + end.len())
        .unwrap_or(html.len());
    html[from..to].to_string()
}

fn render_failure(failure: &Failure) -> String {
    failure
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
