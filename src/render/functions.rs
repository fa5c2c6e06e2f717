//! Functions and filters available to templates.
//!
//! Functions: `get_page(path)`, `get_section(path)`, `url_for(path)`,
//! `asset_url(path)`, `trans(key, count)`, `compare_roles(roles)`,
//! `resize_image(path, width, format)` ([`crate::render::images`]).
//! Filters: `date(style)`, `number`, `json`, `markdown`, `slugify`, `xml`.

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Kwargs, State, TeraResult, Value};

use crate::config::Strings;
use crate::model::{Lang, PageId, Site};
use crate::render::i18n::{DateStyle, format_date, format_number};
use crate::render::theme::ui_text;

/// Site data the functions look things up in; built once per render of a
/// site (the theme's parts once per theme, see [`crate::render::Templates`]).
#[derive(Debug)]
pub struct Lookup {
    /// The site (functions run inside templates, so they share it).
    pub site: Arc<Site>,
    /// Static file path → `?h=` content hash, for cache busting.
    pub static_hashes: Arc<HashMap<String, String>>,
    /// UI strings of each language, the default first.
    pub strings: Arc<Vec<Strings>>,
    /// Role slug or path → comparison data for `compare_roles`.
    pub roles: HashMap<String, crate::render::kb::comparison::RoleRow>,
    /// Role slug, stem or path → page, for the components that quote roles.
    pub role_ids: HashMap<String, PageId>,
    /// Files of `static/` on disk by their path there, for `resize_image`.
    pub static_sources: Arc<HashMap<String, std::path::PathBuf>>,
    /// Where `resize_image` keeps its copies.
    pub image_cache: crate::images::Cache,
}

impl Lookup {
    fn find(&self, path: &str) -> Option<PageId> {
        let id = self
            .site
            .by_path
            .get(normalize_content_path(path).as_str())
            .copied();
        if let Some(id) = id {
            note_lookup(id);
        }
        id
    }

    /// The language of the page being rendered: its `lang` variable.
    fn lang(&self, state: &State) -> Lang {
        if !self.site.config.is_multilingual() {
            return 0;
        }
        let code: Option<String> = state.get::<String>("lang").ok().flatten();
        code.and_then(|code| self.site.config.language_codes().position(|c| c == code))
            .unwrap_or(0)
    }

    fn base_path(&self) -> &str {
        self.site.config.base_path()
    }
}

fn normalize_content_path(path: &str) -> String {
    let path = path
        .trim()
        .trim_start_matches("@/")
        .trim_start_matches("content/");
    let path = path.trim_start_matches('/');
    if path.is_empty() {
        "_index.md".to_string()
    } else if path.ends_with(".md") {
        path.to_string()
    } else {
        format!("{}/_index.md", path.trim_end_matches('/'))
    }
}

thread_local! {
    /// Pages looked up by templates during the current render, for `serve`
    /// to know which outputs depend on which pages.
    static ACCESSED: std::cell::RefCell<Option<Vec<PageId>>> = const { std::cell::RefCell::new(None) };
}

/// Run `render` and return the pages its templates looked up with
/// `get_page`, `get_section` or `url_for`.
pub fn record_lookups<T>(render: impl FnOnce() -> T) -> (T, Vec<PageId>) {
    ACCESSED.with(|a| *a.borrow_mut() = Some(Vec::new()));
    let result = render();
    let ids = ACCESSED.with(|a| a.borrow_mut().take()).unwrap_or_default();
    (result, ids)
}

pub(crate) fn note_lookup(id: PageId) {
    ACCESSED.with(|a| {
        if let Some(ids) = a.borrow_mut().as_mut() {
            ids.push(id);
        }
    });
}

fn error(message: String) -> tera::Error {
    tera::Error::message(message)
}

thread_local! {
    /// The site data of the render running on this thread: templates are
    /// compiled once per theme and serve every site a rebuild resolves.
    static SITE: std::cell::RefCell<Option<Arc<Lookup>>> = const { std::cell::RefCell::new(None) };
}

/// Run `work` with `lookup` as what the template functions see.
pub fn scope<T>(lookup: &Arc<Lookup>, work: impl FnOnce() -> T) -> T {
    let previous = SITE.with(|s| s.replace(Some(lookup.clone())));
    let result = work();
    SITE.with(|s| *s.borrow_mut() = previous);
    result
}

/// Call `f` with the site data of the current render (borrowed: no
/// reference count shared by every thread is touched per call).
fn with<T>(f: impl FnOnce(&Lookup) -> TeraResult<T>) -> TeraResult<T> {
    SITE.with(|s| match s.borrow().as_deref() {
        Some(lookup) => f(lookup),
        None => Err(error(
            "a template function ran outside a render (a bug in rolebook)".to_string(),
        )),
    })
}

/// Register every function and filter on a Tera instance; they read the
/// site of the render they run in ([`scope`]).
pub fn register(tera: &mut tera::Tera) {
    tera.register_function("get_page", |kwargs: Kwargs, _: &State| {
        with(|l| get_page(l, &kwargs))
    });
    tera.register_function("get_section", |kwargs: Kwargs, _: &State| {
        with(|l| get_page(l, &kwargs))
    });
    tera.register_function("url_for", |kwargs: Kwargs, _: &State| {
        with(|l| url_for(l, &kwargs))
    });
    tera.register_function("asset_url", |kwargs: Kwargs, _: &State| {
        with(|l| asset_url(l, &kwargs))
    });
    tera.register_function("trans", |kwargs: Kwargs, state: &State| {
        with(|l| trans(l, l.lang(state), &kwargs))
    });
    tera.register_function("compare_roles", |kwargs: Kwargs, state: &State| {
        with(|l| {
            let prefix = match l.lang(state) {
                0 => String::new(),
                lang => format!("{}:", l.site.lang_code(lang)),
            };
            crate::render::kb::compare_function(&l.roles, &kwargs, &prefix)
        })
    });
    tera.register_function("role_salary", |kwargs: Kwargs, state: &State| {
        with(|l| {
            let role = kwargs.must_get::<&str>("role")?;
            let region = kwargs.get::<&str>("region")?;
            let lang = l.lang(state);
            crate::render::kb::quote::salary_function(&l.site, &l.role_ids, role, region, lang)
        })
    });
    tera.register_function("resize_image", |kwargs: Kwargs, _: &State| {
        with(|l| crate::render::images::resize_image(l, &kwargs))
    });
    tera.register_function("page_image", |kwargs: Kwargs, _: &State| {
        with(|l| page_image(l, &kwargs))
    });
    tera.register_function("get_role", |kwargs: Kwargs, state: &State| {
        with(|l| {
            let role = kwargs.must_get::<&str>("role")?;
            let id = crate::render::kb::quote::find_role(&l.site, &l.role_ids, role)?;
            let id = l.site.in_lang(id, l.lang(state));
            Ok::<_, tera::Error>(crate::render::context::summary(&l.site, id))
        })
    });
    tera.register_filter("date", |value: &str, kwargs: Kwargs, state: &State| {
        with(|l| date_filter(l.site.lang_code(l.lang(state)), value, &kwargs))
    });
    tera.register_filter("number", |value: Value, _: Kwargs, state: &State| {
        with(|l| number_filter(l.site.lang_code(l.lang(state)), &value))
    });
    tera.register_filter("json", |value: Value, _: Kwargs, _: &State| {
        json_filter(&value)
    });
    tera.register_filter("markdown", |value: &str, _: Kwargs, _: &State| {
        Value::safe_string(&crate::markdown::render_inline(value))
    });
    tera.register_filter("xml", |value: &str, _: Kwargs, _: &State| {
        Value::safe_string(&crate::render::xml::escape(value))
    });
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        crate::slug::slugify(value)
    });
    tera.register_filter("upper_first", |value: &str, _: Kwargs, _: &State| {
        upper_first(value)
    });
}

/// The first letter in upper case, the rest as written: tags are typed in
/// lower case (`английский язык`), a title starts with a capital, and
/// Tera's `capitalize` would lower the rest (`CRM` → `Crm`).
pub(crate) fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `page_image(page="articles/a.md", path="chart.png")`: an image next to
/// a page (or an absolute URL, kept): its URL, and for raster files of the
/// site its size and the `srcset` of its resized copies.
fn page_image(lookup: &Lookup, kwargs: &Kwargs) -> TeraResult<Value> {
    let page = kwargs.must_get::<&str>("page")?;
    let path = kwargs.must_get::<&str>("path")?;
    let mut map = tera::Map::new();
    if path.starts_with('/') || path.contains("://") {
        map.insert("url".into(), Value::from(path));
        let shown = crate::images::static_path(path, lookup.base_path());
        if let Some(image) = lookup.site.static_images.get(shown)
            && !path.starts_with("//")
        {
            insert_image(&mut map, image);
        }
        return Ok(Value::from(map));
    }
    let target = crate::markdown::resolve_relative(page, path);
    let asset = target
        .as_deref()
        .and_then(|t| lookup.site.assets.iter().find(|a| a.content_path == t))
        .ok_or_else(|| {
            error(format!(
                "image `{path}` not found (hint: put the file next to `content/{page}` in its page folder, or give an absolute URL)"
            ))
        })?;
    map.insert("url".into(), Value::from(asset.url.as_str()));
    if let Some(image) = &asset.image {
        insert_image(&mut map, image);
    }
    Ok(Value::from(map))
}

fn insert_image(map: &mut tera::Map, image: &crate::model::ImageInfo) {
    map.insert("width".into(), Value::from(image.width));
    map.insert("height".into(), Value::from(image.height));
    map.insert("srcset".into(), Value::from(image.srcset()));
}

fn get_page(lookup: &Lookup, kwargs: &Kwargs) -> TeraResult<Value> {
    let path = kwargs.must_get::<&str>("path")?;
    let id = lookup.find(path);
    id.map(|id| crate::render::context::summary(&lookup.site, id)).ok_or_else(|| {
        error(format!(
            "no page or section at `{path}` (paths are relative to `content/`, e.g. `roles/pm.md`)"
        ))
    })
}

fn url_for(lookup: &Lookup, kwargs: &Kwargs) -> TeraResult<String> {
    let path = kwargs.must_get::<&str>("path")?;
    if path.ends_with(".md") || path.starts_with("@/") {
        return lookup
            .find(path)
            .map(|id| lookup.site.entries[id].url.clone())
            .ok_or_else(|| error(format!("`url_for`: no page `{path}` in `content/`")));
    }
    Ok(format!(
        "{}{}",
        lookup.base_path(),
        path.trim_start_matches('/')
    ))
}

/// A static file's URL with a content hash, so browsers may cache it forever.
fn asset_url(lookup: &Lookup, kwargs: &Kwargs) -> TeraResult<String> {
    let path = kwargs.must_get::<&str>("path")?.trim_start_matches('/');
    let hash = lookup.static_hashes.get(path).ok_or_else(|| {
        error(format!(
            "`asset_url`: no static file `{path}` in the theme or `static/`"
        ))
    })?;
    Ok(format!("{}{path}?h={hash}", lookup.base_path()))
}

fn trans(lookup: &Lookup, lang: Lang, kwargs: &Kwargs) -> TeraResult<String> {
    let key = kwargs.must_get::<&str>("key")?;
    let count = kwargs.get::<i64>("count")?;
    let strings = &lookup.strings[lang.min(lookup.strings.len() - 1)];
    let language = lookup.site.lang_code(lang);
    let Some(string) = strings.entries.get(key) else {
        return Err(error(format!(
            "missing UI string `{key}` in `{}`",
            crate::error::display_path(&strings.file)
        )));
    };
    let text = ui_text(string, language, count);
    let mut text = text.to_string();
    if let Some(count) = count {
        text = text.replace("{count}", &format_number(count.into(), language));
    }
    for (name, value) in kwargs.iter() {
        if let (Some(name), Some(value)) = (name.as_str(), value.as_str()) {
            text = text.replace(&format!("{{{name}}}"), value);
        }
    }
    Ok(text)
}

fn date_filter(language: &str, value: &str, kwargs: &Kwargs) -> TeraResult<String> {
    let style = match kwargs.get::<&str>("style")?.unwrap_or("long") {
        "long" => DateStyle::Long,
        "short" => DateStyle::Short,
        "iso" => DateStyle::Iso,
        "month" => DateStyle::Month,
        other => {
            return Err(error(format!(
                "`date`: unknown style `{other}` (use long, short, iso or month)"
            )));
        }
    };
    let date = crate::content::page::parse_date(value)
        .ok_or_else(|| error(format!("`date`: `{value}` is not a date")))?;
    Ok(format_date(&date, language, style))
}

fn number_filter(language: &str, value: &Value) -> TeraResult<String> {
    let n = value
        .as_i128()
        .or_else(|| value.as_f64().map(|f| f.round() as i128))
        .ok_or_else(|| error(format!("`number`: `{value}` is not a number")))?;
    Ok(format_number(n, language))
}

fn json_filter(value: &Value) -> TeraResult<Value> {
    let json = serde_json::to_string(value).map_err(|e| error(format!("`json`: {e}")))?;
    // Safe inside <script>: no `</script>` or `<!--` can appear.
    Ok(Value::safe_string(&json.replace('<', "\\u003c")))
}
