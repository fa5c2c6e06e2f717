//! Term ids: every distinct index term gets a small number, so a page's
//! analysis is a list of integers instead of strings.
//!
//! Stage: search, used by [`super::analyze`] in the parallel Markdown pass
//! and by [`super::index`] when the shards are written. Stemming is the slow
//! part of indexing, and a site repeats the same few ten thousand words
//! millions of times, so each worker thread memoizes folded token text ->
//! term id; only a miss stems the word and takes the shared lock.
//!
//! Ids are only stable within one process (they depend on which thread saw a
//! word first) and never reach the output: the index is sorted by term text.
//! The table lives as long as the process, which in `serve` keeps the ids of
//! unchanged pages valid across rebuilds; it grows only with new words.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use super::stem::{is_stop_word, term};

/// Index of a term in the process-wide table.
pub type TermId = u32;

/// The memo's answer for a stop word (not indexed).
pub const STOP: TermId = TermId::MAX;

/// Every term seen by this process, by id and by text.
#[derive(Debug, Default)]
struct Table {
    ids: HashMap<Arc<str>, TermId, FastHash>,
    terms: Vec<Arc<str>>,
}

static TABLE: LazyLock<Mutex<Table>> = LazyLock::new(Mutex::default);

thread_local! {
    /// Folded token text -> term id (or [`STOP`]), per worker thread.
    static MEMO: RefCell<HashMap<Box<str>, TermId, FastHash>> = RefCell::default();
}

/// The id of the term of a folded token text, or [`STOP`] for a stop word.
pub fn id_of_text(folded: &str) -> TermId {
    if let Some(id) = MEMO.with(|memo| memo.borrow().get(folded).copied()) {
        return id;
    }
    let id = if is_stop_word(folded) {
        STOP
    } else {
        intern(&term(folded))
    };
    MEMO.with(|memo| memo.borrow_mut().insert(folded.into(), id));
    id
}

/// The id of a term (already stemmed), adding it when new.
pub fn intern(term: &str) -> TermId {
    let mut table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
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
pub fn texts(ids: &[TermId]) -> Vec<Arc<str>> {
    let table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
    ids.iter().map(|&id| table.terms[id as usize].clone()).collect()
}

/// Number of ids handed out so far (ids are below it).
pub fn count() -> usize {
    TABLE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .terms
        .len()
}

/// FxHash-style hasher for short keys: the memo is hit for every token, and
/// SipHash's DoS resistance buys nothing for a site's own text.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

/// `BuildHasher` of [`FxHasher`].
pub type FastHash = BuildHasherDefault<FxHasher>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("8-byte chunk"));
            self.add(word);
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ rest.len() as u64);
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_share_one_id_and_stop_words_have_none() {
        assert_eq!(id_of_text("менеджера"), id_of_text("менеджеров"));
        assert_ne!(id_of_text("менеджера"), id_of_text("проекта"));
        assert_eq!(id_of_text("и"), STOP);
        let id = id_of_text("проектами");
        assert_eq!(&*texts(&[id])[0], "проект");
        assert_eq!(intern("проект"), id);
        assert!(count() > id as usize);
    }
}
