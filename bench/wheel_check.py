"""The wheel as a PyPI user gets it: built from clean sources, the bundle in it, installed.

    python bench/wheel_check.py [--ref HEAD] [--keep]

(Not named wheel.py: run from bench/, that name would hide the ``wheel`` package.)

1. Build: the committed tree at ``--ref`` (``git archive``: no node_modules, nothing
   uncommitted) is built as a release is, ``python -m build`` (an sdist, then the wheel
   from that sdist), in a fresh virtual environment. A stale, unminified bundle newer
   than js/ is left in ``embedwidget/static`` first, as a dirty working tree once had:
   the build must run npm and esbuild itself and replace it.
2. The wheel's files: ``embedwidget/static/scatter.js`` and ``scatter.css`` and nothing
   else in ``static/``, the bundle of production size and minified (no inline source
   map), the LICENSE; its metadata: Requires-Python, the license, the ``sbert`` extra
   holding ``sentence-transformers[train]``, and a long description (the README) without
   relative links or images, which PyPI cannot show.
3. Installed: for this Python and every Python 3 that pyenv has, a fresh virtual
   environment (no system site-packages) gets the wheel with ``--no-deps`` (torch would
   be gigabytes); pip accepts or refuses it by Requires-Python, and where it installs,
   that Python imports ``embedwidget`` from the environment, finds the bundle through
   the package, and compiles every module of the package.

Prints what it checked and records it in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import ast
import email.parser
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

import results

ROOT = Path(__file__).resolve().parents[1]
STATIC = ("embedwidget/static/scatter.css", "embedwidget/static/scatter.js")
MAX_BUNDLE = 1_000_000  # bytes; the production bundle is ~250 kB, a dev build ~1.7 MB
# Run by each installed Python, from an empty folder so the checkout cannot be imported.
INSTALLED_CHECK = """
import compileall, importlib.resources, sys
import embedwidget
static = importlib.resources.files("embedwidget") / "static"
sizes = {name: (static / name).stat().st_size for name in ("scatter.js", "scatter.css")}
compiled = compileall.compile_dir(embedwidget.__path__[0], quiet=1, force=True)
print(embedwidget.__version__, embedwidget.__file__.startswith(sys.prefix), sizes, compiled)
"""


def run(*command, cwd=None):
    """Run ``command``; its output and error output, or an error with their tail."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        tail = (done.stdout + done.stderr)[-3000:]
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{tail}")
    return done.stdout + done.stderr


def venv(python, where):
    """A fresh virtual environment made by ``python``; its python."""
    run(python, "-m", "venv", str(where))
    return where / "bin" / "python"


def build(ref, work):
    source = work / "source"
    source.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True, check=True
    ).stdout
    tarfile.open(fileobj=io.BytesIO(archive)).extractall(source, filter="data")
    stale = source / "embedwidget" / "static"
    stale.mkdir(parents=True, exist_ok=True)
    (stale / "scatter.js").write_text("// a stale development bundle\n" * 60_000)
    (stale / "scatter.css").write_text("/* stale */\n")
    python = venv(sys.executable, work / "build-env")
    run(python, "-m", "pip", "install", "--quiet", "build")
    start = time.perf_counter()
    log = run(python, "-m", "build", "--outdir", str(work / "dist"), str(source))
    seconds = time.perf_counter() - start
    npm_builds = len(re.findall(r"> \S*npm run build", log))
    assert npm_builds == 2, f"npm run build ran {npm_builds} times, not for sdist and wheel"
    wheel = next((work / "dist").glob("*.whl"))
    sdist = next((work / "dist").glob("*.tar.gz"))
    commit = subprocess.check_output(["git", "rev-parse", "--short", ref], cwd=ROOT, text=True)
    print(f"built {sdist.name} and {wheel.name} from {commit.strip()} in {seconds:.0f} s")
    print("build: npm install and `npm run build` ran for the sdist and again for the wheel")
    return wheel, sdist


def check_wheel(wheel):
    """Check the wheel's files and metadata; its Requires-Python."""
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        sizes = {i.filename: i.file_size for i in z.infolist()}
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(z.read(metadata_name).decode())
        bundle = z.read("embedwidget/static/scatter.js").decode()
    static = sorted(n for n in names if n.startswith("embedwidget/static/"))
    assert tuple(static) == STATIC, f"static/ holds {static}"
    js, css = sizes[STATIC[1]], sizes[STATIC[0]]
    lines = bundle.count("\n") + 1
    assert js < MAX_BUNDLE, f"scatter.js is {js:,} bytes: a development build?"
    assert "sourceMappingURL" not in bundle, "scatter.js carries a source map"
    assert js / lines > 500, f"scatter.js has {lines:,} lines: not minified"
    print(
        f"wheel: static/ holds scatter.js ({js:,} bytes, {lines} lines) and scatter.css "
        f"({css:,} bytes), nothing else; no source map"
    )
    licenses = [n for n in names if n.endswith("licenses/LICENSE")]
    assert licenses, "no LICENSE in the wheel"
    requires_python = metadata["Requires-Python"]
    print(
        f"wheel: {len(names)} files; {licenses[0].split('/', 1)[1]}; "
        f"License-Expression {metadata['License-Expression']}; "
        f"Requires-Python {requires_python}"
    )
    requires = metadata.get_all("Requires-Dist")
    train = {r: re.search(r"extra == .(\w+).", r) for r in requires if "[train]" in r}
    assert all(train.values()), f"the core install asks for {train}"  # only extras may
    extras_train = sorted(m[1] for m in train.values())
    assert "sbert" in extras_train, train
    assert any(re.fullmatch(r"sentence-transformers>=[\d.]+", r) for r in requires)
    extras = metadata.get_all("Provides-Extra")
    print(
        f"wheel: extras {', '.join(extras)}; core needs sentence-transformers, "
        f"sentence-transformers[train] only in the extras {', '.join(extras_train)}"
    )
    versions = [c.rsplit(" ", 1)[1] for c in metadata.get_all("Classifier")
                if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]  # fmt: skip
    print(f"wheel: classifiers name Python {', '.join(versions)}")
    readme = metadata.get_payload()
    relative = re.findall(r"!?\[[^\]]*\]\((?!https?://|#)[^)]*\)", readme)
    assert not relative, f"the long description links relative paths: {relative}"
    print(
        f"wheel: long description ({metadata['Description-Content-Type']}, "
        f"{readme.count(chr(10))} lines) has no relative link or image"
    )
    return requires_python, versions, {n.rsplit("/", 1)[1]: sizes[n] for n in STATIC}


def check_sdist(sdist):
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    needed = {"LICENSE", "README.md", "package.json", "package-lock.json", "js/scatter.js"}
    assert needed <= names, f"the sdist lacks {needed - names}"
    assert not any(n.startswith(("node_modules/", ".venv/")) for n in names)
    print(
        f"sdist: {len(names)} files, with js/, package.json and package-lock.json "
        "(the wheel was built from it), without node_modules"
    )


def pythons():
    """(version, executable) of this Python and of every Python 3 pyenv has."""
    found = {".".join(map(str, sys.version_info[:3])): sys.executable}
    if shutil.which("pyenv"):
        for version in subprocess.check_output(["pyenv", "versions", "--bare"], text=True).split():
            prefix = subprocess.check_output(["pyenv", "prefix", version], text=True).strip()
            executable = Path(prefix) / "bin" / "python"
            if re.fullmatch(r"3\.\d+\.\d+", version) and executable.exists():
                found.setdefault(version, str(executable))
    return sorted(found.items(), key=lambda item: tuple(map(int, item[0].split("."))))


def check_installs(wheel, requires_python, classified, bundle, work):
    from packaging.specifiers import SpecifierSet

    accepts = SpecifierSet(requires_python)
    empty = work / "empty"
    empty.mkdir()
    for version, executable in pythons():
        minor = ".".join(version.split(".")[:2])
        expected = version in accepts
        assert not (minor in classified and not expected), f"{minor} classified, refused"
        python = venv(executable, work / f"env-{version}")
        done = subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
            capture_output=True, text=True, cwd=empty,
        )  # fmt: skip
        installed = done.returncode == 0
        assert installed == expected, f"Python {version}: {done.stderr[-500:]}"
        if not installed:
            assert requires_python in done.stderr, done.stderr[-500:]  # refused for it
            print(f"Python {version}: pip refuses the wheel (Requires-Python {accepts})")
            continue
        out = subprocess.check_output([python, "-I", "-c", INSTALLED_CHECK], cwd=empty, text=True)
        release, in_env, rest = out.split(maxsplit=2)
        assert in_env == "True", f"Python {version} imported embedwidget from elsewhere"
        assert rest.rstrip().endswith("True"), f"Python {version}: a module does not compile"
        sizes = ast.literal_eval(rest.rsplit(" ", 1)[0])  # the dict INSTALLED_CHECK printed
        assert sizes == bundle, f"Python {version}: installed bundle {sizes}, wheel's {bundle}"
        print(
            f"Python {version}: installs (--no-deps); imports embedwidget {release} from "
            f"the new environment; finds scatter.js and scatter.css of the wheel's sizes; "
            f"every module compiles"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="HEAD", help="the commit to build (default HEAD)")
    parser.add_argument("--keep", action="store_true", help="keep the build folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="embedwidget-wheel-"))
    try:
        wheel, sdist = build(args.ref, work)
        requires_python, classified, bundle = check_wheel(wheel)
        check_sdist(sdist)
        check_installs(wheel, requires_python, classified, bundle, work)
        print("all checks passed")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)  # a local path: not for RESULTS.md
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    with results.recording():
        main()
