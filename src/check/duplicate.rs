//! `duplicate-block`: a run of consecutive paragraphs or list items of at
//! least `duplicate_min_words` words that appears twice, in one page or in
//! two. Text is compared by its words, lowercased, `ё` read as `е`, so
//! whitespace, line breaks, emphasis and punctuation do not hide a copy.
//!
//! Method: every page's units become word counts and hashes. From each unit
//! starts a *window*, the shortest run of units with enough words; two copies
//! of a run share the hashes of all their windows. Windows are grouped by
//! hash (a sort, so the cost stays near-linear even for a page of ten
//! thousand identical list items); each later copy is paired with the first,
//! pairs on the same diagonal merge into whole runs, and overlapping runs of
//! a page merge into one copy. Each copy gives one finding at its first line.

use std::collections::BTreeMap;

use xxhash_rust::xxh3::xxh3_64;

use super::outline::Unit;
use super::page::PageText;
use super::rules::DUPLICATE_BLOCK;
use crate::error::{Error, Location};

/// A unit reduced to what comparison needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UnitKey {
    hash: u64,
    words: usize,
    /// Byte range in the body.
    start: usize,
    end: usize,
}

/// Hash the words of each unit; units without words are left out.
pub(crate) fn keys(units: &[Unit]) -> Vec<UnitKey> {
    units
        .iter()
        .filter_map(|unit| {
            let (normalized, words) = words(&unit.text);
            (words > 0).then(|| UnitKey {
                hash: xxh3_64(normalized.as_bytes()),
                words,
                start: unit.start,
                end: unit.end,
            })
        })
        .collect()
}

/// The text's words, lowercased with `ё` as `е`, joined by single spaces.
fn words(text: &str) -> (String, usize) {
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut count = 0;
    let mut in_word = false;
    for c in lower.chars() {
        if !is_word_char(c) {
            in_word = false;
            continue;
        }
        if !in_word {
            if count > 0 {
                out.push(' ');
            }
            count += 1;
            in_word = true;
        }
        out.push(if c == 'ё' { 'е' } else { c });
    }
    (out, count)
}

/// Letters and digits, with a quick answer for Latin and Russian.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        matches!(c, 'а'..='я' | 'ё') || c.is_alphanumeric()
    }
}

/// A window: units `start..=end` of page `page`.
#[derive(Debug, Clone, Copy)]
struct Window {
    hash: u64,
    page: usize,
    start: usize,
    end: usize,
}

/// One copy of a repeated run in a page, with where the other copies are.
#[derive(Debug, Clone)]
struct Copy {
    page: usize,
    start: usize,
    end: usize,
    others: Vec<(usize, usize)>,
    /// Further copies not named in `others`.
    more: usize,
}

/// How many other copies a finding names.
const NAMED: usize = 3;

/// Findings for every copy of every repeated run across `pages`.
pub(crate) fn check(pages: &[PageText<'_>], keys: &[Vec<UnitKey>], min_words: usize) -> Vec<Error> {
    let mut windows = Vec::new();
    for (page, units) in keys.iter().enumerate() {
        windows_of(page, units, min_words, &mut windows);
    }
    windows.sort_unstable_by_key(|w| (w.hash, w.page, w.start));
    let copies = merge_copies(runs(pairs(&windows), keys, min_words));
    copies
        .iter()
        .map(|copy| finding(copy, pages, keys))
        .collect()
}

/// Every window of a page: from each unit, the fewest units with `min_words`.
/// A window's hash is a polynomial of its units' hashes, taken from prefix
/// sums in constant time per window.
fn windows_of(page: usize, units: &[UnitKey], min_words: usize, out: &mut Vec<Window>) {
    const BASE: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut prefix = Vec::with_capacity(units.len() + 1);
    prefix.push(0u64);
    for unit in units {
        let last = *prefix.last().expect("starts with 0");
        prefix.push(last.wrapping_mul(BASE).wrapping_add(unit.hash));
    }
    let mut powers = vec![1u64];
    let mut end = 0;
    let mut sum = 0;
    for start in 0..units.len() {
        while sum < min_words && end < units.len() {
            sum += units[end].words;
            end += 1;
        }
        if sum < min_words {
            return;
        }
        let len = end - start;
        while powers.len() <= len {
            let last = *powers.last().expect("starts with 1");
            powers.push(last.wrapping_mul(BASE));
        }
        // The length is mixed in so that runs of different lengths differ.
        let hash = prefix[end]
            .wrapping_sub(prefix[start].wrapping_mul(powers[len]))
            .wrapping_add(len as u64);
        out.push(Window {
            hash,
            page,
            start,
            end: end - 1,
        });
        sum -= units[start].words;
    }
}

/// Pairs (first copy, later copy) of equal windows that do not overlap.
fn pairs(windows: &[Window]) -> Vec<(Window, Window)> {
    let mut pairs = Vec::new();
    for group in windows.chunk_by(|a, b| a.hash == b.hash) {
        let first = group[0];
        for later in &group[1..] {
            if later.page != first.page || later.start > first.end {
                pairs.push((first, *later));
            }
        }
    }
    pairs
}

/// Merge pairs on the same diagonal (same pages, same distance) into runs.
fn runs(pairs: Vec<(Window, Window)>, keys: &[Vec<UnitKey>], min_words: usize) -> Vec<Copy> {
    let mut diagonals: BTreeMap<(usize, usize, isize), Vec<(Window, Window)>> = BTreeMap::new();
    for (a, b) in pairs {
        let distance = b.start as isize - a.start as isize;
        diagonals
            .entry((a.page, b.page, distance))
            .or_default()
            .push((a, b));
    }
    let mut copies = Vec::new();
    for mut list in diagonals.into_values() {
        list.sort_by_key(|(a, _)| a.start);
        let mut current: Option<(Window, Window)> = None;
        for (a, b) in list {
            match &mut current {
                Some((ca, cb)) if a.start <= ca.end + 1 => {
                    ca.end = ca.end.max(a.end);
                    cb.end = cb.end.max(b.end);
                }
                _ => {
                    if let Some(done) = current.take() {
                        push_run(extend(done, keys, min_words), &mut copies);
                    }
                    current = Some((a, b));
                }
            }
        }
        if let Some(done) = current {
            push_run(extend(done, keys, min_words), &mut copies);
        }
    }
    copies
}

/// A run's last units may be too short to start a window of their own:
/// follow both copies while their units stay equal, for fewer than
/// `min_words` words (longer tails have windows of their own).
fn extend(
    (mut a, mut b): (Window, Window),
    keys: &[Vec<UnitKey>],
    min_words: usize,
) -> (Window, Window) {
    let mut words = 0;
    while words < min_words {
        let (next_a, next_b) = (a.end + 1, b.end + 1);
        let (Some(x), Some(y)) = (keys[a.page].get(next_a), keys[b.page].get(next_b)) else {
            break;
        };
        let collides = a.page == b.page && next_a >= b.start;
        if x.hash != y.hash || collides {
            break;
        }
        a.end = next_a;
        b.end = next_b;
        words += x.words;
    }
    (a, b)
}

fn push_run((a, b): (Window, Window), copies: &mut Vec<Copy>) {
    // Runs of one page that overlap are a repeating pattern, not two copies.
    if a.page == b.page && b.start <= a.end {
        return;
    }
    copies.push(Copy {
        page: a.page,
        start: a.start,
        end: a.end,
        others: vec![(b.page, b.start)],
        more: 0,
    });
    copies.push(Copy {
        page: b.page,
        start: b.start,
        end: b.end,
        others: vec![(a.page, a.start)],
        more: 0,
    });
}

/// Copies of one page that overlap are one copy.
fn merge_copies(mut copies: Vec<Copy>) -> Vec<Copy> {
    copies.sort_by_key(|c| (c.page, c.start));
    let mut merged: Vec<Copy> = Vec::new();
    for copy in copies {
        match merged.last_mut() {
            Some(last) if last.page == copy.page && copy.start <= last.end => {
                last.end = last.end.max(copy.end);
                for other in copy.others {
                    if last.others.contains(&other) {
                        continue;
                    }
                    if last.others.len() < NAMED {
                        last.others.push(other);
                    } else {
                        last.more += 1;
                    }
                }
                last.more += copy.more;
            }
            _ => merged.push(copy),
        }
    }
    merged
}

fn finding(copy: &Copy, pages: &[PageText<'_>], keys: &[Vec<UnitKey>]) -> Error {
    let page = &pages[copy.page];
    let units = &keys[copy.page][copy.start..=copy.end];
    let words: usize = units.iter().map(|u| u.words).sum();
    let first = page.location(units[0].start);
    let last = page.location(
        units[units.len() - 1]
            .end
            .saturating_sub(1)
            .max(units[units.len() - 1].start),
    );
    let mut others = copy.others.clone();
    others.sort();
    let places: Vec<String> = others
        .iter()
        .map(|&(p, u)| {
            let at = pages[p].location(keys[p][u].start);
            describe_place(&first, &at)
        })
        .collect();
    let more = copy.more;
    let mut place_text = places.join(", ");
    if more > 0 {
        place_text.push_str(&format!(" and {more} more"));
    }
    let lines = if last.line > first.line {
        format!("lines {}–{}", first.line, last.line)
    } else {
        format!("line {}", first.line)
    };
    Error::warning(
        DUPLICATE_BLOCK,
        first,
        format!("repeated text: these {words} words ({lines}) also appear at {place_text}"),
    )
    .with_hint("keep one copy: delete the other, and link to the page that keeps it if both places need it")
}

/// `line 88` in the same file, `content/b.md:12` in another.
fn describe_place(here: &Location, there: &Location) -> String {
    if here.path == there.path {
        format!("line {}", there.line)
    } else {
        format!("{}:{}", crate::error::display_path(&there.path), there.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(hash: u64, words: usize, start: usize) -> UnitKey {
        UnitKey {
            hash,
            words,
            start,
            end: start + 1,
        }
    }

    fn copies_of(keys: &[Vec<UnitKey>], min_words: usize) -> Vec<(usize, usize, usize)> {
        let mut windows = Vec::new();
        for (page, units) in keys.iter().enumerate() {
            windows_of(page, units, min_words, &mut windows);
        }
        windows.sort_unstable_by_key(|w| (w.hash, w.page, w.start));
        merge_copies(runs(pairs(&windows), keys, min_words))
            .iter()
            .map(|c| (c.page, c.start, c.end))
            .collect()
    }

    #[test]
    fn words_ignore_case_punctuation_and_yo() {
        assert_eq!(
            words("Ещё  раз, *ЁЛКА*-палка!"),
            ("еще раз елка палка".to_string(), 4)
        );
    }

    #[test]
    fn a_run_in_two_pages_is_one_copy_in_each() {
        let a = vec![key(1, 5, 0), key(2, 20, 1), key(3, 25, 2), key(4, 5, 3)];
        let b = vec![key(9, 5, 0), key(2, 20, 1), key(3, 25, 2)];
        assert_eq!(copies_of(&[a, b], 40), [(0, 1, 2), (1, 1, 2)]);
    }

    #[test]
    fn a_block_pasted_twice_in_a_row_is_two_copies() {
        let page = vec![
            key(7, 3, 0),
            key(1, 30, 1),
            key(2, 30, 2),
            key(1, 30, 3),
            key(2, 30, 4),
        ];
        assert_eq!(copies_of(&[page], 40), [(0, 1, 2), (0, 3, 4)]);
    }

    #[test]
    fn a_short_last_paragraph_still_belongs_to_the_run() {
        let a = vec![key(1, 45, 0), key(2, 39, 1), key(3, 50, 2)];
        let b = vec![key(1, 45, 0), key(2, 39, 1), key(4, 50, 2)];
        assert_eq!(copies_of(&[a, b], 40), [(0, 0, 1), (1, 0, 1)]);
    }

    #[test]
    fn short_repeats_and_overlapping_patterns_are_not_copies() {
        let short = vec![key(1, 10, 0), key(2, 5, 1), key(1, 10, 2)];
        assert!(copies_of(&[short], 40).is_empty());
        // Thirty identical one-word items: no two disjoint 40-word runs.
        let items: Vec<UnitKey> = (0..30).map(|i| key(5, 1, i)).collect();
        assert!(copies_of(&[items], 40).is_empty());
    }

    #[test]
    fn ten_thousand_identical_items_stay_cheap_and_few() {
        let items: Vec<UnitKey> = (0..10_000).map(|i| key(5, 1, i)).collect();
        // One repeating region: one finding, not thousands.
        let copies = copies_of(&[items], 40);
        assert_eq!(copies, [(0, 0, 9999)]);
    }
}
