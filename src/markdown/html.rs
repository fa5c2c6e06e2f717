//! Raw HTML in Markdown (`markdown.raw_html`): the sanitizer (ammonia, with
//! one allowlist written here) and, for `check`'s `unsafe-html` lint, what
//! that allowlist would remove from a fragment, read with html5ever's
//! tokenizer. Both use the same lists, so the lint says exactly what
//! `sanitize` removes.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Tags kept: ordinary prose and tables, `kbd`, `sup`/`sub`,
/// `details`/`summary`, `abbr`, MathML, and what pulldown-cmark itself
/// writes (task-list checkboxes). Scripts, frames, `object`, `embed`,
/// forms and styles are not among them.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr", // MathML
    "math",
    "annotation",
    "menclose",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "semantics",
];

/// Tags removed with their content, not only their markup.
const CONTENT_TAGS: &[&str] = &["script", "style"];

/// Attributes allowed on every kept tag.
const GENERIC_ATTRIBUTES: &[&str] = &["class", "dir", "id", "lang", "role", "title"];

/// Attribute prefixes allowed on every kept tag (`aria-label`, `data-x`).
const ATTRIBUTE_PREFIXES: &[&str] = &["aria-", "data-"];

/// Attributes allowed on some tags.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "name"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    (
        "img",
        &["alt", "height", "src", "srcset", "width", "loading"],
    ),
    ("input", &["checked", "disabled", "type"]),
    ("ins", &["cite", "datetime"]),
    ("li", &["value"]),
    ("math", &["display"]),
    ("mo", &["stretchy", "fence", "separator"]),
    ("ol", &["reversed", "start", "type"]),
    ("q", &["cite"]),
    ("source", &["media", "sizes", "srcset", "type"]),
    ("td", &["align", "colspan", "headers", "rowspan", "style"]),
    (
        "th",
        &["align", "colspan", "headers", "rowspan", "scope", "style"],
    ),
    ("time", &["datetime"]),
];

/// Attributes that hold a URL, checked against [`URL_SCHEMES`].
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "srcset"];

/// URL schemes kept (relative URLs are kept too). Not `javascript:`,
/// `vbscript:` or `data:`. The last is the placeholder of links to other
/// pages, filled in after rendering.
const URL_SCHEMES: &[&str] = &[
    "http",
    "https",
    "mailto",
    "tel",
    "ftp",
    "rolebook-link-7f3c",
];

/// The one sanitizer, built from the lists above.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
        .collect();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(CONTENT_TAGS.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .generic_attribute_prefixes(ATTRIBUTE_PREFIXES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        // Table alignment is the only style pulldown-cmark writes.
        .filter_style_properties(["text-align"].into_iter().collect())
        // Comments cannot run anything, and `<!-- more -->` is one.
        .strip_comments(false)
        .link_rel(None);
    builder
});

/// The page's HTML with everything outside the allowlist removed.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// True for a URL that `sanitize` keeps (relative, or a listed scheme).
pub fn is_safe_url(url: &str) -> bool {
    match scheme(url) {
        Some(scheme) => URL_SCHEMES.contains(&scheme.as_str()),
        None => true,
    }
}

/// The scheme of a URL as a browser reads it: control characters and
/// spaces are dropped first (`java\tscript:` is `javascript:`).
fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // `a/b:c` is a relative path, not a scheme.
    valid.then(|| scheme.to_ascii_lowercase())
}

/// What `sanitize` would remove from a fragment of raw HTML, in words
/// (`` `<script>` ``, `` the `onclick` attribute of `<img>` ``, …), in order.
pub fn removed(fragment: &str) -> Vec<String> {
    let sink = Findings::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(fragment.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.into_inner()
}

#[derive(Default)]
struct Findings {
    found: RefCell<Vec<String>>,
}

impl TokenSink for Findings {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            self.found.borrow_mut().extend(tag_findings(&tag));
        }
        TokenSinkResult::Continue
    }
}

fn tag_findings(tag: &Tag) -> Vec<String> {
    let name: &str = &tag.name;
    if !TAGS.contains(&name) {
        return vec![format!("`<{name}>`")];
    }
    let allowed = TAG_ATTRIBUTES
        .iter()
        .find(|(t, _)| *t == name)
        .map_or(&[][..], |(_, a)| a);
    let mut found = Vec::new();
    for attribute in &tag.attrs {
        let key: &str = &attribute.name.local;
        let kept = GENERIC_ATTRIBUTES.contains(&key)
            || ATTRIBUTE_PREFIXES.iter().any(|p| key.starts_with(p))
            || allowed.contains(&key);
        if !kept {
            found.push(format!("the `{key}` attribute of `<{name}>`"));
        } else if URL_ATTRIBUTES.contains(&key) && !is_safe_url(&attribute.value) {
            let scheme = scheme(&attribute.value).unwrap_or_default();
            found.push(format!("the `{scheme}:` URL in `{key}` of `<{name}>`"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_html_is_kept_and_scripts_go() {
        let kept = "<kbd>Ctrl</kbd> <sup>2</sup> <abbr title=\"x\">HR</abbr> <details><summary>Ещё</summary>текст</details>";
        assert_eq!(sanitize(kept), kept);
        assert!(removed(kept).is_empty());
        let math = "<math><mi>x</mi><mo>=</mo><mn>2</mn></math>";
        assert_eq!(sanitize(math), math);
        let hostile = "<p onclick=\"alert(1)\">a</p><script>alert(2)</script><iframe src=\"x\"></iframe><a href=\"javascript:alert(3)\">b</a><img src=x onerror=alert(4)>";
        let clean = sanitize(hostile);
        for bad in [
            "onclick",
            "script",
            "alert(2)",
            "iframe",
            "javascript",
            "onerror",
        ] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert_eq!(
            removed(hostile),
            [
                "the `onclick` attribute of `<p>`",
                "`<script>`",
                "`<iframe>`",
                "the `javascript:` URL in `href` of `<a>`",
                "the `onerror` attribute of `<img>`",
            ]
        );
    }

    #[test]
    fn urls_are_read_as_browsers_read_them() {
        assert!(!is_safe_url("java\tscript:alert(1)"));
        assert!(!is_safe_url(" JAVASCRIPT:alert(1)"));
        assert!(!is_safe_url("data:text/html,<script>"));
        assert!(is_safe_url("/roles/pm/"));
        assert!(is_safe_url("../a:b.md"));
        assert!(is_safe_url("https://example.org/"));
        assert_eq!(removed("<a href=\"&#106;avascript:x\">a</a>").len(), 1);
    }

    #[test]
    fn what_pulldown_writes_survives() {
        let html = "<h2 id=\"zarplata\">Зарплата</h2>\n<table><thead><tr><th style=\"text-align: left\">a</th></tr></thead></table>\n<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\nx</li>\n</ul>\n<pre><code class=\"language-rust\">fn</code></pre>\n<p><a href=\"rolebook-link-7f3c:0\">p</a><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>";
        let clean = sanitize(html);
        for kept in [
            "id=\"zarplata\"",
            "text-align:left",
            "type=\"checkbox\"",
            "language-rust",
            "rolebook-link-7f3c:0",
            "footnote-reference",
        ] {
            assert!(clean.contains(kept), "{kept} lost: {clean}");
        }
    }
}
