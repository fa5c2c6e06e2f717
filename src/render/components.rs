//! Components called from Markdown (`{{ salary(role="pm") }}`, callouts):
//! every call of every page is rendered once per build with the theme's
//! `components/<name>.html`, when the [`crate::render::Renderer`] is made,
//! so a mistake in any of them is a located error before a page is written.
//!
//! The page's HTML holds markers where the calls were
//! ([`crate::markdown::components`]); they are replaced here by the
//! component's output (a block component gets the HTML between its markers
//! as `body`). The result is kept per page and handed to
//! [`crate::render::context::content_html`] during a job through
//! [`scope`]; the pages a component looked up (a quoted role) are noted as
//! the job's lookups, so `serve` re-renders the page when that role changes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera};

use super::lowercase_first;
use crate::error::{Error, Kind as ErrorKind};
use crate::markdown::components::{
    COMMENT_CLOSE, COMMENT_END, COMMENT_START, Call, TOKEN_END, TOKEN_START,
};
use crate::model::{PageId, Site};

/// A page's HTML with its components rendered.
#[derive(Debug, Default)]
pub struct Filled {
    content: String,
    summary: Option<String>,
    /// Pages the components looked up.
    lookups: Vec<PageId>,
    /// Image copies the components asked for (`resize_image`).
    copies: Vec<(String, std::path::PathBuf)>,
}

/// The filled HTML of every page that calls a component.
pub type Outputs = HashMap<PageId, Filled>;

thread_local! {
    static CURRENT: RefCell<Option<Arc<Outputs>>> = const { RefCell::new(None) };
}

/// Run `work` (a job) with `outputs` as the pages' filled HTML.
pub fn scope<T>(outputs: &Arc<Outputs>, work: impl FnOnce() -> T) -> T {
    let previous = CURRENT.with(|c| c.replace(Some(outputs.clone())));
    let result = work();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    result
}

/// The filled content (or summary) of page `id`, when a job is running
/// and the page calls components.
pub(crate) fn filled(id: PageId, summary: bool) -> Option<String> {
    CURRENT.with(|current| {
        let current = current.borrow();
        let filled = current.as_ref()?.get(&id)?;
        for &page in &filled.lookups {
            crate::render::functions::note_lookup(page);
        }
        for (rel_url, file) in &filled.copies {
            crate::render::images::note_copy(rel_url, file);
        }
        match summary {
            true => filled.summary.clone(),
            false => Some(filled.content.clone()),
        }
    })
}

/// Render the components of every page; every mistake is an error at its call.
/// Each runs in the scope of `lookup`, the site's data for the template functions.
pub fn render_all(
    tera: &Tera,
    site: &Site,
    lookup: &Arc<crate::render::functions::Lookup>,
) -> Result<Outputs, Vec<Error>> {
    let results: Vec<(PageId, Result<Filled, Vec<Error>>)> = site
        .entries
        .par_iter()
        .enumerate()
        .filter(|(_, e)| !e.rendered.components.is_empty())
        .map(|(id, _)| {
            let filled = crate::render::functions::scope(lookup, || fill_page(tera, site, id));
            (id, filled)
        })
        .collect();
    let mut outputs = Outputs::new();
    let mut errors = Vec::new();
    for (id, result) in results {
        match result {
            Ok(filled) => {
                outputs.insert(id, filled);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    match errors.is_empty() {
        true => Ok(outputs),
        false => Err(errors),
    }
}

fn fill_page(tera: &Tera, site: &Site, id: PageId) -> Result<Filled, Vec<Error>> {
    let entry = &site.entries[id];
    let page = PageCalls {
        tera,
        calls: &entry.rendered.components,
        implicits: implicits(site, id),
    };
    let links = site.link_urls(id);
    let with_links = |html: &str| crate::markdown::fill_links(html, &links);
    let (((content, summary), lookups), copies) = crate::render::images::record_copies(|| {
        crate::render::functions::record_lookups(|| {
            let mut errors = Vec::new();
            let content = page.fill(&entry.rendered.html.with_str(with_links), &mut errors);
            let summary = entry
                .rendered
                .summary_html
                .as_ref()
                .map(|s| page.fill(&s.with_str(with_links), &mut Vec::new()));
            (
                (errors.is_empty().then_some(content).ok_or(errors)),
                summary,
            )
        })
    });
    Ok(Filled {
        content: content?,
        summary,
        lookups,
        copies,
    })
}

/// What a component may ask for with `@name` arguments.
fn implicits(site: &Site, id: PageId) -> Context {
    let entry = &site.entries[id];
    let mut context = Context::new();
    context.insert("page_path", &entry.page.content_path);
    context.insert("page_url", &entry.url);
    // `trans()`, `date`, `role_salary()` in a component speak the page's language.
    context.insert("lang", site.lang_code(entry.lang));
    context
}

struct PageCalls<'a> {
    tera: &'a Tera,
    calls: &'a [Call],
    implicits: Context,
}

/// A marker in the HTML.
enum Marker {
    /// An inline call, or the start of a block call.
    Open(usize),
    /// The end of a block call.
    Close(usize),
}

impl PageCalls<'_> {
    /// Replace every marker of `html` by its component's output.
    fn fill(&self, html: &str, errors: &mut Vec<Error>) -> String {
        // The open block calls: the number and the HTML of the body so far.
        let mut stack: Vec<(usize, String)> = vec![(usize::MAX, String::with_capacity(html.len()))];
        let mut rest = html;
        while let Some((at, length, marker)) = next_marker(rest) {
            stack
                .last_mut()
                .expect("the page's own level")
                .1
                .push_str(&rest[..at]);
            rest = &rest[at + length..];
            let (number, body) = match marker {
                Marker::Open(n) if self.calls.get(n).is_some_and(|c| c.block) => {
                    stack.push((n, String::new()));
                    continue;
                }
                Marker::Open(n) => (n, None),
                Marker::Close(n) if stack.len() > 1 && stack.last().is_some_and(|s| s.0 == n) => {
                    let (_, body) = stack.pop().expect("checked above");
                    (n, Some(body))
                }
                Marker::Close(_) => continue,
            };
            let output = self.render(number, body.as_deref()).unwrap_or_else(|e| {
                errors.push(e);
                String::new()
            });
            let out = &mut stack.last_mut().expect("the page's own level").1;
            // A call that is a paragraph's whole text replaces the paragraph.
            if out.ends_with("<p>") && rest.starts_with("</p>") {
                out.truncate(out.len() - 3);
                rest = &rest[4..];
            }
            out.push_str(&output);
        }
        while stack.len() > 1 {
            let (_, body) = stack.pop().expect("more than one level");
            stack
                .last_mut()
                .expect("the page's own level")
                .1
                .push_str(&body);
        }
        let (_, mut out) = stack.pop().expect("the page's own level");
        out.push_str(rest);
        out
    }

    fn render(&self, number: usize, body: Option<&str>) -> Result<String, Error> {
        let call = self.calls.get(number).ok_or_else(|| {
            Error::new(
                ErrorKind::Template,
                format!("no component call number {number}"),
            )
        })?;
        if !self.tera.contains_component(&call.name) {
            return Err(unknown(self.tera, call));
        }
        let mut args = Context::new();
        for (name, value) in &call.args {
            args.insert(name.clone(), value);
        }
        self.tera
            .render_component_with_implicits(&call.name, &args, &self.implicits, body, true)
            .map_err(|e| call_error(call, &e))
    }
}

/// The next marker of `html`: its offset, length and meaning.
fn next_marker(html: &str) -> Option<(usize, usize, Marker)> {
    let token = html.find(TOKEN_START);
    let comment = html
        .find("<!--/rolebook-component:")
        .into_iter()
        .chain(html.find(COMMENT_START))
        .min();
    let (at, is_token) = match (token, comment) {
        (Some(t), Some(c)) if c < t => (c, false),
        (Some(t), _) => (t, true),
        (None, Some(c)) => (c, false),
        (None, None) => return None,
    };
    let rest = &html[at..];
    let (inner, end) = match is_token {
        true => (&rest[TOKEN_START.len_utf8()..], TOKEN_END.len_utf8()),
        false => (&rest["<!--".len()..], COMMENT_END.len()),
    };
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(inner) => (true, inner),
        None => (false, inner),
    };
    let inner = match is_token {
        true => inner,
        false => inner.strip_prefix("rolebook-component:")?,
    };
    let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
    let number: usize = inner[..digits].parse().ok()?;
    let terminator_ok = match is_token {
        true => inner[digits..].starts_with(TOKEN_END),
        false => inner[digits..].starts_with(COMMENT_END),
    };
    if !terminator_ok {
        // Not a marker after all: skip its first character.
        let skip = rest.chars().next().map_or(1, char::len_utf8);
        return next_marker(&html[at + skip..]).map(|(a, l, m)| (a + at + skip, l, m));
    }
    let length = (rest.len() - inner.len()) + digits + end;
    let marker = match closing {
        true => Marker::Close(number),
        false => Marker::Open(number),
    };
    debug_assert!(COMMENT_CLOSE.starts_with("<!--/"));
    Some((at, length, marker))
}

fn unknown(tera: &Tera, call: &Call) -> Error {
    let names: Vec<&str> = tera.get_component_names().collect();
    let error = Error::at(
        call.location.clone(),
        format!("unknown component `{}`", call.name),
    );
    match crate::error::closest(&call.name, names.iter().copied()) {
        Some(name) => error.with_hint(format!("did you mean `{name}`?")),
        None => error.with_hint(
            "a component is a template `templates/components/<name>.html` of the site or the theme",
        ),
    }
}

/// A Tera error of a call, at the call: its innermost message, with the
/// template's report as the cause.
fn call_error(call: &Call, error: &tera::Error) -> Error {
    let message = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            report.message().to_string()
        }
        _ => error
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    let (message, hint) = match message.split_once(" (hint: ") {
        Some((message, hint)) => (
            message.to_string(),
            Some(hint.trim_end_matches(')').to_string()),
        ),
        None => (message, None),
    };
    let mut located = Error::at(
        call.location.clone(),
        format!("component `{}`: {}", call.name, lowercase_first(&message)),
    );
    if let Some(hint) = hint {
        located = located.with_hint(hint);
    }
    located
}
