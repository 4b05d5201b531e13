// The model's suggestions for the rows the list shows, asked of the kernel. Requests are
// paced (at most one per `interval` ms, the newest rows winning) and numbered, so an
// answer to a request that a newer one replaced is dropped.

export function createSuggester(
  send,
  { interval = 500, now = () => performance.now(), later = setTimeout, cancel = clearTimeout } = {},
) {
  let latest = 0;
  let sentAt = -Infinity;
  let timer = null;
  let waiting = null;

  function flush() {
    timer = null;
    sentAt = now();
    latest += 1;
    send(latest, waiting);
    waiting = null;
  }

  return {
    /** Ask for the suggestions of `indices` now, or when the pace allows. */
    request(indices) {
      waiting = indices;
      if (timer !== null) return;
      const wait = sentAt + interval - now();
      if (wait <= 0) flush();
      else timer = later(flush, wait);
    },
    /** A "suggestions" answer as a Map index -> {label, confidence}; null when stale. */
    receive(message) {
      if (message.id !== latest) return null;
      const byIndex = new Map();
      message.indices.forEach((index, i) => {
        byIndex.set(index, { label: message.labels[i] ?? null, confidence: message.confidence[i] ?? 0 });
      });
      return byIndex;
    },
    stop() {
      if (timer !== null) cancel(timer);
      timer = null;
    },
  };
}
