# Two commands a newcomer needs: `make publish` and `make test`.
# Both set everything up first (Debian packages, .venv, Python packages).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEBIAN_PACKAGES := chromium fonts-dejavu-core fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 default-jre-headless poppler-utils poppler-data
# Typesetting engines that make the report's editions for the accuracy tests (tests/editions.py).
ENGINE_PACKAGES := texlive-latex-base texlive-latex-recommended texlive-xetex texlive-luatex texlive-fonts-recommended pandoc libreoffice-writer-nogui groff
ENGINE_PY_PACKAGES := typst
# The embedded Prefect server keeps its database in the project, quiet and offline.
export PREFECT_HOME := $(CURDIR)/.prefect
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 180
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: setup system-packages engines publish test lint bench clean test-server serve bench-prefect \
	accuracy accuracy-floors agreement model model-check peer sweep

# Debian packages not yet installed, installed: $(call apt-install,PACKAGES)
apt-install = @missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

system-packages:
	$(call apt-install,$(DEBIAN_PACKAGES))

$(BIN)/jatsflow: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

# Python packages only the edition engines need, kept out of the project's own dependencies.
$(VENV)/.engines: $(BIN)/jatsflow
	$(call apt-install,$(ENGINE_PACKAGES))
	$(BIN)/pip install -q $(ENGINE_PY_PACKAGES)
	@touch $@

# The engines are needed by the tests and `make accuracy` only, not to publish.
engines: $(VENV)/.engines

setup: system-packages $(BIN)/jatsflow node_modules/.package-lock.json

# DAISY Ace from npm, into node_modules/; no install scripts, so no browser or Electron is
# downloaded: Ace runs on Debian's Chromium (PUPPETEER_EXECUTABLE_PATH, set by flows/checkers.py).
# Node.js comes with this machine's image; Debian's own is installed only where there is none.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@


publish: setup
	$(BIN)/jatsflow publish source/*.pdf

test: setup engines
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

# Every edition, pair, producer and corpus document through extract → validate, scored:
# build/accuracy/index.html and accuracy.json (the previous run is the baseline).
accuracy: setup engines
	nice $(BIN)/python tests/accuracy.py

# Measure the CI floors again (tests/accuracy_floors.json) after a change meant to move them.
# Retrains the heading model from the development documents (about 10 min on 2 idle cores)
# and checks the shipped flows/models/heading_lines.json is what its script makes.
model: setup
	nice $(BIN)/python tests/train_lines.py

model-check: setup
	$(BIN)/python -m pytest -q -m retrain tests/test_line_model.py

# Our glyph layer's words against pdfminer.six's on every PDF (source, tests, pairs, producers,
# corpus): the agreement table of issue 14 (about 40 min under load), printed and kept in
# build/agreement.txt.
agreement: setup
	mkdir -p build
	nice $(BIN)/python tests/glyph_agreement.py | tee build/agreement.txt

accuracy-floors: setup engines
	nice $(BIN)/python tests/accuracy.py --write-floors

# A seeded sample of N PDFs the project has never seen (this machine's TeX Live and Debian
# manuals) through extract → DTD validation: outcomes and seconds per page, build/sweep/sweep.md.
N ?= 150
sweep: setup
	nice $(BIN)/python tests/sweep.py -n $(N)

# jatsflow beside pymupdf4llm + PyMuPDF's layout model on make accuracy's documents, scored
# alike: build/peer/peer.md. PyMuPDF is AGPL and not the design card's library: it goes into a
# venv of its own under build/, never into the project's dependencies. Needs accuracy.json.
PEER_VENV := build/peer-venv
PEER_PACKAGES := pymupdf pymupdf4llm pymupdf-layout onnxruntime

$(PEER_VENV)/.installed:
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install -q $(PEER_PACKAGES)
	@touch $@

peer: setup $(PEER_VENV)/.installed
	nice $(BIN)/python tests/peer.py

clean:
	rm -rf build .prefect
