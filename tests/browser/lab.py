"""Drive a real JupyterLab in a real (headless) Chromium, for the widget tests.

The fixtures in ``conftest.py`` start one JupyterLab server and one Chromium per test
session; the functions here are what a test calls on a playwright ``page``::

    write_notebook(lab_server.root, "t.ipynb", ["print(1 + 1)"])
    open_notebook(page, "t.ipynb")
    run_all(page)
    assert cell_output_text(page, 0) == "2"

Cells are addressed by their 0-based index in the notebook. Every wait is on a condition
(kernel status, an output showing up); the one pause is between re-runs in `rerun_until`.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

#: Debian's Chromium (`make browser` installs it); EMBEDWIDGET_CHROMIUM names another one.
CHROMIUM = os.environ.get("EMBEDWIDGET_CHROMIUM", "/usr/bin/chromium")

# ENVIRONMENT.md's flags, plus the two that keep WebGL2 on the software renderer
# (SwiftShader). Chromium 156 falls back to SwiftShader by itself under --disable-gpu;
# newer ones only do so when told to with --enable-unsafe-swiftshader.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]

#: Playwright timeout (ms) for every wait of these helpers: generous, since the machine
#: that runs the tests may be busy (kernel start, first import of a widget's ESM).
TIMEOUT_MS = 90_000
ARTIFACTS = Path(__file__).parent / "artifacts"

# Lab extensions the widget tests cannot do without; checked when the server starts.
REQUIRED_LABEXTENSIONS = ("anywidget", "@jupyter-widgets/jupyterlab-manager")

# User settings written into the isolated JUPYTERLAB_SETTINGS_DIR: render every cell
# (no windowing, so `.jp-Cell` nth(i) is cell i), and no news/update toasts or
# extension manager that would reach the network.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}

CELL = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"


# --------------------------------------------------------------------------- server


@dataclass
class LabServer:
    """A running JupyterLab: ``url`` ends in "/", ``root`` is its root_dir."""

    url: str
    token: str
    root: Path
    home: Path
    process: subprocess.Popen
    log_path: Path
    env: dict = field(repr=False, default_factory=dict)

    def api(self, path: str, method: str = "GET", timeout: float = 10) -> bytes:
        """Call the server's REST API (``path`` without the leading "/")."""
        request = urllib.request.Request(
            self.url + path,
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method == "POST" else None,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lab_env(home: Path) -> dict:
    """The environment of the server and its kernels: every Jupyter folder under ``home``.

    JUPYTER_DATA_DIR only replaces the user's data folder; lab extensions and kernel
    specs installed in the virtual environment (``sys.prefix/share/jupyter``) are still
    found, as they come from the environment's own path.
    """
    dirs = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": home / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": home / "lab-workspaces",
        "IPYTHONDIR": home / "ipython",
    }
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update({key: str(value) for key, value in dirs.items()})
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        JUPYTER_PLATFORM_DIRS="1",
        JUPYTER_PREFER_ENV_PATH="1",
        PYTHONUNBUFFERED="1",
    )
    for plugin, settings in LAB_SETTINGS.items():
        path = dirs["JUPYTERLAB_SETTINGS_DIR"] / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    return env


def console_script(name: str) -> str:
    """The console script ``name`` of the tests' environment (else the one on PATH)."""
    script = Path(sys.executable).parent / name
    return str(script) if script.exists() else shutil.which(name) or name


def launch(cmd: list[str], cwd: Path, env: dict, log_path: Path) -> subprocess.Popen:
    """Start a server in its own session, its output into ``log_path``."""
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_up(process, probe: Callable[[], object], log_path: Path, what: str, timeout):
    """Call ``probe`` until it stops raising ``OSError``; ``RuntimeError`` with the
    server's log if the process exits first or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"{what} exited with code {process.returncode}:\n"
                + log_path.read_text(errors="replace")
            )
        try:
            probe()
            return
        except (OSError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{what} did not answer within {timeout:.0f} s:\n"
                    + log_path.read_text(errors="replace")
                ) from None
            time.sleep(0.1)


def start_jupyter(
    home: Path, app: str, options: list[str], page: str, what: str, timeout: float = 90
) -> LabServer:
    """Start the Jupyter server application ``app`` ("lab", "notebook") with every Jupyter
    folder under ``home`` and root_dir ``home/"root"``, on 127.0.0.1, a free port, a
    token, no browser, no terminals, no extension manager or update check, plus
    ``options``. Returns once it answers and its page ``page`` loads the lab extensions
    the widgets need; raises ``RuntimeError`` (with the server's log) otherwise."""
    home = Path(home)
    root = home / "root"
    root.mkdir(parents=True, exist_ok=True)
    env = lab_env(home)
    port, token = _free_port(), secrets.token_hex(24)
    cmd = [
        console_script("jupyter"),
        app,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        # JupyterLab's server extension loads in Notebook 7's server as well.
        "--LabApp.extension_manager=readonly",  # the "pypi" one asks the package index
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        *options,
    ]
    if os.getuid() == 0:
        cmd.append("--allow-root")
    log_path = home / f"jupyter-{app}.log"
    process = launch(cmd, root, env, log_path)
    server = LabServer(f"http://127.0.0.1:{port}/", token, root, home, process, log_path, env)
    try:
        wait_until_up(process, lambda: server.api("api/status", timeout=2), log_path, what, timeout)
        loaded = page_extensions(server, page)
    except Exception:
        stop_lab(server)
        raise
    missing = [name for name in REQUIRED_LABEXTENSIONS if name not in loaded]
    if missing:
        stop_lab(server)
        raise RuntimeError(
            f"{what} does not load the lab extension(s) {missing} (it loads {loaded}): "
            "are anywidget and jupyterlab_widgets installed in the tests' environment?"
        )
    return server


def start_lab(home: Path, timeout: float = 90) -> LabServer:
    """Start JupyterLab (see ``start_jupyter``) with ``window.jupyterapp`` exposed."""
    options = ["--LabApp.expose_app_in_browser=True", "--LabServerApp.open_browser=False"]
    return start_jupyter(home, "lab", options, "lab", "JupyterLab", timeout)


def page_extensions(server: LabServer, path: str) -> list[str]:
    """Names of the prebuilt (federated) lab extensions the server's page ``path`` loads."""
    html = server.api(path, timeout=30).decode()
    start = html.index(">", html.index('id="jupyter-config-data"')) + 1
    config = json.loads(html[start : html.index("</script>", start)])
    return sorted(ext["name"] for ext in config.get("federated_extensions", []))


def lab_extensions(server: LabServer) -> list[str]:
    """Names of the prebuilt lab extensions the Lab page will load."""
    return page_extensions(server, "lab")


def stop_process(process: subprocess.Popen, timeout: float = 20, before=None) -> None:
    """Stop ``process`` and whatever it started: ``before()`` (a polite shutdown) and up
    to ``timeout`` s for it if given, then SIGTERM, then SIGKILL; its children by PID."""
    import psutil  # ipykernel's dependency

    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    if before is not None and process.poll() is None:
        before()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for child in children:  # kernels the server failed to stop
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


def stop_lab(server: LabServer, timeout: float = 20) -> None:
    """Shut the server and its kernels down: politely through the API, then by PID."""

    def shutdown():
        try:
            server.api("api/shutdown", method="POST", timeout=5)
        except (OSError, urllib.error.URLError):
            pass

    stop_process(server.process, timeout, before=shutdown)


@contextmanager
def browser_tab(request, browser, base_url: str, log_path: Path, token: str | None = None):
    """A new tab whose base_url is ``base_url`` (a server), with generous timeouts, logged
    in with ``token`` if given; ``tab.console_lines`` collects the browser console and
    page errors. When the test fails (an exception through here, or the test's report,
    which conftest's hook keeps on the node) a screenshot, the console and the server's
    log ``log_path`` go to tests/browser/artifacts/<test>/."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.console_lines = []
    tab.on("console", lambda msg: tab.console_lines.append(f"[{msg.type}] {msg.text}"))
    tab.on("pageerror", lambda err: tab.console_lines.append(f"[pageerror] {err}"))
    failed = False
    try:
        if token is not None:
            # A token in the URL logs the browser in: the server answers with a cookie.
            response = tab.goto(f"api/status?token={token}")
            assert response is not None and response.ok, f"could not log in to {base_url}"
        yield tab
    except BaseException:
        failed = True
        raise
    finally:
        failed = failed or any(
            getattr(getattr(request.node, f"report_{when}", None), "failed", False)
            for when in ("setup", "call")
        )
        if failed:
            _save_artifacts(request, tab, log_path)
        context.close()


def _save_artifacts(request, tab, log_path: Path) -> None:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        tab.screenshot(path=folder / "page.png", full_page=True, timeout=10_000)
    except Exception as error:  # the page may be what broke
        (folder / "page.png.error.txt").write_text(repr(error))
    (folder / "console.txt").write_text("\n".join(tab.console_lines))
    shutil.copy(log_path, folder / log_path.name)
    print(f"browser test artifacts: {folder}")


# ------------------------------------------------------------------------- notebooks


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


def screen_point(canvas, bounds, xy):
    """Where data point ``xy`` of a two-column X is on the screen, for clicks and drags.

    The widget's JS maps ``bounds`` (its ``_bounds``) with one scale into 95% of the
    canvas, whose width shows x in [-aspect, aspect] and whose height shows y in [-1, 1]
    (regl-scatterplot's view), centred."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    xmin, xmax, ymin, ymax = bounds
    aspect = box["width"] / box["height"]
    scale = 0.95 * min(aspect / ((xmax - xmin) / 2), 1 / ((ymax - ymin) / 2))
    nx, ny = (xy[0] - (xmin + xmax) / 2) * scale, (xy[1] - (ymin + ymax) / 2) * scale
    return (
        box["x"] + box["width"] / 2 + nx * box["height"] / 2,
        box["y"] + box["height"] / 2 - ny * box["height"] / 2,
    )


def screenshot(locator, path: Path | str | None = None) -> bytes:
    """PNG of ``locator`` as the page shows it (WebGL canvases included); also written
    to ``path`` when given."""
    locator.scroll_into_view_if_needed()
    return locator.screenshot(path=path, animations="disabled")


# ------------------------------------------------------------------------------ PNG


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """Decode an 8-bit RGB/RGBA non-interlaced PNG (what Chromium's screenshots are)
    into ``(width, height, [(r, g, b, a), ...])``, row by row. Stdlib only.

    >>> import struct, zlib
    >>> def chunk(kind, body):
    ...     return (struct.pack(">I", len(body)) + kind + body
    ...             + struct.pack(">I", zlib.crc32(kind + body)))
    >>> png = (b"\\x89PNG\\r\\n\\x1a\\n"
    ...        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
    ...        + chunk(b"IDAT", zlib.compress(b"\\x00" + bytes([255, 0, 0, 0, 0, 255])))
    ...        + chunk(b"IEND", b""))
    >>> png_pixels(png)
    (2, 1, [(255, 0, 0, 255), (0, 0, 255, 255)])
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (bit depth {depth}, colour type {color})")
    bpp = 4 if color == 6 else 3
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    pixels = []
    for line in rows:
        for x in range(width):
            px = tuple(line[x * bpp : x * bpp + bpp])
            pixels.append(px if bpp == 4 else (*px, 255))
    return width, height, pixels


def colour_share(pixels, rgb: tuple[int, int, int], tolerance: int = 12) -> float:
    """Fraction of ``pixels`` within ``tolerance`` (per channel) of colour ``rgb``."""
    near = sum(all(abs(p[k] - rgb[k]) <= tolerance for k in range(3)) for p in pixels)
    return near / max(len(pixels), 1)
