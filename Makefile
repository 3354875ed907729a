# `make run` and `make test` build .venv from scratch when needed, then do their job.
# `make run PORT=8080 HOST=0.0.0.0` serves elsewhere (or set UNKNOT_PORT, UNKNOT_HOST).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/unknot migrate
	$(BIN)/unknot seed
	$(BIN)/unknot run $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST))

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/sync.py --repeat 3
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/shell.py
	$(BIN)/python bench/power.py

clean:
	rm -rf $(VENV) *.egg-info
