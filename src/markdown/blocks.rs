//! Blocks the renderer writes itself: highlighted fenced code
//! ([`super::highlight`]) and GitHub's alerts (`> [!NOTE]`), which become
//! calls of the `callout` component so that the theme writes them with its
//! translated titles; images of raster files of the site become calls of
//! the `image` component, which writes their size and resized copies.

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};
use serde_json::{Map, Value};

use super::components::{COMMENT_CLOSE, COMMENT_END, COMMENT_START, Call, TOKEN_END, TOKEN_START};
use super::{PendingCode, highlight};

/// The component every callout calls.
pub const CALLOUT_COMPONENT: &str = "callout";

/// The component every Markdown image of a PNG, JPEG or WebP file of the site calls.
pub const IMAGE_COMPONENT: &str = "image";

/// True for an image destination the `image` component writes: a PNG,
/// JPEG or WebP file of the page's folder or of `static/` (root-relative).
fn is_site_raster(dest: &str) -> bool {
    let local = !dest.starts_with("//") && !dest.contains("://") && !dest.starts_with("data:");
    local && crate::images::is_raster(dest)
}

/// `note`, `tip`, `important`, `warning`, `caution`.
pub fn callout_kind(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

impl<'a> super::Renderer<'a> {
    /// True for the start of a fenced block in a language the highlighter
    /// knows; the block is then collected and written by [`Self::handle_code`].
    pub(super) fn starts_highlighted_code(&mut self, event: &Event<'a>) -> bool {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event else {
            return false;
        };
        let Some(language) = highlight::language(info) else {
            return false;
        };
        self.code = Some(PendingCode {
            language,
            info: info.to_string(),
            text: String::new(),
        });
        true
    }

    /// One event of a highlighted block: its text is kept until the end,
    /// then the block is written as highlighted HTML.
    pub(super) fn handle_code(&mut self, event: Event<'a>, events: &mut Vec<Event<'a>>) {
        match event {
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.text.push_str(&text);
                }
            }
            Event::End(_) => {
                if let Some(code) = self.code.take() {
                    let html = highlight::highlight(code.language, &code.info, &code.text);
                    events.push(Event::Html(CowStr::from(html.to_string())));
                }
            }
            _ => {}
        }
    }

    /// True for the start of an image of a raster file of the site; the
    /// image is then a call of the `image` component ([`Self::handle_image`]).
    pub(super) fn starts_raster_image(&mut self, event: &Event<'a>, offset: usize) -> bool {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = event
        else {
            return false;
        };
        if !is_site_raster(dest_url) {
            return false;
        }
        let location = self.location(offset);
        if !dest_url.starts_with('/') {
            // Kept as a local link: a missing file is reported like any other.
            self.rewrite_image(dest_url.clone(), offset);
        }
        let mut args = Map::new();
        args.insert("src".into(), Value::from(dest_url.to_string()));
        args.insert("alt".into(), Value::from(String::new()));
        if !title.is_empty() {
            args.insert("title".into(), Value::from(title.to_string()));
        }
        self.image = Some(self.out.components.len());
        self.out.components.push(Call {
            name: IMAGE_COMPONENT.to_string(),
            args,
            block: false,
            location,
        });
        true
    }

    /// One event inside a raster image: its text is the alt text; at its
    /// end the call's marker is written.
    pub(super) fn handle_image(&mut self, event: Event<'a>, events: &mut Vec<Event<'a>>) {
        let Some(number) = self.image else {
            return;
        };
        match event {
            Event::Text(text) | Event::Code(text) => {
                if let Some(Value::String(alt)) = self.out.components[number].args.get_mut("alt") {
                    alt.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(Value::String(alt)) = self.out.components[number].args.get_mut("alt") {
                    alt.push(' ');
                }
            }
            Event::End(TagEnd::Image) => {
                self.image = None;
                let marker = Event::Html(CowStr::from(format!("{TOKEN_START}{number}{TOKEN_END}")));
                match &mut self.heading {
                    Some(heading) => heading.events.push(marker),
                    None => events.push(marker),
                }
            }
            _ => {}
        }
    }

    /// The start of a callout: a call of the `callout` component, its body
    /// the quote's content.
    pub(super) fn open_callout(&mut self, kind: BlockQuoteKind, offset: usize) -> Event<'a> {
        let mut args = Map::new();
        args.insert("kind".into(), Value::from(callout_kind(kind)));
        let number = self.out.components.len();
        self.out.components.push(Call {
            name: CALLOUT_COMPONENT.to_string(),
            args,
            block: true,
            location: self.location(offset),
        });
        self.callouts.push(number);
        Event::Html(CowStr::from(format!(
            "{COMMENT_START}{number}{COMMENT_END}\n"
        )))
    }

    /// The end of the innermost open callout.
    pub(super) fn close_callout(&mut self) -> Event<'a> {
        let number = self.callouts.pop().unwrap_or_default();
        Event::Html(CowStr::from(format!(
            "{COMMENT_CLOSE}{number}{COMMENT_END}\n"
        )))
    }
}
