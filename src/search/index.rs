//! The dictionary and its shards.
//!
//! Stage: search, in the `SearchIndex` job. Takes every page's
//! [`Document`] and the synonym rules and returns the inverted index in
//! memory ([`Postings`]) and the binary shard files (term ranges with their
//! postings), plus the helpers every index file uses: content-defined cut
//! points, deflate, content hashes. The layouts are described in the module
//! docs of `search`; `themes/default/static/search/engine.js` reads them.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::analyze::Document;
use super::morphology::Related;
use super::synonyms::Rule;
use super::terms::{TermId, Terms};

/// Shards aim at about this many bytes ...
pub const SHARD_TARGET: usize = 8 * 1024;
/// ... never end before this many ...
pub const SHARD_MIN: usize = 2 * 1024;
/// ... and end at the first term past this many.
pub const SHARD_MAX: usize = 24 * 1024;

/// One term with its postings and synonym rules.
#[derive(Debug)]
pub struct Term<'a> {
    /// The term text.
    pub text: Arc<str>,
    /// Documents containing it, ascending.
    pub docs: &'a [u32],
    /// The weight byte for each of `docs`.
    pub weights: &'a [u8],
    /// Synonym rules triggered by a query starting with this term.
    pub rules: &'a [Rule],
    /// The word forms of the site with this term.
    pub forms: &'a [Box<str>],
    /// Terms a query word with this term also matches.
    pub related: Option<&'a Related>,
}

/// All postings, grouped by term: the inverted index in memory.
#[derive(Debug, Default)]
pub struct Postings {
    docs: Vec<u32>,
    weights: Vec<u8>,
    /// Term texts in UTF-16 order, with their range in `docs`.
    terms: Vec<(Arc<str>, std::ops::Range<usize>)>,
    /// The word forms of each of `terms`.
    forms: Vec<Vec<Box<str>>>,
}

impl Postings {
    /// Invert the documents (document id = position in `docs`), whose term
    /// ids are those of `terms`.
    pub fn build(docs: &[&Document], terms: &Terms) -> Postings {
        let mut counts = vec![0usize; terms.count()];
        for doc in docs {
            for (id, _) in doc.terms() {
                counts[id as usize] += 1;
            }
        }
        let used: Vec<TermId> = (0..counts.len() as TermId)
            .filter(|&id| counts[id as usize] > 0)
            .collect();
        let mut by_term = forms_by_term(docs, terms);
        let forms: Vec<Vec<Box<str>>> = used
            .iter()
            .map(|id| by_term.remove(id).unwrap_or_default())
            .collect();
        let mut order: Vec<(Arc<str>, TermId, Vec<Box<str>>)> = terms
            .texts(&used)
            .into_iter()
            .zip(used)
            .zip(forms)
            .map(|((text, id), forms)| (text, id, forms))
            .collect();
        order.sort_by(|a, b| utf16_cmp(&a.0, &b.0));
        let mut start = vec![0usize; counts.len()];
        let mut ranges = Vec::with_capacity(order.len());
        let mut all_forms = Vec::with_capacity(order.len());
        let mut total = 0;
        for (text, id, forms) in order {
            let n = counts[id as usize];
            start[id as usize] = total;
            ranges.push((text, total..total + n));
            all_forms.push(forms);
            total += n;
        }
        let mut postings = Postings {
            docs: vec![0; total],
            weights: vec![0; total],
            terms: ranges,
            forms: all_forms,
        };
        for (doc_id, doc) in docs.iter().enumerate() {
            for (id, weight) in doc.terms() {
                let at = &mut start[id as usize];
                postings.docs[*at] = doc_id as u32;
                postings.weights[*at] = weight;
                *at += 1;
            }
        }
        postings
    }

    /// Every term with its forms and page count, for [`super::morphology`].
    pub fn words(&self) -> Vec<super::morphology::Word<'_>> {
        self.terms
            .iter()
            .zip(&self.forms)
            .map(|((text, range), forms)| super::morphology::Word {
                term: text,
                forms,
                df: range.len(),
            })
            .collect()
    }

    /// The dictionary: every term with postings, plus the synonym triggers
    /// and related-term entries that no page contains (with no postings),
    /// in UTF-16 order.
    pub fn dictionary<'a>(
        &'a self,
        rules: &'a BTreeMap<String, Vec<Rule>>,
        related: &'a BTreeMap<String, Related>,
    ) -> Vec<Term<'a>> {
        let mut out: Vec<Term<'a>> = self
            .terms
            .iter()
            .zip(&self.forms)
            .map(|((text, range), forms)| Term {
                text: text.clone(),
                docs: &self.docs[range.clone()],
                weights: &self.weights[range.clone()],
                rules: rules.get(&**text).map_or(&[], Vec::as_slice),
                forms,
                related: related.get(&**text),
            })
            .collect();
        let known: std::collections::HashSet<&str> = self.terms.iter().map(|(t, _)| &**t).collect();
        let extra: std::collections::BTreeSet<&str> = rules
            .keys()
            .chain(related.keys())
            .map(String::as_str)
            .filter(|key| !known.contains(key))
            .collect();
        for key in extra {
            out.push(Term {
                text: key.into(),
                docs: &[],
                weights: &[],
                rules: rules.get(key).map_or(&[], Vec::as_slice),
                forms: &[],
                related: related.get(key),
            });
        }
        out.sort_by(|a, b| utf16_cmp(&a.text, &b.text));
        out
    }

    /// Whether some page has `term`.
    pub fn has(&self, term: &str) -> bool {
        self.terms
            .binary_search_by(|(t, _)| utf16_cmp(t, term))
            .is_ok()
    }

    /// Number of (term, document) pairs.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when no page has any term.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// The word forms the pages have, by term, each term's sorted.
fn forms_by_term(
    docs: &[&Document],
    terms: &Terms,
) -> std::collections::HashMap<TermId, Vec<Box<str>>> {
    let mut used = vec![false; terms.form_count()];
    for doc in docs {
        for form in doc.forms() {
            used[form as usize] = true;
        }
    }
    let ids: Vec<u32> = (0..used.len() as u32)
        .filter(|&f| used[f as usize])
        .collect();
    let mut out: std::collections::HashMap<TermId, Vec<Box<str>>> =
        std::collections::HashMap::new();
    for (text, term) in terms.forms(&ids) {
        out.entry(term).or_default().push(text);
    }
    for forms in out.values_mut() {
        forms.sort_unstable();
    }
    out
}

/// String order of JavaScript (`<` on strings compares UTF-16 code units),
/// so the browser's binary searches agree with ours.
pub fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// A file of the index: name (content hash) and bytes.
#[derive(Debug, Clone)]
pub struct Part {
    /// First key it covers (a term prefix, or a typo bucket key).
    pub key: String,
    /// Content hash, used as the file name.
    pub hash: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Deflated shards by content hash, kept by `serve` between index jobs: an
/// edit changes a few shards, and deflating all the others again was a
/// third of the index job at 10,000 pages. `build` has none.
#[derive(Debug, Default)]
pub struct ShardCache {
    deflated: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

impl ShardCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Vec<u8>>> {
        self.deflated
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Cuts the dictionary into shards at content-defined points, encodes and
/// deflates them (reusing the deflated shards of `cache`, if any).
pub fn shards(dictionary: &[Term<'_>], cache: Option<&ShardCache>) -> Vec<Part> {
    let sizes: Vec<usize> = dictionary.iter().map(entry_size).collect();
    let cuts = cut_points(dictionary, &sizes, |t| &t.text, Limits::SHARDS);
    let ranges: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let previous = cache.map(|c| std::mem::take(&mut *c.lock()));
    let parts: Vec<Part> = ranges
        .par_iter()
        .map(|&(from, to)| {
            let bytes = encode_shard(&dictionary[from..to]);
            let key = if from == 0 {
                String::new()
            } else {
                separator(&dictionary[from - 1].text, &dictionary[from].text)
            };
            let hash = content_hash(&bytes);
            let deflated = previous
                .as_ref()
                .and_then(|kept| kept.get(&hash).cloned())
                .unwrap_or_else(|| deflate(&bytes, SHARD_LEVEL));
            Part {
                key,
                hash,
                bytes: deflated,
            }
        })
        .collect();
    if let Some(cache) = cache {
        *cache.lock() = parts
            .iter()
            .map(|p| (p.hash.clone(), p.bytes.clone()))
            .collect();
    }
    parts
}

/// Chunk size limits: minimum, target (average) and maximum bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) min: usize,
    pub(crate) target: usize,
    pub(crate) max: usize,
}

impl Limits {
    const SHARDS: Limits = Limits {
        min: SHARD_MIN,
        target: SHARD_TARGET,
        max: SHARD_MAX,
    };
}

/// Indexes where chunks start (first 0, last `items.len()`). An item ends a
/// chunk with a probability proportional to its size, decided by a hash of
/// its key, so an edit moves only nearby cuts and the other files keep
/// their names.
pub(crate) fn cut_points<T>(
    items: &[T],
    sizes: &[usize],
    key: impl Fn(&T) -> &str,
    limits: Limits,
) -> Vec<usize> {
    let mut cuts = vec![0];
    let mut size = 0;
    for (i, item) in items.iter().enumerate() {
        size += sizes[i];
        let chance =
            (xxhash_rust::xxh3::xxh3_64(key(item).as_bytes()) % limits.target as u64) as usize;
        let natural = chance < sizes[i];
        if i + 1 < items.len() && size >= limits.min && (natural || size >= limits.max) {
            cuts.push(i + 1);
            size = 0;
        }
    }
    cuts.push(items.len());
    cuts.dedup();
    cuts
}

/// The shortest prefix of `next` that sorts after `prev`: enough for the
/// browser to tell which shard a term belongs to.
fn separator(prev: &str, next: &str) -> String {
    let mut end = 0;
    for (i, c) in next.char_indices() {
        end = i + c.len_utf8();
        if utf16_cmp(&next[..end], prev) == Ordering::Greater {
            break;
        }
    }
    next[..end].to_string()
}

fn entry_size(term: &Term<'_>) -> usize {
    let rules: usize = term
        .rules
        .iter()
        .map(|r| 8 + r.alternatives.len() * 16)
        .sum();
    let related = term.related.map_or(0, |r| {
        r.same.iter().chain(&r.derived).map(|t| t.len() + 1).sum()
    });
    term.text.len() + 4 + term.docs.len() * 2 + rules + related
}

/// Binary layout of a shard: `varint n`, then per term `varint shared`
/// (UTF-16 units shared with the previous term), `varint len` + UTF-8 suffix,
/// `varint df`, `varint postings bytes`, `varint rules bytes` + rules text,
/// `varint related bytes` + related terms ([`Related::text`]); then the postings of every term in order, each posting a varint document
/// id gap (the first gap from 0) and the weight byte.
pub fn encode_shard(terms: &[Term<'_>]) -> Vec<u8> {
    let mut head = Vec::new();
    let mut body = Vec::new();
    put_varint(&mut head, terms.len());
    let mut prev: &str = "";
    for term in terms {
        let (shared, suffix) = shared_prefix(prev, &term.text);
        put_varint(&mut head, shared);
        put_varint(&mut head, suffix.len());
        head.extend_from_slice(suffix.as_bytes());
        put_varint(&mut head, term.docs.len());
        let before = body.len();
        let mut last = 0;
        for (&doc, &weight) in term.docs.iter().zip(term.weights) {
            put_varint(&mut body, (doc - last) as usize);
            body.push(weight);
            last = doc;
        }
        put_varint(&mut head, body.len() - before);
        let rules = rules_text(term.rules);
        put_varint(&mut head, rules.len());
        head.extend_from_slice(rules.as_bytes());
        let related = term.related.map(Related::text).unwrap_or_default();
        put_varint(&mut head, related.len());
        head.extend_from_slice(related.as_bytes());
        prev = &term.text;
    }
    head.extend_from_slice(&body);
    head
}

/// Rules as text: one per line, the trigger terms separated by spaces, then
/// a tab before each alternative phrase.
fn rules_text(rules: &[Rule]) -> String {
    let mut out = String::new();
    for rule in rules {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&rule.trigger.join(" "));
        for alternative in &rule.alternatives {
            out.push('\t');
            out.push_str(alternative);
        }
    }
    out
}

/// UTF-16 units `next` shares with `prev` at the start, and the rest of `next`.
fn shared_prefix<'a>(prev: &str, next: &'a str) -> (usize, &'a str) {
    let (mut units, mut bytes) = (0, 0);
    for (a, b) in prev.chars().zip(next.chars()) {
        if a != b {
            break;
        }
        units += a.len_utf16();
        bytes += a.len_utf8();
    }
    (units, &next[bytes..])
}

/// LEB128: 7 bits per byte, high bit set on all but the last.
pub fn put_varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Compresses a file for the browser in the zlib format (index files are
/// named `*.z`; the client inflates them). `level` 2 to 4: for files of a few
/// KB, 6 and up gain under 1% and cost build time (and level 1 of zlib-rs
/// uses fixed Huffman codes only, 40% larger).
pub fn deflate(bytes: &[u8], level: u32) -> Vec<u8> {
    // One compressor per thread and level: setting one up allocates and
    // clears a few hundred KB, more than compressing a 3 KB record costs.
    thread_local! {
        static COMPRESSORS: std::cell::RefCell<Vec<(u32, flate2::Compress)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|compressors| {
        let mut compressors = compressors.borrow_mut();
        let at = match compressors.iter().position(|(l, _)| *l == level) {
            Some(at) => at,
            None => {
                let new = flate2::Compress::new(flate2::Compression::new(level), true);
                compressors.push((level, new));
                compressors.len() - 1
            }
        };
        let compress = &mut compressors[at].1;
        compress.reset();
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let consumed = compress.total_in() as usize;
            let status = compress
                .compress_vec(&bytes[consumed..], &mut out, flate2::FlushCompress::Finish)
                .expect("compressing in memory");
            if status == flate2::Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// zlib level of shards and typo buckets (larger files, fewer of them).
pub const SHARD_LEVEL: u32 = 4;
/// zlib level of the (many, small) records. Level 1 makes them about 40%
/// larger than level 2 (a query fetches ten: ~4 KB more) but takes a tenth
/// of a 10,000-page build's CPU time less; records are most of the index's
/// build time.
pub const RECORD_LEVEL: u32 = 1;

/// A short content hash for file names (40 bits of XXH3, hex).
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:010x}", xxhash_rust::xxh3::xxh3_64(bytes) >> 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term<'a>(text: &str, docs: &'a [u32], weights: &'a [u8]) -> Term<'a> {
        Term {
            text: text.into(),
            docs,
            weights,
            rules: &[],
            forms: &[],
            related: None,
        }
    }

    #[test]
    fn shards_front_code_terms_and_gap_encode_postings() {
        let docs = [3u32, 300];
        let bytes = encode_shard(&[
            term("проект", &docs, &[0x81, 2]),
            term("проектн", &[7], &[1]),
        ]);
        let mut want = vec![2, 0, 12];
        want.extend_from_slice("проект".as_bytes());
        want.extend_from_slice(&[2, 5, 0, 0, 6, 2]);
        want.extend_from_slice("н".as_bytes());
        want.extend_from_slice(&[1, 2, 0, 0]);
        want.extend_from_slice(&[3, 0x81, 0xa9, 0x02, 2, 7, 1]);
        assert_eq!(bytes, want);
    }

    #[test]
    fn deflated_files_inflate_to_their_bytes() {
        use std::io::Read;
        for text in [&b""[..], b"a", &"абвгд ".repeat(5000).into_bytes()] {
            for level in [RECORD_LEVEL, SHARD_LEVEL, RECORD_LEVEL] {
                let mut back = Vec::new();
                flate2::read::ZlibDecoder::new(&deflate(text, level)[..])
                    .read_to_end(&mut back)
                    .unwrap();
                assert_eq!(back, text);
            }
        }
    }

    #[test]
    fn separators_are_the_shortest_distinguishing_prefix() {
        assert_eq!(separator("менеджер", "мир"), "ми");
        assert_eq!(separator("абв", "абвг"), "абвг");
        assert_eq!(separator("a", "b"), "b");
    }

    #[test]
    fn utf16_order_puts_astral_characters_before_the_private_use_area() {
        assert_eq!(utf16_cmp("\u{1F600}", "\u{E000}"), Ordering::Less);
        assert_eq!("\u{1F600}".cmp("\u{E000}"), Ordering::Greater);
    }

    #[test]
    fn cut_points_move_only_locally_when_an_item_grows() {
        let keys: Vec<String> = (0..2000).map(|i| format!("term{i:05}")).collect();
        let mut sizes = vec![100; keys.len()];
        let limits = Limits::SHARDS;
        let before = cut_points(&keys, &sizes, |k| k, limits);
        sizes[500] += 3000;
        let after = cut_points(&keys, &sizes, |k| k, limits);
        let same_tail = before
            .iter()
            .filter(|c| **c > 700 && after.contains(c))
            .count();
        let tail = before.iter().filter(|c| **c > 700).count();
        assert_eq!(same_tail, tail, "{before:?}\n{after:?}");
        assert!(before.len() > 10 && before.len() < 60, "{}", before.len());
    }
}
