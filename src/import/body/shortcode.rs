//! Hugo shortcodes (`{{< youtube id >}}`, `{{% note %}}…{{% /note %}}`),
//! Zola shortcodes (`{{ youtube(id="…") }}`, `{% note() %}…{% end %}`) and
//! the braces left over: what Rolebook would read as a component call but
//! is none becomes inline code.

use std::path::Path;

use super::{Context, Emitter, Notes, Opening, component_string};

/// Components of the default theme that Zola pages may call as they are.
const KEPT: &[&str] = &["salary", "role_card", "compare", "figure", "youtube"];

/// Hugo shortcodes that wrap a block: what they open.
fn hugo_opening(name: &str, args: &Args) -> Option<Opening> {
    let kind = |k: &str| match k {
        "tip" | "hint" => Some("TIP"),
        "note" | "info" | "notice" | "callout" | "admonition" | "alert" => Some("NOTE"),
        "important" => Some("IMPORTANT"),
        "warning" => Some("WARNING"),
        "caution" | "danger" | "error" => Some("CAUTION"),
        _ => None,
    };
    if let Some(k) = kind(name) {
        // `{{% notice warning "Заголовок" %}}`, `{{< alert type="tip" >}}`.
        let typed = args.get("type").or(args.positional(0)).and_then(kind);
        let title = args.get("title").or(if typed.is_some() {
            args.positional(1)
        } else {
            args.positional(0)
        });
        return Some(Opening::Callout {
            kind: typed.unwrap_or(k),
            title: title.map(str::to_string),
        });
    }
    match name {
        "details" | "expand" | "collapse" | "spoiler" => Some(Opening::Details {
            summary: args
                .get("summary")
                .or(args.get("title"))
                .or(args.positional(0))
                .unwrap_or("…")
                .to_string(),
        }),
        "highlight" | "code" => {
            let lang = args
                .get("lang")
                .or(args.positional(0).filter(|_| name == "highlight"))
                .map(str::to_string)
                .or_else(|| {
                    let file = args.get("file")?;
                    Path::new(file).extension()?.to_str().map(str::to_string)
                })
                .unwrap_or_default();
            Some(Opening::Fence { lang })
        }
        "tabs" => Some(Opening::Plain { lead: None }),
        "tab" => Some(Opening::Plain {
            lead: args
                .get("name")
                .or(args.get("title"))
                .or(args.positional(0))
                .map(|t| format!("**{t}**")),
        }),
        _ => None,
    }
}

/// A shortcode's arguments: positional and named.
#[derive(Debug, Default)]
pub struct Args {
    items: Vec<(Option<String>, String)>,
}

impl Args {
    fn parse(text: &str) -> Args {
        let mut items = Vec::new();
        let mut rest = text.trim();
        while !rest.is_empty() {
            let (name, after) = match rest.find(['=', ' ', '"', '`']) {
                Some(i) if rest.as_bytes()[i] == b'=' => (
                    Some(rest[..i].trim().to_string()),
                    rest[i + 1..].trim_start(),
                ),
                _ => (None, rest),
            };
            let (value, after) = match after.chars().next() {
                Some(q @ ('"' | '`' | '\'')) => match after[1..].find(q) {
                    Some(end) => (after[1..1 + end].to_string(), &after[end + 2..]),
                    None => (after[1..].to_string(), ""),
                },
                _ => {
                    let end = after.find(' ').unwrap_or(after.len());
                    (after[..end].to_string(), &after[end..])
                }
            };
            items.push((name, value));
            rest = after.trim_start();
        }
        Args { items }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(n, _)| n.as_deref() == Some(name))
            .map(|(_, v)| v.as_str())
    }

    fn positional(&self, n: usize) -> Option<&str> {
        self.items
            .iter()
            .filter(|(name, _)| name.is_none())
            .nth(n)
            .map(|(_, v)| v.as_str())
    }
}

/// One Hugo shortcode: `{{< name args >}}`, `{{% /name %}}`.
#[derive(Debug)]
struct Hugo {
    name: String,
    closing: bool,
    args: Args,
    /// Written as `{{</* … */>}}`: shown, not run.
    literal: bool,
}

/// The shortcode at the start of `s` and its length.
fn hugo_at(s: &str) -> Option<(Hugo, usize)> {
    let (open, close) = if s.starts_with("{{<") {
        ("{{<", ">}}")
    } else if s.starts_with("{{%") {
        ("{{%", "%}}")
    } else {
        return None;
    };
    let end = s.find(close)?;
    let mut inner = s[open.len()..end].trim();
    let literal = inner.starts_with("/*") && inner.ends_with("*/");
    if literal {
        inner = inner[2..inner.len() - 2].trim();
    }
    let closing = inner.starts_with('/');
    let inner = inner
        .trim_start_matches('/')
        .trim()
        .trim_end_matches('/')
        .trim();
    let name_len = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = inner[..name_len].to_string();
    if name.is_empty() {
        return None;
    }
    let hugo = Hugo {
        name,
        closing,
        args: Args::parse(&inner[name_len..]),
        literal,
    };
    Some((hugo, end + close.len()))
}

/// A line holding one block shortcode; `Some(1)` when converted.
pub fn hugo_block(
    lines: &[(usize, &str)],
    i: usize,
    emit: &mut Emitter,
    notes: &mut Notes<'_, '_>,
) -> Option<usize> {
    let trimmed = lines[i].1.trim();
    let (code, len) = hugo_at(trimmed)?;
    if len != trimmed.len() || code.literal {
        return None;
    }
    if code.closing {
        return emit.close(|o| o.key == code.name).then_some(1).or_else(|| {
            let inline = is_inline_hugo(&code.name);
            (!inline).then(|| {
                notes.at_line(
                    i,
                    format!(
                        "a closing `{{{{< /{} >}}}}` without its opening was left out",
                        code.name
                    ),
                );
                1
            })
        });
    }
    if let Some(opening) = hugo_opening(&code.name, &code.args) {
        emit.open(&code.name, opening);
        return Some(1);
    }
    if is_inline_hugo(&code.name) {
        return None;
    }
    let closes_later = lines[i + 1..]
        .iter()
        .any(|(_, l)| hugo_at(l.trim()).is_some_and(|(c, _)| c.closing && c.name == code.name));
    if !closes_later {
        return None;
    }
    notes.at_line(
        i,
        format!("the shortcode `{}` has no Rolebook equivalent: its tags were removed, its content kept", code.name),
    );
    emit.open(&code.name, Opening::Plain { lead: None });
    Some(1)
}

fn is_inline_hugo(name: &str) -> bool {
    matches!(
        name,
        "youtube"
            | "vimeo"
            | "figure"
            | "ref"
            | "relref"
            | "gist"
            | "param"
            | "x"
            | "tweet"
            | "instagram"
    )
}

/// Hugo shortcodes inside prose.
pub fn hugo_inline(text: &str, cx: &Context<'_>, notes: &mut Notes<'_, '_>) -> String {
    if !text.contains("{{<") && !text.contains("{{%") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = text[at..].find("{{") {
        let start = at + found;
        out.push_str(&text[at..start]);
        let Some((code, len)) = hugo_at(&text[start..]) else {
            out.push_str("{{");
            at = start + 2;
            continue;
        };
        let raw = &text[start..start + len];
        at = start + len;
        if code.literal {
            let shown = raw
                .replacen("/*", "", 1)
                .replacen("*/", "", 1)
                .replace("< ", "<")
                .replace(" >", ">");
            out.push_str(&format!(
                "`{}`",
                shown
                    .replace("{{<", "{{< ")
                    .replace(">}}", " >}}")
                    .replace("  ", " ")
            ));
            continue;
        }
        out.push_str(&hugo_inline_one(&code, raw, cx, notes));
    }
    out.push_str(&text[at..]);
    out
}

fn hugo_inline_one(code: &Hugo, raw: &str, cx: &Context<'_>, notes: &mut Notes<'_, '_>) -> String {
    let args = &code.args;
    match code.name.as_str() {
        "youtube" => match args.get("id").or(args.positional(0)) {
            Some(id) => match args.get("title") {
                Some(title) => format!(
                    "{{{{ youtube(id=\"{}\", title=\"{}\") }}}}",
                    component_string(id),
                    component_string(title)
                ),
                None => format!("{{{{ youtube(id=\"{}\") }}}}", component_string(id)),
            },
            None => String::new(),
        },
        "vimeo" => match args.get("id").or(args.positional(0)) {
            Some(id) => format!("[Vimeo](https://vimeo.com/{id})"),
            None => String::new(),
        },
        "gist" => match (args.positional(0), args.positional(1)) {
            (Some(user), Some(id)) => {
                format!("[gist {user}/{id}](https://gist.github.com/{user}/{id})")
            }
            _ => String::new(),
        },
        "figure" => {
            let src = args.get("src").unwrap_or_default();
            let caption = args
                .get("caption")
                .or(args.get("title"))
                .unwrap_or_default();
            let alt = args.get("alt").unwrap_or(caption);
            let image = format!("![{}]({src})", alt.replace(['[', ']'], ""));
            if caption.is_empty() {
                image
            } else {
                format!("{image}\n\n*{caption}*")
            }
        }
        "ref" | "relref" => match args.get("path").or(args.positional(0)) {
            Some(path) => content_link(path, cx),
            None => String::new(),
        },
        _ if code.closing => String::new(),
        name => {
            notes.at(
                raw,
                format!("the shortcode `{name}` has no Rolebook equivalent and was left out"),
            );
            String::new()
        }
    }
}

/// A `ref`'s path as a root link to the content file (Rolebook resolves
/// `/docs/page.md` to that page's URL): from the page's folder when the
/// file is there, else from the content root.
fn content_link(path: &str, cx: &Context<'_>) -> String {
    let (file, anchor) = path.split_once('#').map_or((path, ""), |(f, a)| (f, a));
    let file = file.trim_start_matches('/');
    let with_md = if file.ends_with(".md") || file.is_empty() {
        file.to_string()
    } else {
        format!("{file}.md")
    };
    let dir = cx.page_dir();
    let near = if dir.is_empty() {
        with_md.clone()
    } else {
        format!("{dir}/{with_md}")
    };
    let exists = |p: &str| cx.src.join(cx.content_dir).join(p).is_file();
    let chosen = if !path.starts_with('/') && exists(&near) {
        near
    } else {
        with_md
    };
    let anchor = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    format!("/{chosen}{anchor}")
}

/// A line holding one Zola block shortcode (or its `{% end %}`).
pub fn zola_block(
    trimmed: &str,
    i: usize,
    emit: &mut Emitter,
    notes: &mut Notes<'_, '_>,
) -> Option<usize> {
    let inner = trimmed.strip_prefix("{%")?.strip_suffix("%}")?.trim();
    if inner == "end" {
        return emit.close(|o| o.key == "zola").then_some(1);
    }
    let (name, args) = inner.split_once('(')?;
    let name = name.trim();
    let args = args.strip_suffix(')')?;
    let named = Args::parse(&args.replace(", ", " ").replace(',', " "));
    let opening = match name {
        "details" => {
            emit.line(trimmed);
            emit.push("zola", super::Wrap::Details);
            return Some(1);
        }
        "note" | "info" => Opening::Callout {
            kind: "NOTE",
            title: named.get("title").map(str::to_string),
        },
        "tip" | "hint" => Opening::Callout {
            kind: "TIP",
            title: named.get("title").map(str::to_string),
        },
        "important" => Opening::Callout {
            kind: "IMPORTANT",
            title: named.get("title").map(str::to_string),
        },
        "warning" => Opening::Callout {
            kind: "WARNING",
            title: named.get("title").map(str::to_string),
        },
        "caution" | "danger" => Opening::Callout {
            kind: "CAUTION",
            title: named.get("title").map(str::to_string),
        },
        _ => {
            notes.at_line(i, format!("the shortcode `{name}` has no Rolebook equivalent: its tags were removed, its content kept"));
            Opening::Plain { lead: None }
        }
    };
    emit.open("zola", opening);
    Some(1)
}

/// Zola's inline shortcodes: the theme's components stay, others go.
pub fn zola_inline(text: &str, notes: &mut Notes<'_, '_>) -> String {
    super::replace_spans(text, "{{", "}}", |raw, _| {
        let inner = raw[2..raw.len() - 2].trim();
        let name = inner.split_once('(').map(|(n, _)| n.trim());
        match name {
            Some(name)
                if !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !KEPT.contains(&name) =>
            {
                notes.at(
                    raw,
                    format!("the shortcode `{name}` has no Rolebook equivalent and was left out"),
                );
                String::new()
            }
            _ => raw.to_string(),
        }
    })
}

/// Braces that Rolebook would read as a component call but that are none
/// (Vue's `{{ message }}`, a stray `{% … %}`) become inline code.
pub fn protect_braces(
    text: &str,
    notes: &mut Notes<'_, '_>,
    in_html: bool,
    keep_directives: bool,
) -> String {
    if !text.contains("{{") && !text.contains("{%") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        out.push_str(&text[at..start]);
        let close = match text[start..].get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            _ => {
                out.push('{');
                at = start + 1;
                continue;
            }
        };
        let Some(len) = text[start + 2..].find(close) else {
            out.push_str(&text[start..]);
            return out;
        };
        let raw = &text[start..start + 2 + len + 2];
        at = start + raw.len();
        let escaped = text[..start].ends_with(['`', '\\']);
        let directive = keep_directives && raw.starts_with("{{#");
        if raw.contains('\n') || is_component_call(raw) || escaped || directive {
            out.push_str(raw);
            continue;
        }
        notes.at(
            raw,
            format!("`{raw}` is template syntax of the source tool: shown as code"),
        );
        if in_html {
            // Inside an HTML block Markdown is not read: an HTML code element.
            out.push_str(&format!("<code>{}</code>", raw.replace('<', "&lt;")));
        } else {
            let ticks = if raw.contains('`') { "``" } else { "`" };
            out.push_str(&format!("{ticks}{raw}{ticks}"));
        }
    }
    out.push_str(&text[at..]);
    out
}

/// A Rolebook component call, its block end, or a literal `{{/* */}}`.
fn is_component_call(raw: &str) -> bool {
    let inner = raw[2..raw.len() - 2].trim();
    if inner.starts_with("/*") || inner == "end" {
        return true;
    }
    let Some((name, _)) = inner.split_once('(') else {
        return false;
    };
    let name = name.trim();
    KEPT.contains(&name) || name == "details"
}
