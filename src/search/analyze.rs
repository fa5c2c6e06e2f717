//! Per-page analysis: what the index keeps of one page.
//!
//! Stage: search, run for every page in the parallel Markdown pass. Takes the
//! page's front matter, headings and plain text and returns a [`Document`]:
//! one weight byte per distinct term (which fields it is in and how often it
//! occurs in the body, normalized by length) and a short excerpt source for
//! snippets. The plain text itself is dropped.

use std::cell::RefCell;

use super::terms::{self, FormId, TermId, Terms};
use super::tokenize::{TokenKind, for_each_surface};
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

/// Bytes of excerpt text kept per page for snippets (about 800 Russian
/// characters): what ten results cost the browser, and the index's memory.
pub const EXCERPT_BYTES: usize = 1_500;
/// Fewest bytes a heading's block keeps when the budget is shared.
const BLOCK_MIN_BYTES: usize = 300;

/// What the index keeps of one page, computed in the parallel Markdown pass
/// so the page's plain text need not be kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Distinct terms of the page ascending by id, each as the varint gap
    /// from the previous id and its weight byte (field bits and body
    /// frequency): about 2.5 bytes per term instead of 8.
    terms: Box<[u8]>,
    /// Number of distinct terms.
    count: usize,
    /// Distinct word forms of the page ascending by id, varint gaps.
    forms: Box<[u8]>,
    /// Number of distinct word forms.
    form_count: usize,
    /// What a result shows of the page, deflated: title, description and
    /// excerpt ([`super::records::body`]); made here, in the parallel pass,
    /// so that the index job and `serve` edits only copy it.
    pub(crate) record: Box<[u8]>,
}

impl Document {
    /// The page's terms with their weight bytes, ascending by id.
    pub fn terms(&self) -> impl Iterator<Item = (TermId, u8)> + '_ {
        let (mut at, mut id) = (0, 0u32);
        (0..self.count).map(move |_| {
            id += read_varint(&self.terms, &mut at);
            let weight = self.terms[at];
            at += 1;
            (id, weight)
        })
    }

    /// The page's distinct word forms, ascending by id.
    pub fn forms(&self) -> impl Iterator<Item = FormId> + '_ {
        let (mut at, mut id) = (0, 0u32);
        (0..self.form_count).map(move |_| {
            id += read_varint(&self.forms, &mut at);
            id
        })
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True for a page without any indexed word.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The LEB128 number at `at` in `bytes`; moves `at` past it.
fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let (mut value, mut shift) = (0u32, 0);
    loop {
        let byte = bytes[*at];
        *at += 1;
        value |= u32::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return value;
        }
    }
}

/// A piece of a page's text for snippets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// The heading the text follows (index into the page's headings), or
    /// `None` for the text before the first heading.
    pub heading: Option<usize>,
    /// Plain text, whitespace collapsed, cut at a word boundary.
    pub text: Box<str>,
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
    memo: terms::Memo,
    slots: Vec<Slot>,
    touched: Vec<TermId>,
    form_seen: Vec<bool>,
    forms: Vec<FormId>,
    words: usize,
}

#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    body: u16,
    flags: u8,
}

/// What the analysis of a site's pages shares: the term table, and one
/// reusable counter per worker thread. Held by the build (and by `serve`
/// between rebuilds, so term ids stay valid), never global.
#[derive(Debug, Default)]
pub struct Analyzer {
    terms: Terms,
    counters: thread_local::ThreadLocal<RefCell<Counter>>,
}

impl Analyzer {
    /// The term table, for writing the index.
    pub fn terms(&self) -> &Terms {
        &self.terms
    }

    /// Analyze a page for the index; takes `rendered.text` (it is not kept).
    pub fn analyze(&self, page: &Page, rendered: &mut Rendered) -> Document {
        let text = std::mem::take(&mut rendered.text);
        let mut document = {
            let mut counter = self.counters.get_or_default().borrow_mut();
            count_fields(&mut counter, &self.terms, page, &rendered.toc, &text);
            counter.finish()
        };
        let excerpt = excerpt(&text, &rendered.toc, EXCERPT_BYTES);
        document.record = super::records::body(page, &rendered.toc, &excerpt).into_boxed_slice();
        document
    }
}

fn count_fields(counter: &mut Counter, terms: &Terms, page: &Page, toc: &[Heading], text: &str) {
    let front = &page.front;
    let raw = &front.raw;
    counter.add(terms, &front.title, Field::Title);
    for alias in raw.also_known_as.iter().flatten() {
        counter.add(terms, alias, Field::Title);
    }
    for heading in toc {
        counter.add(terms, &heading.title, Field::Heading);
    }
    let descriptions = [&front.description, &raw.summary];
    for text in descriptions.into_iter().flatten() {
        counter.add(terms, text, Field::Description);
    }
    let taxonomy_terms = front.taxonomies.values().flatten();
    for tag in front.tags.iter().chain(taxonomy_terms) {
        counter.add(terms, tag, Field::Description);
    }
    counter.add(terms, text, Field::Body);
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
        counter.add(terms, item, Field::Body);
    }
}

impl Counter {
    fn add(&mut self, terms: &Terms, text: &str, field: Field) {
        for_each_surface(text, |surface, _, kind| {
            let known = self.memo.term_of_surface(terms, surface);
            // Stop words are findable in titles, aliases and headings, not in
            // bodies (where they would be on every page).
            if known.stop && matches!(field, Field::Body | Field::Description) {
                return;
            }
            let id = known.id;
            let form = known.form as usize;
            if form >= self.form_seen.len() {
                self.form_seen.resize(form + 1 + form / 2, false);
            }
            if !std::mem::replace(&mut self.form_seen[form], true) {
                self.forms.push(known.form);
            }
            if field == Field::Body && kind != TokenKind::Part {
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

    /// The page's terms, weights and forms encoded as a [`Document`]
    /// (without its record); resets the counter for the next page.
    fn finish(&mut self) -> Document {
        self.touched.sort_unstable();
        let norm = 1.0 - LENGTH_B + LENGTH_B * self.words as f64 / REFERENCE_WORDS;
        let mut out = Vec::with_capacity(self.touched.len() * 3);
        let mut last = 0;
        for &id in &self.touched {
            let slot = std::mem::take(&mut self.slots[id as usize]);
            super::index::put_varint(&mut out, (id - last) as usize);
            out.push(slot.flags | quantize_frequency(f64::from(slot.body) / norm));
            last = id;
        }
        let count = self.touched.len();
        self.touched.clear();
        self.words = 0;
        self.forms.sort_unstable();
        let mut forms = Vec::with_capacity(self.forms.len() * 2);
        let mut last = 0;
        for &form in &self.forms {
            self.form_seen[form as usize] = false;
            super::index::put_varint(&mut forms, (form - last) as usize);
            last = form;
        }
        let form_count = self.forms.len();
        self.forms.clear();
        Document {
            terms: out.into_boxed_slice(),
            count,
            forms: forms.into_boxed_slice(),
            form_count,
            record: Box::default(),
        }
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
/// the blocks to share `budget` bytes (short blocks stay whole). Only the
/// kept start of each block is copied.
pub fn excerpt(text: &str, toc: &[Heading], budget: usize) -> Vec<Passage> {
    let mut blocks: Vec<(Option<usize>, std::ops::Range<usize>)> = vec![(None, 0..0)];
    let (mut next, mut at) = (0, 0);
    for line in text.split('\n') {
        let (from, to) = (at, at + line.len());
        at = to + 1;
        let is_heading = toc.get(next).is_some_and(|h| h.title == line.trim());
        if is_heading {
            blocks.push((Some(next), to..to));
            next += 1;
        } else if !line.trim().is_empty() {
            let (_, range) = blocks.last_mut().expect("blocks start with the intro");
            if range.start == range.end {
                range.start = from;
            }
            range.end = to;
        }
    }
    blocks.retain(|(heading, range)| heading.is_some() || !range.is_empty());
    let lengths: Vec<usize> = blocks.iter().map(|(_, r)| r.len()).collect();
    let share = fair_share(&lengths, budget);
    let mut left = budget;
    blocks
        .into_iter()
        .map(|(heading, range)| {
            let keep = range.len().min(share).min(left);
            // A few words of a block say nothing: then keep only its heading.
            let keep = if keep < range.len() && keep < BLOCK_MIN_BYTES / 2 {
                0
            } else {
                keep
            };
            let text = collapse(&text[range], keep);
            left -= text.len().min(left);
            Passage {
                heading,
                text: text.into_boxed_str(),
            }
        })
        .collect()
}

/// Water-filling: the longest a block may stay so that all fit in `budget`
/// (shorter blocks stay whole), but at least [`BLOCK_MIN_BYTES`].
fn fair_share(lengths: &[usize], budget: usize) -> usize {
    if lengths.iter().sum::<usize>() <= budget {
        return budget;
    }
    let mut sorted = lengths.to_vec();
    sorted.sort_unstable();
    let (mut left, mut share) = (budget, 0);
    for (i, &len) in sorted.iter().enumerate() {
        share = left / (sorted.len() - i);
        if len > share {
            break;
        }
        left -= len;
    }
    share.max(BLOCK_MIN_BYTES)
}

/// The words of `text` joined by single spaces, at most `max` bytes; a cut
/// ends at a word boundary (within a word only for a first over-long word)
/// and is marked with `…`.
fn collapse(text: &str, max: usize) -> String {
    let mut out = String::new();
    if max == 0 {
        return out;
    }
    for word in text.split_whitespace() {
        let room = max.saturating_sub(out.len() + usize::from(!out.is_empty()));
        if word.len() > room {
            if out.is_empty() {
                let mut end = room.min(word.len());
                while !word.is_char_boundary(end) {
                    end -= 1;
                }
                out.push_str(&word[..end]);
            }
            let kept = out.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
            out.truncate(kept);
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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

    fn page(title: &str, aliases: &[&str], description: &str) -> Page {
        let mut front = crate::content::page::FrontMatter {
            title: title.into(),
            description: Some(description.into()),
            ..Default::default()
        };
        front.raw.also_known_as = Some(aliases.iter().map(|a| (*a).to_string()).collect());
        Page {
            file: "content/x.md".into(),
            content_path: "x.md".into(),
            lang: "ru".into(),
            key: "x.md".into(),
            is_section: false,
            front,
            front_hash: 0,
            body_hash: 0,
            body: String::new(),
            body_line: 1,
        }
    }

    /// One analyzer for the tests of this module (term ids are per analyzer).
    static ANALYZER: std::sync::LazyLock<Analyzer> = std::sync::LazyLock::new(Analyzer::default);

    /// The weight byte of each term of an analyzed page, by term text.
    fn weights(doc: &Document) -> std::collections::BTreeMap<String, u8> {
        let ids: Vec<TermId> = doc.terms().map(|(id, _)| id).collect();
        let texts = ANALYZER.terms().texts(&ids);
        texts
            .iter()
            .zip(doc.terms())
            .map(|(t, (_, w))| (t.to_string(), w))
            .collect()
    }

    fn analyzed(page: &Page, toc: &[&str], text: &str) -> Document {
        let mut rendered = Rendered {
            toc: toc.iter().map(|t| heading(t)).collect(),
            text: text.into(),
            ..Rendered::default()
        };
        let doc = ANALYZER.analyze(page, &mut rendered);
        assert!(rendered.text.is_empty(), "the text is taken, not kept");
        doc
    }

    #[test]
    fn fields_set_their_bits_and_aliases_count_as_title() {
        let page = page("Менеджер проектов", &["проджект"], "Кто управляет сроками");
        let doc = analyzed(
            &page,
            &["Зарплата"],
            "Зарплата\nМенеджер проектов ведёт проекты.",
        );
        let w = weights(&doc);
        assert_eq!(w["менеджер"] & IN_TITLE, IN_TITLE);
        assert_eq!(
            w["проджект"] & IN_TITLE,
            IN_TITLE,
            "aliases are in the title field"
        );
        assert_eq!(w["зарплат"] & (IN_HEADING | IN_TITLE), IN_HEADING);
        assert_eq!(w["срок"] & IN_DESCRIPTION, IN_DESCRIPTION);
        assert_eq!(w["срок"] & BODY_MASK, 0, "not in the body");
        assert!(
            w["проект"] & BODY_MASK > w["менеджер"] & BODY_MASK,
            "twice in the body"
        );
        assert!(
            !w.contains_key("кто"),
            "stop words are not indexed in descriptions"
        );
        let page = self::page("Атрибут is", &[], "");
        let w = weights(&analyzed(&page, &["Что это"], "это is и"));
        assert_eq!(w["is"], IN_TITLE, "stop words in titles, not in bodies");
        assert_eq!(w["эт"], IN_HEADING, "and in headings");
        assert!(!w.contains_key("и"));
    }

    #[test]
    fn body_frequency_is_normalized_by_length() {
        let page = page("Страница", &[], "");
        let short = analyzed(&page, &[], "аналитик данных");
        let filler = "слово ".repeat(2000);
        let long = analyzed(&page, &[], &format!("аналитик данных {filler}"));
        let (short, long) = (weights(&short), weights(&long));
        assert!(short["аналитик"] & BODY_MASK > long["аналитик"] & BODY_MASK);
        assert!(
            long["аналитик"] & BODY_MASK >= 1,
            "a match never quantizes to 0"
        );
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
        let got: Vec<_> = blocks.iter().map(|b| (b.heading, &*b.text)).collect();
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
        let blocks = excerpt(&text, &toc, 800);
        let lengths: Vec<usize> = blocks.iter().map(|b| b.text.len()).collect();
        assert_eq!(&*blocks[1].text, "коротко");
        assert!(lengths.iter().sum::<usize>() <= 800, "{lengths:?}");
        assert!(lengths[0] > 300 && lengths[2] > 300, "{lengths:?}");
        assert!(blocks[0].text.ends_with("слово…"));
        let many: Vec<Heading> = (0..20).map(|i| heading(&format!("H{i}"))).collect();
        let text: String = many
            .iter()
            .map(|h| format!("{}\n{long}\n", h.title))
            .collect();
        let blocks = excerpt(&text, &many, 2000);
        let kept = blocks.iter().filter(|b| !b.text.is_empty()).count();
        assert!((6..=7).contains(&kept), "{kept} blocks keep text");
        assert_eq!(blocks.len(), 20, "headings stay");
    }
}
