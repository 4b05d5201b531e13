// Work done again only when its inputs change: the columns, counts and orders the widget
// derives from the state are made once per new codes, hits or selection, not per frame.

/**
 * `compute` wrapped to remember its last result: called with the same inputs (the same
 * objects, ===) as last time, it returns that result without computing.
 */
export function remember(compute) {
  let inputs = null;
  let value;
  return (...next) => {
    if (!inputs || next.length !== inputs.length || next.some((input, k) => input !== inputs[k])) {
      inputs = next;
      value = compute(...next);
    }
    return value;
  };
}
