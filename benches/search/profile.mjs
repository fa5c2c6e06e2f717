// Where the time of a new query goes in Rolebook's search UI, in headless
// Chromium: the same sequence as bench.mjs's latency measure (the engine
// API runs each query, then the UI draws it as a new query), with the UI's
// phases timed from the page (search done, records read, rank and snippet
// time, requests), with --log 1 every request of each UI run (its range,
// start and end in ms), and with --cpu 1 a sampling CPU profile of the UI
// runs summed by function. Not a benchmark: the wrappers cost time too.
//
//   TMPDIR=/dev/shm node benches/search/bench.mjs --only corpus ...   # builds the site
//   node benches/search/profile.mjs --site /dev/shm/rolebook-search-bench/corpus/rolebook
//        [--set eval.json --filter corpus | --set eval-docs.json] [--rounds 1] [--log 1] [--cpu 1]

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { Chrome } from "./cdp.mjs";
import { HERE, args, serve } from "./lib.mjs";

const SITE = args.site || "/dev/shm/rolebook-search-bench/corpus/rolebook";
const SET = args.set || "eval.json";
const FILTER = args.filter ?? (SET === "eval.json" ? "corpus" : null);
const ROUNDS = Number(args.rounds || 1);

const queries = JSON.parse(readFileSync(join(HERE, SET), "utf8")).queries
  .filter((q) => !FILTER || q.site === FILTER).map((q) => q.q);

// Wraps the engine's prototype (the UI's index is an instance of it) and
// fetch, and notes the phases of each UI run.
const SETUP = `
  const config = JSON.parse(document.getElementById("search-config").textContent);
  const [engine, tokenizer] = await Promise.all([import(config.engine), import(config.tokenize)]);
  window.bench = await engine.openIndex(new URL(config.index, location.href).href, tokenizer);
  const P = engine.Index.prototype;
  window.phases = null;
  const note = (key, ms) => { if (window.phases) window.phases[key] = (window.phases[key] || 0) + ms; };
  const count = (key) => { if (window.phases) window.phases[key] = (window.phases[key] || 0) + 1; };
  for (const name of ["rank", "snippet", "highlight"]) {
    const f = P[name];
    P[name] = function (...a) { const t = performance.now(); try { return f.apply(this, a); } finally { note(name, performance.now() - t); } };
  }
  const search = P.search;
  P.search = async function (...a) {
    const r = await search.apply(this, a);
    if (window.phases) window.phases.searchEnd = performance.now() - window.phases.t0;
    return r;
  };
  const record = P.record;
  P.record = function (doc) {
    const p = record.call(this, doc);
    if (window.phases) p.then(() => { window.phases.recordsEnd = Math.max(window.phases.recordsEnd || 0, performance.now() - window.phases.t0); });
    return p;
  };
  const fetch0 = window.fetch;
  window.fetch = function (url, options) {
    if (!window.phases) return fetch0.call(this, url, options);
    count(options?.headers?.Range ? "rangeFetches" : "fetches");
    const t = performance.now() - window.phases.t0, phases = window.phases;
    const name = String(url).split("/").pop() + (options?.headers?.Range ? " " + options.headers.Range.slice(6) : "");
    return fetch0.call(this, url, options).then((r) => { (phases.log ||= []).push(name + " " + t.toFixed(1) + "-" + (performance.now() - phases.t0).toFixed(1)); return r; });
  };
  window.ui = async (q) => {
    const r = document.getElementById("search-results"), i = document.getElementById("search-q");
    const done = new Promise((resolve) => new MutationObserver((_, o) => {
      if (r.dataset.state === "done" && i.value === q) { o.disconnect(); resolve(); }
    }).observe(r, { attributes: true }));
    const t0 = performance.now();
    window.phases = { t0 };
    i.value = q;
    i.dispatchEvent(new Event("input", { bubbles: true }));
    await done;
    const out = { ...window.phases, total: performance.now() - t0 };
    window.phases = null;
    delete out.t0;
    return out;
  };
  window.query = async (q) => {
    const t0 = performance.now();
    const result = await bench.search(q);
    const records = await Promise.all(result.hits.slice(0, 10).map((h) => bench.record(h.doc)));
    for (const r of records) bench.snippet(r, result);
    return performance.now() - t0;
  };`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

async function main() {
  const server = await serve(SITE);
  const rows = [];
  const profiles = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const chrome = Chrome.launch();
      try {
        const page = await chrome.page();
        await page.goto(`${server.origin}/search/`);
        await page.waitFor(`return document.getElementById("search-results")?.dataset.state === "done" || null`, "search page");
        await page.eval(SETUP);
        if (args.cpu) {
          await page.send("Profiler.enable");
          await page.send("Profiler.setSamplingInterval", { interval: 100 });
        }
        for (const q of queries) {
          const engineMs = await page.eval(`return await query(${JSON.stringify(q)});`);
          await page.eval(`return await query(${JSON.stringify(q)});`);
          if (args.cpu) await page.send("Profiler.start");
          const ui = await page.eval(`return await ui(${JSON.stringify(q)});`);
          if (args.cpu) profiles.push((await page.send("Profiler.stop")).profile);
          await page.eval(`return await ui("");`);
          rows.push({ q, engineMs, ...ui });
        }
      } finally {
        await chrome.close();
      }
    }
  } finally {
    server.close();
  }
  for (const r of rows) {
    if (args.log) console.log("   " + (r.log || []).join("\n   "));
    console.log(`${r.total.toFixed(1).padStart(6)} ms  search ${r.searchEnd?.toFixed(1)}  records ${r.recordsEnd?.toFixed(1)}  ` +
      `rank ${r.rank?.toFixed(1)}  snippet ${r.snippet?.toFixed(1)}  fetches ${r.fetches || 0}+${r.rangeFetches || 0}  engine ${r.engineMs.toFixed(1)}  ${r.q}`);
  }
  const keys = ["total", "searchEnd", "recordsEnd", "rank", "snippet", "engineMs", "fetches", "rangeFetches"];
  console.log("median: " + keys.map((k) => `${k} ${median(rows.map((r) => r[k] || 0)).toFixed(1)}`).join(", "));
  if (profiles.length) summarize(profiles);
}

/** Self time by function over all profiles, the top 30. */
function summarize(profiles) {
  const self = new Map();
  let total = 0;
  for (const p of profiles) {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const dt = p.timeDeltas;
    for (let i = 0; i < p.samples.length; i++) {
      const n = byId.get(p.samples[i]);
      const f = n.callFrame;
      const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
      const ms = (dt[i + 1] ?? 0) / 1000;
      self.set(key, (self.get(key) || 0) + ms);
      total += ms;
    }
  }
  console.log(`\nCPU self time over ${profiles.length} UI runs: ${total.toFixed(0)} ms (per run ${(total / profiles.length).toFixed(1)})`);
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${(ms / profiles.length).toFixed(2).padStart(7)} ms/run  ${k}`);
  }
}

await main();
