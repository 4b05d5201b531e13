// Hover tooltip. Texts go in as text nodes (text.js), never as HTML, so markup in a text
// shows as characters and nothing in it runs; only its HTML line breaks break lines.

import { appendText } from "./text.js";

export function createTooltip(container) {
  const tip = document.createElement("div");
  tip.className = "ew-tooltip";
  tip.hidden = true;
  container.appendChild(tip);
  return {
    element: tip,
    show(text, label, x, y) {
      tip.textContent = "";
      if (label) {
        const tag = document.createElement("span");
        tag.className = "ew-tooltip-label";
        tag.textContent = label;
        tip.append(tag, " ");
      }
      appendText(tip, text);
      tip.style.left = `${x + 12}px`;
      tip.style.top = `${y + 12}px`;
      tip.hidden = false;
    },
    hide() {
      tip.hidden = true;
    },
  };
}
