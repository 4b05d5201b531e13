import { describe, expect, it } from "vitest";
import { samplePositions, sampleSelection, withoutIndex } from "../sample.js";

/** A seeded generator (mulberry32), so a failing draw can be replayed. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function counting(random) {
  const counted = () => {
    counted.calls += 1;
    return random();
  };
  counted.calls = 0;
  return counted;
}

describe("sampling positions (Floyd)", () => {
  it("draws k distinct positions in range, ascending", () => {
    const positions = samplePositions(100_000, 50, seeded(1));
    expect(positions).toHaveLength(50);
    expect(new Set(positions).size).toBe(50);
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
    expect(positions[0]).toBeGreaterThanOrEqual(0);
    expect(positions[49]).toBeLessThan(100_000);
  });

  it("costs k random draws whatever n is", () => {
    for (const n of [60, 10_000, 100_000_000]) {
      const random = counting(seeded(n));
      samplePositions(n, 50, random);
      expect(random.calls).toBe(50);
    }
  });

  it("keeps distinct when the generator repeats itself", () => {
    const positions = samplePositions(10, 5, () => 0);
    expect(Array.from(positions)).toEqual([0, 6, 7, 8, 9]);
  });

  it("gives every position when k >= n, and nothing for n = 0", () => {
    expect(Array.from(samplePositions(4, 50, seeded(2)))).toEqual([0, 1, 2, 3]);
    expect(samplePositions(0, 50, seeded(2))).toHaveLength(0);
  });

  it("spreads over the whole range (each half of 1,000 gets a fair share of 200 draws)", () => {
    const positions = samplePositions(1000, 200, seeded(3));
    const low = positions.filter((p) => p < 500).length;
    expect(low).toBeGreaterThan(70);
    expect(low).toBeLessThan(130);
  });
});

describe("the list's rows", () => {
  it("shows all of a selection of at most k points, in its order", () => {
    const selection = Uint32Array.from([9, 3, 7]);
    expect(Array.from(sampleSelection(selection, 50))).toEqual([9, 3, 7]);
  });

  it("samples k selected points, reading only those k of the selection", () => {
    const selection = Uint32Array.from({ length: 100_000 }, (_, i) => 3 * i);
    let reads = 0;
    const watched = new Proxy(selection, {
      get(target, key) {
        if (typeof key === "string" && /^\d+$/.test(key)) reads += 1;
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const rows = sampleSelection(watched, 50, seeded(4));
    expect(reads).toBe(50);
    expect(rows).toHaveLength(50);
    expect(new Set(rows).size).toBe(50);
    for (const index of rows) expect(index % 3).toBe(0);
  });

  it("draws another sample that differs from the first", () => {
    const selection = Uint32Array.from({ length: 8112 }, (_, i) => i);
    const first = sampleSelection(selection, 50, seeded(5));
    const second = sampleSelection(selection, 50, seeded(6));
    expect(Array.from(second)).not.toEqual(Array.from(first));
  });
});

describe("taking one point out", () => {
  it("removes the index and keeps the order of the rest", () => {
    expect(Array.from(withoutIndex(Uint32Array.from([4, 8, 15, 16]), 15))).toEqual([4, 8, 16]);
  });
  it("leaves the indices alone when the point is not among them", () => {
    expect(Array.from(withoutIndex(Uint32Array.from([4, 8]), 5))).toEqual([4, 8]);
  });
});
