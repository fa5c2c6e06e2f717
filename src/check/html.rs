//! `unsafe-html`: everything `markdown.raw_html: sanitize` removes from a
//! page, at its line, whatever the site's setting (with `allow` it is what
//! a reader's browser would run).

use pulldown_cmark::{Event, Parser, Tag};

use super::page::PageText;
use super::rules::UNSAFE_HTML;
use crate::error::Error;
use crate::markdown::{self, html};

/// The findings of one page, in order.
pub(crate) fn unsafe_html(page: &PageText<'_>) -> Vec<Error> {
    let mut findings = Vec::new();
    let events = Parser::new_ext(page.body(), markdown::options()).into_offset_iter();
    for (event, range) in events {
        let removed: Vec<String> = match &event {
            Event::Html(fragment) | Event::InlineHtml(fragment) => html::removed(fragment),
            Event::Start(Tag::Link { dest_url, .. }) if markdown::runs_script(dest_url, true) => {
                vec![format!("the link to a `{}` URL", scheme_of(dest_url))]
            }
            Event::Start(Tag::Image { dest_url, .. }) if markdown::runs_script(dest_url, false) => {
                vec![format!("the image from a `{}` URL", scheme_of(dest_url))]
            }
            _ => Vec::new(),
        };
        for what in removed {
            findings.push(
                Error::warning(
                    UNSAFE_HTML,
                    page.location(range.start),
                    format!("{what} is removed from the page (`markdown.raw_html: sanitize`)"),
                )
                .with_hint(
                    "remove it from the Markdown; only a site that trusts every author should set `markdown.raw_html: allow`",
                ),
            );
        }
    }
    findings
}

fn scheme_of(url: &str) -> String {
    let scheme = url
        .trim()
        .split(':')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    format!("{scheme}:")
}
