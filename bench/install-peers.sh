#!/usr/bin/env bash
# Install the benchmark's peers and tools, at the versions results/peers.md
# was measured with. Skips what is already there. Machines are not kept
# between sessions, so run this before bench/run.sh on a fresh one.
#
# The cargo builds are slow on 2 cores (jrsonnet about 6.5 min, nickel about
# 16 min with -j1 each, run in parallel) and run under nice -n 19 with their
# own target dir, so they stay out of the way of other compiles.
set -euo pipefail

JRSONNET_VERSION=0.5.0-pre98 # crates.io has only pre-releases: --version is required
NICKEL_VERSION=1.18.0
TARGET=${PEER_TARGET_DIR:-/tmp/bench-peers-target}
export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"

need_apt=()
command -v nix-instantiate >/dev/null || need_apt+=(nix-bin)
command -v hyperfine >/dev/null || need_apt+=(hyperfine)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update
  apt-get install -y "${need_apt[@]}"
fi

pids=()
if ! jrsonnet --version 2>/dev/null | grep -qF "$JRSONNET_VERSION"; then
  nice -n 19 cargo install --locked jrsonnet --version "$JRSONNET_VERSION" \
    --target-dir "$TARGET/jrsonnet" -j 1 &
  pids+=($!)
fi
if ! nickel --version 2>/dev/null | grep -qF "$NICKEL_VERSION"; then
  nice -n 19 cargo install --locked nickel-lang-cli --version "$NICKEL_VERSION" \
    --target-dir "$TARGET/nickel" -j 1 &
  pids+=($!)
fi
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
