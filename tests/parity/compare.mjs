// The parity comparison itself, shared by parity.mjs (Node) and the
// Chromium test in tests/it/search.rs (the same module, loaded in the browser).
// `log` collects the messages: console.log in Node, an array in the browser.

import { STOP_WORDS, crossKeys, root, term, tokenize } from "../../themes/default/static/search/tokenize.js";

/** Input files, in the order of expected.json's cases. */
export const INPUTS = ["words_ru.txt", "words_en.txt", "mixed.txt"];
const SHOW = 20;
let log = console.log;

/** Send messages to `sink` instead of the console. */
export function setLog(sink) {
  log = sink;
}

function unescape(line) {
  return line.replace(/\\(u\{([0-9a-fA-F]+)\}|n|t|r|\\)?/g, (_, esc, hex) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : { n: "\n", t: "\t", r: "\r" }[esc] ?? "\\");
}

/** The inputs of one .txt file: non-empty, non-comment lines, unescaped. */
export function parseInputs(text) {
  return text.split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line !== "" && !line.startsWith("%%"))
    .map(unescape);
}

// JS tokens in the expected.json shape, UTF-16 offsets turned into UTF-8 bytes.
export function jsTokens(input) {
  const bytes = [0];
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    const pair = c >= 0xd800 && c < 0xdc00 && (input.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const len = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (pair) bytes.push(bytes[i] + len, bytes[i] + len);
    else bytes.push(bytes[i] + len);
    if (pair) i++;
  }
  return tokenize(input).map((t) =>
    [t.text, t.term, t.kind[0] + (t.stop ? "s" : ""), bytes[t.start], bytes[t.end]]);
}

export function compareCases(inputs, cases) {
  let tokens = 0, mismatches = 0;
  if (inputs.length !== cases.length) {
    log(`inputs: ${inputs.length}, expected.json cases: ${cases.length} (regenerate it)`);
    return { tokens, mismatches: 1 };
  }
  inputs.forEach((input, i) => {
    const got = jsTokens(input), want = cases[i];
    tokens += want.length;
    const n = Math.max(got.length, want.length);
    for (let k = 0; k < n; k++) {
      const [g, w] = [JSON.stringify(got[k]), JSON.stringify(want[k])];
      if (g === w) continue;
      if (mismatches++ < SHOW) {
        log(`mismatch in input ${JSON.stringify(input)} at token ${k}:\n  js:   ${g}\n  rust: ${w}`);
      }
      break;
    }
  });
  return { tokens, mismatches };
}

/**
 * Spelling keys and roots (`keys`: [text, precise, skeleton, root of the
 * term]) and the terms of dictionary forms (`lemmaForms`: [form, term]).
 */
export function compareKeys(keys, lemmaForms) {
  let mismatches = 0;
  const report = (what, got, want) => {
    if (mismatches++ < SHOW) log(`${what}:\n  js:   ${JSON.stringify(got)}\n  rust: ${JSON.stringify(want)}`);
  };
  for (const [text, precise, skeleton, want] of keys) {
    const k = crossKeys(text) || [null, null];
    if (k[0] !== precise || k[1] !== skeleton) report(`spelling keys of ${text}`, k, [precise, skeleton]);
    const r = root(term(text));
    if (r !== want) report(`root of ${text}`, r, want);
  }
  for (const [form, want] of lemmaForms) {
    if (term(form) !== want) report(`term of the dictionary form ${form}`, term(form), want);
  }
  return { keys: keys.length, forms: lemmaForms.length, mismatches };
}

export function compareStopWords(want) {
  const js = [...STOP_WORDS].sort(), rust = [...want].sort();
  const missing = rust.filter((w) => !STOP_WORDS.has(w));
  const extra = js.filter((w) => !want.includes(w));
  if (missing.length || extra.length) {
    log(`stop words differ: missing in JS ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`);
    return 1;
  }
  return 0;
}

// Each must finish (no throw, no hang); quadratic work would take many seconds.
export function checkPathological() {
  const cases = {
    "100k letters": "ж".repeat(100_000),
    "hyphen chain": "а-".repeat(50_000),
    "dot chain": "a.".repeat(50_000),
    "camel chain": "aB".repeat(50_000),
    "punctuation": "!?.,;-".repeat(20_000),
    "lone surrogates": "\ud800a\udc00b\ud83d".repeat(20_000),
    "emoji and marks": "😀\u0301\u00ad".repeat(30_000),
    "RTL": "שלום עולם مرحبا ".repeat(5_000),
    "control chars": "\u0000\u0001\u0007\u001b".repeat(25_000),
  };
  let failures = 0;
  for (const [name, input] of Object.entries(cases)) {
    const started = performance.now();
    try {
      tokenize(input);
    } catch (e) {
      log(`pathological input "${name}" threw: ${e}`);
      failures++;
    }
    const ms = performance.now() - started;
    if (ms > 3000) {
      log(`pathological input "${name}" took ${ms.toFixed(0)} ms`);
      failures++;
    }
  }
  return failures;
}
