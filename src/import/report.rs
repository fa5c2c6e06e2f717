//! `IMPORT.md`: what the import could not convert (or converted with a
//! loss), each at its source file and line, so the rest can be finished by
//! hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::Format;

/// One thing the import did not convert as it was, or left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The source file (relative to the source root), if any.
    pub file: Option<PathBuf>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// What was found and what was done with it.
    pub message: String,
}

impl Note {
    /// Something at a line of a source file.
    pub fn at(file: &Path, line: usize, message: impl Into<String>) -> Self {
        Note {
            file: Some(file.to_path_buf()),
            line: Some(line),
            message: message.into(),
        }
    }

    /// A file or setting left out (its own message names it).
    pub fn skipped(message: impl Into<String>) -> Self {
        Note {
            file: None,
            line: None,
            message: message.into(),
        }
    }

    /// Something about the source's settings.
    pub fn config(file: &Path, message: impl Into<String>) -> Self {
        Note {
            file: Some(file.to_path_buf()),
            line: None,
            message: message.into(),
        }
    }

    /// Sorted by file, then line.
    pub fn sort_key(&self) -> (Option<PathBuf>, usize, String) {
        (
            self.file.clone(),
            self.line.unwrap_or(0),
            self.message.clone(),
        )
    }

    fn place(&self) -> String {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => format!("`{}:{line}`", file.display()),
            (Some(file), None) => format!("`{}`", file.display()),
            _ => String::new(),
        }
    }
}

/// The report's Markdown.
pub fn render(from: Format, src: &Path, pages: usize, copied: usize, notes: &[Note]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Import report\n");
    let _ = writeln!(
        out,
        "`rolebook import --from {}` read {} and wrote {pages} pages and {copied} other files.",
        from.name(),
        src.display()
    );
    if notes.is_empty() {
        let _ = writeln!(
            out,
            "\nEverything was converted. Build the site with `rolebook build` and check it with `rolebook check`."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "\n{} constructs were not converted as they were. Each line names the source file and line; finish them by hand in the page under `content/`, then run `rolebook check`.\n",
        notes.len()
    );
    for note in notes {
        let place = note.place();
        if place.is_empty() {
            let _ = writeln!(out, "- {}", note.message);
        } else {
            let _ = writeln!(out, "- {place}: {}", note.message);
        }
    }
    out
}
