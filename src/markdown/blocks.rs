//! Blocks the renderer writes itself: highlighted fenced code
//! ([`super::highlight`]) and GitHub's alerts (`> [!NOTE]`), which become
//! calls of the `callout` component so that the theme writes them with its
//! translated titles.

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag};
use serde_json::{Map, Value};

use super::components::{COMMENT_CLOSE, COMMENT_END, COMMENT_START, Call};
use super::{PendingCode, highlight};

/// The component every callout calls.
pub const CALLOUT_COMPONENT: &str = "callout";

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
