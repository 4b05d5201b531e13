// The small DOM pieces the toolbar, the training row, the tooltip and the selection list share.

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

/**
 * A point's `data` row, [[column, text], ...], as one element of `className`: a
 * `.ew-column` per column holding its name (`.ew-column-name`) and its value, as text.
 */
export function columnsBlock(pairs, className) {
  const block = document.createElement("div");
  block.className = className;
  for (const [name, value] of pairs) {
    const column = document.createElement("span");
    column.className = "ew-column";
    const label = document.createElement("span");
    label.className = "ew-column-name";
    label.textContent = name;
    column.append(label, document.createTextNode(value));
    column.title = `${name}: ${value}`;
    block.append(column);
  }
  return block;
}
