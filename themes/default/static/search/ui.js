// Search UI of the default theme: the /search/ page and the header box's
// drop-down. Started by boot.js with the config from partials/search_box.html.
//
// DOM contract of /search/ (kept stable for scripts and tests):
// - `/search/?q=<query>` runs the query; `#search-q` (input[type=search])
//   updates the results in place and the `?q=` of the address.
// - `#search-results` has `data-state="loading"` until the results for the
//   current query are rendered, then `"done"` (also for no results; `"error"`
//   when the index cannot be loaded). Inside it the only links are the
//   results: one `a[href]` per result, in rank order, the first ten at least.
// - The section filter (`#search-filter`) and "more" button live outside it.
// Index text is always inserted as text (textContent), never as HTML.

const PAGE_SIZE = 10;
const BOX_SIZE = 6;

/** Starts the search UI; `manifest`: the manifest's bytes, if boot.js is already fetching them. */
export async function start(config, manifest = null) {
  addStyles(config.css);
  const base = new URL(config.index, location.href).href;
  const open = () => Promise.all([import(config.engine), import(config.tokenize)])
    .then(([engine, tokenizer]) => engine.openIndex(base, tokenizer, undefined, manifest));
  // `rolebook serve` patches pages in place: when it says the index was
  // rebuilt, the next query opens the new one (its manifest revalidated).
  let opened = null;
  const index = () => opened || (opened = open());
  document.addEventListener("rolebook:search-changed", () => { opened = null; manifest = null; });
  const results = document.getElementById("search-results");
  if (results) searchPage(index, results, config);
  const box = document.getElementById("site-search-q");
  if (box) headerBox(index, box, config);
}

function addStyles(href) {
  if (!href || document.querySelector(`link[href="${CSS.escape(href)}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}

function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** Text segments -> nodes, matches in <mark>; text only, never HTML. */
function marked(segments) {
  return segments.map((s) => (s.hit ? el("mark", "", [s.text]) : document.createTextNode(s.text)));
}

/** One result: a single link holding title, section and snippet. */
function resultLink(index, record, result, sectionTitle, snippetSize) {
  const snippet = index.snippet(record, result, snippetSize);
  const title = index.highlight(record.title, result).segments;
  const parts = [el("span", "search-hit__title", marked(title))];
  const where = [sectionTitle, snippet.heading.length ? snippet.heading : null].filter(Boolean);
  if (where.length) {
    const path = el("span", "search-hit__where");
    where.forEach((w, i) => {
      if (i) path.append(" › ");
      path.append(...(typeof w === "string" ? [w] : marked(w)));
    });
    parts.push(path);
  }
  if (snippet.segments.length) parts.push(el("span", "search-hit__snippet", marked(snippet.segments)));
  const link = el("a", "search-hit", parts);
  link.href = record.url;
  return link;
}

function searchPage(indexPromise, results, config) { // indexPromise: () => Promise of the index
  const strings = JSON.parse(document.getElementById("search-strings")?.textContent || "{}");
  const input = document.getElementById("search-q");
  const form = input.form;
  const filter = document.getElementById("search-filter");
  const status = document.getElementById("search-status");
  const more = document.getElementById("search-more");
  const address = new URLSearchParams(location.search);
  // The section filter is kept in the address as the section's URL.
  let generation = 0, current = null, typed = false, sectionUrl = address.get("section"), shown = PAGE_SIZE;

  const setStatus = (text) => { if (status) status.textContent = text; };

  // `typing`: the query is being typed (its last word is completed), not a
  // deep link or a submitted query.
  async function run(reset, typing = false) {
    const gen = ++generation;
    results.dataset.state = "loading";
    const query = input.value;
    if (reset) shown = PAGE_SIZE;
    try {
      const index = await indexPromise();
      if (reset) {
        current = query.trim() ? await index.search(query, { typing }) : null;
        typed = typing;
      }
      if (gen !== generation) return;
      const sections = index.sections;
      const section = sections.findIndex((s) => s.url === sectionUrl);
      const hits = current ? current.hits.filter((h) => section < 0 || h.section === section) : [];
      const records = await Promise.all(hits.slice(0, shown).map((h) => index.record(h.doc)));
      if (gen !== generation) return;
      const items = records.map((r) => el("li", "", [resultLink(index, r, current, sections[r.section]?.title, 220)]));
      results.replaceChildren(...notes(current, strings), ...(items.length ? [el("ol", "search-list", items)]
        : current ? [el("p", "search-note", [config.strings.none])] : []));
      renderFilter(sections, section);
      if (more) more.hidden = hits.length <= shown;
      setStatus(current ? (strings.found || "{count}").replace("{count}", hits.length.toLocaleString(document.documentElement.lang || undefined)) : strings.hint || "");
      results.dataset.state = "done";
    } catch (error) {
      if (gen !== generation) return;
      console.error(error);
      results.replaceChildren(el("p", "search-note", [strings.error || String(error)]));
      results.dataset.state = "error";
    }
  }

  function renderFilter(sections, section) {
    if (!filter) return;
    const counts = current ? [...current.sections].filter(([s]) => s >= 0) : [];
    filter.hidden = counts.length < 2 && section < 0;
    if (filter.hidden) return filter.replaceChildren();
    counts.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const button = (label, count, value) => {
      const b = el("button", "search-filter__option", [label, " ", el("span", "search-filter__count", [String(count)])]);
      b.type = "button";
      b.setAttribute("aria-pressed", String(section === value));
      b.addEventListener("click", () => {
        sectionUrl = value < 0 ? null : sections[value].url;
        shown = PAGE_SIZE;
        syncAddress();
        run(false);
      });
      return b;
    };
    filter.replaceChildren(
      button(strings.all || "", current ? current.hits.length : 0, -1),
      ...counts.map(([s, count]) => button(sections[s].title, count, s)),
    );
  }

  function syncAddress() {
    const url = new URL(location.href);
    for (const [key, value] of [["q", input.value], ["section", sectionUrl]]) {
      if (value) url.searchParams.set(key, value);
      else url.searchParams.delete(key);
    }
    history.replaceState(history.state, "", url);
  }

  input.value = address.get("q") || "";
  // The address follows once the results are drawn (history.replaceState
  // costs a few ms, which the reader would otherwise wait for).
  input.addEventListener("input", () => run(true, true).then(syncAddress));
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    // A submitted query is complete: its last word is not a prefix.
    if (typed) await run(true, false);
    const first = results.querySelector("a[href]");
    if (results.dataset.state === "done" && first) location.href = first.href;
  });
  more?.addEventListener("click", () => { shown += PAGE_SIZE; run(false); });
  arrowKeys(document, input, () => [...results.querySelectorAll("a[href]")], (inList) => (inList ? input.focus() : input.blur()));
  window.addEventListener("pageshow", (event) => { if (event.persisted) run(true); });
  run(true);
}

/** The notes above the results: the corrections used, and a partial match. */
function notes(result, strings) {
  const out = [];
  if (result?.corrected) {
    const note = el("p", "search-note search-corrected", [(strings.corrected || "{query}").replace("{query}", result.corrected)]);
    note.id = "search-corrected";
    out.push(note);
  }
  if (result && result.mode === "or") out.push(el("p", "search-note", [strings.partial || ""]));
  return out;
}

/** ↑/↓ move focus between the input and the links; Esc goes back to the input. */
function arrowKeys(scope, input, links, escape) {
  scope.addEventListener("keydown", (event) => {
    const list = links();
    const at = list.indexOf(document.activeElement);
    if (event.target !== input && at < 0) return;
    if (event.key === "ArrowDown" && list.length) {
      event.preventDefault();
      list[Math.min(at + 1, list.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : list[at - 1]).focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      escape(at >= 0);
    }
  });
}

function headerBox(indexPromise, input, config) {
  const form = input.form;
  const panel = el("div", "site-search__panel");
  panel.id = "site-search-panel";
  panel.hidden = true;
  form.append(panel);
  // A box with a pop-up list is a combobox; only that role allows aria-expanded.
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", panel.id);
  input.setAttribute("aria-expanded", "false");
  let generation = 0;

  const close = () => {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
  };

  async function run() {
    const gen = ++generation;
    const query = input.value;
    if (!query.trim()) return close();
    try {
      const index = await indexPromise();
      const result = await index.search(query, { typing: true });
      const records = await Promise.all(result.hits.slice(0, BOX_SIZE).map((h) => index.record(h.doc)));
      if (gen !== generation) return;
      const sections = index.sections;
      const items = records.map((r) => el("li", "", [resultLink(index, r, result, sections[r.section]?.title, 110)]));
      const all = el("a", "site-search__all", [config.strings.all]);
      all.href = `${form.action}?q=${encodeURIComponent(query)}`;
      panel.replaceChildren(items.length ? el("ol", "search-list", items) : el("p", "search-note", [config.strings.none]), all);
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
      // Open towards the side with room (the box may sit left or right).
      panel.classList.toggle("is-left", form.getBoundingClientRect().left + panel.offsetWidth < innerWidth);
    } catch (error) {
      console.error(error);
    }
  }

  input.addEventListener("input", run);
  input.addEventListener("focus", (event) => {
    if (!form.contains(event.relatedTarget) && input.value.trim() && panel.childElementCount) panel.hidden = false;
  });
  form.addEventListener("focusout", (event) => { if (!form.contains(event.relatedTarget)) close(); });
  arrowKeys(form, input, () => (panel.hidden ? [] : [...panel.querySelectorAll("a[href]")]), (inList) => {
    if (inList || !panel.hidden) {
      input.focus();
      close();
    } else input.blur();
  });
  if (input.value.trim()) run();
}
