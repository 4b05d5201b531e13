# The two commands in the README, `make demo` and `make test`, set everything up on a
# fresh machine: a virtual environment in .venv with torch pinned to its CPU build.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
EXTRAS := demo,dev,sbert
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

CHROMIUM := /usr/bin/chromium
BUNDLE   := embedwidget/static/scatter.js
NODE_OK  := node_modules/.package-lock.json
APT_GET  := env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: install browser js demo test bench lint clean

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt "torch==2.13.0"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	touch $@

install: $(STAMP) $(BUNDLE)

# The widget's browser side: npm packages from package-lock.json, bundled by esbuild.
# (pip install -e builds it too, through hatch-jupyter-builder; this keeps it fresh
# when js/ changes after the install.)
$(NODE_OK): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: node and npm (20 or newer) are needed to build the widget" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BUNDLE): $(NODE_OK) $(wildcard js/*.js js/*.css)
	npm run --silent build

js: $(BUNDLE)

# The real-browser tests (tests/browser) drive Debian's Chromium through playwright;
# `playwright install` is never used. Installed once, skipped when already there.
browser: $(CHROMIUM)
	@:

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "error: $(CHROMIUM) is missing and this user cannot install it." \
	  "Run as root or with sudo: apt-get update && apt-get install -y chromium" >&2; exit 1; fi; \
	echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	$$SUDO $(APT_GET) update -qq && $$SUDO $(APT_GET) install -y -qq chromium >/dev/null
	@test -x $(CHROMIUM) || { echo "error: apt-get did not install $(CHROMIUM)" >&2; exit 1; }

demo: install
	cd notebooks && ../$(VENV)/bin/jupyter lab $(ROOT_FLAG) 04-live-training.ipynb

test: install browser
	npm test --silent
	$(PY) -m pytest

bench: install
	$(PY) -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS),bench]"
	cd bench && OMP_NUM_THREADS=1 ../$(PY) feedforward.py
	cd bench && OMP_NUM_THREADS=1 ../$(PY) contrastive.py
	$(PY) bench/scatter.py

lint: install
	$(VENV)/bin/ruff check embedwidget tests bench
	$(VENV)/bin/ruff format --check embedwidget tests bench

clean:
	rm -rf $(VENV) bench/.cache .pytest_cache
