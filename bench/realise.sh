#!/usr/bin/env bash
# `dvm realise` against `docker-compose up -d` on the same graph (exported
# with `dvm export compose`): a generated 20-container busybox platform in 4
# dependency layers, health-gated. Measures a cold start (nothing exists)
# and a no-op (everything up to date). Needs Docker, docker-compose 1.29,
# busybox-static, and a release build of dvm.
#
#   bench/realise.sh            # RUNS=3 cold runs, NOOP=10 no-op runs each
set -euo pipefail
cd "$(dirname "$0")/.."
DVM=${DVM:-target/release/dvm}
RUNS=${RUNS:-3}
NOOP=${NOOP:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DVM_HOME="$work/home" NO_COLOR=1

if ! docker image inspect dvm-test-busybox:1 >/dev/null 2>&1; then
  cp /bin/busybox "$work/busybox"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && mkdir -p /tmp && chmod 1777 /tmp"]\n' > "$work/Dockerfile"
  docker build -q -t dvm-test-busybox:1 "$work" >/dev/null
fi
[ -x "$DVM" ] || cargo build --release

bench/realise/gen.sh "$work/bench.dvm"
"$DVM" export compose "$work/bench.dvm" --argstr eco bench-compose > "$work/compose.yml"
compose() { docker-compose -p benchcompose -f "$work/compose.yml" "$@"; }

now() { date +%s%N; }
# median of the numbers on stdin (ms)
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

dvm_up() { "$DVM" realise "$work/bench.dvm" --yes --argstr eco bench-dvm >/dev/null 2>"$work/dvm.err"; }
dvm_down() { "$DVM" destroy "$work/bench.dvm" --volumes --argstr eco bench-dvm >/dev/null 2>&1 || true; }

# Each tool runs alone: the other's stack is down while it is measured
# (20 busybox containers checking their health every 500 ms keep the
# engine busy, which would slow whichever tool runs beside them).
cold_dvm=(); noop_dvm=(); cold_compose=(); noop_compose=()
for run in $(seq "$RUNS"); do
  dvm_down; compose down -v >/dev/null 2>&1 || true
  t0=$(now); dvm_up; t1=$(now); cold_dvm+=($(( (t1 - t0) / 1000000 )))
  if [ "$run" = 1 ]; then
    for _ in $(seq "$NOOP"); do
      t0=$(now); dvm_up; t1=$(now); noop_dvm+=($(( (t1 - t0) / 1000000 )))
    done
    "$DVM" realise "$work/bench.dvm" --yes --argstr eco bench-dvm | tail -1
  fi
  dvm_down
  t0=$(now); compose up -d >/dev/null 2>&1; t1=$(now); cold_compose+=($(( (t1 - t0) / 1000000 )))
  if [ "$run" = 1 ]; then
    for _ in $(seq "$NOOP"); do
      t0=$(now); compose up -d >/dev/null 2>&1; t1=$(now); noop_compose+=($(( (t1 - t0) / 1000000 )))
    done
  fi
  compose down -v >/dev/null 2>&1 || true
done

cd_m=$(printf '%s\n' "${cold_dvm[@]}" | median)
cc_m=$(printf '%s\n' "${cold_compose[@]}" | median)
nd_m=$(printf '%s\n' "${noop_dvm[@]}" | median)
nc_m=$(printf '%s\n' "${noop_compose[@]}" | median)
echo
echo "| 20 containers, 4 layers | dvm realise | docker-compose up -d | ratio |"
echo "|---|---|---|---|"
echo "| cold (median of $RUNS, ms) | $cd_m | $cc_m | $(awk "BEGIN{printf \"%.2f\", $cc_m/$cd_m}")× |"
echo "| no-op (median of $NOOP, ms) | $nd_m | $nc_m | $(awk "BEGIN{printf \"%.1f\", $nc_m/$nd_m}")× |"
echo
echo "raw: dvm cold ${cold_dvm[*]}; compose cold ${cold_compose[*]}; dvm no-op ${noop_dvm[*]}; compose no-op ${noop_compose[*]}"
