//! Keys that lead from a query word to related words of the index: a
//! spelling key shared by a Latin term and its Cyrillic spelling
//! (`teleport`, `телепорт`; `context`, `контекст`), and the derivational
//! root of a Russian stem (`регистрац` and `регистрирова`: `регистр`).
//!
//! Stage: search. [`super::morphology`] files every word form of the site
//! under its keys when the index is written; the browser computes the same
//! keys from a query word (`themes/default/static/search/tokenize.js`,
//! `crossKeys` and `root`; `tests/parity/` proves that both sides agree) and
//! looks them up as dictionary entries, in the key's own range of the
//! dictionary: [`CROSS`], [`SKELETON`] and [`ROOT`] are the first characters
//! of these entries' names, below any word.
//!
//! # Spelling keys
//!
//! A Cyrillic word is written in Latin letters with the slug table
//! ([`crate::slug::russian_letter`]: `х` kh, `ц` ts, `ю` yu…), a Latin word
//! stays as it is; both are then normalized by sound, left to right, the
//! longest rule first ([`PHONETIC`]): `shch sch`→sh, `tch`→ch, `dzh`→j,
//! `kh`→h, `ph`→f, `ck`→k, `qu`→kv, `tion sion`→shn, `yu`→u, `ya`→a,
//! `yo`→o, `ye`→e, `oo`→u, `ee`→i, `x`→ks, `w`→v, `q`→k, `z`→s, `y`→i, `c`
//! before `e i y`→s and other `c`→k (but `ch` stays), then doubled letters
//! are written once. That is the *precise* key (`редюсер` and `reducer`:
//! `reduser`). The *skeleton* key keeps the first letter and the consonants
//! of the rest, doubled ones once (`тайпскрипт` and `typescript`:
//! `tpskrpt`), when it has four letters or more. Words of three letters or
//! more, of Russian letters only or ASCII letters only, have keys.
//!
//! # Roots
//!
//! A Russian stem loses, at most twice, the longest of [`SUFFIXES`] that
//! leaves at least [`ROOT_MIN`] letters (`э` read as `е`); a final `л` after
//! `б в м п ф` goes too (`обновлен` → `обнов`). Stems shorter than that have
//! no root.

/// First character of the dictionary entries of precise spelling keys.
pub const CROSS: char = '\u{1}';
/// First character of the entries of skeleton spelling keys.
pub const SKELETON: char = '\u{2}';
/// First character of the entries of derivational roots.
pub const ROOT: char = '\u{3}';

/// Fewest letters of a word with spelling keys.
pub const KEY_MIN: usize = 3;
/// Fewest letters of a skeleton key.
pub const SKELETON_MIN: usize = 4;
/// Fewest letters of a root.
pub const ROOT_MIN: usize = 5;

/// Sound rules of the spelling keys, tried at each position longest first.
pub const PHONETIC: &[(&str, &str)] = &[
    ("shch", "sh"),
    ("tion", "shn"),
    ("sion", "shn"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("dzh", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("qu", "kv"),
    ("yu", "u"),
    ("ya", "a"),
    ("yo", "o"),
    ("ye", "e"),
    ("oo", "u"),
    ("ee", "i"),
    ("ch", "ch"),
    ("x", "ks"),
    ("w", "v"),
    ("q", "k"),
    ("z", "s"),
    ("y", "i"),
];

/// Suffixes a root loses: verbs' (`-ирова-`, `-ова-`, `-ыва-`), nouns'
/// (`-ени-`, `-ац-`, `-тель`, `-чик`, `-инг`), adjectives' (`-н-`, `-ск-`)
/// and stem vowels.
pub const SUFFIXES: &[&str] = &[
    "ирован",
    "ирова",
    "ован",
    "ова",
    "ева",
    "ыва",
    "ива",
    "тель",
    "тел",
    "ств",
    "чик",
    "щик",
    "ник",
    "инг",
    "ени",
    "ани",
    "ост",
    "ен",
    "ан",
    "ац",
    "яц",
    "ск",
    "н",
    "к",
    "а",
    "я",
    "и",
    "е",
];

/// The precise and (when long enough) skeleton spelling keys of a folded
/// word, or `None` for a word without them.
pub fn cross_keys(word: &str) -> Option<(String, Option<String>)> {
    if word.chars().count() < KEY_MIN {
        return None;
    }
    let latin: String = if word.chars().all(|c| c.is_ascii_lowercase()) {
        word.to_string()
    } else if word.chars().all(|c| matches!(c, 'а'..='я' | 'ё')) {
        word.chars()
            .filter_map(crate::slug::russian_letter)
            .collect()
    } else {
        return None;
    };
    let precise = phonetic(&latin);
    let skeleton = skeleton(&precise);
    Some((precise, skeleton))
}

/// The sound rules applied left to right, then doubled letters once.
fn phonetic(latin: &str) -> String {
    let bytes = latin.as_bytes();
    let mut out = String::with_capacity(latin.len());
    let mut at = 0;
    while at < bytes.len() {
        let rest = &latin[at..];
        if let Some((from, to)) = PHONETIC.iter().find(|(from, _)| rest.starts_with(from)) {
            out.push_str(to);
            at += from.len();
            continue;
        }
        let c = bytes[at];
        match c {
            b'c' if matches!(bytes.get(at + 1), Some(b'e' | b'i' | b'y')) => out.push('s'),
            b'c' => out.push('k'),
            _ => out.push(char::from(c)),
        }
        at += 1;
    }
    single(&out)
}

/// Runs of one letter written once.
fn single(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The first letter and the consonants of the rest, if [`SKELETON_MIN`] or more.
fn skeleton(precise: &str) -> Option<String> {
    let mut chars = precise.chars();
    let first = chars.next()?;
    let rest: String = chars.filter(|c| !"aeiou".contains(*c)).collect();
    let key = single(&format!("{first}{rest}"));
    (key.len() >= SKELETON_MIN).then_some(key)
}

/// The derivational root of a stem of Russian letters, or `None`.
pub fn root(stem: &str) -> Option<String> {
    if !stem.chars().all(|c| matches!(c, 'а'..='я')) {
        return None;
    }
    let mut root: Vec<char> = stem
        .chars()
        .map(|c| if c == 'э' { 'е' } else { c })
        .collect();
    for _ in 0..2 {
        let cut = SUFFIXES
            .iter()
            .map(|s| s.chars().count())
            .filter(|&n| root.len() >= n + ROOT_MIN && ends_with(&root, SUFFIXES, n))
            .max();
        match cut {
            Some(n) => root.truncate(root.len() - n),
            None => break,
        }
    }
    let labial = root.len() > ROOT_MIN
        && root.last() == Some(&'л')
        && matches!(root[root.len() - 2], 'б' | 'в' | 'м' | 'п' | 'ф');
    if labial {
        root.pop();
    }
    (root.len() >= ROOT_MIN).then(|| root.into_iter().collect())
}

/// Whether the last `n` letters of `word` are one of `suffixes`.
fn ends_with(word: &[char], suffixes: &[&str], n: usize) -> bool {
    let tail: String = word[word.len() - n..].iter().collect();
    suffixes.contains(&tail.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(word: &str) -> (String, Option<String>) {
        cross_keys(word).unwrap_or_else(|| panic!("{word} has keys"))
    }

    #[test]
    fn cyrillic_spellings_share_keys_with_their_latin_terms() {
        for (cyrillic, latin) in [
            ("телепорт", "teleport"),
            ("редюсер", "reducer"),
            ("компьютед", "computed"),
            ("роутер", "router"),
            ("транзишн", "transition"),
            ("контекст", "context"),
        ] {
            assert_eq!(keys(cyrillic).0, keys(latin).0, "{cyrillic} {latin}");
        }
        for (cyrillic, latin) in [
            ("тайпскрипт", "typescript"),
            ("вотчер", "watcher"),
            ("композабл", "composable"),
            ("саспенс", "suspense"),
        ] {
            assert_eq!(keys(cyrillic).1, keys(latin).1, "{cyrillic} {latin}");
        }
        assert_eq!(keys("reducer"), ("reduser".into(), Some("rdsr".into())));
    }

    #[test]
    fn short_and_mixed_words_have_no_keys() {
        for word in ["ab", "use2", "iphoneом", "c++"] {
            assert_eq!(cross_keys(word), None, "{word}");
        }
        assert_eq!(keys("хук").0, keys("hook").0);
        assert_eq!(keys("реф"), ("ref".into(), None));
    }

    #[test]
    fn derivations_of_one_word_share_a_root() {
        for group in [
            &["регистрац", "регистрирова"][..],
            &["оптимизац", "оптимизирова"],
            &["кеширован", "кэширова"],
            &["обработк", "обработчик"],
            &["обновлен", "обнов"],
            &["наблюдател", "наблюда"],
            &["рендеринг", "рендер"],
            &["вычисля", "вычислен"],
        ] {
            let roots: Vec<Option<String>> = group.iter().map(|s| root(s)).collect();
            assert!(
                roots[0].is_some() && roots.iter().all(|r| r == &roots[0]),
                "{group:?}: {roots:?}"
            );
        }
        assert_eq!(root("тест"), None, "too short");
        assert_eq!(root("react"), None);
    }
}
