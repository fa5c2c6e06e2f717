//! The result of `check`, as text for people or JSON for CI and editors.
//! Formatting only: printing is the binary's job.
//!
//! Text: one finding per entry in the form every command uses
//! (`path:line:col: warning[rule]: message`, an indented `hint:` line), then a
//! summary line.
//!
//! JSON (`--format json`), version 1:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {
//!       "path": "content/roles/pm.md", "line": 12, "column": 1,
//!       "severity": "warning", "rule": "duplicate-block",
//!       "message": "repeated text: …", "hint": "keep one copy: …", "cause": null
//!     }
//!   ],
//!   "summary": { "pages": 23, "errors": 0, "warnings": 1, "failed": false },
//!   "notes": []
//! }
//! ```
//!
//! `path` is relative to the site root (`null` when a problem has no file),
//! `line` and `column` are 1-based (0 when unknown), `severity` is `error` or
//! `warning`, `rule` is `null` for errors of `build` itself, `hint` and
//! `cause` may be `null`. `failed` is what the exit code says, with
//! `--deny warnings` taken into account.

use serde::Serialize;

use crate::error::{Error, Kind, Level, display_path};

/// Findings of a `check` run, sorted by path and line.
#[derive(Debug)]
pub struct Report {
    /// Errors and warnings, sorted.
    pub findings: Vec<Error>,
    /// Pages and sections checked.
    pub pages: usize,
    /// Remarks for the summary (external link counts, rules that did not run).
    pub notes: Vec<String>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: JsonSummary,
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: Option<String>,
    line: usize,
    column: usize,
    severity: &'static str,
    rule: Option<&'a str>,
    message: &'a str,
    hint: Option<&'a str>,
    cause: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    pages: usize,
    errors: usize,
    warnings: usize,
    failed: bool,
}

impl Report {
    /// A report of sorted findings.
    pub fn new(findings: Vec<Error>, pages: usize, notes: Vec<String>) -> Report {
        Report {
            findings,
            pages,
            notes,
        }
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Level::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Level::Warning)
    }

    fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level() == level).count()
    }

    /// True when the run fails: any error, or any warning under `--deny warnings`.
    pub fn failed(&self, deny_warnings: bool) -> bool {
        self.errors() > 0 || (deny_warnings && self.warnings() > 0)
    }

    /// 0 when the run passes, 2 for usage errors, 1 otherwise.
    pub fn exit_code(&self, deny_warnings: bool) -> u8 {
        if self.findings.iter().any(|f| f.kind() == Kind::Usage) {
            2
        } else {
            u8::from(self.failed(deny_warnings))
        }
    }

    /// Every finding and the summary line, as the terminal shows them.
    pub fn to_text(&self, deny_warnings: bool) -> String {
        let mut out = String::new();
        for finding in &self.findings {
            out.push_str(&finding.to_string());
            out.push('\n');
        }
        for note in &self.notes {
            out.push_str(&format!("note: {note}\n"));
        }
        out.push_str(&self.summary(deny_warnings));
        out.push('\n');
        out
    }

    /// `checked 23 pages: 1 error, 2 warnings` (or `no problems found`).
    pub fn summary(&self, deny_warnings: bool) -> String {
        let pages = plural(self.pages, "page", "pages");
        let (errors, warnings) = (self.errors(), self.warnings());
        if errors == 0 && warnings == 0 {
            return format!("checked {pages}: no problems found");
        }
        let mut text = format!(
            "checked {pages}: {}, {}",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings")
        );
        if deny_warnings && warnings > 0 {
            text.push_str(" (warnings denied)");
        }
        text
    }

    /// The JSON document described in the module docs.
    pub fn to_json(&self, deny_warnings: bool) -> String {
        let report = JsonReport {
            version: 1,
            findings: self.findings.iter().map(json_finding).collect(),
            summary: JsonSummary {
                pages: self.pages,
                errors: self.errors(),
                warnings: self.warnings(),
                failed: self.failed(deny_warnings),
            },
            notes: &self.notes,
        };
        serde_json::to_string_pretty(&report).expect("the report is plain data")
    }
}

fn json_finding(error: &Error) -> JsonFinding<'_> {
    let location = error.location();
    JsonFinding {
        path: location.map(|l| display_path(&l.path)),
        line: location.map_or(0, |l| l.line),
        column: location.map_or(0, |l| l.column),
        severity: match error.level() {
            Level::Error => "error",
            Level::Warning => "warning",
        },
        rule: error.rule(),
        message: error.message(),
        hint: error.hint(),
        cause: error.cause(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    fn sample() -> Report {
        Report::new(
            vec![
                Error::at(Location::at("content/a.md", 3, 1), "link to a missing page"),
                Error::warning("heading-skip", Location::at("content/b.md", 9, 1), "jump")
                    .with_hint("use `###`"),
            ],
            4,
            Vec::new(),
        )
    }

    #[test]
    fn text_is_the_build_error_form_plus_a_summary() {
        assert_eq!(
            sample().to_text(false),
            "content/a.md:3:1: error: link to a missing page\n\
             content/b.md:9:1: warning[heading-skip]: jump\n  hint: use `###`\n\
             checked 4 pages: 1 error, 1 warning\n"
        );
    }

    #[test]
    fn warnings_fail_only_when_denied() {
        let warnings_only = Report::new(sample().findings.split_off(1), 1, Vec::new());
        assert_eq!(warnings_only.exit_code(false), 0);
        assert_eq!(warnings_only.exit_code(true), 1);
        assert_eq!(sample().exit_code(false), 1);
    }

    #[test]
    fn json_has_one_object_per_finding() {
        let json: serde_json::Value = serde_json::from_str(&sample().to_json(true)).unwrap();
        assert_eq!(json["version"], 1);
        assert_eq!(
            json["findings"][1],
            serde_json::json!({
                "path": "content/b.md", "line": 9, "column": 1, "severity": "warning",
                "rule": "heading-skip", "message": "jump", "hint": "use `###`", "cause": null
            })
        );
        assert_eq!(json["findings"][0]["rule"], serde_json::Value::Null);
        assert_eq!(json["summary"]["failed"], true);
    }
}
