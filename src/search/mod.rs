//! Search: tokenizer and stemming, the index and its sharded files (no I/O).

pub mod stem;
pub mod tokenize;

use crate::content::page::Page;
use crate::markdown::Rendered;
use crate::site::Site;

/// What the index keeps of one page, computed in the parallel Markdown pass
/// so the page's plain text need not be kept.
#[derive(Debug, Clone, Default)]
pub struct Document {}

/// Analyze a page for the index; takes `rendered.text` (it is not kept).
pub fn analyze(page: &Page, rendered: &mut Rendered) -> Document {
    let _ = page;
    rendered.text = String::new();
    Document::default()
}

/// The search index files of a site: (output path, bytes).
pub fn write_index(site: &Site) -> Vec<(String, Vec<u8>)> {
    let _ = site;
    Vec::new()
}
