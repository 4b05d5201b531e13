"""Other hosts of the widgets than JupyterLab: Jupyter Notebook 7 and marimo.

Notebook 7 is built from JupyterLab's pieces: started with
``--JupyterNotebookApp.expose_app_in_browser=True`` it has ``window.jupyterapp`` too, its
``shell.currentWidget`` is the open notebook's panel, and so ``notebook.py``'s helpers that
take a page (``run_cell``, ``rerun_until``, ``kernel_stdout``, ``cell_output``...) work on it
as they are. Only starting the server and opening a notebook differ; they are here.

marimo serves an app (a Python file) of its own; ``start_marimo`` runs ``marimo run`` on
one with every marimo folder under a temp folder.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .notebook import open_notebook
from .server import (
    TIMEOUT_MS,
    LabServer,
    console_script,
    free_port,
    launch,
    start_jupyter,
    stop_process,
    wait_until_up,
)

# ---------------------------------------------------------------------- Notebook 7


def start_notebook(home: Path, timeout: float = 90) -> LabServer:
    """Start Jupyter Notebook 7 as ``server.start_lab`` starts JupyterLab (see
    ``server.start_jupyter``), ``window.jupyterapp`` exposed. Stop it with
    ``server.stop_lab``."""
    options = ["--JupyterNotebookApp.expose_app_in_browser=True"]
    return start_jupyter(home, "notebook", options, "tree", "Jupyter Notebook 7", timeout)


def open_notebook7(page, name: str, timeout: float = TIMEOUT_MS) -> None:
    """Open notebook ``name`` in Notebook 7 (``/notebooks/<name>``) and wait until its
    kernel is started and idle. The page's base_url is the server."""
    open_notebook(page, name, timeout, url=f"notebooks/{name}")


# -------------------------------------------------------------------------- marimo


@dataclass
class MarimoServer:
    """``marimo run`` serving one app; open ``url`` (it carries the access token)."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_marimo(home: Path, app: Path, timeout: float = 90) -> MarimoServer:
    """Run the marimo app file ``app`` (read-only app mode, headless, 127.0.0.1, a
    token, a free port) with marimo's config, cache and state folders under ``home``.
    Stop it with ``stop_marimo``."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        MARIMO_SKIP_UPDATE_CHECK="1",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    port, token = free_port(), secrets.token_hex(24)
    cmd = [
        console_script("marimo"),
        "run",
        str(app),
        "--headless",
        "--host=127.0.0.1",
        f"--port={port}",
        "--token",
        f"--token-password={token}",
        "--no-sandbox",
    ]
    log_path = home / "marimo.log"
    process = launch(cmd, Path(app).parent, env, log_path)
    base = f"http://127.0.0.1:{port}/"
    server = MarimoServer(f"{base}?access_token={token}", process, log_path)
    try:
        wait_until_up(process, lambda: _get(f"{base}health"), log_path, "marimo", timeout)
    except Exception:
        stop_marimo(server)
        raise
    return server


def stop_marimo(server: MarimoServer) -> None:
    stop_process(server.process)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.read()
