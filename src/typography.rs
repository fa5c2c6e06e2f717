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
//! The pass is linear: the scanner copies markup spans whole, collects the text
//! of one block (with inline tags as invisible units) and runs the rules over
//! it, writing only where something changes. The output of a pass is a fixed
//! point: polishing it again changes nothing.

use std::ops::Range;

const NBSP: char = '\u{a0}';
const NARROW_NBSP: char = '\u{202f}';
/// A tag or comment inside a block: invisible to the rules, copied verbatim.
const TAG: char = '\u{ffff}';
/// Inline code or an unknown entity: a visible symbol, copied verbatim.
const OBJECT: char = '\u{fffc}';

/// Unit and currency signs after a number.
const UNIT_SIGNS: &[char] = &['₽', '$', '€', '£', '%', '‰', '°'];
/// Signs followed by a no-break space before a number.
const NUMBER_SIGNS: &[char] = &['№', '§', '₽', '$', '€', '£'];
/// Characters after which a straight quote opens (besides spaces).
const QUOTE_OPENERS: &[char] = &['(', '[', '{', '«', '„', '-', '–', '—'];
/// Characters that may stand right before a number that gets grouped.
const NUMBER_OPENERS: &[char] = &[
    '(', '[', '{', '«', '„', '“', '"', '\'', '~', '≈', '−', '±', '–', '—', '$', '€', '₽', '£', '<',
    '>',
];
/// Characters that may stand right after a number that gets grouped.
const NUMBER_CLOSERS: &[char] = &[
    ')', ']', '}', '»', '“', '”', '"', '\'', '%', '‰', '₽', '$', '€', '£', '…', '–', '—', ';', '!',
    '?', '<', '>',
];

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
    polisher.out
}

/// Polish plain text (no tags, no entities) with the same rules; blank lines end a block.
pub fn polish_text(text: &str, options: &Options) -> String {
    let Some(russian) = options.pass_for(text) else {
        return text.to_owned();
    };
    let mut polisher = Polisher::new(text, russian);
    polisher.scan_text();
    polisher.out
}

/// One character of a block's text, or one inline tag, with its byte offset in the source.
#[derive(Debug, Clone, Copy)]
struct Unit {
    ch: char,
    start: usize,
}

/// How a piece of markup takes part in the text around it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// An inline tag or comment: the text continues across it.
    Invisible,
    /// Inline code: a visible word the rules never enter.
    Visible,
    /// A block element tag or raw block: the text before and after are separate blocks.
    Boundary,
}

/// Splits the source into blocks of text units and copies everything between them.
struct Polisher<'a> {
    src: &'a str,
    russian: bool,
    out: String,
    units: Vec<Unit>,
    block_start: usize,
}

impl<'a> Polisher<'a> {
    fn new(src: &'a str, russian: bool) -> Self {
        Polisher {
            src,
            russian,
            out: String::with_capacity(src.len() + src.len() / 16),
            units: Vec::with_capacity(1024),
            block_start: 0,
        }
    }

    fn scan_html(&mut self) {
        let mut pos = 0;
        while let Some(offset) = self.src[pos..].find('<') {
            let lt = pos + offset;
            self.push_text(pos..lt, true);
            pos = self.markup(lt);
        }
        self.push_text(pos..self.src.len(), true);
        self.end_block(self.src.len());
    }

    fn scan_text(&mut self) {
        let mut pos = 0;
        while let Some(offset) = self.src[pos..].find("\n\n") {
            let end = pos + offset + 2;
            self.push_text(pos..end, false);
            self.end_block(end);
            pos = end;
        }
        self.push_text(pos..self.src.len(), false);
        self.end_block(self.src.len());
    }

    /// Handle the markup (or stray `<`) at `lt`; returns where the text resumes.
    fn markup(&mut self, lt: usize) -> usize {
        let Some((role, end)) = parse_markup(self.src.as_bytes(), lt) else {
            self.push_text(lt..lt + 1, false);
            return lt + 1;
        };
        match role {
            Role::Invisible => self.units.push(Unit { ch: TAG, start: lt }),
            Role::Visible => self.units.push(Unit {
                ch: OBJECT,
                start: lt,
            }),
            Role::Boundary => {
                self.end_block(lt);
                self.out.push_str(&self.src[lt..end]);
                self.block_start = end;
            }
        }
        end
    }

    fn push_text(&mut self, range: Range<usize>, entities: bool) {
        let text = &self.src[range.clone()];
        let mut skip_to = 0;
        for (offset, c) in text.char_indices() {
            if offset < skip_to {
                continue;
            }
            let decoded = (c == '&' && entities)
                .then(|| entity(&text[offset..]))
                .flatten();
            let ch = match decoded {
                Some((decoded, len)) => {
                    skip_to = offset + len;
                    decoded
                }
                None => c,
            };
            let start = range.start + offset;
            self.units.push(Unit { ch, start });
        }
    }

    /// Polish the block collected so far, which ends at byte `end`.
    fn end_block(&mut self, end: usize) {
        Block {
            src: self.src,
            units: &self.units,
            end,
            out: &mut self.out,
            copied: self.block_start,
            depth: 0,
            last: None,
            russian: self.russian,
        }
        .polish();
        self.units.clear();
        self.block_start = end;
    }
}

/// Classify the markup at `lt` and find its end; `None` when `<` is plain text.
fn parse_markup(b: &[u8], lt: usize) -> Option<(Role, usize)> {
    let rest = &b[lt..];
    if rest.starts_with(b"<!--") {
        return Some((
            Role::Invisible,
            find(b, lt + 4, b"-->").map_or(b.len(), |i| i + 3),
        ));
    }
    if rest.starts_with(b"<![CDATA[") {
        return Some((
            Role::Invisible,
            find(b, lt + 9, b"]]>").map_or(b.len(), |i| i + 3),
        ));
    }
    if matches!(rest.get(1), Some(b'!' | b'?')) {
        return Some((Role::Boundary, find(b, lt, b">").map_or(b.len(), |i| i + 1)));
    }
    let closing = rest.get(1) == Some(&b'/');
    let name_start = lt + 1 + usize::from(closing);
    if !b.get(name_start)?.is_ascii_alphabetic() {
        return None;
    }
    let name_len = b[name_start..]
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-'))
        .unwrap_or(b.len() - name_start);
    let name = &b[name_start..name_start + name_len];
    let end = tag_end(b, name_start + name_len);
    let self_closing = b[..end].ends_with(b"/>");
    let role = match element_kind(name) {
        Kind::Inline => Role::Invisible,
        Kind::RawInline if closing || self_closing => Role::Invisible,
        Kind::RawInline => return Some((Role::Visible, raw_end(b, name, end, true))),
        Kind::RawBlock(nests) if !closing && !self_closing => {
            return Some((Role::Boundary, raw_end(b, name, end, nests)));
        }
        _ => Role::Boundary,
    };
    Some((role, end))
}

/// What an element means for the prose around it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Inline,
    /// Inline code: kept whole, seen as one word.
    RawInline,
    /// Code block or raw text; `true` if the element can nest inside itself.
    RawBlock(bool),
    Block,
}

fn element_kind(name: &[u8]) -> Kind {
    let mut lower = [0u8; 10];
    if name.len() > lower.len() {
        return Kind::Block;
    }
    for (to, from) in lower.iter_mut().zip(name) {
        *to = from.to_ascii_lowercase();
    }
    match &lower[..name.len()] {
        b"code" | b"kbd" | b"samp" | b"math" => Kind::RawInline,
        b"pre" => Kind::RawBlock(true),
        b"script" | b"style" | b"textarea" => Kind::RawBlock(false),
        b"a" | b"abbr" | b"b" | b"bdi" | b"bdo" | b"big" | b"br" | b"cite" | b"data" | b"del"
        | b"dfn" | b"em" | b"font" | b"i" | b"img" | b"ins" | b"label" | b"mark" | b"nobr"
        | b"q" | b"s" | b"small" | b"span" | b"strike" | b"strong" | b"sub" | b"sup" | b"time"
        | b"tspan" | b"u" | b"var" | b"wbr" => Kind::Inline,
        _ => Kind::Block,
    }
}

/// The byte after the `>` closing a tag, skipping quoted attribute values.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut after_equals = false;
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'>' => return i + 1,
            b'=' => after_equals = true,
            quote @ (b'"' | b'\'') if after_equals => {
                i = find(b, i + 1, &[quote]).unwrap_or(b.len());
                after_equals = false;
            }
            c if c.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    b.len()
}

/// The byte after the end tag that closes the element `name` opened before `from`.
fn raw_end(b: &[u8], name: &[u8], from: usize, nests: bool) -> usize {
    let mut depth = 1;
    let mut i = from;
    while let Some(lt) = find(b, i, b"<") {
        if b.get(lt + 1) == Some(&b'/') && is_name_at(b, lt + 2, name) {
            i = tag_end(b, lt + 2);
            depth -= 1;
            if depth == 0 {
                return i;
            }
        } else if nests && is_name_at(b, lt + 1, name) {
            depth += 1;
            i = tag_end(b, lt + 1);
        } else {
            i = lt + 1;
        }
    }
    b.len()
}

fn is_name_at(b: &[u8], at: usize, name: &[u8]) -> bool {
    b.get(at..at + name.len())
        .is_some_and(|found| found.eq_ignore_ascii_case(name))
        && !b
            .get(at + name.len())
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = b.get(from..)?;
    if let [byte] = needle {
        return hay.iter().position(|c| c == byte).map(|i| from + i);
    }
    hay.windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// Decode the entity at the start of `s` (`&...;`): the character it stands for and its length.
fn entity(s: &str) -> Option<(char, usize)> {
    let semicolon = s.bytes().take(34).position(|b| b == b';')?;
    let body = &s[1..semicolon];
    let ch = if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => number.parse(),
        };
        char::from_u32(code.ok()?)?
    } else {
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        named_entity(body)
    };
    Some((ch, semicolon + 1))
}

fn named_entity(name: &str) -> char {
    match name {
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "nbsp" => NBSP,
        "thinsp" => '\u{2009}',
        "laquo" => '«',
        "raquo" => '»',
        "bdquo" => '„',
        "ldquo" => '“',
        "rdquo" => '”',
        "ndash" => '–',
        "mdash" => '—',
        "minus" => '−',
        "hellip" => '…',
        _ => OBJECT,
    }
}

fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{c}' | NBSP | NARROW_NBSP | '\u{2009}'
    )
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—')
}

/// A character the rules do not start at: copied along with its run.
fn is_plain(c: char, russian: bool) -> bool {
    let special = matches!(c, TAG | '.') || c.is_ascii_alphabetic();
    let russian_special =
        c.is_ascii_digit() || is_space(c) || is_dash(c) || matches!(c, '"' | '«' | '„' | '»' | '“');
    !(special || (russian && russian_special))
}

/// Which spaced dash a dash token is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Dash {
    /// Opens the block: dialogue.
    Dialogue,
    /// Between words.
    Spaced,
}

/// How a number's digits are separated.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Grouping {
    /// An unseparated run of 5 to 9 digits.
    Split,
    /// A short group followed by this many space-separated groups of three.
    Join(usize),
}

/// A short word read from the units, lower-cased and UTF-8 encoded.
#[derive(Debug)]
struct Word {
    bytes: [u8; 32],
    len: usize,
}

impl Word {
    /// The word spelled by `units` (at most 8 letters, so it always fits).
    fn new(units: &[Unit]) -> Word {
        let mut word = Word {
            bytes: [0; 32],
            len: 0,
        };
        for unit in units.iter().take(8) {
            word.len += lower(unit.ch)
                .encode_utf8(&mut word.bytes[word.len..])
                .len();
        }
        word
    }

    /// Which rule list the word belongs to.
    fn kind(&self) -> Option<WordKind> {
        let word = std::str::from_utf8(&self.bytes[..self.len]).ok()?;
        match word {
            "а" | "в" | "и" | "к" | "о" | "с" | "у" | "я" | "во" | "до" | "за" | "из" | "ко"
            | "на" | "не" | "ни" | "но" | "об" | "от" | "по" | "со" | "без" | "для" | "изо"
            | "над" | "обо" | "под" | "при" | "про" => Some(WordKind::BindsNext),
            "б" | "ж" | "бы" | "же" | "ли" | "ль" => Some(WordKind::BindsPrevious),
            "руб" | "р" | "коп" | "тыс" | "млн" | "млрд" | "трлн" | "г" | "гг" | "год" | "года"
            | "году" | "лет" | "мес" | "месяц" | "месяца" | "месяцев" | "нед" | "недели"
            | "недель" | "дн" | "день" | "дня" | "дней" | "ч" | "час" | "часа" | "часов"
            | "мин" | "минут" | "минуты" | "сек" | "км" | "м" | "см" | "мм" | "кг" | "т" | "л"
            | "шт" | "чел" | "человек" => Some(WordKind::Unit),
            _ => None,
        }
    }

    /// Prepositions that also bind after a hyphen: из-за, из-под.
    fn binds_after_hyphen(&self) -> bool {
        let word = &self.bytes[..self.len];
        word == "за".as_bytes() || word == "под".as_bytes()
    }
}

/// The word lists of the no-break space rules (lower case, whole words).
#[derive(Debug, Clone, Copy, PartialEq)]
enum WordKind {
    /// Short prepositions, conjunctions and particles bound to the next word.
    BindsNext,
    /// Particles bound to the previous word.
    BindsPrevious,
    /// Units and currencies after a number (a dot may follow).
    Unit,
}

/// `char::is_alphabetic`, fast for ASCII and Cyrillic (the std tables are slow for them).
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{400}'..='\u{481}' | '\u{48a}'..='\u{52f}' => true,
        '\0'..='\u{7f}' => false,
        _ => c.is_alphabetic(),
    }
}

/// A letter or a digit.
fn is_word_char(c: char) -> bool {
    c.is_ascii_digit() || is_letter(c) || (!c.is_ascii() && c.is_numeric())
}

/// Lower case of one letter, fast for ASCII and Russian.
fn lower(c: char) -> char {
    match c {
        'А'..='Я' => char::from_u32(u32::from(c) + 0x20).unwrap_or(c),
        'Ѐ'..='Џ' => char::from_u32(u32::from(c) + 0x50).unwrap_or(c),
        'а'..='я' | 'ѐ'..='џ' => c,
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// The rules applied to one block's units, writing the polished block to `out`.
struct Block<'a> {
    src: &'a str,
    units: &'a [Unit],
    end: usize,
    out: &'a mut String,
    /// Source offset up to which the block has been written.
    copied: usize,
    /// Quote nesting depth.
    depth: u32,
    /// The last visible character written (after replacement), for quotes.
    last: Option<char>,
    russian: bool,
}

impl Block<'_> {
    fn polish(mut self) {
        let mut i = 0;
        while i < self.units.len() {
            i = self.step(i);
        }
        self.copy_to(self.end);
    }

    /// Apply the rule that starts at unit `i`; returns the next unit to look at.
    fn step(&mut self, i: usize) -> usize {
        let c = self.ch(i);
        let next = match c {
            TAG => return i + 1,
            'a'..='z' | 'A'..='Z' => self.latin_word(i),
            '.' => self.dots(i),
            _ if !self.russian => self.scan(i + 1, |c| is_plain(c, false)),
            '"' => return self.quote(i),
            '-' | '–' | '—' => self.dash(i),
            '0'..='9' => self.number(i),
            c if is_space(c) => self.space(i),
            '«' | '„' => {
                self.depth += 1;
                i + 1
            }
            '»' | '“' => {
                self.depth = self.depth.saturating_sub(1);
                i + 1
            }
            _ => self.scan(i + 1, |c| is_plain(c, true)),
        };
        self.last = Some(self.ch(next - 1));
        next
    }

    fn ch(&self, i: usize) -> char {
        self.units[i].ch
    }

    fn start(&self, i: usize) -> usize {
        self.units.get(i).map_or(self.end, |u| u.start)
    }

    /// The first unit from `i` on for which `keep` is false (or the end).
    fn scan(&self, i: usize, keep: impl Fn(char) -> bool) -> usize {
        let rest = &self.units[i.min(self.units.len())..];
        rest.iter()
            .position(|u| !keep(u.ch))
            .map_or(self.units.len(), |k| i + k)
    }

    fn prev_visible(&self, i: usize) -> Option<usize> {
        self.units[..i].iter().rposition(|u| u.ch != TAG)
    }

    fn next_visible(&self, i: usize) -> Option<usize> {
        let k = self.units.get(i..)?.iter().position(|u| u.ch != TAG)?;
        Some(i + k)
    }

    fn prev_word_char(&self, i: usize) -> Option<usize> {
        self.units[..i]
            .iter()
            .rposition(|u| u.ch != TAG && !is_space(u.ch))
    }

    fn next_word_char(&self, i: usize) -> Option<usize> {
        let rest = self.units.get(i..)?;
        Some(i + rest.iter().position(|u| u.ch != TAG && !is_space(u.ch))?)
    }

    fn copy_to(&mut self, at: usize) {
        self.out.push_str(&self.src[self.copied..at]);
        self.copied = at;
    }

    /// Write `with` in place of the units in `range`.
    fn replace(&mut self, range: Range<usize>, with: char) {
        self.copy_to(self.start(range.start));
        self.out.push(with);
        self.copied = self.start(range.end);
    }

    /// Write `c` before unit `at`.
    fn insert(&mut self, at: usize, c: char) {
        self.copy_to(self.start(at));
        self.out.push(c);
    }

    /// A Latin word, or a whole URL when the word is its scheme (kept verbatim).
    fn latin_word(&self, i: usize) -> usize {
        let end = self.scan(i, |c| c.is_ascii_alphanumeric());
        if !self.is_url_start(i, end) {
            return end;
        }
        self.scan(end, |c| {
            !(is_space(c)
                || matches!(
                    c,
                    TAG | OBJECT | '"' | '«' | '»' | '“' | '”' | '„' | '<' | '>'
                ))
        })
    }

    fn is_url_start(&self, i: usize, end: usize) -> bool {
        let followed_by = |text: &str| {
            text.chars()
                .enumerate()
                .all(|(k, c)| self.units.get(end + k).is_some_and(|u| u.ch == c))
        };
        let word_is = |word: &str| {
            end - i == word.len()
                && self.units[i..end]
                    .iter()
                    .zip(word.chars())
                    .all(|(u, c)| u.ch.eq_ignore_ascii_case(&c))
        };
        followed_by("://")
            || (word_is("www") && followed_by("."))
            || (word_is("mailto") && followed_by(":"))
    }

    fn dots(&mut self, i: usize) -> usize {
        let end = self.scan(i, |c| c == '.');
        if end - i == 3 {
            self.replace(i..end, '…');
        }
        end
    }

    fn quote(&mut self, i: usize) -> usize {
        let before_space = self
            .next_visible(i + 1)
            .is_none_or(|n| is_space(self.ch(n)));
        let opens = !before_space
            && self
                .last
                .is_none_or(|c| is_space(c) || QUOTE_OPENERS.contains(&c));
        let mark = if opens {
            self.depth += 1;
            Some(if self.depth == 1 { '«' } else { '„' })
        } else if self.depth > 0 {
            self.depth -= 1;
            Some(if self.depth == 0 { '»' } else { '“' })
        } else {
            None
        };
        if let Some(mark) = mark {
            self.replace(i..i + 1, mark);
        }
        self.last = Some(mark.unwrap_or('"'));
        i + 1
    }

    fn dash(&mut self, i: usize) -> usize {
        let end = self.dash_end(i);
        let already = end == i + 1 && self.ch(i) == '—';
        if !already && self.dash_kind(i, end).is_some() {
            self.replace(i..end, '—');
        }
        end
    }

    fn dash_end(&self, i: usize) -> usize {
        if self.ch(i) == '-' {
            self.scan(i, |c| c == '-')
        } else {
            i + 1
        }
    }

    /// Whether the dash token `i..end` is a spaced dash, and which.
    fn dash_kind(&self, i: usize, end: usize) -> Option<Dash> {
        let after = self.next_visible(end)?;
        if end - i > 3 || !is_space(self.ch(after)) {
            return None;
        }
        let Some(before) = self.prev_word_char(i) else {
            return Some(Dash::Dialogue);
        };
        let spaced = self.prev_visible(i).is_some_and(|p| is_space(self.ch(p)));
        let between_numbers = self.ch(before).is_ascii_digit()
            && self
                .next_word_char(after)
                .is_some_and(|n| self.ch(n).is_ascii_digit());
        (spaced && !between_numbers).then_some(Dash::Spaced)
    }

    fn space(&mut self, i: usize) -> usize {
        let end = self.scan(i, is_space);
        if let Some(target) = self.space_kind(i, end)
            && !(end == i + 1 && self.ch(i) == target)
        {
            self.replace(i..end, target);
        }
        end
    }

    /// The character the spaces `i..end` become, if a rule binds their neighbours.
    fn space_kind(&self, i: usize, end: usize) -> Option<char> {
        let p = self.prev_visible(i)?;
        let n = self.next_visible(end)?;
        let (before, after) = (self.ch(p), self.ch(n));
        if is_space(before) || is_space(after) {
            return None;
        }
        let binds = (is_dash(after) && self.dash_kind(n, self.dash_end(n)) == Some(Dash::Spaced))
            || (is_dash(before) && self.is_dialogue_dash_end(p))
            || (before.is_ascii_digit() && self.is_unit_at(n))
            || (is_letter(before) && (self.binds_next(p) || self.binds_previous(n)))
            || (NUMBER_SIGNS.contains(&before) && after.is_ascii_digit());
        binds.then_some(NBSP)
    }

    fn is_dialogue_dash_end(&self, p: usize) -> bool {
        let mut start = p;
        while start > 0 && self.ch(p) == '-' && self.ch(start - 1) == '-' {
            start -= 1;
        }
        self.dash_kind(start, p + 1) == Some(Dash::Dialogue)
    }

    /// Whether the word ending at unit `p` is a short word bound to the next one.
    fn binds_next(&self, p: usize) -> bool {
        let letters = self.units[..=p]
            .iter()
            .rev()
            .take(4)
            .take_while(|u| is_letter(u.ch))
            .count();
        if letters > 3 {
            return false;
        }
        let start = p + 1 - letters;
        let word = Word::new(&self.units[start..=p]);
        if word.kind() != Some(WordKind::BindsNext) {
            return false;
        }
        match self.prev_visible(start).map(|b| self.ch(b)) {
            // из-за, из-под
            Some('-') => word.binds_after_hyphen(),
            Some(c) => !is_word_char(c),
            None => true,
        }
    }

    fn binds_previous(&self, n: usize) -> bool {
        self.word_at(n, 2)
            .is_some_and(|word| word.kind() == Some(WordKind::BindsPrevious))
    }

    fn is_unit_at(&self, n: usize) -> bool {
        UNIT_SIGNS.contains(&self.ch(n))
            || self
                .word_at(n, 7)
                .is_some_and(|word| word.kind() == Some(WordKind::Unit))
    }

    /// The whole word of at most `max` letters starting at unit `n`, lower-cased.
    fn word_at(&self, n: usize, max: usize) -> Option<Word> {
        let limit = (n + max + 1).min(self.units.len());
        let end = self.units[n..limit]
            .iter()
            .position(|u| !is_letter(u.ch))
            .map_or(limit, |k| n + k);
        if end == n || end - n > max {
            return None;
        }
        if self
            .next_visible(end)
            .is_some_and(|k| is_word_char(self.ch(k)))
        {
            return None;
        }
        Some(Word::new(&self.units[n..end]))
    }

    fn number(&mut self, i: usize) -> usize {
        let end = self.scan(i, |c| c.is_ascii_digit());
        match self.grouping(i, end) {
            Some(Grouping::Split) => {
                let first = match (end - i) % 3 {
                    0 => 3,
                    rest => rest,
                };
                for at in (i + first..end).step_by(3) {
                    self.insert(at, NARROW_NBSP);
                }
                end
            }
            Some(Grouping::Join(groups)) => {
                for separator in (end..end + 4 * groups).step_by(4) {
                    if self.ch(separator) != NARROW_NBSP {
                        self.replace(separator..separator + 1, NARROW_NBSP);
                    }
                }
                end + 4 * groups
            }
            None => end,
        }
    }

    /// How the digits `i..end` (and the groups after them) should be separated.
    fn grouping(&self, i: usize, end: usize) -> Option<Grouping> {
        let len = end - i;
        if self.ch(i) == '0' || !self.number_may_start(i) {
            return None;
        }
        if (5..=9).contains(&len) {
            // `30000 123` is ambiguous: splitting would make it read as one number.
            let split = self.number_may_end(end) && !self.is_group_at(end);
            return split.then_some(Grouping::Split);
        }
        if len > 3 {
            return None;
        }
        let mut groups = 0;
        while self.is_group_at(end + 4 * groups) {
            groups += 1;
        }
        while groups > 0 && !self.number_may_end(end + 4 * groups) {
            groups -= 1;
        }
        (groups > 0).then_some(Grouping::Join(groups))
    }

    /// Whether a single space and exactly three digits start at unit `at`.
    fn is_group_at(&self, at: usize) -> bool {
        let Some(group) = self.units.get(at..at + 4) else {
            return false;
        };
        matches!(group[0].ch, ' ' | NBSP | NARROW_NBSP | '\u{2009}')
            && group[1..].iter().all(|u| u.ch.is_ascii_digit())
            && !self
                .units
                .get(at + 4)
                .is_some_and(|u| u.ch.is_ascii_digit())
    }

    fn number_may_start(&self, i: usize) -> bool {
        let Some(p) = self.prev_visible(i) else {
            return true;
        };
        if !is_space(self.ch(p)) {
            return NUMBER_OPENERS.contains(&self.ch(p));
        }
        let Some(q) = self.prev_word_char(p) else {
            return true;
        };
        let c = self.ch(q);
        !(c.is_ascii_digit() || matches!(c, '№' | '§' | '#') || self.is_acronym_end(q))
    }

    fn number_may_end(&self, end: usize) -> bool {
        let Some(n) = self.next_visible(end) else {
            return true;
        };
        let c = self.ch(n);
        let after = self.next_visible(n + 1).map(|a| self.ch(a));
        match c {
            '.' | ':' => !after.is_some_and(is_word_char),
            ',' => !after.is_some_and(is_letter),
            _ => is_space(c) || NUMBER_CLOSERS.contains(&c),
        }
    }

    /// Whether unit `q` ends an upper-case word of two or more letters (`ISO`, `ГОСТ`).
    fn is_acronym_end(&self, q: usize) -> bool {
        let letters = self.units[..=q]
            .iter()
            .rev()
            .take_while(|u| is_letter(u.ch))
            .map(|u| u.ch.is_uppercase())
            .try_fold(0, |count, upper| upper.then_some(count + 1));
        letters.is_some_and(|count| count >= 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru() -> Options {
        Options::default()
    }

    fn en() -> Options {
        Options {
            language: Language::En,
            enabled: true,
        }
    }

    /// Check a before/after pair, and that the output is a fixed point.
    #[track_caller]
    fn check_with(options: &Options, input: &str, expected: &str) {
        let once = polish_html(input, options);
        assert_eq!(once, expected, "input: {input:?}");
        assert_eq!(
            polish_html(&once, options),
            once,
            "not idempotent: {input:?}"
        );
    }

    #[track_caller]
    fn check(input: &str, expected: &str) {
        check_with(&ru(), input, expected);
    }

    #[track_caller]
    fn unchanged(input: &str) {
        check(input, input);
    }

    #[test]
    fn quotes_become_guillemets() {
        check("<p>\"слово\"</p>", "<p>«слово»</p>");
        check("<p>&quot;слово&quot;</p>", "<p>«слово»</p>");
        check("<p>Он сказал \"да\".</p>", "<p>Он сказал «да».</p>");
        check("<p>(\"x\")</p>", "<p>(«x»)</p>");
    }

    #[test]
    fn nested_quotes_become_lapki() {
        check(
            "<p>\"Он сказал: \"привет\"\"</p>",
            "<p>«Он сказал: „привет“»</p>",
        );
        check(
            "<p>&quot;Он сказал: &quot;привет&quot;&quot;</p>",
            "<p>«Он сказал: „привет“»</p>",
        );
        check("<p>«Книга \"Война\"»</p>", "<p>«Книга „Война“»</p>");
    }

    #[test]
    fn quotes_span_inline_tags() {
        check("<p>\"<em>слово</em>\"</p>", "<p>«<em>слово</em>»</p>");
        check("<p>\"<code>x</code>\" и</p>", "<p>«<code>x</code>» и</p>");
    }

    #[test]
    fn unbalanced_quotes_reset_at_block_end() {
        check(
            "<p>\"нет конца</p><p>\"да\"</p>",
            "<p>«нет конца</p><p>«да»</p>",
        );
        check("<p>12\" дюймов</p>", "<p>12\" дюймов</p>");
        check("<li>стоп\"</li>", "<li>стоп\"</li>");
    }

    #[test]
    fn apostrophes_stay() {
        check("<p>O'Reilly и 'так'</p>", "<p>O'Reilly и\u{a0}'так'</p>");
        unchanged("<p>рок-н-ролл'а</p>");
    }

    #[test]
    fn spaced_dashes_become_em_dashes() {
        check("<p>Москва - столица</p>", "<p>Москва\u{a0}— столица</p>");
        check("<p>Москва -- столица</p>", "<p>Москва\u{a0}— столица</p>");
        check("<p>Москва – столица</p>", "<p>Москва\u{a0}— столица</p>");
        check("<p>Москва — столица</p>", "<p>Москва\u{a0}— столица</p>");
        check(
            "<p><em>слово</em> - слово</p>",
            "<p><em>слово</em>\u{a0}— слово</p>",
        );
        check(
            "<p>слово <em>- слово</em></p>",
            "<p>слово\u{a0}<em>— слово</em></p>",
        );
    }

    #[test]
    fn dashes_after_short_words_and_before_quotes() {
        check("<p>а - б</p>", "<p>а\u{a0}— б</p>");
        check("<p>Ответ - \"нет\"</p>", "<p>Ответ\u{a0}— «нет»</p>");
        check("<p>Итог: 5 -- 3</p>", "<p>Итог: 5 -- 3</p>");
    }

    #[test]
    fn line_breaks_do_not_end_the_block() {
        check(
            "<p>\"Строка<br>\n\"вторая\"\"</p>",
            "<p>«Строка<br>\n„вторая“»</p>",
        );
    }

    #[test]
    fn dialogue_dash() {
        check("<p>- Привет!</p>", "<p>—\u{a0}Привет!</p>");
        check(
            "<p>— Привет, - сказал он.</p>",
            "<p>—\u{a0}Привет,\u{a0}— сказал он.</p>",
        );
    }

    #[test]
    fn hyphens_and_ranges_stay() {
        unchanged("<p>аккаунт-менеджер</p>");
        unchanged("<p>2020-11-04</p>");
        check(
            "<p>24 000–100 000</p>",
            "<p>24\u{202f}000–100\u{202f}000</p>",
        );
        unchanged("<p>5 - 3 = 2</p>");
        unchanged("<p>+-5</p>");
        unchanged("<p>-5 градусов</p>");
        unchanged("<p>--verbose</p>");
        unchanged("<p>a ---- b</p>");
    }

    #[test]
    fn short_words_bind_to_the_next() {
        check("<p>В офисе</p>", "<p>В\u{a0}офисе</p>");
        check("<p>и в офисе</p>", "<p>и\u{a0}в\u{a0}офисе</p>");
        check("<p>работа на складе</p>", "<p>работа на\u{a0}складе</p>");
        check("<p>НЕ ДЛЯ всех</p>", "<p>НЕ\u{a0}ДЛЯ\u{a0}всех</p>");
        check("<p>вна рука</p>", "<p>вна рука</p>");
        check("<p>из-за угла</p>", "<p>из-за\u{a0}угла</p>");
        check("<p>кто-то на</p>", "<p>кто-то на</p>");
        check("<p>в\nофисе</p>", "<p>в\u{a0}офисе</p>");
        check("<p>в  офисе</p>", "<p>в\u{a0}офисе</p>");
        check("<p>в&nbsp;офисе</p>", "<p>в&nbsp;офисе</p>");
        check("<p>c a b</p>", "<p>c a b</p>");
    }

    #[test]
    fn short_words_bind_across_tags() {
        check("<p>в <em>офисе</em></p>", "<p>в\u{a0}<em>офисе</em></p>");
        check("<p><em>в</em> офисе</p>", "<p><em>в</em>\u{a0}офисе</p>");
        check(
            "<p>в <code>main.rs</code></p>",
            "<p>в\u{a0}<code>main.rs</code></p>",
        );
        check("<p>сло<em>в</em> офисе</p>", "<p>сло<em>в</em> офисе</p>");
        check("<p>в</p><p>офисе</p>", "<p>в</p><p>офисе</p>");
        check("<p>в </p>", "<p>в </p>");
    }

    #[test]
    fn particles_bind_to_the_previous_word() {
        check("<p>Он же сказал</p>", "<p>Он\u{a0}же сказал</p>");
        check("<p>Так ли это</p>", "<p>Так\u{a0}ли это</p>");
        check("<p>если бы.</p>", "<p>если\u{a0}бы.</p>");
        check("<p>Он жесть</p>", "<p>Он жесть</p>");
    }

    #[test]
    fn numbers_bind_to_units() {
        check("<p>30 000 ₽</p>", "<p>30\u{202f}000\u{a0}₽</p>");
        check("<p>5 %</p>", "<p>5\u{a0}%</p>");
        check(
            "<p>10 кг и 2 млн</p>",
            "<p>10\u{a0}кг и\u{a0}2\u{a0}млн</p>",
        );
        check("<p>2020 г.</p>", "<p>2020\u{a0}г.</p>");
        check("<p>5 лет</p>", "<p>5\u{a0}лет</p>");
        check("<p>100 руб.</p>", "<p>100\u{a0}руб.</p>");
        check("<p>5 годами</p>", "<p>5 годами</p>");
        check("<p>№ 5 и § 3</p>", "<p>№\u{a0}5 и\u{a0}§\u{a0}3</p>");
        check("<p>$ 100</p>", "<p>$\u{a0}100</p>");
    }

    #[test]
    fn thousands_are_grouped() {
        check("<p>1500000</p>", "<p>1\u{202f}500\u{202f}000</p>");
        check("<p>30000</p>", "<p>30\u{202f}000</p>");
        check("<p>1 500 000</p>", "<p>1\u{202f}500\u{202f}000</p>");
        check(
            "<p>от 30000 до 50000.</p>",
            "<p>от\u{a0}30\u{202f}000 до\u{a0}50\u{202f}000.</p>",
        );
        check("<p>12345,67</p>", "<p>12\u{202f}345,67</p>");
        check("<p>(100 000)</p>", "<p>(100\u{202f}000)</p>");
        check(
            "<p>в 2020 году 100 000 человек</p>",
            "<p>в\u{a0}2020\u{a0}году 100\u{202f}000\u{a0}человек</p>",
        );
    }

    #[test]
    fn codes_and_dates_are_not_grouped() {
        check(
            "<p>в 2020 году 100 человек</p>",
            "<p>в\u{a0}2020\u{a0}году 100\u{a0}человек</p>",
        );
        unchanged("<p>5000</p>");
        unchanged("<p>v1.2.3</p>");
        unchanged("<p>ISO 8601, ISO 27001</p>");
        unchanged("<p>id12345</p>");
        unchanged("<p>12:30, 123456:7</p>");
        unchanged("<p>04.11.2020</p>");
        unchanged("<p>012345</p>");
        unchanged("<p>1234567890</p>");
        unchanged("<p>+79161234567</p>");
        unchanged("<p>12345-67</p>");
        unchanged("<p>10 20 300</p>");
        unchanged("<p>1,500,000</p>");
        unchanged("<p>1234 567</p>");
        unchanged("<p>30000 123</p>");
        unchanged("<p>12345.6</p>");
        check("<p>№ 12345</p>", "<p>№\u{a0}12345</p>");
        // A known limitation, documented: grouped phones are partly joined.
        check(
            "<p>8 800 555 35 35</p>",
            "<p>8\u{202f}800\u{202f}555 35 35</p>",
        );
        check("<p>1 500,5</p>", "<p>1\u{202f}500,5</p>");
    }

    #[test]
    fn ellipsis() {
        check("<p>Ну...</p>", "<p>Ну…</p>");
        check("<p>Ну...да</p>", "<p>Ну…да</p>");
        unchanged("<p>Что?.. Ну....</p>");
        check_with(
            &en(),
            "<p>Well... \"no\" - x</p>",
            "<p>Well… \"no\" - x</p>",
        );
    }

    #[test]
    fn code_is_untouched() {
        unchanged("<pre><code>\"x\" - y ... в 30000</code></pre>");
        unchanged("<p><code>\"x\" - y ... в</code></p>");
        check(
            "<p><kbd>Ctrl</kbd>...<samp>\"a\" ...</samp></p>",
            "<p><kbd>Ctrl</kbd>…<samp>\"a\" ...</samp></p>",
        );
        unchanged("<p><kbd><kbd>\"</kbd> - <kbd>...</kbd></kbd></p>");
        unchanged("<script>if (a - b > 0) { x = \"в ...\"; }</script>");
        unchanged("<style>a::before { content: \"...\" }</style>");
        unchanged("<textarea>\"x\" ...</textarea>");
        unchanged("<pre>\"a\" <pre>b</pre> ...</pre>");
        check(
            "<pre>x</pre><p>\"y\"</p><code>\"</code>",
            "<pre>x</pre><p>«y»</p><code>\"</code>",
        );
    }

    #[test]
    fn attributes_and_comments_are_untouched() {
        check(
            "<a href=\"https://a.b/c...d\">в \"тексте\"</a>",
            "<a href=\"https://a.b/c...d\">в\u{a0}«тексте»</a>",
        );
        unchanged("<img alt=\"в &quot;дом&quot; - ...\" title='в \"x\"'>");
        unchanged("<meta content=\"в 30000 - ...\">");
        unchanged("<!-- \"в\" - ... -->");
        check("<p data-x=\"a>b\">\"x\"</p>", "<p data-x=\"a>b\">«x»</p>");
        unchanged("<svg viewBox=\"0 0 10 10\"><path d=\"M 0 - 1 ...\"/></svg>");
        check(
            "<svg><text x=\"1\">\"x\"</text></svg>",
            "<svg><text x=\"1\">«x»</text></svg>",
        );
    }

    #[test]
    fn urls_in_text_are_untouched() {
        unchanged("<p>см. https://example.org/a--b...c</p>");
        unchanged("<p>www.example.org/a...b</p>");
        unchanged("<p>mailto:a...b@c.d</p>");
        check(
            "<p>\"https://x.org/a...\" - ссылка</p>",
            "<p>«https://x.org/a...»\u{a0}— ссылка</p>",
        );
    }

    #[test]
    fn entities_are_kept() {
        unchanged("<p>AT&amp;T &lt;b&gt; &copy; &#169;</p>");
        check("<p>&amp; - &lt;</p>", "<p>&amp;\u{a0}— &lt;</p>");
        check("<p>&#34;x&#x22;</p>", "<p>«x»</p>");
        unchanged("<p>a & b &; &unknown</p>");
    }

    #[test]
    fn malformed_markup_does_not_panic() {
        unchanged("<p>a < b");
        unchanged("<");
        unchanged("<p");
        unchanged("<code>\"never closed ...");
        unchanged("<!-- never closed \"x\"");
        unchanged("<a href=\"x");
        check("</code>\"x\"", "</code>«x»");
        check("", "");
    }

    #[test]
    fn block_tags_reset_context() {
        check("<p>в</p>\n<p>\"x\"</p>", "<p>в</p>\n<p>«x»</p>");
        check("<li>\"a</li><li>b\"</li>", "<li>«a</li><li>b\"</li>");
        check(
            "<title>\"Роли\" - обзор</title>",
            "<title>«Роли»\u{a0}— обзор</title>",
        );
    }

    #[test]
    fn full_page() {
        let page = "<!DOCTYPE html>\n<html lang=\"ru\"><head><title>О \"нас\"</title>\
            <script>var a = \"x\" - 1;</script></head><body>\
            <h1>Зарплата в 2024 году</h1><p>От 90000 до 150 000 ₽ - в Москве...</p>\
            <pre><code class=\"language-sh\">echo \"в\" -- 30000</code></pre></body></html>";
        let expected = "<!DOCTYPE html>\n<html lang=\"ru\"><head><title>О\u{a0}«нас»</title>\
            <script>var a = \"x\" - 1;</script></head><body>\
            <h1>Зарплата в\u{a0}2024\u{a0}году</h1><p>От\u{a0}90\u{202f}000 до\u{a0}150\u{202f}000\u{a0}₽\u{a0}— в\u{a0}Москве…</p>\
            <pre><code class=\"language-sh\">echo \"в\" -- 30000</code></pre></body></html>";
        check(page, expected);
    }

    #[test]
    fn plain_text() {
        let text = "\"Роль\" - это в 30000 ₽...\n\n- Да";
        let polished = polish_text(text, &ru());
        assert_eq!(
            polished,
            "«Роль»\u{a0}— это в\u{a0}30\u{202f}000\u{a0}₽…\n\n—\u{a0}Да"
        );
        assert_eq!(polish_text(&polished, &ru()), polished);
        assert_eq!(polish_text("a &quot; <b>", &ru()), "a &quot; <b>");
    }

    #[test]
    fn disabled_and_other_languages() {
        let off = Options {
            enabled: false,
            ..Options::default()
        };
        assert!(!off.is_active());
        assert_eq!(polish_html("<p>\"в\" ...</p>", &off), "<p>\"в\" ...</p>");
        check_with(&en(), "<p>in \"a\" - b</p>", "<p>in \"a\" - b</p>");
        check_with(
            &en(),
            "<p>a...<code>b...</code></p>",
            "<p>a…<code>b...</code></p>",
        );
    }

    #[test]
    fn language_codes() {
        assert_eq!(Language::from_code("ru"), Language::Ru);
        assert_eq!(Language::from_code("ru-RU"), Language::Ru);
        assert_eq!(Language::from_code("EN_us"), Language::En);
        assert_eq!(Language::from_code("de"), Language::Other);
    }

    /// A realistic generated page: prose with quotes, numbers, links, lists and code.
    fn sample_page(n: usize) -> String {
        let mut page = String::from(
            "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\">\
             <title>Аналитик данных</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\
             <body><nav class=\"menu\"><a href=\"/roles/\">Роли</a> <a href=\"/courses/\">Курсы</a></nav><main>\n",
        );
        for k in 0..n {
            page.push_str(&format!(
                "<h2 id=\"s{k}\">Раздел {k}: \"обязанности\" и задачи</h2>\n\
                 <p>Аналитик данных - это специалист, который работает с &quot;сырыми&quot; данными \
                 в <em>компании</em> и помогает принимать решения. Зарплата от 90000 до 150 000 ₽ \
                 в месяц, а в 2024 году спрос вырос на 25 %. Подробнее на \
                 <a href=\"https://example.org/a--b\">https://example.org/a--b</a>...</p>\n\
                 <ul><li>SQL и Python</li><li>Excel, Power BI - для отчётов</li></ul>\n\
                 <pre><code class=\"language-sql\">SELECT \"name\", count(*) FROM t -- в\nWHERE x > 30000;</code></pre>\n"
            ));
        }
        page.push_str("</main></body></html>\n");
        page
    }

    /// Polish `html` repeated to about 20 MB and print the throughput.
    fn measure(name: &str, html: &str) {
        let html = html.repeat(20 * 1024 * 1024 / html.len() + 1);
        let start = std::time::Instant::now();
        let polished = polish_html(&html, &ru());
        let seconds = start.elapsed().as_secs_f64();
        let megabytes = html.len() as f64 / 1e6;
        println!(
            "{name}: {megabytes:.1} MB in {seconds:.3} s, {:.0} MB/s",
            megabytes / seconds
        );
        assert!(polished.len() > html.len());
    }

    /// Throughput, run with
    /// `cargo test --release -- --ignored --nocapture --test-threads=1 throughput`.
    /// Measured on the development machine (one core of a 2-core VM): about
    /// 205 MB/s for the sample page and 180 MB/s for prose only.
    #[test]
    #[ignore = "benchmark; run in release mode"]
    fn throughput() {
        measure("sample page", &sample_page(40));
        let paragraph = "<p>Аналитик данных - это специалист, который работает с данными \
            в компании и помогает принимать решения на основе цифр. Он же строит отчёты, \
            ищет закономерности и объясняет их коллегам из бизнеса. Обычно у него есть опыт \
            от 2 лет, а зарплата составляет от 90000 до 150 000 ₽ в месяц.</p>\n";
        measure("prose only", paragraph);
    }

    #[test]
    fn sample_page_is_a_fixed_point() {
        let once = polish_html(&sample_page(2), &ru());
        assert_eq!(polish_html(&once, &ru()), once);
        assert!(once.contains("Аналитик данных\u{a0}— это"));
        assert!(once.contains("WHERE x > 30000;"));
    }
}
