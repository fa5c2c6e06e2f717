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
