//! Term ids: every distinct index term gets a small number, so a page's
//! analysis is a list of integers instead of strings.
//!
//! Stage: search, used by [`super::Analyzer::analyze`] in the parallel Markdown pass
//! and by [`super::index`] when the shards are written. Stemming is the slow
//! part of indexing, and a site repeats the same few ten thousand words
//! millions of times, so each worker thread memoizes folded token text ->
//! term id; only a miss stems the word and takes the shared lock.
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

/// The memo's answer for a stop word (not indexed).
pub const STOP: TermId = TermId::MAX;

/// Every term seen by one analyzer, by id and by text.
#[derive(Debug, Default)]
struct Table {
    ids: HashMap<Arc<str>, TermId, FastHash>,
    terms: Vec<Arc<str>>,
}

/// The term table of one build (or of one `serve` process), shared by the
/// worker threads of the analysis pass.
#[derive(Debug, Default)]
pub struct Terms {
    table: Mutex<Table>,
}

/// Token surface (as written, before folding) -> term id (or [`STOP`]): one
/// per worker thread, so a lookup takes no lock, and a hit skips folding.
///
/// Keyed by the surface's 64-bit XXH3 hash rather than its text: the table
/// stays small and a lookup touches no string. Two surfaces of one site
/// sharing a hash (odds about 10⁻¹⁰ for 100,000 words) would share a term.
#[derive(Debug, Default)]
pub struct Memo {
    ids: HashMap<u64, TermId, BuildHasherDefault<Prehashed>>,
    folded: String,
}

impl Memo {
    /// The id of the term of a token surface, or [`STOP`] for a stop word.
    /// A memo belongs to one table: `terms` is always the same one.
    pub fn id_of_surface(&mut self, terms: &Terms, surface: &str) -> TermId {
        let key = xxhash_rust::xxh3::xxh3_64(surface.as_bytes());
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        fold_into(surface, &mut self.folded);
        let id = if is_stop_word(&self.folded) {
            STOP
        } else {
            terms.intern(&term(&self.folded))
        };
        self.ids.insert(key, id);
        id
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
        if let Some(&id) = table.ids.get(term) {
            return id;
        }
        let id = TermId::try_from(table.terms.len()).expect("fewer than 4 billion distinct terms");
        let text: Arc<str> = term.into();
        table.terms.push(text.clone());
        table.ids.insert(text, id);
        id
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
    fn word_forms_share_one_id_and_stop_words_have_none() {
        let terms = Terms::default();
        let mut memo = Memo::default();
        assert_eq!(
            memo.id_of_surface(&terms, "менеджера"),
            memo.id_of_surface(&terms, "менеджеров")
        );
        assert_ne!(
            memo.id_of_surface(&terms, "менеджера"),
            memo.id_of_surface(&terms, "проекта")
        );
        assert_eq!(
            memo.id_of_surface(&terms, "Менеджеру"),
            memo.id_of_surface(&terms, "менеджера")
        );
        assert_eq!(memo.id_of_surface(&terms, "и"), STOP);
        let id = memo.id_of_surface(&terms, "проектами");
        assert_eq!(&*terms.texts(&[id])[0], "проект");
        assert_eq!(terms.intern("проект"), id);
        assert!(terms.count() > id as usize);
    }
}
