//! Tokenizer shared by the search indexer and the browser client.
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
//!    `Alphabetic` or `Numeric` (JS `/[\p{Alphabetic}\p{N}]/u`) and not a
//!    combining mark U+0300–U+036F (some are Alphabetic). Inside a
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
//!
//! Character classes and case mappings come from each runtime's Unicode
//! tables (Rust's `std`, the JS engine's ICU), so parity needs both at the
//! same Unicode version (Rust 1.95 and Node 20.20 / ICU 78: Unicode 17).
//! The stemmers are the Snowball versions shipped in rust-stemmers 1.2:
//! Russian without its own `ё` handling (folding does it), English Porter2
//! with the `exception1`/`exception2` word lists.

pub use super::stem::{STOP_WORDS, fold, fold_into, is_stop_word, stem, term};

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
    let mut buf = String::new();
    for_each_surface(text, |surface, start, kind| {
        fold_into(surface, &mut buf);
        emit(TokenRef {
            text: &buf,
            start,
            end: start + surface.len(),
            kind,
        });
    });
}

/// Calls `emit(surface, start, kind)` for every token of `text` before
/// folding: the token's text is `fold(surface)`. An indexer that memoizes by
/// surface skips folding for words it has seen.
pub fn for_each_surface(text: &str, mut emit: impl FnMut(&str, usize, TokenKind)) {
    let mut segments = Vec::new();
    let mut pos = 0;
    while let Some(end) = next_span(text, pos, &mut segments) {
        emit_span(text, &segments, &mut emit);
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
    // Spaces and ASCII punctuation between words are skipped byte-wise.
    let bytes = text.as_bytes();
    let mut from = from;
    while from < bytes.len() && bytes[from] < 0x80 && !bytes[from].is_ascii_alphanumeric() {
        from += 1;
    }
    let start = text[from..]
        .char_indices()
        .find(|&(_, c)| is_word_start(c))?
        .0
        + from;
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
    let (mut end, mut chars) = ascii_cyrillic_run(text.as_bytes(), start);
    let mut last = if text.as_bytes()[end - 1].is_ascii() {
        char::from(text.as_bytes()[end - 1])
    } else {
        'я'
    };
    // A word usually ends at an ASCII space or punctuation: no decoding then.
    let stops = text
        .as_bytes()
        .get(end)
        .is_none_or(|&b| b < 0x80 && !b.is_ascii_alphanumeric());
    if !stops {
        for c in text[end..].chars().take_while(|&c| continues_word(c)) {
            end += c.len_utf8();
            chars += 1;
            last = c;
        }
    }
    if last.is_ascii_alphabetic() {
        let symbols = symbol_suffix(&text[end..]);
        end += symbols;
        chars += symbols;
    }
    Segment { start, end, chars }
}

/// End and length in characters of the run of ASCII letters and digits and
/// Russian letters (`а-я`, `А-Я`, `ё`, `Ё`) at `start`, read byte-wise: the
/// fast path of [`scan_segment`] for almost all words. `start` is a word start.
fn ascii_cyrillic_run(bytes: &[u8], start: usize) -> (usize, usize) {
    let (mut end, mut chars) = (start, 0);
    while let Some(&lead) = bytes.get(end) {
        if lead < 0x80 {
            if !lead.is_ascii_alphanumeric() {
                break;
            }
            end += 1;
        } else if lead & 0xFE == 0xD0 {
            // U+0400..U+047F: two bytes, 110100xx 10xxxxxx.
            let Some(&trail) = bytes.get(end + 1) else {
                break;
            };
            let offset = u32::from(lead & 1) << 6 | u32::from(trail & 0x3F);
            if RUSSIAN_LETTERS >> offset & 1 == 0 {
                break;
            }
            end += 2;
        } else {
            break;
        }
        chars += 1;
    }
    if chars == 0 {
        // Another script: let the char loop read the first character.
        let first = bytes_char_len(bytes[start]);
        return (start + first, 1);
    }
    (end, chars)
}

/// Bit `c - 0x400` is set for `Ё` (U+0401), `А-я` (U+0410..U+044F) and `ё` (U+0451).
const RUSSIAN_LETTERS: u128 = 1 << 0x01 | ((1u128 << 0x40) - 1) << 0x10 | 1 << 0x51;

/// Length of the UTF-8 sequence that starts with `lead`.
fn bytes_char_len(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
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
        'a'..='z' | 'A'..='Z' | '0'..='9' | 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' => true,
        _ if c.is_ascii() => false,
        // Frequent in Russian prose and never letters or digits: no-break
        // space, «», and General Punctuation (dashes, quotes, …, spaces).
        '\u{A0}' | '«' | '»' | '\u{2000}'..='\u{206F}' => false,
        // Some combining marks are Alphabetic too, but folding drops them:
        // alone they would make an empty token.
        '\u{300}'..='\u{36F}' => false,
        _ => c.is_alphabetic() || c.is_numeric(),
    }
}

fn continues_word(c: char) -> bool {
    is_word_start(c) || is_in_word_mark(c)
}

/// Marks that continue a word but are dropped by [`fold`].
pub(crate) fn is_in_word_mark(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36F}' | '\u{AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}'
    )
}

fn is_connector(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '.' | '_'
    )
}

/// Connectors as they appear in folded text.
pub(crate) fn is_folded_connector(c: char) -> bool {
    matches!(c, '-' | '\'' | '.' | '_')
}

fn emit_span(text: &str, segments: &[Segment], emit: &mut impl FnMut(&str, usize, TokenKind)) {
    if let [word] = segments {
        emit_segment(text, *word, TokenKind::Word, emit);
        return;
    }
    let (Some(first), Some(last)) = (segments.first(), segments.last()) else {
        return;
    };
    let chars = segments.iter().map(|s| s.chars).sum::<usize>() + segments.len() - 1;
    if chars <= MAX_TOKEN_CHARS {
        emit(
            &text[first.start..last.end],
            first.start,
            TokenKind::Compound,
        );
    }
    for segment in segments {
        emit_segment(text, *segment, TokenKind::Part, emit);
    }
}

fn emit_segment(
    text: &str,
    segment: Segment,
    kind: TokenKind,
    emit: &mut impl FnMut(&str, usize, TokenKind),
) {
    if segment.chars > MAX_TOKEN_CHARS {
        return;
    }
    let surface = &text[segment.start..segment.end];
    emit(surface, segment.start, kind);
    if surface.is_ascii() {
        camel_pieces(surface.as_bytes(), |from, to| {
            if to - from >= 2 {
                emit(&surface[from..to], segment.start + from, TokenKind::Part);
            }
        });
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::stem::STOP_WORD_MAX_BYTES;

    /// `text|term` per token, `*` marking stop words, `C:`/`P:` compounds and parts.
    fn show(input: &str) -> Vec<String> {
        tokenize(input)
            .iter()
            .map(|t| {
                let kind = match t.kind {
                    TokenKind::Word => "",
                    TokenKind::Compound => "C:",
                    TokenKind::Part => "P:",
                };
                let stop = if t.stop { "*" } else { "" };
                format!("{kind}{}|{}{stop}", t.text, t.term)
            })
            .collect()
    }

    fn texts(input: &str) -> Vec<String> {
        tokenize(input).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn compound_yields_whole_and_parts_with_last_part_stemmed() {
        assert_eq!(
            show("Аккаунт-менеджера"),
            [
                "C:аккаунт-менеджера|аккаунт-менеджер",
                "P:аккаунт|аккаунт",
                "P:менеджера|менеджер"
            ]
        );
        assert_eq!(
            show("CRM-менеджеров"),
            [
                "C:crm-менеджеров|crm-менеджер",
                "P:crm|crm",
                "P:менеджеров|менеджер"
            ]
        );
        assert_eq!(
            texts("node.js max_length 3.5"),
            [
                "node.js",
                "node",
                "js",
                "max_length",
                "max",
                "length",
                "3.5",
                "3",
                "5"
            ]
        );
    }

    #[test]
    fn trailing_and_doubled_connectors_separate() {
        assert_eq!(
            texts("т.е. менеджер. Конец"),
            ["т.е", "т", "е", "менеджер", "конец"]
        );
        assert_eq!(texts("a--b -c d- e..f"), ["a", "b", "c", "d", "e", "f"]);
    }

    #[test]
    fn connectors_are_normalized_in_text() {
        assert_eq!(texts("O’Reilly Wi‐Fi")[0], "o'reilly");
        assert_eq!(
            texts("Wi‐Fi Wi\u{2011}Fi"),
            ["wi-fi", "wi", "fi", "wi-fi", "wi", "fi"]
        );
    }

    #[test]
    fn camel_case_words_also_yield_their_pieces() {
        assert_eq!(
            texts("getElementById"),
            ["getelementbyid", "get", "element", "by", "id"]
        );
        assert_eq!(texts("HTTPServer"), ["httpserver", "http", "server"]);
        assert_eq!(
            texts("XMLHttpRequest"),
            ["xmlhttprequest", "xml", "http", "request"]
        );
        assert_eq!(texts("utf8Decode"), ["utf8decode", "utf8", "decode"]);
        assert_eq!(show("useState")[1..], ["P:use|use", "P:state|state"]);
    }

    #[test]
    fn acronyms_and_one_letter_pieces_stay_whole() {
        assert_eq!(
            texts("URLs APIs B2B IPv6 HTTP"),
            ["urls", "apis", "b2b", "ipv6", "http"]
        );
        assert_eq!(texts("iOS"), ["ios", "os"]);
    }

    #[test]
    fn language_names_keep_their_symbols() {
        assert_eq!(show("C++ и C#"), ["c++|c++", "и|и*", "c#|c#"]);
        assert_eq!(
            show("C#-разработчика"),
            [
                "C:c#-разработчика|c#-разработчик",
                "P:c#|c#",
                "P:разработчика|разработчик"
            ]
        );
        assert_eq!(texts("C++11 issue#123"), ["c", "11", "issue", "123"]);
    }

    #[test]
    fn folding_keeps_short_i_and_folds_yo() {
        assert_eq!(fold("Новый МОЙ йогурт"), "новый мой йогурт");
        assert_eq!(fold("Ёлка ещё"), "елка еще");
        assert_ne!(fold("мой"), fold("мои"));
    }

    #[test]
    fn folding_composes_decomposed_letters_and_drops_marks() {
        assert_eq!(fold("мои\u{306} И\u{306}"), "мой й");
        assert_eq!(fold("Е\u{308}лка"), "елка");
        assert_eq!(fold("за\u{301}мок"), "замок");
        assert_eq!(texts("про\u{AD}фес\u{AD}сионал"), ["профессионал"]);
        assert_eq!(fold("İ"), "i");
    }

    #[test]
    fn folding_applies_final_sigma_like_javascript() {
        assert_eq!(fold("ΟΔΟΣ"), "οδος");
        assert_eq!(fold("ΣΑΣ Σ"), "σας σ");
    }

    #[test]
    fn adjective_forms_share_a_stem() {
        assert_eq!(stem("новый"), stem("новая"));
        assert_eq!(stem("новый"), stem("новыми"));
        assert_eq!(stem(&fold("Удалённой")), stem("удаленный"));
    }

    #[test]
    fn english_uses_porter2_with_its_exceptions() {
        let cases = [
            ("generously", "generous"),
            ("skies", "sky"),
            ("dying", "die"),
            ("news", "news"),
            ("cannings", "canning"),
            ("succeeded", "succeed"),
            ("relational", "relat"),
            ("happiness", "happi"),
        ];
        for (word, want) in cases {
            assert_eq!(stem(word), want, "{word}");
        }
    }

    #[test]
    fn latin_lookalikes_in_cyrillic_words_are_read_as_cyrillic() {
        assert_eq!(stem("пpивет"), stem("привет"));
        assert_eq!(stem("cоздать"), stem("создать"));
        assert_eq!(stem("iphoneом"), "iphoneом");
    }

    #[test]
    fn digits_symbols_and_other_scripts_are_not_stemmed() {
        for word in ["2020", "c++", "日本語", "οδος", "straße2π"] {
            assert_eq!(stem(word), word);
        }
        assert_eq!(term("3.5"), "3.5");
    }

    #[test]
    fn stop_words_are_marked_not_dropped() {
        assert_eq!(show("и в IT"), ["и|и*", "в|в*", "it|it"]);
        assert!(is_stop_word("the") && is_stop_word("еще") && is_stop_word("из-за"));
        assert!(!is_stop_word("it") && !is_stop_word("без") && !is_stop_word("опыт"));
    }

    #[test]
    fn stop_words_are_unique_and_folded() {
        let words: Vec<&str> = STOP_WORDS.split_whitespace().collect();
        assert!(
            words.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        for word in words {
            assert_eq!(fold(word), word);
            assert!(word.len() <= STOP_WORD_MAX_BYTES, "{word}");
        }
    }

    #[test]
    fn over_long_tokens_are_skipped() {
        let long = "ж".repeat(MAX_TOKEN_CHARS + 1);
        assert!(tokenize(&long).is_empty());
        assert_eq!(texts(&"ж".repeat(MAX_TOKEN_CHARS)).len(), 1);
        let compound = format!("{}-{}", "а".repeat(40), "б".repeat(40));
        assert_eq!(
            tokenize(&compound)
                .iter()
                .map(|t| t.kind)
                .collect::<Vec<_>>(),
            [TokenKind::Part, TokenKind::Part]
        );
        let camel = "AbCd".repeat(20);
        assert!(tokenize(&camel).is_empty());
    }

    #[test]
    fn offsets_are_byte_ranges_of_the_surface() {
        let input = "«Ёлка» getElementById, аккаунт-менеджер";
        for token in tokenize(input) {
            assert_eq!(fold(&input[token.start..token.end]), token.text);
        }
    }

    #[test]
    fn pathological_inputs_finish_in_linear_time() {
        let inputs = [
            "ж".repeat(200_000),
            "а-".repeat(100_000),
            "a.".repeat(100_000),
            "aB".repeat(100_000),
            "!?.,;-".repeat(30_000),
            "😀\u{301}\u{AD}".repeat(50_000),
            "שלום עולם ".repeat(20_000),
            "\u{0}\u{1}\u{7}\u{1B}".repeat(50_000),
            "и\u{306}".repeat(100_000),
        ];
        let started = std::time::Instant::now();
        for input in &inputs {
            let mut count = 0;
            for_each_token(input, |_| count += 1);
            assert!(count <= input.len());
        }
        assert_eq!(tokenize("а-".repeat(100_000).as_str()).len(), 100_000);
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn for_each_token_gives_the_tokens_of_tokenize() {
        let input = "C#-разработчик и XMLHttpRequest, т.е. 3.5";
        let mut seen = Vec::new();
        for_each_token(input, |t| {
            seen.push((t.text.to_owned(), t.start, t.end, t.kind))
        });
        let want: Vec<_> = tokenize(input)
            .into_iter()
            .map(|t| (t.text, t.start, t.end, t.kind))
            .collect();
        assert_eq!(seen, want);
    }

    /// Regenerate `tests/parity/expected.json` with
    /// `ROLEBOOK_UPDATE_PARITY=1 cargo test parity`, then check the JS side
    /// with `node tests/parity/parity.mjs`.
    #[test]
    fn parity_expectations_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity");
        let json = parity::expected_json(&dir);
        let path = dir.join("expected.json");
        if std::env::var_os("ROLEBOOK_UPDATE_PARITY").is_some() {
            std::fs::write(&path, &json).expect("tests/parity is writable");
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if let Some((line, (got, want))) = json
            .lines()
            .zip(current.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            panic!(
                "tests/parity/expected.json is stale at line {}:\n  rust: {got}\n  file: {want}\n\
                 run `ROLEBOOK_UPDATE_PARITY=1 cargo test parity` and `node tests/parity/parity.mjs`",
                line + 1
            );
        }
        assert_eq!(
            json.lines().count(),
            current.lines().count(),
            "expected.json is stale"
        );
    }

    /// Writes the Rust tokens of every parity input as JSON for `parity.mjs`.
    mod parity {
        use super::super::*;
        use std::fmt::Write;
        use std::path::Path;

        const INPUTS: [&str; 3] = ["words_ru.txt", "words_en.txt", "mixed.txt"];

        pub fn expected_json(dir: &Path) -> String {
            let mut out = String::from("{\n\"about\": ");
            out += "\"Rust tokens of each parity input (non-comment lines of the .txt files, \
                    unescaped), one line per input: [text, term, kind (w|c|p) + s if stop, \
                    start byte, end byte]. Generated by tokenize.rs tests; do not edit.\",\n";
            let stop: Vec<String> = STOP_WORDS.split_whitespace().map(quote).collect();
            let _ = writeln!(out, "\"stopWords\": [{}],\n\"cases\": [", stop.join(", "));
            let cases: Vec<String> = inputs(dir).iter().map(|input| case(input)).collect();
            out += &cases.join(",\n");
            out += "\n],\n\"keys\": [\n";
            out += &keys(dir).join(",\n");
            out += "\n],\n\"lemmaForms\": [\n";
            out += &lemma_forms(dir).join(",\n");
            out += "\n]\n}\n";
            out
        }

        /// The distinct words of the word lists, each with its spelling keys
        /// and the root of its term: `[text, precise, skeleton, root]`.
        fn keys(dir: &Path) -> Vec<String> {
            let mut seen = std::collections::BTreeSet::new();
            let mut out = Vec::new();
            for name in &INPUTS[..2] {
                let text = std::fs::read_to_string(dir.join(name)).expect("parity input exists");
                for token in text
                    .lines()
                    .filter(|l| !l.starts_with("%%"))
                    .flat_map(tokenize)
                {
                    if token.kind != TokenKind::Word || !seen.insert(token.text.clone()) {
                        continue;
                    }
                    let keys = crate::search::keys::cross_keys(&token.text);
                    let precise = keys.as_ref().map(|k| k.0.clone());
                    let skeleton = keys.and_then(|k| k.1);
                    let root = crate::search::keys::root(&token.term);
                    let show = |v: Option<String>| v.map_or("null".to_string(), |v| quote(&v));
                    out.push(format!(
                        "[{},{},{},{}]",
                        quote(&token.text),
                        show(precise),
                        show(skeleton),
                        show(root)
                    ));
                }
            }
            out
        }

        /// Forms of the dictionary's words for every 40th Russian word, each
        /// with its term: the names of the index entries that lead from a
        /// query form to its word's forms on the site, `[form, term]`.
        fn lemma_forms(dir: &Path) -> Vec<String> {
            let text = std::fs::read_to_string(dir.join(INPUTS[0])).expect("parity input exists");
            let words = text
                .lines()
                .filter(|l| !l.starts_with("%%") && !l.is_empty())
                .step_by(40);
            let mut forms: Vec<String> = words
                .flat_map(|w| crate::search::morphology::dictionary_forms(&fold(w)))
                .collect();
            forms.sort();
            forms.dedup();
            forms
                .iter()
                .map(|f| format!("[{},{}]", quote(f), quote(&term(f))))
                .collect()
        }

        fn inputs(dir: &Path) -> Vec<String> {
            let mut inputs = Vec::new();
            for name in INPUTS {
                let text = std::fs::read_to_string(dir.join(name)).expect("parity input exists");
                let lines = text
                    .lines()
                    .filter(|l| !l.is_empty() && !l.starts_with("%%"));
                inputs.extend(lines.map(unescape));
            }
            inputs
        }

        fn case(input: &str) -> String {
            let tokens: Vec<String> = tokenize(input)
                .iter()
                .map(|t| {
                    let kind = match t.kind {
                        TokenKind::Word => "w",
                        TokenKind::Compound => "c",
                        TokenKind::Part => "p",
                    };
                    let flags = format!("{kind}{}", if t.stop { "s" } else { "" });
                    let (text, term) = (quote(&t.text), quote(&t.term));
                    format!("[{text},{term},\"{flags}\",{},{}]", t.start, t.end)
                })
                .collect();
            format!("[{}]", tokens.join(","))
        }

        /// Decodes `\n`, `\t`, `\r`, `\\` and `\u{HEX}` in an input line.
        pub fn unescape(line: &str) -> String {
            let mut out = String::new();
            let mut rest = line;
            while let Some(i) = rest.find('\\') {
                out += &rest[..i];
                let esc = &rest[i + 1..];
                let (decoded, used) = match esc.chars().next() {
                    Some('n') => ('\n', 1),
                    Some('t') => ('\t', 1),
                    Some('r') => ('\r', 1),
                    Some('u') if esc.starts_with("u{") => {
                        let close = esc.find('}').expect("\\u{ is closed");
                        let code = u32::from_str_radix(&esc[2..close], 16).expect("hex escape");
                        (char::from_u32(code).expect("scalar value"), close + 1)
                    }
                    _ => ('\\', usize::from(esc.starts_with('\\'))),
                };
                out.push(decoded);
                rest = &esc[used..];
            }
            out + rest
        }

        fn quote(s: &str) -> String {
            let mut out = String::from("\"");
            for c in s.chars() {
                match c {
                    '"' => out += "\\\"",
                    '\\' => out += "\\\\",
                    c if (c as u32) < 0x20 || c == '\u{7F}' => {
                        let _ = write!(out, "\\u{:04x}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
    }
}
