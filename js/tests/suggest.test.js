import { describe, expect, it } from "vitest";
import { createSuggester } from "../suggest.js";

/** A suggester on a clock the test moves by hand. */
function paced(interval = 500) {
  const sent = [];
  let time = 0;
  let timer = null;
  const suggester = createSuggester((id, rows) => sent.push([id, Array.from(rows)]), {
    interval,
    now: () => time,
    later: (fn, ms) => (timer = { fn, at: time + ms }),
    cancel: () => (timer = null),
  });
  const advance = (ms) => {
    time += ms;
    if (timer && timer.at <= time) {
      const { fn } = timer;
      timer = null;
      fn();
    }
  };
  return { suggester, sent, advance, pending: () => timer !== null };
}

describe("suggestion requests", () => {
  it("asks at once, then at most once per interval with the newest rows", () => {
    const { suggester, sent, advance } = paced(500);
    suggester.request([1, 2]);
    expect(sent).toEqual([[1, [1, 2]]]);
    advance(100);
    suggester.request([3]);
    suggester.request([4, 5]);
    expect(sent).toHaveLength(1);
    advance(399);
    expect(sent).toHaveLength(1);
    advance(1);
    expect(sent).toEqual([[1, [1, 2]], [2, [4, 5]]]);
    advance(600);
    suggester.request([6]);
    expect(sent.at(-1)).toEqual([3, [6]]);
  });

  it("keeps the answer to the latest request and drops older ones", () => {
    const { suggester, advance } = paced(0);
    suggester.request([7, 8]);
    advance(1);
    suggester.request([8, 9]);
    const stale = { type: "suggestions", id: 1, indices: [7, 8], labels: ["a", "b"], confidence: [0.9, 0.8] };
    expect(suggester.receive(stale)).toBeNull();
    const answer = { type: "suggestions", id: 2, indices: [8, 9], labels: ["b", null], confidence: [0.75, 0] };
    const byIndex = suggester.receive(answer);
    expect(byIndex.get(8)).toEqual({ label: "b", confidence: 0.75 });
    expect(byIndex.get(9)).toEqual({ label: null, confidence: 0 });
    expect(byIndex.has(7)).toBe(false);
  });

  it("sends nothing more once stopped", () => {
    const { suggester, sent, advance, pending } = paced(500);
    suggester.request([1]);
    suggester.request([2]);
    expect(pending()).toBe(true);
    suggester.stop();
    advance(1000);
    expect(sent).toHaveLength(1);
  });
});
