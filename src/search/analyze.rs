//! Per-page analysis: what the index keeps of one page.
//!
//! Stage: search, run for every page in the parallel Markdown pass. Takes the
//! page's front matter, headings and plain text and returns a [`Document`]:
//! one weight byte per distinct term (which fields it is in and how often it
//! occurs in the body, normalized by length) and a short excerpt source for
//! snippets. The plain text itself is dropped.

use std::cell::RefCell;

use super::terms::{self, STOP, TermId};
use super::tokenize::{TokenKind, for_each_token};
use crate::content::page::Page;
use crate::markdown::{Heading, Rendered};

/// Weight bit: the term is in the title or an alias (`also_known_as`).
pub const IN_TITLE: u8 = 0x80;
/// Weight bit: the term is in a heading.
pub const IN_HEADING: u8 = 0x40;
/// Weight bit: the term is in the description, summary, tags or taxonomies.
pub const IN_DESCRIPTION: u8 = 0x20;
/// Weight bits: the quantized body frequency (0 when not in the body).
pub const BODY_MASK: u8 = 0x1f;

/// BM25's `b`: how much the body length normalizes the term frequency.
pub const LENGTH_B: f64 = 0.75;
/// Body length (in words) that counts as "average" for normalization. A
/// fixed value instead of the site's average keeps a page's postings
/// independent of other pages, so an edit rewrites only the shards of its
/// own terms (see the module docs of `search`).
pub const REFERENCE_WORDS: f64 = 500.0;
/// Smallest normalized frequency that quantizes to 1.
pub const FREQ_MIN: f64 = 0.125;
/// Ratio between neighbouring quantization steps.
pub const FREQ_STEP: f64 = 1.2;

/// Total characters of excerpt text kept per page, for snippets.
pub const EXCERPT_CHARS: usize = 1_200;
/// Fewest characters a heading's block keeps when the budget is shared.
const BLOCK_MIN_CHARS: usize = 100;

/// What the index keeps of one page, computed in the parallel Markdown pass
/// so the page's plain text need not be kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Distinct terms of the page, ascending by id.
    pub(crate) terms: Box<[TermId]>,
    /// Weight byte of each term (field bits and body frequency).
    pub(crate) weights: Box<[u8]>,
    /// Excerpt source: the start of the intro and of each heading's block.
    pub(crate) excerpt: Vec<Passage>,
}

/// A piece of a page's text for snippets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// The heading the text follows (index into the page's headings), or
    /// `None` for the text before the first heading.
    pub heading: Option<usize>,
    /// Plain text, whitespace collapsed, cut at a word boundary.
    pub text: String,
}

/// Which part of the page a text belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Heading,
    Description,
    Body,
}

/// Per-thread counters indexed by term id, reused across pages.
#[derive(Debug, Default)]
struct Counter {
    slots: Vec<Slot>,
    touched: Vec<TermId>,
    words: usize,
}

#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    body: u16,
    flags: u8,
}

thread_local! {
    static COUNTER: RefCell<Counter> = RefCell::default();
}

/// Analyze a page for the index; takes `rendered.text` (it is not kept).
pub fn analyze(page: &Page, rendered: &mut Rendered) -> Document {
    let text = std::mem::take(&mut rendered.text);
    let (terms, weights) = COUNTER.with(|counter| {
        let mut counter = counter.borrow_mut();
        count_fields(&mut counter, page, &rendered.toc, &text);
        counter.finish()
    });
    Document {
        terms,
        weights,
        excerpt: excerpt(&text, &rendered.toc, EXCERPT_CHARS),
    }
}

fn count_fields(counter: &mut Counter, page: &Page, toc: &[Heading], text: &str) {
    let front = &page.front;
    let raw = &front.raw;
    counter.add(&front.title, Field::Title);
    for alias in raw.also_known_as.iter().flatten() {
        counter.add(alias, Field::Title);
    }
    for heading in toc {
        counter.add(&heading.title, Field::Heading);
    }
    let descriptions = [&front.description, &raw.summary];
    for text in descriptions.into_iter().flatten() {
        counter.add(text, Field::Description);
    }
    let terms = front.taxonomies.values().flatten();
    for tag in front.tags.iter().chain(terms) {
        counter.add(tag, Field::Description);
    }
    counter.add(text, Field::Body);
    // Role pages show these lists from the front matter as part of the page.
    let lists = [
        &raw.duties,
        &raw.qualities,
        &raw.employers,
        &raw.pros,
        &raw.cons,
        &raw.not_for,
    ];
    for item in lists.into_iter().flatten().flatten() {
        counter.add(item, Field::Body);
    }
}

impl Counter {
    fn add(&mut self, text: &str, field: Field) {
        for_each_token(text, |token| {
            let id = terms::id_of_text(token.text);
            if id == STOP {
                return;
            }
            if field == Field::Body && token.kind != TokenKind::Part {
                self.words += 1;
            }
            let index = id as usize;
            if index >= self.slots.len() {
                self.slots.resize(index + 1 + index / 2, Slot::default());
            }
            let slot = &mut self.slots[index];
            if slot.body == 0 && slot.flags == 0 {
                self.touched.push(id);
            }
            match field {
                Field::Title => slot.flags |= IN_TITLE,
                Field::Heading => slot.flags |= IN_HEADING,
                Field::Description => slot.flags |= IN_DESCRIPTION,
                Field::Body => slot.body = slot.body.saturating_add(1),
            }
        });
    }

    /// The page's terms and weights; resets the counter for the next page.
    fn finish(&mut self) -> (Box<[TermId]>, Box<[u8]>) {
        self.touched.sort_unstable();
        let norm = 1.0 - LENGTH_B + LENGTH_B * self.words as f64 / REFERENCE_WORDS;
        let weights = self
            .touched
            .iter()
            .map(|&id| {
                let slot = std::mem::take(&mut self.slots[id as usize]);
                slot.flags | quantize_frequency(f64::from(slot.body) / norm)
            })
            .collect();
        let terms = std::mem::take(&mut self.touched).into_boxed_slice();
        self.words = 0;
        (terms, weights)
    }
}

/// Normalized body frequency -> 0..=31 on a logarithmic scale (0: absent).
pub fn quantize_frequency(freq: f64) -> u8 {
    if freq <= 0.0 {
        return 0;
    }
    let step = ((freq / FREQ_MIN).ln() / FREQ_STEP.ln()).round() + 1.0;
    step.clamp(1.0, f64::from(BODY_MASK)) as u8
}

/// The normalized frequency a quantized step stands for.
pub fn frequency_of_step(step: u8) -> f64 {
    if step == 0 {
        0.0
    } else {
        FREQ_MIN * FREQ_STEP.powi(i32::from(step) - 1)
    }
}

/// Splits the plain text into the intro and one block per heading, then cuts
/// the blocks to share `budget` characters (short blocks stay whole).
pub fn excerpt(text: &str, toc: &[Heading], budget: usize) -> Vec<Passage> {
    let mut blocks = vec![Passage {
        heading: None,
        text: String::new(),
    }];
    let mut next = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if toc.get(next).is_some_and(|h| h.title == line) {
            blocks.push(Passage {
                heading: Some(next),
                text: String::new(),
            });
            next += 1;
            continue;
        }
        let block = blocks.last_mut().expect("blocks start with the intro");
        for word in line.split_whitespace() {
            if !block.text.is_empty() {
                block.text.push(' ');
            }
            block.text.push_str(word);
        }
    }
    blocks.retain(|b| b.heading.is_some() || !b.text.is_empty());
    share_budget(&mut blocks, budget);
    // Blocks grew to whole sections: keep only the cut text's bytes.
    for block in &mut blocks {
        block.text.shrink_to_fit();
    }
    blocks.shrink_to_fit();
    blocks
}

/// Water-filling: every block gets an equal share of what the shorter ones
/// leave over, and at least [`BLOCK_MIN_CHARS`] while the budget lasts.
fn share_budget(blocks: &mut [Passage], budget: usize) {
    let lengths: Vec<usize> = blocks.iter().map(|b| b.text.chars().count()).collect();
    if lengths.iter().sum::<usize>() <= budget {
        return;
    }
    let mut sorted = lengths.clone();
    sorted.sort_unstable();
    let (mut left, mut share) = (budget, 0);
    for (i, &len) in sorted.iter().enumerate() {
        share = left / (sorted.len() - i);
        if len > share {
            break;
        }
        left -= len;
    }
    let share = share.max(BLOCK_MIN_CHARS);
    let mut left = budget;
    for (block, len) in blocks.iter_mut().zip(lengths) {
        let keep = len.min(share).min(left);
        cut_at_word(&mut block.text, keep);
        left -= block.text.chars().count().min(left);
    }
}

/// Shortens `text` to at most `chars` characters, at a space when possible,
/// and marks the cut with `…`.
fn cut_at_word(text: &mut String, chars: usize) {
    if chars == 0 {
        text.clear();
        return;
    }
    let Some((end, _)) = text.char_indices().nth(chars.saturating_sub(1)) else {
        return;
    };
    let cut = text[..end].rfind(' ').filter(|&i| i > end / 2).unwrap_or(end);
    text.truncate(cut);
    let kept = text.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
    text.truncate(kept);
    text.push('…');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(title: &str) -> Heading {
        Heading {
            level: 2,
            id: String::new(),
            title: title.into(),
            line: 1,
        }
    }

    #[test]
    fn quantized_frequencies_grow_logarithmically_and_stay_nonzero() {
        assert_eq!(quantize_frequency(0.0), 0);
        assert_eq!(quantize_frequency(0.01), 1);
        assert_eq!(quantize_frequency(1000.0), BODY_MASK);
        let one = quantize_frequency(1.0);
        assert!(quantize_frequency(2.0) > one && quantize_frequency(0.5) < one);
        assert!((frequency_of_step(one) - 1.0).abs() < 0.1);
    }

    #[test]
    fn excerpt_splits_text_at_headings() {
        let toc = [heading("Зарплата"), heading("Карьера")];
        let text = "Вступление  о роли.\nЗарплата\nОт 100 000 рублей.\n\nКарьера\nРост.";
        let blocks = excerpt(text, &toc, 1000);
        let got: Vec<_> = blocks.iter().map(|b| (b.heading, b.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (None, "Вступление о роли."),
                (Some(0), "От 100 000 рублей."),
                (Some(1), "Рост.")
            ]
        );
    }

    #[test]
    fn long_excerpts_share_the_budget_and_keep_short_blocks_whole() {
        let toc = [heading("A"), heading("B")];
        let long = "слово ".repeat(400);
        let text = format!("{long}\nA\nкоротко\nB\n{long}");
        let blocks = excerpt(&text, &toc, 300);
        let lengths: Vec<usize> = blocks.iter().map(|b| b.text.chars().count()).collect();
        assert_eq!(lengths[1], "коротко".len() / 2);
        assert!(lengths.iter().sum::<usize>() <= 300, "{lengths:?}");
        assert!(lengths[0] > 120 && lengths[2] > 120, "{lengths:?}");
        assert!(blocks[0].text.ends_with("слово…"));
    }
}
