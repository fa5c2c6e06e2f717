//! MDX and Vue components (`<Note>`, `<Sandpack>`, `<Badge text="…"/>`)
//! and MDX comments. A tag is read as JSX writes it (string, `{…}` and
//! bare attributes); this is a tag reader, not a Markdown or HTML parser:
//! pulldown-cmark has already said which text is prose.

use super::{Context, Emitter, Notes, Opening, component_string};

/// One JSX tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsxTag {
    pub name: String,
    pub closing: bool,
    pub self_closing: bool,
    pub attrs: Vec<(String, Attr)>,
}

/// An attribute's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attr {
    Str(String),
    Expr(String),
    Flag,
}

impl JsxTag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| match v {
                Attr::Str(s) => Some(s.as_str()),
                Attr::Expr(e) => Some(e.trim().trim_matches(['"', '\'', '`'])),
                Attr::Flag => None,
            })
    }
}

/// Read the tag at the start of `s`; its length in bytes.
pub fn parse(s: &str) -> Option<(JsxTag, usize)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_len = s[i..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':')))
        .unwrap_or(s.len() - i);
    if name_len == 0 || !b[i].is_ascii_alphabetic() {
        return None;
    }
    let name = s[i..i + name_len].to_string();
    i += name_len;
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if s[i..].starts_with("/>") {
            let tag = JsxTag {
                name,
                closing,
                self_closing: true,
                attrs,
            };
            return Some((tag, i + 2));
        }
        if b[i] == b'>' {
            let tag = JsxTag {
                name,
                closing,
                self_closing: false,
                attrs,
            };
            return Some((tag, i + 1));
        }
        if b[i] == b'{' {
            i += balanced(&s[i..])?;
            continue;
        }
        let attr_len = s[i..]
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(s.len() - i);
        if attr_len == 0 {
            return None;
        }
        let attr = s[i..i + attr_len].to_string();
        i += attr_len;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            attrs.push((attr, Attr::Flag));
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i)? {
            q @ (b'"' | b'\'') => {
                let end = s[i + 1..].find(*q as char)?;
                attrs.push((attr, Attr::Str(s[i + 1..i + 1 + end].to_string())));
                i += end + 2;
            }
            b'{' => {
                let len = balanced(&s[i..])?;
                attrs.push((attr, Attr::Expr(s[i + 1..i + len - 1].to_string())));
                i += len;
            }
            _ => return None,
        }
    }
}

/// The length of a `{…}` expression, braces inside strings ignored.
fn balanced(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// What a component becomes.
enum Rule {
    Callout(&'static str, Option<(&'static str, &'static str)>),
    Admonition,
    Details(&'static str, &'static str),
    DeepDive,
    Live,
    Drop,
    Youtube,
    Image,
    Diagram,
    Fence(&'static str),
    TabItem,
    Text,
    /// React's exercises: a heading others link to (`#challenges`).
    Challenges,
    /// A group of examples under its `titleText`.
    Recipes,
    Unwrap,
    Unknown,
}

fn rule(name: &str) -> Rule {
    match name {
        "Note" => Rule::Callout("NOTE", None),
        "Pitfall" => Rule::Callout("WARNING", Some(("Подводный камень", "Pitfall"))),
        "Wip" => Rule::Callout("NOTE", Some(("Раздел в работе", "Under construction"))),
        "Deprecated" => Rule::Callout("CAUTION", Some(("Устарело", "Deprecated"))),
        "Canary" => Rule::Callout("IMPORTANT", Some(("Канареечный релиз", "Canary"))),
        "Experimental" => Rule::Callout(
            "WARNING",
            Some(("Экспериментальная функция", "Experimental")),
        ),
        "RSC" => Rule::Callout("NOTE", Some(("Серверные компоненты", "Server Components"))),
        "YouWillLearn" => Rule::Callout("TIP", Some(("Вы узнаете", "You will learn"))),
        "Recap" => Rule::Callout("NOTE", Some(("Итоги", "Recap"))),
        "LearnMore" => Rule::Callout("TIP", Some(("Узнать больше", "Learn more"))),
        "Admonition" => Rule::Admonition,
        "DeepDive" => Rule::DeepDive,
        "Solution" => Rule::Details("Решение", "Solution"),
        "Hint" => Rule::Details("Подсказка", "Hint"),
        "Sandpack" | "SandpackWithHTMLOutput" | "CodeSandbox" | "Playground" | "LiveCode" => {
            Rule::Live
        }
        "InlineToc" | "TOCInline" | "TOC" => Rule::Drop,
        "YouTubeIframe" | "YouTube" | "LiteYouTubeEmbed" => Rule::Youtube,
        "Illustration" | "Image" => Rule::Image,
        "Diagram" => Rule::Diagram,
        "TerminalBlock" => Rule::Fence("sh"),
        "ConsoleBlock" | "ConsoleBlockMulti" => Rule::Fence("text"),
        "TabItem" | "Tab" => Rule::TabItem,
        "Badge" => Rule::Text,
        "Challenges" => Rule::Challenges,
        "Recipes" => Rule::Recipes,
        "Intro" | "DiagramGroup" | "IllustrationBlock" | "ClientOnly" | "CodeStep" | "MathI"
        | "Math" | "Tabs" | "ConsoleLogLine" | "Fragment" | "Details" | "Summary" => Rule::Unwrap,
        _ => Rule::Unknown,
    }
}

fn callout_kind(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "tip" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "caution" => "WARNING",
        "danger" => "CAUTION",
        _ => "NOTE",
    }
}

/// Where the block pass stands: the body's lines, this line, and how many
/// lines the tag itself takes.
pub struct At<'l, 's> {
    pub lines: &'l [(usize, &'s str)],
    pub i: usize,
    pub used: usize,
}

/// A component tag that begins a line; `Some(lines used)` when converted.
pub fn block_tag(
    tag: &JsxTag,
    rest: &str,
    at: &At<'_, '_>,
    cx: &Context<'_>,
    emit: &mut Emitter,
    notes: &mut Notes<'_, '_>,
) -> Option<usize> {
    let mut used = at.used;
    if tag.closing {
        let closed = emit.close(|o| o.key == tag.name);
        if !closed && matches!(rule(&tag.name), Rule::Unknown) {
            return Some(used);
        }
        if !rest.is_empty() {
            emit.line(rest);
        }
        return closed.then_some(used).or(Some(used));
    }
    if tag.self_closing {
        let text = self_closing(tag, cx, notes);
        let line = format!("{text}{}", if rest.is_empty() { "" } else { rest });
        if !line.trim().is_empty() {
            emit.line(line.trim());
        }
        return Some(used);
    }
    let opening = match rule(&tag.name) {
        Rule::Callout(kind, title) => Opening::Callout {
            kind,
            title: title.map(|(ru, en)| cx.label(ru, en).to_string()),
        },
        Rule::Admonition => Opening::Callout {
            kind: callout_kind(tag.attr("type").unwrap_or("note")),
            title: tag.attr("title").map(str::to_string),
        },
        Rule::Details(ru, en) => Opening::Details {
            summary: tag.attr("title").unwrap_or(cx.label(ru, en)).to_string(),
        },
        Rule::DeepDive => {
            // Its heading stays a heading (links name its id), before the disclosure.
            let (heading, skip) = first_heading(at);
            used += skip;
            if let Some(heading) = heading {
                emit.line(&comments(&heading));
                emit.line("");
            }
            Opening::Details {
                summary: cx.label("Подробнее", "Deep dive").into(),
            }
        }
        Rule::Live => Opening::Live {
            note: cx
                .label(
                    "Интерактивный пример: на исходном сайте он запускается в браузере, здесь показан его код.",
                    "Live example: it runs in the browser on the original site; here is its code.",
                )
                .into(),
        },
        Rule::Fence(lang) => Opening::Fence { lang: lang.into() },
        Rule::Challenges if tag.attr("noTitle") != Some("true") => Opening::Plain {
            lead: Some(format!(
                "## {} {{#challenges}}",
                tag.attr("titleText").unwrap_or(cx.label("Испытания", "Try out some challenges"))
            )),
        },
        Rule::Recipes => Opening::Plain {
            lead: tag.attr("titleText").map(|t| format!("### {t}")),
        },
        Rule::TabItem => Opening::Plain {
            lead: tag
                .attr("label")
                .or(tag.attr("title"))
                .or(tag.attr("value"))
                .map(|l| format!("**{l}**")),
        },
        Rule::Diagram => {
            let image = diagram(tag, cx);
            if image.is_none() {
                notes.at_line(at.i, format!("a `<{}>` without an image file was left as its caption", tag.name));
            }
            Opening::Plain { lead: image }
        }
        Rule::Unknown => {
            notes.at_line(
                at.i,
                format!("the component `<{}>` has no Rolebook equivalent: its tags were removed, its content kept", tag.name),
            );
            Opening::Plain { lead: lead_of(tag) }
        }
        _ => Opening::Plain { lead: None },
    };
    emit.open(&tag.name, opening);
    if !rest.is_empty() {
        let closing = format!("</{}>", tag.name);
        if let Some(inner) = rest.strip_suffix(&closing) {
            if !inner.trim().is_empty() {
                emit.line(inner.trim());
            }
            emit.close(|o| o.key == tag.name);
        } else {
            emit.line(rest);
        }
    }
    Some(used)
}

/// The heading that opens a `<DeepDive>` and the lines up to it.
fn first_heading(at: &At<'_, '_>) -> (Option<String>, usize) {
    for (n, (_, line)) in at.lines.iter().enumerate().skip(at.i + at.used).take(3) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('#') {
            return (Some(t.to_string()), n + 1 - at.i - at.used);
        }
        break;
    }
    (None, 0)
}

/// A self-closing component as Markdown (or nothing).
fn self_closing(tag: &JsxTag, cx: &Context<'_>, notes: &mut Notes<'_, '_>) -> String {
    match rule(&tag.name) {
        Rule::Drop => String::new(),
        Rule::Youtube => youtube(tag).unwrap_or_else(|| {
            notes.at(
                &format!("<{}", tag.name),
                "a video without an id was left out",
            );
            String::new()
        }),
        Rule::Image => match tag.attr("src") {
            Some(src) => format!("![{}]({src})", tag.attr("alt").unwrap_or("")),
            None => String::new(),
        },
        Rule::Diagram => diagram(tag, cx).unwrap_or_default(),
        // HTML, not Markdown: these often stand inside an HTML block.
        Rule::Text => tag
            .attr("text")
            .map(|t| format!("<strong>{}</strong>", escape_html(t)))
            .unwrap_or_default(),
        _ if tag.attr("href").is_some() => {
            let href = tag.attr("href").unwrap_or_default();
            let text = tag.attr("title").or(tag.attr("text")).unwrap_or(href);
            format!(
                "<a href=\"{}\">{}</a>",
                escape_html(href),
                escape_html(text)
            )
        }
        Rule::Unknown => {
            notes.at(
                &format!("<{}", tag.name),
                format!(
                    "the component `<{} />` has no Rolebook equivalent and was left out",
                    tag.name
                ),
            );
            String::new()
        }
        // A wrapper written empty (`<Solution />`): nothing to show.
        _ => String::new(),
    }
}

/// An unknown wrapper's own title (`<BlogCard title="…" url="…">`,
/// `<TeamMember name="…">`) as a bold line, linked when it has a URL.
fn lead_of(tag: &JsxTag) -> Option<String> {
    let title = tag
        .attr("title")
        .or(tag.attr("name"))
        .or(tag.attr("label"))?;
    // `<TeamMember permalink="dan-abramov">`: other pages link to `#dan-abramov`.
    if let Some(id) = tag
        .attr("permalink")
        .or(tag.attr("id"))
        .filter(|i| !i.contains(['/', ' ']))
    {
        return Some(format!("### {title} {{#{id}}}"));
    }
    let url = tag
        .attr("href")
        .or(tag.attr("url"))
        .or(tag.attr("link"))
        .or(tag.attr("permalink"));
    Some(match url {
        Some(url) if !url.contains(' ') => format!("**[{title}]({url})**"),
        _ => format!("**{title}**"),
    })
}

/// Text for an HTML attribute or element, with pulldown-cmark's escaping.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

fn youtube(tag: &JsxTag) -> Option<String> {
    let id = tag.attr("id").map(str::to_string).or_else(|| {
        let src = tag.attr("src")?;
        let id = src.rsplit(['/', '=']).next()?;
        Some(id.split(['?', '&']).next()?.to_string())
    })?;
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let title = tag
        .attr("title")
        .filter(|t| !t.eq_ignore_ascii_case("YouTube video player"));
    Some(match title {
        Some(title) => format!(
            "{{{{ youtube(id=\"{id}\", title=\"{}\") }}}}",
            component_string(title)
        ),
        None => format!("{{{{ youtube(id=\"{id}\") }}}}"),
    })
}

/// `<Diagram name="x" alt="…">` → the image `x.png` of the static folders.
fn diagram(tag: &JsxTag, cx: &Context<'_>) -> Option<String> {
    let url = cx.static_files.by_stem.get(tag.attr("name")?)?;
    Some(format!(
        "![{}]({url})",
        tag.attr("alt").unwrap_or("").replace(['[', ']'], "")
    ))
}

/// MDX comments: `{/*id*/}` at the end of a heading becomes `{#id}`, the
/// others are removed.
pub fn comments(text: &str) -> String {
    if !text.contains("{/*") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{/*") {
        let Some(len) = rest[start..].find("*/}") else {
            break;
        };
        let inner = rest[start + 3..start + len].trim();
        let line_start = rest[..start].rfind('\n').map_or(0, |n| n + 1);
        let heading =
            rest[line_start..].starts_with('#') || out.is_empty() && text.starts_with('#');
        let tail = &rest[start + len + 3..];
        let ends_line = tail.split('\n').next().is_some_and(|t| t.trim().is_empty());
        out.push_str(&rest[..start]);
        if heading && ends_line && !inner.is_empty() && !inner.contains(char::is_whitespace) {
            out.push_str(&format!("{{#{inner}}}"));
        } else if out.ends_with(' ') && ends_line {
            let trimmed = out.trim_end_matches(' ').len();
            out.truncate(trimmed);
        }
        // `a {/* x */} b` → `a b`.
        let tail = if out.ends_with(' ') {
            tail.strip_prefix(' ').unwrap_or(tail)
        } else {
            tail
        };
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// Inline components in prose: converted, unwrapped or removed. Lowercase
/// HTML tags with JSX attributes (`style={{…}}`, `className`) get HTML ones.
pub fn inline_tags(text: &str, cx: &Context<'_>, notes: &mut Notes<'_, '_>) -> String {
    if !text.contains('<') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = text[at..].find('<') {
        let start = at + found;
        out.push_str(&text[at..start]);
        let Some((tag, len)) = parse(&text[start..]) else {
            out.push('<');
            at = start + 1;
            continue;
        };
        let raw = &text[start..start + len];
        at = start + len;
        if !tag.name.starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push_str(&html_tag(&tag, raw, cx, notes));
            continue;
        }
        if tag.self_closing {
            out.push_str(&self_closing(&tag, cx, notes));
        } else if matches!(rule(&tag.name), Rule::Unknown) && !tag.closing {
            notes.at(
                raw,
                format!("the component `<{}>` has no Rolebook equivalent: its tags were removed, its content kept", tag.name),
            );
        }
    }
    out.push_str(&text[at..]);
    out
}

/// A lowercase tag as HTML: JSX-only attributes dropped (`{…}` values),
/// `className` → `class`.
fn html_tag(tag: &JsxTag, raw: &str, cx: &Context<'_>, notes: &mut Notes<'_, '_>) -> String {
    let jsx = tag
        .attrs
        .iter()
        .any(|(n, v)| matches!(v, Attr::Expr(_)) || n == "className" || n == "htmlFor");
    if !jsx || !cx.format.is_mdx() {
        return raw.to_string();
    }
    let mut out = format!("<{}{}", if tag.closing { "/" } else { "" }, tag.name);
    for (name, value) in &tag.attrs {
        let name = match name.as_str() {
            "className" => "class",
            "htmlFor" => "for",
            other => other,
        };
        match value {
            Attr::Str(s) => out.push_str(&format!(" {name}=\"{}\"", s.replace('"', "&quot;"))),
            Attr::Flag => out.push_str(&format!(" {name}")),
            Attr::Expr(_) => notes.at(
                raw,
                format!(
                    "the JSX attribute `{name}={{…}}` of `<{}>` was left out",
                    tag.name
                ),
            ),
        }
    }
    out.push_str(if tag.self_closing { " />" } else { ">" });
    out
}

/// A line of a code region without its component tags (`<ConsoleLogLine>`).
pub fn strip_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    while let Some(found) = line[at..].find('<') {
        let start = at + found;
        out.push_str(&line[at..start]);
        match parse(&line[start..]) {
            Some((tag, len)) if tag.name.starts_with(|c: char| c.is_ascii_uppercase()) => {
                at = start + len;
            }
            _ => {
                out.push('<');
                at = start + 1;
            }
        }
    }
    out.push_str(&line[at..]);
    out
}
