# Renaksi developer commands. Quick start: `make run` (demo server) and `make test` (whole suite).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
VENV_PY := $(VENV)/bin/python
# Written after a successful install; older than pyproject.toml means "install again".
STAMP := $(VENV)/.renaksi-installed

# The first of python3.11 / python3 that really is Python 3.11, as its real path (a pyenv shim
# can exist for a version that is not installed). Override with `make PYTHON=/path/to/python3.11`.
PYTHON ?= $(shell for p in python3.11 python3; do \
	  $$p -c 'import sys; ok = sys.version_info[:2] == (3, 11); ok and print(sys.executable); sys.exit(not ok)' \
	    2>/dev/null && break; \
	done)

PYTEST_ARGS ?=
SERVE_ARGS ?=

.PHONY: help venv run test lint bench reliability clean

help:
	@echo "make run    install into .venv, load the seed plan, serve on http://127.0.0.1:8000/"
	@echo "make test   run the whole test suite (PYTEST_ARGS='-k name' to narrow it)"
	@echo "make lint   ruff check, ruff format --check, mypy"
	@echo "make bench  run the benchmarks (results in bench/out/)"
	@echo "make reliability  the long reliability battery, then its figures; fails when a bar is missed"
	@echo "make clean  remove .venv, caches and build output (data/ is kept)"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Python 3.11 not found (tried python3.11 and python3)." >&2; \
	  echo "On Debian 12: apt-get install python3 python3-venv, or make PYTHON=/path/to/python3.11" >&2; \
	  exit 1; \
	fi
	@if [ ! -x $(VENV_PY) ]; then \
	  if ! "$(PYTHON)" -c 'import ensurepip' 2>/dev/null; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "== $(PYTHON) has no venv support: installing Debian's python3-venv"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	    else \
	      echo "$(PYTHON) cannot create a venv: install Debian's python3-venv (as root)." >&2; exit 1; \
	    fi; \
	  fi; \
	  echo "== creating $(VENV) with $(PYTHON)"; \
	  rm -rf $(VENV) && "$(PYTHON)" -m venv $(VENV); \
	fi
	@echo "== installing renaksi and its dev tools into $(VENV)"
	$(VENV_PY) -m pip install --disable-pip-version-check --no-input -e '.[dev]'
	@touch $@

run: venv
	$(VENV)/bin/renaksi demo
	$(VENV)/bin/renaksi serve $(SERVE_ARGS)

test: venv
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

lint: venv
	@status=0; \
	echo "== ruff check"; $(VENV)/bin/ruff check . || status=1; \
	echo "== ruff format --check"; $(VENV)/bin/ruff format --check . || status=1; \
	echo "== mypy"; $(VENV)/bin/mypy || status=1; \
	exit $$status

bench: venv
	@mkdir -p bench/out
	$(VENV_PY) bench/bench_import.py | tee bench/out/import.txt
	$(VENV_PY) bench/bench_export_xlsx.py | tee bench/out/export_xlsx.txt
	$(VENV_PY) bench/bench_export_pdf.py | tee bench/out/export_pdf.txt
	$(VENV_PY) bench/bench_plan_page.py | tee bench/out/plan_page.txt

# Every test of tests/reliability, the long ones too, then the long (reliability-marked) tests of
# the other folders (exit 5: none there); each writes its figures to RELIABILITY_OUT, report.py
# prints them and fails when a bar is missed (as a failed test does).
RELIABILITY_OUT := bench/out/reliability
reliability: venv
	@rm -rf $(RELIABILITY_OUT) && mkdir -p $(RELIABILITY_OUT)
	@status=0; export RENAKSI_RELIABILITY_OUT=$(RELIABILITY_OUT); \
	$(VENV_PY) -m pytest -m 'reliability or not reliability' tests/reliability $(PYTEST_ARGS) || status=1; \
	$(VENV_PY) -m pytest -m reliability --ignore=tests/reliability tests $(PYTEST_ARGS) || [ $$? = 5 ] || status=1; \
	$(VENV_PY) tests/reliability/report.py $(RELIABILITY_OUT) || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) build dist bench/out .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./data -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -type d -prune -exec rm -rf {} +
