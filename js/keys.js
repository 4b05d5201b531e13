// Keyboard shortcuts of the scatter, as a pure function of the key event.

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);

function isTyping(event) {
  const target = event.target;
  if (!target) return false;
  return TYPING.has(target.tagName) || target.isContentEditable === true;
}

/**
 * The action a key press asks for, or null: digits 1-9 label the selection with the
 * n-th label (a digit with no label behind it is `noLabel`, so that the widget can say
 * so), Ctrl/Cmd+Z undoes, Escape clears the selection, L toggles the lasso, I inverts the
 * selection, A accepts the model's suggestions (only when `canAccept`: the model can
 * predict). Nothing fires while the person types into a field.
 */
export function actionForKey(event, nLabels, canAccept = false) {
  if (isTyping(event)) return null;
  const key = event.key;
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && key.toLowerCase() === "z") {
    return { type: "undo" };
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (/^[1-9]$/.test(key)) {
    const k = Number(key);
    return k <= nLabels ? { type: "label", index: k - 1 } : { type: "noLabel", number: k };
  }
  if (key === "Escape") return { type: "deselect" };
  if (key === "l" || key === "L") return { type: "lasso" };
  if (key === "i" || key === "I") return { type: "invert" };
  if ((key === "a" || key === "A") && canAccept) return { type: "accept" };
  return null;
}
