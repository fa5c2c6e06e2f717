//! A page's title from its body, for files that do not set `title:`
//! (VitePress, mdBook and most Markdown in the wild put it in the first
//! `# H1`): the heading's text, and its place so it is not shown twice.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The plain text of a level-1 heading (ATX or setext) that opens the body
/// (only HTML blocks, such as VitePress's `<script setup>`, may come before
/// it) and its byte range in `body`. A heading further down is a heading
/// of the text, not its title. A `{#id}` attribute or MDX's `{/*id*/}`
/// after the text is not part of the title.
pub fn first_h1(body: &str) -> Option<(String, Range<usize>)> {
    let parser = Parser::new_ext(body, Options::ENABLE_HEADING_ATTRIBUTES).into_offset_iter();
    let mut heading: Option<Range<usize>> = None;
    let mut text = String::new();
    let mut in_html = false;
    for (event, range) in parser {
        match event {
            Event::Start(Tag::HtmlBlock) if heading.is_none() => in_html = true,
            Event::End(TagEnd::HtmlBlock) if heading.is_none() => in_html = false,
            _ if in_html => {}
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if heading.is_none() => heading = Some(range),
            Event::Start(_) if heading.is_none() => return None,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                let title = clean(&text);
                let range = heading?;
                return (!title.is_empty()).then_some((title, range));
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => text.push_str(&t),
            _ => {}
        }
    }
    None
}

/// The text with an MDX id comment (`{/*usestate*/}`) and surrounding
/// whitespace removed.
fn clean(text: &str) -> String {
    let text = text.trim();
    let text = match text.rfind("{/*") {
        Some(at) if text.ends_with("*/}") => &text[..at],
        _ => text,
    };
    text.trim().to_string()
}

/// Replace `range` of `body` with its line breaks only, so the heading is
/// gone and every later line keeps its number (errors point at lines).
pub fn blank_out(body: &mut String, range: Range<usize>) {
    let lines = body[range.clone()].matches('\n').count();
    body.replace_range(range, &"\n".repeat(lines));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_h1_opening_the_body_is_the_title() {
        let body = "<script setup>\nimport X from './x.vue'\n</script>\n\n# Настройка `vite` {#setup}\n\nText\n\n# Second\n";
        let (title, range) = first_h1(body).unwrap();
        assert_eq!(title, "Настройка vite");
        assert_eq!(&body[range], "# Настройка `vite` {#setup}\n");
        // Not a title: an H1 after text, or after code.
        assert_eq!(first_h1("Intro.\n\n# Install\n"), None);
        assert_eq!(first_h1("```\n# not this\n```\n\n# Later\n"), None);
        assert_eq!(first_h1("Title\n=====\n\nx").unwrap().0, "Title");
        assert_eq!(first_h1("## Only h2\n"), None);
        assert_eq!(
            first_h1("# useState {/*usestate*/}\n").unwrap().0,
            "useState"
        );
    }

    #[test]
    fn blanking_keeps_the_line_numbers() {
        let mut body = "# Title\nsecond line\n".to_string();
        let (_, range) = first_h1(&body).unwrap();
        blank_out(&mut body, range);
        assert_eq!(body, "\nsecond line\n");
    }
}
