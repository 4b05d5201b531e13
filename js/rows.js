// The `data` columns of the points a person reads (the selection list's rows, the point
// under the pointer), asked of the kernel a few rows at a time: the browser never holds
// the whole frame. Each asker ("list", "tooltip") waits `delay` ms for the person to
// settle (the pointer passes over many points on its way) and numbers its requests; an
// answer to a request that a newer one of the same asker replaced is dropped.

/**
 * `send(id, indices)` sends a ROWS request. `later`/`cancel` are setTimeout/clearTimeout
 * (a test passes its own clock).
 */
export function createRowsAsker(send, { later = setTimeout, cancel = clearTimeout } = {}) {
  let lastId = 0;
  const latest = new Map(); // asker -> the id of its newest request
  const timers = new Map(); // asker -> its request waiting to go

  function flush(asker, indices) {
    timers.delete(asker);
    lastId += 1;
    latest.set(asker, lastId);
    send(lastId, Uint32Array.from(indices));
  }

  return {
    /** Ask for the columns of `indices` for `asker`, replacing what it asked before; after `delay` ms, or at once. */
    ask(asker, indices, delay = 0) {
      if (timers.has(asker)) cancel(timers.get(asker));
      timers.delete(asker);
      latest.delete(asker); // an answer on its way is stale now
      if (!indices.length) return;
      if (delay > 0) timers.set(asker, later(() => flush(asker, indices), delay));
      else flush(asker, indices);
    },
    /**
     * A ROWS answer: {asker, rows}, `rows` a Map index -> [[column, text], ...] in the
     * columns' order; null when no asker waits for it any more.
     */
    receive(message) {
      const asker = [...latest].find(([, id]) => id === message.id)?.[0];
      if (asker === undefined) return null;
      latest.delete(asker);
      return { asker, rows: rowsOf(message) };
    },
    stop() {
      for (const timer of timers.values()) cancel(timer);
      timers.clear();
      latest.clear();
    },
  };
}

/** A ROWS answer {indices, columns: {name: [text per row]}} as a Map index -> [[name, text], ...]. */
export function rowsOf({ indices = [], columns = {} }) {
  const names = Object.keys(columns);
  return new Map(indices.map((index, k) => [index, names.map((name) => [name, String(columns[name][k] ?? "")])]));
}
