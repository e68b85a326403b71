#!/usr/bin/env bash
# Sets everything up and runs the main job on the shipped samples: checks the dependencies, then
# reconciles samples/ and prints where the results are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --locked --quiet
bin=target/release/doisoat
"$bin" doctor
