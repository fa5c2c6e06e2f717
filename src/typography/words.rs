//! Characters and short words: the classes and word lists the rules test against.

use super::{NARROW_NBSP, NBSP, TAG};

/// Unit and currency signs after a number.
pub(super) const UNIT_SIGNS: &[char] = &['₽', '$', '€', '£', '%', '‰', '°'];
/// Signs followed by a no-break space before a number.
pub(super) const NUMBER_SIGNS: &[char] = &['№', '§', '₽', '$', '€', '£'];
/// Characters after which a straight quote opens (besides spaces).
pub(super) const QUOTE_OPENERS: &[char] = &['(', '[', '{', '«', '„', '-', '–', '—'];
/// Characters that may stand right before a number that gets grouped.
pub(super) const NUMBER_OPENERS: &[char] = &[
    '(', '[', '{', '«', '„', '“', '"', '\'', '~', '≈', '−', '±', '–', '—', '$', '€', '₽', '£', '<',
    '>',
];
/// Characters that may stand right after a number that gets grouped.
pub(super) const NUMBER_CLOSERS: &[char] = &[
    ')', ']', '}', '»', '“', '”', '"', '\'', '%', '‰', '₽', '$', '€', '£', '…', '–', '—', ';', '!',
    '?', '<', '>',
];

pub(super) fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{c}' | NBSP | NARROW_NBSP | '\u{2009}'
    )
}

pub(super) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—')
}

/// A character the rules do not start at: copied along with its run.
pub(super) fn is_plain(c: char, russian: bool) -> bool {
    let special = matches!(c, TAG | '.') || c.is_ascii_alphabetic();
    let russian_special =
        c.is_ascii_digit() || is_space(c) || is_dash(c) || matches!(c, '"' | '«' | '„' | '»' | '“');
    !(special || (russian && russian_special))
}

/// `char::is_alphabetic`, fast for ASCII and Cyrillic (the std tables are slow for them).
pub(super) fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{400}'..='\u{481}' | '\u{48a}'..='\u{52f}' => true,
        'ª' | 'µ' | 'º' => true,
        // ASCII, Latin-1 signs, general punctuation, currency signs, arrows
        // and mathematical operators hold no other letters.
        '\0'..='\u{bf}'
        | '\u{2000}'..='\u{206f}'
        | '\u{20a0}'..='\u{20cf}'
        | '\u{2190}'..='\u{22ff}' => false,
        _ => c.is_alphabetic(),
    }
}

/// A letter or a digit.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_ascii_digit() || is_letter(c) || (!c.is_ascii() && c.is_numeric())
}

/// Lower case of one letter, fast for ASCII and Russian.
pub(super) fn lower(c: char) -> char {
    match c {
        'А'..='Я' => char::from_u32(u32::from(c) + 0x20).unwrap_or(c),
        'Ѐ'..='Џ' => char::from_u32(u32::from(c) + 0x50).unwrap_or(c),
        'а'..='я' | 'ѐ'..='џ' => c,
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// A short word, lower-cased and packed six bits a letter (`а` is 1, `я` is
/// 32), the last letter lowest. A word with any other letter is
/// [`Word::FOREIGN`], which is in no list: the lists hold only `а`–`я`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Word(pub(super) u64);

impl Word {
    pub(super) const EMPTY: Word = Word(0);
    pub(super) const FOREIGN: Word = Word(u64::MAX);

    /// A list entry, packed at compile time.
    const fn spell(text: &str) -> Word {
        let b = text.as_bytes();
        let mut packed = 0;
        let mut k = 0;
        while k < b.len() {
            // Two-byte UTF-8 of U+0430..=U+044F.
            let c = ((b[k] as u64 & 0x1f) << 6) | (b[k + 1] as u64 & 0x3f);
            assert!(c >= 0x430 && c <= 0x44f, "list words are spelled in а–я");
            packed = (packed << 6) | (c - 0x42f);
            k += 2;
        }
        Word(packed)
    }

    /// The word with the letter `c` appended (at most 8 letters are ever read).
    pub(super) fn push(self, c: char) -> Word {
        let code = u32::from(lower(c)).wrapping_sub(0x42f);
        if self == Word::FOREIGN || !(1..=32).contains(&code) {
            return Word::FOREIGN;
        }
        Word((self.0 << 6) | u64::from(code))
    }

    /// Which rule list the word belongs to.
    pub(super) fn kind(self) -> Option<WordKind> {
        let mut slot = word_slot(self);
        loop {
            match WORD_TABLE[slot] {
                (Word::EMPTY, _) => return None,
                (word, kind) if word == self => return Some(kind),
                _ => slot = (slot + 1) % WORD_TABLE.len(),
            }
        }
    }

    /// Prepositions that also bind after a hyphen: из-за, из-под.
    pub(super) fn binds_after_hyphen(self) -> bool {
        self == Word::spell("за") || self == Word::spell("под")
    }
}

/// Short prepositions, conjunctions and particles bound to the next word.
const BINDS_NEXT: &[Word] = &[
    Word::spell("а"),
    Word::spell("в"),
    Word::spell("и"),
    Word::spell("к"),
    Word::spell("о"),
    Word::spell("с"),
    Word::spell("у"),
    Word::spell("я"),
    Word::spell("во"),
    Word::spell("до"),
    Word::spell("за"),
    Word::spell("из"),
    Word::spell("ко"),
    Word::spell("на"),
    Word::spell("не"),
    Word::spell("ни"),
    Word::spell("но"),
    Word::spell("об"),
    Word::spell("от"),
    Word::spell("по"),
    Word::spell("со"),
    Word::spell("без"),
    Word::spell("для"),
    Word::spell("изо"),
    Word::spell("над"),
    Word::spell("обо"),
    Word::spell("под"),
    Word::spell("при"),
    Word::spell("про"),
];

/// Particles bound to the previous word.
const BINDS_PREVIOUS: &[Word] = &[
    Word::spell("б"),
    Word::spell("ж"),
    Word::spell("бы"),
    Word::spell("же"),
    Word::spell("ли"),
    Word::spell("ль"),
];

/// Units and currencies after a number (a dot may follow).
const UNITS: &[Word] = &[
    Word::spell("г"),
    Word::spell("л"),
    Word::spell("м"),
    Word::spell("р"),
    Word::spell("т"),
    Word::spell("ч"),
    Word::spell("гг"),
    Word::spell("дн"),
    Word::spell("кг"),
    Word::spell("км"),
    Word::spell("мм"),
    Word::spell("см"),
    Word::spell("шт"),
    Word::spell("год"),
    Word::spell("дня"),
    Word::spell("коп"),
    Word::spell("лет"),
    Word::spell("мес"),
    Word::spell("мин"),
    Word::spell("млн"),
    Word::spell("нед"),
    Word::spell("руб"),
    Word::spell("сек"),
    Word::spell("тыс"),
    Word::spell("час"),
    Word::spell("чел"),
    Word::spell("года"),
    Word::spell("году"),
    Word::spell("день"),
    Word::spell("дней"),
    Word::spell("млрд"),
    Word::spell("трлн"),
    Word::spell("часа"),
    Word::spell("месяц"),
    Word::spell("минут"),
    Word::spell("часов"),
    Word::spell("месяца"),
    Word::spell("минуты"),
    Word::spell("недели"),
    Word::spell("недель"),
    Word::spell("месяцев"),
    Word::spell("человек"),
];

/// The three lists as a hash table with linear probing; an empty slot holds [`Word::EMPTY`].
const WORD_TABLE: [(Word, WordKind); 256] = word_table();

/// Where the probe for a word starts (Fibonacci hashing).
const fn word_slot(word: Word) -> usize {
    (word.0.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize
}

const fn word_table() -> [(Word, WordKind); 256] {
    let mut table = [(Word::EMPTY, WordKind::Unit); 256];
    let lists = [
        (BINDS_NEXT, WordKind::BindsNext),
        (BINDS_PREVIOUS, WordKind::BindsPrevious),
        (UNITS, WordKind::Unit),
    ];
    let mut l = 0;
    while l < lists.len() {
        let (list, kind) = lists[l];
        let mut k = 0;
        while k < list.len() {
            let mut slot = word_slot(list[k]);
            while table[slot].0.0 != 0 {
                assert!(table[slot].0.0 != list[k].0, "a word is in one list only");
                slot = (slot + 1) % 256;
            }
            table[slot] = (list[k], kind);
            k += 1;
        }
        l += 1;
    }
    table
}

/// The word lists of the no-break space rules (lower case, whole words).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum WordKind {
    /// Short prepositions, conjunctions and particles bound to the next word.
    BindsNext,
    /// Particles bound to the previous word.
    BindsPrevious,
    /// Units and currencies after a number (a dot may follow).
    Unit,
}
