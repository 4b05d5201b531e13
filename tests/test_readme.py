"""The README's snippets run as written, one after the other, as a reader would paste them."""

import re
import time
from pathlib import Path

import numpy as np

README = (Path(__file__).parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_quickstart_runs(capsys):
    assert BLOCKS, "the README should show a Python quickstart"
    exec(compile(BLOCKS[0], "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("(20, 10)")
    assert "good" in printed


def test_every_snippet_runs_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the snippets write labels.db and vectors.npy here
    namespace = {"__name__": "readme"}  # the multi-process block runs only as __main__
    for block in BLOCKS:
        exec(compile(block, "README.md", "exec"), namespace)
    scatter, widget = namespace["scatter"], namespace["widget"]
    assert scatter.positions.shape == (20, 2)
    deadline = time.monotonic() + 60
    while widget.step < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    widget.stop()
    assert widget.step >= 3 and widget.error == ""
    # the chunked, memory-mapped encoding gives the vectors the widgets were shown
    assert np.allclose(np.asarray(namespace["X"]), widget.session.X, atol=1e-5)
    assert (tmp_path / "labels.db").exists() and (tmp_path / "vectors.npy").exists()


def test_the_pictures_are_there_and_the_package_index_gets_words_instead():
    import tomllib

    root = Path(__file__).parents[1]
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert pictures, "the README should show the map"
    for path in pictures:
        assert (root / path).is_file(), f"the README shows {path}, which is not there"
    # The long description is the README with the build's substitutions made (see
    # pyproject.toml): no picture a package index cannot show is left in it.
    hooks = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["hatch"]["metadata"]
    described = README
    for substitution in hooks["hooks"]["fancy-pypi-readme"]["substitutions"]:
        described = re.sub(substitution["pattern"], substitution["replacement"], described)
    assert not re.findall(r"!?\[[^\]]*\]\((?!https?://|#)[^)]*\)", described)
    assert "(picture: The same titles drawn by UMAP" in described
