// Signposts: the regions of the picture named by their words (the kernel's `_topics`,
// computed when the picture settles), as short labels laid over the picture. A label
// keeps one screen size at every zoom and stands where its region's centre is drawn now:
// it is placed again after every render (a pan, a zoom, a new frame). Words go in as
// text, never as HTML; the labels take no pointer events, so the points under them still
// take clicks and hovers.

// A label's size where the page has no layout to measure it by (jsdom): ~7 px a letter.
const estimate = (text) => [7 * text.length + 8, 18];

function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/**
 * Where each topic's label goes. `toScreen(x, y)` is a point's place on the picture (CSS
 * pixels from its top left corner; null before anything is drawn), `sizes[i]` label i's
 * [width, height], `box` the picture's [width, height]. Returns, per topic, {left, top,
 * shown}: the label's top left corner (its centre on the region's centre), shown unless
 * that centre is off the picture or the label would lie over the label of a larger region.
 */
export function placeSignposts(topics, toScreen, sizes, [width, height]) {
  const places = topics.map(() => ({ left: 0, top: 0, shown: false }));
  const taken = [];
  const bySize = topics.map((topic, i) => i).sort((a, b) => (topics[b].size ?? 0) - (topics[a].size ?? 0));
  for (const i of bySize) {
    const at = toScreen(topics[i].x, topics[i].y);
    if (!at) continue;
    const [w, h] = sizes[i];
    const rect = { left: at[0] - w / 2, top: at[1] - h / 2, right: at[0] + w / 2, bottom: at[1] + h / 2 };
    const inside = at[0] >= 0 && at[0] <= width && at[1] >= 0 && at[1] <= height;
    const shown = inside && !taken.some((other) => overlaps(rect, other));
    if (shown) taken.push(rect);
    places[i] = { left: rect.left, top: rect.top, shown };
  }
  return places;
}

/**
 * The layer of labels over a picture (`container`, the pane the canvas fills).
 * `render(topics)` shows these topics ({keywords, size, x, y}; none hides them all);
 * `place(toScreen)` puts them where their regions are drawn now.
 */
export function createSignposts(container) {
  const layer = document.createElement("div");
  layer.className = "ew-signposts";
  container.appendChild(layer);
  let shown = []; // the topics with words, and their labels
  let labels = [];
  let sizes = [];
  let drawn = "";
  let toScreenLast = null;

  function place(toScreen = toScreenLast) {
    toScreenLast = toScreen;
    if (!toScreen || !labels.length) return;
    const places = placeSignposts(shown, toScreen, sizes, [container.clientWidth, container.clientHeight]);
    places.forEach(({ left, top, shown: visible }, i) => {
      labels[i].hidden = !visible;
      labels[i].style.transform = `translate(${left.toFixed(1)}px, ${top.toFixed(1)}px)`;
    });
  }

  return {
    element: layer,
    render(topics) {
      const key = JSON.stringify(topics);
      if (key === drawn) return;
      drawn = key;
      shown = topics.filter((topic) => String(topic.keywords ?? "").trim());
      labels = shown.map((topic) => {
        const label = document.createElement("div");
        label.className = "ew-signpost";
        label.textContent = topic.keywords;
        label.dataset.size = String(topic.size ?? 0);
        return label;
      });
      layer.replaceChildren(...labels);
      // Measured once per set of topics, not at every render: a pan must not ask for layout.
      sizes = labels.map((label) =>
        label.offsetWidth ? [label.offsetWidth, label.offsetHeight] : estimate(label.textContent),
      );
      place();
    },
    place,
  };
}
