//! Live reload: the build generation, the events sent to browsers over
//! Server-Sent Events on the pages' own origin, the injected script and the
//! error overlay it draws.

use serde::Serialize;

/// The URL path of the event stream (same origin and port as the pages).
pub const EVENTS_PATH: &str = "/__rolebook/events";

/// The URL path of the vendored morphdom, which the reload script loads on
/// pages whose theme opts in to in-place patches (`<main data-rolebook-patch>`).
pub const MORPHDOM_PATH: &str = "/__rolebook/morphdom.js";

/// morphdom 2.7.7 (MIT; `vendor/morphdom.LICENSE`): DOM morphing, not ours to write.
pub const MORPHDOM: &str = include_str!("vendor/morphdom.min.js");

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
pub const SCRIPT: &str = concat!(
    "<script>/* rolebook serve: live reload */\n",
    include_str!("live-reload.js"),
    "</script>"
);

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
