// Search benchmark: Rolebook's search against Pagefind on the same built
// HTML, in headless Chromium. Not a timed test; results go to RESULTS.md.
//
//   cargo build --release
//   (cd benches/search && npm ci)          # Pagefind, pinned in package.json
//   TMPDIR=/dev/shm node benches/search/bench.mjs [--corpus DIR] [--rolebook BIN] [--only bundled|corpus|docs]
//        [--rounds 5] [--latency-rounds 2] [--work DIR] [--json FILE]
//
// (TMPDIR on tmpfs: the browser profiles and their HTTP caches.)
//
// For each site (the bundled one and the generated corpus, default
// /work/bench-data/n10000/neutral/content) it builds the site with Rolebook,
// indexes a copy with Pagefind (`--root-selector main`, only the pages that
// Rolebook indexes, so both see the same documents) and measures, each in a
// fresh browser profile where it matters:
//
// - index size: Rolebook's search/ data files; Pagefind's index, fragments,
//   metadata and WASM (its JS is counted in the bytes per query);
// - first query: every byte a fresh browser downloads for `/search/?q=…`
//   (Pagefind: its default UI on a copy of the same page) until the results
//   show (Rolebook: data-state="done"; Pagefind: ten results with excerpts);
//   the theme's offline service worker is not served (it fetches the page
//   and its assets again after load, for both engines alike);
// - follow-up query: bytes downloaded for a second query on the same page;
// - latency: time per query after the first load (engine API: search, then
//   the data of the first ten results, and for Rolebook also the full UI
//   update until data-state="done": a query new to the UI, whose shards and
//   records it fetches), median over the evaluation queries of all rounds
//   (the engines alternate, --latency-rounds each), first run (new shards
//   may be fetched) and repeated (all cached);
// - time to the first possible query: navigation to the engine ready (its
//   scripts and index entry files loaded), engines alternated, --rounds each;
// - relevance: MRR@10 and recall@5 over eval.json.

import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

import { Chrome } from "./cdp.mjs";
import { HERE, REPO, ROLEBOOK, args, buildPagefind, byKind, fold, log, readRecords, run, serve, size, walk } from "./lib.mjs";

const CORPUS = args.corpus || "/work/bench-data/n10000/neutral";
const CORPORA = args.corpora || "/work/corpora";
const ROUNDS = Number(args.rounds || 5);
const LATENCY_ROUNDS = Number(args["latency-rounds"] || 2);
const WORK = args.work || join(tmpdir(), "rolebook-search-bench");

const SITES = {
  bundled: {
    root: REPO,
    first: "менеджера проектов",
    followUp: "аккаунт менеджер зарплата",
  },
  corpus: {
    root: null, // made below from CORPUS
    first: "аналитик данных в банке",
    followUp: "тестировщик на удалёнке",
  },
  // Both documentation sites of eval-docs.json cut into one page per
  // section (docs-corpus.mjs): 3,130 pages; latency over that set's queries.
  docs: {
    root: join(CORPORA, "docs-split"),
    first: "хуки жизненного цикла",
    followUp: "вычисляемые свойства",
    set: "eval-docs.json",
  },
};

/** Builds the site with Rolebook and a Pagefind copy; returns their folders and sizes. */
function prepare(name) {
  const site = SITES[name];
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let root = site.root;
  if (!root) {
    root = join(dir, "site");
    mkdirSync(root);
    symlinkSync(join(CORPUS, "content"), join(root, "content"));
    writeFileSync(join(root, "rolebook.yaml"), 'title: "Карьерная база знаний"\nbase_url: "https://example.org/"\n' +
      "language: ru\nunknown_front_matter: extra\nsymlinks: follow\n");
  }
  const rolebook = join(dir, "rolebook");
  const build = run(ROLEBOOK, ["build", "--root", root, "--output", rolebook]);
  log(`${name}: rolebook build ${build.seconds.toFixed(2)} s`);
  const searchDir = join(rolebook, "search");
  const records = walk(join(searchDir, "d"));
  const shardsAndTypos = readdirSync(searchDir).filter((f) => /^[stl]-.*\.z$/.test(f)).map((f) => join(searchDir, f));
  const rolebookIndex = [join(searchDir, "index.z"), ...shardsAndTypos, ...records];

  const pagefind = join(dir, "pagefind");
  const pf = buildPagefind(rolebook, pagefind);
  log(`${name}: pagefind ${pf.seconds.toFixed(2)} s`);
  const bundle = walk(join(pagefind, "pagefind"));
  const pagefindIndex = bundle.filter((p) => /\.pf_|\.pagefind$|pagefind-entry\.json$/.test(p));
  return {
    rolebook, pagefind, docs: pf.docs,
    rolebookBuildSeconds: build.seconds, pagefindSeconds: pf.seconds,
    rolebookIndexBytes: size(rolebookIndex), rolebookIndexFiles: rolebookIndex.length,
    pagefindIndexBytes: size(pagefindIndex), pagefindIndexFiles: pagefindIndex.length,
  };
}

// Page-side snippets ---------------------------------------------------------

const ROLEBOOK_DONE = (q) => `
  const r = document.getElementById("search-results"), i = document.getElementById("search-q");
  return r && r.dataset.state === "done" && i.value === ${JSON.stringify(q)} ? r.querySelectorAll("a[href]").length : null;`;

// Pagefind's UI shows a placeholder per result until its fragment is loaded
// (both measured queries have results in both engines).
const PAGEFIND_DONE = `
  const results = [...document.querySelectorAll(".pagefind-ui__result")];
  if (!results.length || results.some((r) => r.querySelector(".pagefind-ui__loading"))) return null;
  return results.length;`;

/** First-query and follow-up bytes in a fresh browser. */
async function bytesPerQuery(engine, server, site) {
  const origin = server.origin;
  const chrome = Chrome.launch();
  server.sent.bytes = 0;
  server.sent.files = [];
  try {
    const page = await chrome.page();
    const path = engine === "rolebook" ? "/search/" : "/pagefind-search/";
    await page.goto(`${origin}${path}?q=${encodeURIComponent(site.first)}`);
    const shown = await page.waitFor(engine === "rolebook" ? ROLEBOOK_DONE(site.first) : PAGEFIND_DONE, "first results");
    const first = server.sent.bytes, firstFiles = [...server.sent.files];
    if (engine === "rolebook") {
      await page.eval(`const i = document.getElementById("search-q"); i.value = ${JSON.stringify(site.followUp)};
        i.dispatchEvent(new Event("input", { bubbles: true }));`);
      await page.waitFor(ROLEBOOK_DONE(site.followUp), "follow-up results");
    } else {
      await page.eval(`window.pagefindUI.triggerSearch(${JSON.stringify(site.followUp)});`);
      await page.waitFor(`const m = document.querySelector(".pagefind-ui__message")?.textContent || "";
        return m.includes(${JSON.stringify(site.followUp)}) ? true : null;`, "follow-up message");
      await page.waitFor(PAGEFIND_DONE, "follow-up results");
    }
    const followUpFiles = server.sent.files.slice(firstFiles.length);
    return { first, followUp: server.sent.bytes - first, shown, requests: firstFiles.length,
      byKind: byKind(firstFiles), followUpByKind: byKind(followUpFiles), files: firstFiles, followUpFiles };
  } finally {
    await chrome.close();
  }
}

// Runs before the page's own scripts: notes when a query could first run.
// Rolebook: the results region is "done" for the empty query once the
// engine and the manifest are loaded; Pagefind: its API is loaded and
// initialized (WASM, entry file and metadata), started at DOMContentLoaded.
const READY = {
  rolebook: `document.addEventListener("DOMContentLoaded", () => {
    const r = document.getElementById("search-results");
    const done = () => r.dataset.state === "done" && (window.__ready ??= performance.now());
    new MutationObserver(done).observe(r, { attributes: true });
    done();
  });`,
  pagefind: `document.addEventListener("DOMContentLoaded", () => {
    import("/pagefind/pagefind.js").then((pf) => pf.init()).then(() => { window.__ready = performance.now(); });
  });`,
};

/** Milliseconds from navigation to the first possible query, in a fresh browser. */
async function readiness(engine, origin) {
  const chrome = Chrome.launch();
  try {
    const page = await chrome.page();
    await page.send("Page.addScriptToEvaluateOnNewDocument", { source: READY[engine] });
    await page.goto(`${origin}${engine === "rolebook" ? "/search/" : "/pagefind-search/"}`);
    return await page.waitFor("return window.__ready ?? null", "ready");
  } finally {
    await chrome.close();
  }
}

/**
 * Time to the first possible query of each engine, median of ROUNDS: the
 * engines alternate round by round, so that a change in the load of the
 * shared machine falls on both alike.
 */
async function readinessAlternated(servers) {
  const times = Object.fromEntries(Object.keys(servers).map((e) => [e, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [engine, server] of Object.entries(servers)) times[engine].push(await readiness(engine, server.origin));
  }
  return Object.fromEntries(Object.entries(times).map(([e, t]) => [e, { median: median(t), all: t }]));
}

/** Latency and ranked results of every evaluation query, after the first load. */
async function evaluate(engine, origin, queries) {
  const chrome = Chrome.launch();
  try {
    const page = await chrome.page();
    if (engine === "rolebook") {
      await page.goto(`${origin}/search/`);
      await page.waitFor(`return document.getElementById("search-results")?.dataset.state === "done" || null`, "search page");
      await page.eval(`
        const config = JSON.parse(document.getElementById("search-config").textContent);
        const [engine, tokenizer] = await Promise.all([import(config.engine), import(config.tokenize)]);
        window.bench = await engine.openIndex(new URL(config.index, location.href).href, tokenizer);
        window.ui = async (q) => {
          const r = document.getElementById("search-results"), i = document.getElementById("search-q");
          const done = new Promise((resolve) => new MutationObserver((_, o) => {
            if (r.dataset.state === "done" && i.value === q) { o.disconnect(); resolve(); }
          }).observe(r, { attributes: true }));
          const t0 = performance.now();
          i.value = q;
          i.dispatchEvent(new Event("input", { bubbles: true }));
          await done;
          return performance.now() - t0;
        };
        window.query = async (q) => {
          const t0 = performance.now();
          const result = await bench.search(q);
          const records = await Promise.all(result.hits.slice(0, 10).map((h) => bench.record(h.doc)));
          for (const r of records) bench.snippet(r, result);
          return { ms: performance.now() - t0, urls: records.map((r) => r.url) };
        };`);
    } else {
      await page.goto(`${origin}/pagefind-search/`);
      await page.eval(`
        window.pf = await import("/pagefind/pagefind.js");
        await pf.init();
        window.query = async (q) => {
          const t0 = performance.now();
          const search = await pf.search(q);
          const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
          return { ms: performance.now() - t0, urls: data.map((d) => new URL(d.url, location.href).pathname) };
        };`);
    }
    const out = [];
    for (const q of queries) {
      const first = await page.eval(`return await query(${JSON.stringify(q)});`);
      const again = await page.eval(`return await query(${JSON.stringify(q)});`);
      const ui = engine === "rolebook" ? await page.eval(`return await ui(${JSON.stringify(q)});`) : null;
      // The same query typed again (files loaded): only ranking and drawing.
      if (engine === "rolebook") await page.eval(`return await ui("");`);
      const uiAgain = engine === "rolebook" ? await page.eval(`return await ui(${JSON.stringify(q)});`) : null;
      out.push({ q, urls: first.urls, ms: first.ms, warmMs: again.ms, uiMs: ui, uiWarmMs: uiAgain });
    }
    return out;
  } finally {
    await chrome.close();
  }
}

/** Expected pages of a query: listed paths, or titles containing every fragment. */
function expected(query, titles) {
  if (query.expect) return new Set(query.expect);
  const fragments = query.title.map(fold);
  return new Set([...titles].filter(([, t]) => fragments.every((f) => fold(t).includes(f))).map(([u]) => u));
}

function titlesOf(rolebookDir) {
  const map = new Map();
  for (const r of readRecords(join(rolebookDir, "search"))) map.set("/" + r.u, r.t);
  return map;
}

function scores(urls, relevant) {
  const rank = urls.slice(0, 10).findIndex((u) => relevant.has(u));
  const hits5 = urls.slice(0, 5).filter((u) => relevant.has(u)).length;
  return { rr: rank >= 0 ? 1 / (rank + 1) : 0, recall5: hits5 / Math.min(relevant.size, 5), rank: rank >= 0 ? rank + 1 : null };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

async function main() {
  const evalSet = JSON.parse(readFileSync(join(HERE, "eval.json"), "utf8")).queries;
  const report = { date: new Date().toISOString(), load: loadavg(), sites: {} };
  for (const name of Object.keys(SITES)) {
    if (args.only && args.only !== name) continue;
    const prepared = prepare(name);
    const titles = titlesOf(prepared.rolebook);
    const site = SITES[name];
    const queries = site.set ? JSON.parse(readFileSync(join(HERE, site.set), "utf8")).queries
      : evalSet.filter((q) => q.site === name);
    const siteReport = { ...prepared, engines: {} };
    const servers = { rolebook: await serve(prepared.rolebook), pagefind: await serve(prepared.pagefind) };
    try {
      const ready = await readinessAlternated(servers);
      // Latency: the engines alternate, LATENCY_ROUNDS each, in fresh browsers;
      // the medians pool the queries of all rounds.
      const rounds = { rolebook: [], pagefind: [] };
      for (let round = 0; round < LATENCY_ROUNDS; round++) {
        for (const engine of ["rolebook", "pagefind"]) {
          rounds[engine].push(await evaluate(engine, servers[engine].origin, queries.map((q) => q.q)));
        }
      }
      for (const engine of ["rolebook", "pagefind"]) {
        const bytes = await bytesPerQuery(engine, servers[engine], site);
        const readyMs = ready[engine].median;
        log(`${name}/${engine}: first ${bytes.first} B, follow-up ${bytes.followUp} B, ready in ${readyMs.toFixed(0)} ms ` +
          `(${ready[engine].all.map((t) => t.toFixed(0)).join(" ")})`);
        // The docs site is cut into sections: its judgments are for whole pages.
        const perQuery = rounds[engine][0].map((r, i) => {
          const relevant = site.set ? new Set() : expected(queries[i], titles);
          return { ...r, kind: queries[i].kind, relevant: relevant.size, ...scores(r.urls, relevant) };
        });
        const pooled = (key) => median(rounds[engine].flat().map((r) => r[key]));
        siteReport.engines[engine] = {
          bytes,
          readyMs,
          readyRounds: ready[engine].all,
          latency: {
            rounds: LATENCY_ROUNDS,
            medianMs: pooled("ms"),
            medianWarmMs: pooled("warmMs"),
            medianUiMs: engine === "rolebook" ? pooled("uiMs") : null,
            medianUiWarmMs: engine === "rolebook" ? pooled("uiWarmMs") : null,
          },
          mrr10: perQuery.reduce((s, r) => s + r.rr, 0) / perQuery.length,
          recall5: perQuery.reduce((s, r) => s + r.recall5, 0) / perQuery.length,
          perQuery,
        };
      }
    } finally {
      for (const server of Object.values(servers)) server.close();
    }
    report.sites[name] = siteReport;
  }
  report.load.push(...loadavg());
  const all = Object.entries(report.sites).filter(([name]) => !SITES[name].set).flatMap(([, s]) => Object.entries(s.engines));
  for (const engine of ["rolebook", "pagefind"]) {
    const rows = all.filter(([e]) => e === engine).flatMap(([, r]) => r.perQuery);
    report[engine] = { queries: rows.length, mrr10: rows.reduce((s, r) => s + r.rr, 0) / rows.length,
      recall5: rows.reduce((s, r) => s + r.recall5, 0) / rows.length };
  }
  const outFile = args.json || join(WORK, "results.json");
  writeFileSync(outFile, JSON.stringify(report, null, 2));
  log(`wrote ${outFile}`);
  console.log(table(report));
}

function table(report) {
  const kb = (b) => (b / 1024).toFixed(1) + " KB";
  const lines = [];
  for (const [name, s] of Object.entries(report.sites)) {
    const r = s.engines.rolebook, p = s.engines.pagefind;
    lines.push(`### ${name} (${s.docs} pages)`, "", "| | Rolebook | Pagefind |", "|---|---|---|");
    lines.push(`| index size | ${kb(s.rolebookIndexBytes)} (${s.rolebookIndexFiles} files) | ${kb(s.pagefindIndexBytes)} (${s.pagefindIndexFiles} files) |`);
    lines.push(`| first query, bytes | ${kb(r.bytes.first)} | ${kb(p.bytes.first)} |`);
    lines.push(`| follow-up query, bytes | ${kb(r.bytes.followUp)} | ${kb(p.bytes.followUp)} |`);
    lines.push(`| first possible query after navigation (median of ${ROUNDS}) | ${r.readyMs.toFixed(0)} ms | ${p.readyMs.toFixed(0)} ms |`);
    lines.push(`| median latency, first run (${r.latency.rounds} rounds, alternated) | ${r.latency.medianMs.toFixed(1)} ms | ${p.latency.medianMs.toFixed(1)} ms |`);
    lines.push(`| median latency, repeated | ${r.latency.medianWarmMs.toFixed(1)} ms | ${p.latency.medianWarmMs.toFixed(1)} ms |`);
    lines.push(`| median latency, UI until done (a new query drawn) | ${r.latency.medianUiMs.toFixed(1)} ms | — |`);
    lines.push(`| median latency, UI, typed again | ${r.latency.medianUiWarmMs.toFixed(1)} ms | — |`);
    if (SITES[name].set) {
      lines.push("");
      continue;
    }
    lines.push(`| MRR@10 | ${r.mrr10.toFixed(3)} | ${p.mrr10.toFixed(3)} |`);
    lines.push(`| recall@5 | ${r.recall5.toFixed(3)} | ${p.recall5.toFixed(3)} |`, "");
    lines.push("| query | kind | relevant | Rolebook rank | Pagefind rank |", "|---|---|---|---|---|");
    r.perQuery.forEach((q, i) => {
      lines.push(`| ${q.q} | ${q.kind} | ${q.relevant} | ${q.rank ?? "—"} | ${p.perQuery[i].rank ?? "—"} |`);
    });
    lines.push("");
  }
  for (const engine of ["rolebook", "pagefind"]) {
    const t = report[engine];
    if (t.queries) lines.push(`${engine}: ${t.queries} queries, MRR@10 ${t.mrr10.toFixed(3)}, recall@5 ${t.recall5.toFixed(3)}`);
  }
  lines.push(`load average before and after: ${report.load.map((x) => x.toFixed(2)).join(" ")}`);
  return lines.join("\n");
}

await main();
