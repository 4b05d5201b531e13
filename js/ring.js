// A ring round one point of the picture, for the selection list's hovered row. It is a
// DOM circle over the canvas, not regl-scatterplot's hover: every row is a selected point,
// and regl-scatterplot draws the selection's outlines over its hover marks.

export function createRing(container, scatterplot) {
  const ring = document.createElement("div");
  ring.className = "ew-ring";
  ring.hidden = true;
  container.appendChild(ring);
  let index = -1;

  /** Put the ring on its point's place on screen; hidden while the point has none. */
  function place() {
    if (index < 0) return;
    let at;
    try {
      at = scatterplot.getScreenPosition(index);
    } catch {
      at = undefined; // nothing drawn yet: the next draw places it
    }
    ring.hidden = !at;
    if (at) ring.style.transform = `translate(${at[0]}px, ${at[1]}px)`;
  }
  // Every frame (pan, zoom, a transition, a training step) may move the point.
  scatterplot.subscribe("draw", place);

  return {
    element: ring,
    /** Ring point `index`; -1 takes the ring away. */
    show(next) {
      index = next;
      if (index < 0) ring.hidden = true;
      else place();
    },
  };
}
