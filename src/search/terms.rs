//! Term ids: every distinct index term gets a small number, so a page's
//! analysis is a list of integers instead of strings.
//!
//! Stage: search, used by [`super::Analyzer::analyze`] in the parallel Markdown pass
//! and by [`super::index`] when the shards are written. Stemming is the slow
//! part of indexing, and a site repeats the same few ten thousand words
//! millions of times, so each worker thread memoizes folded token text ->
//! term id; only a miss stems the word and takes the shared lock.
//!
//! The table also numbers every folded word form with its term (`менеджера`,
//! `менеджеров` for `менеджер`), and each page keeps the ids of its forms:
//! the morphology of the index groups the forms of the pages by lemma once
//! every page is known ([`super::morphology`]), and typo buckets list them.
//!
//! Ids are only stable within one process (they depend on which thread saw a
//! word first) and never reach the output: the index is sorted by term text.
//! The table is held by its caller ([`Terms`], inside the build's analyzer):
//! `serve` keeps one for its whole life, which keeps the ids of unchanged
//! pages valid across rebuilds; it grows only with new words.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

use super::stem::{is_stop_word, term};
use super::tokenize::fold_into;

/// Index of a term in a [`Terms`] table.
pub type TermId = u32;

/// Index of a word form in a [`Terms`] table.
pub type FormId = u32;

/// A token's term as the memo knows it: its id, and whether the token is a
/// stop word (indexed in titles, aliases and headings only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// Id of the term.
    pub id: TermId,
    /// Id of the folded word form.
    pub form: FormId,
    /// Whether the token is a stop word.
    pub stop: bool,
}

/// Every term seen by one analyzer, by id and by text, and every word form
/// with its term.
#[derive(Debug, Default)]
struct Table {
    ids: HashMap<Arc<str>, TermId, FastHash>,
    terms: Vec<Arc<str>>,
    form_ids: HashMap<Box<str>, FormId, FastHash>,
    forms: Vec<(Box<str>, TermId)>,
}

/// The term table of one build (or of one `serve` process), shared by the
/// worker threads of the analysis pass.
#[derive(Debug, Default)]
pub struct Terms {
    table: Mutex<Table>,
}

/// Token surface (as written, before folding) -> [`Known`] term: one
/// per worker thread, so a lookup takes no lock, and a hit skips folding.
///
/// Keyed by the surface's 64-bit XXH3 hash rather than its text: the table
/// stays small and a lookup touches no string. Two surfaces of one site
/// sharing a hash (odds about 10⁻¹⁰ for 100,000 words) would share a term.
#[derive(Debug, Default)]
pub struct Memo {
    ids: HashMap<u64, Known, BuildHasherDefault<Prehashed>>,
    folded: String,
}

impl Memo {
    /// The term of a token surface. A memo belongs to one table: `terms` is
    /// always the same one.
    pub fn term_of_surface(&mut self, terms: &Terms, surface: &str) -> Known {
        let key = xxhash_rust::xxh3::xxh3_64(surface.as_bytes());
        if let Some(&known) = self.ids.get(&key) {
            return known;
        }
        fold_into(surface, &mut self.folded);
        let (id, form) = terms.intern_form(&term(&self.folded), &self.folded);
        let known = Known {
            id,
            form,
            stop: is_stop_word(&self.folded),
        };
        self.ids.insert(key, known);
        known
    }
}

/// Hasher for keys that are already hashes: passes the `u64` through.
#[derive(Debug, Default, Clone, Copy)]
pub struct Prehashed(u64);

impl Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed here; fold anything else in anyway.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Terms {
    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The id of a term (already stemmed), adding it when new.
    pub fn intern(&self, term: &str) -> TermId {
        let mut table = self.lock();
        Self::id_in(&mut table, term)
    }

    /// The ids of a term (already stemmed) and of `form` (a folded word
    /// whose term it is), adding them when new.
    pub fn intern_form(&self, term: &str, form: &str) -> (TermId, FormId) {
        let mut table = self.lock();
        if let Some(&form_id) = table.form_ids.get(form) {
            return (table.forms[form_id as usize].1, form_id);
        }
        let id = Self::id_in(&mut table, term);
        let form_id =
            FormId::try_from(table.forms.len()).expect("fewer than 4 billion distinct forms");
        table.forms.push((form.into(), id));
        table.form_ids.insert(form.into(), form_id);
        (id, form_id)
    }

    fn id_in(table: &mut Table, term: &str) -> TermId {
        if let Some(&id) = table.ids.get(term) {
            return id;
        }
        let id = TermId::try_from(table.terms.len()).expect("fewer than 4 billion distinct terms");
        let text: Arc<str> = term.into();
        table.terms.push(text.clone());
        table.ids.insert(text, id);
        id
    }

    /// The text and term of each of the given form ids, in the same order.
    pub fn forms(&self, ids: &[FormId]) -> Vec<(Box<str>, TermId)> {
        let table = self.lock();
        ids.iter()
            .map(|&id| table.forms[id as usize].clone())
            .collect()
    }

    /// Number of form ids handed out so far (ids are below it).
    pub fn form_count(&self) -> usize {
        self.lock().forms.len()
    }

    /// The texts of the given ids, in the same order.
    pub fn texts(&self, ids: &[TermId]) -> Vec<Arc<str>> {
        let table = self.lock();
        ids.iter()
            .map(|&id| table.terms[id as usize].clone())
            .collect()
    }

    /// Number of ids handed out so far (ids are below it).
    pub fn count(&self) -> usize {
        self.lock().terms.len()
    }
}

/// Hasher for short keys (token surfaces): the first and last eight bytes
/// and the length, mixed by multiplication. The memo is hit for every token,
/// and SipHash's DoS resistance buys nothing for a site's own text.
#[derive(Debug, Default, Clone, Copy)]
pub struct ShortKeyHasher(u64);

/// `BuildHasher` of [`ShortKeyHasher`].
pub type FastHash = BuildHasherDefault<ShortKeyHasher>;

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher for ShortKeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let (a, b) = if n >= 8 {
            (load(&bytes[..8]), load(&bytes[n - 8..]))
        } else {
            let mut padded = [0u8; 8];
            padded[..n].copy_from_slice(bytes);
            (u64::from_le_bytes(padded), 0)
        };
        self.mix(a);
        self.mix(b ^ n as u64);
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

impl ShortKeyHasher {
    fn mix(&mut self, word: u64) {
        let x = u128::from(self.0 ^ word) * u128::from(MUL);
        self.0 = (x as u64) ^ ((x >> 64) as u64);
    }
}

fn load(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes.try_into().expect("eight bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_share_one_id_and_stop_words_are_marked() {
        let terms = Terms::default();
        let mut memo = Memo::default();
        let mut known = |word: &str| memo.term_of_surface(&terms, word);
        assert_eq!(known("менеджера").id, known("менеджеров").id);
        assert_ne!(known("менеджера").id, known("проекта").id);
        assert_eq!(known("Менеджеру").id, known("менеджера").id);
        let (a, b) = (known("Менеджеру").form, known("менеджеру").form);
        assert_eq!(a, b, "one folded form");
        assert_ne!(a, known("менеджера").form);
        let manager = known("менеджер").id;
        assert!(known("и").stop && !known("проект").stop);
        let id = known("проектами").id;
        assert_eq!(terms.forms(&[a])[0], ("менеджеру".into(), manager));
        assert_eq!(&*terms.texts(&[id])[0], "проект");
        assert_eq!(terms.intern("проект"), id);
        assert!(terms.count() > id as usize && terms.form_count() >= 7);
    }
}
