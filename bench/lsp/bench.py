#!/usr/bin/env python3
"""Latency and memory of `dvm lsp` on the generated 200-app platform.

Drives the real binary over stdio (JSON-RPC, as an editor does):
opens main.dvm and domain-00.dvm, then
- EDITS times: changes one line of domain-00.dvm and times didChange →
  the first publishDiagnostics of that file (syntax, names, types) and →
  `dvm/checked` (every stage, evaluation and graph included);
- COMPLETIONS times: completion in domain-00.dvm, timed to its answer;
- reads the server's RSS after 100, EDITS and MEMORY_EDITS edits.

Usage: bench.py DVM_BINARY PLATFORM_DIR [EDITS=200] [COMPLETIONS=200] [MEMORY_EDITS=1000]
(make the platform with bench/platform/gen.py).
"""
import json, os, queue, subprocess, sys, threading, time

dvm, root = sys.argv[1], os.path.abspath(sys.argv[2])
edits = int(sys.argv[3]) if len(sys.argv) > 3 else 200
completions = int(sys.argv[4]) if len(sys.argv) > 4 else 200
memory_edits = int(sys.argv[5]) if len(sys.argv) > 5 else 1000

proc = subprocess.Popen([dvm, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
inbox = queue.Queue()


def reader():
    f = proc.stdout
    while True:
        length = None
        while True:
            line = f.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        body = f.read(length)
        inbox.put((time.perf_counter(), json.loads(body)))


threading.Thread(target=reader, daemon=True).start()
next_id = [0]


def send(msg):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def request(method, params):
    next_id[0] += 1
    send({"jsonrpc": "2.0", "id": next_id[0], "method": method, "params": params})
    return next_id[0]


def notify(method, params):
    send({"jsonrpc": "2.0", "method": method, "params": params})


def wait(pred, timeout=60):
    end = time.perf_counter() + timeout
    while True:
        t, msg = inbox.get(timeout=max(0.001, end - time.perf_counter()))
        if pred(msg):
            return t, msg


def uri(p):
    return "file://" + p


def rss_mib():
    with open(f"/proc/{proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


main = os.path.join(root, "main.dvm")
dom = os.path.join(root, "domain-00.dvm")
rid = request("initialize", {"capabilities": {}, "rootUri": uri(root), "processId": None})
wait(lambda m: m.get("id") == rid)
notify("initialized", {})
texts = {p: open(p).read() for p in (main, dom)}
for p in (main, dom):
    notify("textDocument/didOpen", {"textDocument": {"uri": uri(p), "languageId": "dvm", "version": 1, "text": texts[p]}})
t0 = time.perf_counter()
wait(lambda m: m.get("method") == "dvm/checked")
print(f"first full check after open: {(time.perf_counter() - t0) * 1000:.0f} ms")

needle = 'SETTING_0 = "value-0-0-0";'
version = [1]
static_ms, full_ms = [], []
memory = {}


def edit(i, timed):
    version[0] += 1
    text = texts[dom].replace(needle, f'SETTING_0 = "value-0-0-0-{i}";', 1)
    while not inbox.empty():
        inbox.get()
    t = time.perf_counter()
    notify("textDocument/didChange", {"textDocument": {"uri": uri(dom), "version": version[0]}, "contentChanges": [{"text": text}]})
    t1, _ = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri(dom))
    t2, _ = wait(lambda m: m.get("method") == "dvm/checked")
    if timed:
        static_ms.append((t1 - t) * 1000)
        full_ms.append((t2 - t) * 1000)


for i in range(edits):
    edit(i, True)
    if (i + 1) % 100 == 0:
        memory[i + 1] = rss_mib()
memory[edits] = rss_mib()

# Completion of the names in scope: before `lib` of `(lib.mkApp`.
line_no = next(i for i, l in enumerate(texts[dom].splitlines()) if "(lib.mkApp" in l)
col = texts[dom].splitlines()[line_no].index("(lib.mkApp") + 1
comp_ms = []
for _ in range(completions):
    t = time.perf_counter()
    rid = request("textDocument/completion", {"textDocument": {"uri": uri(dom)}, "position": {"line": line_no, "character": col}})
    t1, msg = wait(lambda m: m.get("id") == rid)
    comp_ms.append((t1 - t) * 1000)
items = msg.get("result") or []

for i in range(edits, memory_edits):
    edit(i, False)
    if (i + 1) % 100 == 0:
        memory[i + 1] = rss_mib()
memory[memory_edits] = rss_mib()

print(f"edits: {edits}")
print(f"didChange -> publishDiagnostics (static) p50 {pct(static_ms, 50):.1f} ms, p99 {pct(static_ms, 99):.1f} ms")
print(f"didChange -> dvm/checked (all stages)    p50 {pct(full_ms, 50):.1f} ms, p99 {pct(full_ms, 99):.1f} ms")
print(f"completion ({len(items)} items)           p50 {pct(comp_ms, 50):.1f} ms, p99 {pct(comp_ms, 99):.1f} ms")
print("RSS after edits: " + ", ".join(f"{k}: {v:.0f} MiB" for k, v in sorted(memory.items())))
rid = request("shutdown", None)
wait(lambda m: m.get("id") == rid)
notify("exit", None)
proc.wait(timeout=10)
