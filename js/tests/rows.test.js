import { describe, expect, it } from "vitest";
import { createRowsAsker, rowsOf } from "../rows.js";

/** An asker on a clock the test moves by hand. */
function clocked() {
  const sent = [];
  let time = 0;
  const timers = new Map();
  let next = 0;
  const asker = createRowsAsker((id, rows) => sent.push([id, Array.from(rows)]), {
    later: (fn, ms) => (timers.set(++next, { fn, at: time + ms }), next),
    cancel: (timer) => timers.delete(timer),
  });
  const advance = (ms) => {
    time += ms;
    for (const [timer, { fn, at }] of [...timers]) {
      if (at <= time) {
        timers.delete(timer);
        fn();
      }
    }
  };
  return { asker, sent, advance };
}

const answer = (id, indices, columns) => ({ type: "rows", id, indices, columns });

describe("asking the kernel for rows of data", () => {
  it("asks for the list's rows at once, and for a hovered point once the pointer rests", () => {
    const { asker, sent, advance } = clocked();
    asker.ask("list", [4, 1, 7]);
    expect(sent).toEqual([[1, [4, 1, 7]]]);
    asker.ask("tooltip", [3], 120);
    advance(60);
    asker.ask("tooltip", [5], 120); // the pointer moved on
    advance(100);
    expect(sent).toHaveLength(1);
    advance(20);
    expect(sent).toEqual([
      [1, [4, 1, 7]],
      [2, [5]],
    ]);
  });

  it("drops an answer to a request a newer one of the same asker replaced", () => {
    const { asker } = clocked();
    asker.ask("tooltip", [3]);
    asker.ask("list", [8, 9]);
    asker.ask("tooltip", [5]);
    expect(asker.receive(answer(1, [3], { colour: ["red"] }))).toBeNull();
    const list = asker.receive(answer(2, [8, 9], { colour: ["red", "blue"], price: ["1.5", ""] }));
    expect(list.asker).toBe("list");
    expect(list.rows.get(9)).toEqual([
      ["colour", "blue"],
      ["price", ""],
    ]);
    expect(asker.receive(answer(3, [5], { colour: ["green"] })).rows.get(5)).toEqual([["colour", "green"]]);
    expect(asker.receive(answer(3, [5], { colour: ["green"] }))).toBeNull(); // answered already
  });

  it("asks nothing for no rows, and forgets what it waited for (the pointer left)", () => {
    const { asker, sent, advance } = clocked();
    asker.ask("tooltip", [3], 120);
    asker.ask("tooltip", []);
    advance(500);
    expect(sent).toEqual([]);
    asker.ask("tooltip", [4]);
    asker.ask("tooltip", []);
    expect(asker.receive(answer(1, [4], { colour: ["red"] }))).toBeNull();
  });

  it("sends nothing more once stopped", () => {
    const { asker, sent, advance } = clocked();
    asker.ask("tooltip", [3], 120);
    asker.stop();
    advance(500);
    expect(sent).toEqual([]);
  });

  it("reads an answer without data as rows without columns", () => {
    expect(rowsOf(answer(1, [2, 3], {}))).toEqual(
      new Map([
        [2, []],
        [3, []],
      ]),
    );
  });
});
