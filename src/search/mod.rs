//! Search: tokenizer and stemming, the index and its sharded files (no I/O).
//!
//! Stage: search. [`Analyzer::analyze`] runs for every page in the parallel Markdown
//! pass and keeps a small [`Document`] (the page's plain text is dropped);
//! [`write_index`] runs as the `SearchIndex` job and turns the documents
//! into the files under `search/`. The browser client
//! (`themes/default/static/search/`: `engine.js` ranks, `ui.js` draws,
//! `tokenize.js` mirrors [`tokenize`]) reads them; nothing runs on a server.
//!
//! # What is indexed, and the ranking
//!
//! Four fields per page: **title** (the title and, for roles, every
//! `also_known_as` alias), **headings**, **description** (description, a
//! role's summary, tags and taxonomy terms) and **body** (the plain text,
//! headings and code included, and a role's duties, qualities, employers,
//! pros, cons and "not for" lists). Words are tokenized by [`tokenize`]
//! (Unicode segmentation, lowercase, `ё` → `е`, `й` kept, compounds whole
//! and by parts, camelCase pieces) and stemmed by script by [`stem`]
//! (Snowball Russian or English). Stop words are indexed in titles, aliases
//! and headings only (in bodies and descriptions they would be on every
//! page), so `is`, `if` or `only` as an API name stays findable.
//!
//! Each (term, page) pair keeps one weight byte ([`mod@analyze`]): a bit per
//! field the term is in (title, heading, description) and the body frequency
//! `f = tf / (1 − b + b·words / 500)` (BM25 length normalization with
//! `b = 0.75` and a fixed reference length, see below), quantized on a
//! logarithmic scale to 1..31. The browser scores a term for a page like
//! BM25F with an IDF per field:
//!
//! ```text
//! score = 3.0·idf(title df)·[in title] + 1.2·idf(heading df)·[in a heading]
//!       + 1.0·idf(description df)·[in description] + idf(df)·f·(k1 + 1)/(f + k1)
//! idf(n) = ln(1 + (N − n + 0.5)/(n + 0.5)),  k1 = 1.2
//! ```
//!
//! so a title or alias match outweighs a heading match, which outweighs the
//! body (one body match saturates at 2.2), and a word common in bodies but
//! rare in titles still counts in a title. A query word's score on a page is
//! the best of its matches, each times its factor (below); a page's score is
//! the sum over the query's words (stop words left out, unless the query has
//! nothing else), ×1.5 when its title or aliases hold all of them.
//!
//! **The list fills up.** Pages are ranked by how many of the query's words
//! they match, then (among pages with all of them) pages whose title or
//! aliases hold every word *exactly* (not through a completion, correction
//! or other form) first, then by score × (matched words / words)²: pages
//! with every word come first, then pages with most of them, so ten results
//! show whenever ten pages match any word. Constants: [`records::K1`],
//! [`records::TITLE_WEIGHT`] and the other weights and factors there, sent
//! to the browser in the manifest.
//!
//! # How a query word matches
//!
//! From the strongest (factors in [`records`]):
//!
//! - its own **term** (1);
//! - **another form of its word** (0.9): [`morphology`] groups the site's
//!   forms by lemma with the OpenCorpora dictionary of the `rumorph` crate
//!   when the index is written, and gives every other form of those lemmas
//!   an entry of its own, so one dictionary lookup of the query form leads
//!   to the forms the site uses (`пишу` finds `писали`); forms the
//!   dictionary does not know keep their Snowball stem;
//! - a **synonym** (0.85, [`synonyms`]): built-in role names and
//!   abbreviations, the site's `search.synonyms`, every role's title with its
//!   aliases; a query phrase that is one of them also matches the others;
//! - a **completion** (0.65–0.9, by how much of the term is typed): a word of
//!   four letters or more also matches the terms its term starts with (up to
//!   30, most frequent first, from the shard of its term); while the user is
//!   typing, the last word (unless a space or punctuation follows it) from two
//!   characters on matches the terms its text starts with (from up to 3
//!   shards). A deep link (`/search/?q=…`) or a submitted query treats its
//!   last word like the others. A synonym's alternative matches its own
//!   terms only (no completions, other forms or corrections);
//! - a compound's **parts** (0.8): `аккаунт-менеджер`, `useEffect` also match
//!   a page that has all their parts;
//! - its **spelling in the other script** (0.7, [`keys`]): a Cyrillic spelling
//!   of a Latin term and the term (`редюсер`, `reducer`), a transliterated
//!   Russian word and the word, through a key both sides share (the slug
//!   table read letter by letter, then a small phonetic normalization); each
//!   term's entry lists its other-script terms, and for a word the site does
//!   not have, the key's own entry does;
//! - a **derived word** of the same root (0.5): noun, verb and adjective of
//!   one root (`регистрация`, `регистрировать`), by suffix stripping
//!   ([`keys::root`]);
//! - a **correction** (one edit 0.55, two edits 0.4): a word of four letters
//!   or more that the site does not have (no page has its term or another
//!   form of its word), or has on at most 2 pages while a form one edit away
//!   is on 10 times as many (and 5 or more), matches the 3 most frequent word
//!   forms one edit away (insertion, deletion, substitution, or a swap of two
//!   neighbouring letters), or two edits for words of eight letters or more
//!   when one finds nothing. Candidates come from the typo buckets of its
//!   first letter (and of its second, for a swapped first pair) and of
//!   lengths n−1..n+1 (n−2..n+2), so a typo in the first letter is not
//!   corrected. The results page says which correction was used
//!   («Показаны результаты для …»).
//!
//! # Files (all under `search/` of the output)
//!
//! - `index.z`: the manifest (deflated JSON). Fixed name; the browser revalidates it on
//!   each visit (`cache: no-cache`), every other file has a content hash in
//!   its URL and is immutable. It holds the format version, the number of
//!   documents, the ranking constants, each shard's first key and hash, the
//!   typo directory's hash, the record groups' hashes and the sections.
//! - `s-<hash>.z`: **shards** of the dictionary, sorted in UTF-16 order
//!   (JavaScript's) and cut at content-defined points ([`index::shards`]):
//!   each term with its document frequency, synonym rules, related terms
//!   (other forms of its word, derived words, other-script spellings) and
//!   postings (gap coded document ids and weight bytes); also entries
//!   without postings for the other forms of the site's words and, under
//!   names starting with U+0001..U+0003 (below any word), for spelling keys
//!   and roots. A query loads only the shards of its words: a few KB each.
//! - `t-<hash>.z`: **typo buckets** (`form df` lines: the site's word forms
//!   by first character and length, with their term's page count) and their
//!   directory; loaded only for a word that needs them.
//! - `d/p-<hash>.pack`: the **records** of 64 consecutive pages, apart from
//!   the postings. A record is a line of JSON with the page's URL and
//!   section, then the deflated JSON of its title, description and excerpt
//!   (the start of the intro and of each heading's block, 1.5 KB in all) for
//!   snippets, padded with zeros to a multiple of 32 bytes. The deflated part
//!   is made by [`Analyzer::analyze`] and kept in the [`Document`]. Only the
//!   records of the results shown are read, each with an HTTP range request
//!   on the pack (named by the hash of its records); a server that ignores ranges
//!   sends the whole pack, which the browser then keeps for the group's
//!   other records. Packing keeps a site's file count near its page count
//!   (hosts limit it).
//! - `l-<hash>.z`: the **layout** of the packs: each page's record length in
//!   32-byte units (a LEB128 number, 0 for none), read with the first query.
//!
//! Every `.z` file is deflated (zlib format); `engine.js` inflates it. The
//! output is deterministic: terms, shards and files are sorted, hashes come
//! from content.
//!
//! # Watch mode
//!
//! `serve` analyzes only the pages an edit touches and runs [`write_index`]
//! again, which is cheap: it only regroups the kept documents. Only the
//! files whose bytes changed are written: the pack of a page's record (and
//! the layout, when its length changed), the shards and typo buckets of the
//! words that came or went (and the entries of their lemmas, roots and
//! spelling keys), the manifest. Three choices keep the rest
//! byte-identical: shard cut points depend on the terms around them, not on
//! running totals; records are packed by fixed groups of ids; and
//! body frequencies are normalized by a fixed length (500 words) instead of
//! the site's average, which every edit would move.
//!
//! # DOM contract of `/search/`
//!
//! Opening `/search/?q=<query>` runs the query. The ranked results are
//! `a[href]` elements inside `#search-results`, in rank order, the first ten
//! at least (one link per result: title, section and snippet). When the
//! results for the current query are rendered, `#search-results` has
//! `data-state="done"` (`data-state="loading"` before; also `done` when
//! there are no results; `error` when the index cannot be loaded). Inside
//! `#search-results` the only links are result links; the section filter
//! (`#search-filter`) and the "more" button are outside it. The page's own
//! `input[type=search]` (`#search-q`) updates the results in place and the
//! address's `?q=`; the section filter is kept in the address as
//! `&section=<the section's URL>`. When a correction was used,
//! `#search-corrected` (inside `#search-results`, not a link) names it.
//! Keys: `/` focuses the search box, ↑/↓ move through the results, Enter
//! opens one, Esc closes the header drop-down (or goes back to the input).
//! Index text is always inserted as text, never as HTML.

pub mod analyze;
pub mod index;
pub mod keys;
pub mod morphology;
pub mod records;
pub mod stem;
pub mod synonyms;
pub mod terms;
pub mod tokenize;
pub mod typo;

pub use analyze::{Analyzer, Document};
pub use index::ShardCache;

use crate::model::Site;

/// The search index files of a site: (output path, bytes), sorted by path.
/// `docs` are the entries' documents, in entry order, analyzed by `analyzer`;
/// `cache` keeps deflated shards between the rebuilds of `serve`.
pub fn write_index(
    site: &Site,
    docs: &[Document],
    analyzer: &Analyzer,
    cache: Option<&ShardCache>,
    lang: crate::model::Lang,
) -> Vec<(String, Vec<u8>)> {
    // One index per language: the other languages' pages stay in it as
    // empty documents, so that document ids remain entry ids.
    let empty = Document::default();
    let docs: Vec<&Document> = docs
        .iter()
        .zip(&site.entries)
        .map(|(doc, entry)| if entry.lang == lang { doc } else { &empty })
        .collect();
    let roles: Vec<Vec<String>> = site
        .entries
        .iter()
        .filter(|e| e.lang == lang)
        .filter_map(|e| {
            let aliases = e.page.front.raw.also_known_as.as_ref()?;
            let title = std::iter::once(e.page.front.title.clone());
            Some(title.chain(aliases.iter().cloned()).collect())
        })
        .filter(|group: &Vec<String>| group.len() > 1)
        .collect();
    let groups = synonyms::site_groups(&site.config.search.synonyms, &roles);
    // The postings are dropped before the records are copied (peak memory).
    let (shards, typo) = {
        let postings = index::Postings::build(&docs, analyzer.terms());
        let rules = synonyms::matchable(synonyms::rules(&groups), |t| postings.has(t));
        let related = morphology::related(&postings.words());
        let dictionary = postings.dictionary(&rules, &related);
        (
            index::shards(&dictionary, cache),
            typo::typo_buckets(&dictionary),
        )
    };
    let mut files = Vec::with_capacity(docs.len() + shards.len() + typo.len() + 2);
    let prefix = site.config.language_prefix(site.lang_code(lang));
    records::write(site, &docs, &shards, &typo, lang, &mut files);
    for part in shards {
        files.push((format!("search/s-{}.z", part.hash), part.bytes));
    }
    for part in typo {
        files.push((format!("search/t-{}.z", part.hash), part.bytes));
    }
    if !prefix.is_empty() {
        for file in &mut files {
            file.0.insert_str(0, &prefix);
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    files
}
