//! Typo buckets: the dictionary's words by first letter and length.
//!
//! Stage: search, in the `SearchIndex` job. The browser corrects a word of
//! five letters or more that is not in the dictionary by reading the buckets
//! of its first letter (and second, for a swapped first pair) and of lengths
//! n−1..n+1, and keeping the words one edit away (see the module docs of
//! `search`). Buckets are small text files: loaded only for such a word.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::index::{Limits, Part, SHARD_LEVEL, Term, content_hash, cut_points, deflate};

/// Typo files are smaller than shards: a lookup reads three of them.
const TYPO_LIMITS: Limits = Limits {
    min: 1024,
    target: 2 * 1024,
    max: 6 * 1024,
};
/// Shortest term (in characters) kept for typo correction.
const TYPO_MIN_CHARS: usize = 3;

/// Typo buckets: the dictionary's words (3+ characters, with a letter)
/// grouped by first character and length, one `term df` per line, deflated.
/// The key of a bucket is its first character followed by the length in
/// decimal.
pub fn typo_buckets(dictionary: &[Term<'_>]) -> Vec<Part> {
    let mut buckets: BTreeMap<(Vec<u16>, usize), Vec<&Term<'_>>> = BTreeMap::new();
    for term in dictionary {
        let mut chars = term.text.chars();
        let (Some(first), length) = (chars.next(), term.text.chars().count()) else {
            continue;
        };
        if length >= TYPO_MIN_CHARS && term.text.chars().any(char::is_alphabetic) {
            let key = (first.encode_utf16(&mut [0; 2]).to_vec(), length);
            buckets.entry(key).or_default().push(term);
        }
    }
    let keys: Vec<(String, Vec<&Term<'_>>)> = buckets
        .into_iter()
        .map(|((first, length), terms)| {
            (
                format!("{}{length}", String::from_utf16_lossy(&first)),
                terms,
            )
        })
        .collect();
    let sizes: Vec<usize> = keys
        .iter()
        .map(|(_, terms)| terms.iter().map(|t| t.text.len() + 4).sum())
        .collect();
    let cuts = cut_points(&keys, &sizes, |(key, _)| key, TYPO_LIMITS);
    let ranges: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    ranges
        .par_iter()
        .map(|&(from, to)| {
            let mut text = String::new();
            for (_, terms) in &keys[from..to] {
                for term in terms {
                    text.push_str(&term.text);
                    text.push(' ');
                    text.push_str(&term.docs.len().to_string());
                    text.push('\n');
                }
            }
            let bytes = text.into_bytes();
            Part {
                key: keys[from].0.clone(),
                hash: content_hash(&bytes),
                bytes: deflate(&bytes, SHARD_LEVEL),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_list_words_by_first_letter_and_length() {
        let docs = [1u32, 2];
        let term = |text: &str| Term {
            text: text.into(),
            docs: &docs,
            weights: &[1, 1],
            rules: &[],
        };
        let dictionary = [term("12345"), term("ab"), term("продукт"), term("проект")];
        let parts = typo_buckets(&dictionary);
        let keys: Vec<&str> = parts.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["п6"], "numbers and short words have no bucket");
        use std::io::Read;
        let mut text = String::new();
        flate2::read::ZlibDecoder::new(&parts[0].bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "проект 2\nпродукт 2\n");
    }
}
