// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { createToolbar } from "../toolbar.js";

const noop = () => {};
const actions = new Proxy({}, { get: () => noop });

describe("the message line", () => {
  it("keeps a cleared message's room until the next message, so nothing moves under the pointer", () => {
    const parent = document.createElement("div");
    const toolbar = createToolbar(parent, actions);
    const line = toolbar.message;
    toolbar.setMessage("4 labels look wrong: each is listed beside the model's suggestion, and more");
    Object.defineProperty(line, "offsetHeight", { value: 36, configurable: true }); // two lines
    toolbar.setMessage("");
    expect(line.textContent).toBe("");
    expect(line.style.minHeight).toBe("36px");
    toolbar.setMessage("Relabelled 4 points", false);
    expect(line.style.minHeight).toBe("");
    toolbar.setMessage(""); // the press...
    expect(line.style.minHeight).toBe("36px");
    toolbar.setMessage(""); // ...and the click that ends it: the room goes back
    expect(line.style.minHeight).toBe("");
  });

  it("shows errors in the error style, and an empty line never is one", () => {
    const toolbar = createToolbar(document.createElement("div"), actions);
    toolbar.setMessage("Train first", true);
    expect(toolbar.showsError()).toBe(true);
    toolbar.setMessage("", true);
    expect(toolbar.showsError()).toBe(false);
  });
});
