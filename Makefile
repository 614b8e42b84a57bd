# Meldwijzer: the two commands are `make run` and `make test`.
SHELL := /bin/bash
BOT := .venv-bot
BACKEND := .venv-backend
STAMPS := .stamps
PY := $(BACKEND)/bin/python

.PHONY: run test install train lint format inbox clean web routeboekje test-browser screenshots

run: install ## train if needed, start every service, print the chat URL
	@$(PY) scripts/run_system.py

test: install web ## the whole test suite (trains the model once if the data changed)
	@$(PY) scripts/run_tests.py

install: $(STAMPS)/bot $(STAMPS)/backend

$(STAMPS)/bot: constraints/bot.txt
	@py310="$$(scripts/find_python310.sh)" || exit 1; \
	  test -x $(BOT)/bin/python || "$$py310" -m venv $(BOT)
	$(BOT)/bin/python -m pip install -q --upgrade pip
	$(BOT)/bin/python -m pip install -q -r constraints/bot.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/backend: constraints/backend.txt pyproject.toml
	@test -x $(BACKEND)/bin/python || python3 -m venv $(BACKEND)
	$(BACKEND)/bin/python -m pip install -q --upgrade pip
	$(BACKEND)/bin/python -m pip install -q -r constraints/backend.txt
	$(BACKEND)/bin/python -m pip install -q --no-deps -e .
	@mkdir -p $(STAMPS) && touch $@

web: ## Chromium (apt) for browser tests, npm ci in web/, bundle the chat client
	@scripts/browser_setup.sh

routeboekje: install ## printable routeboekje (HTML + PDF) per eenheid in var/routeboekje/
	@$(PY) scripts/build_routeboekje.py

test-browser: install web
	@PYTHONPATH=. $(PY) -m pytest -q tests/browser

screenshots: install web ## refresh docs/screenshots/
	@MELDWIJZER_DOCS_SCREENSHOTS=1 PYTHONPATH=. $(PY) -m pytest -q tests/browser

train: install
	@$(PY) scripts/train_model.py

lint: install
	$(BACKEND)/bin/ruff check .
	$(BACKEND)/bin/ruff format --check .
	$(BACKEND)/bin/mypy backend envelope scripts
	$(BOT)/bin/mypy actions bot

format: install
	$(BACKEND)/bin/ruff format .
	$(BACKEND)/bin/ruff check --fix .

LOKET ?= vertrouwenspersoon
EENHEID ?= rotterdam
inbox: install ## decrypt the demo meldingen of one loket
	@DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/meldwijzer.db} \
	  $(BACKEND)/bin/meldwijzer-admin meldingen open $(LOKET) $(EENHEID) \
	  --passphrase-file var/demo/passphrase.txt

clean:
	rm -rf $(STAMPS) models var
