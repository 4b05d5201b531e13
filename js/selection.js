// Pure selection logic: search, pairing and counting. No DOM, no widget model.

import { hasWords, parseTerms } from "./words.js";

/**
 * Indices of the texts that hold every word of the query as a whole word, ignoring case
 * (as the kernel's find(words)); an empty query matches none.
 */
export function searchTexts(texts, query) {
  const terms = parseTerms(query);
  if (!terms.length) return new Uint32Array(0);
  const hits = [];
  for (let i = 0; i < texts.length; i++) {
    if (hasWords(texts[i].toLowerCase(), terms)) hits.push(i);
  }
  return Uint32Array.from(hits);
}

/**
 * `searchTexts` for a person typing: `find(query)` gives the same hits, but the texts are
 * lowercased once (on the first search, not on every key), and each search looks for its
 * words only among the texts that contain the previous query's words as parts of words
 * when every one of those is part of a new word (typing "nee", "need", "needle" scans the
 * whole corpus once): a plain substring test first, the word boundaries after.
 */
export function createTextSearch(texts) {
  let lowered = null;
  let last = { key: "", terms: [], containing: null, hits: new Uint32Array(0) };
  return function find(query) {
    const terms = parseTerms(query);
    const key = terms.join(" ");
    if (!terms.length) return new Uint32Array(0);
    if (key === last.key) return last.hits;
    lowered ??= texts.map((text) => text.toLowerCase());
    const narrows = last.containing && last.terms.every((old) => terms.some((term) => term.includes(old)));
    const containing = [];
    const hits = [];
    const visit = (i) => {
      const text = lowered[i];
      if (!terms.every((term) => text.includes(term))) return;
      containing.push(i);
      if (hasWords(text, terms)) hits.push(i);
    };
    if (narrows) for (const i of last.containing) visit(i);
    else for (let i = 0; i < lowered.length; i++) visit(i);
    last = { key, terms, containing: Uint32Array.from(containing), hits: Uint32Array.from(hits) };
    return last.hits;
  };
}

/**
 * How side A and side B become pairs: zipped when they have the same size (the i-th of A
 * with the i-th of B), otherwise every A with every B. Mirrors AnnotationStore pairing.
 */
export function pairPlan(a, b) {
  if (!a.length || !b.length) return { how: "none", count: 0 };
  if (a.length === b.length) return { how: "zip", count: a.length };
  return { how: "product", count: a.length * b.length };
}

export function describePlan(plan) {
  if (plan.how === "zip") return `${plan.count} zipped pairs (A[i] with B[i])`;
  if (plan.how === "product") return `${plan.count} pairs (every A with every B)`;
  return "select side B";
}

/** Points per label code: counts[k] is the number of points with code k. */
export function countCodes(codes, nCodes) {
  const counts = new Uint32Array(nCodes + 1);
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] <= nCodes) counts[codes[i]]++;
  }
  return counts;
}

/** Points per label code among `indices`: the selection's share of each label. */
export function countSelected(codes, indices, nCodes) {
  const counts = new Uint32Array(nCodes + 1);
  for (const i of indices) {
    const code = codes[i] ?? 0;
    if (code <= nCodes) counts[code]++;
  }
  return counts;
}

/** The points whose label code is `code`, ascending. */
export function withCode(codes, code) {
  let count = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === code) count++;
  const out = new Uint32Array(count);
  for (let i = 0, j = 0; j < count; i++) if (codes[i] === code) out[j++] = i;
  return out;
}

/** `indices` and `more` together, each point once, ascending. */
export function union(indices, more, n) {
  const seen = new Uint8Array(n);
  for (const i of indices) seen[i] = 1;
  for (const i of more) seen[i] = 1;
  return indicesOf(seen);
}

/** The points of 0..n-1 that are not in `indices`, ascending. */
export function complement(indices, n) {
  const seen = new Uint8Array(n).fill(1);
  for (const i of indices) seen[i] = 0;
  return indicesOf(seen);
}

function indicesOf(mask) {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i];
  const out = new Uint32Array(count);
  for (let i = 0, j = 0; j < count; i++) if (mask[i]) out[j++] = i;
  return out;
}
