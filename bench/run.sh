#!/usr/bin/env bash
# Benchmark `dvm eval` against its peers on the workloads in bench/workloads/.
#
# For each workload x tool: wall time with hyperfine (1 warmup, at least
# $RUNS runs, --shell=none, output to /dev/null) and peak RSS with
# /usr/bin/time -f %M (median of 3 runs). Then parse speed on a generated
# ~10 MB configuration file (bench/gen-big.py).
#
# The markdown report goes to stdout and to $OUT (default
# bench/results/latest.md); hyperfine's JSON exports go to bench/results/raw/.
#
# usage: bench/run.sh
# env:   DVM       dvm binary (default target/release/dvm; skipped if absent)
#        TOOLS     subset of "dvm nix jrsonnet nickel"
#        WORKLOADS subset of "startup records merge fib strings"
#        RUNS      minimum hyperfine runs (default 5)
#        BIG_MB    size of the generated parse file (default 10; 0 skips it)
#        OUT       report file (default bench/results/latest.md)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TOOLS=${TOOLS:-$ALL_TOOLS}
WORKLOADS=${WORKLOADS:-$ALL_WORKLOADS}
RUNS=${RUNS:-5}
BIG_MB=${BIG_MB:-10}
OUT=${OUT:-$BENCH/results/latest.md}
RAW=$BENCH/results/raw
GEN=$BENCH/gen
mkdir -p "$RAW" "$GEN" "$(dirname "$OUT")"

for need in hyperfine python3; do
  command -v "$need" >/dev/null || { echo "run.sh: $need is not installed" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

rows=$(mktemp)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
trap 'rm -f "$rows" "$rows".*' EXIT

# peak_rss_kib CMD...: the median over 3 runs of the peak RSS in KiB.
peak_rss_kib() {
  local vals=() k
  for k in 1 2 3; do
    /usr/bin/time -f %M -o "$rows.rss" "$@" >/dev/null 2>&1 || return 1
    vals+=("$(tail -n1 "$rows.rss")")
  done
  printf '%s\n' "${vals[@]}" | sort -n | sed -n 2p
}

# measure LABEL TOOL FILE CMD: append one TSV row (label, tool, median s,
# min s, rss KiB, note) to $rows.
measure() {
  local label=$1 tool=$2 file=$3 cmd=$4 json=$RAW/$1-$2.json rss
  echo ">> $label / $tool: $cmd" >&2
  if ! hyperfine -N --warmup 1 --min-runs "$RUNS" --style basic \
      --export-json "$json" "$cmd" >"$RAW/$label-$tool.log" 2>&1; then
    echo "   failed: see $RAW/$label-$tool.log" >&2
    printf '%s\t%s\t\t\t\t%s\n' "$label" "$tool" "failed (see results/raw/$label-$tool.log)" >>"$rows"
    return 0
  fi
  # shellcheck disable=SC2086
  rss=$(peak_rss_kib $cmd) || rss=""
  python3 - "$json" "$label" "$tool" "$rss" >>"$rows" <<'EOF'
import json, sys
path, label, tool, rss = sys.argv[1:]
r = json.load(open(path))["results"][0]
print(f"{label}\t{tool}\t{r['median']}\t{r['min']}\t{rss}\t")
EOF
}

# ---- workloads -------------------------------------------------------------
for w in $WORKLOADS; do
  for t in $TOOLS; do
    if ! tool_available "$t"; then
      echo ">> $w / $t: skipped (not installed)" >&2
      continue
    fi
    f=$(workload_file "$t" "$w")
    measure "$w" "$t" "$f" "$(tool_cmd "$t" "$f")"
  done
done

# ---- parse speed on a big generated file -----------------------------------
big=$GEN/big.nix
if [ "$BIG_MB" != 0 ]; then
  if [ ! -f "$big" ] || [ "$BENCH/gen-big.py" -nt "$big" ] || [ "$(cat "$GEN/big.mb" 2>/dev/null)" != "$BIG_MB" ]; then
    python3 "$BENCH/gen-big.py" --size-mb "$BIG_MB" -o "$big" >&2
    echo "$BIG_MB" >"$GEN/big.mb"
  fi
  for t in $TOOLS; do
    tool_available "$t" || continue
    case $t in
      nix)
        # Peer reference: Nix's parser (parse + print the AST) and full eval.
        measure "big-parse" nix "$big" "nix-instantiate --parse $big"
        measure "big-eval" nix "$big" "nix-instantiate --eval --strict --json $big"
        ;;
      dvm)
        if "$DVM" check "$big" >/dev/null 2>"$rows.check"; then
          measure "big-check" dvm "$big" "$DVM check $big"
        else
          echo ">> big-check / dvm: \`dvm check\` failed or is missing (exit $?), skipped:" >&2
          head -n 5 "$rows.check" >&2
          printf '%s\t%s\t\t\t\t%s\n' big-check dvm "dvm check failed or missing" >>"$rows"
        fi
        measure "big-eval" dvm "$big" "$DVM eval $big -o json"
        ;;
    esac
  done
fi

# ---- report ----------------------------------------------------------------
{
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
  echo "# dvm benchmark results"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores, $cpu, $mem RAM, $(uname -sr)"
  echo "- load average (1/5/15 min) at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (above ~0.5 means other work shared the 2 cores)"
  echo "- method: hyperfine $(hyperfine --version | cut -d' ' -f2) (--shell=none, 1 warmup, at least $RUNS runs, output to /dev/null); peak RSS = median of 3 runs of /usr/bin/time -f %M"
  if git -C "$BENCH/.." rev-parse --short HEAD >/dev/null 2>&1; then
    echo "- dvm source: $(git -C "$BENCH/.." rev-parse --short HEAD)$(git -C "$BENCH/.." diff --quiet HEAD 2>/dev/null || echo ' (dirty tree)')"
  fi
  echo
  echo "## Tools"
  echo
  for t in $TOOLS; do
    if tool_available "$t"; then
      echo "- $t: \`$(tool_version "$t")\` — run as \`$(tool_cmd "$t" FILE | sed "s|$DVM|dvm|")\`$([ "$t" = dvm ] && echo " (binary: $DVM)")"
    else
      echo "- $t: not installed, skipped"
    fi
  done
  echo
  python3 - "$rows" "$big" <<'EOF'
import os, sys

rows_path, big = sys.argv[1:]
rows = []
for line in open(rows_path):
    label, tool, med, mn, rss, note = line.rstrip("\n").split("\t")
    rows.append(dict(label=label, tool=tool, med=float(med) if med else None,
                     min=float(mn) if mn else None,
                     rss=int(rss) if rss else None, note=note))

def ms(x):
    return "" if x is None else (f"{x * 1000:.1f}" if x < 1 else f"{x * 1000:.0f}")

def mib(k):
    return "" if k is None else f"{k / 1024:.1f}"

nix = {r["label"]: r["med"] for r in rows if r["tool"] == "nix" and r["med"]}

def table(rs):
    print("| workload | tool | median ms | min ms | peak RSS MiB | vs nix |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rs:
        # dvm check is compared with Nix's parser (nix-instantiate --parse).
        ref = nix.get("big-parse" if r["label"] == "big-check" else r["label"])
        rel = f"{r['med'] / ref:.2f}x" if r["med"] and ref else ""
        cells = [r["label"], r["tool"], ms(r["med"]), ms(r["min"]), mib(r["rss"]), rel]
        if r["note"]:
            cells[2] = r["note"]
        print("| " + " | ".join(cells) + " |")
    print()

work = [r for r in rows if not r["label"].startswith("big-")]
bigr = [r for r in rows if r["label"].startswith("big-")]
if work:
    print("## Workloads")
    print()
    print("`vs nix` is the median time relative to nix-instantiate (lower is faster).")
    print("`startup` evaluates `1`: each tool's fixed cost, included in every other row.")
    print()
    table(work)
if bigr:
    size = os.path.getsize(big)
    print(f"## Parse speed: generated file, {size / 1e6:.1f} MB")
    print()
    print("`bench/gen-big.py` output (records, lets, strings, lists, lambdas).")
    print("`big-parse` is `nix-instantiate --parse` (parse and print the AST), the peer's")
    print("nearest to `dvm check`; `big-eval` is the full evaluation to JSON.")
    print()
    table(bigr)
    for r in bigr:
        if r["med"] and r["label"] in ("big-check", "big-parse"):
            what = "dvm check" if r["tool"] == "dvm" else "nix-instantiate --parse"
            print(f"- {what}: **{size / 1e6 / r['med']:.1f} MB/s** (file size / median time)")
    print()
EOF
} | tee "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT" >&2
