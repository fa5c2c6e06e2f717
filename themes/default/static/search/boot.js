// Loaded on every page by partials/search_box.html: "/" focuses the search
// box, and the search code (ui.js, engine.js, tokenize.js) loads on first
// use of the header box, or right away on the /search/ page.

const config = JSON.parse(document.getElementById("search-config")?.textContent || "null");

if (config) {
  let started = null, manifest = null;
  const start = () => (started ||= import(config.ui).then((ui) => ui.start(config, manifest)));
  const box = document.getElementById("site-search-q");
  const page = document.getElementById("search-q");
  if (page) {
    // The search page needs the manifest (engine.js: MANIFEST_URL) as soon
    // as the scripts are in: search.html starts its download while the page
    // is parsed; fetched here only when a theme's page does not.
    manifest = window.rolebookSearchManifest;
    if (!manifest) {
      const url = new URL("index.z", new URL(config.index, location.href));
      manifest = fetch(url, { cache: "no-cache" }).then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${url}: HTTP ${r.status}`))));
      manifest.catch(() => {});
    }
    start();
  }
  box?.addEventListener("focus", start, { once: true });
  box?.addEventListener("pointerenter", start, { once: true });
  if (box === document.activeElement) start();

  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const input = page || box;
    if (!input) return;
    event.preventDefault();
    // On phones the theme folds the header box behind a toggle: open it.
    const toggle = document.querySelector("[data-search-toggle]");
    if (!page && input.offsetParent === null && toggle) toggle.click();
    input.focus();
    input.select();
  });
}

function typing(element) {
  const tag = element?.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element?.isContentEditable;
}
