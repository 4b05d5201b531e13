// The host's colours for the picture. The stylesheet paints the widget with JupyterLab's
// --jp-* variables (which VS Code and marimo map to their own themes), with light
// fallbacks; the WebGL canvas cannot use CSS, so its colours are read back from the
// computed style and read again when the host switches theme.

export const LIGHT = {
  background: [1, 1, 1, 1],
  foreground: [0, 0, 0, 0.87],
  accent: [25 / 255, 118 / 255, 210 / 255, 1],
};

// How far the unlabelled grey sits from the background towards the text colour: far
// enough to read on white and on a dark theme, close enough for labels to stand out.
const GREY_WEIGHT = 0.3;

/** A CSS colour (#rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba()) as [r, g, b, a] in 0..1; null if not one. */
export function parseColor(text) {
  const value = String(text ?? "").trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(value);
  if (hex) {
    const digits = hex[1].length <= 4 ? [...hex[1]].map((d) => d + d) : hex[1].match(/../g);
    const [r, g, b, a = 255] = digits.map((d) => parseInt(d, 16));
    return [r / 255, g / 255, b / 255, a / 255];
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(value);
  if (!fn) return null;
  const parts = fn[1].split(/[\s,/]+/).filter(Boolean);
  if (parts.length !== 3 && parts.length !== 4) return null;
  const channel = (part, scale) => (part.endsWith("%") ? parseFloat(part) / 100 : parseFloat(part) / scale);
  const color = parts.map((part, i) => channel(part, i < 3 ? 255 : 1));
  if (color.length === 3) color.push(1);
  if (color.some((c) => !Number.isFinite(c))) return null;
  return color.map((c) => Math.min(1, Math.max(0, c)));
}

let probe = null;

/**
 * Any colour the browser knows (named, hsl(), oklch()... as some hosts' computed styles
 * give them) as [r, g, b, a] in 0..1, by painting it on a 1x1 canvas; null where there
 * is no 2D canvas (jsdom) or the text is not a colour.
 */
function paintedColor(text) {
  if (!text) return null;
  probe ??= document.createElement("canvas").getContext?.("2d", { willReadFrequently: true }) ?? null;
  if (!probe) return null;
  probe.fillStyle = "#010203";
  probe.fillStyle = text;
  if (probe.fillStyle === "#010203" && text.trim().toLowerCase() !== "#010203") return null;
  probe.clearRect(0, 0, 1, 1);
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return [r / 255, g / 255, b / 255, a / 255];
}

/** A CSS colour as [r, g, b, a] in 0..1: parsed when it is hex or rgb(), else painted. */
export function cssColor(text) {
  return parseColor(text) ?? paintedColor(String(text ?? "").trim());
}

/** `color` laid over the opaque `background` by its alpha: an opaque colour. */
export function flatten(color, background) {
  const a = color[3];
  return [0, 1, 2].map((i) => color[i] * a + background[i] * (1 - a)).concat(1);
}

export function mix(from, to, weight) {
  return [0, 1, 2].map((i) => from[i] + (to[i] - from[i]) * weight).concat(1);
}

export function toHex(color) {
  const byte = (c) => Math.round(c * 255).toString(16).padStart(2, "0");
  return `#${byte(color[0])}${byte(color[1])}${byte(color[2])}`;
}

/** Relative luminance (WCAG) of an opaque colour. */
function luminance(color) {
  const linear = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(color[0]) + 0.7152 * linear(color[1]) + 0.0722 * linear(color[2]);
}

/**
 * The picture's colours from CSS colour strings: the background behind the canvas, the
 * text colour (rings round selected and hovered points) and the accent (the lasso).
 * Missing or unreadable values fall back to the light theme.
 */
export function themeFrom({ background, color, accent }) {
  const parsedBackground = cssColor(background);
  const bg = parsedBackground && parsedBackground[3] > 0 ? flatten(parsedBackground, LIGHT.background) : LIGHT.background;
  const fg = flatten(cssColor(color) ?? LIGHT.foreground, bg);
  const lasso = flatten(cssColor(accent) ?? LIGHT.accent, bg);
  return {
    background: bg,
    foreground: fg,
    accent: lasso,
    unlabelled: toHex(mix(bg, fg, GREY_WEIGHT)),
    dark: luminance(bg) < 0.2,
  };
}

/** The theme as the stage shows it (its background and text colour, the host's accent). */
export function readTheme(stage) {
  const style = getComputedStyle(stage);
  return themeFrom({
    background: style.backgroundColor,
    color: style.color,
    accent: style.getPropertyValue("--jp-brand-color1"),
  });
}

export function sameTheme(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Call `onChange` when the host may have switched theme: JupyterLab sets data-jp-theme-*
 * on <body>, VS Code and marimo change classes on <body> or <html>, some hosts follow the
 * system's colour scheme; and once the stage is laid out (its styles apply only then).
 */
export function watchTheme(stage, onChange) {
  const observer = new MutationObserver(() => onChange());
  const attributeFilter = ["class", "style", "data-jp-theme-light", "data-jp-theme-name", "data-theme"];
  for (const node of [document.documentElement, document.body]) {
    if (node) observer.observe(node, { attributes: true, attributeFilter });
  }
  const scheme = globalThis.matchMedia?.("(prefers-color-scheme: dark)");
  scheme?.addEventListener?.("change", onChange);
  const resize = typeof ResizeObserver === "function" ? new ResizeObserver(() => onChange()) : null;
  resize?.observe(stage);
  return () => {
    observer.disconnect();
    scheme?.removeEventListener?.("change", onChange);
    resize?.disconnect();
  };
}
