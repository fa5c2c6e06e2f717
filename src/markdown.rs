//! Markdown → HTML with pulldown-cmark: parser options in one place, stable
//! heading ids, internal link rewriting, and what later stages need from the
//! text (table of contents, summary, word count, plain text for search).
//!
//! Heading ids are the heading text run through [`crate::slug::slugify`]
//! (`## Зарплата и доход` → `zarplata-i-dokhod`), made unique within the page
//! with `-1`, `-2` suffixes; `{#custom}` after a heading sets the id by hand.
//!
//! A ```` ```quiz ```` fenced block is a course self-check: its YAML is
//! parsed and checked by [`crate::content::quiz`] (errors located in the
//! page file), the result kept in [`Rendered::quizzes`], and the HTML gets a
//! plain list of the questions between placeholder comments ([`quiz`]). The
//! theme renders the form there with its own UI strings ([`split_quizzes`]
//! cuts the HTML at the placeholders); comments survive the raw HTML
//! sanitizer, so a page with both raw HTML and a quiz keeps its quiz
//! without the sanitizer allowing forms in author HTML. [`embed`] moves a page's HTML into another
//! document (the course handout): ids prefixed, links made absolute.

use std::path::Path;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::config::RawHtml;
use crate::error::{Error, LineIndex, Location};
use crate::slug::IdAllocator;

mod blocks;
pub mod components;
pub mod embed;
pub mod highlight;
pub mod html;
mod packed;
pub mod quiz;

pub use packed::PackedHtml;
pub use quiz::{Part, split_quizzes};

/// Parser options used for every page.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

/// Words per minute used for reading time (a calm pace for Russian prose).
pub const WORDS_PER_MINUTE: usize = 180;

/// One heading of a page, for the table of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The id in the HTML.
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    /// 1-based line in the file, for lints.
    #[serde(skip)]
    pub line: usize,
}

/// A link from this page to another page, kept for anchor checks and for
/// knowing which pages must be re-rendered when a target changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// Target content path (`roles/pm.md`).
    pub target: String,
    /// `#anchor` part without `#`, if any.
    pub anchor: Option<String>,
    /// Where the link is written.
    pub location: Location,
}

/// The result of rendering one page body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML, packed: every page's body waits in memory until its page
    /// is written.
    pub html: PackedHtml,
    /// The HTML holds highlighted code (its page links the code styles).
    pub has_highlighted_code: bool,
    /// Headings in order.
    pub toc: Vec<Heading>,
    /// HTML before `<!-- more -->`, if the marker is present.
    pub summary_html: Option<PackedHtml>,
    /// Words of prose (code excluded).
    pub word_count: usize,
    /// Plain text of the body for the search index (headings included).
    pub text: String,
    /// Links to other pages (filled in when the site is resolved).
    pub page_links: Vec<PageLink>,
    /// Links to files in `content/`, written as placeholders until render
    /// time ([`fill_links`]), when every page's URL is known.
    pub local_links: Vec<LocalLink>,
    /// Self-checks (```` ```quiz ```` blocks) in order; the HTML holds a
    /// placeholder for each ([`split_quizzes`]).
    pub quizzes: Vec<crate::content::quiz::Quiz>,
    /// Component calls (`{{ name() }}`, callouts) in order; the HTML holds
    /// markers for them, replaced at render time.
    pub components: Vec<components::Call>,
}

/// A relative link to a Markdown page or another file of `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink {
    /// Target path relative to `content/` (`roles/pm.md`).
    pub target: String,
    /// `#anchor` without `#`.
    pub anchor: Option<String>,
    /// The destination as written, kept when the target is missing.
    pub dest: String,
    /// An image (`![alt](src)`), not a link.
    pub is_image: bool,
    /// Where it is written.
    pub location: Location,
    /// A root-relative link to a page's file (`/guide/setup.html`,
    /// `/guide/setup.md`, `/guide/setup`, as VitePress and mdBook sites
    /// link): it goes to that page when the file exists, else it stays as
    /// written (no error: it may be a generated page; `check` looks at it).
    pub from_root: bool,
}

/// Placeholder put into hrefs of local links until their URLs are known.
const PLACEHOLDER: &str = "rolebook-link-7f3c:";

impl Rendered {
    /// Reading time in minutes, at least 1.
    pub fn reading_minutes(&self) -> usize {
        self.word_count.div_ceil(WORDS_PER_MINUTE).max(1)
    }
}

/// The page being rendered.
pub struct Source<'a> {
    /// Path relative to the site root, for error locations.
    pub file: &'a Path,
    /// Path relative to `content/` (`roles/pm.md`), to resolve relative links.
    pub content_path: &'a str,
    /// The Markdown body.
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// What raw HTML becomes.
    pub raw_html: RawHtml,
}

/// Render a page body. Links to other files of `content/` become
/// placeholders, filled by [`fill_links`] once the site is resolved, so a
/// page can be rendered as soon as it is read. Errors are returned beside
/// the output.
pub fn render(source: &Source<'_>) -> (Rendered, Vec<Error>) {
    let lines = LineIndex::new(source.body);
    let locate = |offset| body_location(source, &lines, offset);
    let expanded = components::expand(source.body, &locate);
    let mut renderer = Renderer::new(source, &expanded, lines);
    let parser = Parser::new_ext(&expanded.text, options()).into_offset_iter();
    let mut events = Vec::new();
    for (event, range) in parser {
        renderer.handle(event, range.start, &mut events);
    }
    renderer.finish(events)
}

/// Where byte `offset` of the body is in the page file.
fn body_location(source: &Source<'_>, lines: &LineIndex, offset: usize) -> Location {
    let (line, column) = lines.line_col(source.body, offset);
    Location::at(source.file, source.body_line + line - 1, column)
}

struct Renderer<'a> {
    source: &'a Source<'a>,
    /// The body with its component calls replaced by markers.
    expanded: &'a components::Expanded<'a>,
    lines: LineIndex,
    ids: IdAllocator,
    out: Rendered,
    errors: Vec<Error>,
    /// Events of the heading being collected (its id depends on its text).
    heading: Option<PendingHeading<'a>>,
    code_depth: usize,
    summary_at: Option<usize>,
    /// The page has raw HTML: the whole output is sanitized at the end
    /// (a tag and its closing tag arrive as separate events).
    saw_html: bool,
    /// Inside a link whose URL runs a script: its text stays, the link goes.
    in_dropped_link: bool,
    /// The ```` ```quiz ```` block being collected.
    quiz: Option<quiz::PendingQuiz>,
    /// The fenced block being highlighted: its language and text.
    code: Option<PendingCode>,
    /// For each open block quote, whether it is a callout.
    quotes: Vec<bool>,
    /// The component numbers of the open callouts.
    callouts: Vec<usize>,
    /// The raster image being read (its call number): its alt text is
    /// collected until the image ends.
    image: Option<usize>,
}

struct PendingCode {
    language: &'static str,
    info: String,
    text: String,
}

/// The id of MDX's `## Title {/*id*/}` (React's docs), which the heading
/// attribute syntax reads as an attribute named `/*id*/`: taken out of the
/// attributes and used as the heading's id.
fn mdx_id(attrs: &mut Vec<(CowStr<'_>, Option<CowStr<'_>>)>) -> Option<String> {
    let at = attrs.iter().position(|(key, value)| {
        value.is_none() && key.len() > 4 && key.starts_with("/*") && key.ends_with("*/")
    })?;
    let (key, _) = attrs.remove(at);
    let id = key[2..key.len() - 2].trim();
    (!id.is_empty()).then(|| id.to_string())
}

struct PendingHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    events: Vec<Event<'a>>,
    text: String,
    line: usize,
}

impl<'a> Renderer<'a> {
    fn new(
        source: &'a Source<'a>,
        expanded: &'a components::Expanded<'a>,
        lines: LineIndex,
    ) -> Self {
        let mut out = Rendered::default();
        out.components.clone_from(&expanded.calls);
        Renderer {
            source,
            expanded,
            lines,
            ids: IdAllocator::default(),
            out,
            errors: expanded.errors.clone(),
            heading: None,
            code_depth: 0,
            summary_at: None,
            saw_html: false,
            in_dropped_link: false,
            quiz: None,
            code: None,
            quotes: Vec::new(),
            callouts: Vec::new(),
            image: None,
        }
    }

    /// Where `offset` of the parsed text is in the page file.
    fn location(&self, offset: usize) -> Location {
        body_location(self.source, &self.lines, self.expanded.original(offset))
    }

    fn handle(&mut self, event: Event<'a>, offset: usize, events: &mut Vec<Event<'a>>) {
        if self.quiz.is_some() || quiz::is_quiz_fence(&event) {
            self.handle_quiz(event, offset, events);
            return;
        }
        self.collect_text(&event);
        if self.image.is_some() || self.starts_raster_image(&event, offset) {
            self.handle_image(event, events);
            return;
        }
        if self.code.is_some() || self.starts_highlighted_code(&event) {
            self.handle_code(event, events);
            return;
        }
        let event = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let line = self.location(offset).line;
                self.heading = Some(PendingHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    events: Vec::new(),
                    text: String::new(),
                    line,
                });
                return;
            }
            Event::End(TagEnd::Heading(_)) => {
                self.finish_heading(events);
                return;
            }
            Event::Start(Tag::Link { ref dest_url, .. })
                if self.source.raw_html != RawHtml::Allow && runs_script(dest_url, true) =>
            {
                self.in_dropped_link = true;
                return;
            }
            Event::End(TagEnd::Link) if self.in_dropped_link => {
                self.in_dropped_link = false;
                return;
            }
            Event::Start(Tag::Image { ref dest_url, .. })
                if self.source.raw_html != RawHtml::Allow && runs_script(dest_url, false) =>
            {
                // The alt text (the events up to the image's end) stays as text.
                self.in_dropped_link = true;
                return;
            }
            Event::End(TagEnd::Image) if self.in_dropped_link => {
                self.in_dropped_link = false;
                return;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite_link(dest_url, offset);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite_image(dest_url, offset);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                self.quotes.push(kind.is_some());
                match kind {
                    Some(kind) => self.open_callout(kind, offset),
                    None => Event::Start(Tag::BlockQuote(None)),
                }
            }
            Event::End(TagEnd::BlockQuote(kind)) => match self.quotes.pop() {
                Some(true) => self.close_callout(),
                _ => Event::End(TagEnd::BlockQuote(kind)),
            },
            Event::Html(html) | Event::InlineHtml(html)
                if self.expanded.is_marker(&html, offset) =>
            {
                Event::Html(html)
            }
            Event::Html(html) | Event::InlineHtml(html) if is_more_marker(&html) => {
                self.summary_at = Some(events.len());
                Event::Html(html)
            }
            Event::Html(html) | Event::InlineHtml(html)
                if self.source.raw_html == RawHtml::Escape =>
            {
                Event::Text(html)
            }
            event @ (Event::Html(_) | Event::InlineHtml(_)) => {
                self.saw_html = true;
                event
            }
            other => other,
        };
        match &mut self.heading {
            Some(heading) => heading.events.push(event),
            None => events.push(event),
        }
    }

    /// Plain text and word count, in one place.
    fn collect_text(&mut self, event: &Event<'a>) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.code_depth += 1,
            Event::End(TagEnd::CodeBlock) => {
                self.code_depth = self.code_depth.saturating_sub(1);
                self.out.text.push('\n');
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = &mut self.heading {
                    heading.text.push_str(text);
                }
                if self.code_depth == 0 && !matches!(event, Event::Code(_)) {
                    self.out.word_count += text.split_whitespace().count();
                }
                self.out.text.push_str(text);
            }
            Event::SoftBreak | Event::HardBreak => self.out.text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::BlockQuote(_),
            ) => self.out.text.push('\n'),
            _ => {}
        }
    }

    fn finish_heading(&mut self, events: &mut Vec<Event<'a>>) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let mut heading = heading;
        let title = heading.text.trim().to_string();
        let custom = heading
            .id
            .as_ref()
            .map(|id| id.to_string())
            .or_else(|| mdx_id(&mut heading.attrs));
        let id = match custom {
            Some(custom) => {
                self.ids.reserve(&custom);
                custom
            }
            None => self.ids.allocate(&title),
        };
        let level = heading.level as u8;
        self.out.toc.push(Heading {
            level,
            id: id.clone(),
            title,
            line: heading.line,
        });
        events.push(Event::Start(Tag::Heading {
            level: heading.level,
            id: Some(CowStr::from(id)),
            classes: heading.classes,
            attrs: heading.attrs,
        }));
        events.extend(heading.events);
        events.push(Event::End(TagEnd::Heading(heading.level)));
    }

    fn rewrite_link(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        if let Some(relative) = local_path(&dest) {
            return self.placeholder(&dest, relative, false, self.location(offset));
        }
        match root_page_file(&dest) {
            Some(target) => {
                let anchor = split_anchor(&dest).1.map(str::to_string);
                self.out.local_links.push(LocalLink {
                    target,
                    anchor,
                    dest: dest.to_string(),
                    is_image: false,
                    location: self.location(offset),
                    from_root: true,
                });
                CowStr::from(format!("{PLACEHOLDER}{}", self.out.local_links.len() - 1))
            }
            None => dest,
        }
    }

    fn rewrite_image(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        match local_path(&dest) {
            Some(relative) => self.placeholder(&dest, relative, true, self.location(offset)),
            None => dest,
        }
    }

    /// Record a link into `content/` and write a numbered placeholder instead.
    fn placeholder(
        &mut self,
        dest: &str,
        relative: &str,
        is_image: bool,
        location: Location,
    ) -> CowStr<'a> {
        let (path, anchor) = split_anchor(relative);
        let Some(target) = resolve_relative(self.source.content_path, path) else {
            self.errors.push(
                Error::at(location, format!("link `{dest}` points outside `content/`"))
                    .with_hint("link to a page inside `content/`, or write a root-relative URL such as `/roles/`"),
            );
            return CowStr::from(dest.to_string());
        };
        self.out.local_links.push(LocalLink {
            target,
            anchor: anchor.map(str::to_string),
            dest: dest.to_string(),
            is_image,
            location,
            from_root: false,
        });
        CowStr::from(format!("{PLACEHOLDER}{}", self.out.local_links.len() - 1))
    }

    fn finish(mut self, events: Vec<Event<'a>>) -> (Rendered, Vec<Error>) {
        let sanitize = self.saw_html && self.source.raw_html == RawHtml::Sanitize;
        if let Some(at) = self.summary_at {
            let mut summary = String::new();
            pulldown_cmark::html::push_html(&mut summary, events[..at].iter().cloned());
            if sanitize {
                summary = html::sanitize(&summary);
            }
            self.out.summary_html = Some(PackedHtml::pack(summary));
        }
        let mut html = String::with_capacity(self.source.body.len() * 5 / 4);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if sanitize {
            html = html::sanitize(&html);
        }
        if let std::borrow::Cow::Owned(text) = components::strip_markers(&self.out.text) {
            self.out.text = text;
        }
        self.out.has_highlighted_code = html.contains(highlight::PRE_OPEN);
        self.out.html = PackedHtml::pack(html);
        self.out.toc.shrink_to_fit();
        (self.out, self.errors)
    }
}

/// Put the final URLs into rendered HTML: placeholder `N` (the `N`-th
/// local link) becomes `urls[N]`, escaped. Done at render time, so a page
/// whose link target moves is rendered again without being read again.
pub fn fill_links(html: &str, urls: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + urls.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(at) = rest.find(PLACEHOLDER) {
        out.push_str(&rest[..at]);
        let after = &rest[at + PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|i| urls.get(i))
        {
            Some(url) => {
                let _ = pulldown_cmark_escape::escape_href(&mut out, url);
            }
            None => out.push_str(&rest[at..at + PLACEHOLDER.len() + digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// A URL that runs code when followed: `javascript:`, `vbscript:`, and for
/// links (not images, where browsers run nothing) `data:`.
pub fn runs_script(url: &str, is_link: bool) -> bool {
    let cleaned: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || (is_link && cleaned.starts_with("data:"))
}

fn is_more_marker(html: &str) -> bool {
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

/// The path of a link that points inside the site's content (relative, no
/// scheme, not root-relative); `None` for everything left as written.
fn local_path(dest: &str) -> Option<&str> {
    let is_external = dest.starts_with('/')
        || dest.starts_with('#')
        || dest.starts_with("//")
        || dest.is_empty()
        || has_scheme(dest);
    (!is_external).then_some(dest)
}

/// The content file a root-relative page link may name: `/guide/setup.html`,
/// `/guide/setup.md` and `/guide/setup` → `guide/setup.md`; `None` for
/// folders (`/guide/`), other files (`/images/a.png`) and the home page.
pub fn root_page_file(dest: &str) -> Option<String> {
    if !dest.starts_with('/') || dest.starts_with("//") {
        return None;
    }
    let (path, _) = split_anchor(dest);
    let path = percent_encoding::percent_decode_str(path.trim_start_matches('/'))
        .decode_utf8()
        .ok()?;
    let name = path.rsplit('/').next().unwrap_or(&path);
    if name.is_empty() {
        return None;
    }
    let stem = match name.rsplit_once('.') {
        Some((_, "html" | "md")) => &path[..path.rfind('.')?],
        Some(_) => return None,
        None => &path,
    };
    Some(format!("{stem}.md"))
}

fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn split_anchor(link: &str) -> (&str, Option<&str>) {
    let link = link.split('?').next().unwrap_or(link);
    match link.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor).filter(|a| !a.is_empty())),
        None => (link, None),
    }
}

/// Resolve `../roles/pm.md` against the folder of `from` (a content path);
/// percent-escapes are decoded. `None` when the path climbs out of `content/`.
pub fn resolve_relative(from: &str, link: &str) -> Option<String> {
    let link = percent_encoding::percent_decode_str(link).decode_utf8_lossy();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The error for a link to a `.md` file that is not a page of the site,
/// with the closest page path as a hint.
pub fn missing_page_error<'a>(link: &LocalLink, pages: impl Iterator<Item = &'a String>) -> Error {
    let target = &link.target;
    let error = Error::at(
        link.location.clone(),
        format!(
            "link to a missing page: `{}` (looked for `content/{target}`)",
            link.dest
        ),
    );
    let name = target.rsplit('/').next().unwrap_or(target);
    let suggestion = pages
        .filter(|p| {
            let same_name = p.rsplit('/').next() == Some(name) && !name.ends_with("index.md");
            same_name || strsim::levenshtein(p, target) <= 2
        })
        .min_by_key(|p| strsim::levenshtein(p, target));
    match suggestion {
        Some(path) => error.with_hint(format!("did you mean `content/{path}`?")),
        None => error.with_hint("check the file name; links are relative to the page's folder"),
    }
}

/// The error for an image in `content/` that does not exist.
pub fn missing_image_error(link: &LocalLink) -> Error {
    Error::at(
        link.location.clone(),
        format!("image `{}` not found", link.dest),
    )
    .with_hint("put the file next to the page (in a page bundle folder) or use an absolute URL")
}

/// Plain text of an inline Markdown string (titles with `*emphasis*`).
pub fn inline_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(&t);
        }
    }
    text
}

/// Render a short Markdown string (descriptions, role fields) to inline HTML
/// without the wrapping `<p>`.
pub fn render_inline(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options()));
    let trimmed = html.trim_end();
    trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .filter(|inner| !inner.contains("<p>"))
        .map_or_else(|| trimmed.to_string(), str::to_string)
}

#[cfg(test)]
mod tests;
