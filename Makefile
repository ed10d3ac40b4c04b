# Khối — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEBUG ?= 0
# `make run` serves the demo as an office sees it: debug off, Vietnamese error pages, static
# files collected and served by WhiteNoise; `make run DEBUG=1` turns Django's debug pages on.
DEMO_ENV := KHOI_DEMO=1 KHOI_DEBUG=$(DEBUG)
STAMP := $(VENV)/.installed
TEST_WORKERS ?= 2

.PHONY: pdf-deps install run test lint types i18n messages migrate demo bench clean prod-check audit replica-check fault-check

install: $(STAMP)
	@$(PY) manage.py compile_catalogue -v0
	@$(PY) -m khoi.lib.pdfsupport

# What the PDF export needs (LibreOffice, a Times-compatible font with Vietnamese, pdffonts
# for the tests), on Debian/Ubuntu; needs root or sudo.
PDF_PACKAGES := libreoffice-writer-nogui fonts-liberation2 poppler-utils
pdf-deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get install -y --no-install-recommends $(PDF_PACKAGES)

$(STAMP): requirements/base.txt requirements/dev.txt requirements/vietnam-provinces.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --ignore-requires-python -r requirements/vietnam-provinces.txt
	@touch $(STAMP)

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable

demo: migrate
	$(DEMO_ENV) $(PY) manage.py load_demo

run: demo
	@$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v0
	@echo ""
	@echo "Khối đang chạy tại http://127.0.0.1:$(PORT)/  (Ctrl+C để dừng)"
	$(DEMO_ENV) KHOI_CLOCK_DATE=$${KHOI_CLOCK_DATE-demo} $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: install
	$(VENV)/bin/mypy khoi bench deploy conftest.py

i18n: install
	$(PY) manage.py check_translations

messages: install
	$(PY) manage.py makemessages -l vi --no-obsolete -i ".venv/*" -i "var/*" -i "bench/*" -i "*/tests/*"
	$(PY) manage.py compile_catalogue

test: install lint types i18n
	$(PY) manage.py makemigrations --check --dry-run -v1
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The production stack on loopback (nginx, two gunicorn, KHOI_DEBUG=0): deploy/check/prod_check.py
prod-check: install
	$(PY) deploy/check/prod_check.py $(PRODCHECK_ARGS)

# The database restarted, slow and frozen under load, on a PostgreSQL cluster of its own on a
# free port (make prod-check runs the same checks on a copy of its database).
fault-check: install
	$(PY) deploy/check/faults.py $(FAULT_ARGS)

# Known vulnerabilities in the pinned requirements; the auditor has its own venv.
.venv-audit/.installed: requirements/audit.txt
	@test -x .venv-audit/bin/python || $(PYTHON) -m venv .venv-audit
	.venv-audit/bin/python -m pip install -q --disable-pip-version-check -r requirements/audit.txt
	@touch $@

# An auditor that cannot be installed (offline) is reported by audit.py as "AUDIT NOT DONE";
# KHOI_AUDIT_REQUIRED=1 makes that, and an unreachable advisory service, a failure.
audit:
	@$(MAKE) --no-print-directory .venv-audit/.installed || echo "make audit: pip-audit could not be installed"
	$(PYTHON) deploy/check/audit.py

# A real streaming replica (deploy/check/replica.sh start) and the router against it.
replica-check: install
	$(PY) deploy/check/replica_check.py $(REPLICA_ARGS)

bench: install
	$(PY) bench/units.py

clean:
	rm -rf var .mypy_cache .ruff_cache
