// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { appendText, plainText, segments, textLines } from "../text.js";

const HOSTILE = '<img src=x onerror="window.__pwned = true">';

describe("a text as the widget shows it", () => {
  it("breaks lines at HTML line breaks, in their common spellings", () => {
    expect(textLines("one<br />two<br>three<BR/>four<br   />five")).toEqual(["one", "two", "three", "four", "five"]);
    expect(textLines("no break <b>here</b>")).toEqual(["no break <b>here</b>"]);
    expect(plainText("a<br />b")).toBe("a\nb");
    expect(textLines(undefined)).toEqual([""]);
  });

  it("cuts a line at the whole words a search found", () => {
    expect(segments("Great cat, category", ["cat"])).toEqual([
      { text: "Great ", match: false },
      { text: "cat", match: true },
      { text: ", category", match: false },
    ]);
    expect(segments("cat", ["cat"])).toEqual([{ text: "cat", match: true }]);
    expect(segments("dog", [])).toEqual([{ text: "dog", match: false }]);
  });

  it("appends text nodes, <br> elements and marks, never HTML", () => {
    window.__pwned = false;
    const element = document.createElement("div");
    document.body.appendChild(element);
    appendText(element, `Good cat<br />${HOSTILE}<br>category`, ["cat"]);
    expect(Array.from(element.childNodes, (node) => node.nodeName)).toEqual([
      "#text",
      "MARK",
      "BR",
      "#text",
      "BR",
      "#text",
    ]);
    expect(element.querySelector("mark").textContent).toBe("cat");
    expect(element.querySelector("img")).toBeNull();
    expect(element.textContent).toBe(`Good cat${HOSTILE}category`);
    expect(window.__pwned).toBe(false);
  });
});
