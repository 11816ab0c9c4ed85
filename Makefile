# The project's front door. On a fresh machine (Python 3.11+ and make):
#   make reports   set up .venv, register the kernel, install Chromium, render every report from the demo
#                  data: HTML, and beside it a PDF, a Word document and an export pack
#   make test      set up .venv, register the kernel, lint, run the whole test suite
#   make test-fast the tests that execute no notebook and open no browser (under a minute)
#   make lint      ruff over the package, tests, benchmarks and scripts
#   make lock      regenerate requirements.lock, the versions make setup installs
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KERNEL := statens-hus-eval
STAMP := $(VENV)/.installed
LOCK := requirements.lock

.PHONY: reports test test-fast setup kernel validate bench lint clean browser-deps lock

setup: $(STAMP) kernel

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The locked versions of every dependency (the test tools included), then the package itself.
$(STAMP): $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Regenerate requirements.lock after changing the dependencies in pyproject.toml: the pins stay
# where pyproject.toml allows them; `make lock UPGRADE=--upgrade` moves every pin to the newest
# allowed release. Resolved for every platform and Python 3.11+ (uv's universal resolution).
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 $(UPGRADE) \
		--output-file $(LOCK) --custom-compile-command "make lock"

# A uniquely named kernel in this environment (a spec called python3 may point elsewhere).
kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Statens hus evaluering" > /dev/null

# The PDFs are printed by Chromium (browser-deps); --formats html renders the HTML alone.
reports: setup browser-deps
	$(BIN)/python -m evaluation render --data-dir data/demo --out reports

validate: setup
	$(BIN)/python -m evaluation validate --data-dir data/demo

test: lint browser-deps
	$(BIN)/python -m pytest

# Everything but the tests marked `notebook` (they execute notebooks or start kernels) and
# `browser` (headless Chromium): the quick loop while working on the package, spread over the
# cores (pytest-xdist). The whole suite runs in one process, so the rendered demo reports are
# shared by every test that reads them.
test-fast: setup
	$(BIN)/python -m pytest -m "not notebook and not browser" -n auto

# The rules are in pyproject.toml ([tool.ruff]).
lint: setup
	$(BIN)/ruff check evaluation tests benchmarks scripts notebooks

# Debian's Chromium for the browser and accessibility tests (tests/test_browser.py) and for printing
# the reports' PDFs (evaluation/publish), with the fonts the PDFs embed (Liberation Sans, DejaVu Sans
# for symbols); Playwright drives it in the tests and never downloads a browser of its own. CI runs
# as root.
browser-deps:
	@(command -v chromium > /dev/null && fc-list 2> /dev/null | grep -q "Liberation Sans") || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-liberation fonts-dejavu-core)

# How fast reports render on this machine: the kernel floor, cold and no-change renders, one
# changed pilot, and scaling with pilots and respondents (several minutes; --quick is shorter).
bench: setup
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf reports .pytest_cache
