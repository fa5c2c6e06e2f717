// Runs the browser search engine in Node against a built site, for quick
// checks and the relevance evaluation:
//
//   node benches/search/query.mjs PUBLIC_DIR "query" ["query" ...]
//
// Prints the top ten result URLs of each query.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const THEME = fileURLToPath(new URL("../../themes/default/static/search/", import.meta.url));

/**
 * Opens the index of a built site folder (the base path is `/`) with the
 * engine of `theme` (a folder with engine.js and tokenize.js: another
 * version's, to score an older build).
 */
export async function openSite(dir, theme = THEME) {
  const engine = await import(join(theme, "engine.js"));
  const tokenizer = await import(join(theme, "tokenize.js"));
  const base = "http://localhost/search/";
  const fetcher = async (url) => {
    const bytes = await readFile(join(dir, "search", url.slice(base.length).split("?")[0]));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  };
  return engine.openIndex(base, tokenizer, fetcher);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, ...queries] = process.argv.slice(2);
  const index = await openSite(dir);
  for (const query of queries) {
    const started = performance.now();
    const result = await index.search(query);
    const ms = performance.now() - started;
    console.log(`${query} (${result.mode}, ${result.hits.length} hits, ${ms.toFixed(1)} ms)`);
    for (const hit of result.hits.slice(0, 10)) {
      const record = await index.record(hit.doc);
      console.log(`  ${hit.score.toFixed(2).padStart(6)}  ${record.url}  ${record.title}`);
    }
  }
}
