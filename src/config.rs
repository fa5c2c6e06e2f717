//! Site settings: read `rolebook.yaml`, deserialize, validate.
//!
//! This file and `content/front_matter.rs` are the only places that parse YAML
//! (the theme's UI strings in `i18n/<lang>.yaml` are settings too, read here).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value as Json;

use crate::content::front_matter::{
    UnknownKeys, explain_serde_message, yaml_error_location, yaml_top_level_keys,
};
use crate::error::{Error, Location, Result, closest};

/// The settings file's name at the site root.
pub const CONFIG_FILE: &str = "rolebook.yaml";

/// Site settings, with defaults applied.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Site description (home page meta, feeds).
    pub description: Option<String>,
    /// Absolute base URL with a trailing slash (`https://example.org/kb/`), or `/`.
    pub base_url: String,
    /// Language code (`ru`, `en`).
    pub language: String,
    /// Theme folder name under `themes/` (or the embedded `default`).
    pub theme: String,
    /// Output folder, relative to the site root unless absolute.
    pub output_dir: PathBuf,
    /// Taxonomies built from front matter lists.
    pub taxonomies: Vec<String>,
    /// Free settings for themes.
    pub extra: serde_json::Map<String, Json>,
    /// What unknown front matter keys do.
    pub unknown_front_matter: UnknownKeys,
    /// Default number of entries per list page (0: no pagination).
    pub paginate_by: usize,
    /// Russian typography on prose.
    pub typography: bool,
    /// Atom feeds.
    pub feeds: bool,
    /// `sitemap.xml` and `robots.txt`.
    pub sitemap: bool,
    /// Search index and `/search/`.
    pub search: SearchConfig,
    /// Knowledge-base settings.
    pub kb: KbConfig,
    /// Linter settings, kept raw for `check`.
    pub lint: serde_json::Map<String, Json>,
}

/// Search settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the index and `/search/` (default true).
    pub enabled: Option<bool>,
    /// Extra synonym groups: each list holds words that mean the same.
    pub synonyms: Vec<Vec<String>>,
}

/// Knowledge-base settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KbConfig {
    /// Salary data older than this many months gets a visible notice.
    pub stale_after_months: u32,
}

impl Default for KbConfig {
    fn default() -> Self {
        KbConfig {
            stale_after_months: 24,
        }
    }
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    output_dir: Option<PathBuf>,
    taxonomies: Option<Vec<String>>,
    extra: Option<serde_json::Map<String, Json>>,
    unknown_front_matter: Option<UnknownKeys>,
    paginate_by: Option<usize>,
    typography: Option<bool>,
    feeds: Option<bool>,
    sitemap: Option<bool>,
    search: Option<SearchConfig>,
    kb: Option<KbConfig>,
    lint: Option<serde_json::Map<String, Json>>,
}

/// Every key of `rolebook.yaml`, for "did you mean".
const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "output_dir",
    "taxonomies",
    "extra",
    "unknown_front_matter",
    "paginate_by",
    "typography",
    "feeds",
    "sitemap",
    "search",
    "kb",
    "lint",
];

/// Default taxonomies when the config does not name any.
pub const DEFAULT_TAXONOMIES: &[&str] = &["tags", "industries", "qualities"];

impl Config {
    /// Read and check `rolebook.yaml` under `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let error = Error::io("read", Path::new(CONFIG_FILE), &e);
            if e.kind() == std::io::ErrorKind::NotFound {
                error.with_hint(format!(
                    "run `rolebook init` to create a site, or pass `--root` pointing at a folder with `{CONFIG_FILE}`"
                ))
            } else {
                error
            }
        })?;
        Config::parse(&text)
    }

    /// Parse the text of `rolebook.yaml`.
    pub fn parse(text: &str) -> Result<Config> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawConfig = parse_yaml(text, Path::new(CONFIG_FILE), CONFIG_KEYS)?;
        Config::from_raw(raw, text)
    }

    fn from_raw(raw: RawConfig, text: &str) -> Result<Config> {
        let at = |key: &str| config_key_location(text, key);
        let title = raw.title.unwrap_or_default();
        if title.trim().is_empty() {
            return Err(
                Error::at(Location::at(CONFIG_FILE, 1, 1), "missing `title`")
                    .with_hint("add `title: My knowledge base`"),
            );
        }
        let base_url =
            normalize_base_url(raw.base_url.as_deref().unwrap_or("/")).map_err(|msg| {
                Error::at(at("base_url"), msg)
                    .with_hint("write e.g. `base_url: https://example.org/kb/`")
            })?;
        let language = raw.language.unwrap_or_else(|| "ru".to_string());
        if !is_language_code(&language) {
            return Err(Error::at(
                at("language"),
                format!("`{language}` is not a language code"),
            )
            .with_hint("write e.g. `language: ru` or `language: en`"));
        }
        let taxonomies = raw
            .taxonomies
            .unwrap_or_else(|| DEFAULT_TAXONOMIES.iter().map(|s| s.to_string()).collect());
        check_taxonomy_names(&taxonomies, text)?;
        Ok(Config {
            title,
            description: raw.description,
            base_url,
            typography: raw.typography.unwrap_or(language == "ru"),
            language,
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            output_dir: raw.output_dir.unwrap_or_else(|| PathBuf::from("public")),
            taxonomies,
            extra: raw.extra.unwrap_or_default(),
            unknown_front_matter: raw.unknown_front_matter.unwrap_or_default(),
            paginate_by: raw.paginate_by.unwrap_or(50),
            feeds: raw.feeds.unwrap_or(true),
            sitemap: raw.sitemap.unwrap_or(true),
            search: raw.search.unwrap_or_default(),
            kb: raw.kb.unwrap_or_default(),
            lint: raw.lint.unwrap_or_default(),
        })
    }

    /// The path part of the base URL, always starting and ending with `/`
    /// (`/kb/` for `https://example.org/kb/`).
    pub fn base_path(&self) -> &str {
        base_path_of(&self.base_url)
    }

    /// True when search is on (the default).
    pub fn search_enabled(&self) -> bool {
        self.search.enabled.unwrap_or(true)
    }

    /// Replace the base URL (from `--base-url` or `serve`).
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        self.base_url = normalize_base_url(url)
            .map_err(|msg| Error::new(crate::error::Kind::Usage, format!("--base-url: {msg}")))?;
        Ok(())
    }
}

fn config_key_location(text: &str, key: &str) -> Location {
    let line = yaml_top_level_keys(text)
        .into_iter()
        .flatten()
        .find(|b| b.key == key)
        .map_or(1, |b| b.line + 1);
    Location::at(CONFIG_FILE, line, 1)
}

fn check_taxonomy_names(names: &[String], text: &str) -> Result<()> {
    for name in names {
        if crate::slug::slugify(name) != *name {
            return Err(Error::at(
                config_key_location(text, "taxonomies"),
                format!("taxonomy name `{name}` must be lowercase ASCII (a-z, 0-9, `_`, `-`)"),
            )
            .with_hint("it is used as a front matter key and in URLs (`/industries/`)"));
        }
    }
    Ok(())
}

fn is_language_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 12
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Accept `https://host/path/`, `https://host/path` or a root-relative `/path/`;
/// always return it with a trailing slash.
pub fn normalize_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let ok = url.starts_with('/') || url.starts_with("http://") || url.starts_with("https://");
    if !ok || url.contains(char::is_whitespace) {
        return Err(format!(
            "`{url}` is not an http(s) URL or a path starting with `/`"
        ));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// The path part of a base URL (`/kb/` for `https://example.org/kb/`).
pub fn base_path_of(base_url: &str) -> &str {
    if base_url.starts_with('/') {
        return base_url;
    }
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    match base_url[after_scheme..].find('/') {
        Some(i) => &base_url[after_scheme + i..],
        None => "/",
    }
}

/// Deserialize YAML settings with located errors and "did you mean" for unknown keys.
fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str, path: &Path, keys: &[&str]) -> Result<T> {
    let source = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(source).map_err(|err| {
        let (line0, column) = yaml_error_location(&err, text);
        let (message, mut hint) = explain_serde_message(&err.to_string());
        if message.starts_with("unknown field") && hint.is_none() {
            hint = message
                .split('`')
                .nth(1)
                .and_then(|k| closest(k, keys.iter().copied()))
                .map(|c| format!("did you mean `{c}`?"));
        }
        let error = Error::at(Location::at(path, line0 + 1, column), message);
        match hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    })
}

/// UI strings of a theme in one language: `key: text` or `key: {one, few, many, other}`.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    /// The file they came from, relative to the site root (or the embedded theme).
    pub file: PathBuf,
    /// Language code.
    pub language: String,
    /// Strings by key.
    pub entries: BTreeMap<String, UiString>,
}

/// One UI string: plain text, or plural forms with `{count}` inside.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum UiString {
    /// The same text for every count.
    Text(String),
    /// CLDR plural forms (`one`, `few`, `many`, `other`).
    Plural(BTreeMap<String, String>),
}

/// Parse a theme's `i18n/<lang>.yaml`.
pub fn parse_strings(text: &str, file: &Path, language: &str) -> Result<Strings> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let entries: BTreeMap<String, UiString> = parse_yaml(text, file, &[])?;
    Ok(Strings {
        file: file.to_path_buf(),
        language: language.to_string(),
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let config = Config::parse("title: База\n").unwrap();
        assert_eq!(config.language, "ru");
        assert_eq!(config.theme, "default");
        assert_eq!(config.output_dir, PathBuf::from("public"));
        assert_eq!(config.base_url, "/");
        assert_eq!(config.taxonomies, ["tags", "industries", "qualities"]);
        assert!(config.typography);
    }

    #[test]
    fn unknown_key_names_line_and_closest_key() {
        let err = Config::parse("title: x\nlanguge: ru\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "rolebook.yaml:2:1: error: unknown field `languge`\n  hint: did you mean `language`?"
        );
    }

    #[test]
    fn type_errors_are_located() {
        let err = Config::parse("title: x\ntaxonomies: tags\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("rolebook.yaml:2:13: error: `taxonomies` must be a list"),
            "{err}"
        );
    }

    #[test]
    fn base_url_keeps_its_path() {
        let config = Config::parse("title: x\nbase_url: https://example.org/kb\n").unwrap();
        assert_eq!(config.base_url, "https://example.org/kb/");
        assert_eq!(config.base_path(), "/kb/");
        assert_eq!(base_path_of("https://example.org"), "/");
    }

    #[test]
    fn plural_strings_parse() {
        let strings = parse_strings(
            "search: Поиск\nroles: {one: \"{count} роль\", few: \"{count} роли\", many: \"{count} ролей\"}\n",
            Path::new("themes/default/i18n/ru.yaml"),
            "ru",
        )
        .unwrap();
        assert_eq!(strings.entries["search"], UiString::Text("Поиск".into()));
        assert!(matches!(strings.entries["roles"], UiString::Plural(_)));
    }
}
