#!/usr/bin/env bash
# Writes the benchmark platform: 20 busybox containers in 4 dependency
# layers (5 dependencies; 5 services using them; 5 depending on those; 5
# depending on those), every one with a health check, so each layer waits
# for the previous one to be healthy (dvm and Compose alike).
set -euo pipefail
out=${1:-/dev/stdout}
{
  echo '{ eco ? "bench-dvm" }:'
  echo 'let'
  echo '  image = "dvm-test-busybox:1";'
  echo '  hc = { command = [ "true" ]; interval = 500ms; timeout = 2s; retries = 20; };'
  echo '  run = [ "sleep" "1000000" ];'
  echo 'in'
  echo 'Ecosystem {'
  echo '  name = eco;'
  echo '  dependencies = {'
  for i in 0 1 2 3 4; do
    echo "    d$i = Dependency { inherit image; command = run; healthCheck = hc; };"
  done
  echo '  };'
  echo '  domains.b = Domain {'
  echo '    apps = {'
  for i in 0 1 2 3 4; do
    echo "      a$i = App { path = ./.; uses = [ \"d$i\" ]; service = Service { inherit image; command = run; healthCheck = hc; }; };"
    echo "      b$i = App { path = ./.; service = Service { inherit image; command = run; healthCheck = hc; dependsOn = [ \"a$i\" ]; }; };"
    echo "      c$i = App { path = ./.; service = Service { inherit image; command = run; healthCheck = hc; dependsOn = [ \"b$i\" ]; }; };"
  done
  echo '    };'
  echo '  };'
  echo '}'
} > "$out"
