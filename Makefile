# The two commands: `make run` and `make test`. Everything else here is what they need.
SHELL := /bin/bash
PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
REQ_STAMP := $(VENV)/.requirements-$(shell cat requirements.txt | md5sum | cut -c1-12)

.PHONY: run test setup venv system neo4j native browser postgres lint bench clean stop

run: setup ## set everything up, load the sample into an empty graph, serve http://127.0.0.1:8050
	$(PY) app.py run

.PHONY: serve
serve: setup ## production: gunicorn, several workers (gunicorn.conf.py), http://127.0.0.1:8050; Neo4j stays up (make stop)
	$(PY) app.py prepare
	exec $(VENV)/bin/gunicorn -c gunicorn.conf.py

# Test processes (pytest-xdist), each with its own Neo4j; TEST_WORKERS=0 runs the suite in this one process.
TEST_WORKERS ?= 3

test: setup browser postgres ## set everything up and run the whole suite against throwaway Neo4j servers
	@$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; exit $$rc

setup: system venv neo4j native

CARGO ?= $(shell command -v cargo || echo $$HOME/.cargo/bin/cargo)

native: ## the identity clustering in Rust (native/, loaders/native.py); without cargo the loaders use Python
	@if [ -x "$(CARGO)" ]; then $(CARGO) build --release --offline --quiet --manifest-path native/Cargo.toml; \
	else echo "cargo not found: the identity clustering runs in Python (the same people, slower)"; fi

venv: $(REQ_STAMP)

$(REQ_STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.requirements-* && touch $@

system: ## Java 17+ and Maven (for the local Neo4j), from Debian's packages when missing
	@if [ -z "$$NEO4J_URI" ] && { ! command -v java >/dev/null || ! command -v mvn >/dev/null; }; then \
	  echo "Installing Java and Maven (needed once to run the local Neo4j) ..."; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless maven; \
	fi

neo4j: venv ## fetch Neo4j Community from Maven Central into .cache (once)
	@if [ -z "$$NEO4J_URI" ]; then $(PY) -c "from graph.server import provision; provision()"; fi

browser: ## Debian's Chromium and its driver, for the browser tests
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "Installing Debian's chromium and chromium-driver for the browser tests ..."; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

postgres: ## Debian's PostgreSQL server, for the account store's tests (they start their own on a free port)
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installing Debian's postgresql for the account tests ..."; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	fi

stop: ## stop the local Neo4j
	$(PY) -m graph.server stop

lint: venv ## ruff (rules in pyproject.toml) on everything, mypy --strict on graph/ loaders/ api/ views/
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean: stop
	rm -rf $(VENV) .cache .data
