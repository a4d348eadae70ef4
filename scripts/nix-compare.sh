#!/usr/bin/env bash
# Compare the conformance corpus in tests/lang/ with Nix (the oracle), and
# optionally with a dvm binary.
#
#   scripts/nix-compare.sh                      # Nix vs the .exp.json files
#   scripts/nix-compare.sh target/release/dvm   # ... and dvm vs Nix
#   BLESS=1 scripts/nix-compare.sh              # write .exp.json from Nix
#
# For every tests/lang/eval-okay-*.dvm whose first line is not
# `# dvm-only: ...`, runs `nix-instantiate --eval --strict --json` and
# compares its answer, as parsed JSON, with the case's .exp.json. With a dvm
# binary, also runs `DVM eval FILE -o json` on it and compares that with
# Nix's answer; dvm-only cases are then compared with their .exp.json.
#
# It also checks that Nix rejects every eval-fail-*/parse-fail-* case not
# marked dvm-only (and, with a binary, that dvm rejects every fail case).
#
# JSON values compare structurally: object key order is ignored, true is not
# 1, and 1 equals 1.0. Floats agree when they match to 6 significant digits,
# because Nix 2.8 prints floats with %g (1.0 / 3 prints as 0.333333).
#
# Exit status: 0 when everything agrees, 1 on any difference, 2 on a usage
# or environment problem. Environment: NIX_INSTANTIATE (default
# nix-instantiate), CASE_TIMEOUT seconds per run (default 60), VERBOSE=1.
set -u -o pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cases="$root/tests/lang"
dvm="${1:-}"
nix="${NIX_INSTANTIATE:-nix-instantiate}"
case_timeout="${CASE_TIMEOUT:-60}"
bless="${BLESS:-0}"
verbose="${VERBOSE:-0}"

if [ "$#" -gt 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
fi
if ! command -v "$nix" >/dev/null 2>&1; then
  echo "nix-compare: $nix not found on PATH" >&2
  exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "nix-compare: python3 not found on PATH" >&2
  exit 2
fi
if [ -n "$dvm" ]; then
  case "$dvm" in /*) ;; *) dvm="$PWD/$dvm" ;; esac
  if [ ! -x "$dvm" ]; then
    echo "nix-compare: dvm binary $dvm is not executable" >&2
    exit 2
  fi
fi

# Nix evaluates without touching the store database (works as root in CI, in
# a read-only /nix, and without a HOME).
export HOME="${HOME:-/tmp}"
nix_flags=(--eval --strict --json --readonly-mode --option sandbox false)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

timeout_cmd=()
if command -v timeout >/dev/null 2>&1; then
  timeout_cmd=(timeout "$case_timeout")
fi

# jsoneq A B: exit 0 when the JSON documents in files A and B are equal.
read -r -d '' jsoneq_py <<'PY'
import json, math, sys

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

def num_eq(a, b):
    if a == b:
        return True
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
        if math.isinf(a) or math.isinf(b) or math.isnan(a) or math.isnan(b):
            return False
        # Nix 2.8 prints floats with 6 significant digits.
        return abs(a - b) <= 5e-6 * max(abs(a), abs(b))
    return False

def eq(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return num_eq(a, b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(eq(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(eq(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b

try:
    sys.exit(0 if eq(load(sys.argv[1]), load(sys.argv[2])) else 1)
except (ValueError, OSError) as e:
    print(f"invalid JSON: {e}", file=sys.stderr)
    sys.exit(1)
PY

jsoneq() { python3 -c "$jsoneq_py" "$1" "$2"; }

# canonical FILE: rewrite FILE as compact JSON with sorted keys.
canonical() {
  python3 -c '
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    v = json.load(f)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n")
' "$1"
}

is_dvm_only() { head -n 1 "$1" | grep -q '^# dvm-only:'; }

run_nix() { # FILE OUT ERR
  (cd "$cases" && "${timeout_cmd[@]}" "$nix" "${nix_flags[@]}" "$1") >"$2" 2>"$3"
}
run_nix_parse() { # FILE ERR
  (cd "$cases" && "${timeout_cmd[@]}" "$nix" --parse "$1") >/dev/null 2>"$2"
}
run_dvm() { # FILE OUT ERR
  (cd "$cases" && NO_COLOR=1 "${timeout_cmd[@]}" "$dvm" eval "$1" -o json) >"$2" 2>"$3"
}

compared=0
differ=0
skipped=0
fail_checked=0
fail_wrong=0
failures=()

report() { # CASE MESSAGE [DETAIL-FILE...]
  local name="$1" msg="$2"
  shift 2
  failures+=("$name: $msg")
  echo "DIFF  $name: $msg"
  for f in "$@"; do
    [ -s "$f" ] && sed -n '1,15p' "$f" | sed 's/^/      /'
  done
}

shopt -s nullglob

for file in "$cases"/eval-okay-*.dvm; do
  name="$(basename "$file" .dvm)"
  exp="$cases/$name.exp.json"
  if is_dvm_only "$file"; then
    skipped=$((skipped + 1))
    if [ -n "$dvm" ]; then
      compared=$((compared + 1))
      if [ ! -f "$exp" ]; then
        differ=$((differ + 1)); report "$name" "dvm-only case has no $name.exp.json"
      elif ! run_dvm "$file" "$tmp/dvm.json" "$tmp/dvm.err"; then
        differ=$((differ + 1)); report "$name" "dvm failed (dvm-only case)" "$tmp/dvm.err"
      elif ! jsoneq "$tmp/dvm.json" "$exp" 2>"$tmp/cmp.err"; then
        differ=$((differ + 1))
        report "$name" "dvm: $(head -c 400 "$tmp/dvm.json") expected: $(head -c 400 "$exp")" "$tmp/cmp.err"
      elif [ "$verbose" = 1 ]; then
        echo "ok    $name (dvm-only)"
      fi
    fi
    continue
  fi

  compared=$((compared + 1))
  if ! run_nix "$file" "$tmp/nix.json" "$tmp/nix.err"; then
    differ=$((differ + 1)); report "$name" "nix failed" "$tmp/nix.err"
    continue
  fi
  bad=0
  if [ "$bless" = 1 ]; then
    cp "$tmp/nix.json" "$exp" && canonical "$exp"
  elif [ ! -f "$exp" ]; then
    bad=1; report "$name" "missing $name.exp.json (nix says $(head -c 200 "$tmp/nix.json"))"
  elif ! jsoneq "$tmp/nix.json" "$exp" 2>"$tmp/cmp.err"; then
    bad=1
    report "$name" "nix: $(head -c 400 "$tmp/nix.json") expected: $(head -c 400 "$exp")" "$tmp/cmp.err"
  fi
  if [ -n "$dvm" ]; then
    if ! run_dvm "$file" "$tmp/dvm.json" "$tmp/dvm.err"; then
      bad=1; report "$name" "dvm failed" "$tmp/dvm.err"
    elif ! jsoneq "$tmp/dvm.json" "$tmp/nix.json" 2>"$tmp/cmp.err"; then
      bad=1
      report "$name" "dvm: $(head -c 400 "$tmp/dvm.json") nix: $(head -c 400 "$tmp/nix.json")" "$tmp/cmp.err"
    fi
  fi
  differ=$((differ + bad))
  if [ "$bad" = 0 ] && [ "$verbose" = 1 ]; then echo "ok    $name"; fi
done

# Fail cases: Nix must reject the Nix-compatible ones, dvm must reject all.
for file in "$cases"/eval-fail-*.dvm "$cases"/parse-fail-*.dvm; do
  name="$(basename "$file" .dvm)"
  if ! is_dvm_only "$file"; then
    fail_checked=$((fail_checked + 1))
    case "$name" in
      parse-fail-*) run_nix_parse "$file" "$tmp/nix.err"; rc=$? ;;
      *) run_nix "$file" "$tmp/nix.json" "$tmp/nix.err"; rc=$? ;;
    esac
    if [ "$rc" = 0 ]; then
      fail_wrong=$((fail_wrong + 1)); report "$name" "nix accepts a case that must fail"
    elif [ "$rc" = 124 ]; then
      fail_wrong=$((fail_wrong + 1)); report "$name" "nix timed out after ${case_timeout}s"
    fi
  fi
  if [ -n "$dvm" ]; then
    fail_checked=$((fail_checked + 1))
    run_dvm "$file" "$tmp/dvm.json" "$tmp/dvm.err"; rc=$?
    if [ "$rc" = 0 ]; then
      fail_wrong=$((fail_wrong + 1)); report "$name" "dvm accepts a case that must fail: $(head -c 200 "$tmp/dvm.json")"
    elif [ "$rc" = 124 ]; then
      fail_wrong=$((fail_wrong + 1)); report "$name" "dvm timed out after ${case_timeout}s"
    elif [ "$rc" -gt 125 ]; then
      fail_wrong=$((fail_wrong + 1)); report "$name" "dvm crashed (exit $rc)" "$tmp/dvm.err"
    fi
  fi
done

echo
echo "$compared compared, $differ differ ($skipped dvm-only eval-okay cases $( [ -n "$dvm" ] && echo "checked against .exp.json" || echo "skipped"))"
echo "$fail_checked fail-case runs, $fail_wrong wrong"
if [ "$differ" -gt 0 ] || [ "$fail_wrong" -gt 0 ]; then
  exit 1
fi
exit 0
