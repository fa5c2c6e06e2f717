//! One block of source text and the walk over its units.
//!
//! A block is a range of the source holding text, inline tags, inline code and
//! entities. Its units are its characters, except that each [`Atom`] is one
//! unit; a unit is named by the byte where it starts, so the rules step from
//! unit to unit over the source itself and no per-character list is built.
//! Plain text is skipped in bytes, and the spaces of plain prose are decided
//! from the bytes around them; the rules in `rules.rs` do the rest.

use std::cell::Cell;
use std::ops::Range;

use super::markup::{HIGH_BITS, equal_bytes, word_at};
use super::words::{Word, WordKind, is_letter, is_plain, is_space, is_word_char};
use super::{Atom, NBSP, Output, TAG};

/// Bytes where a run of plain text may end, for Russian: ASCII characters that
/// are not plain (see [`is_plain`]), the first byte of an atom (`<`, `&`) and
/// the lead bytes of the non-ASCII characters that are not plain (spaces,
/// dashes, quotes and [`TAG`] start with 0xC2, 0xE2 or 0xEF). The run stops
/// there only if the unit is really not plain.
const RUSSIAN_STOPS: [bool; 256] = stops(b".\"- \t\n\r\x0c0123456789", true);
/// The same for the other languages, whose rules start only at letters and dots.
const OTHER_STOPS: [bool; 256] = stops(b".", false);

const fn stops(ascii: &[u8], russian: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut k = 0;
    while k < ascii.len() {
        table[ascii[k] as usize] = true;
        k += 1;
    }
    let mut letter = 0;
    while letter < 26 {
        table[(b'a' + letter) as usize] = true;
        table[(b'A' + letter) as usize] = true;
        letter += 1;
    }
    table[b'<' as usize] = true;
    table[b'&' as usize] = true;
    table[0xef] = true;
    if russian {
        table[0xc2] = true;
        table[0xe2] = true;
    }
    table
}

/// The rules applied to one block, writing what they change to the output.
pub(super) struct Block<'a> {
    pub(super) src: &'a str,
    pub(super) bytes: &'a [u8],
    /// The block's first byte.
    pub(super) begin: usize,
    /// The byte after the block.
    pub(super) end: usize,
    pub(super) atoms: &'a [Atom],
    pub(super) russian: bool,
    /// Quote nesting depth.
    pub(super) depth: u32,
    /// The last quote seen and the mark it became (or `"`), for the quote after it.
    pub(super) last_quote: Option<(usize, char)>,
    /// The atom after the one last looked up.
    pub(super) atom_hint: Cell<usize>,
}

impl<'a> Block<'a> {
    pub(super) fn new(src: &'a str, range: Range<usize>, atoms: &'a [Atom], russian: bool) -> Self {
        Block {
            src,
            bytes: src.as_bytes(),
            begin: range.start,
            end: range.end,
            atoms,
            russian,
            depth: 0,
            last_quote: None,
            atom_hint: Cell::new(0),
        }
    }

    /// Run the rules over the block, from token to token.
    ///
    /// Plain text (see [`is_plain`]) is skipped in bytes, with tags, lone
    /// no-break spaces and one-byte spaces between Cyrillic words (see
    /// [`Block::simple_space`]) handled on the way; those tokens, in the
    /// general rules, would change the same or nothing and set no state.
    pub(super) fn polish(mut self, out: &mut Output) {
        // Only spaces: one space token that binds nothing.
        if self.bytes[self.begin..self.end]
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            return;
        }
        let stops = if self.russian {
            &RUSSIAN_STOPS
        } else {
            &OTHER_STOPS
        };
        let mut i = self.begin;
        while i < self.end {
            i = self.next_candidate(i);
            let rest = &self.bytes[i..self.end];
            let Some(k) = rest.iter().position(|&b| stops[usize::from(b)]) else {
                return;
            };
            i += k;
            if let Some(binds) = self.simple_space(i) {
                if binds {
                    out.replace(self.src, i, i + 1, NBSP);
                }
                i += 1;
                continue;
            }
            if self.russian && self.is_lone_nbsp(i) {
                i += 2;
                continue;
            }
            let (c, next) = self.unit(i);
            i = if c == TAG || is_plain(c, self.russian) {
                next
            } else {
                self.token(i, c, next, out)
            };
        }
    }

    /// The unit starting at byte `i`: its character and the byte after it.
    #[inline(always)]
    pub(super) fn unit(&self, i: usize) -> (char, usize) {
        let lead = self.bytes[i];
        if lead >= 0x80 {
            return self.wide_unit(i);
        }
        if lead == b'<' || lead == b'&' {
            return self.atom_unit(i);
        }
        (char::from(lead), i + 1)
    }

    /// The unit at `i`, which starts with `<` or `&`: an atom, or just that character.
    #[inline(never)]
    fn atom_unit(&self, i: usize) -> (char, usize) {
        // The rules mostly go forward: try the atom after the last one found.
        let hint = self.atom_hint.get();
        let found = match self.atoms.get(hint) {
            Some(atom) if atom.start == i => Ok(hint),
            _ => self.atoms.binary_search_by_key(&i, |a| a.start),
        };
        match found {
            Ok(k) => {
                self.atom_hint.set(k + 1);
                (self.atoms[k].ch, self.atoms[k].end)
            }
            Err(_) => (char::from(self.bytes[i]), i + 1),
        }
    }

    /// The non-ASCII character at `i`.
    #[inline(always)]
    fn wide_unit(&self, i: usize) -> (char, usize) {
        let b = self.bytes;
        let lead = u32::from(b[i]);
        let tail = |k: usize| u32::from(b[i + k] & 0x3f);
        let (code, len) = if lead < 0xe0 {
            (((lead & 0x1f) << 6) | tail(1), 2)
        } else if lead < 0xf0 {
            (((lead & 0x0f) << 12) | (tail(1) << 6) | tail(2), 3)
        } else {
            (
                ((lead & 0x07) << 18) | (tail(1) << 12) | (tail(2) << 6) | tail(3),
                4,
            )
        };
        let c = char::from_u32(code).expect("the source is valid UTF-8");
        (c, i + len)
    }

    #[inline(always)]
    pub(super) fn ch(&self, i: usize) -> char {
        self.unit(i).0
    }

    /// The unit before the one starting at `i`, if `i` is not the block's first.
    #[inline(always)]
    pub(super) fn prev(&self, i: usize) -> Option<usize> {
        if i <= self.begin {
            return None;
        }
        // An atom ends with `>` or `;`, or at the end of the source when unclosed.
        if !self.atoms.is_empty()
            && (i == self.bytes.len() || matches!(self.bytes[i - 1], b'>' | b';'))
            && let Ok(k) = self.atoms.binary_search_by_key(&i, |a| a.end)
        {
            return Some(self.atoms[k].start);
        }
        let mut start = i - 1;
        while self.bytes[start] & 0xc0 == 0x80 {
            start -= 1;
        }
        Some(start)
    }

    /// The first unit from `i` on for which `keep` is false (or the end), and
    /// how many units were kept.
    pub(super) fn scan(&self, mut i: usize, keep: impl Fn(char) -> bool) -> (usize, usize) {
        let mut count = 0;
        while i < self.end {
            let (c, next) = self.unit(i);
            if !keep(c) {
                break;
            }
            i = next;
            count += 1;
        }
        (i, count)
    }

    /// The first byte from `i` on that is ASCII or a stop's lead byte (0xC2,
    /// 0xE2, 0xEF), eight bytes at a time: Cyrillic prose is skipped in words.
    /// Near the end of the block, `i` itself.
    #[inline(always)]
    fn next_candidate(&self, mut i: usize) -> usize {
        while i + 8 <= self.end
            && let Some(word) = word_at(self.bytes, i)
        {
            let found = (!word & HIGH_BITS)
                | equal_bytes(word, 0xc2)
                | equal_bytes(word, 0xe2)
                | equal_bytes(word, 0xef);
            if found != 0 {
                return i + found.trailing_zeros() as usize / 8;
            }
            i += 8;
        }
        i
    }

    pub(super) fn prev_visible(&self, mut i: usize) -> Option<usize> {
        loop {
            i = self.prev(i)?;
            if self.ch(i) != TAG {
                return Some(i);
            }
        }
    }

    pub(super) fn next_visible(&self, mut i: usize) -> Option<usize> {
        while i < self.end {
            let (c, next) = self.unit(i);
            if c != TAG {
                return Some(i);
            }
            i = next;
        }
        None
    }

    pub(super) fn prev_word_char(&self, mut i: usize) -> Option<usize> {
        loop {
            i = self.prev(i)?;
            let c = self.ch(i);
            if c != TAG && !is_space(c) {
                return Some(i);
            }
        }
    }

    pub(super) fn next_word_char(&self, mut i: usize) -> Option<usize> {
        while i < self.end {
            let (c, next) = self.unit(i);
            if c != TAG && !is_space(c) {
                return Some(i);
            }
            i = next;
        }
        None
    }

    /// Whether the one-byte space at `i` becomes a no-break space, when that
    /// is plain from the bytes around it: the common case in prose, decided
    /// without the general rules. `None` means "not simple"; then
    /// [`Block::space_kind`] decides.
    ///
    /// Next to the space it reads only ASCII and Cyrillic letters
    /// U+0400..U+047F (two bytes, the first 0xD0 or 0xD1). No atom can end in
    /// such a byte unless it is `>` or `;`, nor start unless it is `<` or `&`,
    /// so each of them is a unit of its own.
    #[inline(always)]
    pub(super) fn simple_space(&self, i: usize) -> Option<bool> {
        let b = self.bytes;
        let end = i + 1;
        if !self.russian || i == self.begin || end >= self.end || !matches!(b[i], b' ' | b'\n') {
            return None;
        }
        // Four Cyrillic letters before and three after: nothing binds.
        if i >= self.begin + 8
            && end + 6 <= self.end
            && let (Some(before), Some(after)) = (word_at(b, i - 8), word_at(b, end))
            && before & 0x00fe_00fe_00fe_00fe == 0x00d0_00d0_00d0_00d0
            && after & 0x00fe_00fe_00fe == 0x00d0_00d0_00d0
        {
            return Some(false);
        }
        let after = b[end];
        let cyrillic_after = matches!(after, 0xd0 | 0xd1);
        // After: a Cyrillic letter, or something that is no letter (so no
        // particle), no space (so the spaces end here), no dash and no atom.
        let other_after = after.is_ascii_alphanumeric()
            || (after.is_ascii_punctuation() && !matches!(after, b'-' | b'<' | b'&'))
            || (after == 0xc2 && matches!(b[end + 1], 0xab | 0xbb));
        if !(cyrillic_after || other_after) {
            return None;
        }
        let before = b[i - 1];
        if before < 0x80 || (b[i - 2] == 0xc2 && matches!(before, 0xab | 0xbb)) {
            // Punctuation binds nothing, unless it is a dash or a sign, or
            // the end of an atom (which may hide anything).
            let plain = match before {
                b'-' | b'$' | b'>' => false,
                b';' => self.atoms.binary_search_by_key(&i, |a| a.end).is_err(),
                _ => before.is_ascii_punctuation() || before >= 0x80,
            };
            return plain.then_some(false);
        }
        let binds_next = self.simple_binds_next(i)?;
        if binds_next || !cyrillic_after {
            // A Latin word or a number after is no particle.
            return Some(binds_next);
        }
        self.simple_binds_previous(end)
    }

    /// Whether a no-break space starts at `i` and no other space follows: a
    /// space token no rule changes, since a rule could only make it what it is.
    /// Spaces start with ASCII whitespace, 0xC2 or 0xE2, or are entities.
    #[inline(always)]
    pub(super) fn is_lone_nbsp(&self, i: usize) -> bool {
        let b = self.bytes;
        b[i] == 0xc2
            && b[i + 1] == 0xa0
            && (i + 2 == self.end
                || !matches!(
                    b[i + 2],
                    b' ' | b'\t' | b'\n' | b'\r' | 0x0c | 0xc2 | 0xe2 | b'&'
                ))
    }

    /// [`Block::binds_next`] for the Cyrillic word ending at `i`, if its bounds are plain.
    fn simple_binds_next(&self, i: usize) -> Option<bool> {
        let b = self.bytes;
        let mut start = i;
        let mut letters = 0;
        while letters < 4 && start >= self.begin + 2 && matches!(b[start - 2], 0xd0 | 0xd1) {
            start -= 2;
            letters += 1;
        }
        match letters {
            0 => return None,
            4 => return Some(false),
            _ => {}
        }
        if start == self.begin {
            return Some(self.cyrillic_word(start, i).kind() == Some(WordKind::BindsNext));
        }
        // The unit before the word: no atom ends with a byte other than `>`
        // or `;`. If it is a letter, the word is longer; the rules look
        // through a tag (`\u{ffff}` may stand in the text too).
        let c = b[start - 1];
        let before = match c {
            b'>' | b';' => return None,
            0x80.. => self.ch(self.prev(start)?),
            _ => char::from(c),
        };
        if is_letter(before) || before == TAG {
            return None;
        }
        let binds = self.cyrillic_word(start, i).kind() == Some(WordKind::BindsNext);
        Some(match before {
            '-' => binds && self.cyrillic_word(start, i).binds_after_hyphen(),
            _ => binds && !is_word_char(before),
        })
    }

    /// [`Block::binds_previous`] for the Cyrillic word starting at `n`, if its bounds are plain.
    fn simple_binds_previous(&self, n: usize) -> Option<bool> {
        let b = self.bytes;
        let mut end = n;
        let mut letters = 0;
        while letters < 3 && end < self.end && matches!(b[end], 0xd0 | 0xd1) {
            end += 2;
            letters += 1;
        }
        if letters == 3 {
            return Some(false);
        }
        let particle = self.cyrillic_word(n, end).kind() == Some(WordKind::BindsPrevious);
        if end == self.end {
            return Some(particle);
        }
        // The unit after the word: no atom starts with a byte other than `<`
        // or `&`. If it is a letter, the word is longer; the rules look
        // through a tag.
        let after = match b[end] {
            b'<' | b'&' => return None,
            _ => self.ch(end),
        };
        if is_letter(after) || after == TAG {
            return None;
        }
        Some(particle && !is_word_char(after))
    }

    /// The word spelled by the two-byte Cyrillic letters `from..to`.
    fn cyrillic_word(&self, from: usize, to: usize) -> Word {
        self.bytes[from..to]
            .chunks_exact(2)
            .fold(Word::EMPTY, |word, pair| {
                let code = (u32::from(pair[0] & 0x1f) << 6) | u32::from(pair[1] & 0x3f);
                word.push(char::from_u32(code).expect("a Cyrillic letter"))
            })
    }
}
