//! A page's title from its body, for files that do not set `title:`
//! (VitePress, mdBook and most Markdown in the wild put it in the first
//! `# H1`): the heading's text, and its place so it is not shown twice.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The plain text of the first level-1 heading (ATX or setext, never one
/// inside code) and its byte range in `body`. A `{#id}` attribute or MDX's
/// `{/*id*/}` after the text is not part of the title.
pub fn first_h1(body: &str) -> Option<(String, Range<usize>)> {
    let parser = Parser::new_ext(body, Options::ENABLE_HEADING_ATTRIBUTES).into_offset_iter();
    let mut heading: Option<Range<usize>> = None;
    let mut text = String::new();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => heading = Some(range),
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
    fn the_first_h1_outside_code_is_the_title() {
        let body =
            "```\n# not this\n```\n\nIntro\n\n# Настройка `vite` {#setup}\n\nText\n\n# Second\n";
        let (title, range) = first_h1(body).unwrap();
        assert_eq!(title, "Настройка vite");
        assert_eq!(&body[range], "# Настройка `vite` {#setup}\n");
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
