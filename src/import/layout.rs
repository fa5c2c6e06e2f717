//! Where a source site keeps its content, static files and settings, per
//! tool, and what its settings say (title, base URL, language, taxonomies,
//! menus). JavaScript configs (VitePress, Docusaurus) are read by pattern,
//! never run: a value written as an expression is not found, and the report
//! says so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::report::Note;
use crate::error::{Error, Kind as ErrorKind, Result};

/// The tools `rolebook import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Hugo: `content/`, `static/`, `hugo.toml` or `config.toml`…
    Hugo,
    /// Zola: `content/`, `static/`, `config.toml`.
    Zola,
    /// VitePress: `.vitepress/config.*`, pages in its `srcDir`, `public/`.
    Vitepress,
    /// Docusaurus and other MDX sites (Next.js): `docs/`, `blog/` or
    /// `src/content/`; `static/` or `public/`.
    Docusaurus,
    /// mdBook: `book.toml`, `src/SUMMARY.md`.
    Mdbook,
}

impl Format {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Hugo => "hugo",
            Format::Zola => "zola",
            Format::Vitepress => "vitepress",
            Format::Docusaurus => "docusaurus",
            Format::Mdbook => "mdbook",
        }
    }

    /// MDX syntax: JSX components, `{/* */}` comments, `import` lines; no
    /// indented code blocks.
    pub fn is_mdx(self) -> bool {
        self == Format::Docusaurus
    }
}

/// What the source site is, as far as the import needs it.
#[derive(Debug, Clone)]
pub struct Site {
    pub format: Format,
    /// The source root.
    pub root: PathBuf,
    /// The content folder, relative to the source root.
    pub content_dir: PathBuf,
    /// Folders copied to `static/`, relative to the source root.
    pub static_dirs: Vec<PathBuf>,
    /// Folders inside `content_dir` that are not content (VitePress's `public/`).
    pub skip_dirs: Vec<PathBuf>,
    pub title: String,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: String,
    /// Front matter lists that are taxonomies.
    pub taxonomies: Vec<String>,
    /// Folder name → title of its section page, from the source's menus.
    pub section_titles: BTreeMap<String, String>,
    /// Folder name → weight of its section page, from the source's menus.
    pub section_weights: BTreeMap<String, i64>,
    /// Links of the sidebar or table of contents, in reading order.
    pub ordered_links: Vec<String>,
    /// Found while reading the settings.
    pub notes: Vec<Note>,
}

impl Site {
    /// A folder's `index.md` is its section page (VitePress, Docusaurus, mdBook's `README.md`).
    pub fn index_is_section(&self) -> bool {
        matches!(self.format, Format::Vitepress | Format::Docusaurus)
    }

    /// URLs keep the case of file names, as the source tool's do.
    fn preserve_case(&self) -> bool {
        matches!(
            self.format,
            Format::Vitepress | Format::Docusaurus | Format::Mdbook
        )
    }

    /// The title of a folder's section page: the menu's name for the
    /// folder, else the folder's name; the home page's is the site's.
    pub fn section_title(&self, folder: Option<&str>) -> String {
        match folder {
            None => self.title.clone(),
            Some(name) => self
                .section_titles
                .get(name)
                .cloned()
                .unwrap_or_else(|| title_of_folder(name)),
        }
    }

    /// Whether a non-Markdown file of the content folder stays behind.
    pub fn skip(&self, inside: &Path) -> bool {
        if self.skip_dirs.iter().any(|d| inside.starts_with(d)) {
            return true;
        }
        let code = [
            "vue", "js", "jsx", "ts", "tsx", "mjs", "cjs", "json", "css", "scss",
        ];
        matches!(self.format, Format::Vitepress | Format::Docusaurus)
            && inside
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| code.contains(&e))
    }

    /// Where a Markdown file of the source goes under `content/`; `None`
    /// for files that are not pages (mdBook's `SUMMARY.md`, Docusaurus
    /// partials `_name.mdx`, files in skipped folders).
    pub fn target_path(&self, inside: &Path) -> Option<PathBuf> {
        if self.skip_dirs.iter().any(|d| inside.starts_with(d)) {
            return None;
        }
        let name = inside.file_name()?.to_str()?;
        match self.format {
            Format::Mdbook if name == "SUMMARY.md" => None,
            Format::Mdbook if name == "README.md" => Some(inside.with_file_name("_index.md")),
            Format::Docusaurus if name.starts_with('_') => None,
            Format::Docusaurus => Some(inside.with_extension("md")),
            _ => Some(inside.to_path_buf()),
        }
    }

    /// The text of the new `rolebook.yaml`.
    pub fn config_yaml(&self) -> String {
        let mut map = serde_json::Map::new();
        map.insert("title".into(), self.title.clone().into());
        if let Some(description) = &self.description {
            map.insert("description".into(), description.clone().into());
        }
        if let Some(base_url) = &self.base_url {
            map.insert("base_url".into(), base_url.clone().into());
        }
        map.insert("language".into(), self.language.clone().into());
        map.insert("taxonomies".into(), self.taxonomies.clone().into());
        map.insert("unknown_front_matter".into(), "extra".into());
        if self.preserve_case() {
            map.insert("urls".into(), "preserve_case".into());
        }
        if self.index_is_section() {
            map.insert("index_pages".into(), "section".into());
        }
        map.insert(
            "markdown".into(),
            serde_json::json!({ "raw_html": "sanitize" }),
        );
        let yaml = crate::content::front_matter::to_yaml(&Json::Object(map));
        format!(
            "# Written by `rolebook import --from {}`; see IMPORT.md for what was\n# not converted. The README's \"Configuration\" lists every setting.\n{yaml}",
            self.format.name()
        )
    }
}

/// `getting-started` → `Getting started`.
fn title_of_folder(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Read the source's layout and settings.
pub fn read(format: Format, src: &Path) -> Result<Site> {
    let mut site = Site {
        format,
        root: src.to_path_buf(),
        content_dir: PathBuf::from("content"),
        static_dirs: Vec::new(),
        skip_dirs: Vec::new(),
        title: folder_name(src),
        description: None,
        base_url: None,
        language: "ru".into(),
        taxonomies: vec!["tags".into()],
        section_titles: BTreeMap::new(),
        section_weights: BTreeMap::new(),
        ordered_links: Vec::new(),
        notes: Vec::new(),
    };
    match format {
        Format::Hugo => hugo(src, &mut site),
        Format::Zola => zola(src, &mut site),
        Format::Vitepress => vitepress(src, &mut site),
        Format::Docusaurus => docusaurus(src, &mut site),
        Format::Mdbook => mdbook(src, &mut site),
    }
    if !src.join(&site.content_dir).is_dir() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "no content folder `{}` in {} for --from {}",
                site.content_dir.display(),
                src.display(),
                format.name()
            ),
        )
        .with_hint(
            "is this the right tool? `--from` takes hugo, zola, vitepress, docusaurus or mdbook",
        ));
    }
    site.static_dirs.retain(|d| src.join(d).is_dir());
    site.base_url = site.base_url.take().filter(|u| usable_base_url(u));
    Ok(site)
}

/// Rolebook accepts `http(s)://host/…` or a path `/…`.
fn usable_base_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://")) && url.len() > 8
        || url.starts_with('/') && !url.starts_with("//")
}

fn read_text(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// A TOML, YAML or JSON settings file as data, keys kept.
fn read_settings(path: &Path, notes: &mut Vec<Note>) -> Option<Json> {
    let text = read_text(path)?;
    let parsed = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => crate::content::front_matter::toml_to_json(&text),
        Some("yaml" | "yml") => crate::config::yaml::parse_any(&text),
        Some("json") => serde_json::from_str(&text).map_err(|e| e.to_string()),
        _ => return None,
    };
    match parsed {
        Ok(value) => Some(value),
        Err(message) => {
            notes.push(Note::config(path, format!("could not be read: {message}")));
            None
        }
    }
}

/// A key looked up case-insensitively (Hugo's keys are).
fn get<'a>(value: &'a Json, key: &str) -> Option<&'a Json> {
    value
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn get_str(value: &Json, key: &str) -> Option<String> {
    get(value, key)?
        .as_str()
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

/// `ru-RU` → `ru`.
fn language_code(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

fn hugo(src: &Path, site: &mut Site) {
    let mut settings = serde_json::Map::new();
    let roots = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "hugo.json",
        "config.toml",
        "config.yaml",
        "config.yml",
        "config.json",
    ];
    for name in roots {
        if let Some(Json::Object(map)) = read_settings(&src.join(name), &mut site.notes) {
            settings.extend(map);
            break;
        }
    }
    // `config/_default/params.toml` holds the key `params`, and so on.
    let defaults = src.join("config/_default");
    if let Ok(entries) = std::fs::read_dir(&defaults) {
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let Some(Json::Object(map)) = read_settings(&path, &mut site.notes) else {
                continue;
            };
            if stem == "hugo" || stem == "config" {
                settings.extend(map);
            } else {
                settings.insert(stem.to_string(), Json::Object(map));
            }
        }
    }
    let settings = Json::Object(settings);
    site.content_dir = get_str(&settings, "contentDir")
        .map(PathBuf::from)
        .unwrap_or_else(|| "content".into());
    site.static_dirs = match get(&settings, "staticDir") {
        Some(Json::String(dir)) => vec![dir.into()],
        Some(Json::Array(dirs)) => dirs
            .iter()
            .filter_map(Json::as_str)
            .map(PathBuf::from)
            .collect(),
        _ => vec!["static".into()],
    };
    if let Some(title) = get_str(&settings, "title") {
        site.title = title;
    }
    site.base_url = get_str(&settings, "baseURL");
    site.description = get(&settings, "params").and_then(|p| get_str(p, "description"));
    if let Some(lang) =
        get_str(&settings, "defaultContentLanguage").or_else(|| get_str(&settings, "languageCode"))
    {
        site.language = language_code(&lang);
    }
    site.taxonomies = match get(&settings, "taxonomies") {
        Some(Json::Object(map)) => map
            .values()
            .filter_map(Json::as_str)
            .map(str::to_string)
            .collect(),
        _ => vec!["tags".into(), "categories".into()],
    };
    if let Some(Json::Object(languages)) = get(&settings, "languages")
        && languages.len() > 1
    {
        site.notes.push(Note::config(
            Path::new("languages"),
            format!(
                "{} languages configured: only the content folder of the default one was imported; add the others with `languages:` (README, \"Several languages\")",
                languages.len()
            ),
        ));
    }
    let menu = get(&settings, "menus").or_else(|| get(&settings, "menu"));
    if let Some(main) = menu.and_then(|m| get(m, "main")) {
        read_menu(main, site);
    }
}

/// Hugo and Zola menu entries `{name, url | pageRef, weight}` name sections.
fn read_menu(entries: &Json, site: &mut Site) {
    for (i, entry) in entries.as_array().into_iter().flatten().enumerate() {
        let name = get_str(entry, "name");
        let link = get_str(entry, "pageRef").or_else(|| get_str(entry, "url"));
        let (Some(name), Some(link)) = (name, link) else {
            continue;
        };
        let Some(folder) = first_segment(&link) else {
            continue;
        };
        let weight = get(entry, "weight")
            .and_then(Json::as_i64)
            .unwrap_or(i as i64 + 1);
        site.section_titles.entry(folder.clone()).or_insert(name);
        site.section_weights.entry(folder).or_insert(weight);
    }
}

/// `/guide/intro` → `guide`.
fn first_segment(link: &str) -> Option<String> {
    if link.contains("://") {
        return None;
    }
    let path = link.trim_start_matches('/');
    let (first, rest) = path.split_once('/')?;
    (!first.is_empty() && !rest.is_empty() || path.ends_with('/'))
        .then(|| first.to_string())
        .filter(|f| !f.is_empty())
}

fn zola(src: &Path, site: &mut Site) {
    site.static_dirs = vec!["static".into()];
    let Some(settings) = read_settings(&src.join("config.toml"), &mut site.notes) else {
        return;
    };
    if let Some(title) = get_str(&settings, "title") {
        site.title = title;
    }
    site.description = get_str(&settings, "description");
    site.base_url = get_str(&settings, "base_url");
    if let Some(lang) = get_str(&settings, "default_language") {
        site.language = language_code(&lang);
    }
    if let Some(Json::Array(taxonomies)) = get(&settings, "taxonomies") {
        site.taxonomies = taxonomies
            .iter()
            .filter_map(|t| get_str(t, "name"))
            .collect();
    }
    if let Some(Json::Object(languages)) = get(&settings, "languages")
        && !languages.is_empty()
    {
        site.notes.push(Note::config(
            Path::new("config.toml"),
            "other languages are configured: their pages (`page.<code>.md`) are imported, add them under `languages:` in rolebook.yaml".to_string(),
        ));
    }
}

/// A string value written `key: 'text'` (or `"text"`, or a template
/// literal without `${`) in a JavaScript file: the first one.
fn js_string(text: &str, key: &str) -> Option<String> {
    let mut from = 0;
    while let Some(found) = text[from..].find(key) {
        let at = from + found;
        from = at + key.len();
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let Some(after) = text[from..].trim_start().strip_prefix(':') else {
            continue;
        };
        if let Some(value) = js_value(after) {
            return Some(value);
        }
    }
    None
}

/// The string literal that starts `after` (the text after a `key:`).
fn js_value(after: &str) -> Option<String> {
    let rest = after.trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|q| matches!(q, '\'' | '"' | '`'))?;
    let end = rest[1..].find(quote)?;
    let value = &rest[1..1 + end];
    (!value.contains("${")).then(|| value.to_string())
}

/// Every `text: '…'` with a `link: '…'` in one object literal, in order.
fn js_links(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for object in text.split('{').skip(1) {
        let object = object.split('}').next().unwrap_or("");
        if let (Some(name), Some(link)) = (js_string(object, "text"), js_string(object, "link")) {
            out.push((name, link));
        }
    }
    out
}

fn vitepress(src: &Path, site: &mut Site) {
    let config = ["config.mts", "config.ts", "config.mjs", "config.js"]
        .iter()
        .map(|n| src.join(".vitepress").join(n))
        .find(|p| p.is_file());
    let text = config.as_deref().and_then(read_text).unwrap_or_default();
    let src_dir = js_string(&text, "srcDir").unwrap_or_else(|| ".".into());
    let src_dir = PathBuf::from(src_dir.trim_start_matches("./"));
    site.content_dir = if src_dir.as_os_str().is_empty() || src_dir == Path::new(".") {
        PathBuf::from(".")
    } else {
        src_dir
    };
    site.static_dirs = vec![site.content_dir.join("public")];
    site.skip_dirs = vec![PathBuf::from("public"), PathBuf::from("node_modules")];
    if let Some(title) = js_string(&text, "title") {
        site.title = title;
    }
    site.description = js_string(&text, "description");
    if let Some(lang) = js_string(&text, "lang") {
        site.language = language_code(&lang);
    }
    if let Some(base) = js_string(&text, "base") {
        site.base_url = Some(base);
    }
    // Pages are ordered by the sidebar (the nav names other pages first).
    let sidebar = text.find("sidebar").map_or(text.as_str(), |at| &text[at..]);
    links_to_menu(&js_links(sidebar), site);
    for (folder, title) in js_groups(&text) {
        site.section_titles.insert(folder, title);
    }
    if config.is_none() {
        site.notes.push(Note::config(
            Path::new(".vitepress/config.*"),
            "not found: the title is the folder's name".to_string(),
        ));
    }
}

/// Groups of a JavaScript menu (`{ text: 'Основы', items: [{ link: '/guide/essentials/a' }, …] }`)
/// whose links all lie in one folder: that folder and the group's name.
fn js_groups(text: &str) -> Vec<(String, String)> {
    // (name, bracket depth of its `items: [`, links seen inside)
    let mut open: Vec<(String, usize, Vec<String>)> = Vec::new();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut last_text: Option<String> = None;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let rest = &text[i..];
        if let Some(after) = rest.strip_prefix("text:") {
            last_text = js_value(after);
        } else if let Some(after) = rest.strip_prefix("link:") {
            if let Some(link) = js_value(after) {
                for group in &mut open {
                    group.2.push(link.clone());
                }
            }
        } else if rest.starts_with("items:")
            && let Some(name) = last_text.take()
        {
            open.push((name, depth + 1, Vec::new()));
        }
        match bytes[i] {
            b'[' => depth += 1,
            b']' => {
                if open.last().is_some_and(|g| g.1 == depth) {
                    let (name, _, links) = open.pop().expect("an open group");
                    if let Some(folder) = common_folder(&links) {
                        out.push((folder, name));
                    }
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    // The innermost group names a folder first; outer groups name the rest.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|(folder, _)| seen.insert(folder.clone()));
    out
}

/// `/guide/essentials/a`, `/guide/essentials/b` → `essentials` (the folder
/// name, as sections are titled by folder).
fn common_folder(links: &[String]) -> Option<String> {
    let folders: Vec<&str> = links
        .iter()
        .filter(|l| !l.contains("://"))
        .map(|l| {
            l.trim_start_matches('/')
                .rsplit_once('/')
                .map_or("", |(dir, _)| dir)
        })
        .collect();
    let first = *folders.first()?;
    (!first.is_empty() && folders.iter().all(|f| *f == first))
        .then(|| first.rsplit('/').next().unwrap_or(first).to_string())
}

/// The first link into a folder names its section; every link, in order,
/// orders the pages.
fn links_to_menu(links: &[(String, String)], site: &mut Site) {
    for (i, (name, link)) in links.iter().enumerate() {
        if let Some(folder) = first_segment(link) {
            site.section_titles
                .entry(folder.clone())
                .or_insert_with(|| name.clone());
            site.section_weights.entry(folder).or_insert(i as i64 + 1);
        }
        site.ordered_links.push(link.clone());
    }
}

fn docusaurus(src: &Path, site: &mut Site) {
    let config = [
        "docusaurus.config.ts",
        "docusaurus.config.js",
        "docusaurus.config.mjs",
    ]
    .iter()
    .map(|n| src.join(n))
    .find(|p| p.is_file());
    let text = config.as_deref().and_then(read_text).unwrap_or_default();
    site.content_dir = ["docs", "src/content", "src/pages", "content"]
        .iter()
        .map(PathBuf::from)
        .find(|d| src.join(d).is_dir())
        .unwrap_or_else(|| "docs".into());
    site.static_dirs = vec!["static".into(), "public".into()];
    if let Some(title) = js_string(&text, "title") {
        site.title = title;
    }
    site.description = js_string(&text, "tagline");
    if let (Some(url), base) = (js_string(&text, "url"), js_string(&text, "baseUrl")) {
        let base = base.unwrap_or_else(|| "/".into());
        site.base_url = Some(format!("{}{}", url.trim_end_matches('/'), base));
    }
    if let Some(lang) = js_string(&text, "defaultLocale") {
        site.language = language_code(&lang);
    } else if let Some(lang) = site_language_of_next(src) {
        site.language = lang;
    }
    sidebar_json(src, site);
    if site.title == folder_name(src)
        && let Some(title) = home_title(&src.join(&site.content_dir))
    {
        site.title = title;
    }
    if src.join("blog").is_dir() && site.content_dir == Path::new("docs") {
        site.notes.push(Note::config(
            Path::new("blog/"),
            "the blog folder was not imported (only `docs/`); import it again as its own site, or copy its posts into `content/blog/`".to_string(),
        ));
    }
}

/// The `title:` of the home page's front matter (a site without a config
/// that names it: Next.js docs).
fn home_title(content: &Path) -> Option<String> {
    ["index.md", "index.mdx", "_index.md"]
        .iter()
        .find_map(|name| {
            let text = read_text(&content.join(name))?;
            let split = crate::content::front_matter::split(&text).ok()?;
            let data = crate::content::front_matter::parse_any(&split).ok()?;
            data.get("title")?.as_str().map(str::to_string)
        })
}

fn folder_name(src: &Path) -> String {
    src.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Site".into())
}

/// Sidebars kept as JSON (`sidebars.json`, Next.js sites' `src/sidebar*.json`:
/// `{title, path, routes: […]}`): the reading order, and the titles of
/// the sections whose own path they give.
fn sidebar_json(src: &Path, site: &mut Site) {
    let mut files: Vec<PathBuf> = ["sidebars.json"].iter().map(|f| src.join(f)).collect();
    if let Ok(entries) = std::fs::read_dir(src.join("src")) {
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("sidebar") && n.ends_with(".json"))
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    let mut links = Vec::new();
    for file in files {
        let Some(json) = read_text(&file).and_then(|t| serde_json::from_str::<Json>(&t).ok())
        else {
            continue;
        };
        collect_routes(&json, &mut links, site);
    }
    for (i, link) in links.iter().enumerate() {
        if let Some(folder) = first_segment(&format!("{link}/x")) {
            site.section_weights.entry(folder).or_insert(i as i64 + 1);
        }
    }
    site.ordered_links.extend(links);
}

fn collect_routes(value: &Json, links: &mut Vec<String>, site: &mut Site) {
    match value {
        Json::Object(map) => {
            if let Some(path) = map.get("path").and_then(Json::as_str) {
                let title = map.get("title").and_then(Json::as_str);
                let segments = path.trim_matches('/').split('/').count();
                if let (Some(title), 1) = (title, segments) {
                    site.section_titles
                        .entry(path.trim_matches('/').to_string())
                        .or_insert_with(|| title.to_string());
                }
                links.push(path.to_string());
            }
            for key in ["routes", "items"] {
                if let Some(children) = map.get(key) {
                    collect_routes(children, links, site);
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|i| collect_routes(i, links, site)),
        _ => {}
    }
}

/// Next.js sites keep their language in `src/siteConfig.js` (React's docs).
fn site_language_of_next(src: &Path) -> Option<String> {
    let text = read_text(&src.join("src/siteConfig.js"))?;
    js_string(&text, "languageCode").map(|l| language_code(&l))
}

fn mdbook(src: &Path, site: &mut Site) {
    site.content_dir = "src".into();
    let Some(settings) = read_settings(&src.join("book.toml"), &mut site.notes) else {
        return;
    };
    let book = get(&settings, "book");
    if let Some(title) = book.and_then(|b| get_str(b, "title")) {
        site.title = title;
    }
    site.description = book.and_then(|b| get_str(b, "description"));
    if let Some(lang) = book.and_then(|b| get_str(b, "language")) {
        site.language = language_code(&lang);
    }
    if let Some(dir) = book.and_then(|b| get_str(b, "src")) {
        site.content_dir = dir.into();
    }
    site.base_url = get(&settings, "output")
        .and_then(|o| get(o, "html"))
        .and_then(|h| get_str(h, "site-url"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_strings_are_read_by_key() {
        let text = "export default { title: 'Vue.js', description: \"Docs\", themeConfig: { nav: [{ text: 'Guide', link: '/guide/intro' }] } }";
        assert_eq!(js_string(text, "title").as_deref(), Some("Vue.js"));
        assert_eq!(js_string(text, "description").as_deref(), Some("Docs"));
        assert_eq!(
            js_links(text),
            [("Guide".to_string(), "/guide/intro".to_string())]
        );
        assert_eq!(first_segment("/guide/intro").as_deref(), Some("guide"));
        assert_eq!(first_segment("/about"), None);
        assert_eq!(first_segment("https://x.org/a/b"), None);
    }
}
