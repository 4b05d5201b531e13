// Hover tooltip. Texts are set with textContent, never as HTML, so markup in a text
// shows as characters and nothing in it runs.

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
      tip.append(document.createTextNode(text));
      tip.style.left = `${x + 12}px`;
      tip.style.top = `${y + 12}px`;
      tip.hidden = false;
    },
    hide() {
      tip.hidden = true;
    },
  };
}
