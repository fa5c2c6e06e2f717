//! The block structure of one page's Markdown source, for the text lints.
//!
//! `build` keeps only rendered HTML, so `check` parses the source once more
//! with the same parser options and keeps what the lints need, each with its
//! byte offset in the body: prose units (paragraphs and list items) with
//! their text, headings, images, and link destinations.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// A paragraph or a list item's own text (nested lists are units of their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Byte range in the body.
    pub start: usize,
    pub end: usize,
    /// Visible text with runs of whitespace collapsed (code spans included,
    /// code blocks and image alt text not).
    pub text: String,
    /// Addresses of `mailto:` links inside the unit.
    pub mailto: Vec<String>,
}

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeadingRef {
    /// 1–6.
    pub level: u8,
    /// Byte offset in the body.
    pub start: usize,
    /// Plain text.
    pub text: String,
    /// True when any content block follows before the next heading.
    pub content_after: bool,
}

/// An image, from Markdown or an HTML `<img>` tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Image {
    pub start: usize,
    pub src: String,
    /// Alt text; `None` for an `<img>` without an `alt` attribute.
    pub alt: Option<String>,
}

/// The destination of a link or image as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkRef {
    pub start: usize,
    pub dest: String,
    pub is_image: bool,
}

/// What the text lints need from one body.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    /// Prose units in source order.
    pub units: Vec<Unit>,
    /// Headings in source order.
    pub headings: Vec<HeadingRef>,
    /// Images in source order.
    pub images: Vec<Image>,
    /// Link and image destinations in source order.
    pub links: Vec<LinkRef>,
}

/// Parse a Markdown body into its [`Outline`].
pub(crate) fn parse(body: &str) -> Outline {
    let mut builder = Builder::default();
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        builder.handle(event, range);
    }
    builder.finish()
}

#[derive(Default)]
struct Builder {
    out: Outline,
    /// Open paragraphs and list items, innermost last.
    open: Vec<Unit>,
    heading: Option<HeadingRef>,
    image: Option<Image>,
    code_depth: usize,
    table_depth: usize,
    html_block: Option<String>,
}

impl Builder {
    fn handle(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.text(&code),
            Event::SoftBreak | Event::HardBreak => self.text(" "),
            Event::Html(html) => {
                if let Some(block) = &mut self.html_block {
                    block.push_str(&html);
                }
                self.html_images(&html, range.start);
            }
            Event::InlineHtml(html) => self.html_images(&html, range.start),
            Event::Rule
            | Event::TaskListMarker(_)
            | Event::FootnoteReference(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.heading = Some(HeadingRef {
                    level: level as u8,
                    start: range.start,
                    text: String::new(),
                    content_after: false,
                });
            }
            Tag::Paragraph | Tag::Item => {
                self.mark_content();
                self.open.push(Unit {
                    start: range.start,
                    end: range.end,
                    text: String::new(),
                    mailto: Vec::new(),
                });
            }
            Tag::CodeBlock(_) => {
                self.mark_content();
                self.code_depth += 1;
            }
            Tag::Table(_) => {
                self.mark_content();
                self.table_depth += 1;
            }
            Tag::HtmlBlock => self.html_block = Some(String::new()),
            Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_) => self.mark_content(),
            Tag::Image { dest_url, .. } => {
                self.mark_content();
                self.link(range.start, &dest_url, true);
                self.image = Some(Image {
                    start: range.start,
                    src: dest_url.to_string(),
                    alt: Some(String::new()),
                });
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                self.link(range.start, &dest_url, false);
                let address = match link_type {
                    LinkType::Email => Some(dest_url.as_ref()),
                    _ => dest_url.strip_prefix("mailto:"),
                };
                if let (Some(address), Some(unit)) = (address, self.open.last_mut()) {
                    let address = address.split('?').next().unwrap_or(address);
                    unit.mailto.push(address.to_string());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: std::ops::Range<usize>) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some(mut heading) = self.heading.take() {
                    heading.text = collapse(&heading.text);
                    self.out.headings.push(heading);
                }
            }
            TagEnd::Paragraph | TagEnd::Item => {
                if let Some(mut unit) = self.open.pop() {
                    unit.end = range.end.max(unit.start);
                    unit.text = collapse(&unit.text);
                    if !unit.text.is_empty() || !unit.mailto.is_empty() {
                        self.out.units.push(unit);
                    }
                }
            }
            TagEnd::CodeBlock => self.code_depth = self.code_depth.saturating_sub(1),
            TagEnd::Table => self.table_depth = self.table_depth.saturating_sub(1),
            TagEnd::HtmlBlock => {
                let html = self.html_block.take().unwrap_or_default();
                if !is_only_comments(&html) {
                    self.mark_content();
                }
            }
            TagEnd::Image => {
                if let Some(mut image) = self.image.take() {
                    image.alt = image.alt.map(|a| collapse(&a));
                    self.out.images.push(image);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(image) = &mut self.image {
            if let Some(alt) = &mut image.alt {
                alt.push_str(text);
            }
            return;
        }
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
            return;
        }
        if self.code_depth > 0 || self.table_depth > 0 {
            return;
        }
        if let Some(unit) = self.open.last_mut() {
            unit.text.push_str(text);
        }
    }

    fn link(&mut self, start: usize, dest: &str, is_image: bool) {
        self.out.links.push(LinkRef {
            start,
            dest: dest.to_string(),
            is_image,
        });
    }

    /// A content block starts: the heading before it is not empty.
    fn mark_content(&mut self) {
        if self.heading.is_none()
            && let Some(last) = self.out.headings.last_mut()
        {
            last.content_after = true;
        }
    }

    /// `<img>` tags in raw HTML, with their `alt` attribute if any.
    fn html_images(&mut self, html: &str, offset: usize) {
        let lower = html.to_ascii_lowercase();
        let mut from = 0;
        while let Some(pos) = lower[from..].find("<img") {
            let at = from + pos;
            let end = lower[at..].find('>').map_or(lower.len(), |e| at + e + 1);
            let tag = &html[at..end];
            self.mark_content();
            let src = html_attribute(tag, "src").unwrap_or_default();
            self.link(offset + at, &src, true);
            self.out.images.push(Image {
                start: offset + at,
                src,
                alt: html_attribute(tag, "alt"),
            });
            from = end;
        }
    }

    fn finish(mut self) -> Outline {
        // Units close innermost first; lints want them in source order.
        self.out.units.sort_by_key(|u| u.start);
        self.out
    }
}

/// The value of `name="…"` (or `'…'`, or unquoted) in an HTML tag.
fn html_attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let at = from + pos;
        from = at + name.len();
        let before_ok = lower[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - rest.len() + 1;
        let value = tag[value_start..].trim_start();
        let parsed = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or(""),
        };
        return Some(parsed.to_string());
    }
    None
}

fn is_only_comments(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return true,
        }
    }
    rest.is_empty()
}

/// Collapse runs of whitespace into one space and trim.
pub(crate) fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_paragraphs_and_list_items_in_source_order() {
        let body = "Первый абзац\nв две строки.\n\n- пункт *один*\n  - вложенный\n- `код` два\n\n```\nне текст\n```\n";
        let outline = parse(body);
        let texts: Vec<&str> = outline.units.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Первый абзац в две строки.",
                "пункт один",
                "вложенный",
                "код два"
            ]
        );
        assert_eq!(outline.units[1].start, body.find("- пункт").unwrap());
    }

    #[test]
    fn headings_know_whether_content_follows() {
        let outline =
            parse("## A\n\ntext\n\n## B\n\n<!-- more -->\n\n### C\n\n| a |\n|---|\n| b |\n");
        let empty: Vec<_> = outline
            .headings
            .iter()
            .map(|h| (h.text.as_str(), h.content_after))
            .collect();
        assert_eq!(empty, [("A", true), ("B", false), ("C", true)]);
    }

    #[test]
    fn images_and_links_are_collected_with_alt_text() {
        let body = "![](a.png) ![Схема](b.png) [x](https://e.org) <img src=\"c.png\"> <img alt='d' src=d.png>\n\n<a@b.ru> [m](mailto:c@d.ru?subject=x)";
        let outline = parse(body);
        let alts: Vec<_> = outline
            .images
            .iter()
            .map(|i| (i.src.as_str(), i.alt.as_deref()))
            .collect();
        assert_eq!(
            alts,
            [
                ("a.png", Some("")),
                ("b.png", Some("Схема")),
                ("c.png", None),
                ("d.png", Some("d"))
            ]
        );
        assert!(outline.links.iter().any(|l| l.dest == "https://e.org"));
        assert_eq!(outline.units[1].mailto, ["a@b.ru", "c@d.ru"]);
    }

    /// Fuzzing (issue 8): any Markdown gives ranges inside the body, on
    /// character boundaries, so locations and excerpts never panic.
    #[test]
    fn any_markdown_gives_ranges_inside_the_body() {
        use proptest::prelude::*;
        let pieces = proptest::sample::select(
            &[
                "# ",
                "## ",
                "- ",
                "1. ",
                "> ",
                "```\n",
                "\n",
                "\n\n",
                "  ",
                "[a](b)",
                "![",
                "](",
                "<img src=x alt=",
                "<img",
                ">",
                "<!--",
                "-->",
                "<a@b.ru>",
                "[m](mailto:x@y.ru)",
                "|a|\n|-|\n",
                "ё",
                "Текст",
                "😀",
                "\u{301}",
                "**",
                "`",
                "\r\n",
                "[^1]: x\n",
            ][..],
        );
        let text = proptest::collection::vec(
            prop_oneof![pieces.prop_map(str::to_string), "\\PC{0,6}"],
            0..40,
        )
        .prop_map(|p| p.concat());
        let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(8),
            failure_persistence: None,
            ..Default::default()
        });
        runner
            .run(&text, |body| {
                let outline = parse(&body);
                for unit in &outline.units {
                    prop_assert!(unit.start <= unit.end && unit.end <= body.len());
                    prop_assert!(
                        body.is_char_boundary(unit.start) && body.is_char_boundary(unit.end)
                    );
                }
                for start in outline
                    .headings
                    .iter()
                    .map(|h| h.start)
                    .chain(outline.images.iter().map(|i| i.start))
                    .chain(outline.links.iter().map(|l| l.start))
                {
                    prop_assert!(start <= body.len() && body.is_char_boundary(start));
                }
                let keys = crate::check::duplicate::keys(&outline.units);
                prop_assert_eq!(
                    keys.len(),
                    outline
                        .units
                        .iter()
                        .filter(|u| u.text.chars().any(char::is_alphanumeric))
                        .count()
                );
                Ok(())
            })
            .unwrap();
    }
}
