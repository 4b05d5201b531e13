// Pure selection logic: search, pairing and counting. No DOM, no widget model.

/** Indices of the texts that contain the query, ignoring case; empty query matches none. */
export function searchTexts(texts, query) {
  const needle = query.trim().toLowerCase();
  if (!needle) return new Uint32Array(0);
  const hits = [];
  for (let i = 0; i < texts.length; i++) {
    if (texts[i].toLowerCase().includes(needle)) hits.push(i);
  }
  return Uint32Array.from(hits);
}

/**
 * `searchTexts` for a person typing: `find(query)` gives the same hits, but the texts are
 * lowercased once (on the first search, not on every key), and a query that contains the
 * previous one looks only among the previous hits (typing "nee", "need", "needle" scans
 * the whole corpus once).
 */
export function createTextSearch(texts) {
  let lowered = null;
  let last = { needle: "", hits: new Uint32Array(0) };
  return function find(query) {
    const needle = query.trim().toLowerCase();
    if (!needle) return new Uint32Array(0);
    if (needle === last.needle) return last.hits;
    lowered ??= texts.map((text) => text.toLowerCase());
    const hits = [];
    if (last.needle && needle.includes(last.needle)) {
      for (const i of last.hits) if (lowered[i].includes(needle)) hits.push(i);
    } else {
      for (let i = 0; i < lowered.length; i++) if (lowered[i].includes(needle)) hits.push(i);
    }
    last = { needle, hits: Uint32Array.from(hits) };
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
