# The two commands in the README, `make demo` and `make test`, set everything up on a
# fresh machine: a virtual environment in .venv with torch pinned to its CPU build.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
EXTRAS := demo,dev
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test bench lint clean

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt "torch==2.13.0"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	touch $@

install: $(STAMP)

demo: install
	cd notebooks && ../$(VENV)/bin/jupyter lab $(ROOT_FLAG) 01-feedforward.ipynb

test: install
	$(PY) -m pytest

bench: install
	$(PY) -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS),bench]"
	cd bench && OMP_NUM_THREADS=1 ../$(PY) feedforward.py
	cd bench && OMP_NUM_THREADS=1 ../$(PY) contrastive.py

lint: install
	$(VENV)/bin/ruff check embedwidget tests bench
	$(VENV)/bin/ruff format --check embedwidget tests bench

clean:
	rm -rf $(VENV) bench/.cache .pytest_cache
