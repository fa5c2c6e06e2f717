//! The lint rules: names, default severities, one-line descriptions.
//!
//! The table is the single list of rule names: configuration, per-page
//! `lint: { allow: [...] }` and the README are checked against it.

/// How a rule's findings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The rule does not run.
    Off,
    /// Findings are warnings (fail only with `--deny warnings`).
    Warn,
    /// Findings are errors (exit code 1).
    Error,
}

impl Severity {
    /// The name used in `rolebook.yaml`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }

    /// Parse `off`, `warn` or `error` (also `false`, `warning`, `deny`).
    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "off" | "false" | "none" | "allow" => Some(Severity::Off),
            "warn" | "warning" | "on" | "true" => Some(Severity::Warn),
            "error" | "deny" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Name used in findings and settings (`duplicate-block`).
    pub name: &'static str,
    /// Severity unless `rolebook.yaml` says otherwise.
    pub default: Severity,
    /// What it finds.
    pub summary: &'static str,
}

/// A run of paragraphs or list items (≥ 40 words) that appears twice.
pub const DUPLICATE_BLOCK: &str = "duplicate-block";
/// Ads, comment forms, ad-blocker banners, disclaimers, e-mail addresses, photo credits.
pub const BOILERPLATE: &str = "boilerplate";
/// Role salary data older than the configured age.
pub const STALE_SALARY: &str = "stale-salary";
/// A page whose `updated` (or `date`) is older than the configured age.
pub const STALE_PAGE: &str = "stale-page";
/// A role's salary figure written into a page's text instead of `salary()`.
pub const COPIED_FIGURE: &str = "copied-figure";
/// A page that no other page links to.
pub const ORPHAN_PAGE: &str = "orphan-page";
/// A heading with nothing under it, or a section folder without pages.
pub const EMPTY_SECTION: &str = "empty-section";
/// A heading that skips a level (`##` then `####`).
pub const HEADING_SKIP: &str = "heading-skip";
/// A role without a field that every other role of its category has.
pub const ROLE_MISSING_FIELD: &str = "role-missing-field";
/// A `summary`, `description` or `category` written with no text.
pub const EMPTY_FIELD: &str = "empty-field";
/// A role guide heading that repeats a block the theme shows on role pages.
pub const REPEATED_HEADING: &str = "repeated-heading";
/// An image without alt text.
pub const IMAGE_ALT: &str = "image-alt";
/// A root-relative link (`/roles/x/`) to a page the site does not have.
pub const BROKEN_ROOT_LINK: &str = "broken-root-link";
/// An external URL that does not answer with success (`--external` only).
pub const EXTERNAL_LINK: &str = "external-link";
/// Raw HTML or a link that `markdown.raw_html: sanitize` removes.
pub const UNSAFE_HTML: &str = "unsafe-html";

/// A page of the default language with no translation in a configured language.
pub const MISSING_TRANSLATION: &str = "missing-translation";
/// A translation made from an older state of its original.
pub const STALE_TRANSLATION: &str = "stale-translation";

/// Every rule, in the order the README lists them.
pub const RULES: &[Rule] = &[
    Rule {
        name: DUPLICATE_BLOCK,
        default: Severity::Warn,
        summary: "a run of paragraphs or list items of at least 40 words that appears twice, in one page or in two",
    },
    Rule {
        name: BOILERPLATE,
        default: Severity::Warn,
        summary: "text pasted from a web page: ad and promo blocks, comment forms, ad-blocker banners, editorial disclaimers, cookie banners, e-mail addresses, photo credits",
    },
    Rule {
        name: STALE_SALARY,
        default: Severity::Warn,
        summary: "role salary data older than `kb.stale_after_months` on a page not reviewed (`updated`) since, or without an `as_of` date",
    },
    Rule {
        name: STALE_PAGE,
        default: Severity::Warn,
        summary: "a page whose `updated` (or, without it, `date`) is older than the configured age",
    },
    Rule {
        name: COPIED_FIGURE,
        default: Severity::Warn,
        summary: "a number in a page's text equal to a role's salary figure, copied instead of quoted with `{{ salary(role=\"…\") }}`",
    },
    Rule {
        name: ORPHAN_PAGE,
        default: Severity::Warn,
        summary: "a page that no other page or section links to",
    },
    Rule {
        name: EMPTY_SECTION,
        default: Severity::Warn,
        summary: "a heading with nothing under it, or a section (`_index.md`) without pages",
    },
    Rule {
        name: HEADING_SKIP,
        default: Severity::Warn,
        summary: "a heading that skips a level (the page title is level 1)",
    },
    Rule {
        name: ROLE_MISSING_FIELD,
        default: Severity::Warn,
        summary: "a role without a field that every other role of its `category` has",
    },
    Rule {
        name: EMPTY_FIELD,
        default: Severity::Warn,
        summary: "a `summary`, `description` or `category` written with no text (`summary: \"\"`), which renders an empty card or meta description",
    },
    Rule {
        name: REPEATED_HEADING,
        default: Severity::Warn,
        summary: "a role guide heading that repeats a block the theme already shows on the role page (`Карьера`, `Зарплата`, `Плюсы и минусы`…)",
    },
    Rule {
        name: IMAGE_ALT,
        default: Severity::Warn,
        summary: "an image without alt text",
    },
    Rule {
        name: BROKEN_ROOT_LINK,
        default: Severity::Warn,
        summary: "a root-relative link (`/roles/x/`) to a page or file the site does not have",
    },
    Rule {
        name: UNSAFE_HTML,
        default: Severity::Warn,
        summary: "raw HTML or a link that `markdown.raw_html: sanitize` removes: scripts, event handlers, `javascript:` and `data:` URLs, frames, `object`, `embed`, forms",
    },
    Rule {
        name: MISSING_TRANSLATION,
        default: Severity::Off,
        summary: "a page of the default language without a translation in one of the `languages:` (off unless switched on)",
    },
    Rule {
        name: STALE_TRANSLATION,
        default: Severity::Warn,
        summary: "a translation whose original changed since: its body is not the one `translation_of_hash:` records, or (without a hash) its `updated` is later than the translation's",
    },
    Rule {
        name: EXTERNAL_LINK,
        default: Severity::Warn,
        summary: "an external URL that fails or times out (only with `--external`)",
    },
];

/// The rule with this name.
pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// Every rule name, for "did you mean" hints.
pub fn names() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.name)
}

/// "did you mean `x`?" or the list of rules.
pub fn unknown_rule_hint(name: &str) -> String {
    match crate::error::closest(name, names()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "the rules are: {}",
            names()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
