//! Component calls in Markdown, in the shortcode syntax Zola users know:
//! `{{ name(arg="value") }}` inline, `{% name(arg="value") %}body{% end %}`
//! with a Markdown body, and `{{/* name() */}}` for the literal text.
//!
//! Calls are found outside code spans, code blocks and raw HTML: one pass of
//! pulldown-cmark's offset iterator gives those ranges, and the rest of the
//! body is scanned for `{{` and `{%`. Each call is replaced by a marker
//! before the page is parsed, so the body of a block component is parsed
//! with the page (its links, headings and search text are the page's), and
//! the render stage puts the template's output in place of the markers once
//! the site is resolved (components show roles, URLs, other pages).
//!
//! A marker is a comment (`<!--rolebook-component:N-->`) when the call
//! stands alone on its line, so a block component's body is parsed as
//! blocks of its own; otherwise it is two private-use characters around
//! the number, which travel through pulldown-cmark as text.

pub mod args;

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};
use serde_json::{Map, Value};

use crate::error::{Error, Location};

/// First character of an in-text marker: `\u{E000}N\u{E001}` opens (or is)
/// call `N`, `\u{E000}/N\u{E001}` closes block call `N`.
pub const TOKEN_START: char = '\u{E000}';
/// Last character of an in-text marker.
pub const TOKEN_END: char = '\u{E001}';
/// Start of a comment marker: `<!--rolebook-component:N-->`.
pub const COMMENT_START: &str = "<!--rolebook-component:";
/// Start of a comment closing a block call: `<!--/rolebook-component:N-->`.
pub const COMMENT_CLOSE: &str = "<!--/rolebook-component:";
/// End of a comment marker.
pub const COMMENT_END: &str = "-->";

/// One component call of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Component name: the template `components/<name>.html`.
    pub name: String,
    /// Arguments in the order written.
    pub args: Map<String, Value>,
    /// Written as `{% name() %}…{% end %}`: has a body.
    pub block: bool,
    /// Where the call starts.
    pub location: Location,
}

/// A body with its calls replaced by markers.
pub(super) struct Expanded<'a> {
    /// The text pulldown-cmark parses.
    pub text: Cow<'a, str>,
    /// `(offset in text, offset in body)` where the two start to differ.
    shifts: Vec<(usize, usize)>,
    /// Offsets in `text` of the comment markers.
    comments: Vec<usize>,
    /// The calls, numbered as the markers.
    pub calls: Vec<Call>,
    /// Mistakes in calls, located.
    pub errors: Vec<Error>,
}

impl Expanded<'_> {
    /// The offset in the body of an offset in the expanded text.
    pub fn original(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|&(text, _)| text <= offset);
        match i.checked_sub(1).map(|i| self.shifts[i]) {
            Some((text, body)) => body + (offset - text),
            None => offset,
        }
    }

    /// True when the HTML event at `offset` is one of the comment markers
    /// written here (the author's raw HTML policy does not apply to it).
    pub fn is_marker(&self, html: &str, offset: usize) -> bool {
        let indent = html.len() - html.trim_start().len();
        let trimmed = html.trim();
        (trimmed.starts_with(COMMENT_START) || trimmed.starts_with(COMMENT_CLOSE))
            && self.comments.binary_search(&(offset + indent)).is_ok()
    }
}

/// Find the calls in `body` and replace them by markers. `locate` turns an
/// offset of the body into a location in the file.
pub(super) fn expand<'a>(body: &'a str, locate: &dyn Fn(usize) -> Location) -> Expanded<'a> {
    let mut expanded = Expanded {
        text: Cow::Borrowed(body),
        shifts: Vec::new(),
        comments: Vec::new(),
        calls: Vec::new(),
        errors: Vec::new(),
    };
    if !body.contains("{{") && !body.contains("{%") {
        return expanded;
    }
    let mut scan = Scan {
        body,
        locate,
        protected: protected_ranges(body),
        out: String::with_capacity(body.len() + 64),
        copied: 0,
        open: Vec::new(),
        expanded: &mut expanded,
    };
    scan.run();
    let Scan { out, open, .. } = scan;
    for call in open {
        let call = &expanded.calls[call];
        expanded.errors.push(
            Error::at(
                call.location.clone(),
                format!("`{{% {}(…) %}}` is not closed", call.name),
            )
            .with_hint("end its body with `{% end %}`"),
        );
    }
    if !expanded.shifts.is_empty() {
        expanded.text = Cow::Owned(out);
    }
    expanded
}

/// The byte ranges of code spans, code blocks and raw HTML, where `{{` is text.
fn protected_ranges(body: &str) -> Vec<Range<usize>> {
    Parser::new_ext(body, super::options())
        .into_offset_iter()
        .filter(|(event, _)| {
            matches!(
                event,
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
                    | Event::Code(_)
                    | Event::InlineHtml(_)
            )
        })
        .map(|(_, range)| range)
        .collect()
}

struct Scan<'a, 'e> {
    body: &'a str,
    locate: &'e dyn Fn(usize) -> Location,
    protected: Vec<Range<usize>>,
    out: String,
    /// Bytes of the body copied to `out` so far.
    copied: usize,
    /// Block calls waiting for their `{% end %}`.
    open: Vec<usize>,
    expanded: &'e mut Expanded<'a>,
}

/// What was found at a `{`.
enum Found {
    /// Nothing to replace.
    Text,
    /// Replace `end - start` bytes with a marker or a literal.
    Replace { end: usize, with: Replacement },
}

enum Replacement {
    Literal(String),
    Call(Call),
    End,
}

impl Scan<'_, '_> {
    fn run(&mut self) {
        let mut at = 0;
        let mut next_range = 0;
        while let Some(found) = self.body[at..].find('{').map(|i| at + i) {
            while next_range < self.protected.len() && self.protected[next_range].end <= found {
                next_range += 1;
            }
            if let Some(range) = self.protected.get(next_range)
                && range.start <= found
            {
                at = range.end;
                continue;
            }
            at = match self.read(found) {
                Ok(Found::Text) => found + 1,
                Ok(Found::Replace { end, with }) => {
                    self.replace(found, end, with);
                    end
                }
                Err(error) => {
                    self.expanded.errors.push(error);
                    found + 2
                }
            };
        }
        self.out.push_str(&self.body[self.copied..]);
    }

    /// Read what starts at `start` (a `{`).
    fn read(&self, start: usize) -> Result<Found, Error> {
        let rest = &self.body[start..];
        for (open, close, literal) in [
            ("{{/*", "*/}}", ("{{", "}}")),
            ("{%/*", "*/%}", ("{%", "%}")),
        ] {
            if let Some(inner) = rest.strip_prefix(open)
                && let Some(length) = inner.find(close)
            {
                let text = format!("{}{}{}", literal.0, &inner[..length], literal.1);
                return Ok(Found::Replace {
                    end: start + open.len() + length + close.len(),
                    with: Replacement::Literal(text),
                });
            }
        }
        let closing = match rest.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            _ => return Ok(Found::Text),
        };
        let after = &rest[2..];
        let name_at = 2 + (after.len() - after.trim_start().len());
        let name_length = args::identifier_length(&rest[name_at..]);
        let name = &rest[name_at..name_at + name_length];
        let after_name = &rest[name_at + name_length..];
        let paren = name_at + name_length + (after_name.len() - after_name.trim_start().len());
        if closing == "%}" && name == "end" {
            return self.end_tag(start, paren);
        }
        if name_length == 0 || !rest[paren..].starts_with('(') {
            return Ok(Found::Text);
        }
        let (args, length) = args::parse(&rest[paren + 1..]).map_err(|e| {
            Error::at((self.locate)(start + paren + 1 + e.at), e.message).with_hint(e.hint)
        })?;
        let tail_at = paren + 1 + length;
        let tail = &rest[tail_at..];
        let closed_at = tail_at + (tail.len() - tail.trim_start().len());
        if !rest[closed_at..].starts_with(closing) {
            return Err(Error::at(
                (self.locate)(start + closed_at),
                format!("expected `{closing}` to end the call of `{name}`"),
            )
            .with_hint(match closing {
                "}}" => "write `{{ name(arg=\"value\") }}`",
                _ => "write `{% name(arg=\"value\") %}body{% end %}`",
            }));
        }
        Ok(Found::Replace {
            end: start + closed_at + 2,
            with: Replacement::Call(Call {
                name: name.to_string(),
                args,
                block: closing == "%}",
                location: (self.locate)(start),
            }),
        })
    }

    /// `{% end %}`: closes the innermost open block call.
    fn end_tag(&self, start: usize, after_name: usize) -> Result<Found, Error> {
        let rest = &self.body[start + after_name..];
        if !rest.starts_with("%}") {
            return Ok(Found::Text);
        }
        if self.open.is_empty() {
            return Err(
                Error::at((self.locate)(start), "`{% end %}` closes no component")
                    .with_hint("remove it, or open the block with `{% name(arg=\"value\") %}`"),
            );
        }
        Ok(Found::Replace {
            end: start + after_name + 2,
            with: Replacement::End,
        })
    }

    fn replace(&mut self, start: usize, end: usize, with: Replacement) {
        self.out.push_str(&self.body[self.copied..start]);
        let alone = self.alone_on_line(start, end);
        let marker_at = self.out.len();
        match with {
            Replacement::Literal(text) => self.out.push_str(&text),
            Replacement::Call(call) => {
                let number = self.expanded.calls.len();
                if call.block {
                    self.open.push(number);
                }
                self.expanded.calls.push(call);
                self.push_marker(number, false, alone);
            }
            Replacement::End => {
                let number = self.open.pop().expect("`end_tag` checked a call is open");
                self.push_marker(number, true, alone);
            }
        }
        if alone && self.out.len() > marker_at && self.out[marker_at..].starts_with("<!--") {
            self.expanded.comments.push(marker_at);
        }
        self.expanded.shifts.push((marker_at, start));
        self.expanded.shifts.push((self.out.len(), end));
        self.copied = end;
    }

    /// A block call's marker alone on its line is a comment, parsed as an
    /// HTML block of its own; every other marker is in-text.
    fn push_marker(&mut self, number: usize, closing: bool, alone: bool) {
        let block = self.expanded.calls[number].block;
        match (alone && block, closing) {
            (true, false) => self
                .out
                .push_str(&format!("{COMMENT_START}{number}{COMMENT_END}")),
            (true, true) => self
                .out
                .push_str(&format!("{COMMENT_CLOSE}{number}{COMMENT_END}")),
            (false, false) => self
                .out
                .push_str(&format!("{TOKEN_START}{number}{TOKEN_END}")),
            (false, true) => self
                .out
                .push_str(&format!("{TOKEN_START}/{number}{TOKEN_END}")),
        }
    }

    /// Only spaces (and a list's or quote's markers) before, only spaces after.
    fn alone_on_line(&self, start: usize, end: usize) -> bool {
        let line_start = self.body[..start].rfind('\n').map_or(0, |i| i + 1);
        let before = &self.body[line_start..start];
        let after = self.body[end..].split('\n').next().unwrap_or("");
        before.chars().all(|c| c == ' ' || c == '>' || c == '\t') && after.trim().is_empty()
    }
}

/// `text` without component markers (for search text and excerpts).
pub fn strip_markers(text: &str) -> Cow<'_, str> {
    if !text.contains(TOKEN_START) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(TOKEN_START) {
        out.push_str(&rest[..at]);
        let after = &rest[at + TOKEN_START.len_utf8()..];
        rest = match after.find(TOKEN_END) {
            Some(end) => &after[end + TOKEN_END.len_utf8()..],
            None => after,
        };
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests;
