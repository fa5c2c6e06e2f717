//! Markup and entities: where a tag ends and what it means for the prose around it.

use super::{NBSP, OBJECT};

/// How a piece of markup takes part in the text around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Role {
    /// An inline tag or comment: the text continues across it.
    Invisible,
    /// Inline code: a visible word the rules never enter.
    Visible,
    /// A block element tag or raw block: the text before and after are separate blocks.
    Boundary,
}

/// Classify the markup at `lt` and find its end; `None` when `<` is plain text.
#[inline]
pub(super) fn parse_markup(b: &[u8], lt: usize) -> Option<(Role, usize)> {
    let rest = &b[lt..];
    if matches!(rest.get(1), Some(b'!' | b'?')) {
        return Some(special_markup(b, lt));
    }
    let closing = rest.get(1) == Some(&b'/');
    let name_start = lt + 1 + usize::from(closing);
    if !b.get(name_start)?.is_ascii_alphabetic() {
        return None;
    }
    // The name, and its first eight bytes lower-cased for `element_kind`.
    let mut name_len = 0;
    let mut key = 0;
    for &c in &b[name_start..] {
        if !(c.is_ascii_alphanumeric() || c == b'-') {
            break;
        }
        if name_len < 8 {
            key |= u64::from(c.to_ascii_lowercase()) << (8 * name_len);
        }
        name_len += 1;
    }
    let name = &b[name_start..name_start + name_len];
    let name_end = name_start + name_len;
    // Most tags have no attributes: `<li>`, `</a>`.
    let end = if b.get(name_end) == Some(&b'>') {
        name_end + 1
    } else {
        tag_end(b, name_end)
    };
    let self_closing = b[..end].ends_with(b"/>");
    let role = match element_kind(key, name_len) {
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

/// A comment, CDATA section, doctype or processing instruction at `lt`.
fn special_markup(b: &[u8], lt: usize) -> (Role, usize) {
    let rest = &b[lt..];
    if rest.starts_with(b"<!--") {
        return (
            Role::Invisible,
            find(b, lt + 4, b"-->").map_or(b.len(), |i| i + 3),
        );
    }
    if rest.starts_with(b"<![CDATA[") {
        return (
            Role::Invisible,
            find(b, lt + 9, b"]]>").map_or(b.len(), |i| i + 3),
        );
    }
    (Role::Boundary, find(b, lt, b">").map_or(b.len(), |i| i + 1))
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

/// The kind of the element whose name is `len` bytes long and has the [`name_key`] `key`.
fn element_kind(key: u64, len: usize) -> Kind {
    if len > 8 {
        return Kind::Block;
    }
    let mut slot = element_slot(key);
    loop {
        match ELEMENT_TABLE[slot] {
            (found, kind) if found == key => return kind,
            (0, _) => return Kind::Block,
            _ => slot = (slot + 1) % ELEMENT_TABLE.len(),
        }
    }
}

/// An element name of at most eight bytes, lower-cased and packed into an integer.
const fn name_key(name: &[u8]) -> u64 {
    let mut key = 0;
    let mut k = 0;
    while k < name.len() {
        key |= (name[k].to_ascii_lowercase() as u64) << (8 * k);
        k += 1;
    }
    key
}

/// The elements that are not [`Kind::Block`].
const ELEMENTS: [(u64, Kind); 40] = [
    (name_key(b"code"), Kind::RawInline),
    (name_key(b"kbd"), Kind::RawInline),
    (name_key(b"samp"), Kind::RawInline),
    (name_key(b"math"), Kind::RawInline),
    (name_key(b"pre"), Kind::RawBlock(true)),
    (name_key(b"script"), Kind::RawBlock(false)),
    (name_key(b"style"), Kind::RawBlock(false)),
    (name_key(b"textarea"), Kind::RawBlock(false)),
    (name_key(b"a"), Kind::Inline),
    (name_key(b"abbr"), Kind::Inline),
    (name_key(b"b"), Kind::Inline),
    (name_key(b"bdi"), Kind::Inline),
    (name_key(b"bdo"), Kind::Inline),
    (name_key(b"big"), Kind::Inline),
    (name_key(b"br"), Kind::Inline),
    (name_key(b"cite"), Kind::Inline),
    (name_key(b"data"), Kind::Inline),
    (name_key(b"del"), Kind::Inline),
    (name_key(b"dfn"), Kind::Inline),
    (name_key(b"em"), Kind::Inline),
    (name_key(b"font"), Kind::Inline),
    (name_key(b"i"), Kind::Inline),
    (name_key(b"img"), Kind::Inline),
    (name_key(b"ins"), Kind::Inline),
    (name_key(b"label"), Kind::Inline),
    (name_key(b"mark"), Kind::Inline),
    (name_key(b"nobr"), Kind::Inline),
    (name_key(b"q"), Kind::Inline),
    (name_key(b"s"), Kind::Inline),
    (name_key(b"small"), Kind::Inline),
    (name_key(b"span"), Kind::Inline),
    (name_key(b"strike"), Kind::Inline),
    (name_key(b"strong"), Kind::Inline),
    (name_key(b"sub"), Kind::Inline),
    (name_key(b"sup"), Kind::Inline),
    (name_key(b"time"), Kind::Inline),
    (name_key(b"tspan"), Kind::Inline),
    (name_key(b"u"), Kind::Inline),
    (name_key(b"var"), Kind::Inline),
    (name_key(b"wbr"), Kind::Inline),
];

/// [`ELEMENTS`] as a hash table with linear probing; an empty slot has key 0.
const ELEMENT_TABLE: [(u64, Kind); 128] = element_table();

/// Where the probe for an element's key starts (Fibonacci hashing).
const fn element_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 57) as usize
}

const fn element_table() -> [(u64, Kind); 128] {
    let mut table = [(0, Kind::Block); 128];
    let mut k = 0;
    while k < ELEMENTS.len() {
        let mut slot = element_slot(ELEMENTS[k].0);
        while table[slot].0 != 0 {
            slot = (slot + 1) % 128;
        }
        table[slot] = ELEMENTS[k];
        k += 1;
    }
    table
}

/// The byte after the `>` closing a tag, skipping quoted attribute values.
fn tag_end(b: &[u8], from: usize) -> usize {
    // A quote opens a value only after `=` and spaces; any other byte, and
    // the end of a value, start the search for `=` afresh at `start`.
    let mut at = from;
    while let Some(k) = find_any(b, at, b">\"'") {
        if b[k] == b'>' {
            return k + 1;
        }
        let after_equals = b[at..k].iter().rev().find(|c| !c.is_ascii_whitespace()) == Some(&b'=');
        at = k + 1;
        if after_equals {
            let Some(close) = find_any(b, k + 1, &[b[k]]) else {
                return b.len();
            };
            at = close + 1;
        }
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
        return find_any(b, from, &[*byte]);
    }
    hay.windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// Decode the entity at the start of `s` (`&...;`): the character it stands for and its length.
pub(super) fn entity(s: &str) -> Option<(char, usize)> {
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

const ONES: u64 = 0x0101_0101_0101_0101;
pub(super) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that equals `byte`; exact up to the
/// first such byte (a borrow may mark bytes after it).
pub(super) fn equal_bytes(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGH_BITS
}

/// Eight bytes of `b` from `at`, if there are eight.
pub(super) fn word_at(b: &[u8], at: usize) -> Option<u64> {
    let chunk = b.get(at..at + 8)?;
    Some(u64::from_le_bytes(chunk.try_into().expect("eight bytes")))
}

/// The first byte from `from` on that is one of `needles`, eight bytes at a time.
#[inline(always)]
pub(super) fn find_any(b: &[u8], from: usize, needles: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(word) = word_at(b, at) {
        let found = needles
            .iter()
            .fold(0, |found, &needle| found | equal_bytes(word, needle));
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = b.get(at..)?;
    rest.iter()
        .position(|c| needles.contains(c))
        .map(|k| at + k)
}
