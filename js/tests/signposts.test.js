// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { deviceTransform } from "../picture.js";
import { screenOf } from "../plot.js";
import { createSignposts, placeSignposts } from "../signposts.js";

const TOPICS = [
  { keywords: "coffee, beans, roast", size: 300, x: 10, y: 20 },
  { keywords: "tea, leaves, green", size: 200, x: 30, y: 20 },
  { keywords: "cake, sugar, butter", size: 100, x: 20, y: 40 },
];

/** A region's centre through the widget's chain: its own coordinates -> device -> canvas pixels. */
function through(bounds, box, view) {
  const [width, height] = box;
  const t = deviceTransform(bounds, width / height);
  return (x, y) => screenOf(view, [(x - t.cx) * t.scale, (y - t.cy) * t.scale], width, height);
}

// regl-scatterplot's camera: column-major 4x4, a zoom `k` and a pan (tx, ty) in device units.
const camera = (k = 1, tx = 0, ty = 0) => [k, 0, 0, 0, 0, k, 0, 0, 0, 0, 1, 0, tx, ty, 0, 1];

describe("where the signposts stand", () => {
  const bounds = [0, 40, 0, 60];
  const box = [400, 300];
  const sizes = TOPICS.map(() => [80, 18]);

  it("centres each label on its region's centre as the picture draws it, at rest", () => {
    const places = placeSignposts(TOPICS, through(bounds, box, camera()), sizes, box);
    // y in [0, 60] fills 95% of the 300 px height (the taller side): 4.75 px a unit, centred.
    const scale = (0.95 * 300) / 60;
    expect(places[0].left + 40).toBeCloseTo(200 + (10 - 20) * scale);
    expect(places[0].top + 9).toBeCloseTo(150 - (20 - 30) * scale);
    expect(places.every((p) => p.shown)).toBe(true);
  });

  it("follows the camera: a zoom spreads the labels, a pan moves them, their size stays", () => {
    const rest = placeSignposts(TOPICS, through(bounds, box, camera()), sizes, box);
    const zoomed = placeSignposts(TOPICS, through(bounds, box, camera(2)), sizes, box);
    const gap = (places) => places[1].left - places[0].left;
    expect(gap(zoomed)).toBeCloseTo(2 * gap(rest));
    const panned = placeSignposts(TOPICS, through(bounds, box, camera(1, 0.5, 0)), sizes, box);
    // Half a device unit is a quarter of the canvas height (y spans 2 units over 300 px).
    expect(panned[0].left - rest[0].left).toBeCloseTo(0.5 * 150);
    expect(panned[0].top).toBeCloseTo(rest[0].top);
  });

  it("hides a label whose centre is off the picture, or that would cover a larger region's", () => {
    const zoomedIn = placeSignposts(TOPICS, through(bounds, box, camera(8)), sizes, box);
    expect(zoomedIn.map((p) => p.shown)).toEqual([false, false, false]);
    const close = [TOPICS[0], { ...TOPICS[1], x: 11, size: 500 }, TOPICS[2]];
    const places = placeSignposts(close, through(bounds, box, camera()), sizes, box);
    expect(places.map((p) => p.shown)).toEqual([false, true, true]);
  });

  it("shows nothing before the picture is drawn", () => {
    expect(placeSignposts(TOPICS, () => null, sizes, box).map((p) => p.shown)).toEqual([false, false, false]);
  });
});

describe("the signposts layer", () => {
  function mount() {
    const container = document.createElement("div");
    document.body.appendChild(container);
    Object.defineProperty(container, "clientWidth", { value: 400 });
    Object.defineProperty(container, "clientHeight", { value: 300 });
    return { container, signposts: createSignposts(container) };
  }
  const labels = (container) => Array.from(container.querySelectorAll(".ew-signpost"));

  it("writes each region's words as text, places them, and takes them away", () => {
    const { container, signposts } = mount();
    const hostile = { keywords: '<img src=x onerror="window.__pwned = 1">', size: 5, x: 20, y: 30 };
    signposts.render([...TOPICS, hostile, { keywords: "", size: 1, x: 0, y: 0 }]);
    expect(labels(container).map((label) => label.textContent)).toEqual([...TOPICS.map((t) => t.keywords), hostile.keywords]);
    expect(container.querySelector("img")).toBeNull();
    signposts.place(through([0, 40, 0, 60], [400, 300], camera()));
    const first = labels(container)[0];
    expect(first.hidden).toBe(false);
    expect(first.style.transform).toMatch(/^translate\(-?[\d.]+px, -?[\d.]+px\)$/);
    signposts.render([]);
    expect(labels(container)).toEqual([]);
  });

  it("places new topics where the last view put the picture, and moves them with the next", () => {
    const { container, signposts } = mount();
    signposts.place(through([0, 40, 0, 60], [400, 300], camera()));
    signposts.render(TOPICS.slice(0, 1));
    const before = labels(container)[0].style.transform;
    expect(before).not.toBe("");
    signposts.place(through([0, 40, 0, 60], [400, 300], camera(1, 0.2, 0)));
    expect(labels(container)[0].style.transform).not.toBe(before);
  });
});
