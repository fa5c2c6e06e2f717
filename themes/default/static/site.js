// Site chrome: the light/dark toggle (remembered in localStorage), the
// search field on phones, and the offline service worker. Every page works
// without this script; it only adds these conveniences.
(() => {
  "use strict";
  const root = document.documentElement;
  const base = root.dataset.base || "/";
  const KEY = "rolebook-theme";
  const script = document.currentScript;
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  const isDark = () => (root.dataset.theme ? root.dataset.theme === "dark" : systemDark.matches);
  const toggle = document.querySelector("[data-theme-toggle]");
  if (toggle) {
    const show = () => toggle.setAttribute("aria-pressed", String(isDark()));
    toggle.hidden = false;
    show();
    toggle.addEventListener("click", () => {
      const next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem(KEY, next); } catch { /* private mode: not remembered */ }
      show();
    });
    systemDark.addEventListener?.("change", show);
  }

  // Phones: the header search field is folded behind an icon that links to
  // the search page; with JavaScript the icon unfolds the field in place.
  const header = document.querySelector("[data-site-header]");
  const opener = document.querySelector("[data-search-toggle]");
  const form = header && header.querySelector(".site-search");
  if (opener && form) {
    opener.setAttribute("aria-expanded", "false");
    opener.addEventListener("click", (event) => {
      if (getComputedStyle(opener).display === "none") return;
      event.preventDefault();
      const open = !header.classList.contains("is-search-open");
      header.classList.toggle("is-search-open", open);
      opener.setAttribute("aria-expanded", String(open));
      if (open) form.querySelector("input")?.focus();
    });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && header.classList.contains("is-search-open")) {
        header.classList.remove("is-search-open");
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      }
    });
  }

  // Offline reading: the service worker keeps visited pages and assets.
  // Not under `rolebook serve`: a cache would fight live reload there.
  if ("serviceWorker" in navigator && window.rolebookServe) {
    navigator.serviceWorker.getRegistrations().then((all) => all.forEach((r) => r.unregister()));
  } else if ("serviceWorker" in navigator && (location.protocol === "https:" || location.hostname === "localhost" || location.hostname === "127.0.0.1")) {
    window.addEventListener("load", () => {
      navigator.serviceWorker.register(base + "sw.js", { scope: base }).catch(() => {});
      navigator.serviceWorker.ready.then((registration) => {
        // This page and what it loaded were fetched before the worker took
        // over: hand them over so they are kept too.
        const urls = [location.origin + location.pathname];
        document.querySelectorAll("link[rel=stylesheet][href], script[src], img[src]").forEach((el) => {
          urls.push(el.href || el.src);
        });
        registration.active?.postMessage({
          type: "cache",
          urls: urls.filter((u) => u.startsWith(location.origin)),
          offline: script && {
            lang: root.lang,
            title: script.dataset.offlineTitle,
            text: script.dataset.offlineText,
            home: script.dataset.offlineHome,
          },
        });
      });
    });
  }
})();
