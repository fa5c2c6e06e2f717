//! A page's rendered HTML moved into another document: the course handout
//! puts every chapter on one page, so each chapter's ids get a prefix (the
//! same heading id in two chapters would repeat), its own anchors follow,
//! and links are filled with the handout's targets (a place in the handout,
//! or an absolute URL that means something on paper).
//!
//! These rewrites rely on the shape of the HTML this module's renderer
//! writes: pulldown-cmark and the sanitizer escape `"` in text and in
//! attribute values, so ` id="` and `href="` only ever start an attribute.

/// Where one local link of the page leads in the other document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL to write.
    pub url: String,
    /// Printed after the link on paper (`глава 3`), as its `data-ref`.
    pub label: Option<String>,
}

/// Prefix every `id` and every same-page anchor (`href="#…"`) with `prefix`.
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace("href=\"#", &format!("href=\"#{prefix}"))
}

/// Make root-relative links (`href="/roles/"`) absolute with `origin`
/// (`https://example.org`, no trailing slash).
pub fn absolute_root_links(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("href=\"/") {
        let (before, after) = rest.split_at(at + "href=\"".len());
        out.push_str(before);
        if !after.starts_with("//") {
            out.push_str(origin);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Fill the local link placeholders (see [`super::fill_links`]) with
/// `targets[N]`; a link with a label also gets `data-ref="label"`.
pub fn fill_links(html: &str, targets: &[Target]) -> String {
    let placeholder = super::PLACEHOLDER;
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(placeholder) {
        out.push_str(&rest[..at]);
        let after = &rest[at + placeholder.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let target = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|i| targets.get(i));
        let Some(target) = target else {
            out.push_str(&rest[at..at + placeholder.len() + digits]);
            rest = &after[digits..];
            continue;
        };
        let in_href = out.ends_with("href=\"") && after[digits..].starts_with('"');
        let _ = pulldown_cmark_escape::escape_href(&mut out, &target.url);
        rest = &after[digits..];
        if let (Some(label), true) = (&target.label, in_href) {
            out.push_str("\" data-ref=\"");
            let _ = pulldown_cmark_escape::escape_html(&mut out, label);
            out.push('"');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_their_anchors_get_the_prefix() {
        let html = "<h2 id=\"portret\">П</h2><p><a href=\"#portret\">к</a> id=&quot;x&quot; <a href=\"/a/\">a</a></p>";
        let out = prefix_ids(html, "chapter-2-");
        assert!(out.contains("<h2 id=\"chapter-2-portret\">"), "{out}");
        assert!(out.contains("href=\"#chapter-2-portret\""), "{out}");
        assert!(out.contains("id=&quot;x&quot;"), "text untouched: {out}");
        assert!(out.contains("href=\"/a/\""), "{out}");
    }

    #[test]
    fn root_links_become_absolute() {
        let html = "<a href=\"/roles/\">r</a><a href=\"//cdn.example/\">c</a><a href=\"#x\">x</a>";
        assert_eq!(
            absolute_root_links(html, "https://example.org"),
            "<a href=\"https://example.org/roles/\">r</a><a href=\"//cdn.example/\">c</a><a href=\"#x\">x</a>"
        );
    }

    #[test]
    fn labelled_links_carry_their_label() {
        let html = "<a href=\"rolebook-link-7f3c:0\">a</a> <img src=\"rolebook-link-7f3c:1\" alt=\"\"> <a href=\"rolebook-link-7f3c:9\">b</a>";
        let targets = [
            Target {
                url: "#chapter-3".into(),
                label: Some("глава \"3\"".into()),
            },
            Target {
                url: "https://example.org/a.png".into(),
                label: Some("unused".into()),
            },
        ];
        assert_eq!(
            fill_links(html, &targets),
            "<a href=\"#chapter-3\" data-ref=\"глава &quot;3&quot;\">a</a> <img src=\"https://example.org/a.png\" alt=\"\"> <a href=\"rolebook-link-7f3c:9\">b</a>"
        );
    }
}
