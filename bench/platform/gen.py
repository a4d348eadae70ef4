#!/usr/bin/env python3
"""Generates the 200-app ecosystem of the types-and-graph benchmark:
50 files (main.dvm, lib.dvm with templates and a user kind, 48 domain
files of 4-5 apps each), about 20k lines. Usage: gen.py OUT_DIR"""
import os, sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/dvm-platform"
os.makedirs(out, exist_ok=True)

lib = '''## Shared templates and kinds of the generated platform.
let
  inherit (import <stdlib/workspaces>) goApi;
  ## A web service with the platform's defaults.
  webService = Template Service {
    replicas = 1;
    resources = { memory = 256Mi; cpu = 250m; };
    healthCheck = { http = { path = "/health"; port = 8080; }; interval = 10s; timeout = 2s; retries = 3; };
    env = { LOG_LEVEL = "info"; LOG_FORMAT = "json"; };
  };
  ## A feature flag of the platform.
  FeatureFlag = kind "FeatureFlag" { enabled : Bool, rollout : Int ? 100, owner : String };
  type Port = { container : Int, host ? : Int };
  ## Builds an app from a few parameters.
  mkApp = { name : String, port : Int, language : String ? "go", uses : [String] ? [ ] }:
    App {
      path = ./services + "/${name}";
      inherit language uses;
      workspace = goApi { languageVersion = "1.24"; nvim.plugins += [ "copilot" ]; };
    };
in
{ inherit webService FeatureFlag mkApp goApi; }
'''
open(os.path.join(out, "lib.dvm"), "w").write(lib)

def app(d, i, n):
    port = 10000 + n
    lines = []
    lines.append(f"    ## App {i} of domain {d}.")
    lines.append(f"    app-{d}-{i} = (lib.mkApp {{ name = \"app-{d}-{i}\"; port = {port}; uses = [ \"db-{d}\" \"cache\" ]; }}) // {{")
    lines.append(f"      service = lib.webService {{")
    lines.append(f"        image = \"registry.local/app-{d}-{i}:1.0.{i}\";")
    lines.append(f"        command = [ \"/bin/server\" \"--port\" \"8080\" \"--name\" \"app-{d}-{i}\" ];")
    lines.append(f"        ports = [ {{ container = 8080; host = {port}; }} ];")
    lines.append(f"        env = {{")
    for k in range(30):
        lines.append(f"          SETTING_{k} = \"value-{d}-{i}-{k}\";")
    lines.append(f"          SERVICE_NAME = \"app-{d}-{i}\";")
    lines.append(f"        }};")
    lines.append(f"        resources.memory = {128 + (i % 4) * 64}Mi;")
    lines.append(f"        dependsOn = [ ];")
    lines.append(f"      }};")
    lines.append(f"    }};")
    lines.append(f"    flags-{d}-{i} = {{")
    for k in range(20):
        lines.append(f"      # flag {k}: gradual rollout of feature {k}")
        lines.append(f"      f{k} = lib.FeatureFlag {{ enabled = {'true' if k % 2 else 'false'}; rollout = {k * 5}; owner = \"team-{d}\"; }};")
    lines.append(f"    }};")
    return lines

n = 0
domains = []
for d in range(48):
    napps = 5 if d < 8 else 4
    lines = [f"## Domain {d}: generated.", "{ lib }:", "let", "  inherit (import <stdlib/deps>) postgres;", "  apps = {"]
    flags = []
    for i in range(napps):
        al = app(d, i, n)
        # split: app entries into apps, flags into a separate binding
        split = al.index(f"    flags-{d}-{i} = {{")
        lines += al[:split]
        flags += al[split:]
        n += 1
    lines.append("  };")
    lines.append("  flags = {")
    lines += flags
    lines.append("  };")
    lines.append("in")
    lines.append("Domain {")
    lines.append(f"  description = \"Generated domain {d}\";")
    lines.append(f"  dependencies.db-{d} = postgres {{ db = \"d{d}\"; }};")
    lines.append("  apps = builtins.mapAttrs (name: a: builtins.removeAttrs a [ ]) (builtins.mapAttrs (n: a: App a) apps);")
    lines.append("  tasks = {")
    lines.append(f"    lint = Task {{ target = \"app-{d}-0\"; command = [ \"make\" \"lint\" ]; }};")
    lines.append(f"    test = Task {{ target = \"app-{d}-0\"; command = [ \"make\" \"test\" ]; timeout = 10m; }};")
    lines.append("  };")
    lines.append("  workflows.ci = Workflow { tasks = { lint.task = \"lint\"; test = { task = \"test\"; dependsOn = [ \"lint\" ]; }; }; };")
    lines.append("}")
    name = f"domain-{d:02}.dvm"
    open(os.path.join(out, name), "w").write("\n".join(lines) + "\n")
    domains.append((d, name))

main = ["## The generated 200-app platform.", "let", "  lib = import ./lib.dvm;", "  inherit (import <stdlib/deps>) redis;", "in", "Ecosystem {", "  name = \"bench\";", "  description = \"200 generated apps\";", "  dependencies.cache = redis { };", "  domains = {"]
for d, name in domains:
    main.append(f"    d{d} = import ./{name} {{ inherit lib; }};")
main += ["  };", "}"]
open(os.path.join(out, "main.dvm"), "w").write("\n".join(main) + "\n")
total = sum(len(open(os.path.join(out, f)).read().splitlines()) for f in os.listdir(out))
print(f"{out}: {len(os.listdir(out))} files, {total} lines, {n} apps")
