# Two commands for a fresh machine (Python 3.11, Node 20, make): `make run` and `make test`.
# Every variable below can be overridden from the environment (see README.md).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# The suite runs on every core (pytest-xdist); one test file stays on one worker; the 15 slowest
# tests are listed at the end.
PYTEST_ARGS ?= -n auto --dist loadfile --durations=15
# BROWSER_TESTS=skip leaves the browser tests (tests/browser) out: CI's SQLite pass does so, its
# PostgreSQL pass runs them.
BROWSER_TESTS ?= run
# The NL API Design Rules ruleset (Spectral) the OpenAPI document must pass.
ADR_RULESET ?= ../shared/validators/nl-api-design-rules/linter.yaml

# Local defaults: plain HTTP on the loopback address. Production sets these itself.
export STEDENNET_ALLOWED_HOSTS ?= 127.0.0.1,localhost
export STEDENNET_SECURE_COOKIES ?= false
export STEDENNET_BASE_URL ?= http://$(HOST):$(PORT)
# The demo's mail: unless STEDENNET_EMAIL_HOST names an SMTP server, `make serve` starts a local
# mail catcher on MAIL_PORT and the outbox delivers to it; nothing leaves the machine. The caught
# mail is in var/mail/ and in the back office's outbox (Uitgaande mail).
MAIL_PORT ?= 1025
ifeq ($(origin MAIL_CATCHER),undefined)
MAIL_CATCHER := $(if $(STEDENNET_EMAIL_HOST),,127.0.0.1)
endif
export MAIL_CATCHER
ifneq ($(MAIL_CATCHER),)
export STEDENNET_EMAIL_HOST := $(MAIL_CATCHER)
export STEDENNET_EMAIL_PORT := $(MAIL_PORT)
endif

.PHONY: run test install lint serve clean

install: $(VENV)/.installed node_modules/.installed var/secret_key

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A random secret for this checkout, made once; production passes STEDENNET_SECRET_KEY itself.
var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: install
	STEDENNET_SECRET_KEY=$${STEDENNET_SECRET_KEY:-$$(cat var/secret_key)} $(MAKE) --no-print-directory serve

serve:
	$(BIN)/stedennet migrate --no-input
	@# Whoever the bureau erased stays erased, also after an older backup was restored.
	$(BIN)/stedennet privacy reapply
	$(BIN)/stedennet load-g40
	$(BIN)/stedennet load-demo-accounts
	$(BIN)/stedennet load-demo-billing
	$(BIN)/stedennet load-demo-governance
	$(BIN)/stedennet load-demo-advocacy
	$(BIN)/stedennet load-demo-events
	$(BIN)/stedennet load-demo-news
	$(BIN)/stedennet load-demo-letters
	$(BIN)/stedennet collectstatic --no-input --verbosity 0
	$(BIN)/stedennet search-index
	$(BIN)/stedennet mail-retry
	$(BIN)/stedennet mailings resume
	@echo "Stedennet runs on http://$(HOST):$(PORT)/. Stop with Ctrl+C."
	@echo "Sign in at http://$(HOST):$(PORT)/inloggen/: members and partners (bestuurder, ambtenaar, partner);"
	@echo "staff (bureau, beheer) then give the code of TOTP secret STEDENNETDEMOTOTPSTEDENNETDEMO42 for /admin/."
	@# Beside the web server, stopping with it: the background worker (search index updates, mail)
	@# and the demo's mail catcher.
	$(if $(MAIL_CATCHER),$(BIN)/stedennet mail-catcher --host $(MAIL_CATCHER) --port $(MAIL_PORT) & catcher=$$!;) \
	$(BIN)/stedennet db_worker & worker=$$!; trap "kill $$worker $$catcher 2>/dev/null" EXIT INT TERM; \
	$(BIN)/gunicorn stedennet.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - --forwarded-allow-ips=""

test: install
	$(BIN)/ruff check src tests tools bench conftest.py
	@# The layers of docs/ARCHITECTURE.md, as a contract (.importlinter): an upward import fails here.
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=stedennet.conf.test $(BIN)/stedennet makemigrations --check --dry-run > /dev/null
	@# The committed OpenAPI document is what /api/v1/openapi.json serves, and it passes the NL API
	@# Design Rules linter (Spectral with the ADR ruleset) without an error or a warning.
	DJANGO_SETTINGS_MODULE=stedennet.conf.test $(BIN)/stedennet api-schema --check
	SCARF_ANALYTICS=false node_modules/.bin/spectral lint --fail-severity=warn -r $(ADR_RULESET) docs/api/openapi.json
	$(BIN)/pytest $(PYTEST_ARGS) $(if $(filter skip,$(BROWSER_TESTS)),--ignore=tests/browser)

lint: install
	$(BIN)/ruff check src tests tools bench conftest.py

clean:
	rm -rf $(VENV) node_modules var/static
