//! Highlighted code: a fenced block with a language syntect knows is
//! written as `<span class="hl-…">` tokens (scope names, so light and dark
//! colours are the theme's CSS, with no inline colours and no JavaScript).
//!
//! syntect with its pure-Rust regex engine, and the grammars bat ships
//! (from `two-face`: TOML, TypeScript and others syntect lacks). The grammar
//! set is loaded on the first highlighted block, so a site without code
//! pays nothing. Highlighted blocks are kept by content hash for the whole
//! process: `serve` re-renders a page without highlighting its unchanged
//! blocks again, and a site that repeats a block highlights it once.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Prefix of every class the highlighter writes (`hl-keyword`, `hl-string`).
pub const CLASS_PREFIX: &str = "hl-";

/// Most blocks kept; past it the cache starts again (a bound on memory).
const CACHE_LIMIT: usize = 20_000;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

static CACHE: LazyLock<Mutex<HashMap<u64, Arc<str>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The language named by a fence's info string (`rust`, `py`, `ts`), or
/// `None` when it is unknown or plain text: such blocks stay as they are.
pub fn language(info: &str) -> Option<&'static str> {
    let token = info.split([' ', ',', '{']).next()?.trim();
    if token.is_empty() {
        return None;
    }
    let syntax = find(token)?;
    (syntax.name != "Plain Text").then_some(syntax.name.as_str())
}

fn find(token: &str) -> Option<&'static SyntaxReference> {
    let syntaxes = &*SYNTAXES;
    syntaxes
        .find_syntax_by_token(token)
        .or_else(|| syntaxes.find_syntax_by_extension(&token.to_ascii_lowercase()))
}

/// How a highlighted block opens (its page then links the code styles).
pub const PRE_OPEN: &str = "<pre class=\"highlight\">";

/// The block `code` in the language `name` (from [`language`]) as HTML:
/// `<pre class="highlight"><code class="language-…">…</code></pre>`.
pub fn highlight(name: &str, info: &str, code: &str) -> Arc<str> {
    let key = xxhash_rust::xxh3::xxh3_64_with_seed(
        code.as_bytes(),
        xxhash_rust::xxh3::xxh3_64(name.as_bytes()),
    );
    if let Some(html) = cache().get(&key) {
        return html.clone();
    }
    let html: Arc<str> = Arc::from(render(name, info, code));
    let mut cache = cache();
    if cache.len() >= CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(key, html.clone());
    html
}

fn cache() -> std::sync::MutexGuard<'static, HashMap<u64, Arc<str>>> {
    // A panic while the lock was held left a complete map: keep using it.
    CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn render(name: &str, info: &str, code: &str) -> String {
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes
        .find_syntax_by_name(name)
        .unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes,
        ClassStyle::SpacedPrefixed {
            prefix: CLASS_PREFIX,
        },
    );
    for line in LinesWithEndings::from(code) {
        // Only a grammar bug fails here; the block is then written plain.
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return plain(info, code);
        }
    }
    let token = info.split([' ', ',', '{']).next().unwrap_or("");
    let mut html = String::from(PRE_OPEN);
    html.push_str("<code class=\"language-");
    let _ = pulldown_cmark_escape::escape_html(&mut html, token);
    html.push_str("\">");
    html.push_str(&generator.finalize());
    html.push_str("</code></pre>\n");
    html
}

fn plain(info: &str, code: &str) -> String {
    let token = info.split([' ', ',', '{']).next().unwrap_or("");
    let mut html = String::from("<pre><code class=\"language-");
    let _ = pulldown_cmark_escape::escape_html(&mut html, token);
    html.push_str("\">");
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, code);
    html.push_str("</code></pre>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_languages_are_known_by_their_usual_names() {
        for token in [
            "python",
            "py",
            "rust",
            "rs",
            "js",
            "javascript",
            "ts",
            "typescript",
            "html",
            "css",
            "bash",
            "sh",
            "json",
            "yaml",
            "yml",
            "toml",
            "sql",
            "go",
            "java",
            "c",
            "cpp",
            "diff",
            "dockerfile",
            "xml",
            "markdown",
        ] {
            assert!(language(token).is_some(), "`{token}` is not highlighted");
        }
    }

    #[test]
    fn unknown_and_plain_languages_are_left_alone() {
        assert_eq!(language("no-such-language"), None);
        assert_eq!(language("text"), None);
        assert_eq!(language(""), None);
    }

    #[test]
    fn tokens_are_classes_not_colours() {
        let name = language("rust").unwrap();
        let html = highlight(name, "rust", "fn f() { if x { return \"<b>\"; } }\n");
        assert!(html.starts_with("<pre class=\"highlight\"><code class=\"language-rust\">"));
        assert!(html.contains("<span class=\"hl-"));
        assert!(html.contains("hl-keyword"), "{html}");
        assert!(html.contains("&lt;b&gt;"));
        assert!(!html.contains("style="));
    }
}
