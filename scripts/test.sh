#!/usr/bin/env bash
# Set up a virtual environment, then run every check: lint, types, layer contracts, tests.
# PostgreSQL tests run when STOCKGUARD_TEST_DATABASE_URL is set (.ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff" && ruff check src tests benchmarks scripts
echo "== mypy --strict" && mypy && mypy scripts/check_tests.py && mypy tests
echo "== import-linter" && lint-imports
echo "== tests that cannot fail" && python scripts/check_tests.py tests
echo "== pytest" && pytest "$@"
