//! The stdlib shipped in the binary (`stdlib/`), end to end: every
//! dependency definition evaluated with its defaults and resolved into a
//! graph (image, ports, health command, volumes, exports and their wiring),
//! host ports on request, and `-I`/`DVM_PATH` entries shadowing the
//! embedded stdlib. Fixtures are in `tests/stdlib/`. Runs the real binary.

mod common;

use common::dvm_in;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stdlib")
}

/// Every definition of `<stdlib/deps>`, and whether its exports carry
/// credentials (`user` and `password`).
const DEPENDENCIES: &[(&str, bool)] = &[
    ("elasticsearch", false),
    ("kafka", false),
    ("mailpit", false),
    ("mariadb", true),
    ("minio", true),
    ("mongodb", true),
    ("mysql", true),
    ("nats", false),
    ("nginx", false),
    ("opensearch", false),
    ("postgres", true),
    ("rabbitmq", true),
    ("redis", false),
    ("valkey", false),
    ("vault", false),
];

fn graph(dir: &Path) -> Value {
    let run = dvm_in(dir, &["eval", "--graph"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "", "no warnings expected");
    serde_json::from_str(&run.stdout).unwrap_or_default()
}

fn node<'g>(graph: &'g Value, id: &str) -> &'g Value {
    graph["nodes"]
        .as_array()
        .and_then(|ns| ns.iter().find(|n| n["id"] == id))
        .unwrap_or(&Value::Null)
}

#[test]
fn the_stdlib_defines_exactly_the_listed_dependencies() {
    let run = dvm_in(
        &fixtures(),
        &[
            "eval",
            "--expr",
            "builtins.attrNames (import <stdlib/deps>)",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let names: Vec<String> = serde_json::from_str(&run.stdout).unwrap_or_default();
    let expected: Vec<&str> = DEPENDENCIES.iter().map(|d| d.0).collect();
    assert_eq!(names, expected);
}

#[test]
fn every_dependency_with_its_defaults_is_complete() {
    let g = graph(&fixtures().join("all-deps"));
    for (name, credentials) in DEPENDENCIES {
        let n = node(&g, &format!("all-deps/{name}"));
        assert_eq!(n["kind"], "Dependency", "{name} is not in the graph");
        let image = n["image"].as_str().unwrap_or_default();
        assert!(image.contains(':'), "{name}: image {image:?} has no tag");
        assert!(
            n["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{name}: no description"
        );
        let ports = n["ports"].as_array().cloned().unwrap_or_default();
        assert!(!ports.is_empty(), "{name}: no ports");
        assert!(
            ports.iter().all(|p| p.get("host").is_none()),
            "{name}: a host port is published by default: {ports:?}"
        );
        let health = n["health"]["command"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            health
                .iter()
                .any(|a| a.as_str().is_some_and(|s| !s.is_empty())),
            "{name}: no health command"
        );
        assert!(
            n["resources"]["memory"].as_i64().unwrap_or(0) >= 128 << 20,
            "{name}: no memory limit"
        );
        // Data on volumes, except Vault's dev mode, which keeps nothing.
        let mounts = n["mounts"].as_array().cloned().unwrap_or_default();
        assert_eq!(
            mounts.is_empty(),
            *name == "vault",
            "{name}: volumes {mounts:?}"
        );
        for m in &mounts {
            let source = m["source"].as_str().unwrap_or_default();
            assert!(
                source.starts_with(&format!("dvm-all-deps-{name}-")),
                "{name}: volume {source}"
            );
        }
        let exports = &n["exports"];
        assert_eq!(exports["host"], *name, "{name}: host is the alias");
        let port = exports["port"].as_str().unwrap_or_default();
        assert!(
            ports
                .iter()
                .any(|p| p["container"].as_i64().map(|c| c.to_string()).as_deref() == Some(port)),
            "{name}: exported port {port} is not a container port"
        );
        let url = exports["url"].as_str().unwrap_or_default();
        assert!(
            url.contains(&format!("{name}:{port}")),
            "{name}: url {url:?} does not name host:port"
        );
        for key in ["user", "password"] {
            assert_eq!(
                exports[key].is_string(),
                *credentials,
                "{name}: exports.{key} = {}",
                exports[key]
            );
        }
        // The consumer gets every export, prefixed with the instance name.
        let env = &node(&g, "all-deps/all/consumer/live")["env"];
        let prefix = name.to_uppercase();
        assert_eq!(env[format!("{prefix}_URL")], url, "{name}: wiring");
        assert_eq!(env[format!("{prefix}_HOST")], *name, "{name}: wiring");
    }
}

#[test]
fn databases_get_their_credentials_from_the_parameters() {
    let g = graph(&fixtures().join("all-deps"));
    let env = |id: &str, key: &str| node(&g, id)["env"][key].clone();
    assert_eq!(env("all-deps/postgres", "POSTGRES_PASSWORD"), "postgres");
    assert_eq!(env("all-deps/mysql", "MYSQL_USER"), "app");
    assert_eq!(env("all-deps/mariadb", "MARIADB_DATABASE"), "app");
    assert_eq!(
        env("all-deps/mongodb", "MONGO_INITDB_ROOT_USERNAME"),
        "root"
    );
    assert_eq!(env("all-deps/rabbitmq", "RABBITMQ_DEFAULT_USER"), "app");
    assert_eq!(env("all-deps/minio", "MINIO_ROOT_USER"), "minioadmin");
    assert_eq!(env("all-deps/vault", "VAULT_DEV_ROOT_TOKEN_ID"), "root");
    // Kafka runs KRaft, advertising its alias on the network.
    assert_eq!(
        env("all-deps/kafka", "KAFKA_PROCESS_ROLES"),
        "broker,controller"
    );
    assert_eq!(
        env("all-deps/kafka", "KAFKA_ADVERTISED_LISTENERS"),
        "PLAINTEXT://kafka:9092"
    );
    assert_eq!(
        node(&g, "all-deps/all/consumer/live")["env"]["POSTGRES_URL"],
        "postgres://postgres:postgres@postgres:5432/app"
    );
    // Not the defaults: what the parameters say reaches the container
    // and the consumer's URL.
    let given: Value = serde_json::from_str(&eval(
        "let d = import <stdlib/deps>; in Ecosystem { name = \"x\"; \
         dependencies.db = d.postgres { user = \"u\"; password = \"p\"; db = \"d\"; }; \
         dependencies.mq = d.mysql { user = \"mu\"; password = \"mp\"; db = \"md\"; }; \
         domains.a = Domain { apps.c = App { path = ./.; uses = [ \"db\" \"mq\" ]; \
         service = Service { image = \"busybox\"; }; }; }; }",
        &["--graph", "-o", "json"],
        None,
    ))
    .unwrap_or_default();
    let env = |id: &str, key: &str| node(&given, id)["env"][key].clone();
    assert_eq!(env("x/db", "POSTGRES_USER"), "u");
    assert_eq!(env("x/db", "POSTGRES_PASSWORD"), "p");
    assert_eq!(env("x/db", "POSTGRES_DB"), "d");
    assert_eq!(env("x/mq", "MYSQL_USER"), "mu");
    assert_eq!(env("x/mq", "MYSQL_DATABASE"), "md");
    assert_eq!(env("x/a/c/live", "DB_URL"), "postgres://u:p@db:5432/d");
    assert_eq!(env("x/a/c/live", "MQ_URL"), "mysql://mu:mp@mq:3306/md");
}

#[test]
fn host_ports_are_published_only_when_asked() {
    let g = graph(&fixtures().join("host-ports"));
    let ports = |id: &str| node(&g, id)["ports"].clone();
    assert_eq!(
        ports("host-ports/db"),
        serde_json::json!([{ "container": 5432, "host": 15432, "protocol": "tcp" }])
    );
    assert_eq!(
        ports("host-ports/queue"),
        serde_json::json!([
            { "container": 5672, "protocol": "tcp" },
            { "container": 15672, "host": 15672, "protocol": "tcp" }
        ])
    );
    // Kafka: a second listener for the host, advertised as localhost.
    let kafka = node(&g, "host-ports/events");
    assert_eq!(
        kafka["env"]["KAFKA_ADVERTISED_LISTENERS"],
        "PLAINTEXT://events:9092,EXTERNAL://localhost:19092"
    );
    assert_eq!(
        kafka["ports"][1],
        serde_json::json!({ "container": 9094, "host": 19092, "protocol": "tcp" })
    );
}

/// Runs `dvm eval --expr EXPR` in the fixtures with extra arguments and
/// environment.
fn eval(expr: &str, args: &[&str], dvm_path: Option<&Path>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dvm"));
    cmd.args(["eval", "--expr", expr])
        .args(args)
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .env_remove("DVM_PATH");
    if let Some(p) = dvm_path {
        cmd.env("DVM_PATH", p);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run dvm: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn search_path_entries_shadow_the_embedded_stdlib() {
    let shadow = fixtures().join("shadow");
    let shadow_arg = shadow.display().to_string();
    let probe = "(import <stdlib/deps>) ? shadowed";
    // From any directory, with no install step: the embedded stdlib.
    assert_eq!(eval(probe, &[], None), "false");
    assert_eq!(eval(probe, &["-I", &shadow_arg], None), "true");
    assert_eq!(eval(probe, &[], Some(&shadow)), "true");
    // A file the shadowing entry lacks still comes from the binary.
    assert_eq!(
        eval(
            "(import <stdlib/workspaces>) ? goApi",
            &["-I", &shadow_arg],
            None
        ),
        "true"
    );
}

#[test]
fn the_stdlib_files_check_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = dvm_in(
        root,
        &[
            "check",
            "stdlib/deps/main.dvm",
            "stdlib/workspaces/main.dvm",
            "stdlib/kinds/main.dvm",
        ],
    );
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""));
}

/// `dvm eval --expr EXPR` in the fixtures, parsed as JSON.
fn eval_json(expr: &str) -> Value {
    serde_json::from_str(&eval(expr, &[], None)).unwrap_or_default()
}

#[test]
fn every_language_has_a_workspace_whose_image_follows_its_version() {
    let made = eval_json(
        r#"let w = import <stdlib/workspaces>; in
        builtins.mapAttrs (n: make: make { }) {
          inherit (w) goApi rustApi pythonApi nodeApi javaApi phpApi;
        }"#,
    );
    let expected = [
        ("goApi", "go", "golang:1.23"),
        ("rustApi", "rust", "rust:1.83"),
        ("pythonApi", "python", "python:3.12"),
        ("nodeApi", "node", "node:22"),
        ("javaApi", "java", "eclipse-temurin:21-jdk"),
        ("phpApi", "php", "php:8.3-cli"),
    ];
    for (name, language, image) in expected {
        let w = &made[name];
        assert_eq!(w["language"], language, "{name}");
        assert_eq!(w["image"], image, "{name}");
        assert_eq!(w["shell"], "zsh", "{name}");
        assert_eq!(w["nvim"]["theme"], "tokyonight", "{name}");
        assert_eq!(w["terminal"]["prompt"], "starship", "{name}");
        assert!(w["nvim"]["plugins"][0] == "telescope", "{name}");
        assert!(
            w["tools"].as_array().is_some_and(|t| !t.is_empty()),
            "{name}"
        );
    }
    // A version given, or an image given, as a user would.
    let go = eval_json(
        r#"let w = import <stdlib/workspaces>; in [
          (w.goApi { languageVersion = "1.24"; nvim.plugins += [ "copilot" ]; })
          (w.goApi { image = "my/go"; })
        ]"#,
    );
    assert_eq!(go[0]["image"], "golang:1.24");
    assert_eq!(
        go[0]["nvim"]["plugins"],
        serde_json::json!([
            "telescope",
            "treesitter",
            "lspconfig",
            "nvim-dap-go",
            "copilot"
        ])
    );
    assert_eq!(go[1]["image"], "my/go");
}

#[test]
fn workspace_settings_name_entries_of_the_kinds_catalogues() {
    let missing = eval_json(
        r#"let
          w = import <stdlib/workspaces>;
          k = import <stdlib/kinds>;
          made = map (make: make { }) [ w.goApi w.rustApi w.pythonApi w.nodeApi w.javaApi w.phpApi ];
          absent = cat: names: builtins.filter (n: !(builtins.hasAttr n cat)) names;
          required = builtins.concatLists (map (p: p.requires) (builtins.attrValues k.nvimPlugins));
        in
        absent k.nvimPlugins required
        ++ builtins.concatLists (map (x:
          absent k.nvimPlugins x.nvim.plugins
          ++ absent k.nvimThemes [ x.nvim.theme ]
          ++ absent k.terminalPrompts [ x.terminal.prompt ]
          ++ absent k.terminalPlugins x.terminal.plugins) made)"#,
    );
    assert_eq!(missing, serde_json::json!([]));
}

#[test]
fn stdlib_kinds_check_their_fields() {
    let made = eval_json(
        r#"let k = import <stdlib/kinds>; in [
          (builtins.kindOf k.nvimPlugins.telescope)
          (builtins.kindOf k.nvimThemes.tokyonight)
          (builtins.kindOf k.terminalPrompts.starship)
          (builtins.kindOf k.terminalPlugins.zsh-autosuggestions)
          (builtins.kindOf k.terminalThemes.tokyonight)
          (builtins.kindOf (k.DataLake {
            location = "s3://lake/events";
            stores.orders = k.DataStore {
              dependency = "db";
              records.order = k.DataRecord { fields = { id = "int"; total = "float"; }; key = [ "id" ]; };
            };
          }))
        ]"#,
    );
    assert_eq!(
        made,
        serde_json::json!([
            "NvimPlugin",
            "NvimTheme",
            "TerminalPrompt",
            "TerminalPlugin",
            "TerminalTheme",
            "DataLake"
        ])
    );
    // A wrong field is refused with the kind's schema.
    let run = dvm_in(
        &fixtures(),
        &[
            "eval",
            "--expr",
            r#"(import <stdlib/kinds>).NvimPlugin { repo = "a/b"; lazzy = true; }"#,
        ],
    );
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("did you mean `lazy`"), "{}", run.stderr);
}
