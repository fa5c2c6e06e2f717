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

pub use crate::config::UnknownKeys;
pub use crate::config::yaml::KeyPath;
use crate::config::yaml::{
    KeyBlock, explain_serde_message, explain_yaml_syntax, yaml_error_location, yaml_key_position,
    yaml_top_level_keys,
};
use crate::content::kinds::kind_fields;
use crate::content::page::{COMMON_FIELDS, Kind, RawFrontMatter, SECTION_FIELDS};
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
    /// Top-level keys whose values did not parse (`*`: none could be told
    /// apart). Their error is reported once; checks of them are skipped.
    pub failed: Vec<String>,
}

impl Parsed {
    /// True when `key` was written but its value did not parse.
    pub fn failed(&self, key: &str) -> bool {
        self.failed.iter().any(|k| k == key || k == "*")
    }
}

/// Parse a split front matter block. Every error is returned, located in the
/// file, beside everything that did parse: a key whose value is wrong is
/// left out (and named in [`Parsed::failed`]), so one mistake gives one
/// error and the page still takes part in the build with the rest.
pub fn parse(split: &Split<'_>, ctx: &ParseContext<'_>) -> (Parsed, Vec<Error>) {
    let doc = Document::new(split, ctx);
    let blocks = doc.top_level_keys();
    // A misspelt `kind:` is one error, not one per field of the kind meant:
    // the closest kind stands in (`rol` → `role`); with none close, the
    // fields of every kind are accepted.
    let kind = match doc.kind(&blocks) {
        None => Some(ctx.default_kind),
        Some(Ok(kind)) => Some(kind),
        Some(Err(guess)) => guess,
    };
    let kind_known = kind.is_some();
    let kind = kind.unwrap_or(ctx.default_kind);
    let mut parsed = Parsed {
        kind,
        ..Parsed::default()
    };
    let mut errors = Vec::new();
    let mut cut = Vec::new();
    for block in blocks.iter().flatten() {
        match classify(&block.key, kind_known.then_some(kind), ctx) {
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
    let (mut raw, failed) = doc.deserialize_tolerant(blocks.as_deref(), cut, &mut errors);
    if failed.iter().any(|k| k == "page_kind") {
        let block = blocks.iter().flatten().find(|b| b.key == "page_kind");
        raw.page_kind = block.and_then(|b| doc.guess_kind(b));
    }
    parsed.raw = raw;
    parsed.failed = failed;
    (parsed, errors)
}

enum KeyClass {
    Field,
    Taxonomy,
    Unknown,
}

/// `kind` is `None` when the page's `kind:` is not a kind: then the fields
/// of every kind are accepted (the `kind:` error says what is wrong).
fn classify(key: &str, kind: Option<Kind>, ctx: &ParseContext<'_>) -> KeyClass {
    let of_kind = match kind {
        Some(kind) => kind_fields(kind).contains(&key),
        None => Kind::ALL.iter().any(|k| kind_fields(*k).contains(&key)),
    };
    let is_field = COMMON_FIELDS.contains(&key)
        || of_kind
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

    /// The `kind:` value, read early because it decides which keys are
    /// fields; `Some(Err)` when it is written but is not a kind.
    /// `Some(Err(guess))` when it is written but is not a kind, with the
    /// closest kind if one is close.
    fn kind(&self, blocks: &Option<Vec<KeyBlock>>) -> Option<Result<Kind, Option<Kind>>> {
        let block = blocks.iter().flatten().find(|b| b.key == "kind")?;
        Some(
            self.parse_block::<Kind>(block)
                .map_err(|_| self.guess_kind(block)),
        )
    }

    /// The kind a misspelt kind name most likely means.
    fn guess_kind(&self, block: &KeyBlock) -> Option<Kind> {
        let written = self.parse_block::<String>(block).ok()?;
        let name = closest(written.trim(), Kind::ALL.iter().map(|k| k.name()))?;
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Deserialize what is left after `cut`; when a key's value fails, report
    /// it, blank that key and try again, so every independent mistake is
    /// reported and the other keys are kept. Returns the keys that failed.
    fn deserialize_tolerant<'b>(
        &self,
        blocks: Option<&'b [KeyBlock]>,
        mut cut: Vec<&'b KeyBlock>,
        errors: &mut Vec<Error>,
    ) -> (RawFrontMatter, Vec<String>) {
        let mut failed = Vec::new();
        loop {
            let error = match self.deserialize_without(&cut) {
                Ok(raw) => return (raw, failed),
                Err(error) => error,
            };
            let culprit = blocks
                .and_then(|blocks| self.block_of(blocks, &error))
                .filter(|b| !cut.contains(b));
            errors.push(error);
            let Some(block) = culprit else {
                failed.push("*".to_string());
                return (RawFrontMatter::default(), failed);
            };
            failed.push(block.key.clone());
            cut.push(block);
            cut.sort_by_key(|b| b.start);
        }
    }

    /// The top-level key whose lines hold the error's line.
    fn block_of<'b>(&self, blocks: &'b [KeyBlock], error: &Error) -> Option<&'b KeyBlock> {
        let line0 = error.location()?.line.checked_sub(self.first_line)?;
        blocks.iter().find(|b| {
            let lines = self.text[b.start..b.end].matches('\n').count().max(1);
            (b.line..b.line + lines).contains(&line0)
        })
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
        // `titel:` is the author's `title:`: no second error says it is missing.
        if let Some(meant) = closest(&block.key, known_keys(kind, ctx)) {
            parsed.failed.push(meant.to_string());
        }
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
        if let Some(explained) = explain_yaml_syntax(err, text) {
            return Error::at(
                self.location(explained.line0, explained.column),
                explained.message,
            )
            .with_hint(explained.hint);
        }
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
        if let Some(explained) = toml_syntax::explain(err.message(), text, line0, column) {
            return Error::at(
                self.location(explained.line0, explained.column),
                explained.message,
            )
            .with_hint(explained.hint);
        }
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

/// Top-level keys of a TOML document (`key = value` lines before the first
/// table, and `[table]` / `[[table]]` headers), read with the toml crate's
/// spans: each key's block runs from its line to the next key's line.
pub(crate) fn toml_top_level_keys(text: &str) -> Option<Vec<KeyBlock>> {
    let (table, _) = toml::de::DeTable::parse_recoverable(text);
    let mut starts: Vec<(usize, String)> = table
        .get_ref()
        .iter()
        .map(|(key, _)| {
            let at = key.span().start.min(text.len());
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            (line_start, key.get_ref().to_string())
        })
        .collect();
    starts.sort();
    starts.dedup_by(|a, b| a.0 == b.0);
    let blocks = starts
        .iter()
        .enumerate()
        .map(|(i, (start, key))| KeyBlock {
            key: key.clone(),
            line: text[..*start].matches('\n').count(),
            start: *start,
            end: starts.get(i + 1).map_or(text.len(), |next| next.0),
        })
        .collect();
    Some(blocks)
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

mod toml_syntax;

#[cfg(test)]
mod tests;

/// A foreign page's front matter as plain data, for `rolebook import`: any
/// keys, TOML dates as their text. The error is the parser's own message.
pub fn parse_any(split: &Split<'_>) -> std::result::Result<Json, String> {
    match split.format {
        Format::Yaml if split.front.trim().is_empty() => Ok(Json::Object(Default::default())),
        Format::Yaml => serde_yaml::from_str(split.front).map_err(|e| e.to_string()),
        Format::Toml => toml_to_json(split.front),
    }
}

/// A TOML document as plain data (dates as their text).
pub fn toml_to_json(text: &str) -> std::result::Result<Json, String> {
    let value: toml::Value = toml::from_str(text).map_err(|e| e.message().to_string())?;
    Ok(toml_value(value))
}

fn toml_value(value: toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s),
        toml::Value::Integer(i) => Json::from(i),
        toml::Value::Float(f) => Json::from(f),
        toml::Value::Boolean(b) => Json::Bool(b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(items) => Json::Array(items.into_iter().map(toml_value).collect()),
        toml::Value::Table(table) => {
            Json::Object(table.into_iter().map(|(k, v)| (k, toml_value(v))).collect())
        }
    }
}

/// Plain data as a YAML front matter block's text (without the fences).
pub fn to_yaml(value: &Json) -> String {
    match value {
        Json::Object(map) if map.is_empty() => String::new(),
        _ => serde_yaml::to_string(value).unwrap_or_default(),
    }
}
