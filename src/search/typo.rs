//! Typo buckets: the site's word forms by first letter and length.
//!
//! Stage: search, in the `SearchIndex` job. The browser corrects a word of
//! four letters or more that is not in the dictionary (or rare next to a far
//! more frequent neighbour) by reading the buckets of its first letter (and
//! second, for a swapped first pair) and of lengths n−1..n+1 (n−2..n+2 for
//! two edits), and keeping the forms one or two edits away (see the module
//! docs of `search`). Buckets hold word forms as the site writes them, not
//! stems: a typo in an ending (`реактивнсоть`) is one edit from a form
//! (`реактивность`) and several from its stem, and the form is what the
//! correction notice shows; the browser finds the form's term with its
//! tokenizer. Buckets are small text files: loaded only for such a word.

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

/// A word form and the number of pages of its term.
type Form<'a> = (&'a str, usize);

/// Typo buckets: the word forms of the terms with pages (3+ characters,
/// with a letter) grouped by first character and length, one `form df` per
/// line (`df`: pages of its term), deflated. The key of a bucket is its
/// first character followed by the length in decimal.
pub fn typo_buckets(dictionary: &[Term<'_>]) -> Vec<Part> {
    let mut buckets: BTreeMap<(Vec<u16>, usize), Vec<Form<'_>>> = BTreeMap::new();
    for term in dictionary.iter().filter(|t| !t.docs.is_empty()) {
        for form in term.forms {
            let mut chars = form.chars();
            let (Some(first), length) = (chars.next(), form.chars().count()) else {
                continue;
            };
            if length >= TYPO_MIN_CHARS && form.chars().any(char::is_alphabetic) {
                let key = (first.encode_utf16(&mut [0; 2]).to_vec(), length);
                buckets
                    .entry(key)
                    .or_default()
                    .push((form, term.docs.len()));
            }
        }
    }
    for forms in buckets.values_mut() {
        forms.sort_unstable();
        forms.dedup_by(|a, b| a.0 == b.0);
    }
    let keys: Vec<(String, Vec<Form<'_>>)> = buckets
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
        .map(|(_, forms)| forms.iter().map(|(f, _)| f.len() + 4).sum())
        .collect();
    let cuts = cut_points(&keys, &sizes, |(key, _)| key, TYPO_LIMITS);
    let ranges: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    ranges
        .par_iter()
        .map(|&(from, to)| {
            let mut text = String::new();
            for (_, forms) in &keys[from..to] {
                for (form, df) in forms {
                    text.push_str(form);
                    text.push(' ');
                    text.push_str(&df.to_string());
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
    fn buckets_list_word_forms_by_first_letter_and_length() {
        let docs = [1u32, 2];
        let forms: Vec<Vec<Box<str>>> = [
            &["12345"][..],
            &["ab"],
            &["продукт"],
            &["проект", "проекта"],
        ]
        .iter()
        .map(|list| list.iter().map(|f| (*f).into()).collect())
        .collect();
        let dictionary: Vec<Term<'_>> = forms
            .iter()
            .map(|forms| Term {
                text: forms[0].clone().into(),
                docs: &docs,
                weights: &[1, 1],
                rules: &[],
                forms,
                related: None,
            })
            .collect();
        let parts = typo_buckets(&dictionary);
        let keys: Vec<&str> = parts.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["п6"], "numbers and short words have no bucket");
        assert_eq!(parts.len(), 1, "п7 shares the file");
        use std::io::Read;
        let mut text = String::new();
        flate2::read::ZlibDecoder::new(&parts[0].bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "проект 2\nпродукт 2\nпроекта 2\n");
    }
}
