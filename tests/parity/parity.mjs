// Checks that the browser tokenizer gives exactly the Rust tokens.
//
//   node tests/parity/parity.mjs
//
// Inputs: the non-comment lines of words_ru.txt, words_en.txt and mixed.txt
// (escapes \n \t \r \\ \u{HEX}). Rust side: expected.json, written by the
// tests in src/search/tokenize.rs (`ROLEBOOK_UPDATE_PARITY=1 cargo test parity`).
// Every token's text, term, kind, stop flag, byte range and order must match,
// and so must the stop-word lists, every word's spelling keys and root (the
// cross-script and derivational lookups of src/search/keys.rs) and the terms
// of the dictionary forms the index files under their lemma groups
// (src/search/morphology.rs). Then a few pathological inputs must finish
// quickly. Exits non-zero on any difference.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { INPUTS, checkPathological, compareCases, compareKeys, compareStopWords, parseInputs } from "./compare.mjs";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));

const expected = JSON.parse(readFileSync(here("expected.json"), "utf8"));
const inputs = INPUTS.flatMap((name) => parseInputs(readFileSync(here(name), "utf8")));
const { tokens, mismatches } = compareCases(inputs, expected.cases);
const stopDiff = compareStopWords(expected.stopWords);
const keys = compareKeys(expected.keys, expected.lemmaForms);
const slow = checkPathological();
const failed = mismatches + stopDiff + keys.mismatches + slow;
console.log(`parity: ${inputs.length} inputs, ${tokens} tokens, ${expected.stopWords.length} stop words, ` +
  `${keys.keys} words' spelling keys and roots, ${keys.forms} dictionary forms compared`);
console.log(`${failed === 0 ? 1 : 0} passed, ${failed === 0 ? 0 : 1} failed` +
  ` (${mismatches} token mismatches, ${stopDiff} stop-list differences, ${keys.mismatches} key mismatches, ` +
  `${slow} pathological failures)`);
process.exit(failed === 0 ? 0 : 1);
