// The spatial index regl-scatterplot's click, hover and lasso look points up in.
//
// Handed only points, regl-scatterplot builds a KDBush index on every draw, from one JS
// array per point (and from a million points on, in a worker that is sent all of them),
// even when only the colours or the search hits changed. The picture builds the index
// itself, from the coordinate columns, once for each new set of coordinates, and hands
// it over with every draw: regl-scatterplot then just wraps the buffer.

import KDBush from "kdbush";

// regl-scatterplot's own node size: its lookups were tuned for it.
const NODE_SIZE = 16;

/** A KDBush index of the points (x[i], y[i]), as the ArrayBuffer draw()'s spatialIndex takes. */
export function spatialIndex(x, y) {
  const index = new KDBush(x.length, NODE_SIZE, Float32Array);
  for (let i = 0; i < x.length; i++) index.add(x[i], y[i]);
  index.finish();
  return index.data;
}
