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
  // In-place patches: a page whose theme marks <main data-rolebook-patch>
  // gets the new <main>, title and meta tags morphed in (morphdom), keeping
  // scroll, focus and form state, when nothing else of the page changed:
  // everything outside them is compared with the version on screen, as it
  // was served (this script runs before the page's deferred scripts touch it).
  const patchable = document.querySelector("main[data-rolebook-patch]") !== null;
  const ours = (el) => el.id === overlayId || (el.tagName === "SCRIPT" &&
    ((el.textContent || "").startsWith("/* rolebook serve") || (el.getAttribute("src") || "").startsWith("/__rolebook/")));
  // Data of the page, patched with <main>: its title, meta tags and JSON-LD.
  const data = (el) => el.tagName === "TITLE" || el.tagName === "META" ||
    (el.tagName === "SCRIPT" && el.type === "application/ld+json");
  const frame = (doc) => {
    const head = [...doc.head.children].filter((el) => !data(el) && !ours(el));
    const body = doc.body.cloneNode(true);
    body.querySelector("main")?.replaceChildren();
    body.querySelectorAll("script, #" + overlayId).forEach((el) => { if (ours(el)) el.remove(); });
    // Whitespace runs collapsed: at the time of the first snapshot the text
    // after this script is not parsed yet.
    return (head.map((el) => el.outerHTML).join(" ") + body.outerHTML).replace(/\s+/g, " ");
  };
  let shown = patchable ? frame(document) : null;
  if (patchable) {
    const script = document.createElement("script");
    script.src = "/__rolebook/morphdom.js";
    document.head.append(script);
  }
  // Meta tags (but charset and viewport) and JSON-LD: replaced as a list
  // when they differ (a page may repeat a meta name, `article:tag`).
  const pageData = (doc) => [...doc.head.querySelectorAll('meta:not([charset]):not([name="viewport"]), script[type="application/ld+json"]')];
  const patchMeta = (next) => {
    const old = pageData(document), fresh = pageData(next);
    if (old.map((el) => el.outerHTML).join("") === fresh.map((el) => el.outerHTML).join("")) return;
    old.forEach((el) => el.remove());
    fresh.forEach((el) => document.head.append(el.cloneNode(true)));
  };
  // Form fields the reader has typed in keep their text (morphdom would copy
  // the new page's value over it).
  const typedIn = (el) => (el.tagName === "INPUT" || el.tagName === "TEXTAREA") &&
    (el === document.activeElement || el.value !== el.defaultValue);
  // True when the page was patched; false when it needs a reload.
  const patch = async () => {
    if (!patchable || !window.morphdom) return false;
    const response = await fetch(location.href, { cache: "no-store" });
    if (!response.ok) return false;
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    const main = document.querySelector("main[data-rolebook-patch]"), nextMain = next.querySelector("main[data-rolebook-patch]");
    const nextFrame = frame(next);
    if (!main || !nextMain || nextFrame !== shown) return false;
    window.morphdom(main, nextMain, { onBeforeElUpdated: (from) => !typedIn(from) });
    if (document.title !== next.title) document.title = next.title;
    patchMeta(next);
    shown = nextFrame;
    document.dispatchEvent(new CustomEvent("rolebook:patched"));
    return true;
  };
  let patching = Promise.resolve(); // one patch at a time, in the order of the builds
  const update = () => {
    patching = patching.then(patch).then((done) => done || reload(), reload);
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
    if (d.changed === null || d.changed.some((url) => url.endsWith("/search/index.z"))) {
      document.dispatchEvent(new CustomEvent("rolebook:search-changed"));
    }
    if (d.changed === null || d.changed.includes(here())) update();
  });
  events.addEventListener("errors", (e) => showOverlay(JSON.parse(e.data).errors));
})();
