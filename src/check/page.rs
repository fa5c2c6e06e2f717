//! One page as the lints see it: its parsed front matter (from the load), its
//! source text read once more, and the [`Outline`] of its body.

use std::path::Path;

use super::outline::{self, Outline};
use crate::content::front_matter::{self, KeyPath};
use crate::content::page::Page;
use crate::content::source;
use crate::error::{Error, LineIndex, Location};

/// A page with its Markdown source.
pub(crate) struct PageText<'a> {
    /// The loaded page (front matter, paths).
    pub page: &'a Page,
    /// Index of the page in the list the lints run over.
    pub index: usize,
    /// The whole file.
    text: String,
    /// Byte offset of the body in `text`.
    body_start: usize,
    /// 1-based line of the file where the body starts.
    body_line: usize,
    lines: LineIndex,
    /// Blocks, headings, images and links of the body.
    pub outline: Outline,
}

impl<'a> PageText<'a> {
    /// Read the page's file again and parse its body. An error when the file
    /// is gone or changed into something that is not a page since the load.
    pub fn read(root: &Path, page: &'a Page, index: usize) -> Result<PageText<'a>, Error> {
        let source = source::read(root, &page.file)?;
        // A page without front matter is all body (VitePress, mdBook).
        let (body, body_line) = match front_matter::split(&source.text) {
            Ok(split) => (split.body, split.body_line),
            Err(front_matter::SplitError::Missing) => (source.text.as_str(), 1),
            Err(front_matter::SplitError::Unterminated(_)) => {
                return Err(Error::at(
                    Location::file(&page.file),
                    "the file changed while it was being checked",
                )
                .with_hint("run `rolebook check` again"));
            }
        };
        let body_start = source.text.len() - body.len();
        let outline = outline::parse(body);
        let lines = LineIndex::new(body);
        Ok(PageText {
            page,
            index,
            lines,
            text: source.text,
            body_start,
            body_line,
            outline,
        })
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// `path:line:col` of a byte offset in the body.
    pub fn location(&self, offset: usize) -> Location {
        let (line, column) = self.lines.line_col(self.body(), offset);
        Location::at(&self.page.file, self.body_line + line - 1, column)
    }

    /// The location of a front matter key (`salary.as_of`); the front
    /// matter's first line when the key is not written out.
    pub fn key_location(&self, keys: &[KeyPath<'_>]) -> Location {
        match front_matter::split(&self.text) {
            Ok(split) => front_matter::key_location(&split, &self.page.file, keys),
            Err(_) => Location::at(&self.page.file, 1, 1),
        }
    }

    /// True when the front matter writes the top-level `key` itself (a
    /// translation inherits what it leaves out from its original).
    pub fn writes_key(&self, key: &str) -> bool {
        self.text[..self.body_start].lines().any(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    }

    /// True for a translation (`pm.en.md`): what it inherits is checked on
    /// its original, once.
    pub fn is_translation(&self) -> bool {
        self.page.key != self.page.content_path
    }

    /// The first line of the front matter that contains `needle`, for values
    /// that have no key of their own (an item of a flow list).
    pub fn front_line_containing(&self, needle: &str) -> Option<Location> {
        let line = self.text[..self.body_start]
            .lines()
            .position(|l| l.contains(needle))?;
        Some(Location::at(&self.page.file, line + 1, 1))
    }
}
