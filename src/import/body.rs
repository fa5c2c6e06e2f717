//! A page body's foreign syntax converted to Rolebook's, code left alone.
//!
//! Two passes over the text. The block pass goes line by line (lines inside
//! code blocks are copied as they are) and turns containers into callouts
//! and components: VitePress and Docusaurus `:::` containers, MDX
//! components written on their own lines (`<Note>`, `<DeepDive>`,
//! `<Sandpack>`…), Hugo's paired shortcodes and Zola's block shortcodes;
//! it drops MDX `import`/`export` lines and VitePress's `<script setup>` and
//! `<style>` blocks. The inline pass works on the prose between code spans
//! (found by pulldown-cmark, as Rolebook will read them): MDX comments and
//! heading ids, inline components, Hugo and Zola shortcodes, Vue's
//! `{{ … }}`, Zola's `@/` links. mdBook's `{{#include}}` runs last, inside
//! code too, since that is where it stands.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

use super::front::Front;
use super::layout::Format;
use super::report::Note;

mod include;
mod jsx;
pub(crate) mod links;
mod shortcode;

/// What a body conversion needs to know about its page and site.
pub struct Context<'a> {
    pub format: Format,
    /// The page's file, relative to the source root.
    pub file: &'a Path,
    /// The source root.
    pub src: &'a Path,
    /// The content folder, relative to the source root.
    pub content_dir: &'a Path,
    /// The site's language (labels of converted components).
    pub lang: &'a str,
    /// Front matter lists that are taxonomies.
    pub taxonomies: &'a [String],
    /// The source's static files.
    pub static_files: &'a StaticFiles,
    /// The new site's content files (`guide/intro.md`), by their lowercase
    /// form: links name pages by URL, and Hugo's URLs are lowercase.
    pub content_files: &'a BTreeMap<String, String>,
}

/// The static files of the source, by URL path and by file stem.
#[derive(Debug, Default)]
pub struct StaticFiles {
    /// URL paths (`/images/a.png`).
    pub paths: BTreeSet<String>,
    /// File stem → URL path (MDX diagrams name their image).
    pub by_stem: BTreeMap<String, String>,
}

impl Context<'_> {
    /// The page's folder under the content folder, `/`-separated.
    pub fn page_dir(&self) -> String {
        let dir = self.file.parent().unwrap_or(Path::new(""));
        let inside = dir.strip_prefix(self.content_dir).unwrap_or(dir);
        inside.to_string_lossy().replace('\\', "/")
    }

    /// The page's folder in the source, absolute.
    fn source_dir(&self) -> PathBuf {
        self.src.join(self.file.parent().unwrap_or(Path::new("")))
    }

    /// A label in the site's language.
    fn label(&self, ru: &'static str, en: &'static str) -> &'static str {
        if self.lang == "ru" { ru } else { en }
    }
}

/// Convert one body. `body_line` is the body's first line in the file.
pub fn convert(
    body: &str,
    body_line: usize,
    cx: &Context<'_>,
    front: &mut Front,
    notes: &mut Vec<Note>,
) -> String {
    let mut out = Notes::new(cx, body, body_line, notes);
    let blocks = block_pass(body, cx, &mut out);
    let inline = inline_pass(&blocks, cx, &mut out);
    let inline = links::fix(&inline, cx, &mut out);
    let mut text = if cx.format == Format::Mdbook {
        include::mdbook_directives(&inline, cx, front, &mut out)
    } else {
        inline
    };
    if cx.format == Format::Vitepress
        && let Some(hero) = home_hero(front)
    {
        text = format!("{hero}\n{text}");
    }
    text
}

/// Notes of one page, located at their line in the source file.
pub(crate) struct Notes<'a, 'n> {
    cx: &'a Context<'a>,
    original: &'a str,
    body_line: usize,
    notes: &'n mut Vec<Note>,
}

impl<'a, 'n> Notes<'a, 'n> {
    fn new(
        cx: &'a Context<'a>,
        original: &'a str,
        body_line: usize,
        notes: &'n mut Vec<Note>,
    ) -> Self {
        Notes {
            cx,
            original,
            body_line,
            notes,
        }
    }

    /// A note at a line of the body (0-based).
    fn at_line(&mut self, line: usize, message: impl Into<String>) {
        self.notes
            .push(Note::at(self.cx.file, self.body_line + line, message));
    }

    /// A note at the first line of the source that holds `snippet`.
    fn at(&mut self, snippet: &str, message: impl Into<String>) {
        let probe = snippet.lines().next().unwrap_or(snippet).trim();
        let line = self
            .original
            .lines()
            .position(|l| l.contains(probe))
            .unwrap_or(0);
        self.at_line(line, message);
    }
}

/// `text` with every span from `open` to the next `close` replaced by what
/// `replace` makes of it (the span, and whether a `\\` escapes it); an
/// unclosed span and the rest stay as written.
pub(crate) fn replace_spans(
    text: &str,
    open: &str,
    close: &str,
    mut replace: impl FnMut(&str, bool) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = text[at..].find(open) {
        let start = at + found;
        out.push_str(&text[at..start]);
        at = start;
        let Some(len) = text[start + open.len()..].find(close) else {
            break;
        };
        let raw = &text[start..start + open.len() + len + close.len()];
        at = start + raw.len();
        out.push_str(&replace(raw, text[..start].ends_with('\\')));
    }
    out.push_str(&text[at..]);
    out
}

/// Byte ranges of code (fenced blocks, indented blocks outside MDX, code
/// spans), as pulldown-cmark reads the text.
fn code_ranges(text: &str, indented_is_code: bool) -> Vec<Range<usize>> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_DEFINITION_LIST;
    let mut ranges = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => ranges.push(range),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) if indented_is_code => {
                ranges.push(range)
            }
            Event::Code(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// The wrappers open at a point of the block pass.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wrap {
    /// A `> [!KIND]` blockquote: its lines get `> `.
    Callout,
    /// A `{% details() %}` … `{% end %}` component.
    Details,
    /// Tags removed, content kept.
    Plain,
    /// A fenced code block (Hugo's `highlight`, MDX's `<TerminalBlock>`).
    Fence,
    /// A live demo's files: each code block gets its file name above it.
    Live,
    /// A code group (VitePress's `::: code-group`): each block gets its tab's name.
    Group,
}

/// An open container or component: what closes it and what it became.
#[derive(Debug, Clone)]
struct Open {
    /// `:::` containers: the colons; components: their name.
    key: String,
    wrap: Wrap,
    /// MDX: the indentation of the content, removed (inside JSX it means
    /// nothing; kept, four spaces would make an indented code block).
    dedent: Dedent,
}

/// How much indentation an open wrapper removes from its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dedent {
    No,
    /// Known at its first line.
    Pending,
    By(usize),
}

/// What a block opens as.
pub(crate) enum Opening {
    Callout {
        kind: &'static str,
        title: Option<String>,
    },
    Details {
        summary: String,
    },
    Plain {
        /// A line written before the content (a live demo's note, a tab's label).
        lead: Option<String>,
    },
    Fence {
        lang: String,
    },
    /// A live demo: a note saying so, then its content (the code) as it is.
    Live {
        note: String,
    },
    /// Code blocks shown as tabs by the source tool.
    Group,
}

/// The converted text, with the prefixes of open callouts.
struct Emitter {
    out: String,
    stack: Vec<Open>,
    /// MDX: wrappers remove their content's indentation.
    mdx: bool,
    /// Code shown at the end of the page (a Vue page's `<script setup>`).
    trailer: Vec<String>,
}

impl Emitter {
    fn prefix(&self) -> String {
        let quotes = self
            .stack
            .iter()
            .filter(|o| o.wrap == Wrap::Callout)
            .count();
        "> ".repeat(quotes)
    }

    fn line(&mut self, text: &str) {
        let text = self.dedented(text);
        let text = text.as_str();
        let prefix = self.prefix();
        if text.is_empty() {
            self.out.push_str(prefix.trim_end());
        } else {
            self.out.push_str(&prefix);
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    /// `text` without the indentation its innermost MDX wrapper removes.
    fn dedented(&mut self, text: &str) -> String {
        let Some(open) = self.stack.iter_mut().rev().find(|o| o.dedent != Dedent::No) else {
            return text.to_string();
        };
        let leading = text.len() - text.trim_start_matches(' ').len();
        if text.trim().is_empty() {
            return String::new();
        }
        let by = match open.dedent {
            Dedent::By(n) => n,
            _ => {
                open.dedent = Dedent::By(leading);
                leading
            }
        };
        text[leading.min(by)..].to_string()
    }

    fn push(&mut self, key: &str, wrap: Wrap) {
        let dedent = if self.mdx {
            Dedent::Pending
        } else {
            Dedent::No
        };
        self.stack.push(Open {
            key: key.into(),
            wrap,
            dedent,
        });
    }

    fn in_callout(&self) -> bool {
        self.stack.iter().any(|o| o.wrap == Wrap::Callout)
    }

    fn in_fence(&self) -> bool {
        self.stack.iter().any(|o| o.wrap == Wrap::Fence)
    }

    fn open(&mut self, key: &str, opening: Opening) {
        let wrap = match opening {
            Opening::Callout { kind, title } => {
                self.line(&format!("> [!{kind}]"));
                self.push(key, Wrap::Callout);
                if let Some(title) =
                    title.filter(|t| !t.trim().is_empty() && !is_default_title(kind, t))
                {
                    self.line(&format!("**{}**", title.trim()));
                    self.line("");
                }
                return;
            }
            // A component inside a blockquote would get `> ` in its body:
            // there a disclosure becomes a bold title and its content.
            Opening::Details { summary } if self.in_callout() => {
                self.line(&format!("**{}**", summary.trim()));
                self.line("");
                Wrap::Plain
            }
            Opening::Details { summary } => {
                self.line(&format!(
                    "{{% details(summary=\"{}\") %}}",
                    component_string(&summary)
                ));
                Wrap::Details
            }
            Opening::Plain { lead } => {
                if let Some(lead) = lead {
                    if !self.out.is_empty() && !self.out.ends_with("\n\n") {
                        self.line("");
                    }
                    self.line(&lead);
                    self.line("");
                }
                Wrap::Plain
            }
            Opening::Fence { lang } => {
                self.line(&format!("```{lang}"));
                Wrap::Fence
            }
            Opening::Live { note } => {
                self.line("> [!NOTE]");
                self.line(&format!("> {note}"));
                self.line("");
                Wrap::Live
            }
            Opening::Group => Wrap::Group,
        };
        self.push(key, wrap);
    }

    /// Close the innermost wrapper `matches` accepts (and any left open inside it).
    fn close(&mut self, matches: impl Fn(&Open) -> bool) -> bool {
        let Some(at) = self.stack.iter().rposition(matches) else {
            return false;
        };
        while self.stack.len() > at {
            let open = self.stack.pop().expect("non-empty");
            match open.wrap {
                Wrap::Callout => self.line(""),
                Wrap::Details => self.line("{% end %}"),
                Wrap::Plain | Wrap::Live | Wrap::Group => {}
                Wrap::Fence => self.line("```"),
            }
        }
        true
    }

    fn finish(mut self, label: &str) -> String {
        self.close(|_| true);
        if !self.trailer.is_empty() {
            if !self.out.ends_with("\n\n") {
                self.out.push('\n');
            }
            self.out
                .push_str(&format!("{{% details(summary=\"{label}\") %}}\n"));
            for block in std::mem::take(&mut self.trailer) {
                self.out.push_str(&block);
                self.out.push('\n');
            }
            self.out.push_str("{% end %}\n");
        }
        self.out
    }
}

/// A title that only repeats what the callout's own title says
/// (`:::tip Совет`, VitePress's `::: warning WARNING`).
fn is_default_title(kind: &str, title: &str) -> bool {
    let names: &[&str] = match kind {
        "NOTE" => &[
            "note",
            "info",
            "заметка",
            "информация",
            "к сведению",
            "примечание",
        ],
        "TIP" => &["tip", "совет", "подсказка"],
        "IMPORTANT" => &["important", "важно"],
        "WARNING" => &["warning", "внимание", "предупреждение"],
        "CAUTION" => &["caution", "danger", "осторожно", "опасно"],
        _ => &[],
    };
    let title = title.trim().trim_end_matches([':', '!']).to_lowercase();
    names.contains(&title.as_str())
}

/// Text inside a component's `"…"` argument.
fn component_string(text: &str) -> String {
    text.replace('`', "")
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("}}", "} }")
        .replace("%}", "% }")
}

fn block_pass(body: &str, cx: &Context<'_>, notes: &mut Notes<'_, '_>) -> String {
    let code = code_ranges(body, !cx.format.is_mdx());
    let lines: Vec<(usize, &str)> = line_starts(body);
    let mut emit = Emitter {
        out: String::with_capacity(body.len() + body.len() / 8),
        stack: Vec::new(),
        mdx: cx.format.is_mdx(),
        trailer: Vec::new(),
    };
    let mut i = 0;
    let mut skip_until = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        if start < skip_until {
            i += 1;
            continue;
        }
        if let Some(block) = code
            .iter()
            .find(|r| r.start == start && is_fence_line(line))
        {
            match fence_opening(line, cx, &emit) {
                FenceLine::Hidden => skip_until = block.end,
                FenceLine::Keep { label, line } => {
                    if let Some(label) = label {
                        emit.line(&format!("**{label}**"));
                        emit.line("");
                    }
                    emit.line(&line);
                }
            }
            i += 1;
            continue;
        }
        if code.iter().any(|r| r.contains(&start) && r.start < start) {
            emit.line(line);
            i += 1;
            continue;
        }
        let consumed = block_line(&lines, i, cx, &mut emit, notes);
        i += consumed.max(1);
    }
    emit.finish(cx.label(
        "Код примеров этой страницы (Vue)",
        "Code of this page's examples (Vue)",
    ))
}

/// What a fence's opening line becomes.
enum FenceLine {
    /// A live demo's hidden file (`json package.json hidden`): left out.
    Hidden,
    /// The line (its language mapped), and a label to write above it: a
    /// live demo's file name or a code group's `[tab]`.
    Keep { label: Option<String>, line: String },
}

fn fence_opening(line: &str, cx: &Context<'_>, emit: &Emitter) -> FenceLine {
    let indent = &line[..line.len() - line.trim_start().len()];
    let trimmed = line.trim_start();
    let ticks = trimmed
        .chars()
        .take_while(|&c| c == '`' || c == '~')
        .count();
    let info = trimmed[ticks..].trim();
    let mut words = info.split_whitespace();
    let lang = words.next().unwrap_or("");
    let rest: Vec<&str> = words.collect();
    let grouped = emit
        .stack
        .iter()
        .any(|o| matches!(o.wrap, Wrap::Live | Wrap::Group));
    if grouped && rest.contains(&"hidden") {
        return FenceLine::Hidden;
    }
    // VitePress writes `vue-html` for templates; Rolebook highlights HTML.
    let mapped = match lang {
        "vue-html" if cx.format == Format::Vitepress => "html",
        other => other,
    };
    let line = if mapped == lang {
        line.to_string()
    } else {
        format!(
            "{indent}{}{mapped}{}",
            &trimmed[..ticks],
            &info[lang.len()..]
        )
    };
    let label = if grouped {
        rest.iter().find_map(|w| {
            if let Some(tab) = w.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                return Some(tab.to_string());
            }
            ((w.contains('.') || w.contains('/')) && !w.starts_with('{')).then(|| w.to_string())
        })
    } else {
        None
    };
    FenceLine::Keep { label, line }
}

/// A fence's opening line (a code block range starts here, at its fence).
fn is_fence_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~") || line.starts_with("    ")
}

/// Each line with its byte offset, without its line end.
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        out.push((offset, raw.trim_end_matches(['\n', '\r'])));
        offset += raw.len();
    }
    out
}

/// Convert the block construct starting at line `i`; returns how many
/// lines it used (0 or 1: the line was written as it is or converted alone).
fn block_line(
    lines: &[(usize, &str)],
    i: usize,
    cx: &Context<'_>,
    emit: &mut Emitter,
    notes: &mut Notes<'_, '_>,
) -> usize {
    let line = lines[i].1;
    let trimmed = line.trim();
    let format = cx.format;
    if format.is_mdx() && emit.stack.is_empty() && is_module_statement(trimmed) {
        return skip_statement(lines, i);
    }
    if format.is_mdx() && trimmed.starts_with("{/*") {
        return skip_until(lines, i, "*/}");
    }
    if format.is_mdx() && trimmed.starts_with('#') && trimmed.ends_with("*/}") {
        emit.line(&jsx::comments(line));
        return 1;
    }
    if format == Format::Vitepress
        && let Some(tag) = ["<script", "<style"]
            .iter()
            .find(|t| trimmed.starts_with(**t))
    {
        let close = if *tag == "<script" {
            "</script>"
        } else {
            "</style>"
        };
        let used = skip_until(lines, i, close);
        if *tag == "<style" {
            notes.at_line(
                i,
                "a `<style>` block of the Vue page was removed (its CSS styled VitePress's demos)",
            );
            return used;
        }
        notes.at_line(
            i,
            "a `<script>` block of the Vue page does not run here: its code is shown at the end of the page, in a disclosure",
        );
        let lang = if trimmed.contains("lang=\"ts\"") {
            "ts"
        } else {
            "js"
        };
        let code: Vec<&str> = lines[i..i + used].iter().map(|(_, l)| *l).collect();
        let inner = code.join("\n");
        let inner = inner.split_once('>').map_or("", |(_, rest)| rest);
        let inner = inner
            .rsplit_once("</script>")
            .map_or(inner, |(body, _)| body);
        if !inner.trim().is_empty() {
            emit.trailer
                .push(format!("```{lang}\n{}\n```", inner.trim_matches('\n')));
        }
        return used;
    }
    if matches!(format, Format::Vitepress | Format::Docusaurus) {
        if let Some(used) = container_line(trimmed, i, cx, emit, notes) {
            return used;
        }
        if trimmed.eq_ignore_ascii_case("[[toc]]") {
            return 1;
        }
    }
    // Vue's docs show one of two API styles, by a switch this site does not
    // have: both are shown, each under its name.
    if format == Format::Vitepress
        && let Some(style) = [
            ("<div class=\"options-api\">", "Options API"),
            ("<div class=\"composition-api\">", "Composition API"),
        ]
        .iter()
        .find(|(tag, _)| trimmed == *tag)
    {
        emit.line(line);
        emit.line(&format!(
            "<p class=\"api-variant\"><strong>{}</strong></p>",
            style.1
        ));
        return 1;
    }
    if format == Format::Vitepress && trimmed.starts_with("<div class=\"demo\"") {
        return vue_demo(lines, i, cx, emit, notes);
    }
    if format == Format::Vitepress && trimmed.starts_with("<<<") {
        include::vitepress_snippet(trimmed, i, cx, emit, notes);
        return 1;
    }
    if matches!(format, Format::Docusaurus | Format::Vitepress)
        && (trimmed.starts_with('<') && trimmed[1..].starts_with(|c: char| c.is_ascii_uppercase())
            || trimmed.starts_with("</")
                && trimmed[2..].starts_with(|c: char| c.is_ascii_uppercase()))
    {
        let (joined, used) = join_tag(lines, i);
        if let Some((tag, len)) = jsx::parse(&joined) {
            let rest = joined[len..].trim();
            let at = jsx::At { lines, i, used };
            if let Some(used) = jsx::block_tag(&tag, rest, &at, cx, emit, notes) {
                return used;
            }
        }
    }
    if format == Format::Hugo
        && let Some(used) = shortcode::hugo_block(lines, i, emit, notes)
    {
        return used;
    }
    if format == Format::Zola
        && let Some(used) = shortcode::zola_block(trimmed, i, emit, notes)
    {
        return used;
    }
    if emit.in_fence() {
        emit.line(&jsx::strip_tags(line));
    } else {
        emit.line(line);
    }
    1
}

/// A Vue docs demo (`<div class="demo">` with `v-if`, `@click`, `{{ }}`):
/// it runs only in VitePress; shown as its template, after a note.
fn vue_demo(
    lines: &[(usize, &str)],
    i: usize,
    cx: &Context<'_>,
    emit: &mut Emitter,
    notes: &mut Notes<'_, '_>,
) -> usize {
    let mut depth = 0i64;
    let mut used = 0;
    for (_, line) in &lines[i..] {
        depth += line.matches("<div").count() as i64;
        depth -= line.matches("</div>").count() as i64;
        used += 1;
        if depth <= 0 {
            break;
        }
    }
    emit.line("> [!NOTE]");
    emit.line(&format!(
        "> {}",
        cx.label(
            "Живой пример: на исходном сайте он работает в браузере, здесь показан его шаблон.",
            "Live demo: it runs in the browser on the original site; here is its template.",
        )
    ));
    emit.line("");
    emit.line("```html");
    for (_, line) in &lines[i..i + used] {
        emit.line(line);
    }
    emit.line("```");
    notes.at_line(
        i,
        "a live demo (`<div class=\"demo\">`) is shown as its template",
    );
    used
}

/// `import x from '…'`, `export const …` at the top level of an MDX file.
fn is_module_statement(line: &str) -> bool {
    (line.starts_with("import ")
        && (line.contains(" from ") || line.contains('\'') || line.ends_with('{')))
        || line.starts_with("export ")
}

/// The lines of one `import`/`export` statement (braces balanced, ended by
/// `;`, a closing brace or a `from '…'`).
fn skip_statement(lines: &[(usize, &str)], i: usize) -> usize {
    let mut depth: i64 = 0;
    for (n, (_, line)) in lines[i..].iter().enumerate() {
        depth += line.matches(['{', '(', '[']).count() as i64;
        depth -= line.matches(['}', ')', ']']).count() as i64;
        let t = line.trim_end();
        if depth <= 0
            && (t.ends_with(';')
                || t.ends_with('}')
                || t.ends_with(')')
                || t.ends_with('\'')
                || t.ends_with('"')
                || lines
                    .get(i + n + 1)
                    .is_none_or(|(_, next)| next.trim().is_empty()))
        {
            return n + 1;
        }
    }
    lines.len() - i
}

/// Lines up to and including the one holding `end`.
fn skip_until(lines: &[(usize, &str)], i: usize, end: &str) -> usize {
    lines[i..]
        .iter()
        .position(|(_, l)| l.contains(end))
        .map_or(lines.len() - i, |n| n + 1)
}

/// A tag that continues on the next lines (attributes over several lines)
/// joined into one, with the number of lines it takes.
fn join_tag(lines: &[(usize, &str)], i: usize) -> (String, usize) {
    let mut joined = lines[i].1.trim().to_string();
    let mut used = 1;
    while jsx::parse(&joined).is_none() && used < 40 && i + used < lines.len() {
        joined.push('\n');
        joined.push_str(lines[i + used].1);
        used += 1;
    }
    if jsx::parse(&joined).is_none() {
        return (lines[i].1.trim().to_string(), 1);
    }
    (joined, used)
}

/// A `:::` line of VitePress or Docusaurus; `None` when the line is not one.
fn container_line(
    trimmed: &str,
    i: usize,
    cx: &Context<'_>,
    emit: &mut Emitter,
    notes: &mut Notes<'_, '_>,
) -> Option<usize> {
    let colons = trimmed.chars().take_while(|&c| c == ':').count();
    if colons < 3 {
        return None;
    }
    let rest = trimmed[colons..].trim();
    if rest.is_empty() {
        let closed = emit.close(|o| {
            o.key
                .strip_prefix(':')
                .is_some_and(|k| k.parse::<usize>().is_ok_and(|n| n <= colons))
        });
        if !closed {
            notes.at_line(i, "a closing `:::` without an opening one was left out");
        }
        return Some(1);
    }
    let (kind, title) = container_head(rest);
    let key = format!(":{colons}");
    let opening = match kind.to_ascii_lowercase().as_str() {
        "tip" => callout("TIP", title),
        "info" | "note" => callout("NOTE", title),
        "important" => callout("IMPORTANT", title),
        "warning" | "caution" => callout("WARNING", title),
        "danger" => callout("CAUTION", title),
        "details" => Opening::Details {
            summary: title.unwrap_or_else(|| cx.label("Подробнее", "Details").into()),
        },
        "code-group" => Opening::Group,
        "v-pre" | "raw" => Opening::Plain { lead: None },
        _ => {
            notes.at_line(
                i,
                format!("a `:::{kind}` container has no Rolebook equivalent: its fences were removed, its content kept"),
            );
            Opening::Plain { lead: None }
        }
    };
    emit.open(&key, opening);
    Some(1)
}

fn callout(kind: &'static str, title: Option<String>) -> Opening {
    Opening::Callout { kind, title }
}

/// `tip Заголовок`, `tip[Заголовок]`, `note title="…"` → kind and title.
fn container_head(rest: &str) -> (String, Option<String>) {
    let kind: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let after = rest[kind.len()..].trim();
    let title = if let Some(inner) = after.strip_prefix('[') {
        inner.strip_suffix(']').map(str::to_string)
    } else if let Some(value) = after.strip_prefix("title=") {
        Some(value.trim_matches(['"', '\'']).to_string())
    } else if let Some(inner) = after.strip_prefix('{') {
        // `::: details {open}` and attribute blocks: no title.
        let _ = inner;
        None
    } else {
        Some(after.to_string())
    };
    (kind, title.filter(|t| !t.is_empty()))
}

/// The inline pass: prose between code spans and code blocks.
fn inline_pass(text: &str, cx: &Context<'_>, notes: &mut Notes<'_, '_>) -> String {
    let code = code_ranges(text, !cx.format.is_mdx());
    let html = html_block_ranges(text);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let prose = |from: usize, to: usize, out: &mut String, notes: &mut Notes<'_, '_>| {
        // Split at the edges of HTML blocks, where Markdown is not read.
        let mut cuts = vec![from, to];
        for r in &html {
            cuts.extend([r.start, r.end].into_iter().filter(|&c| c > from && c < to));
        }
        cuts.sort_unstable();
        for pair in cuts.windows(2) {
            let in_html = html.iter().any(|r| r.start <= pair[0] && pair[0] < r.end);
            out.push_str(&inline_prose(&text[pair[0]..pair[1]], cx, notes, in_html));
        }
    };
    for range in code {
        if range.start < at {
            continue;
        }
        prose(at, range.start, &mut out, notes);
        out.push_str(&text[range.clone()]);
        at = range.end;
    }
    prose(at, text.len(), &mut out, notes);
    out
}

/// Byte ranges of HTML blocks (Markdown is not read inside them).
fn html_block_ranges(text: &str) -> Vec<Range<usize>> {
    Parser::new_ext(text, Options::ENABLE_TABLES)
        .into_offset_iter()
        .filter_map(|(event, range)| matches!(event, Event::Start(Tag::HtmlBlock)).then_some(range))
        .collect()
}

fn inline_prose(prose: &str, cx: &Context<'_>, notes: &mut Notes<'_, '_>, in_html: bool) -> String {
    if prose.is_empty() {
        return String::new();
    }
    let mut text = prose.to_string();
    if cx.format.is_mdx() {
        text = jsx::comments(&text);
        for space in ["{' '}", "{\" \"}", "{'\\n'}"] {
            text = text.replace(space, " ");
        }
        text = jsx::inline_tags(&text, cx, notes);
    }
    if cx.format == Format::Vitepress {
        text = jsx::inline_tags(&text, cx, notes);
    }
    if cx.format == Format::Hugo {
        text = shortcode::hugo_inline(&text, cx, notes);
    }
    if cx.format == Format::Zola {
        text = shortcode::zola_inline(&text, notes);
        text = text.replace("](@/", "](/");
    }
    shortcode::protect_braces(&text, notes, in_html, cx.format == Format::Mdbook)
}

/// VitePress's home page front matter (`hero:` and `features:`) as Markdown,
/// since the layout that drew it does not exist here.
fn home_hero(front: &Front) -> Option<String> {
    let hero = front.extra("hero")?;
    let mut out = String::new();
    let field = |key: &str| hero.get(key).and_then(|v| v.as_str());
    if let Some(text) = field("text").or(field("name")) {
        out.push_str(&format!("**{text}**\n\n"));
    }
    if let Some(tagline) = field("tagline") {
        out.push_str(&format!("{tagline}\n\n"));
    }
    for action in hero
        .get("actions")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
    {
        if let (Some(text), Some(link)) = (
            action.get("text").and_then(|t| t.as_str()),
            action.get("link").and_then(|l| l.as_str()),
        ) {
            out.push_str(&format!("- [{text}]({link})\n"));
        }
    }
    let features = front.extra("features").and_then(|f| f.as_array());
    for feature in features.into_iter().flatten() {
        if let Some(title) = feature.get("title").and_then(|t| t.as_str()) {
            let details = feature
                .get("details")
                .and_then(|d| d.as_str())
                .unwrap_or("");
            out.push_str(&format!("- **{title}**: {details}\n"));
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests;
