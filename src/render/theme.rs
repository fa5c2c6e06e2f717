//! Theme loading: templates, static files and UI strings of a theme, with the
//! site's own `templates/`, `static/` and `i18n/` overriding it file by file.
//!
//! The default theme is embedded in the binary, so a site without a
//! `themes/` folder builds with it; a site's `themes/default/` replaces it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::{Config, Strings, UiString, parse_strings};
use crate::content::source::walk;
use crate::error::{Error, Location, Result, display_path};

/// The default theme, embedded at compile time.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates every site has, whatever its theme: `sitemap.xml`,
/// `robots.txt` and `atom.xml`. A theme's or the site's file of the same
/// name replaces one.
static BUILTIN_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/render/builtin");

/// One template: its name for Tera (`page.html`) and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name used in `extends`/`include` and in errors (`partials/header.html`).
    pub name: String,
    /// The template text.
    pub text: String,
    /// Where it came from, for messages (`themes/default/templates/page.html`).
    pub origin: String,
}

impl TemplateSource {
    /// True for a template from the site's own `templates/` folder.
    pub fn from_site(&self) -> bool {
        self.origin.starts_with("templates/")
    }
}

/// One static file and where its bytes come from.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path (`style.css`, `search/search.js`).
    pub rel: String,
    /// Where it came from, for messages.
    pub origin: String,
    data: StaticData,
}

#[derive(Debug, Clone)]
enum StaticData {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl StaticFile {
    /// The file's bytes.
    pub fn bytes(&self) -> Result<Cow<'static, [u8]>> {
        match &self.data {
            StaticData::Embedded(bytes) => Ok(Cow::Borrowed(bytes)),
            StaticData::Disk(path) => std::fs::read(path)
                .map(Cow::Owned)
                .map_err(|e| Error::io("read", path, &e)),
        }
    }

    /// Where the bytes are, for copying without reading them first.
    pub fn source(&self) -> StaticSource<'_> {
        match &self.data {
            StaticData::Embedded(bytes) => StaticSource::Embedded(bytes),
            StaticData::Disk(path) => StaticSource::Disk(path),
        }
    }
}

/// Where a static file's bytes are.
#[derive(Debug, Clone, Copy)]
pub enum StaticSource<'a> {
    /// In the binary (the embedded default theme).
    Embedded(&'static [u8]),
    /// A file of the site or of a theme folder.
    Disk(&'a Path),
}

/// A loaded theme with the site's overrides applied.
#[derive(Debug, Clone)]
pub struct Theme {
    templates: BTreeMap<String, TemplateSource>,
    static_files: Vec<StaticFile>,
    /// UI strings of each language of the site, the default first.
    strings: Vec<Strings>,
}

impl Theme {
    /// Load the configured theme for the site at `root`. Every file is
    /// read through [`walk`], so a symlink out of the site is an error
    /// (unless `symlinks: follow`); all of them are returned.
    pub fn load(root: &Path, config: &Config) -> std::result::Result<Theme, Vec<Error>> {
        let mut walked = Walked {
            root,
            symlinks: config.symlinks,
            errors: Vec::new(),
        };
        let theme = Theme::load_walking(root, config, &mut walked);
        match theme {
            Ok(theme) if walked.errors.is_empty() => Ok(theme),
            Ok(_) => Err(walked.errors),
            Err(error) => {
                walked.errors.push(error);
                Err(walked.errors)
            }
        }
    }

    fn load_walking(root: &Path, config: &Config, walked: &mut Walked<'_>) -> Result<Theme> {
        let theme_dir = Path::new("themes").join(&config.theme);
        let languages: Vec<&str> = config.language_codes().collect();
        let mut theme = if root.join(&theme_dir).is_dir() {
            Theme::from_disk(&theme_dir, &languages, walked)?
        } else if config.theme == "default" {
            Theme::embedded_in(&languages)?
        } else {
            return Err(Error::at(
                Location::file(crate::config::CONFIG_FILE),
                format!(
                    "theme `{}` not found (looked in `themes/{}/`)",
                    config.theme, config.theme
                ),
            )
            .with_hint(
                "remove `theme:` to use the embedded default theme, or create the theme folder",
            ));
        };
        theme.add_builtins();
        theme.apply_site_overrides(&languages, walked)?;
        Ok(theme)
    }

    /// The built-in templates the theme does not replace.
    fn add_builtins(&mut self) {
        for file in embedded_files(&BUILTIN_TEMPLATES) {
            let name = display_path(file.path());
            self.templates
                .entry(name.clone())
                .or_insert_with(|| TemplateSource {
                    origin: format!("(built in) {name}"),
                    text: String::from_utf8_lossy(file.contents()).into_owned(),
                    name,
                });
        }
    }

    /// The embedded default theme only (used by `init` and tests).
    pub fn embedded(language: &str) -> Result<Theme> {
        Theme::embedded_in(&[language])
    }

    /// The embedded default theme with the UI strings of `languages`.
    fn embedded_in(languages: &[&str]) -> Result<Theme> {
        let mut templates = BTreeMap::new();
        let mut static_files = Vec::new();
        let mut i18n = BTreeMap::new();
        for file in embedded_files(&DEFAULT_THEME) {
            let path = display_path(file.path());
            let origin = format!("themes/default/{path}");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                templates.insert(
                    name.to_string(),
                    TemplateSource {
                        name: name.to_string(),
                        text,
                        origin,
                    },
                );
            } else if let Some(rel) = path.strip_prefix("static/") {
                static_files.push(StaticFile {
                    rel: rel.to_string(),
                    origin,
                    data: StaticData::Embedded(file.contents()),
                });
            } else if let Some(name) = path.strip_prefix("i18n/") {
                i18n.insert(
                    name.to_string(),
                    (
                        String::from_utf8_lossy(file.contents()).into_owned(),
                        origin,
                    ),
                );
            }
        }
        let strings = languages
            .iter()
            .map(|language| choose_strings(&i18n, language, "themes/default"))
            .collect::<Result<Vec<_>>>()?;
        Ok(Theme {
            templates,
            static_files,
            strings,
        })
    }

    /// A theme folder (relative to the site root) on disk.
    fn from_disk(dir: &Path, languages: &[&str], walked: &mut Walked<'_>) -> Result<Theme> {
        let mut theme = Theme {
            templates: BTreeMap::new(),
            static_files: Vec::new(),
            strings: Vec::new(),
        };
        theme.add_templates(&dir.join("templates"), walked)?;
        theme.add_static(&dir.join("static"), walked);
        let mut i18n = BTreeMap::new();
        for rel in walked.files(&dir.join("i18n")) {
            let name = display_path(rel.strip_prefix(dir.join("i18n")).unwrap_or(&rel));
            let text = read_text(&walked.root.join(&rel))?;
            i18n.insert(name, (text, display_path(&rel)));
        }
        theme.strings = languages
            .iter()
            .map(|language| choose_strings(&i18n, language, &display_path(dir)))
            .collect::<Result<Vec<_>>>()?;
        Ok(theme)
    }

    fn apply_site_overrides(&mut self, languages: &[&str], walked: &mut Walked<'_>) -> Result<()> {
        self.add_templates(Path::new("templates"), walked)?;
        self.add_static(Path::new("static"), walked);
        let site_files = walked.files(Path::new("i18n"));
        for (strings, language) in self.strings.iter_mut().zip(languages) {
            let wanted = Path::new("i18n").join(format!("{language}.yaml"));
            if let Some(rel) = site_files.iter().find(|rel| **rel == wanted) {
                let text = read_text(&walked.root.join(rel))?;
                let overrides = parse_strings(&text, rel, language)?;
                strings.entries.extend(overrides.entries);
            }
        }
        Ok(())
    }

    fn add_templates(&mut self, dir: &Path, walked: &mut Walked<'_>) -> Result<()> {
        for rel in walked.files(dir) {
            let name = display_path(rel.strip_prefix(dir).unwrap_or(&rel));
            let text = read_text(&walked.root.join(&rel))?;
            let origin = display_path(&rel);
            self.templates
                .insert(name.clone(), TemplateSource { name, text, origin });
        }
        Ok(())
    }

    fn add_static(&mut self, dir: &Path, walked: &mut Walked<'_>) {
        for rel in walked.files(dir) {
            let output = display_path(rel.strip_prefix(dir).unwrap_or(&rel));
            self.static_files.retain(|f| f.rel != output);
            self.static_files.push(StaticFile {
                rel: output,
                origin: display_path(&rel),
                data: StaticData::Disk(walked.root.join(&rel)),
            });
        }
        self.static_files.sort_by(|a, b| a.rel.cmp(&b.rel));
    }

    /// Templates by name.
    pub fn templates(&self) -> &BTreeMap<String, TemplateSource> {
        &self.templates
    }

    /// Static files, sorted by output path.
    pub fn static_files(&self) -> &[StaticFile] {
        &self.static_files
    }

    /// A static file by output path.
    pub fn static_file(&self, rel: &str) -> Option<&StaticFile> {
        self.static_files.iter().find(|f| f.rel == rel)
    }

    /// UI strings in the site's default language.
    pub fn strings(&self) -> &Strings {
        &self.strings[0]
    }

    /// UI strings in a language of the site (index in `Config::language_codes`).
    pub fn strings_in(&self, lang: usize) -> &Strings {
        self.strings.get(lang).unwrap_or(&self.strings[0])
    }
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(embedded_files(sub));
    }
    files
}

/// The theme's folders as the loader walks them: every file (relative to
/// the site root) through [`walk`], its refusals collected.
struct Walked<'a> {
    root: &'a Path,
    symlinks: crate::config::Symlinks,
    errors: Vec<Error>,
}

impl Walked<'_> {
    fn files(&mut self, dir: &Path) -> Vec<PathBuf> {
        let (files, errors) = walk(self.root, dir, self.symlinks);
        self.errors.extend(errors);
        files
    }
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io("read", path, &e))
}

/// Pick `<lang>.yaml` and check it has every key the theme's other languages have.
fn choose_strings(
    files: &BTreeMap<String, (String, String)>,
    language: &str,
    theme: &str,
) -> Result<Strings> {
    let wanted = format!("{language}.yaml");
    let Some((text, origin)) = files.get(&wanted) else {
        let available: Vec<&str> = files.keys().map(|k| k.trim_end_matches(".yaml")).collect();
        return Err(Error::at(
            Location::file(crate::config::CONFIG_FILE),
            format!(
                "the theme has no UI strings for language `{language}` (no `{theme}/i18n/{wanted}`)"
            ),
        )
        .with_hint(format!(
            "use one of: {}; or add `i18n/{wanted}` to the site",
            available.join(", ")
        )));
    };
    let strings = parse_strings(text, Path::new(origin), language)?;
    for (name, (other_text, other_origin)) in files {
        if name == &wanted {
            continue;
        }
        let other = parse_strings(
            other_text,
            Path::new(other_origin),
            name.trim_end_matches(".yaml"),
        )?;
        if let Some(key) = other
            .entries
            .keys()
            .find(|k| !strings.entries.contains_key(*k))
        {
            return Err(Error::at(
                Location::file(origin.as_str()),
                format!("missing UI string `{key}` (it is in `{other_origin}`)"),
            )
            .with_hint(format!("add `{key}: ...` to `{origin}`")));
        }
    }
    Ok(strings)
}

/// The text of a UI string for a count, with plural rules of the language.
pub fn ui_text<'a>(string: &'a UiString, language: &str, count: Option<i64>) -> &'a str {
    match string {
        UiString::Text(text) => text,
        UiString::Plural(forms) => {
            let category = crate::render::i18n::plural_category(language, count.unwrap_or(0));
            forms
                .get(category)
                .or_else(|| forms.get("other"))
                .or_else(|| forms.get("many"))
                .or_else(|| forms.values().next())
                .map_or("", String::as_str)
        }
    }
}
