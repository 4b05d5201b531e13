// Whole words, as the kernel's find(words) matches them (Python's re, `\bterm\b`, ignoring
// case): a query is split into terms at white space, and a text matches when it holds
// every term with a word boundary on each side ("cat" finds "a cat sat", not "category").
// A word character is a letter, a digit or "_", in any script, as Python's \w.

const WORD = /^[\p{L}\p{N}_]$/u;

function isWordCode(code) {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  }
  return WORD.test(String.fromCodePoint(code));
}

/** Whether the character that starts at `i` is a word character (false past the end). */
function wordAt(text, i) {
  return i < text.length && isWordCode(text.codePointAt(i));
}

/** Whether the character that ends at `i` is a word character (false before the start). */
function wordBefore(text, i) {
  if (i <= 0) return false;
  const low = text.charCodeAt(i - 1);
  const pair = i >= 2 && low >= 0xdc00 && low <= 0xdfff;
  return isWordCode(text.codePointAt(pair ? i - 2 : i - 1));
}

/** The lowercase terms of a query; none for an empty one. */
export function parseTerms(query) {
  return String(query ?? "").toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Where `term` (lowercase) first occurs as a whole word in `lowered` (a lowercase text)
 * at or after `from`: its start, or -1. A boundary is where a word character meets a
 * non-word one (or an end), on both sides of the term, as `\b` has it.
 */
export function findWord(lowered, term, from = 0) {
  const opensWord = wordAt(term, 0);
  const closesWord = wordBefore(term, term.length);
  for (let at = lowered.indexOf(term, from); at >= 0; at = lowered.indexOf(term, at + 1)) {
    if (wordBefore(lowered, at) !== opensWord && wordAt(lowered, at + term.length) !== closesWord) return at;
  }
  return -1;
}

/** Whether the lowercase text holds every one of the terms as a whole word. */
export function hasWords(lowered, terms) {
  return terms.length > 0 && terms.every((term) => findWord(lowered, term) >= 0);
}

/**
 * The stretches of `text` where a term occurs as a whole word, as sorted, disjoint
 * [start, end) pairs: what the selection list marks. None where lowercasing changes the
 * text's length (a few letters, such as "İ"), which would shift the stretches.
 */
export function wordRanges(text, terms) {
  const lowered = text.toLowerCase();
  if (lowered.length !== text.length) return [];
  const ranges = [];
  for (const term of terms) {
    for (let at = findWord(lowered, term); at >= 0; at = findWord(lowered, term, at + term.length)) {
      ranges.push([at, at + term.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}
