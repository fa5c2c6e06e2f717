//! A token's text normalized: folding, Snowball stemming chosen by script,
//! and stop words.
//!
//! Stage: search, after [`super::tokenize`] finds the tokens. Rules 5, 6 and
//! 7 of the tokenizer's module docs; `tokenize.js` implements the same
//! functions and `tests/parity/` proves that both sides agree.

use std::collections::HashSet;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::tokenize::{is_folded_connector, is_in_word_mark};

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
    // Runs of characters that folding keeps (most of Russian text) are
    // copied as slices; only the others go through the mapping.
    let (mut kept_from, mut prev) = (0, ' ');
    for (i, c) in word.char_indices() {
        let kept = matches!(c, 'a'..='z' | '0'..='9' | 'а'..='я');
        if !kept {
            out.push_str(&word[kept_from..i]);
            kept_from = i + c.len_utf8();
            match c {
                '\u{306}' if matches!(prev, 'и' | 'И') => {
                    out.pop();
                    out.push('й');
                }
                'A'..='Z' => out.push(c.to_ascii_lowercase()),
                'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
                'ё' | 'Ё' => out.push('е'),
                _ => c.to_lowercase().for_each(|lower| push_mapped(lower, out)),
            }
        }
        prev = c;
    }
    out.push_str(&word[kept_from..]);
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
        if script.latin > 0
            && script.latin_lookalikes == script.latin
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
    word.chars()
        .map(|c| cyrillic_lookalike(c).unwrap_or(c))
        .collect()
}

/// Whether a folded token text is a stop word (Russian or English).
///
/// Based on the Snowball lists, minus words that carry meaning in a career
/// knowledge base (`it`, `без`) and content words (`человек`, `жизнь`), plus
/// a few frequent function words (`это`, forms of `который`, `свой`).
pub fn is_stop_word(folded: &str) -> bool {
    folded.len() <= STOP_WORD_MAX_BYTES && STOP_SET.contains(folded)
}

pub(crate) const STOP_WORD_MAX_BYTES: usize = 20;

/// All stop words, folded (`ещё` is `еще`), separated by spaces; `tokenize.js`
/// has the same list and `tests/parity` checks that they agree.
pub const STOP_WORDS: &str = "\
    a about above after again against all am an and any are aren't as at be because been before \
    being below between both but by can't cannot could couldn't did didn't do does doesn't doing \
    don't down during each few for from further had hadn't has hasn't have haven't having he \
    he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've \
    if in into is isn't it's its itself let's me more most mustn't my myself no nor not of off \
    on once only or other ought our ours ourselves out over own same shan't she she'd she'll \
    she's should shouldn't so some such than that that's the their theirs them themselves then \
    there there's these they they'd they'll they're they've this those through to too under \
    until up very was wasn't we we'd we'll we're we've were weren't what what's when when's \
    where where's which while who who's whom why why's with won't would wouldn't you you'd \
    you'll you're you've your yours yourself yourselves а более больше будет будто бы был была \
    были было быть в вам вас вдруг ведь во вот впрочем все всегда всего всех всю вы где где-то \
    да даже два для до другой его ее ей ему если есть еще ж же за зачем здесь и из из-за из-под \
    или им иногда их к как как-то какая какой когда когда-то конечно которая которого которое \
    которой котором которую которые который которым которыми которых кто кто-то куда ли либо \
    лишь лучше между меня мне много может можно мой моя мы на над надо наконец нас не него нее \
    ней нельзя нет ни нибудь никогда ним них ничего но ну о об один он она они опять от перед по \
    под после потом потому почти при про раз разве с сам свое своего своей своем своему свои \
    своим своими своих свой свою своя себе себя сейчас со совсем так также такой там тебя тем \
    теперь то тогда того тоже только том тот три тут ты у уж уже хорошо хоть чего чем через что \
    что-то чтоб чтобы чуть эта эти этим этими этих это этого этой этом этот эту я";

static STOP_SET: LazyLock<HashSet<&str>> =
    LazyLock::new(|| STOP_WORDS.split_whitespace().collect());
