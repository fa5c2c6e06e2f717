//! Tokenizer and stemmer shared by the search indexer and the browser client.
//!
//! Stage: search. Takes any text (page text, titles, queries) and returns its
//! tokens in text order, each with the folded surface form (`text`) and the
//! index key (`term`). `themes/default/static/search/tokenize.js` implements
//! the same contract in plain JavaScript; `tests/parity/` proves that both
//! give identical tokens. Change one side only together with the other.
//!
//! # Rules
//!
//! 1. **Characters.** A *word start* is a character that is Unicode
//!    `Alphabetic` or `Numeric` (JS `/[\p{Alphabetic}\p{N}]/u`). Inside a
//!    word, combining marks U+0300–U+036F, the soft hyphen U+00AD and the
//!    invisible joiners U+200C, U+200D, U+2060 also continue it, so stress
//!    marks (`за́мок`), a decomposed `й` and `&shy;` do not split words.
//!    Everything else separates words.
//! 2. **Segments and compounds.** A *segment* is a word start followed by
//!    word starts and continuing marks. Segments joined by one *connector*
//!    (`-` U+2010 U+2011 `'` U+2019 `.` `_`) that has a segment character
//!    right before it and a word start right after it form a *compound*:
//!    `аккаунт-менеджер`, `CRM-менеджер`, `node.js`, `max_length`,
//!    `O'Reilly`, `3.5`, `v1.2.3`, `т.е`. A dot or hyphen that is not
//!    followed by a word start (`т.е.`, `менеджер.`, `--`) is a separator,
//!    so sentence ends never glue. A compound yields a `Compound` token and
//!    then one `Part` token per segment. A lone segment yields a `Word`.
//! 3. **Programming-language names.** `++` or `#` right after a segment that
//!    ends in an ASCII letter belong to it when no word start follows
//!    (`C++`, `C#`, `F#`, `g++`); such words are not stemmed. `C++11` is
//!    `c` and `11`.
//! 4. **camelCase.** An all-ASCII segment of 2+ pieces also yields each piece
//!    of at least two characters as a `Part` (after the segment's own token).
//!    A piece starts at an uppercase letter that follows a lowercase letter,
//!    follows a digit when the current piece has a lowercase letter
//!    (`utf8Decode`), or ends an uppercase run followed by two lowercase
//!    letters (`HTTPServer` -> `http`, `server`; `URLs` stays whole).
//! 5. **Folding** ([`fold`]): full Unicode lowercase of the whole token
//!    (`str::to_lowercase` / JS `toLowerCase`, Final_Sigma included), then
//!    `ё` -> `е`, `и` + U+0306 -> `й`, `’` -> `'`, U+2010/U+2011 -> `-`, and
//!    the in-word marks of rule 1 are dropped. `й` stays `й`. There is no
//!    other Unicode normalization (the crate has no NFC tables): a decomposed
//!    Latin `é` folds to `e` while a precomposed `é` stays `é`.
//! 6. **Stemming** ([`stem`]), by script of the folded word: with any
//!    Cyrillic letter (U+0400–U+04FF), Snowball Russian; else with a Latin
//!    letter and nothing but Latin letters and ASCII digits, Snowball English
//!    (Porter2); otherwise (digits, other scripts, `c++`) unchanged. In a
//!    mixed word whose Latin letters all look like Cyrillic ones (`a c e o p
//!    x y k m t h b`) and are no more than its Cyrillic letters, those Latin
//!    letters are read as Cyrillic first (`пpивет` -> `привет`), so layout
//!    typos still match; `iPhoneом` keeps its Latin letters. The *term* of a
//!    compound is its folded text with only the last segment stemmed
//!    ([`term`]): `аккаунт-менеджера` -> `аккаунт-менеджер`.
//! 7. **Stop words** ([`is_stop_word`]) are marked, not dropped.
//! 8. **Limits.** A token longer than [`MAX_TOKEN_CHARS`] characters is not
//!    emitted; an over-long segment yields no camelCase pieces either, while
//!    an over-long compound still yields its parts. Scanning is linear.
//!
//! Emission order per compound: the compound, then for each segment the part
//! and its camelCase pieces. Offsets are byte ranges into the input.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Longest token, in Unicode scalar values, that is emitted.
pub const MAX_TOKEN_CHARS: usize = 64;

/// What part of the text a token covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A segment that stands alone.
    Word,
    /// Segments joined by connectors, as a whole.
    Compound,
    /// One segment of a compound, or one camelCase piece of a segment.
    Part,
}

/// One token with its index key, as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded surface form, unstemmed.
    pub text: String,
    /// Index key: `text` with its (last) word stemmed.
    pub term: String,
    /// Byte offset of the first character in the input.
    pub start: usize,
    /// Byte offset just past the last character in the input.
    pub end: usize,
    /// Whole word, whole compound, or part.
    pub kind: TokenKind,
    /// Whether `text` is a stop word.
    pub stop: bool,
}

/// A token borrowed from the tokenizer's buffer, for allocation-free indexing.
///
/// `term` and `stop` are pure functions of `text`, so an indexer can memoize
/// [`term`] per distinct text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenRef<'a> {
    /// Folded surface form, valid until the callback returns.
    pub text: &'a str,
    /// Byte offset of the first character in the input.
    pub start: usize,
    /// Byte offset just past the last character in the input.
    pub end: usize,
    /// Whole word, whole compound, or part.
    pub kind: TokenKind,
}

/// Splits `text` into tokens with terms and stop-word marks, in text order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_token(text, |t| {
        tokens.push(Token {
            text: t.text.to_owned(),
            term: term(t.text),
            start: t.start,
            end: t.end,
            kind: t.kind,
            stop: is_stop_word(t.text),
        });
    });
    tokens
}

/// Calls `emit` for every token of `text`, in the order of [`tokenize`],
/// without allocating per token and without stemming.
pub fn for_each_token(text: &str, mut emit: impl FnMut(TokenRef<'_>)) {
    let mut segments = Vec::new();
    let mut buf = String::new();
    let mut pos = 0;
    while let Some(end) = next_span(text, pos, &mut segments) {
        emit_span(text, &segments, &mut buf, &mut emit);
        pos = end;
    }
}

/// A maximal run of segment characters: byte range and length in chars.
#[derive(Debug, Clone, Copy)]
struct Segment {
    start: usize,
    end: usize,
    chars: usize,
}

/// Fills `segments` with the next span (one word or the segments of a
/// compound) at or after `from`; returns its end, or `None` at the end.
fn next_span(text: &str, from: usize, segments: &mut Vec<Segment>) -> Option<usize> {
    segments.clear();
    let start = text[from..].char_indices().find(|&(_, c)| is_word_start(c))?.0 + from;
    let mut segment = scan_segment(text, start);
    loop {
        segments.push(segment);
        match connector_at(text, segment.end) {
            Some(next) => segment = scan_segment(text, next),
            None => return Some(segment.end),
        }
    }
}

/// Reads the segment that begins with the word start at `start`.
fn scan_segment(text: &str, start: usize) -> Segment {
    let (mut end, mut chars, mut last) = (start, 0, ' ');
    for c in text[start..].chars().take_while(|&c| continues_word(c)) {
        end += c.len_utf8();
        chars += 1;
        last = c;
    }
    if last.is_ascii_alphabetic() {
        let symbols = symbol_suffix(&text[end..]);
        end += symbols;
        chars += symbols;
    }
    Segment { start, end, chars }
}

/// Length of a `++` or `#` that ends a language name (`C++`, `C#`), or 0.
fn symbol_suffix(rest: &str) -> usize {
    let len = if rest.starts_with("++") {
        2
    } else if rest.starts_with('#') {
        1
    } else {
        return 0;
    };
    match rest[len..].chars().next() {
        Some(c) if is_word_start(c) => 0,
        _ => len,
    }
}

/// Start of the next segment when a connector at `pos` joins one.
fn connector_at(text: &str, pos: usize) -> Option<usize> {
    let mut chars = text[pos..].chars();
    let connector = chars.next().filter(|&c| is_connector(c))?;
    let next = chars.next()?;
    is_word_start(next).then_some(pos + connector.len_utf8())
}

fn is_word_start(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | 'а'..='я' | 'А'..='Я' => true,
        _ if c.is_ascii() => false,
        _ => c.is_alphabetic() || c.is_numeric(),
    }
}

fn continues_word(c: char) -> bool {
    is_word_start(c) || is_in_word_mark(c)
}

/// Marks that continue a word but are dropped by [`fold`].
fn is_in_word_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}')
}

fn is_connector(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '.' | '_')
}

/// Connectors as they appear in folded text.
fn is_folded_connector(c: char) -> bool {
    matches!(c, '-' | '\'' | '.' | '_')
}

fn emit_span(
    text: &str,
    segments: &[Segment],
    buf: &mut String,
    emit: &mut impl FnMut(TokenRef<'_>),
) {
    if let [word] = segments {
        emit_segment(text, *word, TokenKind::Word, buf, emit);
        return;
    }
    let (Some(first), Some(last)) = (segments.first(), segments.last()) else {
        return;
    };
    let chars = segments.iter().map(|s| s.chars).sum::<usize>() + segments.len() - 1;
    if chars <= MAX_TOKEN_CHARS {
        let surface = &text[first.start..last.end];
        emit_folded(surface, first.start, TokenKind::Compound, buf, emit);
    }
    for segment in segments {
        emit_segment(text, *segment, TokenKind::Part, buf, emit);
    }
}

fn emit_segment(
    text: &str,
    segment: Segment,
    kind: TokenKind,
    buf: &mut String,
    emit: &mut impl FnMut(TokenRef<'_>),
) {
    if segment.chars > MAX_TOKEN_CHARS {
        return;
    }
    let surface = &text[segment.start..segment.end];
    emit_folded(surface, segment.start, kind, buf, emit);
    if surface.is_ascii() {
        camel_pieces(surface.as_bytes(), |from, to| {
            if to - from >= 2 {
                let piece = &surface[from..to];
                emit_folded(piece, segment.start + from, TokenKind::Part, buf, emit);
            }
        });
    }
}

fn emit_folded(
    surface: &str,
    start: usize,
    kind: TokenKind,
    buf: &mut String,
    emit: &mut impl FnMut(TokenRef<'_>),
) {
    fold_into(surface, buf);
    let end = start + surface.len();
    emit(TokenRef { text: buf, start, end, kind });
}

/// Calls `piece(from, to)` for each camelCase piece of an ASCII word, and
/// nothing when the word has a single piece.
fn camel_pieces(word: &[u8], mut piece: impl FnMut(usize, usize)) {
    let (mut from, mut has_lower) = (0, false);
    for i in 0..word.len() {
        if i > 0 && is_hump(word, i, has_lower) {
            piece(from, i);
            from = i;
            has_lower = false;
        }
        has_lower |= word[i].is_ascii_lowercase();
    }
    if from > 0 {
        piece(from, word.len());
    }
}

/// Whether a new camelCase piece starts at `i` (see rule 4).
fn is_hump(word: &[u8], i: usize, has_lower: bool) -> bool {
    if !word[i].is_ascii_uppercase() {
        return false;
    }
    let lower_at = |k: usize| word.get(k).is_some_and(u8::is_ascii_lowercase);
    match word[i - 1] {
        b'a'..=b'z' => true,
        b'0'..=b'9' => has_lower,
        b'A'..=b'Z' => lower_at(i + 1) && lower_at(i + 2),
        _ => false,
    }
}

/// Folds a word or any text for matching: lowercase, `ё` -> `е`, composed
/// `й`, normalized connectors, in-word marks dropped (rule 5).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// Like [`fold`], writing into `out` (cleared first) to reuse its buffer.
pub fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else if word.contains('Σ') {
        // Only `str::to_lowercase` knows Final_Sigma (ς at a word's end), as
        // JS `toLowerCase` does; lowercasing again below changes nothing.
        push_folded(&word.to_lowercase(), out);
    } else {
        push_folded(word, out);
    }
}

fn push_folded(word: &str, out: &mut String) {
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'и' | 'И' if chars.peek() == Some(&'\u{306}') => {
                chars.next();
                out.push('й');
            }
            'a'..='z' | '0'..='9' | 'а'..='я' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            _ => c.to_lowercase().for_each(|lower| push_mapped(lower, out)),
        }
    }
}

fn push_mapped(c: char, out: &mut String) {
    match c {
        'ё' => out.push('е'),
        '\u{2019}' => out.push('\''),
        '\u{2010}' | '\u{2011}' => out.push('-'),
        _ if is_in_word_mark(c) => {}
        _ => out.push(c),
    }
}

/// The index key of a folded token text: the text with its last segment
/// (after the last connector) stemmed by [`stem`].
pub fn term(text: &str) -> String {
    match text.rfind(is_folded_connector) {
        Some(i) => {
            let (head, last) = text.split_at(i + 1);
            let mut term = String::with_capacity(text.len());
            term.push_str(head);
            term.push_str(&stem(last));
            term
        }
        None => stem(text),
    }
}

static RUSSIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Stems one folded word by its script (rule 6); returns other words as they are.
pub fn stem(folded_word: &str) -> String {
    let script = Script::of(folded_word);
    if script.cyrillic > 0 {
        if script.latin > 0 && script.latin_lookalikes == script.latin
            && script.cyrillic >= script.latin
        {
            return RUSSIAN.stem(&as_cyrillic(folded_word)).into_owned();
        }
        return RUSSIAN.stem(folded_word).into_owned();
    }
    if script.latin > 0 && script.other == 0 {
        return ENGLISH.stem(folded_word).into_owned();
    }
    folded_word.to_owned()
}

/// Letter counts that choose the stemmer.
#[derive(Debug, Default)]
struct Script {
    cyrillic: usize,
    latin: usize,
    latin_lookalikes: usize,
    other: usize,
}

impl Script {
    fn of(word: &str) -> Script {
        let mut script = Script::default();
        for c in word.chars() {
            match c {
                '0'..='9' => {}
                '\u{400}'..='\u{4FF}' => script.cyrillic += 1,
                'a'..='z' | '\u{DF}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => {
                    script.latin += 1;
                    script.latin_lookalikes += usize::from(cyrillic_lookalike(c).is_some());
                }
                _ => script.other += 1,
            }
        }
        script
    }
}

/// The Cyrillic letter a lowercase Latin letter is mistaken for, in either case.
fn cyrillic_lookalike(c: char) -> Option<char> {
    let latin = "acehkmoptxyb";
    let cyrillic = ['а', 'с', 'е', 'н', 'к', 'м', 'о', 'р', 'т', 'х', 'у', 'в'];
    latin.find(c).map(|i| cyrillic[i])
}

fn as_cyrillic(word: &str) -> String {
    word.chars().map(|c| cyrillic_lookalike(c).unwrap_or(c)).collect()
}

/// Whether a folded token text is a stop word (Russian or English).
///
/// Based on the Snowball lists, minus words that carry meaning in a career
/// knowledge base (`it`, `без`) and content words (`человек`, `жизнь`), plus
/// a few frequent function words (`это`, forms of `который`, `свой`).
pub fn is_stop_word(folded: &str) -> bool {
    folded.len() <= STOP_WORD_MAX_BYTES && STOP_WORDS.binary_search(&folded).is_ok()
}

const STOP_WORD_MAX_BYTES: usize = 20;

/// All stop words, sorted, folded (`ещё` is `еще`); `tokenize.js` has the same list.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't",
    "doing", "don't", "down", "during", "each", "few", "for", "from", "further", "had", "hadn't",
    "has", "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's", "her", "here",
    "here's", "hers", "herself", "him", "himself", "his", "how", "how's", "i", "i'd", "i'll",
    "i'm", "i've", "if", "in", "into", "is", "isn't", "it's", "its", "itself", "let's", "me",
    "more", "most", "mustn't", "my", "myself", "no", "nor", "not", "of", "off", "on", "once",
    "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same",
    "shan't", "she", "she'd", "she'll", "she's", "should", "shouldn't", "so", "some", "such",
    "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then", "there",
    "there's", "these", "they", "they'd", "they'll", "they're", "they've", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "wasn't", "we", "we'd",
    "we'll", "we're", "we've", "were", "weren't", "what", "what's", "when", "when's", "where",
    "where's", "which", "while", "who", "who's", "whom", "why", "why's", "with", "won't", "would",
    "wouldn't", "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
    "yourselves", "а", "более", "больше", "будет", "будто", "бы", "был", "была", "были",
    "было", "быть", "в", "вам", "вас", "вдруг", "ведь", "во", "вот", "впрочем", "все", "всегда",
    "всего", "всех", "всю", "вы", "где", "где-то", "да", "даже", "два", "для", "до", "другой",
    "его", "ее", "ей", "ему", "если", "есть", "еще", "ж", "же", "за", "зачем", "здесь", "и", "из",
    "из-за", "из-под", "или", "им", "иногда", "их", "к", "как", "как-то", "какая", "какой",
    "когда", "когда-то", "конечно", "которая", "которого", "которое", "которой", "котором",
    "которую", "которые", "который", "которым", "которыми", "которых", "кто", "кто-то", "куда",
    "ли", "либо", "лучше", "лишь", "между", "меня", "мне", "много", "может", "можно", "мой", "моя",
    "мы", "на", "над", "надо", "наконец", "нас", "не", "него", "нее", "ней", "нельзя", "нет",
    "ни", "нибудь", "никогда", "ним", "них", "ничего", "но", "ну", "о", "об", "один", "он",
    "она", "они", "опять", "от", "перед", "по", "под", "после", "потом", "потому", "почти", "при",
    "про", "раз", "разве", "с", "сам", "свое", "своего", "своей", "своем", "своему", "свои",
    "свой", "своим", "своими", "своих", "свою", "своя", "себе", "себя", "сейчас", "со", "совсем",
    "так", "также", "такой", "там", "тебя", "тем", "теперь", "то", "тогда", "того", "тоже",
    "только", "том", "тот", "три", "тут", "ты", "у", "уж", "уже", "хорошо", "хоть", "чего",
    "чем", "через", "что", "что-то", "чтоб", "чтобы", "чуть", "эта", "эти", "этим", "этими",
    "этих", "это", "этого", "этой", "этом", "этот", "эту", "я",
];
