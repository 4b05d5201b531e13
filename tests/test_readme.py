"""The README's quickstart runs as written."""

import re
from pathlib import Path

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_quickstart_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "the README should show a Python quickstart"
    exec(compile(blocks[0], "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("(20, 10)")
    assert "good" in printed
