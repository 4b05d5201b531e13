// Hover tooltip: the point's label and text, and under them its `data` columns once the
// kernel sent them. Texts go in as text nodes (text.js), never as HTML, so markup in a
// text shows as characters and nothing in it runs; only its HTML line breaks break lines.

import { columnsBlock } from "./dom.js";
import { appendText } from "./text.js";

export function createTooltip(container) {
  const tip = document.createElement("div");
  tip.className = "ew-tooltip";
  tip.hidden = true;
  container.appendChild(tip);
  return {
    element: tip,
    /** `columns`: the point's [[column, text], ...], or null while they are not known. */
    show(text, label, x, y, columns = null) {
      tip.textContent = "";
      if (label) {
        const tag = document.createElement("span");
        tag.className = "ew-tooltip-label";
        tag.textContent = label;
        tip.append(tag, " ");
      }
      appendText(tip, text);
      if (columns?.length) tip.append(columnsBlock(columns, "ew-tooltip-columns"));
      tip.style.left = `${x + 12}px`;
      tip.style.top = `${y + 12}px`;
      tip.hidden = false;
    },
    hide() {
      tip.hidden = true;
    },
  };
}
