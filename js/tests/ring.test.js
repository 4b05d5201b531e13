// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { createRing } from "../ring.js";

/** The two things the ring asks of regl-scatterplot: screen positions and draw events. */
function picture(positions) {
  const subscribers = [];
  return {
    positions,
    drawn: false,
    getScreenPosition(index) {
      if (!this.drawn) throw new Error("points not drawn");
      return this.positions[index];
    },
    subscribe: (event, handler) => event === "draw" && subscribers.push(handler),
    frame(positions) {
      this.drawn = true;
      if (positions) this.positions = positions;
      subscribers.forEach((handler) => handler());
    },
  };
}

describe("ring round a point", () => {
  it("waits for the first draw, then sits on the point and follows it", () => {
    const container = document.createElement("div");
    const plot = picture([[10, 20], [30, 40]]);
    const ring = createRing(container, plot);
    ring.show(1);
    expect(ring.element.hidden).toBe(true);
    plot.frame();
    expect(ring.element.hidden).toBe(false);
    expect(ring.element.style.transform).toBe("translate(30px, 40px)");
    plot.frame([[10, 20], [35, 45]]);
    expect(ring.element.style.transform).toBe("translate(35px, 45px)");
  });

  it("goes away on -1 and stays away through later draws", () => {
    const container = document.createElement("div");
    const plot = picture([[10, 20]]);
    plot.frame();
    const ring = createRing(container, plot);
    ring.show(0);
    expect(ring.element.hidden).toBe(false);
    ring.show(-1);
    plot.frame();
    expect(ring.element.hidden).toBe(true);
    ring.show(5); // a point the picture does not have
    expect(ring.element.hidden).toBe(true);
  });
});
