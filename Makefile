# The two commands: `make run` (the portal on embedded defaults) and `make test` (the suite).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

# The slow groups run only against PostgreSQL + Redis; the embedded run deselects them.
SLOW_MARKERS := e2e or reliability or fuzz or postgres
ifeq ($(findstring postgres,$(DATABASE_URL)),)
PYTEST_SELECT := -m "not ($(SLOW_MARKERS))"
endif

.PHONY: run test venv messages translations lint format

venv: $(INSTALLED)

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

messages: venv
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py compilemessages --ignore=$(VENV) >/dev/null

# Update the kk/ru catalogues from the code; then fill in the new entries. File names only (no line
# numbers), so an edit elsewhere in a file does not rewrite the catalogues.
translations: venv
	DEBUG=true $(PY) manage.py makemessages -l kk -l ru --no-obsolete --add-location file --ignore=$(VENV) --ignore=var

run: messages
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_catalogue
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true exec scripts/run-embedded

test: messages
	$(PY) -m pytest $(PYTEST_SELECT) $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
