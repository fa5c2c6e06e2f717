//! The content model: front matter fields, kinds, and [`Page`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::content::kinds::{Career, Dimension, Salary};

/// What a page is; selects its schema and its default template.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A plain article (the default).
    #[default]
    Article,
    /// A role guide with structured role data.
    Role,
    /// A side-by-side comparison of roles.
    Comparison,
    /// A course: set on a section's `_index.md`.
    Course,
    /// A chapter of a course.
    Chapter,
}

impl Kind {
    /// Every kind, for hints.
    pub const ALL: [Kind; 5] = [
        Kind::Article,
        Kind::Role,
        Kind::Comparison,
        Kind::Course,
        Kind::Chapter,
    ];

    /// The name written in front matter.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Role => "role",
            Kind::Comparison => "comparison",
            Kind::Course => "course",
            Kind::Chapter => "chapter",
        }
    }
}

/// Fields every page and section may have.
pub const COMMON_FIELDS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "weight",
    "tags",
    "aliases",
    "template",
    "kind",
    "extra",
    "lint",
    "translation_of_hash",
];

/// Fields only a section's `_index.md` may have.
pub const SECTION_FIELDS: &[&str] = &["sort_by", "paginate_by", "page_kind"];

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// By `weight`, then title (the default).
    #[default]
    Weight,
    /// Newest first, then title.
    Date,
    /// By title, in the language's collation order (simple Unicode order).
    Title,
}

/// Front matter as written, before checks that serde cannot express.
///
/// Every key the site's kinds know is here as an `Option`; which ones a page
/// may use is decided by its kind before deserializing (see `front_matter`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "fields are documented in the README's front matter reference"
)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<DateText>,
    pub updated: Option<DateText>,
    pub draft: Option<bool>,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub tags: Option<Vec<String>>,
    pub aliases: Option<Vec<String>>,
    pub template: Option<String>,
    pub kind: Option<Kind>,
    pub extra: Option<serde_json::Map<String, Json>>,
    pub lint: Option<LintSwitches>,
    pub translation_of_hash: Option<String>,
    // Sections.
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    pub page_kind: Option<Kind>,
    // Roles.
    pub also_known_as: Option<Vec<String>>,
    pub category: Option<String>,
    pub summary: Option<String>,
    pub duties: Option<Vec<String>>,
    pub salary: Option<Salary>,
    pub employers: Option<Vec<String>>,
    pub qualities: Option<Vec<String>>,
    pub pros: Option<Vec<String>>,
    pub cons: Option<Vec<String>>,
    pub not_for: Option<Vec<String>>,
    pub career: Option<Career>,
    pub related: Option<Vec<String>>,
    // Comparisons.
    pub roles: Option<Vec<String>>,
    pub dimensions: Option<Vec<Dimension>>,
    // Courses.
    pub author: Option<String>,
    pub audience: Option<String>,
    pub duration: Option<String>,
    pub level: Option<String>,
    pub chapters: Option<Vec<String>>,
}

/// Per-page lint switches: `lint: { allow: [duplicate-block] }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LintSwitches {
    /// Rule names switched off for this page.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// A date as written in front matter: a YAML string or a TOML datetime,
/// checked later so the error can point at the key's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = DateText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a date such as 2024-05-31")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<DateText, A::Error> {
                // TOML datetimes arrive as a one-entry map.
                let dt = toml::value::Datetime::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(DateText(dt.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A checked date (and optional time) from front matter.
pub type Date = jiff::civil::DateTime;

/// Parse `2024-05-31`, `2024-05-31T10:00:00`, `2024-05-31 10:00`, or with an
/// offset (`…Z`, `…+03:00`, converted to UTC).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = slashes_to_dashes(text.trim());
    let text = text.as_str();
    if text.len() == 10 {
        return text
            .parse::<jiff::civil::Date>()
            .ok()
            .map(|date| date.to_datetime(jiff::civil::Time::midnight()));
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(jiff::tz::Offset::UTC.to_datetime(ts));
    }
    text.replacen(' ', "T", 1)
        .parse::<jiff::civil::DateTime>()
        .ok()
}

/// `2020/12/21` (how Hugo and Jekyll sites often write dates) as
/// `2020-12-21`; the rest of the text (a time) as it is.
fn slashes_to_dashes(text: &str) -> String {
    let bytes = text.as_bytes();
    let slashed = bytes.len() >= 10
        && bytes[4] == b'/'
        && bytes[7] == b'/'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| bytes[i].is_ascii_digit());
    match slashed {
        true => format!("{}-{}-{}", &text[..4], &text[5..7], &text[8..]),
        false => text.to_string(),
    }
}

/// `extra`, converted once to the value templates read. Only templates read
/// it, so the parsed map is not kept beside it (a salary table under `extra`
/// costs a few KB per page in each form).
#[derive(Debug, Clone)]
pub struct Extra(pub tera::Value);

impl Default for Extra {
    fn default() -> Self {
        Extra(tera::Value::from(tera::Map::new()))
    }
}

/// Checked front matter of one page or section.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// Required title.
    pub title: String,
    /// One-sentence description (meta description, search, lists).
    pub description: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Last update.
    pub updated: Option<Date>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// URL slug overriding the file name.
    pub slug: Option<String>,
    /// Order within the section.
    pub weight: Option<i64>,
    /// Tags (also a taxonomy when configured).
    pub tags: Vec<String>,
    /// Old URLs that redirect here.
    pub aliases: Vec<String>,
    /// Template overriding the kind's default.
    pub template: Option<String>,
    /// The page's kind.
    pub kind: Kind,
    /// Free data for themes, including kept unknown keys.
    pub extra: Extra,
    /// Lint rules switched off for this page.
    pub lint_allow: Vec<String>,
    /// Where `kind:` is written, when it is (a translation's kind must be
    /// its original's).
    pub kind_location: Option<crate::error::Location>,
    /// For a translation: the hash of the original's body it was made from
    /// (`translation_of_hash:`, written by `rolebook check --fix-hashes`).
    pub translation_of_hash: Option<String>,
    /// Taxonomy terms given under their own key.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Section settings (only on `_index.md`).
    pub section: SectionSettings,
    /// References to other pages (career steps, related roles, compared roles,
    /// chapters), with their locations, checked once all pages are known.
    pub refs: Vec<crate::content::kinds::Reference>,
    /// The raw kind fields, checked by `kb`. The fields typed above (title
    /// aside) are moved out of it, so read them above. Boxed: most pages use
    /// few of them, and pages move through several `Vec`s while the site loads.
    pub raw: Box<RawFrontMatter>,
}

/// Settings of a section's `_index.md`.
#[derive(Debug, Clone, Default)]
pub struct SectionSettings {
    /// Order of the pages.
    pub sort_by: SortBy,
    /// Pages per list page; `None` uses the site default.
    pub paginate_by: Option<usize>,
    /// Default kind of the section's pages.
    pub page_kind: Option<Kind>,
}

/// One Markdown file of `content/`, parsed.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the site root (`content/roles/pm.md`), for messages.
    pub file: PathBuf,
    /// Path relative to `content/` with `/` separators (`roles/pm.md`,
    /// `roles/pm.en.md` for a translation).
    pub content_path: String,
    /// The page's language code: the site's default, or the one its file
    /// name carries (`pm.en.md`).
    pub lang: String,
    /// The content path without the language (`roles/pm.md` for
    /// `roles/pm.en.md`): the same for a page and its translations.
    pub key: String,
    /// True for `_index.md` (and its translations, `_index.en.md`).
    pub is_section: bool,
    /// Checked front matter.
    pub front: FrontMatter,
    /// A hash of the front matter text (and the inherited kind): equal
    /// hashes mean an edit touched only the body.
    pub front_hash: u64,
    /// A hash of the Markdown body ([`body_hash`]): a translation records
    /// its original's as `translation_of_hash:` and is stale when it changes.
    pub body_hash: u64,
    /// The Markdown body.
    pub body: String,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// A hash of a Markdown body that stays the same across builds, platforms
/// and line endings, and ignores trailing blank space (xxh3 is a fixed
/// algorithm, so a recorded value keeps its meaning).
pub fn body_hash(body: &str) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut lines = body.trim().lines().map(str::trim_end);
    if let Some(first) = lines.next() {
        hasher.update(first.as_bytes());
    }
    for line in lines {
        hasher.update(b"\n");
        hasher.update(line.as_bytes());
    }
    hasher.digest()
}

/// `translation_of_hash:` as written in front matter: 16 hex digits.
pub fn hash_text(hash: u64) -> String {
    format!("{hash:016x}")
}

impl Page {
    /// The folder of this page relative to `content/` (`roles` for `roles/pm.md`,
    /// `roles/pm` for `roles/pm/index.md` and `roles/_index.md`'s parent is `roles`).
    pub fn folder(&self) -> &str {
        self.content_path
            .rsplit_once('/')
            .map_or("", |(folder, _)| folder)
    }

    /// The file name without the language and `.md` (`pm` for `pm.en.md`).
    pub fn stem(&self) -> &str {
        let name = self
            .key
            .rsplit_once('/')
            .map_or(self.key.as_str(), |(_, name)| name);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// True for the home page of a language (`_index.md`, `_index.en.md`).
    pub fn is_home(&self) -> bool {
        self.key == "_index.md"
    }

    /// True for a page with no file of its own: the home page of a language
    /// that has no `_index.<code>.md`, made from the default one.
    pub fn is_stand_in(&self) -> bool {
        !self.file.ends_with(&self.content_path)
    }

    /// True for `index.md`, the page of a bundle folder.
    pub fn is_bundle(&self) -> bool {
        self.stem() == "index"
    }
}

/// Weight (unweighted last), date (newest first), title key, content path.
pub type SortKey = ((bool, i64), std::cmp::Reverse<Option<Date>>, String, String);

/// The order of pages in a list, as a key computed once per page: weight
/// first (unweighted last) for `sort_by: weight`, date (newest first) for
/// `date`, then the title (case- and `ё`-insensitive), then the path.
pub fn sort_key(page: &Page, sort_by: SortBy) -> SortKey {
    let weight = match sort_by {
        SortBy::Weight => (page.front.weight.is_none(), page.front.weight.unwrap_or(0)),
        _ => (false, 0),
    };
    let date = std::cmp::Reverse(if sort_by == SortBy::Date {
        page.front.date
    } else {
        None
    });
    (
        weight,
        date,
        title_key(&page.front.title),
        page.content_path.clone(),
    )
}

/// The order of pages in a list (the order of their [`sort_key`]s).
pub fn compare_pages(a: &Page, b: &Page, sort_by: SortBy) -> std::cmp::Ordering {
    sort_key(a, sort_by).cmp(&sort_key(b, sort_by))
}

/// Case- and `ё`-insensitive key for sorting titles.
pub fn title_key(title: &str) -> String {
    title.to_lowercase().replace('ё', "е")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_forms_parse() {
        let d = parse_date("2020-11-04").unwrap();
        assert_eq!(d.date().to_string(), "2020-11-04");
        assert_eq!(
            parse_date("2020-11-04T10:30:00+03:00").unwrap().to_string(),
            "2020-11-04T07:30:00"
        );
        assert_eq!(
            parse_date("2020-11-04 10:30").unwrap().to_string(),
            "2020-11-04T10:30:00"
        );
        assert_eq!(
            parse_date("2020/12/21").unwrap().date().to_string(),
            "2020-12-21"
        );
        assert_eq!(
            parse_date("2020/12/21 10:30").unwrap().to_string(),
            "2020-12-21T10:30:00"
        );
        assert!(parse_date("2020/13/21").is_none());
        assert!(parse_date("20/12/2021").is_none());
        assert!(parse_date("2020-13-01").is_none());
        assert!(parse_date("4 ноября").is_none());
    }

    #[test]
    fn page_paths_split_into_folder_and_stem() {
        let page = Page {
            file: "content/roles/pm/index.md".into(),
            content_path: "roles/pm/index.md".into(),
            lang: "ru".into(),
            key: "roles/pm/index.md".into(),
            is_section: false,
            front: FrontMatter::default(),
            front_hash: 0,
            body_hash: 0,
            body: String::new(),
            body_line: 1,
        };
        assert_eq!(page.folder(), "roles/pm");
        assert_eq!(page.stem(), "index");
        assert!(page.is_bundle());
    }
}
