#!/usr/bin/env bash
# Fuzz lexer + parser + lowering + evaluation for N seconds (default 600).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain is
# used with RUSTC_BOOTSTRAP=1. Leak detection is off: see
# docs/architecture.md for the known knot-tied leak. Crashes land in
# fuzz/artifacts/eval/; copy each into tests/fuzz-regressions/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-600}"
mkdir -p corpus/eval
cp -n ../tests/lang/*.dvm corpus/eval/ 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=0 RUSTC_BOOTSTRAP=1 cargo fuzz run eval -O corpus/eval -- \
  -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
  -detect_leaks=0 -print_final_stats=1
