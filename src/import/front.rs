//! A foreign page's front matter mapped to Rolebook's fields: what has a
//! Rolebook meaning gets its Rolebook name (`lastmod` → `updated`,
//! `sidebar_position` → `weight`, Zola's `[taxonomies]` → top-level lists),
//! everything else goes under `extra`, where templates can still read it.

use serde_json::{Map, Value as Json};

use super::body::Context;
use super::layout::Format;
use super::report::Note;
use crate::content::front_matter::{parse_any, split as split_front, to_yaml};

/// The new front matter of one page.
#[derive(Debug, Default)]
pub struct Front {
    fields: Map<String, Json>,
    extra: Map<String, Json>,
}

/// Cut `text` into its mapped front matter, the body and the body's first line.
pub fn split<'a>(
    text: &'a str,
    context: &Context<'_>,
    notes: &mut Vec<Note>,
) -> (Front, &'a str, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(split) = split_front(text) else {
        return (Front::default(), text, 1);
    };
    let data = match parse_any(&split) {
        Ok(data) => data,
        Err(message) => {
            notes.push(Note::at(
                context.file,
                split.front_line,
                format!(
                    "front matter could not be read ({message}); left out, the page keeps its text"
                ),
            ));
            return (Front::default(), split.body, split.body_line);
        }
    };
    let mut front = Front::default();
    if let Json::Object(map) = data {
        for (key, value) in map {
            front.map(&key, value, context);
        }
    }
    (front, split.body, split.body_line)
}

impl Front {
    fn map(&mut self, key: &str, value: Json, context: &Context<'_>) {
        let lower = key.to_ascii_lowercase();
        let format = context.format;
        match lower.as_str() {
            "title" | "description" if value.is_string() => self.set(&lower, value),
            "date" | "publishdate" | "pubdate" if is_date(&value) => self.set_once("date", value),
            "lastmod" | "updated" | "last_modified" if is_date(&value) => {
                self.set_once("updated", value)
            }
            "last_update" if format == Format::Docusaurus => {
                match value.get("date").filter(|d| is_date(d)) {
                    Some(date) => self.set_once("updated", date.clone()),
                    None => self.put_extra(key, value),
                }
            }
            "draft" if value.is_boolean() => self.set("draft", value),
            "slug" => match value.as_str() {
                Some(slug) if is_segment(slug) => self.set("slug", slug.into()),
                _ => self.put_extra(key, value),
            },
            "id" if format == Format::Docusaurus => match value.as_str() {
                Some(id) if is_segment(id) && !self.fields.contains_key("slug") => {
                    self.set("slug", id.into())
                }
                _ => self.put_extra(key, value),
            },
            "weight" | "sidebar_position" => match as_weight(&value) {
                Some(weight) => self.set("weight", weight.into()),
                None => self.put_extra(key, value),
            },
            "aliases" => match strings(&value) {
                Some(aliases) => {
                    let dir = context.page_dir();
                    let absolute: Vec<Json> = aliases
                        .into_iter()
                        .map(|a| absolute_alias(&a, &dir).into())
                        .collect();
                    self.set("aliases", Json::Array(absolute));
                }
                None => self.put_extra(key, value),
            },
            "taxonomies" if format == Format::Zola => match value {
                Json::Object(map) => {
                    for (name, terms) in map {
                        self.taxonomy(&name, terms);
                    }
                }
                other => self.put_extra(key, other),
            },
            "extra" => match value {
                Json::Object(map) => self.extra.extend(map),
                other => self.put_extra(key, other),
            },
            "sort_by" if matches!(value.as_str(), Some("weight" | "date" | "title")) => {
                self.set("sort_by", value)
            }
            "paginate_by" if value.is_u64() => self.set("paginate_by", value),
            "tags" => self.taxonomy("tags", value),
            _ if context.taxonomies.iter().any(|t| t == key) => self.taxonomy(key, value),
            _ => self.put_extra(key, value),
        }
    }

    fn set(&mut self, key: &str, value: Json) {
        self.fields.insert(key.to_string(), value);
    }

    fn set_once(&mut self, key: &str, value: Json) {
        self.fields.entry(key.to_string()).or_insert(value);
    }

    fn put_extra(&mut self, key: &str, value: Json) {
        self.extra.insert(key.to_string(), value);
    }

    /// A list of terms (Docusaurus writes `{label: …}` objects; one term may be a string).
    fn taxonomy(&mut self, name: &str, value: Json) {
        let terms: Option<Vec<String>> = match &value {
            Json::String(s) => Some(vec![s.clone()]),
            Json::Array(items) => items
                .iter()
                .map(|t| match t {
                    Json::String(s) => Some(s.clone()),
                    Json::Object(o) => o.get("label").and_then(Json::as_str).map(str::to_string),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        match terms {
            Some(terms) if !terms.is_empty() => self.set(name, terms.into()),
            Some(_) => {}
            None => self.put_extra(name, value),
        }
    }

    /// A weight from the source's order, unless the page sets its own.
    pub fn set_weight_if_missing(&mut self, weight: i64) {
        self.set_once("weight", weight.into());
    }

    /// Old URLs that redirect here (the host's redirects), after the page's own.
    pub fn add_aliases(&mut self, aliases: &[String]) {
        if aliases.is_empty() {
            return;
        }
        let list = self
            .fields
            .entry("aliases")
            .or_insert_with(|| Json::Array(Vec::new()));
        if let Json::Array(items) = list {
            for alias in aliases {
                if !items.iter().any(|i| i.as_str() == Some(alias)) {
                    items.push(alias.clone().into());
                }
            }
        }
    }

    /// A title the body set (mdBook's `{{#title}}`), unless the front matter has one.
    pub fn set_title_if_missing(&mut self, title: &str) {
        self.set_once("title", title.into());
    }

    /// Fields the body conversion found (VitePress's home `hero:`).
    pub fn extra(&self, key: &str) -> Option<&Json> {
        self.extra.get(key)
    }

    /// The page's text: front matter (if it has any) and body.
    pub fn write(mut self, body: &str) -> String {
        if !self.extra.is_empty() {
            let extra = std::mem::take(&mut self.extra);
            self.fields.insert("extra".into(), Json::Object(extra));
        }
        if self.fields.is_empty() {
            return body.to_string();
        }
        let yaml = to_yaml(&Json::Object(self.fields));
        format!("---\n{yaml}---\n{body}")
    }
}

/// A date Rolebook reads (`2020-12-21`, `2020/12/21`, with a time or an
/// offset); any other value stays under `extra`.
fn is_date(value: &Json) -> bool {
    value
        .as_str()
        .is_some_and(|text| crate::content::page::parse_date(text).is_some())
}

/// One URL segment (`useState`, `getting-started`), not a path.
fn is_segment(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '+' | '~'))
}

fn as_weight(value: &Json) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_f64().map(|f| (f * 10.0).round() as i64 / 10))
}

fn strings(value: &Json) -> Option<Vec<String>> {
    match value {
        Json::String(s) => Some(vec![s.clone()]),
        Json::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// Hugo lets an alias be relative to the page's folder; Rolebook's are
/// root-relative.
fn absolute_alias(alias: &str, dir: &str) -> String {
    if alias.starts_with('/') || alias.contains("://") {
        return alias.to_string();
    }
    if dir.is_empty() {
        format!("/{alias}")
    } else {
        format!("/{dir}/{alias}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_weights_and_aliases() {
        assert!(is_date(&"2020/12/21".into()));
        assert!(is_date(&"2020-12-21T10:00:00+03:00".into()));
        assert!(!is_date(&"21.12.2020".into()));
        assert_eq!(as_weight(&Json::from(2.0)), Some(2));
        assert_eq!(absolute_alias("old", "docs"), "/docs/old");
        assert_eq!(absolute_alias("/old/", "docs"), "/old/");
    }
}
