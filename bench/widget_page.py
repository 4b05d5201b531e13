"""The widget's browser bundle alone in a page, for the benches that time it in Chromium.

``page(script)`` is an HTML page that loads ``embedwidget/static``'s bundle and gives it a
stand-in for the widget model (``window.model``: traits in ``state``, ``set`` fires the
change handlers as a kernel's update would); ``script`` then drives it. ``site(pages)``
writes the bundle and the pages into a temporary folder and serves it on a free local port.
"""

from __future__ import annotations

import contextlib
import http.server
import tempfile
import threading
from pathlib import Path

STATIC = Path(__file__).parents[1] / "embedwidget" / "static"
BUNDLE = ("scatter.js", "scatter.css")

_HEAD = """<!doctype html><html><head><link rel="stylesheet" href="scatter.css"></head>
<body style="margin:0"><div id="out" style="width:%(width)dpx"></div><script type="module">
import widget from "./scatter.js";
const handlers = {};
const state = {};
window.model = {
  get: (k) => state[k], save_changes() {}, send() {},
  set(k, v) { state[k] = v; (handlers["change:" + k] || []).forEach((f) => f()); },
  on(e, f) { (handlers[e] ||= []).push(f); },
  off(e, f) { handlers[e] = (handlers[e] || []).filter((g) => g !== f); },
};
"""


def page(script, width, height):
    """The page: the bundle, the stand-in model, then ``script`` (JS, which may use
    ``widget``, ``state`` and ``%(height)d``) in the same module."""
    size = {"width": width, "height": height}
    return _HEAD % size + script % size + "</script></body></html>"


@contextlib.contextmanager
def site(pages):
    """Serve the bundle and ``pages`` ({file name: text}) from a temporary folder; yields
    the folder (to add files to) and the base URL."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in BUNDLE:
            (root / name).write_bytes((STATIC / name).read_bytes())
        for name, text in pages.items():
            (root / name).write_text(text)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args):
                super().__init__(*args, directory=folder)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield root, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            server.server_close()
