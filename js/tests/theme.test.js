// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { flatten, LIGHT, parseColor, readTheme, themeFrom, toHex } from "../theme.js";

describe("CSS colours", () => {
  it("reads hex colours, short and long, with and without alpha", () => {
    expect(parseColor("#fff")).toEqual([1, 1, 1, 1]);
    expect(toHex(parseColor("#1976D2"))).toBe("#1976d2");
    expect(parseColor("#00000080")[3]).toBeCloseTo(128 / 255);
    expect(parseColor("#0008")[3]).toBeCloseTo(136 / 255);
  });

  it("reads rgb() and rgba() as getComputedStyle writes them, and the space syntax", () => {
    expect(parseColor("rgb(17, 17, 17)")).toEqual([17 / 255, 17 / 255, 17 / 255, 1]);
    expect(parseColor(" rgba(255, 255, 255, 0.87) ")).toEqual([1, 1, 1, 0.87]);
    expect(parseColor("rgb(0 0 0 / 50%)")).toEqual([0, 0, 0, 0.5]);
  });

  it("refuses what is not a colour it knows", () => {
    for (const text of ["", "white", "var(--jp-layout-color0)", "#12", "rgb(1, 2)", "rgb(a, b, c)", null]) {
      expect(parseColor(text)).toBeNull();
    }
  });

  it("lays a translucent colour over its background", () => {
    const white87 = flatten([1, 1, 1, 0.87], parseColor("#111111"));
    expect(toHex(white87)).toBe("#e0e0e0");
  });
});

describe("theme", () => {
  it("falls back to the light theme where the host defines nothing", () => {
    const theme = themeFrom({ background: "", color: "", accent: "" });
    expect(theme.background).toEqual(LIGHT.background);
    expect(theme.dark).toBe(false);
    expect(theme.unlabelled).toBe("#bcbcbc");
  });

  it("reads JupyterLab's dark theme: dark background, light rings, a grey between", () => {
    const theme = themeFrom({
      background: "rgb(17, 17, 17)",
      color: "rgba(255, 255, 255, 0.87)",
      accent: "#64b5f6",
    });
    expect(theme.dark).toBe(true);
    expect(toHex(theme.background)).toBe("#111111");
    expect(toHex(theme.foreground)).toBe("#e0e0e0");
    expect(toHex(theme.accent)).toBe("#64b5f6");
    const grey = parseColor(theme.unlabelled)[0];
    expect(grey).toBeGreaterThan(theme.background[0] + 0.15);
    expect(grey).toBeLessThan(theme.foreground[0] - 0.3);
  });

  it("treats a transparent background as no background", () => {
    expect(themeFrom({ background: "rgba(0, 0, 0, 0)", color: "", accent: "" }).background).toEqual(
      LIGHT.background,
    );
  });

  it("reads an element's computed colours and the host's accent", () => {
    const stage = document.createElement("div");
    stage.style.backgroundColor = "rgb(17, 17, 17)";
    stage.style.color = "rgb(224, 224, 224)";
    stage.style.setProperty("--jp-brand-color1", "#64b5f6");
    document.body.appendChild(stage);
    const theme = readTheme(stage);
    expect(toHex(theme.background)).toBe("#111111");
    expect(toHex(theme.foreground)).toBe("#e0e0e0");
    expect(toHex(theme.accent)).toBe("#64b5f6");
    expect(theme.dark).toBe(true);
  });
});
