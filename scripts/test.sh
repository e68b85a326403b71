#!/usr/bin/env bash
# The whole test suite, from a bare machine: installs what is missing, then formatting, lints, and
# every test (unit, integration, end-to-end on samples/, sample reproducibility).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The sample corpus is the yardstick of every accuracy test: it must be exactly what the generator
# makes from its seed, and every planted item must be present in every export.
scripts/check-samples
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
