//! Site settings: read `rolebook.yaml`, deserialize, validate.
//!
//! This file and `content/front_matter.rs` are the only places that parse YAML
//! (the theme's UI strings in `i18n/<lang>.yaml` are settings too, read here).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value as Json;

pub mod yaml;

use crate::error::{Error, Location, Result, closest};
use yaml::{explain_serde_message, yaml_error_location, yaml_top_level_keys};

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
    /// The default language's code (`ru`, `en`): its pages are served at the root.
    pub language: String,
    /// The other languages (`languages:`), each served under `/<code>/`,
    /// in code order.
    pub languages: Vec<LanguageConfig>,
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
    /// Where symlinks in the site's folders may point.
    pub symlinks: Symlinks,
    /// Whether URLs keep the case of file and folder names.
    pub urls: UrlCase,
    /// What a folder's `index.md` is.
    pub index_pages: IndexPages,
    /// Markdown settings.
    pub markdown: MarkdownConfig,
    /// Resized copies of raster images.
    pub images: ImagesConfig,
    /// A page without `updated` takes the date of its file's last commit.
    pub git_dates: bool,
    /// Where the site's source is browsed (`https://github.com/o/r/blob/main/`):
    /// every page links to its file there.
    pub repo_url: Option<String>,
}

/// `images:` in `rolebook.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// Widths of the resized copies, in pixels (none wider than the original).
    #[serde(default = "default_image_widths")]
    pub widths: Vec<u32>,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: default_image_widths(),
        }
    }
}

fn default_image_widths() -> Vec<u32> {
    vec![480, 960, 1600]
}

/// One more language of the site (`languages.<code>` in `rolebook.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageConfig {
    /// Language code (`en`), also the URL prefix (`/en/`) and the file
    /// suffix of translations (`page.en.md`).
    pub code: String,
    /// The site's title in this language (default: the site's `title`).
    pub title: Option<String>,
    /// The site's description in this language.
    pub description: Option<String>,
}

/// `languages.<code>` as written.
#[derive(Debug, Clone, Default, Deserialize)]
struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
}

/// Markdown settings (`markdown:` in `rolebook.yaml`).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(default)]
pub struct MarkdownConfig {
    /// What raw HTML in Markdown becomes.
    pub raw_html: RawHtml,
}

/// What raw HTML in Markdown becomes (`markdown.raw_html`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Ordinary HTML is kept; scripts, event handlers, `javascript:` and
    /// `data:` URLs, frames, `object`, `embed` and forms are removed (the
    /// default: content is pasted from many places).
    #[default]
    Sanitize,
    /// Everything is kept as written, as CommonMark specifies.
    Allow,
    /// Raw HTML is shown as text.
    Escape,
}

/// Where symlinks under `content/`, `static/`, `templates/`, `i18n/` and
/// `themes/` may point (`symlinks:` in `rolebook.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Symlinks {
    /// Only to files and folders inside the site (the default): a link out
    /// of the site is a build error, so nothing outside reaches the output.
    #[default]
    Inside,
    /// Anywhere, for sites that share folders on purpose.
    Follow,
}

/// `urls:` in `rolebook.yaml`: the case of URLs made from file and folder
/// names (a `slug:` always keeps its case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlCase {
    /// `API/useState.md` → `/api/usestate/` (the default).
    #[default]
    Lowercase,
    /// `API/useState.md` → `/API/useState/`, as VitePress, Docusaurus and
    /// Hugo sites link to their pages.
    PreserveCase,
}

/// `index_pages:` in `rolebook.yaml`: what a folder's `index.md` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexPages {
    /// The page of a bundle: the folder's other files are copied next to it
    /// (the default, as in Hugo and Zola).
    #[default]
    Bundle,
    /// The folder's section page, as `_index.md` is (VitePress, Docusaurus
    /// and Next.js sites put a folder's page there).
    Section,
}

/// The site's policy for front matter keys that are not fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownKeys {
    /// A build error (the default).
    #[default]
    Error,
    /// A warning; the value is kept under `extra`.
    Warn,
    /// Kept under `extra` silently (for content migrated from other tools).
    Extra,
}

/// Search settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SearchConfig {
    /// Build the index and `/search/` (default true).
    pub enabled: Option<bool>,
    /// Extra synonym groups: each list holds words that mean the same.
    pub synonyms: Vec<Vec<String>>,
}

/// Knowledge-base settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
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

/// The file as written. Unknown keys are not refused by serde (which stops
/// at the first): [`parse_settings`] collects every one of them.
#[derive(Debug, Deserialize)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    languages: Option<std::collections::BTreeMap<String, Option<RawLanguage>>>,
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
    symlinks: Option<Symlinks>,
    urls: Option<UrlCase>,
    index_pages: Option<IndexPages>,
    markdown: Option<MarkdownConfig>,
    images: Option<ImagesConfig>,
    git_dates: Option<bool>,
    repo_url: Option<String>,
}

/// Every key of `rolebook.yaml`, for "did you mean".
const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "languages",
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
    "symlinks",
    "urls",
    "index_pages",
    "markdown",
    "images",
    "git_dates",
    "repo_url",
];

/// Default taxonomies when the config does not name any.
pub const DEFAULT_TAXONOMIES: &[&str] = &["tags", "industries", "qualities"];

impl Config {
    /// Read and check `rolebook.yaml` under `root`; every unknown key is
    /// reported in one run, beside the first other mistake.
    pub fn load(root: &Path) -> std::result::Result<Config, Vec<Error>> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let error = Error::io("read", Path::new(CONFIG_FILE), &e);
            if e.kind() == std::io::ErrorKind::NotFound {
                // Not a site at all: the command was pointed at the wrong folder.
                error.with_kind(crate::error::Kind::Usage).with_hint(format!(
                    "run `rolebook init` to create a site, or pass `--root` pointing at a folder with `{CONFIG_FILE}`"
                ))
            } else {
                error
            }
        });
        Config::parse(&text.map_err(|e| vec![e])?)
    }

    /// Parse the text of `rolebook.yaml`.
    pub fn parse(text: &str) -> std::result::Result<Config, Vec<Error>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (raw, mut errors) = parse_settings(text);
        match raw.map(|raw| Config::from_raw(raw, text)) {
            Some(Ok(config)) if errors.is_empty() => return Ok(config),
            // `titel:` already says what is wrong with the title.
            Some(Err(error))
                if error.message() == "missing `title`"
                    && errors
                        .iter()
                        .any(|e| e.hint() == Some("did you mean `title`?")) => {}
            Some(Err(error)) => errors.push(error),
            _ => {}
        }
        crate::error::sort_errors(&mut errors);
        Err(errors)
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
        let languages = languages(raw.languages.unwrap_or_default(), &language, text)?;
        let theme = raw.theme.unwrap_or_else(|| "default".to_string());
        if !is_theme_name(&theme) {
            return Err(Error::at(
                at("theme"),
                format!("`theme: {theme}` is not a theme name"),
            )
            .with_hint(
                "name a folder under `themes/` (letters, digits, `-`, `_`), or remove `theme:` for the embedded default",
            ));
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
            languages,
            theme,
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
            symlinks: raw.symlinks.unwrap_or_default(),
            urls: raw.urls.unwrap_or_default(),
            index_pages: raw.index_pages.unwrap_or_default(),
            markdown: raw.markdown.unwrap_or_default(),
            images: raw.images.unwrap_or_default(),
            git_dates: raw.git_dates.unwrap_or(true),
            repo_url: raw
                .repo_url
                .filter(|u| !u.trim().is_empty())
                .map(|u| format!("{}/", u.trim().trim_end_matches('/'))),
        })
    }

    /// The path part of the base URL, always starting and ending with `/`
    /// (`/kb/` for `https://example.org/kb/`).
    pub fn base_path(&self) -> &str {
        base_path_of(&self.base_url)
    }

    /// Every language code of the site, the default one first.
    pub fn language_codes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.language.as_str())
            .chain(self.languages.iter().map(|l| l.code.as_str()))
    }

    /// True when the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        !self.languages.is_empty()
    }

    /// The URL prefix of a language: `` for the default one, `en/` for the others.
    pub fn language_prefix(&self, code: &str) -> String {
        if code == self.language {
            String::new()
        } else {
            format!("{code}/")
        }
    }

    /// The site's title in a language.
    pub fn title_in(&self, code: &str) -> &str {
        self.language_settings(code)
            .and_then(|l| l.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The site's description in a language.
    pub fn description_in(&self, code: &str) -> Option<&str> {
        match self.language_settings(code) {
            Some(l) => l.description.as_deref().or(self.description.as_deref()),
            None => self.description.as_deref(),
        }
    }

    fn language_settings(&self, code: &str) -> Option<&LanguageConfig> {
        self.languages.iter().find(|l| l.code == code)
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

/// A theme is a folder under `themes/`, named, never a path: `theme: /etc`
/// or `theme: ../x` would read templates and static files from elsewhere.
fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `languages:` checked: each key a language code (`en`, `pt-br`), none the
/// default language again.
fn languages(
    raw: std::collections::BTreeMap<String, Option<RawLanguage>>,
    default: &str,
    text: &str,
) -> Result<Vec<LanguageConfig>> {
    let mut languages = Vec::with_capacity(raw.len());
    for (code, settings) in raw {
        let at = || {
            let keys = [yaml::KeyPath::Key("languages"), yaml::KeyPath::Key(&code)];
            let (line0, column) = yaml::yaml_key_position(text, &keys).unwrap_or((0, 1));
            Location::at(CONFIG_FILE, line0 + 1, column)
        };
        if !is_strict_language_code(&code) {
            return Err(
                Error::at(at(), format!("`{code}` is not a language code"))
                    .with_hint("use a code like `en`, `de` or `pt-br` (lowercase ISO 639 letters, an optional region)"),
            );
        }
        if code == default {
            return Err(Error::at(
                at(),
                format!("`{code}` is the default language (`language: {default}`)"),
            )
            .with_hint("list under `languages:` only the other languages"));
        }
        let settings = settings.unwrap_or_default();
        languages.push(LanguageConfig {
            code,
            title: settings.title,
            description: settings.description,
        });
    }
    Ok(languages)
}

/// A language code as URLs and file names use it: 2–3 lowercase letters,
/// then optional `-` parts (`en`, `pt-br`, `zh-hans`).
fn is_strict_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| {
            (2..=8).contains(&p.len())
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn is_language_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 12
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Accept `https://host/path/`, `https://host/path` or a root-relative `/path/`;
/// always return it with a trailing slash. Refused: scheme-relative URLs
/// (`//host/`: every asset would load from that host), URLs without a host
/// (`https://`), backslashes (browsers read them as `/`), queries and fragments.
pub fn normalize_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let problem = if url.contains(char::is_whitespace) || url.contains('\\') {
        Some("it contains spaces or backslashes")
    } else if url.starts_with("//") {
        Some("`//host/` leaves the scheme to the browser and hands every asset to that host")
    } else if url.starts_with('/') {
        None
    } else if url.starts_with("http://") || url.starts_with("https://") {
        http_url_problem(url)
    } else {
        Some("it is not an http(s) URL or a path starting with `/`")
    };
    if let Some(problem) = problem {
        return Err(format!("`{url}` cannot be the base URL: {problem}"));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// What is wrong with an `http(s)://` base URL, read with the `url` crate.
fn http_url_problem(url: &str) -> Option<&'static str> {
    let authority = url
        .split_once("://")
        .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
    if authority.is_empty() {
        return Some("it has no host");
    }
    if authority.contains('@') {
        return Some("it carries a user name or password");
    }
    match url::Url::parse(url) {
        Err(_) => Some("it is not a valid URL"),
        Ok(parsed) if parsed.host_str().is_none_or(str::is_empty) => Some("it has no host"),
        Ok(parsed) if parsed.query().is_some() || parsed.fragment().is_some() => {
            Some("a base URL has no `?query` or `#fragment`")
        }
        Ok(_) => None,
    }
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

/// The keys each mapping of `rolebook.yaml` may have, for "did you mean".
fn known_settings(parent: &str) -> &'static [&'static str] {
    match parent {
        "" => CONFIG_KEYS,
        "search" => &["enabled", "synonyms"],
        "kb" => &["stale_after_months"],
        "markdown" => &["raw_html"],
        p if p.starts_with("languages.") => &["title", "description"],
        _ => &[],
    }
}

/// Deserialize `rolebook.yaml`, reporting every unknown key (at its line,
/// with the closest known key) and the first other mistake together.
fn parse_settings(text: &str) -> (Option<RawConfig>, Vec<Error>) {
    let source = if text.trim().is_empty() { "{}" } else { text };
    let mut unknown: Vec<String> = Vec::new();
    let result: std::result::Result<RawConfig, _> =
        serde_ignored::deserialize(serde_yaml::Deserializer::from_str(source), |path| {
            unknown.push(path.to_string())
        });
    let mut errors: Vec<Error> = unknown.iter().map(|p| unknown_setting(text, p)).collect();
    match result {
        Ok(raw) => (Some(raw), errors),
        Err(err) => {
            errors.push(yaml_error(&err, text, Path::new(CONFIG_FILE), CONFIG_KEYS));
            (None, errors)
        }
    }
}

/// `search.enabeld` → `rolebook.yaml:12:3: error: unknown field `enabeld` in `search``.
fn unknown_setting(text: &str, path: &str) -> Error {
    // serde_ignored writes `?` for the `Option` around a nested mapping.
    let parts: Vec<&str> = path.split('.').filter(|p| *p != "?").collect();
    let (parent, key) = match parts.split_last() {
        Some((key, parent)) => (parent.join("."), *key),
        None => (String::new(), path),
    };
    let keys: Vec<yaml::KeyPath<'_>> = parts.iter().map(|p| yaml::KeyPath::Key(p)).collect();
    let (line0, column) = yaml::yaml_key_position(text, &keys).unwrap_or((0, 1));
    let message = match parent.as_str() {
        "" => format!("unknown field `{key}`"),
        parent => format!("unknown field `{key}` in `{parent}`"),
    };
    let hint = match closest(key, known_settings(&parent).iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => "remove it, or see the README's settings reference".to_string(),
    };
    Error::at(Location::at(CONFIG_FILE, line0 + 1, column), message).with_hint(hint)
}

/// A serde_yaml error of a settings file in our words, at its line.
fn yaml_error(err: &serde_yaml::Error, text: &str, path: &Path, keys: &[&str]) -> Error {
    if let Some(explained) = yaml::explain_yaml_syntax(err, text) {
        return Error::at(
            Location::at(path, explained.line0 + 1, explained.column),
            explained.message,
        )
        .with_hint(explained.hint);
    }
    let (line0, column) = yaml_error_location(err, text);
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
}

/// Deserialize YAML settings with located errors and "did you mean" for unknown keys.
fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str, path: &Path, keys: &[&str]) -> Result<T> {
    let source = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(source).map_err(|err| yaml_error(&err, text, path, keys))
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
            err[0].to_string(),
            "rolebook.yaml:2:1: error: unknown field `languge`\n  hint: did you mean `language`?"
        );
    }

    #[test]
    fn type_errors_are_located() {
        let err = Config::parse("title: x\ntaxonomies: tags\n").unwrap_err();
        assert!(
            err[0]
                .to_string()
                .starts_with("rolebook.yaml:2:13: error: `taxonomies` must be a list"),
            "{err:?}"
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
