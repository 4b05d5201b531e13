"""How responsive EmbeddingScatter stays at a million points, in headless Chromium.

    .venv/bin/python bench/million.py [--n 1000000] [--group 10000] [--repeats 3]

The widget's bundle (embedwidget/static) runs in selection_list.py's page (a stand-in
for the widget model) with n points, each with a short text. Six things a person does,
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
  after the Enter key;
- legend click: from here on the points carry five labels (the ``_codes`` and
  ``label_names`` traits, every point but the lone one labelled, in turn; "one redraw,
  the points labelled" is the baseline's redraw then), nothing is selected, and the first
  label's legend entry (``.ew-legend-entry``) is clicked: from the mouse button's release
  to its points selected and the list drawn (``listMs`` set again), painted;
- invert: the group selected (the ``selection`` trait, as Python sets it), then key I
  pressed in the picture: from the key to the other points selected and listed, painted. A
  selection this large (over 50,000 points) is drawn as dots on a layer over the picture,
  not by regl-scatterplot (overlay.js); the time its dots took is given for both;
- zoom to selection: the group selected, then the "Zoom to selection" button clicked.
  Where the picture draws quickly (a frame under 150 ms), regl-scatterplot moves the view
  in an animation of a fixed 500 ms (its default duration: a design choice, not a cost),
  drawing as often as it can meanwhile; a slower picture (a million points) moves at once,
  in one render. The view is seen moving through the widget's own DOM: a signpost (the
  ``_topics`` trait, one region at the group) is placed again after every render, so a
  change of its place is a render of a moved view. Two times, from the button's release:
  to the first frame of the moved view painted (what is compared with a redraw), and to
  the last one painted, the view done moving ("done": it then holds still for longer
  than a redraw takes); the frames of the moving view are counted. Fit view (untimed)
  brings the view back between rounds.

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
import results
import widget_page
from selection_list import SCRIPT, WIDTH, _selected, drag_square, screen_of

from embedwidget.widgets.serializers import codes_to_bytes, positions_to_bytes

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))  # the Chromium driver
from browser.server import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

HEIGHT = 600
WORD, EVERY = "needle", 1_000  # the search word, and how often a text holds it
GROUP_AT, LONE_AT, EMPTY_AT = (0.75, 0.75), (-0.75, 0.75), (-0.75, -0.75)
LONE_TEXT = "the lone point"
LABELS = ("great", "good", "fine", "poor", "awful")
ANIMATION_MS = 500  # regl-scatterplot's default duration of a view's move
KEYS = ("frame", "lasso", "select", "list", "paint", "hover", "tooltip", "search", "enter")
ACTIONS = {  # the timings of each click or key: to the page painted, then its parts
    "legend": ("legend", "legend to select", "legend list", "legend paint", "legend dots"),
    "invert": ("invert", "invert to select", "invert list", "invert paint", "invert dots"),
}
VIEW_KEYS = ("zoom first", "zoom end", "zoom frames")

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
// The labels (five, every point but the lone one) and a signpost at the group, as the
// kernel would send them; then the redraw they cause, painted.
window.givePoints = async (codes, names, signpost) => {
  const before = frames();
  const bytes = Uint8Array.from(atob(codes), (c) => c.charCodeAt(0));
  window.model.set("label_names", names);
  window.model.set("_codes", new DataView(bytes.buffer));
  window.model.set("_topics", [signpost]);
  window.model.set("show_topics", true);
  await within(until(() => frames() > before), "redraw with the labels");
  await painted();
};

// A click or a key: the clock starts at the input (`event`: "mouseup", the button's
// release, or "keydown"), caught before the widget sees it; split at the selection made
// (the widget's listMs counts from there) and at the list's rows built; then painted.
// Last, what drawing a large selection's dots over the picture took (overlay.js).
window.armAction = (event) => {
  delete root().dataset.listMs;
  window.input = new Promise((resolve) => window.addEventListener(
    event, () => resolve(performance.now()), { capture: true, once: true }));
  window.listed = changed(root(), "data-list-ms");
};
window.actionDone = async () => {
  const t0 = await within(window.input, "input");
  const listed = await within(window.listed, "selection list");
  const listMs = Number(root().dataset.listMs);
  await painted();
  const end = performance.now();
  const dots = Number(root().querySelector(".ew-selection-layer").dataset.paintMs);
  return [end - t0, listed - listMs - t0, listMs, end - listed, dots];
};

// The view: every move of the signpost is a render of a moved view. The clock starts at
// the button's release; the first move painted, then the last one painted once nothing
// moved for `quietMs`.
window.armView = () => {
  const label = root().querySelector(".ew-signpost");
  const clock = { start: null, moves: [], first: null, last: null };
  window.viewClock = clock;
  window.addEventListener("mouseup", () => (clock.start = performance.now()),
    { capture: true, once: true });
  clock.observer = new MutationObserver((records) => {
    if (clock.start === null || records[0].oldValue === label.getAttribute("style")) return;
    clock.moves.push(performance.now());
    const seen = clock.moves.length;
    painted().then(() => {
      const at = performance.now();
      if (seen === 1) clock.first = at;
      if (clock.moves.length === seen) clock.last = at;
    });
  });
  clock.observer.observe(label, { attributeFilter: ["style"], attributeOldValue: true });
};
window.viewDone = async (quietMs) => {
  const clock = window.viewClock;
  await within(until(() => clock.first !== null), "the view moving");
  await until(() => clock.last !== null && performance.now() - clock.moves.at(-1) > quietMs);
  clock.observer.disconnect();
  return [clock.first - clock.start, clock.last - clock.start, clock.moves.length];
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


def label_codes(n):
    """Each point's label code: 1 to len(LABELS) in turn, 0 (unlabelled) for the lone point."""
    codes = (np.arange(n) % len(LABELS) + 1).astype(np.uint8)
    codes[n - 1] = 0
    return codes


def measure(n, group, repeats):
    """The median of each of KEYS, ACTIONS' and VIEW_KEYS (ms, or frames; the first of
    each action's rounds left out), how many points the lasso, the legend click and the
    invert selected, and what the search box said of its matches."""
    from playwright.sync_api import sync_playwright

    xy, texts = layout(n, group)
    wire = base64.b64encode(positions_to_bytes(xy)).decode()
    page_html = widget_page.page(SCRIPT, WIDTH, HEIGHT).replace("</body>", TIMERS + "</body>")
    names = [*KEYS, "labelled frame", *ACTIONS["legend"], *ACTIONS["invert"], *VIEW_KEYS]
    times = {key: [] for key in names}
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
            selected = {"lasso": lassoed}
            reading_actions(page, n, group, rounds, times)
            selected["legend"], selected["invert"] = times.pop("picked")
            browser.close()
    median = {key: statistics.median(values[1:]) for key, values in times.items()}
    return median, selected, message


def reading_actions(page, n, group, rounds, times):
    """Label the points, then time a redraw, a legend click, invert and zoom to selection
    into ``times``, in turn in each round (the machine's load drifts; the redraw beside
    them is their baseline); ``times["picked"]``: how many points the click and the
    invert selected."""
    codes = base64.b64encode(codes_to_bytes(label_codes(n), len(LABELS))).decode()
    signpost = {"keywords": "the group", "size": group, "x": GROUP_AT[0], "y": GROUP_AT[1]}
    page.evaluate("([c, l, s]) => window.givePoints(c, l, s)", [codes, list(LABELS), signpost])
    entry = page.locator('.ew-legend-entry[data-code="1"]')
    zoom = page.locator(".ew-root button", has_text="Zoom to selection")
    fit = page.locator(".ew-root button", has_text="Fit view")
    the_group = [n - 1 - group, n - 1]
    picked = []

    def timed(names, split):
        for key, value in zip(names, split, strict=True):
            times[key].append(value)

    for _ in rounds:
        page.evaluate("() => window.clear()")
        times["labelled frame"].append(page.evaluate("() => window.frame()"))
        quiet_ms = 1.5 * max(times["frame"] + times["labelled frame"])

        page.evaluate("() => window.armAction('mouseup')")
        entry.click()
        timed(ACTIONS["legend"], page.evaluate("() => window.actionDone()"))
        picked[:1] = [_selected(page)]

        page.evaluate("([a, b]) => window.viaSet(a, b)", the_group)
        page.focus(".ew-root")
        page.evaluate("() => window.armAction('keydown')")
        page.keyboard.press("I")
        timed(ACTIONS["invert"], page.evaluate("() => window.actionDone()"))
        picked[1:] = [_selected(page)]

        page.evaluate("([a, b]) => window.viaSet(a, b)", the_group)
        page.evaluate("() => window.armView()")
        zoom.click()
        timed(VIEW_KEYS, page.evaluate("(q) => window.viewDone(q)", quiet_ms))
        page.evaluate("() => window.armView()")
        fit.click()
        page.evaluate("(q) => window.viewDone(q)", quiet_ms)
    times["picked"] = picked


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--group", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not 0 < args.group < args.n - 1:
        parser.error("--group must be between 1 and n - 2")
    ms, selected, message = measure(args.n, args.group, args.repeats)
    rows = [
        ("one redraw of the picture (baseline)", ms["frame"]),
        (f"lasso ({selected['lasso']:,} points): release to list painted", ms["lasso"]),
        ("  release to select event (regl-scatterplot)", ms["select"]),
        ("  select event to list built (JS listMs)", ms["list"]),
        ("  list built to painted", ms["paint"]),
        ("hover: mouse move to tooltip painted", ms["hover"]),
        ("  mouse move to tooltip shown", ms["tooltip"]),
        (f'search: type "{WORD}" + Enter to matches painted', ms["search"]),
        ("  Enter to matches painted", ms["enter"]),
        None,  # the ratios below are to the redraw of the labelled points
        ("one redraw, the points labelled (baseline)", ms["labelled frame"]),
        (f"legend click ({selected['legend']:,} points): release to list painted", ms["legend"]),
        ("  release to selection made (click handling)", ms["legend to select"]),
        ("  selection made to list built (JS listMs)", ms["legend list"]),
        ("  list built to painted", ms["legend paint"]),
        ("    of it, the selection's dots drawn (overlay.js)", ms["legend dots"]),
        (f"invert (to {selected['invert']:,} points): key I to list painted", ms["invert"]),
        ("  key to selection made", ms["invert to select"]),
        ("  selection made to list built (JS listMs)", ms["invert list"]),
        ("  list built to painted", ms["invert paint"]),
        ("    of it, the selection's dots drawn (overlay.js)", ms["invert dots"]),
        ("zoom to selection: release to the moved view painted", ms["zoom first"]),
        ("  release to the view done moving", ms["zoom end"]),
    ]
    print(
        f"Headless Chromium (SwiftShader), {args.n:,} points, median of {args.repeats}"
        f" (after a warm-up round); search: {message}"
    )
    print(f"  {'action':<56} {'ms':>8} {'/ frame':>8}")
    frame = ms["frame"]
    for row in rows:
        if row is None:
            frame = ms["labelled frame"]
            continue
        name, value = row
        print(f"  {name:<56} {value:8.1f} {value / frame:8.2f}")
    print(
        f"  zoom to selection: {ms['zoom frames']:.0f} frame(s) of the moving view drawn; the"
        f" view animates ({ANIMATION_MS} ms, a design choice, not a cost) only where a frame"
        " draws in under 150 ms"
    )


if __name__ == "__main__":
    with results.recording():
        main()
