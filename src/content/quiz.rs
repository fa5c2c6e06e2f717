//! Self-checks of course chapters: the YAML of a ```` ```quiz ```` block,
//! its types and the checks serde cannot express.
//!
//! A block is a list of questions:
//!
//! ```yaml
//! - question: Кто пересылает запросы клиента, не вникая в них?
//!   answers:
//!     - text: «Формалисты»
//!       correct: true
//!     - text: «Знайки»
//!   explain: Девиз «Формалистов» — «это не моё дело».
//! ```
//!
//! One correct answer makes a single-choice question, several make a
//! multiple-choice one. [`crate::markdown`] finds the block, hands its text
//! here with a function that turns a place in the block into a place in the
//! page file, and renders the result; every error names that place.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location};

/// One self-check: the questions of one ```` ```quiz ```` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quiz {
    /// Id of the quiz in the page (unique among the page's heading ids);
    /// the ids of its questions and answers are made from it.
    pub id: String,
    /// The questions, in order.
    pub questions: Vec<Question>,
}

/// One question of a quiz.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    /// The question as written.
    pub question: String,
    /// The answers to choose from, in order.
    pub answers: Vec<Answer>,
    /// Why the right answer is right, shown after checking.
    pub explain: Option<String>,
}

/// One answer to choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The answer as written.
    pub text: String,
    /// True for a right answer.
    pub correct: bool,
}

impl Question {
    /// True when more than one answer is right (checkboxes, not radio buttons).
    pub fn is_multiple(&self) -> bool {
        self.answers.iter().filter(|a| a.correct).count() > 1
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    question: String,
    answers: Vec<RawAnswer>,
    #[serde(default)]
    explain: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    text: String,
    #[serde(default)]
    correct: bool,
}

const EXAMPLE: &str = "write `- question: …` with `answers:` under it, one `- text: …` per answer and `correct: true` on the right ones";

/// Parse the text of a quiz block. `locate(line, column)` turns a 0-based
/// line and 1-based column of `text` into a place in the page file. One
/// mistake gives one error: a YAML error stops there, and each check below
/// reports once per question or answer.
pub fn parse(
    text: &str,
    locate: &dyn Fn(usize, usize) -> Location,
) -> Result<Vec<Question>, Vec<Error>> {
    if text.trim().is_empty() {
        return Err(vec![
            Error::at(locate(0, 1), "the `quiz` block is empty").with_hint(EXAMPLE),
        ]);
    }
    let raw: Vec<RawQuestion> =
        serde_yaml::from_str(text).map_err(|err| vec![yaml_error(&err, text, locate)])?;
    let items = item_lines(text);
    let mut errors = Vec::new();
    let questions: Vec<Question> = raw
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let item = items.get(i).copied();
            errors.extend(check_question(&raw, i + 1, item, text, locate));
            Question {
                question: raw.question.trim().to_string(),
                answers: raw
                    .answers
                    .into_iter()
                    .map(|a| Answer {
                        text: a.text.trim().to_string(),
                        correct: a.correct,
                    })
                    .collect(),
                explain: raw
                    .explain
                    .map(|e| e.trim().to_string())
                    .filter(|e| !e.is_empty()),
            }
        })
        .collect();
    if questions.is_empty() {
        errors
            .push(Error::at(locate(0, 1), "the `quiz` block has no questions").with_hint(EXAMPLE));
    }
    if errors.is_empty() {
        Ok(questions)
    } else {
        Err(errors)
    }
}

/// The checks of one question; `item` is the 0-based line of its `- `.
fn check_question(
    raw: &RawQuestion,
    number: usize,
    item: Option<usize>,
    text: &str,
    locate: &dyn Fn(usize, usize) -> Location,
) -> Vec<Error> {
    let at = |key: &str| {
        let line = item
            .and_then(|from| key_line(text, from, key))
            .or(item)
            .unwrap_or(0);
        locate(line, column_of(text, line))
    };
    let mut errors = Vec::new();
    if raw.question.trim().is_empty() {
        errors.push(
            Error::at(
                at("question"),
                format!("question {number} has an empty `question`"),
            )
            .with_hint("write the question as text after `question:`"),
        );
    }
    if raw.answers.len() < 2 {
        errors.push(
            Error::at(
                at("answers"),
                format!(
                    "question {number} needs at least two answers, found {}",
                    raw.answers.len()
                ),
            )
            .with_hint("add answers to choose from, one `- text: …` line each"),
        );
    } else if !raw.answers.iter().any(|a| a.correct) {
        errors.push(
            Error::at(at("answers"), format!("question {number} has no correct answer"))
                .with_hint("add `correct: true` under the right answer (under several, if more than one is right)"),
        );
    }
    if let Some(empty) = raw.answers.iter().position(|a| a.text.trim().is_empty()) {
        errors.push(
            Error::at(
                at("answers"),
                format!(
                    "answer {} of question {number} has an empty `text`",
                    empty + 1
                ),
            )
            .with_hint("write the answer as text after `text:`"),
        );
    }
    errors
}

/// A serde_yaml error at its place in the page, in the author's words.
fn yaml_error(
    err: &serde_yaml::Error,
    text: &str,
    locate: &dyn Fn(usize, usize) -> Location,
) -> Error {
    let message = err.to_string();
    let (line, column) = match err.location().filter(|_| message.contains(" at line ")) {
        Some(at) => (at.line().saturating_sub(1), at.column()),
        // Unknown and missing fields are reported at the mapping's end, or
        // nowhere: the key's own line is better.
        None => unknown_key(&message)
            .and_then(|key| key_line(text, 0, key))
            .map_or((0, 1), |line| (line, column_of(text, line))),
    };
    let (what, hint) = crate::config::yaml::explain_serde_message(&message);
    let is_top = !message.contains(": ") || message.starts_with("invalid type");
    if is_top && message.contains("expected a sequence") {
        return Error::at(
            locate(line, column),
            "a `quiz` block must be a list of questions",
        )
        .with_hint(EXAMPLE);
    }
    let what = readable_path(&what);
    let error = Error::at(locate(line, column), format!("in the `quiz` block: {what}"));
    match hint {
        Some(hint) => error.with_hint(hint),
        None => error.with_hint(EXAMPLE),
    }
}

/// serde's path (`` `.[0].answers[1]` ``, `` `[0].question` ``) in words:
/// `answer 2 of question 1`, `` `question` of question 1 ``.
fn readable_path(message: &str) -> String {
    let Some(start) = message.find("`.[").or_else(|| message.find("`[")) else {
        return message.to_string();
    };
    let Some(len) = message[start + 1..].find('`') else {
        return message.to_string();
    };
    let path = &message[start + 1..start + 1 + len];
    let numbers: Vec<usize> = path
        .split(['[', ']'])
        .filter_map(|p| p.parse::<usize>().ok())
        .collect();
    let words = match (numbers.as_slice(), path.contains("answers")) {
        ([q, a, ..], true) => format!("answer {} of question {}", a + 1, q + 1),
        ([q], true) => format!("`answers` of question {}", q + 1),
        ([q, ..], false) => match path.rsplit('.').next().filter(|k| !k.contains('[')) {
            Some(key) => format!("`{key}` of question {}", q + 1),
            None => format!("question {}", q + 1),
        },
        _ => return message.to_string(),
    };
    format!(
        "{}{words}{}",
        &message[..start],
        &message[start + len + 2..]
    )
}

fn unknown_key(message: &str) -> Option<&str> {
    let rest = &message[message.find("unknown field `")? + "unknown field `".len()..];
    Some(&rest[..rest.find('`')?])
}

/// 0-based lines of the top-level `- ` items (one per question).
fn item_lines(text: &str) -> Vec<usize> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    let Some(indent) = lines.first().map(|(_, l)| indent_of(l)) else {
        return Vec::new();
    };
    lines
        .into_iter()
        .filter(|(_, l)| indent_of(l) == indent && l.trim_start().starts_with('-'))
        .map(|(i, _)| i)
        .collect()
}

/// The first line at or after `from` where `key:` is written as a key.
fn key_line(text: &str, from: usize, key: &str) -> Option<usize> {
    text.lines().enumerate().skip(from).find_map(|(i, line)| {
        let rest = line.trim_start().trim_start_matches(['-', ' ']);
        rest.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
            .then_some(i)
    })
}

/// 1-based column of the first character that is not indentation or `- `.
fn column_of(text: &str, line: usize) -> usize {
    let line = text.lines().nth(line).unwrap_or("");
    let rest = line.trim_start().trim_start_matches(['-', ' ']);
    line.chars().count() - rest.chars().count() + 1
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate(line: usize, column: usize) -> Location {
        Location::at("content/k/a.md", line + 10, column)
    }

    fn errors(text: &str) -> Vec<String> {
        match parse(text, &locate) {
            Ok(q) => panic!("parsed: {q:?}"),
            Err(errors) => errors.iter().map(|e| format!("{e}")).collect(),
        }
    }

    #[test]
    fn one_or_several_correct_answers() {
        let text = "- question: Два плюс два?\n  answers:\n    - text: четыре\n      correct: true\n    - text: пять\n  explain: Так считают.\n- question: Чётные?\n  answers:\n    - {text: два, correct: true}\n    - {text: три}\n    - {text: четыре, correct: true}\n";
        let quiz = parse(text, &locate).unwrap();
        assert_eq!(quiz.len(), 2);
        assert!(!quiz[0].is_multiple());
        assert!(quiz[1].is_multiple());
        assert_eq!(quiz[0].explain.as_deref(), Some("Так считают."));
        assert_eq!(quiz[1].answers[2].text, "четыре");
    }

    #[test]
    fn mistakes_are_located_in_the_page_with_a_hint() {
        let no_correct = "- question: А?\n  answers:\n    - text: да\n    - text: нет\n";
        let found = errors(no_correct);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("content/k/a.md:11:3: error: question 1 has no correct answer"),
            "{found:?}"
        );
        assert!(found[0].contains("hint: add `correct: true`"), "{found:?}");

        let typo =
            "- question: А?\n  answers:\n    - text: да\n      corect: true\n    - text: нет\n";
        let found = errors(typo);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("content/k/a.md:13:"), "{found:?}");
        assert!(
            found[0].contains("unknown field `corect` in answer 1 of question 1")
                && found[0].contains("did you mean `correct`?"),
            "{found:?}"
        );
        let wrong_type = "- question: [А]\n  answers: [{text: да, correct: true}, {text: нет}]\n";
        assert!(
            errors(wrong_type)[0].contains("`question` of question 1 must be text"),
            "{:?}",
            errors(wrong_type)
        );

        let map = "question: А?\nanswers: []\n";
        assert!(errors(map)[0].contains("a `quiz` block must be a list of questions"));
        let one = "- question: А?\n  answers:\n    - {text: да, correct: true}\n";
        assert!(errors(one)[0].contains("question 1 needs at least two answers, found 1"));
        let syntax = "- question: А?\n  answers: [\n";
        assert_eq!(errors(syntax).len(), 1);
        assert!(errors("\n")[0].contains("the `quiz` block is empty"));
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        for text in [
            "- - -",
            "[[[",
            "- question: 1\n  answers: 2",
            "{}",
            "- {}",
            "- question: x\n  answers: [{text: '', correct: true}, {text: ''}]",
            "\u{0}",
            "- question: &a x\n  answers: *a",
        ] {
            let _ = parse(text, &locate);
        }
    }
}
