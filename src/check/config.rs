//! `lint:` settings of `rolebook.yaml`, typed and checked.
//!
//! `config.rs` keeps the `lint` mapping raw (it is only `check`'s business);
//! this module turns it into [`LintConfig`]. Every problem is an error at the
//! key's line of `rolebook.yaml`, and the rest of the settings still apply.
//!
//! ```yaml
//! lint:
//!   rules:
//!     orphan-page: off        # off | warn | error
//!     boilerplate: error
//!   boilerplate_patterns:     # added to the built-in list
//!     - "читайте нас в дзене"
//!     - { pattern: "промо-?акци", message: "a promo campaign" }
//!   boilerplate_defaults: true
//!   duplicate_min_words: 40
//!   stale_page_months: 24     # default: kb.stale_after_months
//!   orphan_section_lists: false  # true: a section's page list counts as links
//!   external: { concurrency: 8, timeout_seconds: 10, cache_hours: 24, skip: ["https://example.org/"] }
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value as Json;

use super::boilerplate::Pattern;
use super::rules::{self, Severity};
use crate::config::yaml::{KeyPath, yaml_key_position};
use crate::config::{CONFIG_FILE, Config};
use crate::error::{Error, Location, closest};

/// The keys `lint:` may have.
const KEYS: &[&str] = &[
    "rules",
    "boilerplate_patterns",
    "boilerplate_defaults",
    "duplicate_min_words",
    "stale_page_months",
    "orphan_section_lists",
    "external",
];

/// The keys `lint.external:` may have.
const EXTERNAL_KEYS: &[&str] = &["concurrency", "timeout_seconds", "cache_hours", "skip"];

/// Checked linter settings.
#[derive(Debug, Clone)]
pub struct LintConfig {
    severities: BTreeMap<&'static str, Severity>,
    /// Words a repeated run needs to count as a duplicate.
    pub duplicate_min_words: usize,
    /// Boilerplate patterns: built-in (unless switched off) and the site's own.
    pub boilerplate: Vec<Pattern>,
    /// Pages not updated for longer than this are stale.
    pub stale_page_months: u32,
    /// Salary data older than this is stale (`kb.stale_after_months`).
    pub stale_salary_months: u32,
    /// `orphan-page` counts a section's list of its pages as links to them.
    pub orphan_section_lists: bool,
    /// `--external` settings.
    pub external: ExternalConfig,
}

/// Settings of the external link check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalConfig {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Time-out of one request (connection and answer).
    pub timeout: Duration,
    /// How long a successful answer is trusted without asking again.
    pub cache_for: Duration,
    /// URL prefixes that are never requested.
    pub skip: Vec<String>,
}

impl Default for ExternalConfig {
    fn default() -> Self {
        ExternalConfig {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            cache_for: Duration::from_secs(24 * 3600),
            skip: Vec::new(),
        }
    }
}

impl LintConfig {
    /// Defaults for a site: every rule at its default severity, built-in patterns.
    pub fn defaults(config: &Config) -> LintConfig {
        LintConfig {
            severities: rules::RULES.iter().map(|r| (r.name, r.default)).collect(),
            duplicate_min_words: 40,
            boilerplate: Pattern::defaults(),
            stale_page_months: config.kb.stale_after_months,
            stale_salary_months: config.kb.stale_after_months,
            orphan_section_lists: false,
            external: ExternalConfig::default(),
        }
    }

    /// Defaults when even `rolebook.yaml` could not be read (nothing is linted then).
    pub fn fallback() -> LintConfig {
        let months = crate::config::KbConfig::default().stale_after_months;
        LintConfig {
            severities: rules::RULES.iter().map(|r| (r.name, r.default)).collect(),
            duplicate_min_words: 40,
            boilerplate: Vec::new(),
            stale_page_months: months,
            stale_salary_months: months,
            orphan_section_lists: false,
            external: ExternalConfig::default(),
        }
    }

    /// Read `config.lint`; `yaml` is the text of `rolebook.yaml`, used only to
    /// locate errors. Returns the settings and the errors found in them.
    pub fn from_config(config: &Config, yaml: Option<&str>) -> (LintConfig, Vec<Error>) {
        let mut lint = LintConfig::defaults(config);
        let mut errors = Vec::new();
        let at = |keys: &[KeyPath<'_>]| locate(yaml, keys);
        let mut custom_patterns = Vec::new();
        for (key, value) in &config.lint {
            let here = at(&[KeyPath::Key(key)]);
            match key.as_str() {
                "rules" => lint.read_rules(value, &at, &mut errors),
                "boilerplate_patterns" => {
                    custom_patterns = read_patterns(value, &at, &mut errors);
                }
                "boilerplate_defaults" => match value.as_bool() {
                    Some(false) => lint.boilerplate.clear(),
                    Some(true) => {}
                    None => errors.push(type_error(here, key, "`true` or `false`")),
                },
                "duplicate_min_words" => match value.as_u64() {
                    Some(n) if n >= 5 => lint.duplicate_min_words = n as usize,
                    _ => errors.push(type_error(here, key, "a whole number of at least 5")),
                },
                "stale_page_months" => match value.as_u64() {
                    Some(n) if n >= 1 && n <= u32::MAX as u64 => lint.stale_page_months = n as u32,
                    _ => errors.push(type_error(here, key, "a whole number of months")),
                },
                "orphan_section_lists" => match value.as_bool() {
                    Some(on) => lint.orphan_section_lists = on,
                    None => errors.push(type_error(here, key, "`true` or `false`")),
                },
                "external" => lint.read_external(value, &at, &mut errors),
                other => errors.push(unknown_key(here, "lint", other, KEYS)),
            }
        }
        lint.boilerplate.extend(custom_patterns);
        (lint, errors)
    }

    /// The severity of a rule (`Off` for unknown names).
    pub fn severity(&self, rule: &str) -> Severity {
        self.severities.get(rule).copied().unwrap_or(Severity::Off)
    }

    /// True unless the rule is switched off.
    pub fn enabled(&self, rule: &str) -> bool {
        self.severity(rule) != Severity::Off
    }

    /// Set a rule's severity (tests, and `rules:` in the settings).
    pub fn set(&mut self, rule: &'static str, severity: Severity) {
        self.severities.insert(rule, severity);
    }

    fn read_rules(
        &mut self,
        value: &Json,
        at: &dyn Fn(&[KeyPath<'_>]) -> Location,
        errors: &mut Vec<Error>,
    ) {
        let Some(map) = value.as_object() else {
            errors.push(
                type_error(at(&[KeyPath::Key("rules")]), "rules", "a mapping")
                    .with_hint("write one `rule-name: off|warn|error` per line under `rules:`"),
            );
            return;
        };
        for (name, setting) in map {
            let here = at(&[KeyPath::Key("rules"), KeyPath::Key(name)]);
            let Some(rule) = rules::find(name) else {
                errors.push(
                    Error::at(here, format!("unknown lint rule `{name}`"))
                        .with_hint(rules::unknown_rule_hint(name)),
                );
                continue;
            };
            let severity = match setting {
                Json::String(s) => Severity::parse(s),
                Json::Bool(false) => Some(Severity::Off),
                Json::Bool(true) => Some(Severity::Warn),
                _ => None,
            };
            match severity {
                Some(severity) => self.set(rule.name, severity),
                None => errors.push(
                    Error::at(
                        here,
                        format!("`lint.rules.{name}` must be `off`, `warn` or `error`"),
                    )
                    .with_hint(format!("write `{name}: off` to switch the rule off")),
                ),
            }
        }
    }

    fn read_external(
        &mut self,
        value: &Json,
        at: &dyn Fn(&[KeyPath<'_>]) -> Location,
        errors: &mut Vec<Error>,
    ) {
        let Some(map) = value.as_object() else {
            errors.push(type_error(
                at(&[KeyPath::Key("external")]),
                "external",
                "a mapping",
            ));
            return;
        };
        for (key, value) in map {
            let here = at(&[KeyPath::Key("external"), KeyPath::Key(key)]);
            let name = format!("external.{key}");
            let number = value.as_u64();
            match key.as_str() {
                "concurrency" => match number {
                    Some(n @ 1..=64) => self.external.concurrency = n as usize,
                    _ => errors.push(type_error(here, &name, "a whole number from 1 to 64")),
                },
                "timeout_seconds" => match number {
                    Some(n @ 1..=600) => self.external.timeout = Duration::from_secs(n),
                    _ => errors.push(type_error(here, &name, "a whole number from 1 to 600")),
                },
                "cache_hours" => match number {
                    Some(n) if n <= 24 * 365 => {
                        self.external.cache_for = Duration::from_secs(n * 3600)
                    }
                    _ => errors.push(type_error(here, &name, "a whole number of hours")),
                },
                "skip" => match string_list(value) {
                    Some(list) => self.external.skip = list,
                    None => errors.push(type_error(here, &name, "a list of URL prefixes")),
                },
                other => errors.push(unknown_key(here, "lint.external", other, EXTERNAL_KEYS)),
            }
        }
    }
}

fn read_patterns(
    value: &Json,
    at: &dyn Fn(&[KeyPath<'_>]) -> Location,
    errors: &mut Vec<Error>,
) -> Vec<Pattern> {
    let key = "boilerplate_patterns";
    let Some(items) = value.as_array() else {
        errors.push(
            type_error(at(&[KeyPath::Key(key)]), key, "a list")
                .with_hint("write one `- pattern` per line; a pattern is a regular expression"),
        );
        return Vec::new();
    };
    let mut patterns = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let here = at(&[KeyPath::Key(key), KeyPath::Index(i)]);
        let (pattern, message) = match item {
            Json::String(p) => (p.as_str(), None),
            Json::Object(map) => match (map.get("pattern"), map.get("message")) {
                (Some(Json::String(p)), None | Some(Json::Null)) if map.len() == 1 => {
                    (p.as_str(), None)
                }
                (Some(Json::String(p)), Some(Json::String(m))) if map.len() == 2 => {
                    (p.as_str(), Some(m.as_str()))
                }
                _ => {
                    errors.push(
                        Error::at(here, format!("`{key}[{i}]` must be a pattern")).with_hint(
                            "write `- \"pattern\"` or `- { pattern: \"…\", message: \"…\" }`",
                        ),
                    );
                    continue;
                }
            },
            _ => {
                errors.push(type_error(here, &format!("{key}[{i}]"), "text"));
                continue;
            }
        };
        match Pattern::custom(pattern, message) {
            Ok(p) => patterns.push(p),
            Err(reason) => errors.push(
                Error::at(here, format!("`{pattern}` is not a valid pattern"))
                    .with_hint("patterns are regular expressions (Rust `regex` syntax); escape `(`, `[`, `.`, `?` with `\\` to match them literally")
                    .with_cause(reason),
            ),
        }
    }
    patterns
}

fn string_list(value: &Json) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn type_error(location: Location, key: &str, expected: &str) -> Error {
    Error::at(location, format!("`lint.{key}` must be {expected}"))
}

fn unknown_key(location: Location, parent: &str, key: &str, known: &[&str]) -> Error {
    let hint = match closest(key, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "`{parent}` may have: {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Error::at(location, format!("unknown field `{parent}.{key}`")).with_hint(hint)
}

/// The line of `lint.<keys>` in `rolebook.yaml`; the `lint` key's line, or
/// the file, when the text is not block YAML.
fn locate(yaml: Option<&str>, keys: &[KeyPath<'_>]) -> Location {
    let Some(text) = yaml else {
        return Location::file(CONFIG_FILE);
    };
    let mut path = vec![KeyPath::Key("lint")];
    for n in (0..=keys.len()).rev() {
        path.truncate(1);
        path.extend_from_slice(&keys[..n]);
        if let Some((line0, column)) = yaml_key_position(text, &path) {
            return Location::at(CONFIG_FILE, line0 + 1, column);
        }
    }
    Location::file(CONFIG_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> (LintConfig, Vec<String>) {
        let config = Config::parse(yaml).expect("config parses");
        let (lint, errors) = LintConfig::from_config(&config, Some(yaml));
        (lint, errors.iter().map(|e| e.to_string()).collect())
    }

    #[test]
    fn rules_can_be_switched_off_or_raised() {
        let (lint, errors) =
            parse("title: x\nlint:\n  rules:\n    orphan-page: off\n    boilerplate: error\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(lint.severity("orphan-page"), Severity::Off);
        assert_eq!(lint.severity("boilerplate"), Severity::Error);
        assert_eq!(lint.severity("heading-skip"), Severity::Warn);
    }

    #[test]
    fn unknown_rules_and_keys_are_located_with_a_suggestion() {
        let (_, errors) =
            parse("title: x\nlint:\n  rules:\n    dupliate-block: off\n  stale_page_month: 3\n");
        assert_eq!(
            errors,
            [
                "rolebook.yaml:4:5: error: unknown lint rule `dupliate-block`\n  hint: did you mean `duplicate-block`?",
                "rolebook.yaml:5:3: error: unknown field `lint.stale_page_month`\n  hint: did you mean `stale_page_months`?",
            ]
        );
    }

    #[test]
    fn bad_values_are_errors_and_the_rest_still_applies() {
        let (lint, errors) = parse(
            "title: x\nkb:\n  stale_after_months: 12\nlint:\n  rules:\n    image-alt: sometimes\n  boilerplate_patterns:\n    - \"(unclosed\"\n    - { pattern: \"купон\", message: \"a coupon\" }\n",
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("rolebook.yaml:6:5: error: `lint.rules.image-alt` must be"));
        assert!(
            errors[1].starts_with("rolebook.yaml:8:5: error: `(unclosed` is not a valid pattern")
        );
        assert_eq!(lint.stale_page_months, 12);
        assert_eq!(lint.boilerplate.last().unwrap().message(), "a coupon");
    }
}
