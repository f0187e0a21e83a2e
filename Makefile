# Two commands: `make run` sets everything up and serves the platform; `make test` checks it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres test-browser lock clean

$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	$(PYTHON) -c 'import sys; sys.exit("junheng needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/junheng setup
	@echo "均衡 junheng: http://127.0.0.1:$(PORT)/"
	# The background worker (checking uploaded monitoring results) runs beside the web server and stops with it.
	$(BIN)/junheng db_worker & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	$(BIN)/gunicorn junheng.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

# ruff, mypy, missing migrations, then the whole suite on SQLite (browser tests too when Chromium is installed).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src
	$(BIN)/junheng makemigrations --check --dry-run
	$(BIN)/pytest -n 2

# The browser tests are left out here: they serve a platform of their own on SQLite, as in `make test`.
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest -n 2 -m "not browser"

test-browser: $(STAMP)
	JUNHENG_REQUIRE_BROWSER=1 $(BIN)/pytest -m browser

# Re-pin the dependencies after changing pyproject.toml.
lock:
	rm -rf /tmp/junheng-lock && $(PYTHON) -m venv /tmp/junheng-lock
	/tmp/junheng-lock/bin/pip install --quiet .
	/tmp/junheng-lock/bin/pip freeze --exclude junheng > requirements.lock
	/tmp/junheng-lock/bin/pip install --quiet '.[dev]'
	/tmp/junheng-lock/bin/pip freeze --exclude junheng > requirements-dev.lock

clean:
	rm -rf $(VENV) var
