//! TOML syntax errors (`+++` front matter) in the author's words: the
//! toml crate says what it expected where it stopped; this says what the
//! author wrote wrong, at the line of the cause.

/// A TOML error message turned into ours, at `column` of `line0`.
pub(super) struct Explained {
    pub line0: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

/// Explain the common TOML syntax errors; `None` for the others (type
/// errors are explained like YAML's).
pub(super) fn explain(message: &str, text: &str, line0: usize, column: usize) -> Option<Explained> {
    let line = text.lines().nth(line0).unwrap_or("");
    let at = |column: usize, message: &str, hint: &str| {
        Some(Explained {
            line0,
            column,
            message: message.to_string(),
            hint: hint.to_string(),
        })
    };
    let key = line.split('=').next().unwrap_or("").trim();
    if message.starts_with("invalid basic string") || message.starts_with("invalid literal string")
    {
        let quote = if message.contains("basic") { '"' } else { '\'' };
        let opened = line
            .find('=')
            .and_then(|eq| line[eq..].find(quote).map(|q| eq + q))
            .map_or(column, |byte| line[..byte].chars().count() + 1);
        return at(
            opened,
            &format!("the string opened with `{quote}` here is never closed"),
            &format!(
                "end it with `{quote}` on the same line (for text over several lines, use `{quote}{quote}{quote}`)"
            ),
        );
    }
    if message.starts_with("string values must be quoted") {
        return at(
            column,
            "text must be in quotes in TOML",
            &format!("write `{key} = \"…\"`"),
        );
    }
    if message.starts_with("key with no value") {
        return at(
            1,
            "this line has a key but no `=` and value",
            "write `key = value`, with text in quotes",
        );
    }
    if message.starts_with("duplicate key") {
        return at(
            1,
            &format!("`{key}` is given twice"),
            "remove one of the two lines",
        );
    }
    if message.starts_with("unclosed table") {
        return at(
            1,
            "the table name opened with `[` is never closed",
            "write the table header as `[name]` on one line",
        );
    }
    if message.starts_with("missing comma between array elements") {
        return at(
            column,
            "a comma is missing here, or the list's `]` is",
            "separate the items with commas and close the list with `]` (it may span lines)",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, column, message) for a TOML text's error.
    fn explain_text(text: &str) -> (usize, usize, String) {
        let err = toml::from_str::<toml::Value>(text).expect_err("invalid TOML");
        let span = err.span().unwrap_or(0..0);
        let before = &text[..span.start];
        let line0 = before.matches('\n').count();
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let e = explain(err.message(), text, line0, column)
            .unwrap_or_else(|| panic!("unexplained: {}", err.message()));
        (e.line0 + 1, e.column, e.message)
    }

    #[test]
    fn toml_slips_are_explained_at_their_cause() {
        let cases = [
            (
                "title = \"abc\ndate = 1\n",
                (1, 9, "the string opened with `\"` here is never closed"),
            ),
            (
                "title = 'abc\n",
                (1, 9, "the string opened with `'` here is never closed"),
            ),
            ("title = abc\n", (1, 9, "text must be in quotes in TOML")),
            (
                "title \"abc\"\n",
                (1, 1, "this line has a key but no `=` and value"),
            ),
            (
                "title = \"a\"\ntitle = \"b\"\n",
                (2, 1, "`title` is given twice"),
            ),
            (
                "[salary\nx = 1\n",
                (1, 1, "the table name opened with `[` is never closed"),
            ),
            (
                "tags = [\"a\", \"b\"\nx = 1\n",
                (2, 1, "a comma is missing here, or the list's `]` is"),
            ),
        ];
        for (text, (line, column, message)) in cases {
            assert_eq!(
                explain_text(text),
                (line, column, message.to_string()),
                "{text}"
            );
        }
    }
}
