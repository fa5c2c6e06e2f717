//! Morphology beyond Snowball: the site's words grouped by lemma and by
//! root, and filed under their spelling keys, once every word form of the
//! site is known.
//!
//! Stage: search, in the `SearchIndex` job. Takes every term of the index
//! with its word forms and page count and returns, by dictionary entry name,
//! the terms a query word should also match ([`Related`]):
//!
//! - **Lemmas**: each Russian form is looked up in the OpenCorpora
//!   dictionary of the `rumorph` crate (`rumorph-dict-ru`: lemmas of about
//!   390,000 words, analyses by paradigm, ~1 µs a form). Terms whose forms
//!   share a lemma match each other (`пишет` and `писали`: `пиш`, `писа`).
//!   Every other form of the site's lemmas gets an entry of its own that
//!   leads to them, so a query form the site does not contain still finds
//!   its word with one dictionary lookup. Forms the dictionary does not know
//!   (and every query form whose lemma the site lacks) stay with Snowball.
//! - **Roots** ([`super::keys::root`]): terms of one root and different
//!   lemmas are *derived* neighbours (`регистрация` and `регистрировать`),
//!   a weaker match; the root's own entry lists them for unknown query words.
//! - **Spelling keys** ([`super::keys::cross_keys`]): a term's entry lists
//!   the terms of the other script with a form of the same precise key (or,
//!   when none has one, of the same skeleton key), and entries under each
//!   key list the terms with that spelling for query words the site lacks:
//!   `телепорт` finds `teleport` and `teleport` finds `телепорт`.
//!
//! Groups are capped ([`GROUP_MAX`]), keeping the terms on most pages.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use rayon::prelude::*;
use rumorph::{Analysis, Dictionary, Source};

use super::keys::{CROSS, ROOT, SKELETON, cross_keys, root};
use super::tokenize::{fold, term};

/// Most terms a group or key leads to (the ones on most pages).
pub const GROUP_MAX: usize = 12;

/// The OpenCorpora dictionary, read from the program's data once (a few ms).
static DICTIONARY: LazyLock<Option<Dictionary>> = LazyLock::new(|| Dictionary::bundled().ok());

/// Terms related to a dictionary entry.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Related {
    /// Terms of the same word (lemma), or those a key leads to.
    pub same: BTreeSet<String>,
    /// Terms of the same root and another word.
    pub derived: BTreeSet<String>,
    /// Terms of the other script with a form of the same spelling key.
    pub cross: BTreeSet<String>,
}

impl Related {
    /// The shard text: the `same`, `derived` and `cross` terms, separated
    /// by tabs, each list by spaces; empty lists at the end are left out.
    pub fn text(&self) -> String {
        let join = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(" ");
        let mut lists = vec![join(&self.same), join(&self.derived), join(&self.cross)];
        while lists.last().is_some_and(String::is_empty) {
            lists.pop();
        }
        lists.join("\t")
    }

    fn is_empty(&self) -> bool {
        self.same.is_empty() && self.derived.is_empty() && self.cross.is_empty()
    }
}

/// A term of the index with its word forms and number of pages.
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    /// The term.
    pub term: &'a str,
    /// Its folded word forms, as the site writes them.
    pub forms: &'a [Box<str>],
    /// Pages that have it.
    pub df: usize,
}

/// Related terms by entry name: the site's terms, other forms of their
/// lemmas, spelling keys and roots.
pub fn related(words: &[Word<'_>]) -> BTreeMap<String, Related> {
    let mut out: BTreeMap<String, Related> = BTreeMap::new();
    let df: HashMap<&str, usize> = words.iter().map(|w| (w.term, w.df)).collect();
    lemmas(words, &df, &mut out);
    roots(words, &df, &mut out);
    spellings(words, &df, &mut out);
    out.retain(|_, r| !r.is_empty());
    out
}

/// Every folded form of the dictionary's words that `word` (a folded form)
/// can be, in paradigm order: what the index gives entries of their own
/// (the tokenizer parity test checks that the browser finds them).
pub fn dictionary_forms(word: &str) -> Vec<String> {
    let Some(dictionary) = DICTIONARY.as_ref() else {
        return Vec::new();
    };
    dictionary
        .analyze(word)
        .iter()
        .filter(|a| a.source == Source::Dictionary)
        .flat_map(|a| dictionary.forms(a))
        .map(|f| fold(&f.word))
        .collect()
}

/// The `GROUP_MAX` terms on most pages, as a set.
fn capped<'a>(
    terms: impl IntoIterator<Item = &'a str>,
    df: &HashMap<&str, usize>,
) -> BTreeSet<String> {
    let mut list: Vec<&str> = terms.into_iter().collect();
    list.sort_by(|a, b| df.get(b).cmp(&df.get(a)).then(a.cmp(b)));
    list.dedup();
    list.into_iter()
        .take(GROUP_MAX)
        .map(str::to_string)
        .collect()
}

/// Whether a term is one Russian word (no compound, no other script).
fn is_russian(term: &str) -> bool {
    term.chars().all(|c| matches!(c, 'а'..='я'))
}

/// Lemma groups of the site's Russian terms, and entries for their lemmas'
/// other forms.
fn lemmas(words: &[Word<'_>], df: &HashMap<&str, usize>, out: &mut BTreeMap<String, Related>) {
    let Some(dictionary) = DICTIONARY.as_ref() else {
        return;
    };
    let found: Vec<(String, Analysis, &str)> = words
        .par_iter()
        .filter(|w| is_russian(w.term))
        .flat_map_iter(|w| {
            w.forms.iter().flat_map(move |form| {
                dictionary
                    .analyze(form)
                    .into_iter()
                    .filter(|a| a.source == Source::Dictionary)
                    .map(move |a| (fold(&a.lemma), a, w.term))
            })
        })
        .collect();
    let mut by_lemma: BTreeMap<String, (Analysis, BTreeSet<&str>)> = BTreeMap::new();
    for (lemma, analysis, term) in found {
        by_lemma
            .entry(lemma)
            .or_insert_with(|| (analysis, BTreeSet::new()))
            .1
            .insert(term);
    }
    let generated: Vec<(String, &BTreeSet<&str>)> = by_lemma
        .par_iter()
        .flat_map_iter(|(_, (analysis, terms))| {
            let forms = dictionary.forms(analysis);
            let mut new: Vec<String> = forms
                .iter()
                .map(|f| term(&fold(&f.word)))
                .filter(|t| !df.contains_key(t.as_str()))
                .collect();
            new.sort_unstable();
            new.dedup();
            new.into_iter().map(move |t| (t, terms))
        })
        .collect();
    for (_, terms) in by_lemma.values() {
        if terms.len() > 1 {
            for &t in terms {
                let others = terms.iter().copied().filter(|&o| o != t);
                out.entry(t.to_string())
                    .or_default()
                    .same
                    .extend(capped(others, df));
            }
        }
    }
    for (new, terms) in generated {
        let entry = out.entry(new).or_default();
        entry.same.extend(terms.iter().map(|t| t.to_string()));
        entry.same = capped(entry.same.iter().map(String::as_str), df);
    }
}

/// Derived neighbours (one root, other lemmas) and the roots' entries.
fn roots(words: &[Word<'_>], df: &HashMap<&str, usize>, out: &mut BTreeMap<String, Related>) {
    let mut by_root: HashMap<String, Vec<&str>> = HashMap::new();
    for w in words.iter().filter(|w| w.df > 0) {
        if let Some(r) = root(w.term) {
            by_root.entry(r).or_default().push(w.term);
        }
    }
    for (r, terms) in by_root {
        let group = capped(terms.iter().copied(), df);
        if terms.len() > 1 {
            for &t in &terms {
                let entry = out.entry(t.to_string()).or_default();
                let others: Vec<String> = group
                    .iter()
                    .filter(|o| *o != t && !entry.same.contains(*o))
                    .cloned()
                    .collect();
                entry.derived.extend(others);
            }
        }
        out.entry(format!("{ROOT}{r}")).or_default().same = group;
    }
}

/// Entries of the spelling keys of every form, and each term's terms of
/// the other script.
fn spellings(words: &[Word<'_>], df: &HashMap<&str, usize>, out: &mut BTreeMap<String, Related>) {
    let mut by_key: HashMap<String, HashSet<&str>> = HashMap::new();
    let keys_of = |w: &Word<'_>| -> Vec<(String, Option<String>)> {
        w.forms.iter().filter_map(|f| cross_keys(f)).collect()
    };
    for w in words.iter().filter(|w| w.df > 0) {
        for (precise, skeleton) in keys_of(w) {
            by_key
                .entry(format!("{CROSS}{precise}"))
                .or_default()
                .insert(w.term);
            if let Some(skeleton) = skeleton {
                by_key
                    .entry(format!("{SKELETON}{skeleton}"))
                    .or_default()
                    .insert(w.term);
            }
        }
    }
    for w in words.iter().filter(|w| w.df > 0) {
        let keys = keys_of(w);
        let script = is_russian(w.term);
        let other = |key: String| -> Vec<&str> {
            by_key
                .get(&key)
                .into_iter()
                .flatten()
                .copied()
                .filter(|t| is_russian(t) != script && t.chars().all(char::is_alphabetic))
                .collect()
        };
        let mut cross: Vec<&str> = keys
            .iter()
            .flat_map(|(p, _)| other(format!("{CROSS}{p}")))
            .collect();
        if cross.is_empty() {
            cross = keys
                .iter()
                .filter_map(|(_, s)| s.clone())
                .flat_map(|s| other(format!("{SKELETON}{s}")))
                .collect();
        }
        if !cross.is_empty() {
            out.entry(w.term.to_string()).or_default().cross = capped(cross, df);
        }
    }
    for (key, terms) in by_key {
        out.entry(key).or_default().same = capped(terms, df);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words<'a>(list: &'a [(&'a str, Vec<Box<str>>)]) -> Vec<Word<'a>> {
        list.iter()
            .map(|(t, forms)| Word {
                term: t,
                forms,
                df: 1,
            })
            .collect()
    }

    fn forms(list: &[&str]) -> Vec<Box<str>> {
        list.iter().map(|f| (*f).into()).collect()
    }

    #[test]
    fn forms_of_one_lemma_find_each_other_and_other_forms_lead_to_them() {
        let site: Vec<(String, Vec<Box<str>>)> = ["иду", "шли", "teleport"]
            .iter()
            .map(|w| (term(w), forms(&[w])))
            .collect();
        let list: Vec<(&str, Vec<Box<str>>)> =
            site.iter().map(|(t, f)| (t.as_str(), f.clone())).collect();
        let related = related(&words(&list));
        let (a, b) = (term("иду"), term("шли"));
        assert_ne!(a, b, "Snowball stems them apart");
        assert!(related[&a].same.contains(&b), "{related:?}");
        assert!(related[&b].same.contains(&a));
        let unseen = term(&fold("шёл"));
        assert!(
            related[&unseen].same.contains(&a),
            "a form the site lacks leads to its word"
        );
        let key = format!("{CROSS}{}", cross_keys("телепорт").unwrap().0);
        assert!(related[&key].same.contains("teleport"));
    }

    #[test]
    fn terms_know_their_spellings_in_the_other_script() {
        let list = [
            ("телепорт", forms(&["телепорт", "телепорта"])),
            ("teleport", forms(&["teleport"])),
            ("тайпскрипт", forms(&["тайпскрипт"])),
            ("typescript", forms(&["typescript"])),
        ];
        let related = related(&words(&list));
        assert!(
            related["телепорт"].cross.contains("teleport"),
            "{related:?}"
        );
        assert!(related["teleport"].cross.contains("телепорт"));
        assert!(
            related["тайпскрипт"].cross.contains("typescript"),
            "by the skeleton key"
        );
    }

    #[test]
    fn derived_words_are_weaker_neighbours() {
        let list = [
            ("регистрац", forms(&["регистрация"])),
            ("регистрирова", forms(&["регистрировать"])),
        ];
        let related = related(&words(&list));
        assert!(
            related["регистрац"].derived.contains("регистрирова"),
            "{related:?}"
        );
        assert!(related["регистрац"].same.is_empty());
        assert_eq!(related[&format!("{ROOT}регистр")].same.len(), 2);
    }

    #[test]
    fn related_text_lists_same_then_derived() {
        let mut r = Related::default();
        assert_eq!(r.text(), "");
        r.same.insert("a".into());
        r.same.insert("b".into());
        assert_eq!(r.text(), "a b");
        r.derived.insert("c".into());
        assert_eq!(r.text(), "a b\tc");
        r.derived.clear();
        r.cross.insert("d".into());
        assert_eq!(r.text(), "a b\t\td");
    }
}
