// A text as the tooltip and the selection list show it: always as text, never as HTML.
// Scraped texts (reviews, posts) often hold HTML line breaks ("<br />"); those alone
// become line breaks, as <br> elements made here between text nodes, and anything else in
// a text (tags, scripts) shows as the characters it is. The whole words a search found
// are marked (<mark> elements holding text nodes).

import { wordRanges } from "./words.js";

const LINE_BREAK = /<br\s*\/?>/gi;

/** The lines of a text, split at its HTML line breaks (<br>, <br/>, <br />, any case). */
export function textLines(text) {
  return String(text ?? "").split(LINE_BREAK);
}

/** The text with its HTML line breaks as newlines: for a title attribute. */
export function plainText(text) {
  return textLines(text).join("\n");
}

/** A line cut into its stretches, each {text, match}: `match` where a term is a whole word. */
export function segments(line, terms = []) {
  const out = [];
  let at = 0;
  for (const [start, end] of terms.length ? wordRanges(line, terms) : []) {
    if (start > at) out.push({ text: line.slice(at, start), match: false });
    out.push({ text: line.slice(start, end), match: true });
    at = end;
  }
  if (at < line.length || !out.length) out.push({ text: line.slice(at), match: false });
  return out;
}

/**
 * Append `text` to `element`: text nodes, a <br> element at each HTML line break, and a
 * <mark class="ew-match"> round each whole-word match of `terms` (lowercase).
 */
export function appendText(element, text, terms = []) {
  textLines(text).forEach((line, i) => {
    if (i) element.append(document.createElement("br"));
    for (const piece of segments(line, terms)) {
      if (!piece.match) {
        element.append(document.createTextNode(piece.text));
        continue;
      }
      const mark = document.createElement("mark");
      mark.className = "ew-match";
      mark.textContent = piece.text;
      element.append(mark);
    }
  });
}
