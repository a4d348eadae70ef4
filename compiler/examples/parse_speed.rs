//! Throughput check: generates ~10 MB of realistic dvm/Nix configuration
//! text, lexes and parses it, and prints MB/s (run with `--release`).
use dvm_compiler::{diag::FileName, syntax};
use std::fmt::Write;
use std::time::Instant;

/// One service-like block, varied by `i`.
fn block(out: &mut String, i: usize) {
    let _ = write!(
        out,
        r#"
  ## The {i}th service.
  ## Generated for the benchmark.
  svc{i} = let
    port = {port};
    name = "svc-{i}";
  in {{
    inherit name port;
    image = "registry.local/${{name}}:1.{i}";
    replicas = if port > 9000 then 3 else 1;
    timeout = 500ms;
    memory = 512Mi;
    env = {{
      LOG_LEVEL = "info";
      URL = "http://${{name}}:${{toString port}}/api";
      PATH_PREFIX = ./data/svc{i};
    }} // (if {i} == 0 then {{ DEBUG = "1"; }} else {{ }});
    ports = [ port (port + 1) 8443 ];
    deps = map (d: d.name) [ pg{m} redis ] ++ lib.optional (port != 0) "cache";
    healthcheck = {{ cmd, interval ? 5s, ... }}@hc: hc // {{ retries = 3; }};
    script = ''
      #!/bin/sh
      echo "starting ${{name}}"
      exec /bin/svc --port ${{toString port}}
    '';
    labels."app.kubernetes.io/name" = name;
    nvim.plugins += [ "copilot" ];
    enabled = !(lib.elem name disabled) && true || false; # trailing comment
    /* block comment */
    weight = (port * 2 - 1) / 3;
  }};
"#,
        port = 8000 + (i % 2000),
        m = i % 7,
    );
}

fn main() {
    let mut text = String::from(
        "{ lib, pg0, pg1, pg2, pg3, pg4, pg5, pg6, redis, disabled ? [ ], ... }:\nrec {\n",
    );
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        block(&mut text, i);
        i += 1;
    }
    text.push_str("}\n");
    let file: FileName = "bench.dvm".into();
    let mb = text.len() as f64 / (1024.0 * 1024.0);

    let t = Instant::now();
    let lexed = syntax::lexer::lex(&file, &text);
    let lex_s = t.elapsed().as_secs_f64();
    let ntok = lexed.tokens.len();
    drop(lexed);

    let mut best = f64::MAX;
    let mut errors = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let parse = syntax::parse(&file, &text);
        best = best.min(t.elapsed().as_secs_f64());
        errors = parse.errors.len();
    }
    println!("{mb:.1} MB, {ntok} tokens, {i} blocks, {errors} errors");
    println!("lex only:     {:.0} MB/s", mb / lex_s);
    println!("lex + parse:  {:.1} MB/s ({:.3} s)", mb / best, best);
}
