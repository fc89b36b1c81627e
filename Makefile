# Two commands do everything on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE := .run/sample

.PHONY: run test install lint typecheck contracts pytest bench clean sample postgres libreoffice chromium fonts dist docs locale index

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

EXAMPLE := projects/flexible-employment

# `make run` builds the bundled example study from its text files and opens the workbench on it.
# A project with changes since its build (the user's codes, codings, memos) is kept as it is.
run: install fonts
	$(BIN)/qcode build --keep $(EXAMPLE)
	$(BIN)/qcode -p $(EXAMPLE) tui

sample: install
	rm -rf $(SAMPLE)
	$(BIN)/qcode init $(SAMPLE) --name "Sample: flexible workers and pensions" --user researcher
	$(BIN)/qcode -p $(SAMPLE) import projects/sample/*.txt --attr region=sample
	$(BIN)/qcode -p $(SAMPLE) code --from projects/sample/codings.csv --create

lint: install
	$(BIN)/ruff check qcode tests benchmarks docs
	$(BIN)/ruff format --check qcode tests benchmarks docs

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

# PostgreSQL's server programs, for the tests that start a server of their own (Debian packages).
postgres:
	.ci/postgres

# A font with Chinese, Japanese and Korean characters, for figures (Debian's fonts-noto-cjk).
# (a machine where it cannot be installed still runs: figures then say what has no font)
fonts:
	-.ci/fonts

# LibreOffice Writer and a CJK font, for the tests that read PDFs and office files it writes.
libreoffice: fonts
	.ci/libreoffice

# Chromium, for the tests that open the HTML report and the interactive network page headless.
chromium:
	.ci/chromium

# The suite in two processes (pytest-xdist; TEST_WORKERS=0 runs it in this one). The few tests that
# share something outside their own temporary folder are marked xdist_group and run in one process.
TEST_WORKERS ?= 2
pytest: install postgres libreoffice chromium
	$(BIN)/python -m pytest -p no:cacheprovider --durations=25 -n $(TEST_WORKERS) --dist loadgroup

test: lint typecheck contracts pytest

bench: install
	$(BIN)/python benchmarks/bench_foundation.py
	$(BIN)/python benchmarks/bench_tui.py

# The user guide, built into site/ (warnings are errors: a broken link or reference fails).
docs: install
	$(BIN)/sphinx-build -W --keep-going -n -q -b html -d build/doctrees docs site

# A wheel and an sdist in dist/, their metadata and README checked as PyPI would.
dist: install
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

# The interface's catalogue: the marked strings extracted, merged into the Chinese .po (translate
# what is new there), then compiled to the .mo that ships (tests/test_i18n.py checks both).
LOCALE := qcode/locale
locale: install
	mkdir -p build
	$(BIN)/pybabel extract --no-location --sort-output -k N_ -o build/qcode.pot \
		qcode
	$(BIN)/python -m qcode.cli.localise build/qcode.pot  # the commands' docstrings
	$(BIN)/pybabel update -i build/qcode.pot -d $(LOCALE) -D qcode -l zh
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D qcode -l zh

# The commands' index that qcode --help lists them from without loading them (qcode/cli/lazy.py)
index: install
	$(BIN)/python -m qcode.cli.lazy > qcode/cli/commands_index.py
	$(BIN)/ruff format qcode/cli/commands_index.py

clean:
	rm -rf $(VENV) .run build dist site docs/_generated *.egg-info
