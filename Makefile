# Khối — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_WORKERS ?= 2

.PHONY: install run test lint types i18n messages migrate demo bench clean

install: $(STAMP)
	@$(PY) manage.py compile_catalogue -v0

$(STAMP): requirements/base.txt requirements/dev.txt requirements/vietnam-provinces.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --ignore-requires-python -r requirements/vietnam-provinces.txt
	@touch $(STAMP)

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo ""
	@echo "Khối đang chạy tại http://127.0.0.1:$(PORT)/  (Ctrl+C để dừng)"
	KHOI_CLOCK_DATE=$${KHOI_CLOCK_DATE-demo} $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: install
	$(VENV)/bin/mypy khoi bench conftest.py

i18n: install
	$(PY) manage.py check_translations

messages: install
	$(PY) manage.py makemessages -l vi --no-obsolete -i ".venv/*" -i "var/*" -i "bench/*" -i "*/tests/*"
	$(PY) manage.py compile_catalogue

test: install lint types i18n
	$(PY) manage.py makemigrations --check --dry-run -v1
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: install
	$(PY) bench/units.py

clean:
	rm -rf var .mypy_cache .ruff_cache
