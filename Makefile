# Two commands do everything: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test site index serve check ledger preview report bench clean browser postgresql

# The environment is rebuilt only when pyproject.toml changes, so a second
# `make run` starts in seconds.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

## Build the site (mkdocs build --strict) and the search index, then switch to them.
site index: $(VENV)/.installed
	$(PY) -m scripts.build_index

## Build everything, then serve the site at / and the API at /api/ (HOST, PORT).
run: index
	$(PY) -m scripts.serve

## Serve what is already built.
serve: $(VENV)/.installed
	$(PY) -m scripts.serve

## Check every article: one line per problem (file:line: what is wrong — how to fix it).
## Builds the site in a temporary folder to check links and published links; exit 1 on an error.
check: $(VENV)/.installed
	$(PY) -m scripts.check_content

## Add the site's current page and question links to published-links.txt; never removes one.
ledger: $(VENV)/.installed
	$(PY) -m scripts.update_ledger

## Preview while you write: http://127.0.0.1:$(PREVIEW_PORT)/ reloads when you save a file.
## Not strict, so a broken link shows as a warning here instead of stopping the preview.
PREVIEW_PORT ?= 8001
preview: $(VENV)/.installed
	$(PY) -m mkdocs serve --no-strict --livereload -a 127.0.0.1:$(PREVIEW_PORT)

## The editors' report: failed searches, questions with the most "No" answers, articles
## due for review. REPORT_ARGS="--format csv" (or html, --days 30, --rows 50) for more.
## Silent (@), so `make report REPORT_ARGS="--format csv" > report.csv` holds only the CSV.
report: $(VENV)/.installed
	@$(PY) -m scripts.report $(REPORT_ARGS)

## The production server under load, and build times at 1x, 10x and 100x the content.
## Prints numbers, never fails on them. BENCH_ARGS="--seconds 3 --sizes 1,10" is quicker.
bench: $(VENV)/.installed-test
	$(PY) -m scripts.bench $(BENCH_ARGS)

## Headless Chromium for the page tests (Debian's package; never a downloaded build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Debian's PostgreSQL server programs for the tests, which start a throwaway server of
## their own (initdb and pg_ctl in a temporary folder); the package's own cluster is unused.
postgresql:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql for the database tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

## Install what the tests need and run them all.
test: $(VENV)/.installed-test browser postgresql
	$(PY) -m pytest

clean:
	rm -rf site var/index var/site-builds
