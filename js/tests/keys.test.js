// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { actionForKey } from "../keys.js";

const press = (key, extra = {}, target = document.body) => ({ key, target, ...extra });

describe("keyboard shortcuts", () => {
  it("labels with digits up to the number of labels, and names a digit with no label", () => {
    expect(actionForKey(press("1"), 2)).toEqual({ type: "label", index: 0 });
    expect(actionForKey(press("2"), 2)).toEqual({ type: "label", index: 1 });
    expect(actionForKey(press("3"), 2)).toEqual({ type: "noLabel", number: 3 });
    expect(actionForKey(press("1"), 0)).toEqual({ type: "noLabel", number: 1 });
    expect(actionForKey(press("0"), 9)).toBeNull();
  });

  it("inverts the selection with I, not while typing nor with a modifier", () => {
    expect(actionForKey(press("i"), 0)).toEqual({ type: "invert" });
    expect(actionForKey(press("I"), 0)).toEqual({ type: "invert" });
    expect(actionForKey(press("i", {}, document.createElement("input")), 0)).toBeNull();
    expect(actionForKey(press("i", { ctrlKey: true }), 0)).toBeNull();
  });

  it("undoes with Ctrl+Z and Cmd+Z but not Ctrl+Shift+Z", () => {
    expect(actionForKey(press("z", { ctrlKey: true }), 0)).toEqual({ type: "undo" });
    expect(actionForKey(press("Z", { metaKey: true }), 0)).toEqual({ type: "undo" });
    expect(actionForKey(press("z", { ctrlKey: true, shiftKey: true }), 0)).toBeNull();
  });

  it("ignores digits with modifiers", () => {
    expect(actionForKey(press("1", { ctrlKey: true }), 3)).toBeNull();
    expect(actionForKey(press("1", { altKey: true }), 3)).toBeNull();
  });

  it("does nothing while typing in a field", () => {
    const input = document.createElement("input");
    const area = document.createElement("textarea");
    expect(actionForKey(press("1", {}, input), 3)).toBeNull();
    expect(actionForKey(press("z", { ctrlKey: true }, area), 3)).toBeNull();
    expect(actionForKey(press("l", {}, input), 3)).toBeNull();
  });

  it("toggles the lasso and clears the selection", () => {
    expect(actionForKey(press("l"), 0)).toEqual({ type: "lasso" });
    expect(actionForKey(press("Escape"), 0)).toEqual({ type: "deselect" });
  });

  it("accepts the suggestions with A only where the model can predict, never while typing", () => {
    expect(actionForKey(press("a"), 2, true)).toEqual({ type: "accept" });
    expect(actionForKey(press("A"), 2, true)).toEqual({ type: "accept" });
    expect(actionForKey(press("a"), 2, false)).toBeNull();
    expect(actionForKey(press("a"), 2)).toBeNull();
    expect(actionForKey(press("a", {}, document.createElement("input")), 2, true)).toBeNull();
    expect(actionForKey(press("a", { ctrlKey: true }), 2, true)).toBeNull();
  });
});
