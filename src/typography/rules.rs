//! The rules: what each token of a block becomes.

use super::block::Block;
use super::words::{
    NUMBER_CLOSERS, NUMBER_OPENERS, NUMBER_SIGNS, QUOTE_OPENERS, UNIT_SIGNS, Word, WordKind,
    is_dash, is_letter, is_space, is_word_char,
};
use super::{NARROW_NBSP, NBSP, OBJECT, Output, TAG};

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

impl Block<'_> {
    /// Apply the rule for the token that starts with `c` at unit `i` (the
    /// unit ends at `next`); returns where the token ends.
    pub(super) fn token(&mut self, i: usize, c: char, next: usize, out: &mut Output) -> usize {
        match c {
            'a'..='z' | 'A'..='Z' => self.latin_word(i),
            '.' => self.dots(i, out),
            '"' => self.quote(i, next, out),
            '-' | '–' | '—' => self.dash(i, out),
            '0'..='9' => self.number(i, out),
            c if is_space(c) => self.space(i, out),
            '«' | '„' => {
                self.depth += 1;
                next
            }
            '»' | '“' => {
                self.depth = self.depth.saturating_sub(1);
                next
            }
            _ => unreachable!("only units that are not plain start a token"),
        }
    }

    /// A Latin word, or a whole URL when the word is its scheme (kept verbatim).
    fn latin_word(&self, i: usize) -> usize {
        // In bytes, unless an entity may go on with the word or be the `:` or
        // `.` of a URL: the word ends at a byte that is not `:`, `.` or `&`.
        let bytes = &self.bytes[i..self.end];
        let len = bytes
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len());
        if !matches!(bytes.get(len), Some(b':' | b'.' | b'&')) {
            return i + len;
        }
        let (end, letters) = self.scan(i, |c| c.is_ascii_alphanumeric());
        if !self.is_url_start(i, end, letters) {
            return end;
        }
        let (url_end, _) = self.scan(end, |c| {
            !(is_space(c)
                || matches!(
                    c,
                    TAG | OBJECT | '"' | '«' | '»' | '“' | '”' | '„' | '<' | '>'
                ))
        });
        url_end
    }

    fn is_url_start(&self, i: usize, end: usize, letters: usize) -> bool {
        let followed_by = |text: &str| {
            let mut at = end;
            text.chars().all(|c| {
                if at >= self.end {
                    return false;
                }
                let (found, next) = self.unit(at);
                at = next;
                found == c
            })
        };
        let word_is = |word: &str| {
            let mut at = i;
            letters == word.len()
                && word.chars().all(|c| {
                    let (found, next) = self.unit(at);
                    at = next;
                    found.eq_ignore_ascii_case(&c)
                })
        };
        followed_by("://")
            || (word_is("www") && followed_by("."))
            || (word_is("mailto") && followed_by(":"))
    }

    fn dots(&self, i: usize, out: &mut Output) -> usize {
        let bytes = &self.bytes[i..self.end];
        let len = bytes.iter().position(|&b| b != b'.').unwrap_or(bytes.len());
        // In bytes, unless an entity (`&#46;`) may go on with the dots.
        let (end, count) = if bytes.get(len) == Some(&b'&') || self.bytes[i] != b'.' {
            self.scan(i, |c| c == '.')
        } else {
            (i + len, len)
        };
        if count == 3 {
            out.replace(self.src, i, end, '…');
        }
        end
    }

    /// The character written for the unit before quote `i`: a quote's mark, or the unit itself.
    fn last(&self, i: usize) -> Option<char> {
        let before = self.prev_visible(i)?;
        Some(match self.last_quote {
            Some((quote, mark)) if quote == before => mark,
            _ => self.ch(before),
        })
    }

    fn quote(&mut self, i: usize, next: usize, out: &mut Output) -> usize {
        let before_space = self.next_visible(next).is_none_or(|n| is_space(self.ch(n)));
        let opens = !before_space
            && self
                .last(i)
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
            out.replace(self.src, i, next, mark);
        }
        self.last_quote = Some((i, mark.unwrap_or('"')));
        next
    }

    fn dash(&self, i: usize, out: &mut Output) -> usize {
        let (end, count) = self.dash_end(i);
        let already = count == 1 && self.ch(i) == '—';
        if !already && self.dash_kind(i, end, count).is_some() {
            out.replace(self.src, i, end, '—');
        }
        end
    }

    /// The end of the dash token at `i` and its length in units.
    fn dash_end(&self, i: usize) -> (usize, usize) {
        let (c, next) = self.unit(i);
        if c == '-' {
            self.scan(i, |c| c == '-')
        } else {
            (next, 1)
        }
    }

    /// Whether the dash token `i..end` of `count` units is a spaced dash, and which.
    fn dash_kind(&self, i: usize, end: usize, count: usize) -> Option<Dash> {
        let after = self.next_visible(end)?;
        if count > 3 || !is_space(self.ch(after)) {
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

    fn space(&self, i: usize, out: &mut Output) -> usize {
        if let Some(binds) = self.simple_space(i) {
            if binds {
                out.replace(self.src, i, i + 1, NBSP);
            }
            return i + 1;
        }
        if self.is_lone_nbsp(i) {
            return i + 2;
        }
        let (end, count) = self.scan(i, is_space);
        if let Some(target) = self.space_kind(i, end)
            && !(count == 1 && self.ch(i) == target)
        {
            out.replace(self.src, i, end, target);
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
        let binds = (is_dash(after) && self.is_spaced_dash(n))
            || (is_dash(before) && self.is_dialogue_dash_end(p))
            || (before.is_ascii_digit() && self.is_unit_at(n))
            || (is_letter(before) && (self.binds_next(p) || self.binds_previous(n)))
            || (NUMBER_SIGNS.contains(&before) && after.is_ascii_digit());
        binds.then_some(NBSP)
    }

    fn is_spaced_dash(&self, n: usize) -> bool {
        let (end, count) = self.dash_end(n);
        self.dash_kind(n, end, count) == Some(Dash::Spaced)
    }

    fn is_dialogue_dash_end(&self, p: usize) -> bool {
        let mut start = p;
        let mut count = 1;
        if self.ch(p) == '-' {
            while let Some(before) = self.prev(start)
                && self.ch(before) == '-'
            {
                start = before;
                count += 1;
            }
        }
        let (_, end) = self.unit(p);
        self.dash_kind(start, end, count) == Some(Dash::Dialogue)
    }

    /// Whether the word ending at unit `p` is a short word bound to the next one.
    fn binds_next(&self, p: usize) -> bool {
        // Up to four letters back, so a word of four or more is rejected.
        let mut letters = [' '; 4];
        let mut count = 0;
        let mut start = p;
        let mut at = Some(p);
        while count < 4
            && let Some(unit) = at
        {
            let c = self.ch(unit);
            if !is_letter(c) {
                break;
            }
            letters[count] = c;
            count += 1;
            start = unit;
            at = self.prev(unit);
        }
        if count > 3 {
            return false;
        }
        let word = letters[..count]
            .iter()
            .rev()
            .fold(Word::EMPTY, |word, &c| word.push(c));
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
        let mut word = Word::EMPTY;
        let mut letters = 0;
        let mut at = n;
        while at < self.end && letters <= max {
            let (c, next) = self.unit(at);
            if !is_letter(c) {
                break;
            }
            word = word.push(c);
            letters += 1;
            at = next;
        }
        if letters == 0 || letters > max {
            return None;
        }
        if self
            .next_visible(at)
            .is_some_and(|k| is_word_char(self.ch(k)))
        {
            return None;
        }
        Some(word)
    }

    fn number(&self, i: usize, out: &mut Output) -> usize {
        let (end, len) = self.scan(i, |c| c.is_ascii_digit());
        match self.grouping(i, end, len) {
            Some(Grouping::Split) => {
                let first = match len % 3 {
                    0 => 3,
                    rest => rest,
                };
                let mut at = i;
                for k in 0..len {
                    if k >= first && (k - first) % 3 == 0 {
                        out.copy_to(self.src, at);
                        out.out.push(NARROW_NBSP);
                    }
                    at = self.unit(at).1;
                }
                end
            }
            Some(Grouping::Join(groups)) => {
                let mut separator = end;
                for _ in 0..groups {
                    let (c, digits) = self.unit(separator);
                    if c != NARROW_NBSP {
                        out.replace(self.src, separator, digits, NARROW_NBSP);
                    }
                    separator = self.group_end(separator).expect("counted as a group");
                }
                separator
            }
            None => end,
        }
    }

    /// How the `len` digits `i..end` (and the groups after them) should be separated.
    fn grouping(&self, i: usize, end: usize, len: usize) -> Option<Grouping> {
        if self.ch(i) == '0' || !self.number_may_start(i) {
            return None;
        }
        if (5..=9).contains(&len) {
            // `30000 123` is ambiguous: splitting would make it read as one number.
            let split = self.number_may_end(end) && self.group_end(end).is_none();
            return split.then_some(Grouping::Split);
        }
        if len > 3 {
            return None;
        }
        let mut groups = 0;
        let mut last_start = end;
        let mut after = end;
        while let Some(group_end) = self.group_end(after) {
            groups += 1;
            last_start = after;
            after = group_end;
        }
        // Only the last group can be dropped: each earlier one is followed by
        // the space that starts the next, and a number may end before a space.
        if groups > 0 && !self.number_may_end(after) {
            groups -= 1;
            debug_assert!(groups == 0 || self.number_may_end(last_start));
        }
        (groups > 0).then_some(Grouping::Join(groups))
    }

    /// The end of a single space and exactly three digits starting at unit `at`, if there.
    fn group_end(&self, at: usize) -> Option<usize> {
        if at >= self.end {
            return None;
        }
        let (c, mut next) = self.unit(at);
        if !matches!(c, ' ' | NBSP | NARROW_NBSP | '\u{2009}') {
            return None;
        }
        for _ in 0..3 {
            if next >= self.end {
                return None;
            }
            let (digit, after) = self.unit(next);
            if !digit.is_ascii_digit() {
                return None;
            }
            next = after;
        }
        let more = next < self.end && self.ch(next).is_ascii_digit();
        (!more).then_some(next)
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
        let (c, after_c) = self.unit(n);
        let after = self.next_visible(after_c).map(|a| self.ch(a));
        match c {
            '.' | ':' => !after.is_some_and(is_word_char),
            ',' => !after.is_some_and(is_letter),
            _ => is_space(c) || NUMBER_CLOSERS.contains(&c),
        }
    }

    /// Whether unit `q` ends an upper-case word of two or more letters (`ISO`, `ГОСТ`).
    fn is_acronym_end(&self, q: usize) -> bool {
        let mut count = 0;
        let mut at = Some(q);
        while let Some(unit) = at {
            let c = self.ch(unit);
            if !is_letter(c) {
                break;
            }
            if !c.is_uppercase() {
                return false;
            }
            count += 1;
            at = self.prev(unit);
        }
        count >= 2
    }
}
