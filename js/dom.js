// The small DOM pieces the toolbar, the training row and the selection list share.

/** A button with a tooltip (`title`) that calls `onClick`. */
export function button(text, title, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "ew-button";
  b.textContent = text;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}

/** A small square of `color`, as the legend and the list show a label. */
export function swatch(color) {
  const s = document.createElement("span");
  s.className = "ew-swatch";
  s.style.background = color;
  return s;
}
