//! Document records (what a result shows) and the manifest.
//!
//! Stage: search. [`body`] runs in [`super::Analyzer::analyze`]: the deflated title,
//! description and excerpt of a page. [`write()`] runs in the `SearchIndex`
//! job: one record file per page (`d/<id>.rec`: a line of JSON with its URL
//! and section, then the deflated body) and `search/index.z`, the
//! deflated manifest that names every other file.

use serde::Serialize;

use super::analyze::Passage;
use super::index::{Part, RECORD_LEVEL, SHARD_LEVEL, content_hash, deflate};
use crate::content::page::Page;
use crate::markdown::Heading;
use crate::model::Site;

/// Records are packed by this many consecutive documents into one file,
/// `d/p-<hash>.pack` (named by its content: a browser holding an older
/// manifest gets a 404, never another version's bytes at its offsets): a
/// 10,000-page site writes 157 files instead of
/// 10,000 (hosts limit the files of a site: Cloudflare Pages' free plan to
/// 20,000), an edit rewrites one pack, and a server without range requests
/// sends a whole pack (about 90 KB) instead of one record.
pub const GROUP_SIZE: usize = 64;

/// Records start at multiples of this many bytes (padded with zeros, which
/// inflate never reads), so the layout gives each record's length in units:
/// one byte per page (4 KB deflated at 10,000 pages) instead of two or three.
pub const RECORD_ALIGN: usize = 32;

/// Version of the file formats; the browser refuses other versions.
pub const FORMAT_VERSION: u32 = 3;

/// BM25's `k1`: how fast repeated body occurrences stop adding score.
pub const K1: f64 = 1.2;
/// Score of a term in the title or an alias, in units of one body match
/// (a body match saturates at `K1 + 1` = 2.2).
pub const TITLE_WEIGHT: f64 = 3.0;
/// Score of a term in a heading.
pub const HEADING_WEIGHT: f64 = 1.2;
/// Score of a term in the description, summary, tags or taxonomies.
pub const DESCRIPTION_WEIGHT: f64 = 1.0;
/// Factor for a page whose title or aliases match every word of the query.
pub const TITLE_ALL_BONUS: f64 = 1.5;

/// Factors of a word's matches other than its own term, from the strongest:
/// a synonym's alternative, a completion of the word (from the lower value
/// for a short prefix of a long term to the higher for a nearly whole one),
/// a compound found by its parts, one edit, two edits.
pub const SYNONYM_FACTOR: f64 = 0.85;
/// Completions: `[shortest prefix, whole word]`.
pub const PREFIX_FACTOR: [f64; 2] = [0.65, 0.9];
/// A compound found by all its parts rather than as a whole.
pub const PARTS_FACTOR: f64 = 0.8;
/// Another term of the same word (lemma).
pub const LEMMA_FACTOR: f64 = 0.9;
/// A term of the same spelling in the other script.
pub const CROSS_FACTOR: f64 = 0.7;
/// A term of the same root and another word.
pub const DERIVED_FACTOR: f64 = 0.5;
/// A correction one edit away.
pub const TYPO_FACTOR: f64 = 0.55;
/// A correction two edits away (words of eight letters or more).
pub const TWO_EDITS_FACTOR: f64 = 0.4;

const _: () = assert!(
    1.0 > LEMMA_FACTOR
        && LEMMA_FACTOR >= PREFIX_FACTOR[1]
        && PREFIX_FACTOR[0] > TYPO_FACTOR
        && TYPO_FACTOR > TWO_EDITS_FACTOR
        && CROSS_FACTOR > DERIVED_FACTOR
);

// Title and aliases above headings above description; one body match
// saturates at k1 + 1, below a title match.
const _: () = assert!(
    TITLE_WEIGHT > HEADING_WEIGHT && HEADING_WEIGHT > DESCRIPTION_WEIGHT && TITLE_WEIGHT > K1 + 1.0
);

/// Ranking parameters, sent to the browser with the manifest.
#[derive(Debug, Serialize)]
struct Ranking {
    #[serde(rename = "freqMin")]
    freq_min: f64,
    #[serde(rename = "freqStep")]
    freq_step: f64,
    k1: f64,
    title: f64,
    heading: f64,
    description: f64,
    #[serde(rename = "titleAll")]
    title_all: f64,
    synonym: f64,
    prefix: [f64; 2],
    parts: f64,
    typo: f64,
    typo2: f64,
    lemma: f64,
    cross: f64,
    derived: f64,
}

const RANKING: Ranking = Ranking {
    freq_min: super::analyze::FREQ_MIN,
    freq_step: super::analyze::FREQ_STEP,
    k1: K1,
    title: TITLE_WEIGHT,
    heading: HEADING_WEIGHT,
    description: DESCRIPTION_WEIGHT,
    title_all: TITLE_ALL_BONUS,
    synonym: SYNONYM_FACTOR,
    prefix: PREFIX_FACTOR,
    parts: PARTS_FACTOR,
    typo: TYPO_FACTOR,
    typo2: TWO_EDITS_FACTOR,
    lemma: LEMMA_FACTOR,
    cross: CROSS_FACTOR,
    derived: DERIVED_FACTOR,
};

/// What a result shows of a page, apart from where it is: the deflated
/// part of a record file.
#[derive(Debug, Serialize)]
struct Body<'a> {
    /// Title.
    t: &'a str,
    /// Description (or a role's summary).
    d: &'a str,
    /// Excerpt blocks: heading title ("" for the intro) and text.
    b: Vec<[&'a str; 2]>,
}

/// Where a page is: the first line of its record file.
#[derive(Debug, Serialize)]
struct Place<'a> {
    /// URL relative to the site's base path.
    u: &'a str,
    /// Section index in the manifest, or -1.
    s: i64,
}

/// The manifest: everything the browser needs to find the other files.
#[derive(Debug, Serialize)]
struct Manifest<'a> {
    version: u32,
    /// Number of documents (ids are 0..docs).
    docs: usize,
    /// Ranking parameters.
    ranking: &'a Ranking,
    /// Documents per record group.
    #[serde(rename = "groupSize")]
    group_size: usize,
    /// Content hash of each record group (its pack is `d/p-<hash>.pack`).
    groups: Vec<String>,
    /// Hash of the layout (`l-<hash>.z`): each document's record length in
    /// units of `align` bytes as a LEB128 number, 0 for none.
    layout: String,
    /// Record alignment in bytes.
    align: usize,
    /// Each shard's first key and hash (`s-<hash>.z`), in term order, as
    /// `key hash` lines (the first key is empty).
    shards: String,
    /// Hash of the typo directory (`t-<hash>.z`).
    typo: String,
    /// Sections: title and URL relative to the base path.
    sections: Vec<[&'a str; 2]>,
    /// Section of each document as runs: first document, section index, ...
    #[serde(rename = "sectionOf")]
    section_of: Vec<i64>,
}

/// The section list and each document's index into it (-1 for none). The
/// home page is no section: pages at the top level show none.
fn sections(site: &Site, lang: crate::model::Lang) -> (Vec<usize>, Vec<i64>) {
    let home = site.home_of(lang);
    let parent = |e: &crate::model::Entry| e.parent.filter(|&p| Some(p) != home);
    let in_lang = site.entries.iter().filter(|e| e.lang == lang);
    let mut ids: Vec<usize> = in_lang.filter_map(parent).collect();
    ids.sort_unstable();
    ids.dedup();
    let of = site
        .entries
        .iter()
        .map(|e| parent(e).map_or(-1, |p| ids.binary_search(&p).map_or(-1, |i| i as i64)))
        .collect();
    (ids, of)
}

/// Record packs (`search/d/<group>.pack`), their layout (`search/l-<hash>.z`)
/// and the manifest (`search/index.z`: deflated JSON, a third of its size
/// for a site with many sections).
pub fn write(
    site: &Site,
    docs: &[&super::Document],
    shards: &[Part],
    typo: &[Part],
    lang: crate::model::Lang,
    out: &mut Vec<(String, Vec<u8>)>,
) {
    let (section_ids, section_of) = sections(site, lang);
    let prefix = site.config.language_prefix(site.lang_code(lang));
    let record_of = |id: usize| {
        let entry = &site.entries[id];
        // Another language's page: never a result of this index.
        if entry.lang != lang {
            return Vec::new();
        }
        record(entry, docs[id], section_of[id], &prefix)
    };
    // A group at a time: the records are copied into their pack once, and
    // only their lengths are kept (a site's records are 13 MB at 10,000 pages).
    let mut groups = Vec::new();
    let mut lengths = Vec::with_capacity(site.entries.len());
    for start in (0..site.entries.len()).step_by(GROUP_SIZE) {
        let end = (start + GROUP_SIZE).min(site.entries.len());
        let records: Vec<Vec<u8>> = (start..end).map(record_of).collect();
        let hash = group_hash(&records);
        lengths.extend(records.iter().map(Vec::len));
        if records.iter().any(|r| !r.is_empty()) {
            out.push((format!("search/d/p-{hash}.pack"), records.concat()));
        }
        groups.push(hash);
    }
    let layout = deflate(&layout(&lengths), SHARD_LEVEL);
    let layout_hash = content_hash(&layout);
    out.push((format!("search/l-{layout_hash}.z"), layout));
    let directory: Vec<[&str; 2]> = typo
        .iter()
        .map(|p| [p.key.as_str(), p.hash.as_str()])
        .collect();
    let directory = serde_json::to_vec(&directory).expect("strings serialize");
    let typo_hash = content_hash(&directory);
    out.push((
        format!("search/t-{typo_hash}.z"),
        deflate(&directory, SHARD_LEVEL),
    ));
    let manifest = Manifest {
        version: FORMAT_VERSION,
        docs: site.entries.len(),
        ranking: &RANKING,
        group_size: GROUP_SIZE,
        groups,
        layout: layout_hash,
        align: RECORD_ALIGN,
        shards: shards
            .iter()
            .map(|p| format!("{} {}", p.key, p.hash))
            .collect::<Vec<_>>()
            .join("\n"),
        typo: typo_hash,
        sections: section_ids
            .iter()
            .map(|&id| {
                let entry = &site.entries[id];
                let url = entry
                    .rel_url
                    .strip_prefix(prefix.as_str())
                    .unwrap_or(&entry.rel_url);
                [entry.page.front.title.as_str(), url]
            })
            .collect(),
        section_of: runs(&section_of),
    };
    let bytes = serde_json::to_vec(&manifest).expect("manifest serializes");
    out.push(("search/index.z".to_string(), deflate(&bytes, SHARD_LEVEL)));
}

/// Content hash of a group of records (each length-prefixed).
fn group_hash(records: &[Vec<u8>]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for record in records {
        hasher.update(&record.len().to_le_bytes());
        hasher.update(record);
    }
    content_hash(&hasher.digest().to_le_bytes())
}

/// Each record's length (a multiple of [`RECORD_ALIGN`]) in units, as LEB128 numbers.
fn layout(lengths: &[usize]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lengths.len());
    for &length in lengths {
        let mut units = length / RECORD_ALIGN;
        while units >= 0x80 {
            out.push((units & 0x7f) as u8 | 0x80);
            units >>= 7;
        }
        out.push(units as u8);
    }
    out
}

/// A result's record: one line of JSON with the page's URL (relative to the
/// home page of its language, which the engine resolves against the index
/// folder's parent) and section, then its deflated [`body`], padded with
/// zeros to a multiple of [`RECORD_ALIGN`].
fn record(
    entry: &crate::model::Entry,
    doc: &super::Document,
    section: i64,
    prefix: &str,
) -> Vec<u8> {
    let place = Place {
        u: entry.rel_url.strip_prefix(prefix).unwrap_or(&entry.rel_url),
        s: section,
    };
    let mut bytes = serde_json::to_vec(&place).expect("record place serializes");
    bytes.push(b'\n');
    bytes.extend_from_slice(&doc.record);
    bytes.resize(bytes.len().next_multiple_of(RECORD_ALIGN), 0);
    bytes
}

/// The deflated JSON of what a result shows: title, description (or a role's
/// summary) and the excerpt blocks with their headings.
pub fn body(page: &Page, toc: &[Heading], excerpt: &[Passage]) -> Vec<u8> {
    let front = &page.front;
    let description = front
        .description
        .as_deref()
        .or(front.raw.summary.as_deref())
        .unwrap_or("");
    let blocks = excerpt
        .iter()
        .map(|p| {
            let heading = p
                .heading
                .and_then(|h| toc.get(h))
                .map_or("", |h| h.title.as_str());
            [heading, &*p.text]
        })
        .collect();
    let body = Body {
        t: &front.title,
        d: description,
        b: blocks,
    };
    deflate(
        &serde_json::to_vec(&body).expect("record body serializes"),
        RECORD_LEVEL,
    )
}

/// `[a, a, b, b, b]` -> `[0, a, 2, b]`: start index and value of each run.
fn runs(values: &[i64]) -> Vec<i64> {
    let mut out = Vec::new();
    let mut last = None;
    for (i, &v) in values.iter().enumerate() {
        if last != Some(v) {
            out.push(i as i64);
            out.push(v);
            last = Some(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_gives_lengths_in_units_as_leb128() {
        assert_eq!(layout(&[32, 0, 32 * 200]), [1, 0, 0xc8, 0x01]);
    }

    #[test]
    fn runs_keep_the_start_of_each_change() {
        assert_eq!(runs(&[-1, 0, 0, 1, 1, 1, 0]), [0, -1, 1, 0, 3, 1, 6, 0]);
        assert!(runs(&[]).is_empty());
    }
}
