//! The one error type of Rolebook, its source locations and report formatting.
//!
//! Every problem a content author can cause becomes an [`Error`] with a
//! [`Location`] (`path:line:col`, relative to the site root) and, where we can
//! tell, a hint on how to fix it. Lint findings of `check` and warnings of
//! `build` use the same type with [`Level::Warning`], so every command prints
//! one form:
//!
//! ```text
//! content/roles/pm.md:3:1: error: unknown field `titel`
//!   hint: did you mean `title`?
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

/// A `Result` whose error is Rolebook's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// A place in a site file: the path relative to the site root, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Path relative to the site root, with `/` separators.
    pub path: PathBuf,
    /// 1-based line, or 0 when only the file is known.
    pub line: usize,
    /// 1-based column in characters, or 0 when unknown.
    pub column: usize,
}

impl Location {
    /// A location naming only a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: 0,
            column: 0,
        }
    }

    /// A location at `line:column` of `path`.
    pub fn at(path: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            path: path.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", display_path(&self.path))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// Paths are shown with `/` on every platform so messages are stable.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Fails the build.
    Error,
    /// Reported, does not fail unless asked to (`check --deny warnings`).
    Warning,
}

/// What kind of problem this is; decides the exit code and grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Something in `content/` or `rolebook.yaml` a site author can fix.
    Content,
    /// A theme or site template failed to parse or render.
    Template,
    /// Reading or writing a file failed.
    Io,
    /// The command line or the environment is wrong (exit code 2).
    Usage,
}

/// A located, human-readable problem (boxed: errors travel through many `Result`s).
#[derive(Debug, Clone)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone)]
struct Inner {
    kind: Kind,
    level: Level,
    rule: Option<String>,
    location: Option<Location>,
    message: String,
    hint: Option<String>,
    cause: Option<String>,
    /// The page being rendered when a template failed.
    page: Option<PathBuf>,
    /// How many more errors just like this one (other pages, other files)
    /// were folded into it by [`sort_errors`].
    more: usize,
}

impl Error {
    /// A content error at a location.
    pub fn at(location: Location, message: impl Into<String>) -> Self {
        Error::new(Kind::Content, message).with_location(location)
    }

    /// An error of any kind without a location yet.
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            level: Level::Error,
            rule: None,
            location: None,
            message: message.into(),
            hint: None,
            cause: None,
            page: None,
            more: 0,
        }))
    }

    /// A warning for lint rule `rule` at a location.
    pub fn warning(rule: &str, location: Location, message: impl Into<String>) -> Self {
        Error::at(location, message)
            .with_level(Level::Warning)
            .with_rule(rule)
    }

    /// An I/O failure: what we tried to do with which path, and the OS's reason.
    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        Error::new(
            Kind::Io,
            format!("could not {action} `{}`", display_path(path)),
        )
        .with_cause(err)
    }

    /// Change the kind (a missing file that means "wrong folder" is a usage error).
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.0.kind = kind;
        self
    }

    /// Attach or replace the location.
    pub fn with_location(mut self, location: Location) -> Self {
        self.0.location = Some(location);
        self
    }

    /// Attach a hint line telling the author what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.0.hint = Some(hint.into());
        self
    }

    /// Attach the underlying cause (a parser message, an OS error).
    pub fn with_cause(mut self, cause: impl fmt::Display) -> Self {
        self.0.cause = Some(cause.to_string());
        self
    }

    /// Name the page that was being rendered (template errors).
    pub fn with_page(mut self, page: &Path) -> Self {
        self.0.page = Some(page.to_path_buf());
        self
    }

    /// Set the lint rule name (for `check` findings and configurable warnings).
    pub fn with_rule(mut self, rule: &str) -> Self {
        self.0.rule = Some(rule.to_string());
        self
    }

    /// Turn into a warning or back into an error.
    pub fn with_level(mut self, level: Level) -> Self {
        self.0.level = level;
        self
    }

    /// The kind of problem.
    pub fn kind(&self) -> Kind {
        self.0.kind
    }

    /// Error or warning.
    pub fn level(&self) -> Level {
        self.0.level
    }

    /// The rule name of a lint finding.
    pub fn rule(&self) -> Option<&str> {
        self.0.rule.as_deref()
    }

    /// Where the problem is, if known.
    pub fn location(&self) -> Option<&Location> {
        self.0.location.as_ref()
    }

    /// The one-line message, without location or hint.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The hint, if any.
    pub fn hint(&self) -> Option<&str> {
        self.0.hint.as_deref()
    }

    /// The underlying cause, if any.
    pub fn cause(&self) -> Option<&str> {
        self.0.cause.as_deref()
    }

    /// The page being rendered when a template failed.
    pub fn page(&self) -> Option<&Path> {
        self.0.page.as_deref()
    }

    /// What makes two errors "the same mistake" for [`sort_errors`]: one
    /// template line failing on many pages, one OS error on many files.
    fn fold_key(&self) -> Option<String> {
        let e = &self.0;
        match e.kind {
            // The variables in scope (the hint) differ by page type; the
            // mistake is the same.
            Kind::Template => Some(format!("{:?}\0{:?}\0{}", e.location, e.level, e.message)),
            Kind::Io => e.cause.as_ref().map(|cause| format!("io\0{cause}")),
            _ => None,
        }
    }

    /// The suffix saying where else the same error happened.
    fn repeats(&self) -> String {
        let e = &self.0;
        match (&e.page, e.more, e.kind) {
            (Some(page), 0, _) => format!(" (while rendering `{}`)", display_path(page)),
            (Some(page), more, _) => format!(
                " (on {} pages, e.g. while rendering `{}`)",
                more + 1,
                display_path(page)
            ),
            (None, 0, _) => String::new(),
            (None, more, Kind::Template) => format!(" (on {} pages)", more + 1),
            (None, 1, _) => " (and 1 more file)".to_string(),
            (None, more, _) => format!(" (and {more} more files)"),
        }
    }

    /// Sort key: by path, line, column, then message, so reports are stable.
    pub fn sort_key(&self) -> (Option<&Location>, &str) {
        (self.0.location.as_ref(), &self.0.message)
    }

    fn severity_label(&self) -> String {
        match (self.0.level, &self.0.rule) {
            (Level::Error, None) => "error".to_string(),
            (Level::Error, Some(rule)) => format!("error[{rule}]"),
            (Level::Warning, None) => "warning".to_string(),
            (Level::Warning, Some(rule)) => format!("warning[{rule}]"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.0.location {
            write!(f, "{location}: ")?;
        }
        write!(
            f,
            "{}: {}{}",
            self.severity_label(),
            self.0.message,
            self.repeats()
        )?;
        if let Some(hint) = &self.0.hint {
            for (i, line) in hint.lines().enumerate() {
                let label = if i == 0 { "hint: " } else { "      " };
                write!(f, "\n  {label}{line}")?;
            }
        }
        if let Some(cause) = &self.0.cause {
            for (i, line) in cause.lines().enumerate() {
                let label = if i == 0 { "caused by: " } else { "  " };
                write!(f, "\n  {label}{line}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Sort errors by path and line, drop exact duplicates, and fold repeats
/// of one mistake into one error: a template line that fails on 20 pages,
/// or a full disk failing 94 writes, is reported once, with the count and
/// one example.
pub fn sort_errors(errors: &mut Vec<Error>) {
    errors.sort_by(|a, b| (a.sort_key(), a.page()).cmp(&(b.sort_key(), b.page())));
    errors.dedup_by(|a, b| a.to_string() == b.to_string());
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut kept: Vec<Error> = Vec::with_capacity(errors.len());
    for error in errors.drain(..) {
        match error.fold_key() {
            Some(key) => match first.get(&key) {
                Some(&at) => {
                    let kept = &mut kept[at].0;
                    kept.more += 1 + error.0.more;
                    if kept.page.is_none() {
                        kept.page = error.0.page.clone();
                    }
                }
                None => {
                    first.insert(key, kept.len());
                    kept.push(error);
                }
            },
            None => kept.push(error),
        }
    }
    *errors = kept;
}

/// All errors of a failed run, sorted; what `build` returns when it fails.
#[derive(Debug)]
pub struct Failure {
    /// Errors, sorted by path and line.
    pub errors: Vec<Error>,
    /// Warnings collected before the failure.
    pub warnings: Vec<Error>,
}

impl Failure {
    /// Split what stages reported (errors and warnings in one list, told
    /// apart by their level) into the warnings of a run that succeeded, or
    /// the failure of one that did not. Both sorted.
    pub fn check(problems: Vec<Error>) -> std::result::Result<Vec<Error>, Failure> {
        let (mut warnings, mut errors): (Vec<Error>, Vec<Error>) = problems
            .into_iter()
            .partition(|e| e.level() == Level::Warning);
        sort_errors(&mut warnings);
        if errors.is_empty() {
            return Ok(warnings);
        }
        sort_errors(&mut errors);
        Err(Failure { errors, warnings })
    }

    /// The exit code for this failure: 2 for usage errors, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        if self.errors.iter().any(|e| e.kind() == Kind::Usage) {
            2
        } else {
            1
        }
    }
}

impl From<Vec<Error>> for Failure {
    fn from(mut errors: Vec<Error>) -> Self {
        sort_errors(&mut errors);
        Failure {
            errors,
            warnings: Vec::new(),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            errors: vec![error],
            warnings: Vec::new(),
        }
    }
}

/// Maps byte offsets in a text to 1-based line and character columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text` (with memchr: every page body is
    /// indexed, and a byte-by-byte scan was 2 % of a build).
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { line_starts }
    }

    /// 1-based (line, column) of byte `offset`; the column counts characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough to
/// be a plausible typo ("did you mean").
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|&(d, c)| d <= 2.max(c.chars().count() / 3) && d < c.chars().count())
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_character_columns() {
        let text = "ab\nпривет мир\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 3), (2, 1));
        let mir = text.find("мир").unwrap();
        assert_eq!(index.line_col(text, mir), (2, 8));
        assert_eq!(index.line_col(text, text.len()), (4, 2));
    }

    #[test]
    fn display_has_location_level_hint_and_cause() {
        let e = Error::at(
            Location::at("content/roles/pm.md", 3, 1),
            "unknown field `titel`",
        )
        .with_hint("did you mean `title`?");
        assert_eq!(
            e.to_string(),
            "content/roles/pm.md:3:1: error: unknown field `titel`\n  hint: did you mean `title`?"
        );
        let w = Error::warning("stale", Location::file("content/a.md"), "old data");
        assert_eq!(w.to_string(), "content/a.md: warning[stale]: old data");
    }

    #[test]
    fn closest_suggests_only_plausible_typos() {
        let keys = ["title", "tags", "date", "description"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("descripton", keys), Some("description"));
        assert_eq!(closest("zzzzzz", keys), None);
    }

    #[test]
    fn one_os_error_on_many_files_is_one_error() {
        let full = std::io::Error::from_raw_os_error(28);
        let mut errors: Vec<Error> = (0..94)
            .map(|i| {
                Error::io(
                    "write",
                    Path::new(&format!("public/p{i:02}/index.html")),
                    &full,
                )
            })
            .collect();
        sort_errors(&mut errors);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("error: could not write `public/p00/index.html` (and 93 more files)\n  caused by: No space left on device"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn errors_sort_by_path_then_line() {
        let mut errors = vec![
            Error::at(Location::at("content/b.md", 1, 1), "b"),
            Error::at(Location::at("content/a.md", 9, 1), "a9"),
            Error::at(Location::at("content/a.md", 2, 1), "a2"),
        ];
        sort_errors(&mut errors);
        let order: Vec<_> = errors.iter().map(|e| e.message().to_string()).collect();
        assert_eq!(order, ["a2", "a9", "b"]);
    }
}
