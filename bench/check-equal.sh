#!/usr/bin/env bash
# Check that every available tool prints the same JSON for every workload.
# The reference is nix-instantiate; each other tool's output is compared with
# it as parsed JSON (key order and whitespace ignored; 8000 == 8000.0).
#
# With no WORKLOAD, also checks the generated parse-speed file bench/gen/big.nix
# (nix and dvm only) when run.sh has made it.
#
# usage: bench/check-equal.sh [WORKLOAD...]
# env:   DVM (default target/release/dvm), TOOLS (default: all)
# exit:  0 all equal, 1 a mismatch or a failure
set -uo pipefail
source "$(dirname "$0")/lib.sh"

TOOLS=${TOOLS:-$ALL_TOOLS}
if [ $# -gt 0 ]; then
  WORKLOADS="$*"
else
  WORKLOADS=${WORKLOADS:-$ALL_WORKLOADS}
  [ -f "$BENCH/gen/big.nix" ] && WORKLOADS="$WORKLOADS big"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
for w in $WORKLOADS; do
  outs=()
  for t in $TOOLS; do
    if ! tool_available "$t"; then
      echo "skip  $w $t (not installed)"
      continue
    fi
    f=$(workload_file "$t" "$w")
    if [ "$w" = big ] && [ "$t" != nix ] && [ "$t" != dvm ]; then
      continue
    elif [ ! -f "$f" ]; then
      echo "skip  $w $t (no $f)"
      continue
    fi
    # shellcheck disable=SC2046
    if $(tool_cmd "$t" "$f") >"$tmp/$w.$t.json" 2>"$tmp/$w.$t.err"; then
      outs+=("$t")
    else
      echo "FAIL  $w $t: exit $?"
      head -n 5 "$tmp/$w.$t.err" | sed 's/^/      /'
      status=1
    fi
  done
  [ ${#outs[@]} -eq 0 ] && continue
  python3 - "$tmp" "$w" "${outs[@]}" <<'EOF' || status=1
import json, sys

tmp, w, tools = sys.argv[1], sys.argv[2], sys.argv[3:]

def load(t):
    with open(f"{tmp}/{w}.{t}.json") as f:
        return json.load(f)

def diff(a, b, path="$"):
    """The first path where a and b differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{path}: keys differ: only left {sorted(a.keys() - b.keys())[:5]}, only right {sorted(b.keys() - a.keys())[:5]}"
        for k in sorted(a):
            d = diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: lengths {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = diff(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    if type(a) is bool or type(b) is bool:
        same = type(a) is type(b) and a == b
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        same = a == b
    else:
        same = type(a) is type(b) and a == b
    return None if same else f"{path}: {json.dumps(a)[:80]} != {json.dumps(b)[:80]}"

ref = "nix" if "nix" in tools else tools[0]
try:
    want = load(ref)
except ValueError as e:
    print(f"FAIL  {w} {ref}: not JSON: {e}")
    sys.exit(1)
ok = True
for t in tools:
    if t == ref:
        continue
    try:
        got = load(t)
    except ValueError as e:
        print(f"FAIL  {w} {t}: not JSON: {e}")
        ok = False
        continue
    d = diff(want, got)
    if d:
        print(f"FAIL  {w} {t} differs from {ref}: {d}")
        ok = False
    else:
        print(f"ok    {w} {t} == {ref}")
if len(tools) == 1:
    print(f"ok    {w} {ref} (only tool available)")
sys.exit(0 if ok else 1)
EOF
done
exit $status
