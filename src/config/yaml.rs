//! YAML helpers shared by `rolebook.yaml` and front matter: where an error
//! is, what it means in the author's words, and where each key is written.
//! Only `config/` and `content/front_matter.rs` parse YAML.

use crate::error::closest;

/// One top-level key of the front matter and the byte range of its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyBlock {
    pub key: String,
    /// 0-based line within the front matter.
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// 0-based line and 1-based column of a serde_yaml error inside `text`.
///
/// serde_yaml reports a real position for syntax and type errors, but
/// `1:1` for errors raised at the end of a mapping (unknown, duplicate or
/// missing fields); those are found by the key's own line.
pub(crate) fn yaml_error_location(err: &serde_yaml::Error, text: &str) -> (usize, usize) {
    let message = err.to_string();
    let real = err.location().filter(|_| message.contains(" at line "));
    if let Some(location) = real {
        return (location.line().saturating_sub(1), location.column());
    }
    let key = backticked(&message);
    if let Some(key) = key.filter(|_| message.contains("unknown field"))
        && let Some(block) = yaml_top_level_keys(text)
            .into_iter()
            .flatten()
            .find(|b| b.key == key)
    {
        return (block.line, 1);
    }
    if let Some(key) = key.filter(|_| message.contains("duplicate field"))
        && let Some(block) = yaml_top_level_keys(text)
            .into_iter()
            .flatten()
            .filter(|b| b.key == key)
            .nth(1)
    {
        return (block.line, 1);
    }
    (0, 1)
}

fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// Turn a serde message into ours: lowercase wording and a hint where the fix is clear.
pub(crate) fn explain_serde_message(message: &str) -> (String, Option<String>) {
    let message = strip_positions(message.trim());
    let (path, message) = split_key_path(&message);
    let subject = |fallback: &str| path.map_or(fallback.to_string(), |p| format!("`{p}`"));
    if message.starts_with("unknown field") {
        let candidates = expected_list(message);
        let hint = backticked(message)
            .and_then(|key| closest(key, candidates.iter().map(String::as_str)))
            .map(|c| format!("did you mean `{c}`?"))
            .or_else(|| {
                (!candidates.is_empty())
                    .then(|| format!("known fields here: {}", quote_all(&candidates)))
            });
        let short = message.split(", expected").next().unwrap_or(message);
        let short = match path {
            Some(p) => format!("{short} in `{p}`"),
            None => short.to_string(),
        };
        return (short, hint);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        let (what, hint) = describe_expected(expected);
        let key = path
            .and_then(|p| p.rsplit('.').next())
            .filter(|k| !k.ends_with(']'));
        let hint = hint.map(|h| match key {
            Some(key) => h.replace("`key:", &format!("`{key}:")),
            None => h,
        });
        return (
            format!("{} must be {what}, found {found}", subject("the value")),
            hint,
        );
    }
    if message.starts_with("missing field") {
        let field = backticked(message).unwrap_or("field");
        let short = match path {
            Some(p) => format!("{message} in `{p}`"),
            None => message.to_string(),
        };
        return (short, Some(format!("add `{field}: ...`")));
    }
    if message.starts_with("unknown variant") {
        let short = message.split(", expected").next().unwrap_or(message);
        let candidates = expected_list(message);
        let hint = backticked(message)
            .and_then(|written| closest(written, candidates.iter().map(String::as_str)))
            .map_or_else(
                || format!("use one of {}", quote_all(&candidates)),
                |c| format!("did you mean `{c}`?"),
            );
        return (format!("{}: {short}", subject("value")), Some(hint));
    }
    if message.starts_with("invalid value") || message.starts_with("invalid length") {
        return (format!("{}: {message}", subject("value")), None);
    }
    let syntax_hint =
        "check indentation, brackets and quotes; put a value containing `: ` or `#` in quotes";
    (message.to_string(), Some(syntax_hint.to_string()))
}

/// serde_yaml puts `at line N column M` inside messages; we print the position in front.
fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let skip = tail
            .find(|c: char| {
                !(c.is_ascii_digit() || c == ' ' || c.is_ascii_alphabetic() && "column".contains(c))
            })
            .unwrap_or(tail.len());
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out
}

/// `salary.regions[0]: invalid type …` → (Some("salary.regions[0]"), "invalid type …").
fn split_key_path(message: &str) -> (Option<&str>, &str) {
    if let Some((path, rest)) = message.split_once(": ") {
        let is_path = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'));
        if is_path && !matches!(path, "invalid type" | "invalid value" | "unknown field") {
            return (Some(path), rest);
        }
    }
    (None, message)
}

fn describe_expected(expected: &str) -> (String, Option<String>) {
    let (what, hint) = match expected {
        "a sequence" => (
            "a list",
            "write `key: [first, second]`, or one `- item` per line",
        ),
        "a string" => (
            "text",
            "put the text in quotes if it looks like a number, date or list",
        ),
        "a boolean" => (
            "`true` or `false`",
            "write `true` or `false` without quotes",
        ),
        e if e.contains("integer")
            || e.starts_with("i64")
            || e.starts_with("u64")
            || e.starts_with("usize")
            || e.starts_with("u32") =>
        {
            (
                "a whole number",
                "write digits only, without spaces or quotes, e.g. `30000`",
            )
        }
        e if e.starts_with("a map") || e.starts_with("struct") => {
            ("a mapping", "write `key: value` lines indented under it")
        }
        e if e.contains("date") => ("a date", "write `2024-05-31` (year-month-day)"),
        other => return (other.to_string(), None),
    };
    (what.to_string(), Some(hint.to_string()))
}

fn quote_all(items: &[String]) -> String {
    items
        .iter()
        .map(|o| format!("`{o}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn expected_list(message: &str) -> Vec<String> {
    let Some(tail) = message.split(", expected").nth(1) else {
        return Vec::new();
    };
    tail.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Top-level keys of a block-style YAML mapping, with the byte range of each
/// key's lines. `None` when the text is not a block mapping (flow style, a
/// list, a scalar): then serde sees the whole text and reports what is wrong.
pub(crate) fn yaml_top_level_keys(text: &str) -> Option<Vec<KeyBlock>> {
    let mut blocks: Vec<KeyBlock> = Vec::new();
    let mut offset = 0;
    for (line_no, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        if let Some(last) = blocks.last_mut() {
            last.end = start;
        }
        if is_yaml_continuation(line) {
            match blocks.last_mut() {
                Some(last) => last.end = offset,
                // Content before any key: not a block mapping (a list, say).
                None if !is_blank_or_comment(line) => return None,
                None => {}
            }
            continue;
        }
        let key = yaml_key(line)?;
        blocks.push(KeyBlock {
            key,
            line: line_no,
            start,
            end: offset,
        });
    }
    Some(blocks)
}

fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// Lines that belong to the key above them: indented, blank, comments, and
/// `- item` lines (YAML allows a list at the key's own indentation).
fn is_yaml_continuation(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.is_empty()
        || trimmed.starts_with('#')
        || line.starts_with([' ', '\t'])
        || trimmed == "-"
        || line.starts_with("- ")
}

/// The key of a `key: value` line at column 0.
fn yaml_key(line: &str) -> Option<String> {
    let line = line.trim_end();
    let first = line.chars().next()?;
    if matches!(
        first,
        '{' | '[' | '-' | '?' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`'
    ) {
        return None;
    }
    let (raw_key, rest) = split_yaml_key(line)?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some(raw_key.trim().trim_matches(['"', '\'']).to_string())
}

fn split_yaml_key(line: &str) -> Option<(&str, &str)> {
    if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = line[1..].find(quote)? + 1;
        let rest = line[close + 1..].trim_start();
        return rest.strip_prefix(':').map(|r| (&line[..=close], r));
    }
    let colon = line.match_indices(':').find(|(i, _)| {
        let after = &line[i + 1..];
        after.is_empty() || after.starts_with([' ', '\t'])
    })?;
    Some((&line[..colon.0], &line[colon.0 + 1..]))
}

/// 0-based line and 1-based column of a nested key (`salary.regions[1].min`)
/// in block YAML, for checks that run after serde (value ranges, dates, references).
pub(crate) fn yaml_key_position(text: &str, path: &[KeyPath<'_>]) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut range = 0..lines.len();
    let mut found = None;
    let mut min_indent = 0usize;
    for segment in path {
        let (line, column, end) = find_segment(&lines, range.clone(), min_indent, segment)?;
        found = Some((line, column));
        min_indent = column; // children sit right of the parent key (1-based col = indent + 1)
        range = line..end;
    }
    found
}

/// One step of a key path: a mapping key or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPath<'a> {
    /// A mapping key.
    Key(&'a str),
    /// A 0-based list item.
    Index(usize),
}

/// Find a key or list item inside `range`, returning (line, 1-based column, end of its block).
fn find_segment(
    lines: &[&str],
    range: std::ops::Range<usize>,
    min_indent: usize,
    segment: &KeyPath<'_>,
) -> Option<(usize, usize, usize)> {
    let mut seen_items = 0;
    for i in range.clone() {
        let line = lines[i];
        match segment {
            KeyPath::Key(key) => {
                if let Some(col) =
                    key_column(line, key).filter(|c| *c > min_indent || i == range.start)
                {
                    return Some((i, col, block_end(lines, i, col, range.end)));
                }
            }
            KeyPath::Index(index) if i == range.start => {
                // `related: [a, b]`: the item is on the key's own line.
                if let Some(column) = flow_item_column(line, *index) {
                    return Some((i, column, i + 1));
                }
            }
            KeyPath::Index(index) => {
                let indent = line.len() - line.trim_start().len();
                if indent + 1 >= min_indent && line.trim_start().starts_with('-') && i > range.start
                {
                    if seen_items == *index {
                        return Some((i, indent + 1, block_end(lines, i, indent + 1, range.end)));
                    }
                    seen_items += 1;
                }
            }
        }
    }
    None
}

/// 1-based column of the `index`-th item of the flow list (`[a, b]`) that
/// follows the key on this line.
fn flow_item_column(line: &str, index: usize) -> Option<usize> {
    let open = line
        .find(": [")
        .map(|i| i + 2)
        .or_else(|| line.find(":["))?;
    let mut item = 0;
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut at_start = true;
    for (byte, c) in line.char_indices().skip_while(|(b, _)| *b <= open) {
        if at_start && !c.is_whitespace() {
            if item == index && c != ']' {
                return Some(line[..byte].chars().count() + 1);
            }
            at_start = false;
        }
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') if depth == 0 => return None,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                item += 1;
                at_start = true;
            }
            _ => {}
        }
    }
    None
}

/// 1-based column of `key:` in a line, also inside `- key:` and `{key: ...}`.
fn key_column(line: &str, key: &str) -> Option<usize> {
    let needle = format!("{key}:");
    let mut from = 0;
    while let Some(pos) = line[from..].find(&needle) {
        let at = from + pos;
        let before = line[..at].chars().next_back();
        if before.is_none_or(|c| matches!(c, ' ' | '\t' | '{' | ',' | '-')) {
            return Some(line[..at].chars().count() + 1);
        }
        from = at + needle.len();
    }
    None
}

/// A key's block ends at the next line indented at or left of the key.
fn block_end(lines: &[&str], start: usize, column: usize, limit: usize) -> usize {
    for (i, line) in lines.iter().enumerate().take(limit).skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent < column && !(indent + 1 == column && trimmed.starts_with('-')) {
            return i;
        }
    }
    limit
}

/// A YAML syntax error told in the author's words: where its cause is (the
/// line of an unclosed quote or bracket, a tab), what is wrong, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Explained {
    /// 0-based line within the YAML text.
    pub line0: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Explained {
    fn new(line0: usize, column: usize, message: impl Into<String>, hint: &str) -> Self {
        Explained {
            line0,
            column,
            message: message.into(),
            hint: hint.to_string(),
        }
    }
}

/// Explain a syntax error of serde_yaml (not a type error: those are
/// explained by [`explain_serde_message`]); `None` when the message is not
/// one we know, and the parser's own words are shown.
///
/// libyaml reports where it gave up, which for an unclosed quote can be many
/// lines after the quote (the next `"` in the text closes it), so the text
/// itself is read for the usual causes first: a tab in the indentation, a
/// quote left open at the end of its line.
pub(crate) fn explain_yaml_syntax(err: &serde_yaml::Error, text: &str) -> Option<Explained> {
    let message = err.to_string();
    if is_type_error(&message) {
        return None;
    }
    let at = err.location()?;
    let (line0, column) = (at.line().saturating_sub(1), at.column());
    let lines: Vec<&str> = text.lines().collect();
    if let Some(tab) = first_tab_indent(&lines[..lines.len().min(line0 + 1)]) {
        return Some(tab);
    }
    if let Some(quote) = first_open_quote(&lines[..lines.len().min(line0 + 1)]) {
        return Some(quote);
    }
    if let Some((kind, l, c)) = context_position(&message, "while parsing a flow ") {
        let (open, close, what) = match kind {
            "sequence" => ('[', ']', "list"),
            _ => ('{', '}', "mapping"),
        };
        return Some(Explained::new(
            l,
            c,
            format!("the {what} opened with `{open}` here is never closed"),
            &format!(
                "close it with `{close}` on the same line, and separate its items with commas"
            ),
        ));
    }
    explain_by_message(&message, &lines, line0, column)
}

fn is_type_error(message: &str) -> bool {
    let message =
        message.split_once(": ").map_or(
            message,
            |(path, rest)| {
                if path.contains(' ') { message } else { rest }
            },
        );
    [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown field",
        "missing field",
        "duplicate field",
        "unknown variant",
    ]
    .iter()
    .any(|p| message.starts_with(p))
}

/// The messages whose cause sits where libyaml stopped.
fn explain_by_message(
    message: &str,
    lines: &[&str],
    line0: usize,
    column: usize,
) -> Option<Explained> {
    let line = lines.get(line0).copied().unwrap_or("");
    let first = |c: usize| line.chars().nth(c.saturating_sub(1));
    if message.starts_with("mapping values are not allowed") {
        if let Some(above) = indented_under_value(lines, line0) {
            return Some(Explained::new(
                line0,
                indent_of(line) + 1,
                format!(
                    "this line is indented more than `{above}` above it, as if it were part of its value"
                ),
                "keys of one mapping start in the same column: check the spaces at the start of the line",
            ));
        }
        let start = value_start(line).unwrap_or(column);
        return Some(Explained::new(
            line0,
            start,
            "the value contains `: `, which YAML reads as the start of another key",
            "put the whole value in quotes: `key: \"…: …\"`",
        ));
    }
    if message.starts_with("block sequence entries are not allowed") {
        return Some(Explained::new(
            line0,
            column,
            "a list cannot start on the line of its key",
            "write `key: [a, b]`, or put each `- item` on its own line below the key",
        ));
    }
    if message.starts_with("found character that cannot start any token")
        && let Some(c) = first(column).filter(|c| matches!(c, '@' | '`' | '%'))
    {
        // A backtick in Markdown code needs doubled fences around it.
        let shown = if c == '`' {
            "`` ` ``".to_string()
        } else {
            format!("`{c}`")
        };
        return Some(Explained::new(
            line0,
            column,
            format!("a value cannot start with {shown}"),
            &format!("put the whole value in quotes: `key: \"{c}…\"`"),
        ));
    }
    if message.starts_with("unknown anchor") {
        return Some(Explained::new(
            line0,
            column,
            "a value cannot start with `*` (YAML reads it as a reference to an anchor)",
            "put the whole value in quotes: `key: \"*…\"`",
        ));
    }
    if message.contains("while scanning a block scalar") {
        return Some(Explained::new(
            line0,
            value_start(line).unwrap_or(column),
            "a value cannot start with `|` or `>` followed by text (YAML reads it as the start of a text block)",
            "put the whole value in quotes: `key: \"|…\"`",
        ));
    }
    if message.starts_with("did not find expected '-' indicator") {
        return Some(Explained::new(
            line0,
            column,
            "this list item does not line up with the items above it",
            "items of one list start in the same column: check the spaces at the start of the line",
        ));
    }
    if message.starts_with("did not find expected key") {
        return Some(Explained::new(
            line0,
            column,
            "this line does not line up with the keys above it",
            "keys of one mapping start in the same column: check the spaces at the start of the line",
        ));
    }
    if message.starts_with("found unexpected end of stream") {
        return Some(Explained::new(
            line0,
            column,
            "the front matter ends in the middle of a value",
            "look for an unclosed quote or bracket above",
        ));
    }
    None
}

/// The first line whose indentation holds a tab.
fn first_tab_indent(lines: &[&str]) -> Option<Explained> {
    lines.iter().enumerate().find_map(|(i, line)| {
        let indent = &line[..line.len() - line.trim_start().len()];
        indent.find('\t').map(|at| {
            Explained::new(
                i,
                indent[..at].chars().count() + 1,
                "a tab in the indentation: YAML indents with spaces only",
                "replace the tab at the start of this line with spaces",
            )
        })
    })
}

/// The first quoted value left open at the end of its line. Multi-line
/// quoted values are valid YAML but rare in front matter: this is asked only
/// once the text failed to parse.
fn first_open_quote(lines: &[&str]) -> Option<Explained> {
    lines.iter().enumerate().find_map(|(i, line)| {
        let (column, quote) = open_quote(line)?;
        let hint = match quote {
            '"' => "end the value with `\"` on this line (write `\\\"` for a quote inside it)",
            _ => "end the value with `'` on this line (write `''` for a quote inside it)",
        };
        Some(Explained::new(
            i,
            column,
            format!("the quote `{quote}` opened here is never closed"),
            hint,
        ))
    })
}

/// The column and character of a quote that starts a value on this line
/// and is still open at its end.
fn open_quote(line: &str) -> Option<(usize, char)> {
    let mut open: Option<(usize, char)> = None;
    // The last character that was not a space (`None` at the line start),
    // and whether a space came after it.
    let mut last: Option<char> = None;
    let mut spaced = true;
    let mut chars = line.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        match open {
            Some((_, '"')) if c == '\\' => {
                chars.next();
            }
            Some((_, q)) if c == q => {
                if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                } else {
                    open = None;
                }
            }
            Some(_) => {}
            None if c == '#' && spaced => return None,
            None if matches!(c, '"' | '\'') && starts_value(last, spaced) => {
                open = Some((i + 1, c))
            }
            None => {}
        }
        spaced = c.is_whitespace();
        if !spaced {
            last = Some(c);
        }
    }
    open
}

/// A quote starts a quoted value only at the line start, after `key: `,
/// `- `, or inside `[...]` and `{...}`; elsewhere it is a character of plain
/// text (`title: Он сказал "да"`).
fn starts_value(last: Option<char>, spaced: bool) -> bool {
    match last {
        None => true,
        Some(':' | '-') => spaced,
        Some('[' | '{' | ',') => true,
        Some(_) => false,
    }
}

/// `while parsing a flow sequence at line 1 column 7` → ("sequence", 0, 7).
fn context_position<'a>(message: &'a str, marker: &str) -> Option<(&'a str, usize, usize)> {
    let rest = &message[message.find(marker)? + marker.len()..];
    let (kind, rest) = rest.split_once(" at line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((
        kind,
        line.parse::<usize>().ok()?.saturating_sub(1),
        column.parse().ok()?,
    ))
}

/// The key of the line above `line0` when `line0` is indented more than it
/// although that key already has a value on its own line.
fn indented_under_value(lines: &[&str], line0: usize) -> Option<String> {
    let line = lines.get(line0)?;
    let above = lines[..line0]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let (key, value) = above.trim().split_once(": ")?;
    let deeper = indent_of(line) > indent_of(above);
    (deeper && !value.trim().is_empty() && !key.starts_with('-')).then(|| key.to_string())
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The 1-based column where the value of a `key: value` line starts.
fn value_start(line: &str) -> Option<usize> {
    let at = line.find(": ")?;
    let after = &line[at + 2..];
    let skipped = after.len() - after.trim_start().len();
    Some(line[..at + 2 + skipped].chars().count() + 1)
}

/// A foreign YAML file (another tool's config) as plain data, for `rolebook import`.
pub fn parse_any(text: &str) -> Result<serde_json::Value, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, column, message) of the explanation of a YAML text's error.
    fn explain(text: &str) -> (usize, usize, String) {
        let err = serde_yaml::from_str::<serde_yaml::Value>(text).expect_err("invalid YAML");
        let e = explain_yaml_syntax(&err, text).unwrap_or_else(|| panic!("unexplained: {err}"));
        (e.line0 + 1, e.column, e.message)
    }

    #[test]
    fn an_unclosed_quote_is_found_at_its_own_line() {
        // libyaml stops at line 4, where the next quote closes the value.
        let text = "title: \"Аккаунт-менеджер\ndate: 2020-01-01\nweight: 1\nsource: \"обзор\"\n";
        assert_eq!(
            explain(text),
            (1, 8, "the quote `\"` opened here is never closed".into())
        );
        let single = "title: 'Аккаунт\ndate: 2020-01-01\n";
        assert_eq!(explain(single).0, 1);
        assert!(explain(single).2.contains("`'`"));
        let in_flow = "regions:\n  - {region: \"Москва, min: 1}\nx: 1\n";
        assert_eq!(explain(in_flow).0, 2);
    }

    #[test]
    fn quotes_inside_plain_text_are_not_openings() {
        assert_eq!(open_quote("title: Он сказал \"да"), None);
        assert_eq!(open_quote("title: it's"), None);
        assert_eq!(open_quote("title: \"ok\" # note \"x"), None);
        assert_eq!(open_quote("title: 'it''s"), Some((8, '\'')));
        assert_eq!(open_quote("- \"item"), Some((3, '"')));
        assert_eq!(open_quote("tags: [a, \"b"), Some((11, '"')));
        assert_eq!(open_quote("title: \"a \\\" b\""), None);
    }

    #[test]
    fn tabs_are_named() {
        let (line, column, message) = explain("title: x\nduties:\n\t- a\n");
        assert_eq!((line, column), (3, 1));
        assert!(message.starts_with("a tab in the indentation"), "{message}");
        assert_eq!(explain("salary:\n  as_of: 1\n\tcurrency: RUB\n").0, 3);
    }

    #[test]
    fn unclosed_brackets_point_at_the_opening() {
        assert_eq!(
            explain("tags: [a, b\ndate: 1\nweight: 2\n"),
            (1, 7, "the list opened with `[` here is never closed".into())
        );
        assert_eq!(
            explain("career: {next: [a]\ndate: 1\n"),
            (
                1,
                9,
                "the mapping opened with `{` here is never closed".into()
            )
        );
    }

    #[test]
    fn common_slips_are_explained() {
        let cases = [
            (
                "title: Роль: менеджер\n",
                1,
                "the value contains `: `, which YAML reads as the start of another key",
            ),
            (
                "salary:\n  as_of: 1\n   currency: RUB\n",
                3,
                "this line is indented more than `as_of` above it, as if it were part of its value",
            ),
            (
                "salary:\n    as_of: 1\n  currency: RUB\n",
                3,
                "this line does not line up with the keys above it",
            ),
            (
                "tags: - a\n",
                1,
                "a list cannot start on the line of its key",
            ),
            ("title: @home\n", 1, "a value cannot start with `@`"),
            ("title: `x`\n", 1, "a value cannot start with `` ` ``"),
            (
                "title: *x\n",
                1,
                "a value cannot start with `*` (YAML reads it as a reference to an anchor)",
            ),
            (
                "title: |x\n",
                1,
                "a value cannot start with `|` or `>` followed by text (YAML reads it as the start of a text block)",
            ),
        ];
        for (text, line, message) in cases {
            let (l, _, m) = explain(text);
            assert_eq!((l, m.as_str()), (line, message), "{text}");
        }
    }

    #[test]
    fn type_errors_are_left_to_the_serde_explanation() {
        let err =
            serde_yaml::from_str::<std::collections::BTreeMap<String, u32>>("a: x\n").unwrap_err();
        assert_eq!(explain_yaml_syntax(&err, "a: x\n"), None);
    }
}
