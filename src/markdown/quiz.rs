//! ```` ```quiz ```` blocks: collected while the page renders, parsed by
//! [`crate::content::quiz`] with errors located in the page file, and left in
//! the HTML as a plain list of the questions and their answers (escaped)
//! between two placeholder comments that [`split_quizzes`] finds again.
//!
//! The form itself is the theme's (its labels are UI strings, which only
//! templates know): a chapter template renders the parts in order. A
//! template that shows `page.content` as it is still shows the questions.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag};

use crate::content::quiz::{self, Quiz};
use crate::error::Location;

/// Start of the comment that stands for quiz `N`: `<!--rolebook-quiz-7f3c:N-->`.
const PLACEHOLDER: &str = "<!--rolebook-quiz-7f3c:";
const PLACEHOLDER_END: &str = "-->";
/// The comment after the quiz's plain list.
const CLOSING: &str = "<!--/rolebook-quiz-7f3c-->";

/// The quiz block being collected.
pub(super) struct PendingQuiz {
    text: String,
    /// Byte offset in the body of the block's first line of text.
    start: Option<usize>,
    /// Byte offset in the body of the opening fence.
    fence: usize,
}

/// True for the start of a fenced block whose info string is `quiz`.
pub(super) fn is_quiz_fence(event: &Event<'_>) -> bool {
    matches!(event, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
        if info.split_whitespace().next() == Some("quiz"))
}

impl<'a> super::Renderer<'a> {
    /// One event of a quiz block: nothing of it reaches the HTML or the
    /// word count; its questions and answers go to the search text.
    pub(super) fn handle_quiz(
        &mut self,
        event: Event<'a>,
        offset: usize,
        events: &mut Vec<Event<'a>>,
    ) {
        match event {
            Event::Start(_) => {
                self.quiz = Some(PendingQuiz {
                    text: String::new(),
                    start: None,
                    fence: offset,
                });
            }
            Event::Text(text) => {
                if let Some(pending) = &mut self.quiz {
                    pending.start.get_or_insert(offset);
                    pending.text.push_str(&text);
                }
            }
            Event::End(_) => self.finish_quiz(events),
            _ => {}
        }
    }

    fn finish_quiz(&mut self, events: &mut Vec<Event<'a>>) {
        let Some(pending) = self.quiz.take() else {
            return;
        };
        let parsed = match pending.start {
            Some(start) => {
                let locate = self.block_locator(start, &pending.text);
                quiz::parse(&pending.text, &locate)
            }
            None => {
                let at = self.location(pending.fence);
                quiz::parse("", &|_, _| at.clone())
            }
        };
        let questions = match parsed {
            Ok(questions) => questions,
            Err(errors) => {
                self.errors.extend(errors);
                return;
            }
        };
        // The theme makes the form's ids from the quiz's: kept from headings.
        let id = self.ids.allocate("quiz");
        self.ids.reserve(&format!("{id}-title"));
        for (q, question) in questions.iter().enumerate() {
            self.ids.reserve(&format!("{id}-{}", q + 1));
            self.ids.reserve(&format!("{id}-{}-how", q + 1));
            for a in 0..question.answers.len() {
                self.ids.reserve(&format!("{id}-{}-{}", q + 1, a + 1));
            }
            self.out.text.push_str(&question.question);
            self.out.text.push('\n');
            for answer in &question.answers {
                self.out.text.push_str(&answer.text);
                self.out.text.push('\n');
            }
        }
        let number = self.out.quizzes.len();
        let html = format!(
            "{PLACEHOLDER}{number}{PLACEHOLDER_END}\n{}{CLOSING}\n",
            plain_list(&questions)
        );
        self.out.quizzes.push(Quiz { id, questions });
        events.push(Event::Html(CowStr::from(html)));
    }

    /// Where line `line` (0-based), column `column` of a block's text is in
    /// the page file. A block inside a list or a quote loses its indentation
    /// or `> ` in the text: that prefix of the source line is added back.
    fn block_locator(
        &self,
        start: usize,
        text: &str,
    ) -> impl Fn(usize, usize) -> Location + use<'_> {
        let first = self.location(start);
        let in_body = self.expanded.original(start);
        let body_line = self.lines.line_col(self.source.body, in_body).0 - 1;
        let prefixes: Vec<usize> = text
            .lines()
            .enumerate()
            .map(|(i, content)| {
                let source = self.source.body.lines().nth(body_line + i).unwrap_or("");
                if source.ends_with(content) {
                    source.chars().count() - content.chars().count()
                } else {
                    0
                }
            })
            .collect();
        move |line, column| {
            let prefix = prefixes.get(line).copied().unwrap_or(0);
            Location::at(first.path.clone(), first.line + line, column + prefix)
        }
    }
}

/// The questions and their answers as a list, for templates that do not
/// render the form.
fn plain_list(questions: &[quiz::Question]) -> String {
    let mut html = String::from("<div class=\"quiz quiz--plain\"><ol>");
    for question in questions {
        html.push_str("<li><p>");
        let _ = pulldown_cmark_escape::escape_html(&mut html, &question.question);
        html.push_str("</p><ul>");
        for answer in &question.answers {
            html.push_str("<li>");
            let _ = pulldown_cmark_escape::escape_html(&mut html, &answer.text);
            html.push_str("</li>");
        }
        html.push_str("</ul></li>");
    }
    html.push_str("</ol></div>\n");
    html
}

/// A piece of a page's HTML: prose, or the place of one of its quizzes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part<'a> {
    /// HTML as rendered.
    Html(&'a str),
    /// The place of `Rendered::quizzes[n]`.
    Quiz(usize),
}

/// Cut a page's HTML at the placeholders of its `count` quizzes. They are
/// taken in order (`0`, `1`, …), so a comment an author wrote to look like
/// one is left as a comment unless it stands where the next quiz is expected.
pub fn split_quizzes(html: &str, count: usize) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = html;
    let mut next = 0;
    let mut pending = 0;
    while next < count
        && let Some(at) = rest[pending..].find(PLACEHOLDER).map(|i| pending + i)
    {
        let after = &rest[at + PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let is_next = after[..digits].parse::<usize>().ok() == Some(next)
            && after[digits..].starts_with(PLACEHOLDER_END);
        let closing = after.find(CLOSING).filter(|_| is_next);
        let Some(closing) = closing else {
            pending = at + PLACEHOLDER.len();
            continue;
        };
        if at > 0 {
            parts.push(Part::Html(&rest[..at]));
        }
        parts.push(Part::Quiz(next));
        next += 1;
        let end = &after[closing + CLOSING.len()..];
        rest = end.strip_prefix('\n').unwrap_or(end);
        pending = 0;
    }
    if !rest.is_empty() {
        parts.push(Part::Html(rest));
    }
    parts
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::RawHtml;
    use crate::markdown::{Rendered, Source, render};

    fn rendered(body: &str, raw_html: RawHtml) -> (Rendered, Vec<String>) {
        let source = Source {
            file: Path::new("content/k/a.md"),
            content_path: "k/a.md",
            body,
            body_line: 5,
            raw_html,
        };
        let (rendered, errors) = render(&source);
        (rendered, errors.iter().map(|e| e.to_string()).collect())
    }

    const QUIZ: &str = "```quiz\n- question: Кто?\n  answers:\n    - {text: «Знайки», correct: true}\n    - {text: «Обслуга»}\n```\n";

    #[test]
    fn a_quiz_is_kept_apart_from_the_prose_in_every_raw_html_mode() {
        for mode in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
            let body = format!("## Quiz\n\n<kbd>Ctrl</kbd>\n\n{QUIZ}\nПосле.\n\n## Quiz 1\n");
            let (out, errors) = rendered(&body, mode);
            assert!(errors.is_empty(), "{errors:?}");
            assert_eq!(out.quizzes.len(), 1);
            assert_eq!(out.quizzes[0].id, "quiz-1", "after the heading `quiz`");
            let ids: Vec<&str> = out.toc.iter().map(|h| h.id.as_str()).collect();
            // `quiz-1` is the quiz, `quiz-1-1` its first answer.
            assert_eq!(
                ids,
                ["quiz", "quiz-1-2"],
                "a later heading keeps clear of the quiz's ids"
            );
            let html = out.html.unpack();
            let parts = split_quizzes(&html, out.quizzes.len());
            assert_eq!(parts.len(), 3, "{mode:?}: {parts:?}");
            assert_eq!(parts[1], Part::Quiz(0));
            assert!(!out.html.unpack().contains("question:") && out.text.contains("«Знайки»"));
            assert!(
                out.html
                    .unpack()
                    .contains("<li><p>Кто?</p><ul><li>«Знайки»</li><li>«Обслуга»</li></ul></li>"),
                "{mode:?}: a plain list for other templates: {}",
                out.html.unpack()
            );
            let without = rendered(&body.replace(QUIZ, ""), mode).0;
            assert_eq!(
                out.word_count, without.word_count,
                "{mode:?}: the quiz is not prose"
            );
        }
    }

    #[test]
    fn a_quiz_in_a_list_is_located_at_its_column() {
        let body = "- Пункт:\n\n  ```quiz\n  - question: Кто?\n    answers:\n      - text: a\n        corect: true\n      - text: b\n  ```\n";
        let (_, errors) = rendered(body, RawHtml::Sanitize);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with(
                "content/k/a.md:11:9: error: in the `quiz` block: unknown field `corect`"
            ),
            "{errors:?}"
        );
        let (_, errors) = rendered("```quiz\n```\n", RawHtml::Sanitize);
        assert!(
            errors[0].starts_with("content/k/a.md:5:1: error: the `quiz` block is empty"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_comment_written_like_a_placeholder_is_not_a_quiz() {
        let html = "<p>a</p><!--rolebook-quiz-7f3c:5--><!--rolebook-quiz-7f3c:0-->\n<ol></ol><!--/rolebook-quiz-7f3c-->\n<p>b</p><!--rolebook-quiz-7f3c:1-->";
        assert_eq!(
            split_quizzes(html, 1),
            [
                Part::Html("<p>a</p><!--rolebook-quiz-7f3c:5-->"),
                Part::Quiz(0),
                Part::Html("<p>b</p><!--rolebook-quiz-7f3c:1-->"),
            ]
        );
        let unclosed = "<!--rolebook-quiz-7f3c:0-->";
        assert_eq!(split_quizzes(unclosed, 1), [Part::Html(unclosed)]);
        assert_eq!(
            split_quizzes("<!--rolebook-quiz-7f3c:", 3),
            [Part::Html("<!--rolebook-quiz-7f3c:")]
        );
    }
}
