"""The servers and the browser tab of the real-browser tests.

``start_lab`` starts a JupyterLab with every Jupyter folder of its own under a temp
folder (``hosts.py`` starts Notebook 7 and marimo with the same parts); ``browser_tab``
opens a logged-in Chromium tab on one, and keeps a screenshot, the browser console and
the server's log when the test using it fails. What a test then does in the page is in
``notebook.py`` (cells, kernel) and ``pixels.py`` (where points are, what is drawn).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

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


def free_port() -> int:
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
    port, token = free_port(), secrets.token_hex(24)
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
