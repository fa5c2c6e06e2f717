// Checks that the browser tokenizer gives exactly the Rust tokens.
//
//   node tests/parity/parity.mjs
//
// Inputs: the non-comment lines of words_ru.txt, words_en.txt and mixed.txt
// (escapes \n \t \r \\ \u{HEX}). Rust side: expected.json, written by the
// tests in src/search/tokenize.rs (`ROLEBOOK_UPDATE_PARITY=1 cargo test parity`).
// Every token's text, term, kind, stop flag, byte range and order must match,
// and so must the stop-word lists. Then a few pathological inputs must finish
// quickly. Exits non-zero on any difference.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { INPUTS, checkPathological, compareCases, compareStopWords, parseInputs } from "./compare.mjs";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));

const expected = JSON.parse(readFileSync(here("expected.json"), "utf8"));
const inputs = INPUTS.flatMap((name) => parseInputs(readFileSync(here(name), "utf8")));
const { tokens, mismatches } = compareCases(inputs, expected.cases);
const stopDiff = compareStopWords(expected.stopWords);
const slow = checkPathological();
const failed = mismatches + stopDiff + slow;
console.log(`parity: ${inputs.length} inputs, ${tokens} tokens, ${expected.stopWords.length} stop words compared`);
console.log(`${failed === 0 ? 1 : 0} passed, ${failed === 0 ? 0 : 1} failed` +
  ` (${mismatches} token mismatches, ${stopDiff} stop-list differences, ${slow} pathological failures)`);
process.exit(failed === 0 ? 0 : 1);
