# Shared by run.sh and check-equal.sh: which tools exist and how each is run.
# Source it; it defines BENCH, DVM and the functions below.

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORKLOAD_DIR=$BENCH/workloads
# cargo-installed peers live here.
export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
DVM=${DVM:-$BENCH/../target/release/dvm}

ALL_TOOLS="dvm nix jrsonnet nickel"
ALL_WORKLOADS="startup records merge fib strings"

# The file extension of each tool's version of a workload.
tool_ext() {
  case $1 in
    dvm|nix) echo nix ;;
    jrsonnet) echo jsonnet ;;
    nickel) echo ncl ;;
  esac
}

# tool_available TOOL: exit 0 when the tool can be run.
tool_available() {
  case $1 in
    dvm) [ -x "$DVM" ] ;;
    nix) command -v nix-instantiate >/dev/null ;;
    jrsonnet) command -v jrsonnet >/dev/null ;;
    nickel) command -v nickel >/dev/null ;;
    *) return 1 ;;
  esac
}

# tool_cmd TOOL FILE: the command line (words separated by spaces; no shell
# syntax, hyperfine runs it with --shell=none) that prints FILE's value as JSON
# on stdout.
tool_cmd() {
  case $1 in
    dvm) echo "$DVM eval $2 -o json" ;;
    nix) echo "nix-instantiate --eval --strict --json $2" ;;
    jrsonnet) echo "jrsonnet $2" ;;
    nickel) echo "nickel export --format json $2" ;;
  esac
}

# tool_version TOOL: one line.
tool_version() {
  case $1 in
    dvm) "$DVM" --version 2>/dev/null | head -n1 || echo "dvm (no --version)" ;;
    nix) nix-instantiate --version | head -n1 ;;
    jrsonnet) jrsonnet --version 2>&1 | head -n1 ;;
    nickel) nickel --version 2>&1 | head -n1 ;;
  esac
}

# workload_file TOOL WORKLOAD
# (`big` is the generated parse-speed file, Nix syntax only: nix and dvm.)
workload_file() {
  if [ "$2" = big ]; then
    echo "$BENCH/gen/big.nix"
  else
    echo "$WORKLOAD_DIR/$2.$(tool_ext "$1")"
  fi
}
