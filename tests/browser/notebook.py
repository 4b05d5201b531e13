"""Drive a notebook open in JupyterLab (or Notebook 7) from a playwright ``page``::

    write_notebook(lab_server.root, "t.ipynb", ["print(1 + 1)"])
    open_notebook(page, "t.ipynb")
    run_all(page)
    assert cell_output_text(page, 0) == "2"

Cells are addressed by their 0-based index in the notebook. Every wait is on a condition
(kernel status, an output showing up); the one pause is between re-runs in `rerun_until`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import nbformat

from .server import TIMEOUT_MS

CELL = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"


def write_notebook(folder: Path | str, name: str, cells: list[str]) -> Path:
    """Write a notebook of code ``cells`` (sources) with the python3 kernel; return its path."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


_PANEL_JS = """
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    if (!panel || !panel.sessionContext || !panel.content || !panel.content.widgets) {
        throw new Error("the current JupyterLab tab is not a notebook");
    }
"""


def open_notebook(page, name: str, timeout: float = TIMEOUT_MS, url: str | None = None) -> None:
    """Open notebook ``name`` (relative to the server root) in a reset JupyterLab
    workspace, or at ``url`` (another Jupyter front end), and wait until its kernel is
    started and idle. The page's base_url is the server (fixture)."""
    page.goto(url or f"lab/tree/{name}?reset", timeout=timeout)
    page.wait_for_function(
        """(name) => {
            const app = window.jupyterapp;
            const panel = app && app.shell && app.shell.currentWidget;
            return !!(panel && panel.context && panel.context.path === name
                      && panel.context.isReady);
        }""",
        arg=name,
        timeout=timeout,
        polling=100,
    )
    wait_for_idle(page, timeout)


def wait_for_idle(page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the current notebook's kernel is connected and idle."""
    page.wait_for_function(
        """() => {
            const panel = window.jupyterapp.shell.currentWidget;
            const session = panel && panel.sessionContext;
            const kernel = session && session.session && session.session.kernel;
            return !!(kernel && session.isReady && kernel.connectionStatus === "connected"
                      && kernel.status === "idle");
        }""",
        timeout=timeout,
        polling=100,
    )


def run_all(page, timeout: float = TIMEOUT_MS) -> None:
    """Run every cell of the current notebook; return when all ran and the kernel is idle.
    Raises ``AssertionError`` with the traceback when a cell fails (Lab stops there)."""
    page.evaluate(
        "async () => {"
        + _PANEL_JS
        + """
        for (const cell of panel.content.widgets) {
            if (cell.model.type === "code") cell.model.executionCount = null;
        }
        await app.commands.execute("notebook:run-all-cells");
        }"""
    )
    _wait_executed(page, range(cell_count(page)), timeout)


def run_cell(page, index: int, timeout: float = TIMEOUT_MS) -> None:
    """Run cell ``index`` (again); return when it ran and the kernel is idle.
    Raises ``AssertionError`` with the traceback when the cell fails."""
    page.evaluate(
        "async (index) => {"
        + _PANEL_JS
        + """
        if (index < 0 || index >= panel.content.widgets.length) {
            throw new Error(`no cell ${index}: the notebook has ${panel.content.widgets.length}`);
        }
        const model = panel.content.widgets[index].model;
        model.executionCount = null;  // so the wait below sees this run, not the last one
        panel.content.activeCellIndex = index;
        panel.content.deselectAll();
        await app.commands.execute("notebook:run-cell");
        }""",
        index,
    )
    _wait_executed(page, [index], timeout)


def _wait_executed(page, indices, timeout: float) -> None:
    """Wait until the cells ran (or one failed, after which Lab runs no more), then idle."""
    page.wait_for_function(
        """(indices) => {
            const cells = window.jupyterapp.shell.currentWidget.content.widgets;
            const failed = indices.some((i) => cells[i].model.type === "code"
                && cells[i].model.outputs.toJSON().some((o) => o.output_type === "error"));
            return failed || indices.every((i) => cells[i].model.type !== "code"
                                                  || cells[i].model.executionCount !== null);
        }""",
        arg=list(indices),
        timeout=timeout,
        polling=100,
    )
    wait_for_idle(page, timeout)
    errors = error_outputs(page, indices)
    if errors:
        raise AssertionError("a cell failed in the browser:\n" + "\n\n".join(errors))


def cell_count(page) -> int:
    return page.evaluate("() => {" + _PANEL_JS + "return panel.content.widgets.length; }")


def cell(page, index: int):
    """The playwright locator of cell ``index`` of the open notebook."""
    return page.locator(CELL).nth(index)


def cell_output(page, index: int):
    """The locator of cell ``index``'s output area (widgets render inside it)."""
    return cell(page, index).locator(".jp-OutputArea")


def cell_output_text(page, index: int) -> str:
    """The text of cell ``index``'s outputs as the page shows it, stripped."""
    return page.evaluate(
        "(index) => {"
        + _PANEL_JS
        + """
        const node = panel.content.widgets[index].node.querySelector(".jp-OutputArea");
        return node ? node.innerText : "";
        }""",
        index,
    ).strip()


def wait_for_output(page, index: int, text: str, timeout: float = TIMEOUT_MS) -> str:
    """Wait until cell ``index``'s output contains ``text``; return the whole output text."""
    page.wait_for_function(
        """([index, text]) => {
            const panel = window.jupyterapp.shell.currentWidget;
            const node = panel.content.widgets[index].node.querySelector(".jp-OutputArea");
            return !!node && node.innerText.includes(text);
        }""",
        arg=[index, text],
        timeout=timeout,
        polling=100,
    )
    return cell_output_text(page, index)


def error_outputs(page, indices=None) -> list[str]:
    """The tracebacks (plain text) of the error outputs of cells ``indices`` (all: None)."""
    return page.evaluate(
        "(indices) => {"
        + _PANEL_JS
        + """
        const strip = (s) => s.replace(/\\x1b\\[[0-9;]*m/g, "");
        return panel.content.widgets.flatMap((cell, i) =>
            cell.model.type !== "code" || (indices && !indices.includes(i)) ? [] :
            cell.model.outputs.toJSON()
                .filter((out) => out.output_type === "error")
                .map((out) => `cell ${i}: ` + strip(out.traceback.join("\\n"))));
        }""",
        None if indices is None else list(indices),
    )


def rerun_until(
    page,
    index: int,
    check: str | Callable[[str], bool],
    timeout: float = TIMEOUT_MS,
) -> str:
    """Read a kernel-side value after a browser action: re-run cell ``index`` (one that
    prints the value) until its output contains ``check`` (a string) or ``check(text)``
    is true; return the output text. Re-running is needed because a widget's change
    reaches the kernel asynchronously (ipywidgets may hold it back while busy)."""
    ok = (lambda text: check in text) if isinstance(check, str) else check
    deadline = time.monotonic() + timeout / 1000
    while True:
        run_cell(page, index, timeout)
        text = cell_output_text(page, index)
        if ok(text):
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"cell {index} never printed {check!r}; last output: {text!r}")
        page.wait_for_timeout(200)


def kernel_stdout(page, code: str, timeout: float = TIMEOUT_MS) -> str:
    """Run ``code`` in the open notebook's kernel, outside any cell, and return what it
    printed (stdout). Raises ``AssertionError`` with the traceback if it fails."""
    result = page.evaluate(
        "async ([code, timeout]) => {"
        + _PANEL_JS
        + """
        const kernel = panel.sessionContext.session.kernel;
        const out = [], errors = [];
        const future = kernel.requestExecute({code, silent: false, store_history: false});
        future.onIOPub = (msg) => {
            const type = msg.header.msg_type;
            if (type === "stream" && msg.content.name === "stdout") out.push(msg.content.text);
            if (type === "error") errors.push(msg.content.traceback.join("\\n"));
        };
        const timer = new Promise((_, reject) =>
            setTimeout(() => reject(new Error("kernel_stdout timed out")), timeout));
        await Promise.race([future.done, timer]);
        return {out: out.join(""), errors};
        }""",
        [code, timeout],
    )
    if result["errors"]:
        raise AssertionError("kernel code failed:\n" + "\n".join(result["errors"]))
    return result["out"]


def kernel_until(
    page, code: str, check: str | Callable[[str], bool], timeout: float = TIMEOUT_MS
) -> str:
    """Run ``code`` in the kernel (``kernel_stdout``) until what it prints contains
    ``check`` (a string) or ``check(printed)`` is true; return that output. For the
    kernel's view of a browser action, which reaches it asynchronously."""
    ok = (lambda text: check in text) if isinstance(check, str) else check
    deadline = time.monotonic() + timeout / 1000
    while True:
        text = kernel_stdout(page, code, timeout)
        if ok(text):
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"{code!r} never printed {check!r}; last output: {text!r}")
        page.wait_for_timeout(200)


def open_widget(page, folder: Path | str, name: str, cells: list[str]):
    """Write a notebook of ``cells``, open it, run the first (it shows a widget ``w``) and
    return the widget's root and canvas once its picture is drawn, scrolled into view."""
    write_notebook(folder, name, cells)
    open_notebook(page, name)
    run_cell(page, 0)
    root = cell_output(page, 0).locator(".ew-root")
    root.and_(page.locator("[data-frames]")).wait_for()
    canvas = root.locator("canvas.ew-canvas")
    canvas.scroll_into_view_if_needed()
    return root, canvas


def widget_bounds(page) -> list[float]:
    """The view bounds [xmin, xmax, ymin, ymax] the kernel's widget ``w`` sent."""
    return json.loads(kernel_stdout(page, "import json; print(json.dumps(w._bounds))"))
