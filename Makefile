# The two commands README opens with: `make run` (the panel) and `make test` (the whole suite).
# Both set up what they need themselves (scripts/bootstrap.sh): system packages, the .venv, the lock file.
VENV := .venv/bin
PYTEST_ARGS ?=

.PHONY: run test lint bench setup setup-test lock clean

run: setup
	$(VENV)/studio

test: setup-test
	$(VENV)/python -m pytest $(PYTEST_ARGS)

lint: setup-test
	$(VENV)/ruff check studio tests bench
	$(VENV)/lint-imports
	$(VENV)/mypy

bench: setup-test
	$(VENV)/python -m bench

setup:
	@scripts/bootstrap.sh

setup-test:
	@scripts/bootstrap.sh --test

# Refresh the lock files after changing dependencies in pyproject.toml (needs network to PyPI): the dev lock
# first, then the panel's lock with the same versions (constrained by the dev lock).
lock: setup
	$(VENV)/python -m pip install -q uv
	$(VENV)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements-dev.lock
	$(VENV)/uv pip compile pyproject.toml --python-version 3.11 -c requirements-dev.lock -o requirements.lock

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache
