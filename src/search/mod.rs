//! Search: tokenizer and stemming, the index and its sharded files (no I/O).
//!
//! (Design notes are completed below once the client lands.)

pub mod analyze;
pub mod index;
pub mod records;
pub mod stem;
pub mod synonyms;
pub mod terms;
pub mod tokenize;

pub use analyze::{Document, analyze};

use crate::site::Site;

/// The search index files of a site: (output path, bytes), sorted by path.
pub fn write_index(site: &Site) -> Vec<(String, Vec<u8>)> {
    let docs: Vec<&Document> = site.entries.iter().map(|e| &e.search).collect();
    let roles: Vec<Vec<String>> = site
        .entries
        .iter()
        .filter_map(|e| {
            let aliases = e.page.front.raw.also_known_as.as_ref()?;
            let title = std::iter::once(e.page.front.title.clone());
            Some(title.chain(aliases.iter().cloned()).collect())
        })
        .filter(|group: &Vec<String>| group.len() > 1)
        .collect();
    let groups = synonyms::site_groups(&site.config.search.synonyms, &roles);
    let rules = synonyms::rules(&groups);
    // The postings are dropped before the records are made (peak memory).
    let (shards, typo) = {
        let postings = index::Postings::build(&docs);
        let dictionary = postings.dictionary(&rules);
        (index::shards(&dictionary), index::typo_buckets(&dictionary))
    };
    let mut files = Vec::with_capacity(docs.len() + shards.len() + typo.len() + 2);
    records::write(site, &shards, &typo, &mut files);
    for part in shards {
        files.push((format!("search/s-{}.z", part.hash), part.bytes));
    }
    for part in typo {
        files.push((format!("search/t-{}.z", part.hash), part.bytes));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    files
}
