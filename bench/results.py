"""Writes a bench's output into bench/RESULTS.md, so the figures there come from runs.

A recorded section of RESULTS.md lies between two marker comments::

    <!-- section: live.py --only python -->
    ...
    <!-- /section -->

``record(name, markdown)`` replaces what lies between the markers of ``name``, and leaves
the rest of the file alone. A new section goes at the end of the part headed by its
script's name (``## live.py``), or at the end of the file. ``recording()`` does the same
for what a block of code prints: the output still goes to the terminal, and into the
section named after the command line (a rerun of the same command replaces it), as a
code block under that command and the date::

    if __name__ == "__main__":
        with results.recording():
            main()
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import re
import shlex
import sys
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
END = "<!-- /section -->"


def record(name, markdown, path=None):
    """Put ``markdown`` between the markers of section ``name`` of ``path`` (RESULTS.md)."""
    path = Path(path or RESULTS)
    text = path.read_text() if path.exists() else ""
    begin = f"<!-- section: {name} -->"
    block = f"{begin}\n{markdown.strip()}\n{END}"
    existing = re.compile(re.escape(begin) + r"\n.*?" + re.escape(END), flags=re.S)
    if existing.search(text):
        text = existing.sub(lambda _: block, text, count=1)
    else:
        text = _insert(text, block, heading=f"## {name.split()[0]}")
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    os.replace(temporary, path)  # a reader never sees half a file


def _insert(text, block, heading):
    """``text`` with ``block`` at the end of the part under ``heading``, else at the end."""
    lines = text.splitlines()
    if heading in lines:
        start = lines.index(heading) + 1
        end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), None)
        if end is not None:
            before = "\n".join(lines[:end]).rstrip()
            return f"{before}\n\n{block}\n\n" + "\n".join(lines[end:]) + "\n"
    return f"{text.rstrip()}\n\n{block}\n" if text.strip() else f"{block}\n"


def command_line():
    """The running bench's command line as typed in bench/: script and arguments."""
    return shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]])


@contextlib.contextmanager
def recording(name=None):
    """Print as usual inside the block; then record what was printed as section ``name``
    (by default the command line). Nothing is recorded if the block raises."""
    name = name or command_line()
    terminal, printed = sys.stdout, io.StringIO()

    class Tee(io.TextIOBase):
        def write(self, s):
            printed.write(s)
            return terminal.write(s)

        def flush(self):
            terminal.flush()

    with contextlib.redirect_stdout(Tee()):
        yield
    threads = os.environ.get("OMP_NUM_THREADS")
    typed = f"{f'OMP_NUM_THREADS={threads} ' if threads else ''}python {command_line()}"
    today = datetime.date.today().isoformat()
    record(name, f"`{typed}`, {today}:\n\n```text\n{printed.getvalue().strip()}\n```")
