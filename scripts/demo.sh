#!/usr/bin/env bash
# Sets everything up and runs the main job on the shipped samples: checks the dependencies, then
# reconciles the two register PDFs of samples/ with its XLSX export and shows the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --locked --quiet
bin=target/release/doisoat
"$bin" doctor
"$bin" match --scans samples --export samples/export.xlsx --out out/samples
echo
cat out/samples/summary.txt
echo
echo "Discrepancy list for the reviewers (opens in Excel): out/samples/discrepancies.csv"
