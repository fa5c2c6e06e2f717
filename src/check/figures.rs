//! `copied-figure`: a page body that states, in its text, a number equal to
//! a role's salary figure (a region's `min` or `max`) instead of quoting it
//! with `{{ salary(role="…") }}`; when the role's data changes, the copy
//! silently goes stale. Numbers in code, in raw HTML and inside component
//! calls are not text; numbers under 1 000 are not salary figures.

use std::collections::HashMap;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::page::PageText;
use super::rules::COPIED_FIGURE;
use crate::error::Error;
use crate::model::Site;

/// A role's figure: the role's name for `salary()`, the region, and which bound.
struct Figure {
    role: String,
    region: String,
    bound: &'static str,
}

/// Every salary figure of the site's roles, by value.
pub(crate) struct Figures(HashMap<u64, Vec<Figure>>);

impl Figures {
    /// The figures of every role of `site`.
    pub fn of(site: &Site) -> Figures {
        let mut figures: HashMap<u64, Vec<Figure>> = HashMap::new();
        for entry in &site.entries {
            let Some(salary) = entry.kb.role.as_ref().and_then(|r| r.salary.as_ref()) else {
                continue;
            };
            let role = entry.page.stem().to_string();
            for region in &salary.regions {
                for (bound, value) in [("min", region.min), ("max", region.max)] {
                    figures.entry(value).or_default().push(Figure {
                        role: role.clone(),
                        region: region.region.clone(),
                        bound,
                    });
                }
            }
        }
        Figures(figures)
    }

    /// The warnings of one page.
    pub fn check(&self, page: &PageText<'_>) -> Vec<Error> {
        if self.0.is_empty() {
            return Vec::new();
        }
        let body = page.body();
        let mut findings = Vec::new();
        let mut in_code = 0usize;
        for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => in_code += 1,
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                    in_code = in_code.saturating_sub(1)
                }
                Event::Text(text) if in_code == 0 => {
                    // The event's text is the source's, except for escapes.
                    let start = match body[range.clone()].find(&*text) {
                        Some(at) => range.start + at,
                        None => range.start,
                    };
                    for (at, value, written) in numbers(&text) {
                        if let Some(figure) = self.0.get(&value).and_then(|f| f.first()) {
                            findings.push(warning(page, start + at, &written, figure));
                        }
                    }
                }
                _ => {}
            }
        }
        findings
    }
}

fn warning(page: &PageText<'_>, offset: usize, written: &str, figure: &Figure) -> Error {
    Error::warning(
        COPIED_FIGURE,
        page.location(offset),
        format!(
            "`{written}` is the salary {} of `{}` in {}, copied into the text",
            figure.bound, figure.role, figure.region
        ),
    )
    .with_hint(format!(
        "quote it with `{{{{ salary(role=\"{}\", region=\"{}\") }}}}`, so the page follows the role's data",
        figure.role, figure.region
    ))
}

/// Numbers of at least 1 000 in `text` outside `{{ … }}` and `{% … %}`:
/// offset, value and the text as written (`40 000`, `40000`, `40 000`).
fn numbers(text: &str) -> Vec<(usize, u64, String)> {
    let mut found = Vec::new();
    let mut call_depth = 0usize;
    let mut chars = text.char_indices().peekable();
    let mut previous: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        if text[at..].starts_with("{{") || text[at..].starts_with("{%") {
            call_depth += 1;
        } else if (text[at..].starts_with("}}") || text[at..].starts_with("%}")) && call_depth > 0 {
            call_depth -= 1;
        }
        let starts_number = c.is_ascii_digit()
            && !previous.is_some_and(|p| p.is_alphanumeric() || p == '.' || p == ',');
        previous = Some(c);
        if !starts_number || call_depth > 0 {
            continue;
        }
        let mut end = at + c.len_utf8();
        let mut digits = c.to_string();
        while let Some(&(i, next)) = chars.peek() {
            if next.is_ascii_digit() {
                digits.push(next);
                end = i + 1;
                chars.next();
            } else if matches!(next, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
                && text[i + next.len_utf8()..]
                    .chars()
                    .take(3)
                    .all(|d| d.is_ascii_digit())
                && text[i + next.len_utf8()..]
                    .chars()
                    .nth(3)
                    .is_none_or(|d| !d.is_ascii_digit())
                && text[i + next.len_utf8()..].len() >= 3
            {
                chars.next();
            } else {
                break;
            }
            previous = Some(next);
        }
        if let Ok(value) = digits.parse::<u64>()
            && value >= 1000
        {
            found.push((at, value, text[at..end].to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::numbers;

    #[test]
    fn numbers_with_thousands_separators_outside_calls() {
        let found = numbers(
            "от 40 000 до 150\u{a0}000 ₽, в 2020 году, 7 дней, {{ salary(n=90000) }} и 1 200",
        );
        let values: Vec<u64> = found.iter().map(|f| f.1).collect();
        assert_eq!(values, [40000, 150000, 2020, 1200]);
        assert_eq!(found[0].2, "40 000");
        assert_eq!(found[0].0, "от ".len());
    }

    #[test]
    fn parts_of_words_and_decimals_are_not_numbers() {
        let values: Vec<u64> = numbers("v1234 и 3,5000 и 12.5000")
            .iter()
            .map(|f| f.1)
            .collect();
        assert!(values.is_empty(), "{values:?}");
    }
}
