//! Typography: language-aware polishing of prose in rendered HTML (render stage, no I/O).
//!
//! [`polish_html`] takes a rendered page or fragment and returns it with the
//! rules of the site's language applied to the text of prose; [`polish_text`]
//! does the same for plain text. Markup is copied verbatim: tags with their
//! attributes, comments, and the whole content of `<pre>`, `<code>`, `<kbd>`,
//! `<samp>`, `<math>`, `<script>`, `<style>` and `<textarea>`. URLs written in
//! the text (`https://…`, `www.…`, `mailto:…`) stay as they are. Entities are
//! understood (`&quot;` is a quote, `&nbsp;` a space) and kept unless a rule
//! replaces them; what the rules add is written as characters, never entities.
//!
//! Russian rules ([`Language::Ru`]):
//!
//! - Quotes: `"` becomes «ёлочки», and „лапки“ inside them. A quote opens after
//!   the start of a block, a space, a bracket or a dash (and is not followed by
//!   a space); otherwise it closes. Existing «» and „“ count for the depth. The
//!   state spans inline tags (`"<em>слово</em>"`) and resets at each block
//!   element, so an unbalanced quote cannot spoil the rest of the page; a
//!   closing quote with nothing open stays `"`. `'` is never touched.
//! - Dashes: ` - `, ` -- `, ` – `, ` — ` become a no-break space, `—` and the
//!   space that followed. A spaced dash between two numbers (`5 - 3`) is a minus
//!   or a range and stays. A dash opening a block (dialogue) becomes `—`
//!   followed by a no-break space. Hyphens in words and unspaced ranges stay.
//! - No-break space after the short words а в и к о с у я, во до за из ко на
//!   не ни но об от по со, без для изо над обо под при про (any case, whole
//!   words only; `за`/`под` also after a hyphen: из-за, из-под), and before the
//!   particles б ж бы же ли ль.
//! - No-break space between a number and a unit or currency (`30 000 ₽`,
//!   `5 %`, `10 кг`, `2020 г.`, `лет`, `млн`, `км`, see `Word::kind`), and after `№`, `§` and a currency
//!   sign written before the amount (`$ 100`).
//! - Thousands: numbers of 5 to 9 digits (`30000`) and numbers already grouped
//!   by single spaces (`1 500 000`: a group of 1–3 digits, then groups of exactly
//!   3) get U+202F between groups. Four digits (`2020`, `5000`) stay whole. A
//!   number is left alone when glued to letters, dots, hyphens, slashes or
//!   colons (`id12345`, `v1.2.3`, `2020-11-04`, `12:30`), when it starts with 0,
//!   when it follows `№`, `§`, `#` or an upper-case acronym (`ISO 27001`,
//!   `ИНН`), when it follows another number across one space (`10 20 300` is
//!   a list, not a number), and when an unseparated run is followed by a space
//!   and three digits (`30000 123`). Numbers of 10 or more unseparated digits
//!   are taken for phones or ids and stay. A phone written in groups
//!   (`8 800 555 35 35`) gets U+202F in its leading `8 800 555`: harmless,
//!   but not a rule.
//! - `...` becomes `…` (exactly three dots; `?..` and `....` stay).
//!
//! Other languages get only the ellipsis; curly English quotes are left to authors.
//!
//! The pass is linear and works on bytes. The scanner finds markup with a
//! byte search and notes the inline tags, inline code and entities of a block
//! (the text between two block-level tags) as atoms; the rules then walk the
//! block's own bytes, an atom counting as one character (a tag as an invisible
//! one). Plain text is skipped with a byte table, eight bytes at a time where
//! it is Cyrillic, and the spaces of ordinary prose are decided from the bytes
//! around them, so the general rules run only where one may apply. The output
//! is copied from the source in runs between the changes, and it is a fixed
//! point: polishing it again changes nothing.

mod block;
mod markup;
mod rules;
#[cfg(test)]
mod tests;
mod words;

use block::Block;
use markup::{Role, entity, find_any, parse_markup};

const NBSP: char = '\u{a0}';
const NARROW_NBSP: char = '\u{202f}';
/// A tag or comment inside a block: invisible to the rules, copied verbatim.
const TAG: char = '\u{ffff}';
/// Inline code or an unknown entity: a visible symbol, copied verbatim.
const OBJECT: char = '\u{fffc}';

/// Language whose typography rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Russian: all rules.
    #[default]
    Ru,
    /// English: only the ellipsis.
    En,
    /// Any other language: only the ellipsis.
    Other,
}

impl Language {
    /// Map a language code from the site settings (`ru`, `ru-RU`, `en`, ...) to a language.
    pub fn from_code(code: &str) -> Language {
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        if primary.eq_ignore_ascii_case("ru") {
            Language::Ru
        } else if primary.eq_ignore_ascii_case("en") {
            Language::En
        } else {
            Language::Other
        }
    }
}

/// Typography settings (from the site config).
///
/// From the settings: `language: Language::from_code(&config.language)` and
/// `enabled: config.typography`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Language of the site's prose.
    pub language: Language,
    /// Whether polishing runs at all.
    pub enabled: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            language: Language::Ru,
            enabled: true,
        }
    }
}

impl Options {
    /// Whether polishing may change anything; when false, callers can skip the call and its copy.
    pub fn is_active(&self) -> bool {
        self.enabled
    }

    /// `Some(russian)` when a pass is needed over `input`, `None` when it would change nothing.
    fn pass_for(&self, input: &str) -> Option<bool> {
        match self.language {
            _ if !self.enabled => None,
            Language::Ru => Some(true),
            _ if input.contains("...") => Some(false),
            _ => None,
        }
    }
}

/// Polish the prose of a rendered HTML page or fragment; markup and code stay byte for byte.
pub fn polish_html(html: &str, options: &Options) -> String {
    let Some(russian) = options.pass_for(html) else {
        return html.to_owned();
    };
    let mut polisher = Polisher::new(html, russian);
    polisher.scan_html();
    polisher.finish()
}

/// Polish plain text (no tags, no entities) with the same rules; blank lines end a block.
pub fn polish_text(text: &str, options: &Options) -> String {
    let Some(russian) = options.pass_for(text) else {
        return text.to_owned();
    };
    let mut polisher = Polisher::new(text, russian);
    polisher.scan_text();
    polisher.finish()
}

/// A unit of a block's text that is not one plain character: an inline tag or
/// comment ([`TAG`]), inline code ([`OBJECT`]) or an entity (the character it
/// stands for, [`OBJECT`] if unknown).
#[derive(Debug, Clone, Copy)]
struct Atom {
    start: usize,
    end: usize,
    ch: char,
}

/// The source with the replacements made so far: everything before `copied` is in `out`.
struct Output {
    out: String,
    copied: usize,
}

impl Output {
    /// Copy the source up to `at`.
    fn copy_to(&mut self, src: &str, at: usize) {
        self.out.push_str(&src[self.copied..at]);
        self.copied = at;
    }

    /// Write `with` in place of the source bytes `from..to`.
    fn replace(&mut self, src: &str, from: usize, to: usize, with: char) {
        self.copy_to(src, from);
        self.out.push(with);
        self.copied = to;
    }
}

/// Splits the source into blocks, notes their atoms and hands each block to the rules.
struct Polisher<'a> {
    src: &'a str,
    russian: bool,
    output: Output,
    /// The atoms of the current block, in source order.
    atoms: Vec<Atom>,
    block_start: usize,
}

impl<'a> Polisher<'a> {
    fn new(src: &'a str, russian: bool) -> Self {
        Polisher {
            src,
            russian,
            output: Output {
                out: String::with_capacity(src.len() + src.len() / 16),
                copied: 0,
            },
            atoms: Vec::new(),
            block_start: 0,
        }
    }

    fn finish(mut self) -> String {
        self.output.copy_to(self.src, self.src.len());
        self.output.out
    }

    fn scan_html(&mut self) {
        let b = self.src.as_bytes();
        let mut at = 0;
        while let Some(found) = find_any(b, at, b"<&") {
            at = if b[found] == b'<' {
                self.markup(found)
            } else {
                self.entity(found)
            };
        }
        self.end_block(self.src.len());
    }

    fn scan_text(&mut self) {
        let mut pos = 0;
        while let Some(offset) = self.src[pos..].find("\n\n") {
            let end = pos + offset + 2;
            self.end_block(end);
            pos = end;
        }
        self.end_block(self.src.len());
    }

    /// Handle the markup (or stray `<`) at `lt`; returns where the text resumes.
    fn markup(&mut self, lt: usize) -> usize {
        let Some((role, end)) = parse_markup(self.src.as_bytes(), lt) else {
            return lt + 1;
        };
        let ch = match role {
            Role::Invisible => TAG,
            Role::Visible => OBJECT,
            Role::Boundary => {
                self.end_block(lt);
                self.block_start = end;
                return end;
            }
        };
        self.atoms.push(Atom { start: lt, end, ch });
        end
    }

    /// Note the entity (or plain `&`) at `amp` of the text; returns where the text resumes.
    fn entity(&mut self, amp: usize) -> usize {
        // The entity's text may not run into the markup that follows, but
        // with a `<` in it, it would be no entity anyway.
        let Some((ch, len)) = entity(&self.src[amp..]) else {
            return amp + 1;
        };
        let end = amp + len;
        self.atoms.push(Atom {
            start: amp,
            end,
            ch,
        });
        end
    }

    /// Polish the block collected so far, which ends at byte `end`.
    fn end_block(&mut self, end: usize) {
        if self.block_start < end {
            Block::new(self.src, self.block_start..end, &self.atoms, self.russian)
                .polish(&mut self.output);
        }
        self.atoms.clear();
        self.block_start = end;
    }
}
