// @vitest-environment jsdom
// plot.js against a stand-in for regl-scatterplot that behaves as version 1.16 does where
// it matters here: one draw at a time; a draw asked to animate starts a "transition",
// which a view move (zoomToOrigin, zoomToArea) also starts, restarting one in progress;
// and a draw asked to animate while only the view moves throws inside the library and
// never finishes (the freeze of Fit view during training).
import { describe, expect, it, vi } from "vitest";

const fakes = [];
vi.mock("regl-scatterplot", () => ({
  default: (props) => {
    const fake = fakeScatterplot(props);
    fakes.push(fake);
    return fake;
  },
  createRenderer: () => ({ destroy() {} }),
}));

function fakeScatterplot(props) {
  const handlers = new Map();
  const subscribe = (event, handler, times = Infinity) => {
    handlers.set(event, [...(handlers.get(event) ?? []), { handler, times }]);
  };
  const publish = (event, news) => {
    const listeners = handlers.get(event) ?? [];
    handlers.set(event, listeners.map((l) => ({ ...l, times: l.times - 1 })).filter((l) => l.times > 0));
    for (const { handler } of listeners) handler(news);
  };
  let transitioning = false;
  let pointsCached = false;
  let drawing = false;
  const startTransition = () => {
    if (transitioning) publish("transitionEnd");
    transitioning = true;
    publish("transitionStart");
  };
  const fake = {
    props,
    draws: [],
    sets: [],
    broken: false,
    failNext: null,
    subscribe,
    set: (properties) => fake.sets.push(properties),
    draw(points, options) {
      if (drawing) return Promise.reject(new Error("regl-scatterplot is drawing"));
      if (fake.failNext) {
        const error = fake.failNext;
        fake.failNext = null;
        return Promise.reject(error);
      }
      fake.draws.push({ points, options });
      drawing = true;
      if (options.transition && transitioning && !pointsCached) {
        fake.broken = true; // TypeError: Cannot read properties of undefined (reading 'destroy')
        return new Promise(() => {});
      }
      return new Promise((resolve) => {
        if (!options.transition) {
          drawing = false;
          resolve();
          return;
        }
        subscribe("transitionEnd", () => ((drawing = false), resolve()), 1);
        pointsCached = true;
        startTransition();
      });
    },
    zoomToOrigin: (options) => fake.moveView(options),
    zoomToArea: (rect, options) => fake.moveView(options),
    moveView(options) {
      return new Promise((resolve) => {
        if (!options?.transition) return resolve();
        subscribe("transitionEnd", resolve, 1);
        startTransition();
      });
    },
    /** The animation in progress comes to its end. */
    endTransition() {
      transitioning = false;
      pointsCached = false;
      publish("transitionEnd");
    },
    selected: [],
    calls: [],
    select(points, options) {
      fake.selected = points;
      fake.calls.push(["select", points.length, options]);
    },
    deselect(options) {
      fake.selected = [];
      fake.calls.push(["deselect", options]);
    },
    publish,
    getScreenPosition: () => [0, 0],
    view: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0.5, 0, 0, 1], // zoomed in twice, panned right
    get: (name) => ({ cameraView: fake.view, aspectRatio: 1 })[name],
    destroy() {},
  };
  return fake;
}

const { createPlot, ignoreClickAfterLasso, pointSizesFor, screenOf } = await import("../plot.js");
const { LARGE_SELECTION } = await import("../overlay.js");
const { perStanding } = await import("../picture.js");

const THEME = { background: [1, 1, 1, 1], foreground: [0, 0, 0, 1], accent: [0, 0, 1, 1] };
const POINTS = { x: new Float32Array(3), y: new Float32Array(3), valueA: new Float32Array(3), valueB: new Float32Array(3) };
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount() {
  const container = document.createElement("div");
  document.body.appendChild(container);
  const plot = createPlot(container, 3, THEME, { onSelect() {}, onHover() {}, onLassoStart() {} });
  return { plot, fake: fakes.at(-1), container };
}

describe("frames and view moves", () => {
  it("asks the library for events as they happen (it tells of transitions that way)", () => {
    const { fake } = mount();
    expect(fake.props.syncEvents).toBe(true);
  });

  it("draws a frame that comes while the view moves without animating it, and the frames after it", async () => {
    const { plot, fake } = mount();
    await plot.draw(POINTS);
    plot.resetView(); // Fit view, between two frames of training
    for (let frame = 0; frame < 3; frame++) {
      const ms = await plot.draw(POINTS, { transition: true });
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(fake.draws.at(-1).options.transition).toBe(false);
    }
    expect(fake.broken).toBe(false);
    fake.endTransition();
    // The view stands still again: frames animate as before.
    const next = plot.draw(POINTS, { transition: true });
    await settled();
    expect(fake.draws.at(-1).options.transition).toBe(true);
    fake.endTransition();
    expect(Number.isNaN(await next)).toBe(false);
  });

  it("keeps drawing when the view moves during a frame's animation, and when it moves again", async () => {
    const { plot, fake } = mount();
    await plot.draw(POINTS);
    const animating = plot.draw(POINTS, { transition: true });
    await settled();
    plot.resetView(); // restarts the library's transition: the frame's draw ends there
    await animating;
    plot.zoomToArea({ x: 0, y: 0, width: 1, height: 1 });
    plot.resetView();
    const frames = [plot.draw(POINTS, { transition: true })];
    await frames[0];
    frames.push(plot.draw(POINTS, { transition: true }));
    await frames[1];
    expect(fake.draws.slice(-2).map((d) => d.options.transition)).toEqual([false, false]);
    expect(fake.broken).toBe(false);
  });

  it("moves the view at once when asked not to animate: no transition, frames animate as before", async () => {
    const { plot, fake } = mount();
    await plot.draw(POINTS);
    const moves = [];
    fake.moveView = (options) => (moves.push(options), Promise.resolve());
    plot.zoomToArea({ x: 0, y: 0, width: 1, height: 1 }, { animate: false });
    plot.resetView({ animate: false });
    plot.resetView();
    expect(moves.map((options) => options.transition)).toEqual([false, false, true]);
  });

  it("rejects a draw that failed with the library's error, and draws the next frame", async () => {
    const { plot, fake } = mount();
    fake.failNext = new Error("boom");
    await expect(plot.draw(POINTS)).rejects.toThrow("boom");
    await expect(plot.draw(POINTS)).resolves.toBeGreaterThanOrEqual(0);
  });

  it("keeps only the newest waiting frame", async () => {
    const { plot, fake } = mount();
    const first = plot.draw(POINTS, { transition: true });
    const dropped = plot.draw(POINTS);
    const newest = plot.draw(POINTS);
    expect(Number.isNaN(await dropped)).toBe(true);
    await settled();
    fake.endTransition();
    await first;
    await newest;
    expect(fake.draws).toHaveLength(2);
  });
});

describe("drawing order and sizes", () => {
  it("sets the order points are drawn in before the draw after it changed, once", async () => {
    const { plot, fake } = mount();
    plot.setOrder([0, 2]);
    await plot.draw(POINTS);
    await plot.draw(POINTS);
    expect(fake.sets.filter((s) => "pointOrder" in s)).toEqual([{ pointOrder: [0, 2] }]);
    expect(fake.draws.every((d) => d.options.preventFilterReset)).toBe(true);
    plot.setOrder(null);
    await plot.draw(POINTS);
    expect(fake.sets.filter((s) => "pointOrder" in s).at(-1)).toEqual({ pointOrder: null });
  });

  it("draws labelled points larger, and the points a search left out faded", () => {
    const { fake } = mount();
    expect(fake.props.sizeBy).toBe("valueB");
    expect(fake.props.opacityBy).toBe("valueB");
    const sizes = pointSizesFor(1000);
    expect(sizes).toEqual(perStanding(({ labelled }) => (labelled ? sizes[1] : sizes[0])));
    expect(sizes[1]).toBeGreaterThan(sizes[0]);
    expect(fake.props.opacity).toEqual(perStanding(({ shown }) => (shown ? 1 : 0.1)));
  });
});

describe("where a point is on the canvas", () => {
  const rest = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

  it("maps device coordinates through the camera: y in [-1, 1] fills the height, x keeps its scale", () => {
    expect(screenOf(rest, [0, 0], 400, 200)).toEqual([200, 100]);
    expect(screenOf(rest, [1, 1], 400, 200)).toEqual([300, 0]);
    expect(screenOf(rest, [-2, -1], 400, 200)).toEqual([0, 200]);
    const zoomed = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0.5, -0.25, 0, 1];
    expect(screenOf(zoomed, [0.25, 0.5], 400, 200)).toEqual([300, 25]);
  });

  it("asks the library's camera, once the picture is drawn", async () => {
    const { plot, container } = mount();
    const canvas = container.querySelector("canvas");
    canvas.getBoundingClientRect = () => ({ width: 400, height: 200 });
    expect(plot.toScreen([0, 0])).toBeNull();
    await plot.draw(POINTS);
    expect(plot.toScreen([0, 0])).toEqual([250, 100]);
  });
});

describe("a lasso that closes where it began", () => {
  it("keeps the click that ends a lasso from the canvas, not a plain click", () => {
    const container = document.createElement("div");
    const canvas = document.createElement("canvas");
    container.appendChild(canvas);
    const clicks = [];
    canvas.addEventListener("click", () => clicks.push("canvas"));
    const guard = ignoreClickAfterLasso(container, canvas);
    const press = () => canvas.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    const click = () => canvas.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    press();
    guard.lassoStarted();
    click(); // the mouse came up where the lasso began
    expect(clicks).toEqual([]);
    press();
    click();
    expect(clicks).toEqual(["canvas"]);
  });
});

describe("a large selection, drawn over the picture instead of by the library", () => {
  const n = LARGE_SELECTION + 10;
  const many = () => Uint32Array.from({ length: LARGE_SELECTION + 1 }, (_, i) => i);
  const points = { x: new Float32Array(n), y: new Float32Array(n), valueA: new Float32Array(n), valueB: new Float32Array(n) };
  const painted = [];
  // jsdom has no 2-D canvas: a context that keeps what was put on it.
  HTMLCanvasElement.prototype.getContext = function () {
    return {
      createImageData: (width, height) => ({ width, height, data: new Uint8ClampedArray(width * height * 4) }),
      putImageData: (image) => painted.push(image),
      clearRect: () => painted.push(null),
    };
  };

  async function mountLarge() {
    const container = document.createElement("div");
    document.body.appendChild(container);
    const selections = [];
    const plot = createPlot(container, n, THEME, {
      onSelect: (indices) => selections.push(Array.from(indices)),
      onHover() {},
      onLassoStart() {},
    });
    const canvas = container.querySelector("canvas.ew-canvas");
    canvas.getBoundingClientRect = () => ({ width: 400, height: 200 });
    await plot.draw(points);
    return { plot, fake: fakes.at(-1), canvas, selections, layer: container.querySelector(".ew-selection-layer") };
  }
  const release = (keys = {}) => window.dispatchEvent(new MouseEvent("mouseup", keys));
  const press = (canvas) => canvas.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));

  it("hands a small selection to the library, and draws a large one as dots (at the camera's place)", async () => {
    const { plot, fake, layer } = await mountLarge();
    plot.select(Uint32Array.from([1, 2]));
    expect(fake.selected).toEqual([1, 2]);
    plot.select(many());
    expect(fake.selected).toEqual([]);
    expect(layer.dataset.points).toBe(String(LARGE_SELECTION + 1));
    // Every point is at (0, 0): through the fake's camera, at (250, 100) of a 400 x 200 canvas.
    const image = painted.at(-1);
    expect([image.width, image.height]).toEqual([400, 200]);
    expect(image.data[4 * (100 * 400 + 250) + 3]).toBe(255);
    const paints = painted.length;
    fake.publish("draw"); // a render that moved nothing (a hovered point): no new paint
    expect(painted).toHaveLength(paints);
    fake.view = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]; // a pan and zoom: the dots follow
    fake.publish("draw");
    expect(painted).toHaveLength(paints + 1);
    expect(image.data[4 * (100 * 400 + 200) + 3]).toBe(255);
    expect(image.data[4 * (100 * 400 + 250) + 3]).toBe(0);
    plot.select(Uint32Array.from([3]));
    expect(fake.selected).toEqual([3]);
    expect(painted.at(-1)).toBeNull();
  });

  it("draws a frame with a large selection without handing it to the library", async () => {
    const { plot, fake } = await mountLarge();
    await plot.draw(points, { select: many() });
    expect(fake.draws.at(-1).options.select).toEqual([]);
    await plot.draw(points, { select: Uint32Array.from([4]) });
    expect(fake.draws.at(-1).options.select).toEqual([4]);
  });

  it("takes a large selection the library made back from it", async () => {
    const { fake, selections } = await mountLarge();
    fake.publish("select", { points: Array.from(many()) });
    expect(selections.at(-1)).toHaveLength(LARGE_SELECTION + 1);
    expect(fake.calls.at(-1)[0]).toBe("deselect");
  });

  it("lends the library the held selection at a Shift or Alt release, so that its merge adds to it", async () => {
    const { plot, fake, canvas, selections } = await mountLarge();
    plot.select(many());
    press(canvas);
    release(); // no key: a plain lasso or click replaces the selection
    expect(fake.selected).toEqual([]);
    press(canvas);
    release({ shiftKey: true });
    expect(fake.selected).toHaveLength(LARGE_SELECTION + 1);
    // The library merges the lasso's points into what it holds and says so.
    fake.publish("select", { points: [...fake.selected, LARGE_SELECTION + 5] });
    expect(selections.at(-1)).toHaveLength(LARGE_SELECTION + 2);
    expect(fake.selected).toEqual([]);
    // Alt, and a merge that changed nothing (no select event): the library is emptied again.
    press(canvas);
    release({ altKey: true });
    expect(fake.selected).toHaveLength(LARGE_SELECTION + 2);
    window.dispatchEvent(new MouseEvent("click"));
    expect(fake.selected).toEqual([]);
    // A release after a press elsewhere (a button, the legend) lends nothing.
    release({ shiftKey: true });
    expect(fake.selected).toEqual([]);
  });

  it("clears a large selection on a double-click (the library, holding none, would not)", async () => {
    const { plot, canvas, selections } = await mountLarge();
    canvas.dispatchEvent(new MouseEvent("dblclick"));
    expect(selections).toEqual([]);
    plot.select(many());
    canvas.dispatchEvent(new MouseEvent("dblclick"));
    expect(selections).toEqual([[]]);
    canvas.dispatchEvent(new MouseEvent("dblclick"));
    expect(selections).toEqual([[]]);
  });
});
