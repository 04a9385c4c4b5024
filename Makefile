# Waymark: `make run` starts the whole service; `make test` runs the whole suite.
# Both set everything up first on a fresh machine.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

# Prefer Python 3.12 (the Temporal sandbox has an import-lock flake on 3.11): a python3.12 on
# PATH that really runs, else one that pyenv has installed, else any python3 (>= 3.11).
PYTHON ?= $(shell \
  for c in python3.12; do \
    $$c -c 'import sys' >/dev/null 2>&1 && { command -v $$c; exit 0; }; \
  done; \
  root=$$(pyenv root 2>/dev/null); \
  v=$$(pyenv versions --bare 2>/dev/null | grep -E '^3\.12(\.[0-9]+)?$$' | tail -n 1); \
  if [ -n "$$root" ] && [ -n "$$v" ] && "$$root/versions/$$v/bin/python3" -c 'import sys' 2>/dev/null; then \
    echo "$$root/versions/$$v/bin/python3"; exit 0; fi; \
  echo python3)

.PHONY: install bytecode browser letters run test lint migrate clean bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Waymark needs Python 3.11 or newer"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Bytecode for the code, brought up to date on every run even where PYTHONDONTWRITEBYTECODE is
# set: the workflow sandbox imports the workflows afresh for every workflow run, and without a
# cached .pyc it compiles their source each time (deploy/Dockerfile does the same).
CODE := waymark forms rules workflows activities services delivery api migrations
bytecode: install
	@$(BIN)/python -m compileall -q -j 0 $(CODE) >/dev/null

migrate: install
	$(BIN)/waymark migrate

# Every benchmark under bench/, each on its own stack and state, against its baseline from the
# same run: one table, also written as JSON under var/bench/. `make bench BENCH_ARGS=--quick`
# keeps the runs short on a shared machine.
BENCH_ARGS ?=
bench: install bytecode
	$(BIN)/python -m bench $(BENCH_ARGS)

run: install bytecode letters
	$(BIN)/waymark migrate
	$(BIN)/waymark seed-demo
	$(BIN)/waymark dev

# The browser tests (tests/e2e) drive Debian's Chromium with Playwright (never a browser build of
# Playwright's own) and check each page with axe-core, pinned in tests/e2e/package-lock.json.
CHROMIUM := /usr/bin/chromium
AXE := tests/e2e/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

browser: $(AXE)
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium fonts-dejavu-core >/dev/null; }
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is still missing after apt-get install"; exit 1; }

# Letters and documents become PDFs with WeasyPrint, which needs Pango (and HarfBuzz's subsetter)
# and a font with every glyph a letter uses; Debian's packages, installed once like Chromium.
LETTER_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

letters:
	@dpkg -s $(LETTER_LIBS) >/dev/null 2>&1 || { \
	  echo "Installing Pango and fonts for letters as PDF"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    $(LETTER_LIBS) >/dev/null; }

$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@command -v npm >/dev/null || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# One worker more than there are cores: many tests wait in real time (an outage, a server
# starting, a browser), and the extra worker keeps the cores busy meanwhile (on two cores, a
# tenth idle rather than a fifth). A test file stays on one worker (its servers and fixtures
# are shared), and the longest files go first, in the order tests/helpers/order.py gives.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
test: install bytecode browser letters
	$(BIN)/waymark migrate
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

clean:
	rm -rf $(VENV) var build *.egg-info
