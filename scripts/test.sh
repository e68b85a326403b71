#!/usr/bin/env bash
# The whole test suite, from a bare machine: installs what is missing, then formatting, lints, and
# every test (unit, integration, end-to-end on samples/, sample reproducibility).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
