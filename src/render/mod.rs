//! Render: Tera templates of the theme, parsed once, with a documented
//! context; then prose polishing ([`crate::typography`]) of the HTML.
//!
//! Rendering a job is a pure function of the job, the [`Site`] and the
//! [`Renderer`], so jobs run in parallel and `serve` re-runs only some.

pub mod components;
pub mod context;
pub mod functions;
pub mod i18n;
pub mod images;
pub mod kb;
pub mod theme;
pub mod xml;

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Context, Tera, Value};

use crate::content::page::Date;
use crate::error::{Error, Kind as ErrorKind, Location};
use crate::model::jobs::{Generated, Job, JobKind, paginate_by};
use crate::model::{Lang, PageId, Site};
use crate::typography;
use context::{paginate, with_fields};
use functions::Lookup;
pub use theme::Theme;

/// The theme compiled: templates parsed once, and what the template
/// functions read of the theme (static file hashes, UI strings). `serve`
/// keeps it across content edits; a change to the theme or the config
/// compiles it again.
pub struct Templates {
    tera: Tera,
    /// Theme templates that do not fit the site's overrides (a site `base.html`
    /// without the blocks they fill), with the error shown if one is used.
    set_aside: HashMap<String, Error>,
    theme: Theme,
    /// The day templates see as `today` (ISO).
    day: String,
    /// Static file path → `?h=` content hash.
    static_hashes: Arc<HashMap<String, String>>,
    /// UI strings of each language of the site, the default first.
    strings: Arc<Vec<crate::config::Strings>>,
    /// Files of `static/` on disk, for `resize_image`.
    static_sources: Arc<HashMap<String, std::path::PathBuf>>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates").finish_non_exhaustive()
    }
}

impl Templates {
    /// Parse the theme's templates and read its static files' hashes and
    /// UI strings for the languages of `config`.
    pub fn compile(
        theme: &Theme,
        config: &crate::config::Config,
        today: Date,
    ) -> Result<Arc<Templates>, Vec<Error>> {
        let mut static_hashes = HashMap::new();
        for file in theme.static_files() {
            let bytes = file.bytes().map_err(|e| vec![e])?;
            static_hashes.insert(file.rel.clone(), short_hash(&bytes));
        }
        let strings = (0..config.language_codes().count())
            .map(|lang| theme.strings_in(lang).clone())
            .collect();
        let (mut tera, set_aside) = compile(theme)?;
        let day = context::iso(&today);
        tera.global_context().insert("today", &day);
        Ok(Arc::new(Templates {
            tera,
            set_aside,
            theme: theme.clone(),
            day,
            static_hashes: Arc::new(static_hashes),
            strings: Arc::new(strings),
            static_sources: Arc::new(images::static_sources(theme)),
        }))
    }

    /// Whether `today` is the day these templates were compiled for.
    pub fn is_of_day(&self, today: &Date) -> bool {
        self.day == context::iso(today)
    }
}

/// Templates with one site's shared values.
pub struct Renderer {
    templates: Arc<Templates>,
    today: Date,
    /// What the template functions look up, for this site.
    lookup: Arc<Lookup>,
    /// Typography of each language (Russian rules only for `ru`).
    typography: Vec<typography::Options>,
    /// `config` and `site` of each language, built once.
    values: Vec<context::SiteValues>,
    /// `taxonomy` of each taxonomy's pages, built once (term pages show it
    /// whole, and there may be hundreds of them).
    taxonomies: Vec<Value>,
    /// The pages' HTML with their component calls rendered.
    components: Arc<components::Outputs>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").finish_non_exhaustive()
    }
}

impl Renderer {
    /// Parse the theme's templates and prepare the values every page shares.
    pub fn new(site: &Arc<Site>, theme: &Theme, today: Date) -> Result<Renderer, Vec<Error>> {
        Renderer::with(Templates::compile(theme, &site.config, today)?, site, today)
    }

    /// Prepare the values every page of `site` shares, with templates
    /// compiled before (`serve` keeps them across content edits).
    pub fn with(
        templates: Arc<Templates>,
        site: &Arc<Site>,
        today: Date,
    ) -> Result<Renderer, Vec<Error>> {
        let values = site
            .langs()
            .map(|lang| context::site_values(site, lang))
            .collect();
        let lookup = Arc::new(Lookup {
            site: site.clone(),
            static_hashes: templates.static_hashes.clone(),
            strings: templates.strings.clone(),
            roles: crate::render::kb::role_lookup(site),
            role_ids: crate::render::kb::quote::role_ids(site),
            static_sources: templates.static_sources.clone(),
            image_cache: crate::images::Cache::of_site(&site.root),
        });
        let typography = site
            .langs()
            .map(|lang| typography::Options {
                language: typography::Language::from_code(site.lang_code(lang)),
                enabled: site.config.typography,
            })
            .collect();
        let components = Arc::new(components::render_all(&templates.tera, site, &lookup)?);
        let taxonomies = (0..site.taxonomies.len())
            .map(|t| taxonomy_value(site, &templates.theme, t))
            .collect();
        Ok(Renderer {
            templates,
            today,
            lookup,
            components,
            taxonomies,
            typography,
            values,
        })
    }

    /// The theme (static files are copied from it).
    pub fn theme(&self) -> &Theme {
        &self.templates.theme
    }

    /// Run a job's work with the site's data and the pages' rendered
    /// components in reach of the templates.
    pub fn scope<T>(&self, work: impl FnOnce() -> T) -> T {
        functions::scope(&self.lookup, || components::scope(&self.components, work))
    }

    /// "Today" of this build.
    pub fn today(&self) -> Date {
        self.today
    }

    /// Render a template job to HTML.
    pub fn render(&self, job: &Job, site: &Site) -> Result<Vec<u8>, Error> {
        let lang = job_lang(site, job);
        let (template, context, page) = self.prepare(job, site, lang)?;
        self.render_template(&template, &context, page.map(|id| &site.entries[id]), lang)
    }

    fn prepare(
        &self,
        job: &Job,
        site: &Site,
        lang: Lang,
    ) -> Result<(String, Context, Option<PageId>), Error> {
        let mut ctx = Context::new();
        let values = &self.values[lang];
        ctx.insert_value("config", values.config.clone());
        ctx.insert_value("site", values.site.clone());
        ctx.insert("lang", site.lang_code(lang));
        let rel = job.output.trim_end_matches("index.html");
        ctx.insert("current_path", rel);
        ctx.insert("current_url", &format!("{}{rel}", site.config.base_path()));
        ctx.insert("permalink", &format!("{}{rel}", site.config.base_url));
        let (template, page) = match &job.kind {
            JobKind::Page(id) => (self.page_context(site, *id, &mut ctx), Some(*id)),
            JobKind::Section { id, number } => (
                self.section_context(site, *id, *number, &mut ctx),
                Some(*id),
            ),
            JobKind::TaxonomyList(t) => {
                ctx.insert_value("jsonld", self.taxonomy_crumbs(site, *t, None));
                (self.taxonomy_context(*t, &mut ctx), None)
            }
            JobKind::Term {
                taxonomy,
                term,
                number,
            } => {
                ctx.insert_value("jsonld", self.taxonomy_crumbs(site, *taxonomy, Some(*term)));
                (
                    self.term_context(site, *taxonomy, *term, *number, &mut ctx),
                    None,
                )
            }
            JobKind::Alias(id) => {
                ctx.insert_value("page", context::summary(site, *id));
                ctx.insert("redirect_to", &site.entries[*id].url);
                ("redirect.html".to_string(), Some(*id))
            }
            JobKind::NotFound => ("404.html".to_string(), None),
            JobKind::Sitemap => {
                ctx.insert_value("urls", xml::sitemap_value(site));
                ctx.insert("multilingual", &site.config.is_multilingual());
                ("sitemap.xml".to_string(), None)
            }
            JobKind::Robots => {
                ctx.insert("sitemap_url", &xml::sitemap_url(site));
                ("robots.txt".to_string(), None)
            }
            JobKind::Feed { lang, section } => {
                ctx.insert_value("feed", xml::feed_value(site, *lang, *section, self.today));
                ("atom.xml".to_string(), None)
            }
            JobKind::SearchPage(lang) => {
                let title = self.ui_text(*lang, "search_title");
                let url = format!(
                    "{}search/",
                    site.config.language_prefix(site.lang_code(*lang))
                );
                let crumbs = kb::jsonld::breadcrumb_trail(site, *lang, &[(&title, &url)]);
                ctx.insert_value("jsonld", Value::safe_string(&crumbs));
                ("search.html".to_string(), None)
            }
            JobKind::Kb(generated) => (
                crate::render::kb::prepare_context(
                    generated,
                    site,
                    self.templates.theme.strings_in(lang),
                    &mut ctx,
                ),
                None,
            ),
            other => {
                return Err(Error::new(
                    ErrorKind::Content,
                    format!("{other:?} is not rendered through a template"),
                ));
            }
        };
        let versions = context::versions(site, &job.kind, page);
        let (mut alternates, languages) =
            context::language_links(site, &versions, lang, |l| self.ui_text(l, "language_name"));
        if matches!(job.kind, JobKind::NotFound) {
            // A missing page has no language versions, only homes to go to.
            alternates = Value::from(Vec::<Value>::new());
        }
        ctx.insert_value("alternates", alternates);
        ctx.insert_value("languages", languages);
        ctx.insert("template", &template);
        let shown = matches!(job.kind, JobKind::Page(_) | JobKind::Section { .. });
        let authoring = shown && page.is_some_and(|id| context::uses_authoring(&site.entries[id]));
        ctx.insert("authoring_css", &authoring);
        let edit_url = page.filter(|_| shown).and_then(|id| edit_url(site, id));
        ctx.insert("edit_url", &edit_url);
        Ok((template, ctx, page))
    }

    fn page_context(&self, site: &Site, id: PageId, ctx: &mut Context) -> String {
        let entry = &site.entries[id];
        ctx.insert_value("page", context::page_value(site, id));
        ctx.insert("breadcrumbs", &context::breadcrumbs(site, id));
        ctx.insert_value(
            "jsonld",
            Value::safe_string(&crate::render::kb::json_ld(site, id)),
        );
        let default = kb::page_template(entry.page.front.kind);
        self.pick_template(entry.page.front.template.as_deref(), default, "page.html")
    }

    fn section_context(&self, site: &Site, id: PageId, number: usize, ctx: &mut Context) -> String {
        let entry = &site.entries[id];
        let (pages, paginator) = paginate(
            &entry.children,
            paginate_by(site, id),
            number,
            site.config.base_path(),
            &entry.rel_url,
        );
        let subsections: Vec<Value> = entry
            .subsections
            .iter()
            .map(|&s| context::summary(site, s))
            .collect();
        let section = with_fields(
            context::page_value(site, id),
            [
                ("pages", Value::from(context::summaries(site, &pages))),
                ("subsections", Value::from(subsections)),
            ],
        );
        ctx.insert_value("section", section);
        ctx.insert("paginator", &paginator);
        ctx.insert("breadcrumbs", &context::breadcrumbs(site, id));
        ctx.insert_value(
            "jsonld",
            Value::safe_string(&crate::render::kb::json_ld(site, id)),
        );
        let default = if entry.page.is_home() {
            "index.html"
        } else {
            kb::section_template(&entry.page)
        };
        self.pick_template(
            entry.page.front.template.as_deref(),
            default,
            "section.html",
        )
    }

    fn taxonomy_context(&self, t: usize, ctx: &mut Context) -> String {
        ctx.insert_value("taxonomy", self.taxonomies[t].clone());
        "taxonomy_list.html".to_string()
    }

    /// A UI string of a language without a count, as text.
    fn ui_text(&self, lang: Lang, key: &str) -> String {
        self.templates
            .theme
            .strings_in(lang)
            .entries
            .get(key)
            .map_or_else(
                || key.to_string(),
                |s| theme::ui_text(s, "", None).to_string(),
            )
    }

    /// The JSON-LD breadcrumbs of a taxonomy page, and of a term's page.
    fn taxonomy_crumbs(&self, site: &Site, t: usize, term: Option<usize>) -> Value {
        let taxonomy = &site.taxonomies[t];
        let title = taxonomy_title(&self.templates.theme, taxonomy.lang, &taxonomy.name);
        let term = term.map(|i| &taxonomy.terms[i]);
        let term_name = term.map(|term| functions::upper_first(&term.name));
        let mut trail = vec![(title.as_str(), taxonomy.rel_url.as_str())];
        if let (Some(term), Some(name)) = (term, &term_name) {
            trail.push((name.as_str(), term.rel_url.as_str()));
        }
        Value::safe_string(&kb::jsonld::breadcrumb_trail(site, taxonomy.lang, &trail))
    }

    fn term_context(
        &self,
        site: &Site,
        t: usize,
        i: usize,
        number: usize,
        ctx: &mut Context,
    ) -> String {
        let term = &site.taxonomies[t].terms[i];
        let (pages, paginator) = paginate(
            &term.pages,
            site.config.paginate_by,
            number,
            site.config.base_path(),
            &term.rel_url,
        );
        let mut map = tera::Map::new();
        map.insert("name".into(), Value::from(term.name.as_str()));
        map.insert("slug".into(), Value::from(term.slug.as_str()));
        map.insert("url".into(), Value::from(term.url.as_str()));
        map.insert("count".into(), Value::from(term.pages.len()));
        map.insert(
            "pages".into(),
            Value::from(context::summaries(site, &pages)),
        );
        ctx.insert_value("taxonomy", self.taxonomies[t].clone());
        ctx.insert_value("term", Value::from(map));
        ctx.insert("paginator", &paginator);
        "taxonomy_term.html".to_string()
    }

    /// The page's own `template:` if given, else the kind's default, else `fallback`.
    fn pick_template(&self, chosen: Option<&str>, default: &str, fallback: &str) -> String {
        if let Some(name) = chosen {
            return name.to_string();
        }
        if self.templates.tera.contains_template(default) {
            default.to_string()
        } else {
            fallback.to_string()
        }
    }

    /// Render a named template with a context; polish prose; map errors to
    /// the template file and line and the page being rendered. Bytes, not a
    /// `String`: the page goes to a file, and `String` would check it again.
    pub fn render_template(
        &self,
        name: &str,
        ctx: &Context,
        page: Option<&crate::model::Entry>,
        lang: Lang,
    ) -> Result<Vec<u8>, Error> {
        if let Some(error) = self.templates.set_aside.get(name) {
            let error = error.clone();
            return Err(match page {
                Some(entry) => error.with_hint(format!(
                    "needed for `{}`",
                    crate::error::display_path(&entry.page.file)
                )),
                None => error,
            });
        }
        if !self.templates.tera.contains_template(name) {
            let message = format!("template `{name}` not found in the theme or `templates/`");
            let error = match page {
                Some(entry) => Error::at(Location::file(&entry.page.file), message),
                None => Error::new(ErrorKind::Template, message),
            };
            return Err(
                error.with_hint("create `templates/{name}` in the site, or fix `template:`")
            );
        }
        let mut html = Vec::with_capacity(16 * 1024);
        self.templates
            .tera
            .render_to(name, ctx, &mut html)
            .map_err(|e| template_error(&self.templates.theme, &e, page))?;
        // Typography is for prose in pages, not for feeds and sitemaps.
        if name.ends_with(".html") {
            Ok(self.polish(html, lang))
        } else {
            Ok(html)
        }
    }

    /// Apply the typography of the page's language to rendered HTML.
    fn polish(&self, html: Vec<u8>, lang: Lang) -> Vec<u8> {
        let typography = &self.typography[lang];
        if !typography.is_active() {
            return html;
        }
        // Tera writes only `str`s, so this check cannot fail; it is the
        // SIMD one, a tenth of the cost of `String::from_utf8`.
        match simdutf8::basic::from_utf8(&html) {
            Ok(text) => typography::polish_html(text, typography).into_bytes(),
            Err(_) => html,
        }
    }
}

/// The taxonomy's title: the UI string `taxonomy_<name>`, else its name.
fn taxonomy_title(theme: &Theme, lang: Lang, name: &str) -> String {
    theme
        .strings_in(lang)
        .entries
        .get(&format!("taxonomy_{name}"))
        .map_or_else(
            || name.to_string(),
            |s| theme::ui_text(s, "", None).to_string(),
        )
}

/// Parse the theme's templates. A theme template that no longer compiles
/// because the site replaced a template it builds on is set aside (an error
/// only if a page needs it); an error in the site's own templates is fatal.
fn compile(theme: &Theme) -> Result<(Tera, HashMap<String, Error>), Vec<Error>> {
    let mut set_aside: HashMap<String, Error> = HashMap::new();
    loop {
        let mut tera = Tera::new();
        functions::register(&mut tera);
        let templates = theme
            .templates()
            .values()
            .filter(|t| !set_aside.contains_key(&t.name));
        let Err(err) =
            tera.add_raw_templates(templates.map(|t| (t.name.as_str(), t.text.as_str())))
        else {
            return Ok((tera, set_aside));
        };
        let error = template_error(theme, &err, None);
        let failing: Vec<&theme::TemplateSource> = failing_templates(&err)
            .iter()
            .filter_map(|name| theme.templates().get(name))
            .collect();
        let theme_only = !failing.is_empty()
            && failing
                .iter()
                .all(|t| !t.from_site() && !set_aside.contains_key(&t.name));
        if !theme_only {
            return Err(vec![error]);
        }
        for t in failing {
            set_aside.insert(t.name.clone(), error.clone());
        }
    }
}

/// The names of the templates a Tera error is about.
fn failing_templates(err: &tera::Error) -> Vec<String> {
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            vec![report.filename().to_string()]
        }
        tera::ErrorKind::MissingParent { current, .. } => vec![current.clone()],
        tera::ErrorKind::CircularExtend { tpl, .. }
        | tera::ErrorKind::CircularInclude { tpl, .. } => vec![tpl.clone()],
        // Checks across templates come as one message of reports: `--> name:line:col`.
        _ => err
            .to_string()
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("--> "))
            .filter_map(|l| l.rsplitn(3, ':').nth(2))
            .map(str::to_string)
            .collect(),
    }
}

fn taxonomy_value(site: &Site, theme: &Theme, t: usize) -> Value {
    let taxonomy = &site.taxonomies[t];
    let terms: Vec<Value> = taxonomy
        .terms
        .iter()
        .map(|term| {
            let mut map = tera::Map::new();
            map.insert("name".into(), Value::from(term.name.as_str()));
            map.insert("slug".into(), Value::from(term.slug.as_str()));
            map.insert("url".into(), Value::from(term.url.as_str()));
            map.insert("count".into(), Value::from(term.pages.len()));
            Value::from(map)
        })
        .collect();
    let mut map = tera::Map::new();
    map.insert("name".into(), Value::from(taxonomy.name.as_str()));
    map.insert(
        "title".into(),
        Value::from(taxonomy_title(theme, taxonomy.lang, &taxonomy.name)),
    );
    map.insert("url".into(), Value::from(taxonomy.url.as_str()));
    map.insert("terms".into(), Value::from(terms));
    Value::from(map)
}

/// `repo_url` + the page's file (`content/roles/pm.md`), when `repo_url` is set.
fn edit_url(site: &Site, id: PageId) -> Option<String> {
    let repo = site.config.repo_url.as_deref()?;
    let file = crate::error::display_path(&site.entries[id].page.file);
    let file = percent_encoding::utf8_percent_encode(&file, crate::model::URL_PATH).to_string();
    Some(format!("{repo}{file}"))
}

/// The language a job's output is in.
pub fn job_lang(site: &Site, job: &Job) -> Lang {
    match &job.kind {
        JobKind::Page(id) | JobKind::Section { id, .. } | JobKind::Alias(id) => {
            site.entries[*id].lang
        }
        JobKind::TaxonomyList(t) | JobKind::Term { taxonomy: t, .. } => site.taxonomies[*t].lang,
        JobKind::SearchPage(lang) | JobKind::SearchIndex(lang) | JobKind::Feed { lang, .. } => {
            *lang
        }
        JobKind::Kb(
            Generated::SalaryOverview(lang)
            | Generated::CareerMap(lang)
            | Generated::RolesJson(lang),
        ) => *lang,
        JobKind::Kb(Generated::Handout(id)) => site.entries[*id].lang,
        JobKind::NotFound
        | JobKind::Sitemap
        | JobKind::Robots
        | JobKind::Asset(_)
        | JobKind::Static(_)
        | JobKind::Image(_) => 0,
    }
}

/// A short content hash for cache-busting file names and query strings.
pub fn short_hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))[..10].to_string()
}

/// Turn a Tera error into ours: the template file and line, the page being
/// rendered, and Tera's own report as the cause.
fn template_error(theme: &Theme, err: &tera::Error, page: Option<&crate::model::Entry>) -> Error {
    let (location, message) = match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let origin = theme
                .templates()
                .get(report.filename())
                .map_or_else(|| report.filename().to_string(), |t| t.origin.clone());
            let span = report.span();
            (
                Some(Location::at(origin, span.start_line, span.start_col + 1)),
                report.message().to_string(),
            )
        }
        _ => (None, first_line(&err.to_string())),
    };
    // Tera's message lists the variables in scope: that is the hint.
    let split = [". Available variables: ", ". Available fields: "]
        .iter()
        .find_map(|marker| message.split_once(marker).map(|(m, n)| (m, *marker, n)));
    let (message, available) = match split {
        Some((message, marker, names)) => (
            message.to_string(),
            Some(format!(
                "the {} here are: {names}",
                if marker.contains("fields") {
                    "fields"
                } else {
                    "variables"
                }
            )),
        ),
        None => (message, None),
    };
    let mut error = Error::new(ErrorKind::Template, lowercase_first(&message));
    if let Some(snippet) = template_snippet(&err.to_string()) {
        error = error.with_cause(snippet);
    }
    if let Some(hint) = available {
        error = error.with_hint(hint);
    }
    if let Some(entry) = page {
        error = error.with_page(&entry.page.file);
    }
    if let Some(location) = location {
        error = error.with_location(location);
    }
    error
}

/// Tera's report without its first line (the message, shown already): the
/// source snippet and the chain of templates that included it.
fn template_snippet(report: &str) -> Option<String> {
    let lines: Vec<&str> = report.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with("--> "))?;
    let snippet: Vec<&str> = lines[start..].iter().map(|l| l.trim_end()).collect();
    let snippet = snippet.join("\n");
    let snippet = snippet.trim_end();
    (!snippet.is_empty()).then(|| snippet.to_string())
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(|l| l.trim_start_matches("error: "))
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text)
        .to_string()
}

pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    }
}
