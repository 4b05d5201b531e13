"""How responsive EmbeddingScatter stays at a million points, in headless Chromium.

    .venv/bin/python bench/million.py [--n 1000000] [--group 10000] [--repeats 3]

The widget's bundle (embedwidget/static) runs in selection_list.py's page (a stand-in
for the widget model) with n points, each with a short text. Three things a person does,
each timed to the page painted after it:

- lasso: a Shift-drag around a tight group of ``--group`` points, from the mouse
  button's release to the selection list drawn (``root.dataset.listMs`` set again),
  split into regl-scatterplot's part (to its select event), the list's (``listMs``) and
  the painting;
- hover: the mouse moved onto a lone point, from that mouse move to its tooltip shown;
- search: the word "needle" (in one text of every 1,000) typed into the search box and
  Enter pressed, from the first key to the matches selected and listed, painted (the
  last change of the list and of ``root.dataset.frames``, if the picture was redrawn:
  at a million points it is not, the selection shows the matches); "Enter" is the part
  after the Enter key.

The baseline, in the same page: one redraw of the picture at these n points (new
positions, as every training step sends). Medians of ``--repeats``; a ratio under 1
means the action costs the page less than one frame of the picture.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
from pathlib import Path

import numpy as np
import widget_page
from selection_list import SCRIPT, WIDTH, _selected, drag_square, screen_of

from embedwidget.widgets.serializers import positions_to_bytes

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))  # the Chromium driver
from browser.server import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

HEIGHT = 600
WORD, EVERY = "needle", 1_000  # the search word, and how often a text holds it
GROUP_AT, LONE_AT, EMPTY_AT = (0.75, 0.75), (-0.75, 0.75), (-0.75, -0.75)
LONE_TEXT = "the lone point"
KEYS = ("frame", "lasso", "select", "list", "paint", "hover", "tooltip", "search", "enter")

# Added to selection_list.py's page: clocks for the lasso's parts, the hover and the search.
TIMERS = """<script type="module">
const root = () => document.querySelector(".ew-root");
const tooltip = () => root().querySelector(".ew-tooltip");
const until = async (ok) => { while (!ok()) await new Promise((r) => setTimeout(r, 1)); };
const painted = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
const frames = () => Number(root().dataset.frames);
// A wait that fails, rather than hangs, when what it waits for never comes.
const within = (promise, what, ms = 120_000) => Promise.race([promise, new Promise((_, no) =>
  setTimeout(() => no(new Error(`no ${what} within ${ms / 1000} s`)), ms))]);
window.painted = painted;

// When `node`'s attribute `name` next changes (a MutationObserver runs right after it).
const changed = (node, name) => new Promise((resolve) => {
  const observer = new MutationObserver(() => {
    observer.disconnect();
    resolve(performance.now());
  });
  observer.observe(node, { attributeFilter: [name] });
});

// Lasso: selection_list.py's armLasso starts the clock at the button's release. Split
// at regl-scatterplot's select event (the lasso's points found; the widget's listMs
// counts from there) and at the list's rows built; then the page painted.
window.armLassoSplit = async () => {
  await window.armLasso();
  window.listed = changed(root(), "data-list-ms");
};
window.lassoSplit = async () => {
  const t0 = await within(window.released, "mouse button release");
  const listed = await within(window.listed, "selection list (did the lasso select?)");
  const listMs = Number(root().dataset.listMs);
  await painted();
  const end = performance.now();
  return [end - t0, listed - listMs - t0, listMs, end - listed];
};

// Hover: the clock starts at the mouse move (capture, so before the widget sees it);
// split at the tooltip shown (its hidden attribute goes), then the page painted.
window.armHover = async () => {
  await until(() => tooltip().hidden);
  window.moved = new Promise((resolve) => window.addEventListener(
    "mousemove", () => resolve(performance.now()), { capture: true, once: true }));
  window.shown = changed(tooltip(), "hidden");
};
window.hoverDone = async (text) => {
  const t0 = await within(window.moved, "mouse move");
  const shown = await within(window.shown, "tooltip");
  const shows = tooltip().textContent;
  if (shows !== text) throw new Error(`the tooltip shows "${shows}", not "${text}"`);
  await painted();
  const end = performance.now();
  return [end - t0, shown - t0];
};

// Search: from the first key to the page painted after the last list or redraw that the
// keys caused: the last change after Enter, once the list has come and the page has been
// quiet for longer than a redraw takes.
window.armSearch = async () => {
  const box = root().querySelector("input.ew-search");
  if (box.value) {
    // Cleared as a person would; a quick picture redraws after the typing pause, a
    // slow one (a million points) does not redraw for search hits at all.
    const before = frames();
    box.value = "";
    box.dispatchEvent(new Event("input"));
    await new Promise((r) => setTimeout(r, 400));
    if (frames() > before || root().dataset.drawMs <= 150) await until(() => frames() > before);
  }
  await window.clear();
  delete root().dataset.listMs;
  const clock = { start: null, enter: null, last: null, changes: 0, redraws: 0 };
  window.searchClock = clock;
  const onKey = (event) => {
    clock.start ??= performance.now();
    if (event.key === "Enter") clock.enter = performance.now();
  };
  window.addEventListener("keydown", onKey, { capture: true });
  clock.observer = new MutationObserver((records) => {
    if (clock.enter === null) return;
    clock.changes += 1;
    clock.redraws += records.filter((r) => r.attributeName === "data-frames").length;
    clock.last = performance.now();
    const seen = clock.changes;
    painted().then(() => { if (clock.changes === seen) clock.painted = performance.now(); });
  });
  clock.observer.observe(root(), { attributeFilter: ["data-frames", "data-list-ms"] });
  clock.stop = () => {
    clock.observer.disconnect();
    window.removeEventListener("keydown", onKey, { capture: true });
  };
};
window.searchDone = async (quietMs) => {
  const clock = window.searchClock;
  const listed = until(() => root().dataset.listMs !== undefined);
  await within(listed, "selection list after Enter");
  await until(() => clock.painted && performance.now() - clock.last > quietMs);
  clock.stop();
  const message = root().querySelector(".ew-message").textContent;
  const said = `${message}; ${clock.redraws} redraws after Enter`;
  return [clock.painted - clock.start, clock.painted - clock.enter, said];
};
</script>"""


def layout(n, group, seed=0):
    """(n, 2) float32 positions in [-1, 1] and the texts: a cloud in the middle,
    ``group`` points in one tight spot at GROUP_AT (the last ``group`` indices but one),
    the last point alone at LONE_AT, and nothing near EMPTY_AT."""
    rng = np.random.default_rng(seed)
    xy = np.clip(rng.normal(scale=0.2, size=(n, 2)), -0.5, 0.5)
    xy[n - 1 - group : n - 1] = GROUP_AT + rng.normal(scale=0.01, size=(group, 2))
    xy[n - 1] = LONE_AT
    texts = [f"p{i} {WORD}" if i % EVERY == 7 else f"p{i}" for i in range(n)]
    texts[n - 1] = LONE_TEXT
    return xy.astype(np.float32), texts


def measure(n, group, repeats):
    """The median ms of each of KEYS (the first of each action's rounds left out), how
    many points the lasso selected, and what the search box said of its matches."""
    from playwright.sync_api import sync_playwright

    xy, texts = layout(n, group)
    wire = base64.b64encode(positions_to_bytes(xy)).decode()
    page_html = widget_page.page(SCRIPT, WIDTH, HEIGHT).replace("</body>", TIMERS + "</body>")
    times = {key: [] for key in KEYS}
    with widget_page.site({"index.html": page_html}) as (_, url):
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": WIDTH + 40, "height": HEIGHT + 400})
            page.set_default_timeout(300_000)
            page.goto(f"{url}/index.html")
            page.evaluate("([p, t]) => window.start(p, t)", [wire, texts])
            box = page.locator("canvas.ew-canvas").bounding_box()
            search = page.locator("input.ew-search")
            rounds = range(repeats + 1)  # the first of each warms up
            for _ in rounds:
                page.evaluate("() => window.clear()")
                times["frame"].append(page.evaluate("() => window.frame()"))
            # Searches first: the lasso after them must still select (it once did not at
            # a million points, when regl-scatterplot rebuilt its index in a worker).
            for _ in rounds:
                page.evaluate("() => window.armSearch()")
                search.focus()
                page.keyboard.type(WORD)
                page.keyboard.press("Enter")
                quiet_ms = 1.5 * max(times["frame"])
                search_ms, enter_ms, message = page.evaluate(
                    "(q) => window.searchDone(q)", quiet_ms
                )
                times["search"].append(search_ms)
                times["enter"].append(enter_ms)
            for _ in rounds:
                page.evaluate("() => window.clear()")
                page.evaluate("() => window.armLassoSplit()")
                # The page painted after each side: at a million points a frame takes
                # long enough that Chromium would merge the mouse moves of a quick drag
                # into too few for regl-scatterplot's lasso.
                drag_square(
                    page, *screen_of(box, GROUP_AT), 0.06 * box["height"],
                    after_side=lambda: page.evaluate("() => window.painted()"),
                )  # fmt: skip
                split = page.evaluate("() => window.lassoSplit()")
                for key, value in zip(KEYS[1:5], split, strict=True):
                    times[key].append(value)
            lassoed = _selected(page)
            for _ in rounds:
                page.mouse.move(*screen_of(box, EMPTY_AT))
                page.evaluate("() => window.armHover()")
                page.mouse.move(*screen_of(box, LONE_AT))
                hover_ms, shown_ms = page.evaluate("(t) => window.hoverDone(t)", LONE_TEXT)
                times["hover"].append(hover_ms)
                times["tooltip"].append(shown_ms)
            browser.close()
    median = {key: statistics.median(values[1:]) for key, values in times.items()}
    return median, lassoed, message


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--group", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not 0 < args.group < args.n - 1:
        parser.error("--group must be between 1 and n - 2")
    ms, lassoed, message = measure(args.n, args.group, args.repeats)
    frame = ms["frame"]
    rows = [
        ("one redraw of the picture (baseline)", ms["frame"]),
        (f"lasso ({lassoed:,} points): release to list painted", ms["lasso"]),
        ("  release to select event (regl-scatterplot)", ms["select"]),
        ("  select event to list built (JS listMs)", ms["list"]),
        ("  list built to painted", ms["paint"]),
        ("hover: mouse move to tooltip painted", ms["hover"]),
        ("  mouse move to tooltip shown", ms["tooltip"]),
        (f'search: type "{WORD}" + Enter to matches painted', ms["search"]),
        ("  Enter to matches painted", ms["enter"]),
    ]
    print(
        f"Headless Chromium (SwiftShader), {args.n:,} points, median of {args.repeats}"
        f" (after a warm-up round); search: {message}"
    )
    print(f"  {'action':<50} {'ms':>8} {'/ frame':>8}")
    for name, value in rows:
        print(f"  {name:<50} {value:8.1f} {value / frame:8.2f}")


if __name__ == "__main__":
    main()
