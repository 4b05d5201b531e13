"""Fixtures of the real-browser tests: one JupyterLab and one Chromium per session.

- ``lab_server``: the running JupyterLab (``server.LabServer``); write notebooks into
  ``lab_server.root``.
- ``browser``: playwright's Chromium (Debian's /usr/bin/chromium, WebGL2 on SwiftShader).
- ``page``: a fresh, logged-in tab per test whose base_url is the server, so
  ``notebook.open_notebook(page, "x.ipynb")`` works. When a test fails, a screenshot, the
  browser console and the server log land in tests/browser/artifacts/<test>/.

Chromium comes from ``make browser`` (apt-get); a missing one fails the tests, it does
not skip them.
"""

from __future__ import annotations

import os

import pytest

from .server import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, browser_tab, start_lab, stop_lab


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab in a real Chromium")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """A JupyterLab on 127.0.0.1, everything of it under a temp folder; stopped by PID."""
    server = start_lab(tmp_path_factory.mktemp("jupyterlab"))
    yield server
    stop_lab(server)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by playwright (never `playwright install`)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. Run "
            "`make browser` (or `apt-get update && apt-get install -y chromium`), or set "
            "EMBEDWIDGET_CHROMIUM to another Chromium.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(request, browser, lab_server):
    """A new tab, logged in to ``lab_server`` (its base_url), with generous timeouts.
    ``page.console_lines`` collects the browser console and page errors."""
    with browser_tab(
        request, browser, lab_server.url, lab_server.log_path, token=lab_server.token
    ) as tab:
        yield tab
