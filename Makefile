# Two commands a newcomer needs: `make publish` and `make test`.
# Both set everything up first (Debian packages, .venv, Python packages).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEBIAN_PACKAGES := chromium fonts-dejavu-core fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 default-jre-headless poppler-utils nodejs npm
# The embedded Prefect server keeps its database in the project, quiet and offline.
export PREFECT_HOME := $(CURDIR)/.prefect
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 180
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: setup system-packages publish test lint bench clean test-server serve bench-prefect

system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BIN)/jatsflow: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

# DAISY Ace from npm, into node_modules/; no install scripts, so no browser or Electron is
# downloaded: Ace runs on Debian's Chromium (PUPPETEER_EXECUTABLE_PATH, set by flows/checkers.py).
node_modules/.package-lock.json: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

setup: system-packages $(BIN)/jatsflow node_modules/.package-lock.json

publish: setup
	$(BIN)/jatsflow publish source/*.pdf

test: setup
	$(BIN)/ruff check flows tests
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check flows tests

bench: setup
	$(BIN)/python tests/bench.py

# PostgreSQL + Prefect server + work pool + worker + deployment runs, on loopback, torn down after.
test-server: setup
	bash tests/server/run.sh

# The Prefect UI on http://127.0.0.1:4200 with both flows ready to run from it.
serve: setup
	$(BIN)/jatsflow serve

bench-prefect: setup
	$(BIN)/python tests/bench_prefect.py

clean:
	rm -rf build .prefect
