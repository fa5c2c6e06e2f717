//! `rolebook check`: every content validation of `build`, then the lints, with
//! nothing written (except the link cache of `--external`).
//!
//! Pipeline: [`crate::site::load`] (config, content, resolve — the same code
//! `build` runs) → read each page's source once more for its block structure
//! (`page`, `outline`) → page lints in parallel → site-wide lints →
//! severities from `rolebook.yaml` and per-page `lint: { allow: [...] }` →
//! sorted [`Report`].
//!
//! When the load fails, its errors are the report's errors and the lints that
//! need only the pages that did load still run; the site-wide ones
//! (`orphan-page`, sections without pages, `broken-root-link`) need a whole
//! site and wait until the errors are fixed.

pub mod boilerplate;
pub mod config;
mod duplicate;
mod external;
mod figures;
mod html;
mod links;
mod outline;
mod page;
pub mod report;
pub mod rules;
mod stale;
mod structure;
pub mod translations;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use config::LintConfig;
pub use external::CACHE_FILE;
use page::PageText;
pub use report::Report;
use rules::Severity;

use crate::config::{CONFIG_FILE, Config};
use crate::content::page::{Date, Page};
use crate::error::{Error, Level, Location, sort_errors};
use crate::model::Site;
use crate::site::{self, BuildOptions};

/// What `check` needs from the command line.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The site root.
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Request external URLs.
    pub external: bool,
    /// "Today" for stale data; from `SOURCE_DATE_EPOCH` when set.
    pub today: Option<Date>,
    /// Where long work (`--external`) tells how far it got.
    pub progress: crate::progress::Reporter,
}

/// Load the site and run every lint.
pub fn check(options: &CheckOptions) -> Report {
    let build = BuildOptions {
        root: options.root.clone(),
        drafts: options.drafts,
        today: options.today,
        progress: options.progress.clone(),
        no_image_copies: true,
        ..BuildOptions::default()
    };
    let today = site::today(&build);
    match site::load(&build) {
        Ok(resolved) => check_site(resolved, options, &today),
        Err(failure) => {
            let mut findings = failure.errors;
            findings.extend(failure.warnings);
            check_loaded_pages(findings, options, &today)
        }
    }
}

/// `check --fix-hashes`: record in each translation (or those in `only`)
/// the hash of its original's body as it is now. Returns the files changed;
/// when the site does not load, its errors.
pub fn fix_hashes(options: &CheckOptions, only: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Error>> {
    let build = BuildOptions {
        root: options.root.clone(),
        drafts: options.drafts,
        today: options.today,
        ..BuildOptions::default()
    };
    let resolved = site::load(&build).map_err(|failure| failure.errors)?;
    translations::fix_hashes(&resolved.site, &options.root, only).map_err(|e| vec![e])
}

fn check_site(resolved: site::Resolved, options: &CheckOptions, today: &Date) -> Report {
    let site::Resolved {
        mut site,
        theme,
        warnings,
        ..
    } = resolved;
    // The lints need no HTML; drop it before reading the sources again.
    for entry in &mut site.entries {
        entry.rendered.html = Default::default();
        entry.rendered.summary_html = None;
    }
    // Shared like `build` shares it: the renderer takes an `Arc<Site>`.
    let site = Arc::new(site);
    let (lint, mut findings) = lint_config(&site.config, &options.root);
    findings.extend(warnings);
    let pages: Vec<&Page> = site.entries.iter().map(|e| &e.page).collect();
    let texts = read_pages(&options.root, &pages, &mut findings);
    findings.extend(page_lints(&texts, &lint, today));
    findings.extend(site_lints(&site, &theme, &texts, &lint));
    let mut notes = Vec::new();
    if options.external {
        external_lints(&texts, &lint, options, &mut findings, &mut notes);
    }
    finish(findings, &texts, &lint, site.entries.len(), notes)
}

/// The load failed: lint the pages that did load, without the site-wide rules.
fn check_loaded_pages(mut findings: Vec<Error>, options: &CheckOptions, today: &Date) -> Report {
    let Ok(config) = Config::load(&options.root) else {
        return finish(findings, &[], &LintConfig::fallback(), 0, Vec::new());
    };
    // The page lints read the sources again: the pages are enough.
    let keep = |page: Page| (page, Vec::new());
    let content = crate::content::load(
        &options.root,
        &config,
        options.drafts,
        &keep,
        &Default::default(),
    );
    let (lint, config_errors) = lint_config(&config, &options.root);
    findings.extend(config_errors);
    let pages: Vec<&Page> = content.pages.iter().collect();
    let texts = read_pages(&options.root, &pages, &mut Vec::new());
    findings.extend(page_lints(&texts, &lint, today));
    let mut notes = vec![
        "orphan-page, broken-root-link and sections without pages are checked once the errors are fixed"
            .to_string(),
    ];
    if options.external {
        external_lints(&texts, &lint, options, &mut findings, &mut notes);
    }
    finish(findings, &texts, &lint, content.pages.len(), notes)
}

/// The `lint:` settings, with `rolebook.yaml` read again only to locate errors.
fn lint_config(config: &Config, root: &Path) -> (LintConfig, Vec<Error>) {
    let yaml = std::fs::read_to_string(root.join(CONFIG_FILE)).ok();
    LintConfig::from_config(config, yaml.as_deref())
}

/// Read every page's source again, in parallel; a file that vanished since
/// the load is an error, the other pages are still checked.
fn read_pages<'a>(root: &Path, pages: &[&'a Page], errors: &mut Vec<Error>) -> Vec<PageText<'a>> {
    let results: Vec<Result<PageText<'a>, Error>> = pages
        .par_iter()
        .enumerate()
        .filter(|(_, page)| !page.is_stand_in())
        .map(|(index, page)| PageText::read(root, page, index))
        .collect();
    let mut texts = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(text) => texts.push(text),
            Err(error) => errors.push(error),
        }
    }
    texts
}

/// Lints that look at the pages themselves (no resolved site needed).
fn page_lints(texts: &[PageText<'_>], lint: &LintConfig, today: &Date) -> Vec<Error> {
    let matcher = boilerplate::Matcher::new(&lint.boilerplate);
    let mut findings: Vec<Error> = texts
        .par_iter()
        .flat_map_iter(|page| one_page(page, lint, &matcher, today))
        .collect();
    if lint.enabled(rules::DUPLICATE_BLOCK) {
        let keys: Vec<_> = texts
            .par_iter()
            .map(|t| duplicate::keys(&t.outline.units))
            .collect();
        findings.extend(duplicate::check(texts, &keys, lint.duplicate_min_words));
    }
    if lint.enabled(rules::ROLE_MISSING_FIELD) {
        findings.extend(structure::role_missing_fields(texts));
    }
    findings
}

fn one_page(
    page: &PageText<'_>,
    lint: &LintConfig,
    matcher: &boilerplate::Matcher<'_>,
    today: &Date,
) -> Vec<Error> {
    let mut findings = Vec::new();
    let on = |rule| lint.enabled(rule);
    if on(rules::BOILERPLATE) {
        findings.extend(boilerplate::check(page, matcher));
    }
    if on(rules::HEADING_SKIP) {
        findings.extend(structure::heading_skip(page));
    }
    if on(rules::EMPTY_SECTION) {
        findings.extend(structure::empty_headings(page));
    }
    if on(rules::IMAGE_ALT) {
        findings.extend(structure::image_alt(page));
    }
    if on(rules::EMPTY_FIELD) {
        findings.extend(structure::empty_fields(page));
    }
    if on(rules::UNSAFE_HTML) {
        findings.extend(html::unsafe_html(page));
    }
    let inherits = |key: &str| page.is_translation() && !page.writes_key(key);
    if on(rules::STALE_SALARY) && !inherits("salary") {
        findings.extend(stale::salary(page, today, lint.stale_salary_months));
    }
    if on(rules::STALE_PAGE) && !(inherits("updated") && inherits("date")) {
        findings.extend(stale::page(page, today, lint.stale_page_months));
    }
    findings.extend(allow_list_errors(page));
    findings
}

/// Lints that need the resolved site: links, orphans, sections without pages.
fn site_lints(
    site: &Arc<Site>,
    theme: &crate::render::Theme,
    texts: &[PageText<'_>],
    lint: &LintConfig,
) -> Vec<Error> {
    let mut findings = Vec::new();
    if lint.enabled(rules::EMPTY_SECTION) {
        findings.extend(structure::empty_folders(site, texts));
    }
    if lint.enabled(rules::COPIED_FIGURE) {
        let figures = figures::Figures::of(site);
        findings.extend(texts.iter().flat_map(|page| figures.check(page)));
    }
    if lint.enabled(rules::REPEATED_HEADING) {
        let titles = role_block_titles(theme);
        for page in texts {
            findings.extend(structure::repeated_headings(page, &titles));
        }
    }
    let mut reached = Vec::new();
    // Template syntax errors fail `build`; parsing them is cheap.
    if let Err(errors) = crate::render::Renderer::new(site, theme, site.today) {
        findings.extend(errors);
    }
    let (jobs, errors) = site::jobs::list(site, theme);
    findings.extend(errors);
    let outputs = links::Outputs::new(&jobs);
    for page in texts {
        let (errors, links) = links::check(site, &outputs, page);
        reached.extend(links);
        if lint.enabled(rules::BROKEN_ROOT_LINK) {
            findings.extend(errors);
        }
    }
    if lint.enabled(rules::MISSING_TRANSLATION) && site.config.is_multilingual() {
        findings.extend(translations::missing(site, texts));
    }
    if lint.enabled(rules::STALE_TRANSLATION) {
        findings.extend(translations::stale(site, texts));
    }
    if lint.enabled(rules::ORPHAN_PAGE) {
        findings.extend(structure::orphans(
            site,
            texts,
            &reached,
            lint.orphan_section_lists,
        ));
    }
    findings
}

/// The titles of the blocks the default role template shows, in the theme's
/// language, lowercased (a theme with other blocks keeps these UI keys).
fn role_block_titles(theme: &crate::render::Theme) -> Vec<String> {
    const BLOCKS: &[&str] = &[
        "role_card",
        "salary",
        "duties",
        "qualities",
        "pros_and_cons",
        "not_for",
        "career",
        "employers",
        "role_guide",
        "related_roles",
    ];
    let strings = theme.strings();
    BLOCKS
        .iter()
        .filter_map(|key| strings.entries.get(*key))
        .map(|s| crate::render::theme::ui_text(s, &strings.language, None).to_lowercase())
        .collect()
}

fn external_lints(
    texts: &[PageText<'_>],
    lint: &LintConfig,
    options: &CheckOptions,
    findings: &mut Vec<Error>,
    notes: &mut Vec<String>,
) {
    if !lint.enabled(rules::EXTERNAL_LINK) {
        notes.push(
            "external links not checked: `external-link` is off in rolebook.yaml".to_string(),
        );
        return;
    }
    let urls = external::collect(texts);
    let (errors, stats) = external::check(urls, &lint.external, &options.root, &options.progress);
    findings.extend(errors);
    notes.push(format!(
        "external links: {} checked, {} from the cache, {} skipped",
        stats.urls - stats.cached - stats.skipped,
        stats.cached,
        stats.skipped
    ));
}

/// Names in `lint: { allow: [...] }` that are not rules.
fn allow_list_errors(page: &PageText<'_>) -> Vec<Error> {
    page.page
        .front
        .lint_allow
        .iter()
        .filter(|name| rules::find(name).is_none())
        .map(|name| {
            let location = page
                .front_line_containing(name)
                .unwrap_or_else(|| Location::at(&page.page.file, 1, 1));
            Error::at(
                location,
                format!("unknown lint rule `{name}` in `lint.allow`"),
            )
            .with_hint(rules::unknown_rule_hint(name))
        })
        .collect()
}

/// Apply severities and per-page switches, sort, count.
fn finish(
    findings: Vec<Error>,
    texts: &[PageText<'_>],
    lint: &LintConfig,
    pages: usize,
    notes: Vec<String>,
) -> Report {
    let allowed: HashMap<&Path, &[String]> = texts
        .iter()
        .map(|t| (t.page.file.as_path(), t.page.front.lint_allow.as_slice()))
        .collect();
    let mut kept: Vec<Error> = findings
        .into_iter()
        .filter_map(|finding| apply_settings(finding, lint, &allowed))
        .collect();
    sort_errors(&mut kept);
    Report::new(kept, pages, notes)
}

fn apply_settings(
    finding: Error,
    lint: &LintConfig,
    allowed: &HashMap<&Path, &[String]>,
) -> Option<Error> {
    let Some(rule) = finding.rule().and_then(rules::find) else {
        return Some(finding);
    };
    let path = finding.location().map(|l| l.path.as_path());
    if path
        .and_then(|p| allowed.get(p))
        .is_some_and(|allow| allow.iter().any(|a| a == rule.name))
    {
        return None;
    }
    match lint.severity(rule.name) {
        Severity::Off => None,
        Severity::Warn => Some(finding.with_level(Level::Warning)),
        Severity::Error => Some(finding.with_level(Level::Error)),
    }
}
