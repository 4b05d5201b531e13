// The rows the selection list shows: a large selection is sampled, in O(k) time and
// memory whatever its size, so reading 100,000 selected points costs what 50 do.

/**
 * `k` distinct positions drawn uniformly from [0, n), ascending. Floyd's algorithm: k
 * calls to `random` and a set of at most k entries, never an array of length n.
 */
export function samplePositions(n, k, random = Math.random) {
  const size = Math.max(0, Math.min(k, n));
  const chosen = new Set();
  for (let j = n - size; j < n; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return Uint32Array.from(chosen).sort();
}

/** All of `selection` when it has at most `k` points, else `k` of them, in selection order. */
export function sampleSelection(selection, k, random = Math.random) {
  if (selection.length <= k) return Uint32Array.from(selection);
  return samplePositions(selection.length, k, random).map((position) => selection[position]);
}

/** The indices without `index` (its first occurrence), as a new Uint32Array. */
export function withoutIndex(indices, index) {
  const at = indices.indexOf(index);
  if (at < 0) return Uint32Array.from(indices);
  const out = new Uint32Array(indices.length - 1);
  out.set(indices.subarray(0, at));
  out.set(indices.subarray(at + 1), at);
  return out;
}
