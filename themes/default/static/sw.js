// Offline reading for a Rolebook site. Registered by site.js with the
// site's base path as its scope.
//
// - Pages (HTML): network first, so readers see fresh content; every page
//   fetched is kept, and served from the cache when the network is gone.
// - Content-hashed files (`?h=` asset URLs, hashed search index files):
//   cache first, they never change; older versions of the same file are dropped.
//   A range of one (a search record in its pack) is kept on its own, under
//   the file's URL with the range added, unless the whole file is kept.
// - Other files (search manifest, images, roles.json): network first, cache as fallback.
// - Pages can ask for URLs to be kept: postMessage({type: "cache", urls: [...]}).
"use strict";

const CACHE = "rolebook-v1";
const scope = new URL(self.registration.scope);
const OFFLINE = new URL("__offline__", scope).href;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("rolebook-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** True for URLs whose content never changes: `?h=` hashes or hashed names. */
function immutable(url) {
  return url.searchParams.has("h") || /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i.test(url.pathname);
}

/** Keep one version of a hashed file: drop entries with the same path and another hash. */
async function dropOlder(cache, url) {
  if (!url.search) return;
  const hash = url.searchParams.get("h");
  for (const request of await cache.keys()) {
    const old = new URL(request.url);
    if (old.pathname === url.pathname && old.searchParams.get("h") !== hash) await cache.delete(request);
  }
}

async function put(request, response) {
  if (!response || !response.ok || response.redirected || response.type === "opaque") return;
  const cache = await caches.open(CACHE);
  const url = new URL(typeof request === "string" ? request : request.url);
  if (immutable(url)) await dropOlder(cache, url);
  await cache.put(request, response);
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  await put(request, response.clone());
  return response;
}

/** `bytes=a-b` of an immutable file: from the whole file or the range kept, else fetched and kept. */
async function rangeFirst(request, url) {
  const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.get("range") || "");
  if (!range) return fetch(request);
  const whole = await caches.match(url.href);
  if (whole) {
    const bytes = await whole.arrayBuffer();
    return partial(bytes.slice(Number(range[1]), Number(range[2]) + 1), range, bytes.byteLength);
  }
  const key = `${url.href}&range=${range[1]}-${range[2]}`;
  const kept = await caches.match(key);
  if (kept) return partial(await kept.arrayBuffer(), range, "*");
  const response = await fetch(request);
  if (response.status !== 206) {
    await put(request.url, response.clone());
    return response;
  }
  const bytes = await response.arrayBuffer();
  await put(key, new Response(bytes));
  return partial(bytes, range, "*");
}

function partial(bytes, range, size) {
  return new Response(bytes, {
    status: 206,
    headers: { "Content-Range": `bytes ${range[1]}-${range[2]}/${size}` },
  });
}

async function networkFirst(request, key, isPage) {
  try {
    const response = await fetch(request);
    await put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match(key);
    if (cached) return cached;
    const offline = isPage && (await caches.match(OFFLINE));
    if (offline) return offline;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const isPage = request.mode === "navigate" || (request.headers.get("accept") || "").includes("text/html");
  if (isPage) {
    // Pages are kept without their query: `search/?q=...` is the search page.
    event.respondWith(networkFirst(request, url.origin + url.pathname, true));
  } else if (immutable(url) && request.headers.has("range")) {
    event.respondWith(rangeFirst(request, url));
  } else if (immutable(url)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request, request, false));
  }
});

function offlinePage(strings) {
  const escape = (text) => String(text || "").replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html lang="${escape(strings.lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(strings.title)}</title>` +
    `<style>body{font:1.1rem/1.6 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1.25rem;color:#1c2027;background:#fbfaf7}` +
    `a{color:#1f56b3}@media(prefers-color-scheme:dark){body{color:#e9ebee;background:#131519}a{color:#8fb6ff}}</style></head>` +
    `<body><main><h1>${escape(strings.title)}</h1><p>${escape(strings.text)}</p>` +
    `<p><a href="${escape(scope.pathname)}">${escape(strings.home)}</a></p></main></body></html>`;
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache") return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    if (data.offline && data.offline.title) {
      await cache.put(OFFLINE, new Response(offlinePage(data.offline), {
        headers: { "Content-Type": "text/html; charset=utf-8" },
      }));
    }
    for (const href of data.urls || []) {
      const url = new URL(href, scope);
      if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) continue;
      if (immutable(url) && (await cache.match(url.href))) continue;
      try {
        await put(url.href, await fetch(url.href, { cache: "no-cache" }));
      } catch {
        // Offline or gone: nothing to keep.
      }
    }
  })());
});
