//! Live reload: the build generation, the events sent to browsers over
//! Server-Sent Events on the pages' own origin, the injected script and the
//! error overlay it draws.

use serde::Serialize;

/// The URL path of the event stream (same origin and port as the pages).
pub const EVENTS_PATH: &str = "/__rolebook/events";

/// What browsers are told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    /// Sent first on every connection: which server and build this is.
    Hello {
        /// Changes on every server start, so pages reload after a restart.
        server: String,
        /// Build generation.
        generation: u64,
        /// `--follow`: go to the page that was just edited.
        follow: bool,
    },
    /// New files are in place.
    Reload {
        /// Build generation.
        generation: u64,
        /// Output URLs whose bytes changed; `None` when too many to list.
        changed: Option<Vec<String>>,
        /// Only stylesheets changed: swap them without reloading.
        css_only: bool,
        /// New URLs of the changed stylesheets (`/style.css?h=…`), for the swap.
        css: Vec<String>,
        /// URL of the page whose source was edited (for `--follow`).
        edited: Option<String>,
    },
    /// The last rebuild failed; the last good site is still served.
    Errors {
        /// Build generation of the site being served.
        generation: u64,
        /// Every error, in the form the terminal prints.
        errors: Vec<String>,
    },
}

impl Event {
    /// The SSE event name.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Hello { .. } => "hello",
            Event::Reload { .. } => "reload",
            Event::Errors { .. } => "errors",
        }
    }

    /// The JSON payload.
    pub fn data(&self) -> String {
        serde_json::to_string(self).expect("events serialize")
    }
}

/// The script injected before `</body>` of every HTML page `serve` sends.
pub const SCRIPT: &str = r#"<script>/* rolebook serve: live reload */
(() => {
  "use strict";
  window.rolebookServe = true;
  const SCROLL = "rolebook:scroll:" + location.pathname;
  const saved = sessionStorage.getItem(SCROLL);
  if (saved !== null) {
    sessionStorage.removeItem(SCROLL);
    const y = Number(saved);
    const restore = () => window.scrollTo(0, y);
    if (document.readyState === "complete") restore(); else addEventListener("load", restore);
  }
  // The build this page comes from: a page that was loading while a newer
  // build went out reloads as soon as the event stream says so.
  let server = null, generation = GENERATION, follow = false;
  const reload = () => { sessionStorage.setItem(SCROLL, String(window.scrollY)); location.reload(); };
  const here = () => decodeURI(location.pathname);
  const overlayId = "rolebook-error-overlay";
  const hideOverlay = () => document.getElementById(overlayId)?.remove();
  const showOverlay = (errors) => {
    hideOverlay();
    const box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build error");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.94);color:#fff;overflow:auto;padding:24px;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    const title = document.createElement("p");
    title.textContent = "rolebook: the last change did not build; the page shows the last good version.";
    title.style.cssText = "margin:0 0 16px;font:600 16px/1.4 system-ui,sans-serif;color:#ffb4ab";
    const pre = document.createElement("pre");
    pre.className = "rolebook-errors";
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    pre.textContent = errors.join("\n\n");
    box.append(title, pre);
    document.body.append(box);
  };
  const swapCss = (urls) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const path = new URL(link.href, location.href).pathname;
      const next = urls.find((u) => new URL(u, location.href).pathname === path);
      if (next) link.href = next;
    }
  };
  const events = new EventSource("/__rolebook/events");
  events.addEventListener("hello", (e) => {
    const d = JSON.parse(e.data);
    follow = d.follow;
    if ((server !== null && d.server !== server) || (generation !== null && d.generation !== generation)) return reload();
    server = d.server; generation = d.generation;
  });
  events.addEventListener("reload", (e) => {
    const d = JSON.parse(e.data);
    generation = d.generation;
    hideOverlay();
    if (follow && d.edited && d.edited !== here()) { location.href = d.edited; return; }
    if (d.css_only) return swapCss(d.css);
    if (d.changed === null || d.changed.includes(here())) reload();
  });
  events.addEventListener("errors", (e) => showOverlay(JSON.parse(e.data).errors));
})();
</script>"#;

/// Insert the reload script before `</body>` (or at the end), for a page of
/// build `generation`.
pub fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let marker = b"</body>";
    let at = html
        .windows(marker.len())
        .rposition(|w| w.eq_ignore_ascii_case(marker))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(
        SCRIPT
            .replacen("GENERATION", &generation.to_string(), 1)
            .as_bytes(),
    );
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_closing_body_tag() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", 7)).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script>"));
        assert!(out.ends_with("</script></body></html>"));
        assert!(out.contains("generation = 7,"), "the page knows its build");
        let bare = String::from_utf8(inject(b"<p>no body</p>", 7)).unwrap();
        assert!(bare.starts_with("<p>no body</p><script>"));
    }

    #[test]
    fn events_serialize_with_their_type() {
        let event = Event::Errors {
            generation: 3,
            errors: vec!["content/a.md:1:1: error: x".into()],
        };
        assert_eq!(event.name(), "errors");
        assert!(event.data().contains(r#""type":"errors""#));
    }
}
