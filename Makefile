# The two commands: `make run` (the whole product locally, with demo data) and `make test` (every test).
# Both set everything up first on a fresh machine: the virtualenv, the npm packages, and for tests Chromium.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: run test lint format setup clean bench chromium

setup: $(VENV_STAMP) $(NPM_STAMP)

$(VENV_STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A browser for the browser tests, found as tests/browser/conftest.py looks for one: CHROMIUM_PATH or an
# installed Chromium/Chrome; else Playwright's own build (no root needed, any OS Playwright supports); else,
# as a last resort on Debian/Ubuntu as root, the distribution's chromium package.
chromium: setup
	@if [ -n "$$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	  || command -v google-chrome >/dev/null 2>&1 || command -v google-chrome-stable >/dev/null 2>&1; then \
	  :; \
	elif $(PY) -m playwright install chromium; then \
	  :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing the distribution's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "no Chromium found: install one, or set CHROMIUM_PATH, for the browser tests" >&2; exit 1; \
	fi

run: setup
	$(PY) -m local.run

test: setup chromium lint
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) -m bench.calendar_initial_sync

clean:
	rm -rf .local .pytest_cache .mypy_cache .ruff_cache
