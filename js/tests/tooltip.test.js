// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { createTooltip } from "../tooltip.js";

describe("tooltip", () => {
  it("shows markup in a text as characters and runs nothing", () => {
    const container = document.createElement("div");
    document.body.appendChild(container);
    window.__pwned = false;
    const tip = createTooltip(container);
    const payload = '<img src=x onerror="window.__pwned = true"><script>window.__pwned = true</script>';
    tip.show(payload, "<b>label</b>", 10, 20);
    expect(tip.element.textContent).toBe(`<b>label</b> ${payload}`);
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    expect(window.__pwned).toBe(false);
    expect(tip.element.hidden).toBe(false);
    tip.hide();
    expect(tip.element.hidden).toBe(true);
  });
});
