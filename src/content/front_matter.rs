//! Front matter: split the `---` (YAML) or `+++` (TOML) block off a page,
//! parse it into [`RawFrontMatter`], and map every parser error to a line of
//! the whole file.
//!
//! This file and `config.rs` are the only places that parse YAML.
//!
//! Unknown keys are decided before serde sees the text: the top-level keys
//! are scanned line by line, keys that are not fields of the page's kind are
//! cut out of the text (their lines blanked, so line numbers stay true) and
//! parsed on their own. serde then deserializes the rest with
//! `deny_unknown_fields` and reports type errors at their exact line.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use crate::content::page::{COMMON_FIELDS, Kind, RawFrontMatter, SECTION_FIELDS, kind_fields};
use crate::error::{Error, LineIndex, Location, closest};

/// Which syntax the front matter block uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` fences.
    Yaml,
    /// `+++` fences.
    Toml,
}

/// A page's text cut into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// Syntax of the front matter block.
    pub format: Format,
    /// The text between the fences.
    pub front: &'a str,
    /// 1-based line of the file where `front` starts.
    pub front_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// Why a page could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---` or `+++`.
    Missing,
    /// The opening fence has no closing fence; carries the fence.
    Unterminated(&'static str),
}

/// Split `text` (BOM already removed, `\n` line ends) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let (fence, format) = match first_line(text) {
        "---" => ("---", Format::Yaml),
        "+++" => ("+++", Format::Toml),
        _ => return Err(SplitError::Missing),
    };
    let front_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = front_start;
    // The first line after the opening fence is line 2 of the file.
    for (line, raw_line) in (2..).zip(text[front_start..].split_inclusive('\n')) {
        if raw_line.trim_end() == fence {
            let body_start = offset + raw_line.len();
            return Ok(Split {
                format,
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(SplitError::Unterminated(fence))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim_end()
}

/// What a page's parse needs to know besides its own text.
#[derive(Debug, Clone, Copy)]
pub struct ParseContext<'a> {
    /// Path relative to the site root, for error locations.
    pub path: &'a std::path::Path,
    /// True for `_index.md` (section fields are allowed).
    pub is_section: bool,
    /// The kind a page has when it does not say (`page_kind` of its section).
    pub default_kind: Kind,
    /// Configured taxonomy names; their keys are accepted on every page.
    pub taxonomies: &'a [String],
    /// What to do with keys that are not fields.
    pub unknown_keys: UnknownKeys,
}

/// The site's policy for front matter keys that are not fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownKeys {
    /// A build error (the default).
    #[default]
    Error,
    /// A warning; the value is kept under `extra`.
    Warn,
    /// Kept under `extra` silently (for content migrated from other tools).
    Extra,
}

/// The parsed front matter plus values cut out before serde saw the text.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Typed fields.
    pub raw: RawFrontMatter,
    /// The kind the page ends up with.
    pub kind: Kind,
    /// Taxonomy lists given under their own key (`industries: [...]`).
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Unknown keys kept under `extra` by the site's policy.
    pub unknown: serde_json::Map<String, Json>,
    /// Warnings (unknown keys under `warn`).
    pub warnings: Vec<Error>,
}

/// Parse a split front matter block. All errors are returned, located in the file.
pub fn parse(split: &Split<'_>, ctx: &ParseContext<'_>) -> Result<Parsed, Vec<Error>> {
    let doc = Document::new(split, ctx);
    let blocks = doc.top_level_keys();
    let kind = doc.kind(&blocks).unwrap_or(ctx.default_kind);
    let mut parsed = Parsed {
        kind,
        ..Parsed::default()
    };
    let mut errors = Vec::new();
    let mut cut = Vec::new();
    for block in blocks.iter().flatten() {
        match classify(&block.key, kind, ctx) {
            KeyClass::Field => {}
            KeyClass::Taxonomy => {
                cut.push(block);
                match doc.parse_block::<Vec<String>>(block) {
                    Ok(terms) => {
                        parsed.taxonomies.insert(block.key.clone(), terms);
                    }
                    Err(e) => errors.push(e.with_hint(format!(
                        "write `{}: [term, other term]`, or one `- term` per line",
                        block.key
                    ))),
                }
            }
            KeyClass::Unknown => {
                cut.push(block);
                doc.handle_unknown(block, kind, ctx, &mut parsed, &mut errors);
            }
        }
    }
    match doc.deserialize_without(&cut) {
        Ok(raw) => parsed.raw = raw,
        Err(e) => errors.push(e),
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

enum KeyClass {
    Field,
    Taxonomy,
    Unknown,
}

fn classify(key: &str, kind: Kind, ctx: &ParseContext<'_>) -> KeyClass {
    let is_field = COMMON_FIELDS.contains(&key)
        || kind_fields(kind).contains(&key)
        || (ctx.is_section && SECTION_FIELDS.contains(&key));
    if is_field {
        KeyClass::Field
    } else if ctx.taxonomies.iter().any(|t| t == key) {
        KeyClass::Taxonomy
    } else {
        KeyClass::Unknown
    }
}

/// All keys a page of this kind may have, for "did you mean" hints.
fn known_keys<'a>(kind: Kind, ctx: &'a ParseContext<'a>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = COMMON_FIELDS.to_vec();
    keys.extend_from_slice(kind_fields(kind));
    if ctx.is_section {
        keys.extend_from_slice(SECTION_FIELDS);
    }
    keys.extend(ctx.taxonomies.iter().map(String::as_str));
    keys
}

/// One top-level key of the front matter and the byte range of its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyBlock {
    pub key: String,
    /// 0-based line within the front matter.
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// The front matter text with what is needed to locate errors in the file.
struct Document<'a> {
    text: &'a str,
    format: Format,
    first_line: usize,
    path: &'a std::path::Path,
    index: LineIndex,
}

impl<'a> Document<'a> {
    fn new(split: &Split<'a>, ctx: &ParseContext<'a>) -> Self {
        Document {
            text: split.front,
            format: split.format,
            first_line: split.front_line,
            path: ctx.path,
            index: LineIndex::new(split.front),
        }
    }

    fn top_level_keys(&self) -> Option<Vec<KeyBlock>> {
        match self.format {
            Format::Yaml => yaml_top_level_keys(self.text),
            Format::Toml => toml_top_level_keys(self.text),
        }
    }

    /// The `kind:` value, read early because it decides which keys are fields.
    fn kind(&self, blocks: &Option<Vec<KeyBlock>>) -> Option<Kind> {
        let block = blocks.iter().flatten().find(|b| b.key == "kind")?;
        self.parse_block::<Kind>(block).ok()
    }

    fn location(&self, line0: usize, column: usize) -> Location {
        Location::at(self.path, self.first_line + line0, column)
    }

    /// Parse one cut-out block on its own (`key: value` text) and return the value.
    fn parse_block<T: DeserializeOwned>(&self, block: &KeyBlock) -> Result<T, Error> {
        let padded = self.blank_all_but(block);
        let map: BTreeMap<String, T> = self.deserialize(&padded)?;
        map.into_values()
            .next()
            .ok_or_else(|| Error::at(self.location(block.line, 1), "empty value"))
    }

    /// The text with every line outside `block` blanked (line numbers stay true).
    fn blank_all_but(&self, block: &KeyBlock) -> String {
        let mut text = blank_lines(&self.text[..block.start]);
        text.push_str(&self.text[block.start..block.end]);
        text
    }

    fn deserialize_without(&self, cut: &[&KeyBlock]) -> Result<RawFrontMatter, Error> {
        if cut.is_empty() {
            return self.deserialize(self.text);
        }
        let mut text = String::with_capacity(self.text.len());
        let mut pos = 0;
        for block in cut {
            text.push_str(&self.text[pos..block.start]);
            text.push_str(&blank_lines(&self.text[block.start..block.end]));
            pos = block.end;
        }
        text.push_str(&self.text[pos..]);
        self.deserialize(&text)
    }

    fn deserialize<T: DeserializeOwned>(&self, text: &str) -> Result<T, Error> {
        match self.format {
            Format::Yaml => deserialize_yaml(text).map_err(|e| self.yaml_error(&e, text)),
            Format::Toml => toml::from_str(text).map_err(|e| self.toml_error(&e, text)),
        }
    }

    fn handle_unknown(
        &self,
        block: &KeyBlock,
        kind: Kind,
        ctx: &ParseContext<'_>,
        parsed: &mut Parsed,
        errors: &mut Vec<Error>,
    ) {
        let location = self.location(block.line, 1);
        let message = format!("unknown field `{}`", block.key);
        if ctx.unknown_keys == UnknownKeys::Error {
            errors.push(
                Error::at(location, message).with_hint(unknown_key_hint(&block.key, kind, ctx)),
            );
            return;
        }
        match self.parse_block::<Json>(block) {
            Ok(value) => {
                parsed.unknown.insert(block.key.clone(), value);
            }
            Err(e) => errors.push(e),
        }
        if ctx.unknown_keys == UnknownKeys::Warn {
            parsed.warnings.push(
                Error::warning("unknown-field", location, message)
                    .with_hint(unknown_key_hint(&block.key, kind, ctx)),
            );
        }
    }

    fn yaml_error(&self, err: &serde_yaml::Error, text: &str) -> Error {
        let located = yaml_error_location(err, text);
        let (message, hint) = explain_serde_message(&err.to_string());
        let mut error = Error::at(self.location(located.0, located.1), message);
        if let Some(hint) = hint {
            error = error.with_hint(hint);
        }
        error
    }

    fn toml_error(&self, err: &toml::de::Error, text: &str) -> Error {
        let (line0, column) = err.span().map_or((0, 1), |span| {
            let (line, col) = self.index.line_col(text, span.start);
            (line - 1, col)
        });
        let (message, hint) = explain_serde_message(err.message());
        let mut error = Error::at(self.location(line0, column), message);
        if let Some(hint) = hint {
            error = error.with_hint(hint);
        }
        error
    }
}

fn deserialize_yaml<T: DeserializeOwned>(text: &str) -> Result<T, serde_yaml::Error> {
    // An empty block (`---\n---`) is an empty mapping, not `null`.
    if text.trim().is_empty() {
        return serde_yaml::from_str("{}");
    }
    serde_yaml::from_str(text)
}

/// Replace every character but newlines, so the text keeps its line numbers.
fn blank_lines(text: &str) -> String {
    text.chars().filter(|&c| c == '\n').collect()
}

fn unknown_key_hint(key: &str, kind: Kind, ctx: &ParseContext<'_>) -> String {
    if let Some(owner) = Kind::ALL.iter().find(|k| kind_fields(**k).contains(&key)) {
        return format!(
            "`{key}` is a field of `kind: {}` pages; this page is `kind: {}`",
            owner.name(),
            kind.name()
        );
    }
    if SECTION_FIELDS.contains(&key) {
        return format!("`{key}` is only allowed in a section's `_index.md`");
    }
    let mut hint = match closest(key, known_keys(kind, ctx)) {
        Some(candidate) => format!("did you mean `{candidate}`?"),
        None => format!("remove `{key}`, or move it under `extra:`"),
    };
    hint.push_str(
        "\nto keep unknown keys, set `unknown_front_matter: extra` (or `warn`) in rolebook.yaml",
    );
    hint
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
        let options = quote_all(&expected_list(message));
        return (
            format!("{}: {short}", subject("value")),
            Some(format!("use one of {options}")),
        );
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

/// Append `item` to the YAML list under the top-level `key` of a page's
/// front matter, keeping the author's formatting; `None` when the page has no
/// such list (or no YAML front matter). Used by `rolebook new chapter`.
pub fn append_to_list(page: &str, key: &str, item: &str) -> Option<String> {
    let split = split(page).ok().filter(|s| s.format == Format::Yaml)?;
    let front_start = page.len() - split.body.len() - split.front.len() - "---\n".len();
    let block = yaml_top_level_keys(split.front)?
        .into_iter()
        .find(|b| b.key == key)?;
    let text = &split.front[block.start..block.end];
    let (insert_at, insertion) = match text.find('[') {
        Some(_) => {
            let close = text.rfind(']')?;
            let empty = text[text.find('[')? + 1..close].trim().is_empty();
            (
                close,
                if empty {
                    item.to_string()
                } else {
                    format!(", {item}")
                },
            )
        }
        None => {
            let last_item = text.lines().rfind(|l| l.trim_start().starts_with('-'))?;
            let indent = &last_item[..last_item.len() - last_item.trim_start().len()];
            let end = text.find(last_item)? + last_item.len();
            (end, format!("\n{indent}- {item}"))
        }
    };
    let at = front_start + block.start + insert_at;
    let mut updated = page.to_string();
    updated.insert_str(at, &insertion);
    Some(updated)
}

/// Top-level keys of a TOML document: `key = value` lines before the first
/// table, and `[table]` / `[[table]]` headers (keyed by their first name).
pub(crate) fn toml_top_level_keys(text: &str) -> Option<Vec<KeyBlock>> {
    let mut blocks: Vec<KeyBlock> = Vec::new();
    let mut offset = 0;
    let mut depth = 0i32;
    let mut in_multiline: Option<&str> = None;
    let mut in_table = false;
    for (line_no, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let starts_new = depth == 0 && in_multiline.is_none();
        let key = if starts_new {
            toml_line_key(line, &mut in_table)
        } else {
            None
        };
        match key {
            Some(key) => blocks.push(KeyBlock {
                key,
                line: line_no,
                start,
                end: offset,
            }),
            None => {
                if let Some(last) = blocks.last_mut() {
                    last.end = offset;
                }
            }
        }
        track_toml_nesting(line, &mut depth, &mut in_multiline);
    }
    Some(blocks)
}

fn toml_line_key(line: &str, in_table: &mut bool) -> Option<String> {
    let trimmed = line.trim();
    if trimmed.starts_with('[') {
        *in_table = true;
        let name = trimmed.trim_start_matches('[').split([']', '.']).next()?;
        return Some(name.trim().trim_matches(['"', '\'']).to_string());
    }
    if *in_table || trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let eq = trimmed.find('=')?;
    let key = trimmed[..eq].trim();
    let key = key.split('.').next().unwrap_or(key);
    Some(key.trim().trim_matches(['"', '\'']).to_string())
}

/// Follow brackets and multi-line strings so continuation lines stay in their block.
fn track_toml_nesting(line: &str, depth: &mut i32, in_multiline: &mut Option<&str>) {
    let mut rest = line;
    loop {
        if let Some(delim) = *in_multiline {
            match rest.find(delim) {
                Some(i) => {
                    rest = &rest[i + 3..];
                    *in_multiline = None;
                }
                None => return,
            }
        }
        let next_multi = ["\"\"\"", "'''"]
            .into_iter()
            .filter_map(|d| rest.find(d).map(|i| (i, d)))
            .min();
        let scan_to = next_multi.map_or(rest.len(), |(i, _)| i);
        let mut in_string: Option<char> = None;
        for c in rest[..scan_to].chars() {
            match (in_string, c) {
                (None, '#') => return,
                (None, '"' | '\'') => in_string = Some(c),
                (Some(q), c) if c == q => in_string = None,
                (None, '[' | '{') => *depth += 1,
                (None, ']' | '}') => *depth -= 1,
                _ => {}
            }
        }
        match next_multi {
            Some((i, d)) => {
                rest = &rest[i + 3..];
                *in_multiline = Some(d);
            }
            None => return,
        }
    }
}

/// The location of a (possibly nested) key in the file, for checks that run
/// after serde. Falls back to the top-level key's line, then to the block start.
pub(crate) fn key_location(
    split: &Split<'_>,
    path: &std::path::Path,
    keys: &[KeyPath<'_>],
) -> Location {
    let (line0, column) = match split.format {
        Format::Yaml => yaml_key_position(split.front, keys),
        Format::Toml => None,
    }
    .or_else(|| top_level_position(split, keys))
    .unwrap_or((0, 1));
    Location::at(path, split.front_line + line0, column)
}

fn top_level_position(split: &Split<'_>, keys: &[KeyPath<'_>]) -> Option<(usize, usize)> {
    let KeyPath::Key(first) = keys.first()? else {
        return None;
    };
    let blocks = match split.format {
        Format::Yaml => yaml_top_level_keys(split.front),
        Format::Toml => toml_top_level_keys(split.front),
    }?;
    blocks.iter().find(|b| b.key == *first).map(|b| (b.line, 1))
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

#[cfg(test)]
mod tests;
