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

use serde::Deserialize;
use serde_json::Value as Json;

use super::boilerplate::Pattern;
use super::rules::{self, Severity};
use crate::config::yaml::{KeyPath, yaml_key_position};
use crate::config::{CONFIG_FILE, Config};
use crate::error::{Error, Location, closest};

/// `lint:` as written: serde reads the shape (every unknown key is
/// collected, with its path); [`LintConfig::from_config`] checks the values.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LintSettings {
    rules: BTreeMap<String, RuleSetting>,
    boilerplate_patterns: Vec<PatternSetting>,
    boilerplate_defaults: Option<bool>,
    duplicate_min_words: Option<u64>,
    stale_page_months: Option<u64>,
    orphan_section_lists: Option<bool>,
    external: ExternalSettings,
}

/// A rule's severity: `off`, `warn`, `error`, or `false`/`true`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RuleSetting {
    Name(String),
    Switch(bool),
    Other(#[allow(dead_code, reason = "the value is only told to be of the wrong shape")] Json),
}

/// A boilerplate pattern: the regular expression, or it with a message.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PatternSetting {
    Pattern(String),
    WithMessage {
        pattern: String,
        #[serde(default)]
        message: Option<String>,
    },
    Other(#[allow(dead_code, reason = "the value is only told to be of the wrong shape")] Json),
}

/// `lint.external:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExternalSettings {
    concurrency: Option<u64>,
    timeout_seconds: Option<u64>,
    cache_hours: Option<u64>,
    skip: Option<Vec<String>>,
}

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
    /// locate errors. Returns the settings and the errors found in them:
    /// every unknown key, a value of the wrong shape, and every value out of
    /// range; the rest of the settings still apply.
    pub fn from_config(config: &Config, yaml: Option<&str>) -> (LintConfig, Vec<Error>) {
        let mut lint = LintConfig::defaults(config);
        let at = |keys: &[KeyPath<'_>]| locate(yaml, keys);
        let (settings, mut errors) = read_settings(&config.lint, &at);
        let mut check = |key: &str, ok: bool, expected: &str| {
            if !ok {
                errors.push(type_error(at(&[KeyPath::Key(key)]), key, expected));
            }
            ok
        };
        if settings.boilerplate_defaults == Some(false) {
            lint.boilerplate.clear();
        }
        if let Some(n) = settings.duplicate_min_words
            && check(
                "duplicate_min_words",
                n >= 5,
                "a whole number of at least 5",
            )
        {
            lint.duplicate_min_words = n as usize;
        }
        if let Some(n) = settings.stale_page_months
            && check(
                "stale_page_months",
                n >= 1 && n <= u32::MAX as u64,
                "a whole number of months",
            )
        {
            lint.stale_page_months = n as u32;
        }
        if let Some(on) = settings.orphan_section_lists {
            lint.orphan_section_lists = on;
        }
        lint.read_rules(&settings.rules, &at, &mut errors);
        lint.read_external(&settings.external, &at, &mut errors);
        let custom = read_patterns(&settings.boilerplate_patterns, &at, &mut errors);
        lint.boilerplate.extend(custom);
        crate::error::sort_errors(&mut errors);
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
        settings: &BTreeMap<String, RuleSetting>,
        at: &dyn Fn(&[KeyPath<'_>]) -> Location,
        errors: &mut Vec<Error>,
    ) {
        for (name, setting) in settings {
            let here = at(&[KeyPath::Key("rules"), KeyPath::Key(name)]);
            let Some(rule) = rules::find(name) else {
                errors.push(
                    Error::at(here, format!("unknown lint rule `{name}`"))
                        .with_hint(rules::unknown_rule_hint(name)),
                );
                continue;
            };
            let severity = match setting {
                RuleSetting::Name(s) => Severity::parse(s),
                RuleSetting::Switch(false) => Some(Severity::Off),
                RuleSetting::Switch(true) => Some(Severity::Warn),
                RuleSetting::Other(_) => None,
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
        settings: &ExternalSettings,
        at: &dyn Fn(&[KeyPath<'_>]) -> Location,
        errors: &mut Vec<Error>,
    ) {
        let mut check = |key: &str, ok: bool, expected: &str| {
            if !ok {
                let here = at(&[KeyPath::Key("external"), KeyPath::Key(key)]);
                errors.push(type_error(here, &format!("external.{key}"), expected));
            }
            ok
        };
        if let Some(n) = settings.concurrency
            && check(
                "concurrency",
                (1..=64).contains(&n),
                "a whole number from 1 to 64",
            )
        {
            self.external.concurrency = n as usize;
        }
        if let Some(n) = settings.timeout_seconds
            && check(
                "timeout_seconds",
                (1..=600).contains(&n),
                "a whole number from 1 to 600",
            )
        {
            self.external.timeout = Duration::from_secs(n);
        }
        if let Some(n) = settings.cache_hours
            && check("cache_hours", n <= 24 * 365, "a whole number of hours")
        {
            self.external.cache_for = Duration::from_secs(n * 3600);
        }
        if let Some(skip) = &settings.skip {
            self.external.skip = skip.clone();
        }
    }
}

/// Deserialize `lint:`: every unknown key (with the closest known one) and
/// the first value of the wrong shape, at their lines.
fn read_settings(
    lint: &serde_json::Map<String, Json>,
    at: &dyn Fn(&[KeyPath<'_>]) -> Location,
) -> (LintSettings, Vec<Error>) {
    let value = Json::Object(lint.clone());
    let mut unknown = Vec::new();
    let mut note = |path: serde_ignored::Path<'_>| unknown.push(path.to_string());
    let ignored = serde_ignored::Deserializer::new(&value, &mut note);
    let result: Result<LintSettings, _> = serde_path_to_error::deserialize(ignored);
    let mut errors: Vec<Error> = unknown
        .iter()
        .map(|path| {
            let parts: Vec<&str> = path.split('.').filter(|p| *p != "?").collect();
            let keys: Vec<KeyPath<'_>> = parts.iter().map(|p| KeyPath::Key(p)).collect();
            let (parent, known) = match parts.as_slice() {
                ["external", ..] => ("lint.external", EXTERNAL_KEYS),
                _ => ("lint", KEYS),
            };
            unknown_key(at(&keys), parent, parts.last().unwrap_or(&""), known)
        })
        .collect();
    let settings = match result {
        Ok(settings) => settings,
        Err(error) => {
            errors.push(shape_error(&error, at));
            LintSettings::default()
        }
    };
    (settings, errors)
}

/// A value of the wrong shape, at its path (`external.skip` must be a list).
fn shape_error(
    error: &serde_path_to_error::Error<serde_json::Error>,
    at: &dyn Fn(&[KeyPath<'_>]) -> Location,
) -> Error {
    let path = error.path().to_string();
    let keys: Vec<KeyPath<'_>> = error
        .path()
        .iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Map { key } => Some(KeyPath::Key(key)),
            serde_path_to_error::Segment::Seq { index } => Some(KeyPath::Index(*index)),
            _ => None,
        })
        .collect();
    let expected = match path.as_str() {
        "rules" | "external" => "a mapping",
        "boilerplate_patterns" => "a list",
        "boilerplate_defaults" | "orphan_section_lists" => "`true` or `false`",
        "external.skip" => "a list of URL prefixes",
        p if p.starts_with("external.skip") => "a list of URL prefixes",
        _ => "a whole number",
    };
    let error = type_error(at(&keys), &path, expected);
    match path.as_str() {
        "boilerplate_patterns" => {
            error.with_hint("write one `- pattern` per line; a pattern is a regular expression")
        }
        "rules" => error.with_hint("write one `rule-name: off|warn|error` per line under `rules:`"),
        _ => error,
    }
}

fn read_patterns(
    settings: &[PatternSetting],
    at: &dyn Fn(&[KeyPath<'_>]) -> Location,
    errors: &mut Vec<Error>,
) -> Vec<Pattern> {
    let key = "boilerplate_patterns";
    let mut patterns = Vec::new();
    for (i, item) in settings.iter().enumerate() {
        let here = at(&[KeyPath::Key(key), KeyPath::Index(i)]);
        let (pattern, message) = match item {
            PatternSetting::Pattern(p) => (p.as_str(), None),
            PatternSetting::WithMessage { pattern, message } => {
                (pattern.as_str(), message.as_deref())
            }
            PatternSetting::Other(_) => {
                errors.push(
                    Error::at(here, format!("`{key}[{i}]` must be a pattern")).with_hint(
                        "write `- \"pattern\"` or `- { pattern: \"…\", message: \"…\" }`",
                    ),
                );
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

    #[test]
    fn every_unknown_key_and_a_wrong_shape_are_located() {
        let (lint, errors) = parse(
            "title: x\nlint:\n  duplicate_min_word: 3\n  external:\n    concurency: 2\n    skip: 3\n",
        );
        assert_eq!(
            errors,
            [
                "rolebook.yaml:3:3: error: unknown field `lint.duplicate_min_word`\n  hint: did you mean `duplicate_min_words`?",
                "rolebook.yaml:5:5: error: unknown field `lint.external.concurency`\n  hint: did you mean `concurrency`?",
                "rolebook.yaml:6:5: error: `lint.external.skip` must be a list of URL prefixes",
            ]
        );
        assert_eq!(lint.duplicate_min_words, 40, "defaults stay");
    }
}
