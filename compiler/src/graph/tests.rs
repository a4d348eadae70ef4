//! Tests of graph resolution through [`super::resolve`], on [`Data`] built
//! by hand (the evaluator is not involved): the customer platform of the
//! spec, every check, and the renderers.
//!
//! Objects get deterministic spans: an object built at `at` spans
//! `at..at+100`, and its n-th field (in the order written here, from 0)
//! `at+10(n+1)..at+10(n+1)+5`, so a diagnostic's span says which field it
//! points at.

use super::*;
use crate::data::{Data, ObjectData, SecretPart, Source};
use crate::intern::Sym;
use crate::syntax::ast::Span;
use std::collections::HashMap;

fn src(start: u32, end: u32) -> Source {
    Source {
        file: "main.dvm".into(),
        span: Span { start, end },
    }
}

fn obj(kind: &str, at: u32, fields: Vec<(&str, Data)>) -> Data {
    let field_sources = fields
        .iter()
        .enumerate()
        .map(|(i, (k, _))| {
            let s = at + 10 * (i as u32 + 1);
            (Sym::new(k), src(s, s + 5))
        })
        .collect::<Vec<_>>();
    let mut fields: Vec<(Sym, Data)> = fields.into_iter().map(|(k, v)| (Sym::new(k), v)).collect();
    fields.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    let mut field_sources = field_sources;
    field_sources.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    Data::Object(Box::new(ObjectData {
        kind: Sym::new(kind),
        template: false,
        fields: fields.into_boxed_slice(),
        source: Some(src(at, at + 100)),
        field_sources: field_sources.into_boxed_slice(),
    }))
}

fn template(kind: &str, at: u32, fields: Vec<(&str, Data)>) -> Data {
    match obj(kind, at, fields) {
        Data::Object(mut o) => {
            o.template = true;
            Data::Object(o)
        }
        other => other,
    }
}

fn attrs(fields: Vec<(&str, Data)>) -> Data {
    let mut fields: Vec<(Sym, Data)> = fields.into_iter().map(|(k, v)| (Sym::new(k), v)).collect();
    fields.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    Data::Attrs(fields.into_boxed_slice())
}

fn s(text: &str) -> Data {
    Data::Str(text.into())
}

fn strs(items: &[&str]) -> Data {
    Data::List(items.iter().map(|i| s(i)).collect())
}

fn list(items: Vec<Data>) -> Data {
    Data::List(items.into_boxed_slice())
}

fn port(container: i64, host: Option<i64>) -> Data {
    let mut f = vec![("container", Data::Int(container))];
    if let Some(h) = host {
        f.push(("host", Data::Int(h)));
    }
    attrs(f)
}

fn secret(name: &str) -> Data {
    Data::Secret(vec![SecretPart::Secret(name.into())].into_boxed_slice())
}

/// A stdlib-like postgres: exports are a function (handle `func`) that
/// [`Fake`] answers with host, port and url built from the alias.
fn postgres(at: u32, func: u32, db: &str, password: Option<Data>) -> Data {
    obj(
        "Dependency",
        at,
        vec![
            ("image", s("postgres:16")),
            ("ports", list(vec![port(5432, None)])),
            (
                "env",
                attrs(vec![
                    ("POSTGRES_DB", s(db)),
                    (
                        "POSTGRES_PASSWORD",
                        password.unwrap_or_else(|| s("postgres")),
                    ),
                ]),
            ),
            (
                "healthCheck",
                attrs(vec![
                    ("command", strs(&["pg_isready", "-U", "postgres"])),
                    ("interval", Data::Int(5_000)),
                    ("timeout", Data::Int(3_000)),
                    ("retries", Data::Int(10)),
                    ("startPeriod", Data::Int(0)),
                ]),
            ),
            (
                "volumes",
                list(vec![attrs(vec![
                    ("name", s("data")),
                    ("mountPath", s("/var/lib/postgresql/data")),
                ])]),
            ),
            ("exports", Data::Function(func)),
        ],
    )
}

/// A redis with a plain record of exports.
fn redis(at: u32) -> Data {
    obj(
        "Dependency",
        at,
        vec![
            ("image", s("redis:7")),
            ("ports", list(vec![port(6379, None)])),
            (
                "exports",
                attrs(vec![("host", s("platform-cache")), ("port", s("6379"))]),
            ),
        ],
    )
}

/// Answers `exports` functions: handle → database name.
#[derive(Default)]
struct Fake {
    dbs: HashMap<u32, String>,
    calls: Vec<String>,
}

impl Calls for Fake {
    fn call(&mut self, func: u32, arg: Data) -> Result<Data, crate::diag::Diagnostic> {
        self.calls.push(arg.to_json_string());
        let Some(db) = self.dbs.get(&func) else {
            return Err(crate::diag::Diagnostic::error(
                crate::codes::eval::THROW,
                "no such function",
            ));
        };
        let alias = arg.get("alias").and_then(Data::as_str).unwrap_or("?");
        // The platform's password is a secret, the others are not.
        let password = if db == "platform" {
            Data::Secret(
                vec![
                    SecretPart::Text("postgres://app:".into()),
                    SecretPart::Secret("PLATFORM_DB_PASSWORD".into()),
                    SecretPart::Text(format!("@{alias}:5432/{db}").into()),
                ]
                .into_boxed_slice(),
            )
        } else {
            s(&format!("postgres://app:postgres@{alias}:5432/{db}"))
        };
        Ok(attrs(vec![
            ("host", s(alias)),
            ("port", s("5432")),
            ("url", password),
        ]))
    }
}

fn fake() -> Fake {
    let mut f = Fake::default();
    f.dbs.insert(1, "platform".into());
    f.dbs.insert(2, "test".into());
    f.dbs.insert(3, "other".into());
    f
}

fn task(at: u32, target: &str, command: &[&str]) -> Data {
    obj(
        "Task",
        at,
        vec![("target", s(target)), ("command", strs(command))],
    )
}

fn step(task: Data, depends_on: &[&str]) -> Data {
    attrs(vec![("task", task), ("dependsOn", strs(depends_on))])
}

/// /work/shared/spec/customer-platform.dvm, as the evaluator would give it.
fn customer_platform() -> Data {
    let go_api = obj(
        "Workspace",
        1100,
        vec![
            ("image", s("golang:1.24")),
            ("languageVersion", s("1.24")),
            (
                "nvim",
                attrs(vec![("plugins", strs(&["telescope", "copilot"]))]),
            ),
            ("tools", strs(&["gopls", "golangci-lint"])),
        ],
    );
    let auth_api = obj(
        "App",
        1000,
        vec![
            ("path", s("/home/me/cp/services/auth-api")),
            ("language", s("go")),
            ("uses", strs(&["platform-db", "platform-cache"])),
            ("workspace", go_api),
            (
                "service",
                obj(
                    "Service",
                    1200,
                    vec![
                        ("build", s("/home/me/cp/services/auth-api")),
                        ("ports", list(vec![port(8080, Some(8080))])),
                        (
                            "resources",
                            attrs(vec![
                                ("memory", Data::Int(512 * 1024 * 1024)),
                                ("cpu", Data::Int(500)),
                            ]),
                        ),
                        (
                            "healthCheck",
                            attrs(vec![
                                (
                                    "http",
                                    attrs(vec![("path", s("/health")), ("port", Data::Int(8080))]),
                                ),
                                ("interval", Data::Int(10_000)),
                                ("timeout", Data::Int(3_000)),
                                ("retries", Data::Int(5)),
                            ]),
                        ),
                    ],
                ),
            ),
        ],
    );
    let isolated = obj(
        "App",
        1400,
        vec![
            ("path", s("/home/me/cp/services/auth-api")),
            ("language", s("go")),
            (
                "dependencies",
                attrs(vec![("test-db", postgres(1500, 2, "test", None))]),
            ),
            ("uses", strs(&["test-db"])),
        ],
    );
    let ci = obj(
        "Workflow",
        1600,
        vec![(
            "tasks",
            attrs(vec![
                (
                    "lint",
                    attrs(vec![(
                        "task",
                        task(1700, "auth-api", &["golangci-lint", "run"]),
                    )]),
                ),
                (
                    "scan",
                    attrs(vec![("task", task(1800, "auth-api", &["gosec", "./..."]))]),
                ),
                (
                    "test",
                    step(
                        obj(
                            "Task",
                            1900,
                            vec![
                                ("target", s("auth-api")),
                                ("command", strs(&["go", "test", "./..."])),
                                ("timeout", Data::Int(300_000)),
                            ],
                        ),
                        &["lint", "scan"],
                    ),
                ),
                (
                    "build",
                    step(task(2000, "auth-api", &["go", "build"]), &["test"]),
                ),
            ]),
        )],
    );
    let auth = obj(
        "Domain",
        900,
        vec![
            ("description", s("Authentication and authorization")),
            (
                "apps",
                attrs(vec![("auth-api", auth_api), ("isolated-tests", isolated)]),
            ),
            ("workflows", attrs(vec![("ci", ci)])),
        ],
    );
    let users = obj(
        "Domain",
        2100,
        vec![(
            "apps",
            attrs(vec![(
                "user-api",
                obj(
                    "App",
                    2200,
                    vec![
                        ("path", s("/home/me/cp/services/user-api")),
                        ("language", s("go")),
                        ("uses", strs(&["platform-db"])),
                        (
                            "service",
                            obj(
                                "Service",
                                2300,
                                vec![
                                    ("build", s("/home/me/cp/services/user-api")),
                                    ("ports", list(vec![port(8080, Some(8081))])),
                                ],
                            ),
                        ),
                    ],
                ),
            )]),
        )],
    );
    obj(
        "Ecosystem",
        0,
        vec![
            ("description", s("All customer-facing services")),
            (
                "dependencies",
                attrs(vec![
                    (
                        "platform-db",
                        postgres(100, 1, "platform", Some(secret("PLATFORM_DB_PASSWORD"))),
                    ),
                    ("platform-cache", redis(300)),
                ]),
            ),
            ("domains", attrs(vec![("auth", auth), ("users", users)])),
        ],
    )
}

fn run(root: &Data) -> Resolved {
    resolve(root, "customer-platform", &mut fake())
}

fn diags(r: &Resolved) -> String {
    crate::syntax::test_print::diags(&r.diagnostics)
}

fn json(g: &Graph) -> String {
    serde_json::to_string_pretty(g).unwrap_or_default()
}

fn graph(r: &Resolved) -> &Graph {
    match &r.graph {
        Some(g) => g,
        None => panic!("no graph: {}", diags(r)),
    }
}

fn node<'g>(g: &'g Graph, id: &str) -> &'g Node {
    match g.node(id) {
        Some(n) => n,
        None => panic!("no node {id}"),
    }
}

fn env(n: &Node) -> Vec<String> {
    n.env
        .iter()
        .map(|(k, v)| format!("{k}={}", v.shown()))
        .collect()
}

/// A small ecosystem: `fields` on the Ecosystem, named `eco`.
fn eco(fields: Vec<(&str, Data)>) -> Data {
    obj("Ecosystem", 0, fields)
}

fn domain(at: u32, fields: Vec<(&str, Data)>) -> Data {
    obj("Domain", at, fields)
}

fn app(at: u32, fields: Vec<(&str, Data)>) -> Data {
    let mut f = vec![("path", s("/src/app"))];
    f.extend(fields);
    obj("App", at, f)
}

fn service(at: u32, fields: Vec<(&str, Data)>) -> Data {
    obj("Service", at, fields)
}

#[test]
fn customer_platform_resolves() {
    let mut calls = fake();
    let r = resolve(&customer_platform(), "customer-platform", &mut calls);
    insta::assert_snapshot!(diags(&r), @"");
    let g = graph(&r);
    // One shared platform-db, used by auth-api's dev and live and by
    // user-api's live; test-db its own node under isolated-tests.
    let users_of = |id: &str| -> Vec<String> {
        g.edges
            .iter()
            .filter(|e| e.to == id && e.kind == EdgeKind::Uses)
            .map(|e| e.from.clone())
            .collect()
    };
    assert_eq!(
        users_of("customer-platform/platform-db"),
        [
            "customer-platform/auth/auth-api",
            "customer-platform/auth/auth-api/dev",
            "customer-platform/auth/auth-api/live",
            "customer-platform/users/user-api",
            "customer-platform/users/user-api/live",
        ]
    );
    assert_eq!(
        users_of("customer-platform/auth/isolated-tests/test-db"),
        ["customer-platform/auth/isolated-tests"]
    );
    let db = node(g, "customer-platform/platform-db");
    assert_eq!(
        db.container.as_deref(),
        Some("dvm-customer-platform-platform-db")
    );
    let test_db = node(g, "customer-platform/auth/isolated-tests/test-db");
    assert_eq!(
        test_db.container.as_deref(),
        Some("dvm-customer-platform-auth-isolated-tests-test-db")
    );
    let dev = node(g, "customer-platform/auth/auth-api/dev");
    assert_eq!(
        dev.container.as_deref(),
        Some("dvm-customer-platform-auth-auth-api-dev")
    );
    // Wiring reaches both consumers; the secret stays a placeholder.
    for id in [
        "customer-platform/auth/auth-api/dev",
        "customer-platform/auth/auth-api/live",
        "customer-platform/users/user-api/live",
    ] {
        let e = env(node(g, id));
        assert!(
            e.contains(&"PLATFORM_DB_URL=postgres://app:<secret:PLATFORM_DB_PASSWORD>@platform-db:5432/platform".to_string()),
            "{id}: {e:?}"
        );
    }
    assert!(matches!(
        node(g, "customer-platform/users/user-api/live")
            .env
            .get("PLATFORM_DB_URL"),
        Some(EnvValue::Secret(_))
    ));
    let text = json(g);
    assert!(!text.contains("\"postgres://app:@"), "a secret leaked");
    // The exports function was called once per postgres instance, with
    // the instance's name, alias and id.
    insta::assert_snapshot!(calls.calls.join("\n"), @r#"
    {"alias":"platform-db","id":"customer-platform/platform-db","name":"platform-db"}
    {"alias":"test-db","id":"customer-platform/auth/isolated-tests/test-db","name":"test-db"}
    "#);
    insta::assert_snapshot!("customer_platform_graph", text);
}

#[test]
fn customer_platform_tables() {
    let r = run(&customer_platform());
    let g = graph(&r);
    let t = |k: &str| table(g, k).unwrap_or_default();
    assert_eq!(table(g, "deps"), None);
    insta::assert_snapshot!(t("Dependencies"), @r"
    NAME             ID                                              IMAGE         PORTS      CONTAINER
    platform-cache   customer-platform/platform-cache                redis:7       6379/tcp   dvm-customer-platform-platform-cache
    platform-db      customer-platform/platform-db                   postgres:16   5432/tcp   dvm-customer-platform-platform-db
    test-db          customer-platform/auth/isolated-tests/test-db   postgres:16   5432/tcp   dvm-customer-platform-auth-isolated-tests-test-db
    ");
    insta::assert_snapshot!(t("app"), @r"
    NAME             DOMAIN   PATH                            LANGUAGE   WORKSPACE                                 SERVICE
    auth-api         auth     /home/me/cp/services/auth-api   go         dvm-customer-platform-auth-auth-api-dev   dvm-customer-platform-auth-auth-api-live
    isolated-tests   auth     /home/me/cp/services/auth-api   go         <none>                                    <none>
    user-api         users    /home/me/cp/services/user-api   go         <none>                                    dvm-customer-platform-users-user-api-live
    ");
    insta::assert_snapshot!(t("SERVICES"), @r"
    NAME                                    APP        IMAGE                                 PORTS           CONTAINER
    customer-platform/auth/auth-api/live    auth-api   build:/home/me/cp/services/auth-api   8080:8080/tcp   dvm-customer-platform-auth-auth-api-live
    customer-platform/users/user-api/live   user-api   build:/home/me/cp/services/user-api   8081:8080/tcp   dvm-customer-platform-users-user-api-live
    ");
    insta::assert_snapshot!(t("workflow"), @r"
    NAME   DOMAIN   TASKS   ORDER
    ci     auth     4       lint,scan → test → build
    ");
    insta::assert_snapshot!(t("tasks"), @r"
    NAME    DOMAIN   TARGET                                COMMAND
    build   auth     customer-platform/auth/auth-api/dev   go build
    lint    auth     customer-platform/auth/auth-api/dev   golangci-lint run
    scan    auth     customer-platform/auth/auth-api/dev   gosec ./...
    test    auth     customer-platform/auth/auth-api/dev   go test ./...
    ");
    assert_eq!(table(g, "gadgets"), None);
    assert_eq!(nodes_of_kind(g, "workspaces").len(), 1);
    assert_eq!(nodes_of_kind(g, "gadget").len(), 0);
}

#[test]
fn customer_platform_pictures() {
    let r = run(&customer_platform());
    let g = graph(&r);
    insta::assert_snapshot!("customer_platform_dot", to_dot(g));
    insta::assert_snapshot!("customer_platform_mermaid", to_mermaid(g));
}

fn resolved(root: &Data) -> (Resolved, String) {
    let r = run(root);
    let d = diags(&r);
    (r, d)
}

#[test]
fn exports_record_and_consumer_env_wins() {
    // platform-cache exports a plain record; the service sets its own
    // PLATFORM_CACHE_HOST, which wins over the wired one.
    let root = eco(vec![
        ("dependencies", attrs(vec![("platform-cache", redis(100))])),
        (
            "domains",
            attrs(vec![(
                "d",
                domain(
                    200,
                    vec![(
                        "apps",
                        attrs(vec![(
                            "api",
                            app(
                                300,
                                vec![(
                                    "service",
                                    service(
                                        400,
                                        vec![
                                            ("image", s("api:1")),
                                            ("uses", strs(&["platform-cache"])),
                                            (
                                                "env",
                                                attrs(vec![
                                                    ("PLATFORM_CACHE_HOST", s("cache.local")),
                                                    ("MODE", s("live")),
                                                    ("WORKERS", Data::Int(4)),
                                                ]),
                                            ),
                                        ],
                                    ),
                                )],
                            ),
                        )]),
                    )],
                ),
            )]),
        ),
    ]);
    let (r, d) = resolved(&root);
    assert_eq!(d, "");
    let g = graph(&r);
    assert_eq!(
        env(node(g, "customer-platform/d/api/live")),
        [
            "MODE=live",
            "PLATFORM_CACHE_HOST=cache.local",
            "PLATFORM_CACHE_PORT=6379",
            "WORKERS=4"
        ]
    );
    // One layer for the cache, then the service.
    assert_eq!(
        g.start_order,
        [
            vec!["customer-platform/platform-cache".to_string()],
            vec!["customer-platform/d/api/live".to_string()]
        ]
    );
}

#[test]
fn shadowing_warns_and_inner_instance_wins() {
    // The domain re-declares `db`; the app (inside the domain) gets the
    // domain's instance, and the alias of both becomes the scope path.
    let root = eco(vec![
        (
            "dependencies",
            attrs(vec![("db", postgres(100, 1, "platform", None))]),
        ),
        (
            "domains",
            attrs(vec![(
                "d",
                domain(
                    200,
                    vec![
                        (
                            "dependencies",
                            attrs(vec![("db", postgres(300, 3, "other", None))]),
                        ),
                        (
                            "apps",
                            attrs(vec![(
                                "api",
                                app(
                                    500,
                                    vec![
                                        ("uses", strs(&["db"])),
                                        ("service", service(600, vec![("image", s("api:1"))])),
                                    ],
                                ),
                            )]),
                        ),
                    ],
                ),
            )]),
        ),
    ]);
    let (r, d) = resolved(&root);
    insta::assert_snapshot!(d, @"W0601 300..400: `db` in `customer-platform/d` is a new instance that shadows `customer-platform/db` [a new instance] (+100..200 the outer instance) help: to share `customer-platform/db`, remove this declaration and keep `uses = [ \"db\" ]`; to keep both, give this one another name");
    let g = graph(&r);
    let live = node(g, "customer-platform/d/api/live");
    assert_eq!(live.uses, ["customer-platform/d/db"]);
    assert_eq!(node(g, "customer-platform/db").alias.as_deref(), Some("db"));
    assert_eq!(
        node(g, "customer-platform/d/db").alias.as_deref(),
        Some("d-db")
    );
    assert_eq!(
        live.env.get("DB_URL").map(EnvValue::shown).as_deref(),
        Some("postgres://app:postgres@d-db:5432/other")
    );
}

#[test]
fn wired_variable_clash_inner_wins() {
    // The app uses the ecosystem's `db`; its workspace declares and uses
    // its own `db`: both give DB_URL to the workspace, the inner wins.
    let root = eco(vec![
        (
            "dependencies",
            attrs(vec![("db", postgres(100, 1, "platform", None))]),
        ),
        (
            "domains",
            attrs(vec![(
                "d",
                domain(
                    200,
                    vec![(
                        "apps",
                        attrs(vec![(
                            "api",
                            app(
                                300,
                                vec![
                                    ("uses", strs(&["db"])),
                                    (
                                        "workspace",
                                        obj(
                                            "Workspace",
                                            400,
                                            vec![
                                                ("image", s("golang:1")),
                                                (
                                                    "dependencies",
                                                    attrs(vec![(
                                                        "db",
                                                        postgres(500, 3, "other", None),
                                                    )]),
                                                ),
                                                ("uses", strs(&["db"])),
                                            ],
                                        ),
                                    ),
                                ],
                            ),
                        )]),
                    )],
                ),
            )]),
        ),
    ]);
    let (r, d) = resolved(&root);
    insta::assert_snapshot!(d, @r#"
    W0602 430..435: workspace `customer-platform/d/api/dev` gets `DB_HOST`, `DB_PORT`, `DB_URL` from both `customer-platform/d/api/dev/db` and `customer-platform/db`; `customer-platform/d/api/dev/db` wins [used here] (+500..600 `customer-platform/d/api/dev/db`) (+100..200 `customer-platform/db`) help: rename `customer-platform/db`, or set the variables in workspace `customer-platform/d/api/dev`'s own `env`
    W0601 500..600: `db` in `customer-platform/d/api/dev` is a new instance that shadows `customer-platform/db` [a new instance] (+100..200 the outer instance) help: to share `customer-platform/db`, remove this declaration and keep `uses = [ "db" ]`; to keep both, give this one another name
    "#);
    let g = graph(&r);
    let ws = node(g, "customer-platform/d/api/dev");
    assert_eq!(
        ws.env.get("DB_URL").map(EnvValue::shown).as_deref(),
        Some("postgres://app:postgres@d-api-dev-db:5432/other")
    );
}

#[test]
fn unknown_uses_suggests_a_name() {
    let root = eco(vec![
        (
            "dependencies",
            attrs(vec![
                ("platform-db", postgres(100, 1, "platform", None)),
                ("platform-cache", redis(200)),
            ]),
        ),
        (
            "domains",
            attrs(vec![(
                "d",
                domain(
                    300,
                    vec![(
                        "apps",
                        attrs(vec![(
                            "api",
                            app(
                                400,
                                vec![("uses", strs(&["platfrom-db", "nothing-like-it"]))],
                            ),
                        )]),
                    )],
                ),
            )]),
        ),
    ]);
    let (r, d) = resolved(&root);
    insta::assert_snapshot!(d, @r"
    E0604 420..425: app `customer-platform/d/api` uses `nothing-like-it`, but no dependency of that name is in scope [unknown dependency]
    E0604 420..425: app `customer-platform/d/api` uses `platfrom-db`, but no dependency of that name is in scope [unknown dependency] help: did you mean `platform-db`?
    ");
    let notes: Vec<&String> = r.diagnostics.iter().flat_map(|d| &d.notes).collect();
    assert_eq!(
        notes,
        [
            "names in scope: platform-cache, platform-db",
            "names in scope: platform-cache, platform-db"
        ]
    );
}

#[test]
fn bad_names_and_wrong_kinds() {
    let root = eco(vec![
        ("name", s("Customer_Platform")),
        (
            "domains",
            attrs(vec![
                ("Auth", domain(100, vec![])),
                ("-x", domain(200, vec![])),
                ("apps-here", app(300, vec![])),
                ("tmpl", template("Domain", 400, vec![])),
                ("text", s("not an object")),
            ]),
        ),
    ]);
    let (_, d) = resolved(&root);
    insta::assert_snapshot!(d, @r"
    E0602 10..15: `Customer_Platform` is not a valid ecosystem name [invalid name] help: names become container and DNS names: use lower-case letters, digits and `-`, starting with a letter or digit, at most 63 characters
    E0602 20..25: `-x` is not a valid domain name [invalid name] help: names become container and DNS names: use lower-case letters, digits and `-`, starting with a letter or digit, at most 63 characters
    E0602 20..25: `Auth` is not a valid domain name [invalid name] help: names become container and DNS names: use lower-case letters, digits and `-`, starting with a letter or digit, at most 63 characters
    E0603 20..25: `domains.apps-here` should be a Domain, found an object of kind `App` [expected a Domain]
    E0603 20..25: `domains.text` should be a Domain, found a string [expected a Domain]
    E0603 20..25: `domains.tmpl` should be a Domain, found a template of `Domain` [expected a Domain] help: a template must be applied to build an object: `template { }`
    ");
}

#[test]
fn root_must_be_an_ecosystem() {
    let r = run(&attrs(vec![("db", redis(0))]));
    assert!(r.graph.is_some());
    insta::assert_snapshot!(diags(&r), @"E0603 0..100: `db` should be an Ecosystem, found an object of kind `Dependency` [expected an Ecosystem]");
    let r = run(&s("hello"));
    assert!(r.graph.is_none());
    insta::assert_snapshot!(diags(&r), @"E0601 : the entry file's value is a string, not an Ecosystem or a record of them help: wrap the configuration in `Ecosystem { … }`");
    let r = run(&redis(0));
    assert!(r.graph.is_none());
    insta::assert_snapshot!(diags(&r), @"E0601 0..100: the entry file's value is an object of kind `Dependency`, not an Ecosystem or a record of them [this is not an Ecosystem] help: wrap the configuration in `Ecosystem { … }`");
}

/// A domain with app `api` (workspace and service) and the given extra
/// fields (tasks, workflows, pipelines, jobs).
fn exec_eco(fields: Vec<(&str, Data)>) -> Data {
    let mut f = vec![(
        "apps",
        attrs(vec![(
            "api",
            app(
                100,
                vec![
                    (
                        "workspace",
                        obj("Workspace", 150, vec![("image", s("golang:1"))]),
                    ),
                    ("service", service(200, vec![("image", s("api:1"))])),
                ],
            ),
        )]),
    )];
    f.extend(fields);
    eco(vec![("domains", attrs(vec![("d", domain(50, f))]))])
}

#[test]
fn workflow_cycle_lists_every_member() {
    let root = exec_eco(vec![(
        "workflows",
        attrs(vec![(
            "ci",
            obj(
                "Workflow",
                1000,
                vec![(
                    "tasks",
                    attrs(vec![
                        ("a", step(task(1100, "api", &["a"]), &["c"])),
                        ("b", step(task(1200, "api", &["b"]), &["a"])),
                        ("c", step(task(1300, "api", &["c"]), &["b"])),
                        ("d", step(task(1400, "api", &["d"]), &[])),
                        ("e", step(task(1500, "api", &["e"]), &["d", "a"])),
                    ]),
                )],
            ),
        )]),
    )]);
    let (r, d) = resolved(&root);
    insta::assert_snapshot!(d, @"E0609 1010..1015: the steps of workflow `customer-platform/d/workflow:ci` form a cycle: a → c → b → a [in these steps] (+1100..1200 `a` depends on c) (+1300..1400 `c` depends on b) (+1200..1300 `b` depends on a) help: remove one `dependsOn` so that an order exists");
    let wf = node(graph(&r), "customer-platform/d/workflow:ci");
    assert_eq!(wf.layers, [vec!["d".to_string()]]);
}

#[test]
fn dangling_depends_on_and_unknown_step() {
    let root = exec_eco(vec![
        ("tasks", attrs(vec![("lint", task(900, "api", &["lint"]))])),
        (
            "workflows",
            attrs(vec![(
                "ci",
                obj(
                    "Workflow",
                    1000,
                    vec![(
                        "tasks",
                        attrs(vec![
                            ("lint", attrs(vec![("task", s("lint"))])),
                            ("scan", attrs(vec![("task", s("scna"))])),
                            ("test", step(task(1100, "api", &["t"]), &["lnit"])),
                        ]),
                    )],
                ),
            )]),
        ),
    ]);
    let (r, d) = resolved(&root);
    insta::assert_snapshot!(d, @r"
    E0613 1010..1015: step `scan` of workflow `customer-platform/d/workflow:ci` runs task `scna`, but no task of that name is declared [unknown task]
    E0608 1100..1200: step `test` of workflow `customer-platform/d/workflow:ci` depends on `lnit`, which is not a step of it [unknown step]
    ");
    let wf = node(graph(&r), "customer-platform/d/workflow:ci");
    insta::assert_snapshot!(serde_json::to_string(&wf.steps).unwrap_or_default(), @r#"
    {"lint":{"runs":"customer-platform/d/task:lint"},"scan":{"runs":""},"test":{"runs":"customer-platform/d/workflow:ci/test","dependsOn":["lnit"]}}
    "#);
}

#[test]
fn task_target_and_job_runs() {
    let root = exec_eco(vec![
        (
            "tasks",
            attrs(vec![
                ("ok", task(900, "api", &["x"])),
                ("bad", task(950, "apx", &["x"])),
            ]),
        ),
        (
            "pipelines",
            attrs(vec![(
                "release",
                obj(
                    "Pipeline",
                    1000,
                    vec![(
                        "stages",
                        attrs(vec![(
                            "first",
                            attrs(vec![(
                                "workflow",
                                obj(
                                    "Workflow",
                                    1100,
                                    vec![(
                                        "tasks",
                                        attrs(vec![("one", attrs(vec![("task", s("ok"))]))]),
                                    )],
                                ),
                            )]),
                        )]),
                    )],
                ),
            )]),
        ),
        (
            "jobs",
            attrs(vec![
                (
                    "nightly",
                    obj(
                        "Job",
                        1200,
                        vec![
                            ("trigger", attrs(vec![("schedule", s("0 3 * * *"))])),
                            ("runs", s("release")),
                        ],
                    ),
                ),
                (
                    "typo",
                    obj(
                        "Job",
                        1300,
                        vec![("trigger", s("commit")), ("runs", s("relaese"))],
                    ),
                ),
                (
                    "weird",
                    obj(
                        "Job",
                        1400,
                        vec![("trigger", s("sometimes")), ("runs", s("ok"))],
                    ),
                ),
            ]),
        ),
    ]);
    let (r, d) = resolved(&root);
    insta::assert_snapshot!(d, @r#"
    E0610 960..965: task `customer-platform/d/task:bad` targets `apx`, but the ecosystem has no app of that name [unknown app] help: did you mean `api`?
    E0611 1320..1325: job `customer-platform/d/job:typo` runs `relaese`, but there is no workflow, pipeline or task of that name [unknown name] help: did you mean `release`?
    E0606 1410..1415: `trigger` of job `customer-platform/d/job:weird` should be "commit", "manual" or { schedule = "…"; }, found "sometimes" [here]
    "#);
    let g = graph(&r);
    let runs: Vec<String> = g
        .edges
        .iter()
        .filter(|e| e.kind != EdgeKind::Uses)
        .map(|e| format!("{} -{}-> {}", e.from, e.kind.as_str(), e.to))
        .collect();
    insta::assert_snapshot!(runs.join("\n"), @r"
    customer-platform/d/job:nightly -runs-> customer-platform/d/pipeline:release
    customer-platform/d/job:weird -runs-> customer-platform/d/task:ok
    customer-platform/d/pipeline:release -runs-> customer-platform/d/pipeline:release/first
    customer-platform/d/pipeline:release/first -runs-> customer-platform/d/task:ok
    customer-platform/d/task:ok -target-> customer-platform/d/api/dev
    ");
    insta::assert_snapshot!(table(g, "job").unwrap_or_default(), @r"
    NAME      DOMAIN   TRIGGER              RUNS
    nightly   d        schedule 0 3 * * *   customer-platform/d/pipeline:release
    typo      d        commit               <none>
    weird     d        sometimes            customer-platform/d/task:ok
    ");
    insta::assert_snapshot!(table(g, "pipelines").unwrap_or_default(), @r"
    NAME      DOMAIN   STAGES   ORDER
    release   d        1        first
    ");
}

#[test]
fn host_port_clash_across_ecosystems() {
    let one = |at: u32, host: i64| {
        eco(vec![(
            "domains",
            attrs(vec![(
                "d",
                domain(
                    at,
                    vec![(
                        "apps",
                        attrs(vec![(
                            "api",
                            app(
                                at + 100,
                                vec![(
                                    "service",
                                    service(
                                        at + 200,
                                        vec![
                                            ("image", s("api:1")),
                                            ("ports", list(vec![port(80, Some(host))])),
                                        ],
                                    ),
                                )],
                            ),
                        )]),
                    )],
                ),
            )]),
        )])
    };
    let root = attrs(vec![("alpha", one(1000, 8080)), ("beta", one(2000, 8080))]);
    let (r, d) = resolved(&root);
    insta::assert_snapshot!(d, @"E0607 2220..2225: host port 8080/tcp is published by both `alpha/d/api/live` and `beta/d/api/live` [host port 8080 is taken] (+1220..1225 `alpha/d/api/live` publishes 8080) help: give one of them another host port, or none");
    // Two ecosystems never share container or network names.
    let g = graph(&r);
    let nets: Vec<&str> = g.ecosystems.iter().map(|e| e.network.as_str()).collect();
    assert_eq!(nets, ["dvm-alpha", "dvm-beta"]);
    let containers: Vec<&str> = g
        .nodes
        .iter()
        .filter_map(|n| n.container.as_deref())
        .collect();
    assert_eq!(containers, ["dvm-alpha-d-api-live", "dvm-beta-d-api-live"]);
    // Distinct host ports are fine.
    let root = attrs(vec![("alpha", one(1000, 8080)), ("beta", one(2000, 8081))]);
    assert_eq!(resolved(&root).1, "");
}

#[test]
fn service_needs_exactly_one_of_image_and_build() {
    let with = |svc: Data| {
        eco(vec![(
            "domains",
            attrs(vec![(
                "d",
                domain(
                    100,
                    vec![(
                        "apps",
                        attrs(vec![("api", app(200, vec![("service", svc)]))]),
                    )],
                ),
            )]),
        )])
    };
    let (_, d) = resolved(&with(service(
        300,
        vec![("image", s("a:1")), ("build", s("/src"))],
    )));
    insta::assert_snapshot!(d, @"E0605 310..315: service `customer-platform/d/api/live` has both `image` and `build` [`image` here] (+320..325 `build` here) help: keep `image` to run a published image, or `build` to build one from a directory");
    let (_, d) = resolved(&with(service(300, vec![])));
    insta::assert_snapshot!(d, @r#"
    E0605 300..400: service `customer-platform/d/api/live` has neither `image` nor `build` [this service] help: add `image = "…";` or `build = ./dir;`
    "#);
}

#[test]
fn long_container_names_end_in_a_hash() {
    let long = "a-very-long-application-name-that-goes-on";
    let root = eco(vec![(
        "domains",
        attrs(vec![(
            "a-rather-long-domain-name",
            domain(
                100,
                vec![(
                    "apps",
                    attrs(vec![(
                        long,
                        app(
                            200,
                            vec![("service", service(300, vec![("image", s("a:1"))]))],
                        ),
                    )]),
                )],
            ),
        )]),
    )]);
    let (r, d) = resolved(&root);
    assert_eq!(d, "");
    let g = graph(&r);
    let c = node(
        g,
        &format!("customer-platform/a-rather-long-domain-name/{long}/live"),
    )
    .container
    .clone()
    .unwrap_or_default();
    insta::assert_snapshot!(c, @"dvm-customer-platform-a-rather-long-domain-name-a-very-e45a9739");
    assert!(c.len() <= 63);
    // Stable, and distinct from a sibling differing only at the end.
    assert_eq!(
        names::docker_name(&[
            "customer-platform",
            "a-rather-long-domain-name",
            long,
            "live"
        ]),
        c
    );
    assert_ne!(
        names::docker_name(&[
            "customer-platform",
            "a-rather-long-domain-name",
            long,
            "dev"
        ]),
        c
    );
}

#[test]
fn domain_defaults_fill_the_workspace() {
    let defaults = template(
        "Workspace",
        50,
        vec![
            ("image", s("golang:1.24")),
            ("shell", s("zsh")),
            (
                "env",
                attrs(vec![("EDITOR", s("nvim")), ("GOFLAGS", s("-mod=mod"))]),
            ),
        ],
    );
    let root = eco(vec![(
        "domains",
        attrs(vec![(
            "d",
            domain(
                100,
                vec![
                    ("defaults", defaults),
                    (
                        "apps",
                        attrs(vec![(
                            "api",
                            app(
                                200,
                                vec![
                                    ("language", s("go")),
                                    ("languageVersion", s("1.23")),
                                    (
                                        "workspace",
                                        obj(
                                            "Workspace",
                                            300,
                                            vec![("env", attrs(vec![("EDITOR", s("vim"))]))],
                                        ),
                                    ),
                                ],
                            ),
                        )]),
                    ),
                ],
            ),
        )]),
    )]);
    let (r, d) = resolved(&root);
    assert_eq!(d, "");
    let ws = node(graph(&r), "customer-platform/d/api/dev");
    assert_eq!(ws.image.as_deref(), Some("golang:1.24"));
    assert_eq!(ws.shell.as_deref(), Some("zsh"));
    assert_eq!(ws.language_version.as_deref(), Some("1.23"));
    assert_eq!(env(ws), ["EDITOR=vim", "GOFLAGS=-mod=mod"]);
    assert_eq!(
        ws.command.as_deref(),
        Some(&["sleep".to_string(), "infinity".to_string()][..])
    );
}

#[test]
fn id_clash_is_reported() {
    // An app-level dependency called `dev` would have the workspace's id.
    let root = eco(vec![(
        "domains",
        attrs(vec![(
            "d",
            domain(
                100,
                vec![(
                    "apps",
                    attrs(vec![(
                        "api",
                        app(
                            200,
                            vec![
                                ("dependencies", attrs(vec![("dev", redis(300))])),
                                (
                                    "workspace",
                                    obj("Workspace", 400, vec![("image", s("x:1"))]),
                                ),
                            ],
                        ),
                    )]),
                )],
            ),
        )]),
    )]);
    let (_, d) = resolved(&root);
    insta::assert_snapshot!(d, @"E0612 400..500: two objects get the id `customer-platform/d/api/dev` (a Dependency and a Workspace) [this one gets the same id] (+300..400 the first one) help: rename one of them");
}

#[test]
fn service_depends_on_orders_the_start() {
    let svc = |at: u32, deps: &[&str]| {
        app(
            at,
            vec![(
                "service",
                service(
                    at + 50,
                    vec![("image", s("x:1")), ("dependsOn", strs(deps))],
                ),
            )],
        )
    };
    let root = eco(vec![(
        "domains",
        attrs(vec![(
            "d",
            domain(
                100,
                vec![(
                    "apps",
                    attrs(vec![
                        ("web", svc(200, &["api"])),
                        ("api", svc(300, &[])),
                        ("x", svc(400, &["y"])),
                        ("y", svc(500, &["x"])),
                        ("z", svc(600, &["ap"])),
                    ]),
                )],
            ),
        )]),
    )]);
    let (r, d) = resolved(&root);
    insta::assert_snapshot!(d, @r"
    E0609 450..550: services depend on each other in a cycle: customer-platform/d/x/live → customer-platform/d/y/live → customer-platform/d/x/live [on the cycle] (+550..650 on the cycle) help: remove one `dependsOn` so that a start order exists
    E0608 670..675: service `customer-platform/d/z/live` depends on `ap`, but no app of that name has a service [unknown service] help: did you mean `api`?
    ");
    insta::assert_snapshot!(format!("{:?}", graph(&r).start_order), @r#"
    [["customer-platform/d/api/live", "customer-platform/d/z/live"], ["customer-platform/d/web/live"], ["customer-platform/d/x/live", "customer-platform/d/y/live"]]
    "#);
}

#[test]
fn nothing_panics_on_odd_input() {
    // Every field in the wrong shape.
    let junk = [
        Data::Null,
        Data::Int(1),
        s(""),
        list(vec![Data::Null]),
        attrs(vec![("x", Data::Function(9))]),
        Data::Function(7),
        secret("S"),
    ];
    for j in &junk {
        let fields = |j: &Data| {
            [
                "name",
                "dependencies",
                "domains",
                "apps",
                "uses",
                "workspace",
                "service",
                "env",
                "ports",
                "healthCheck",
                "resources",
                "volumes",
                "exports",
                "image",
                "build",
                "command",
                "tasks",
                "workflows",
                "pipelines",
                "jobs",
                "target",
                "runs",
                "trigger",
                "stages",
                "mounts",
                "defaults",
                "path",
                "dependsOn",
                "runtime",
            ]
            .iter()
            .map(|f| (*f, j.clone()))
            .collect::<Vec<_>>()
        };
        let dep = obj("Dependency", 10, fields(j));
        let svc = obj("Service", 20, fields(j));
        let ws = obj("Workspace", 30, fields(j));
        let mut af = fields(j);
        af.retain(|(k, _)| *k != "workspace" && *k != "service" && *k != "dependencies");
        af.push(("workspace", ws));
        af.push(("service", svc));
        af.push(("dependencies", attrs(vec![("a", dep.clone())])));
        let a = obj("App", 40, af);
        let mut df = fields(j);
        df.retain(|(k, _)| *k != "apps");
        df.push(("apps", attrs(vec![("a", a)])));
        let d = obj("Domain", 50, df);
        let mut ef = fields(j);
        ef.retain(|(k, _)| *k != "domains");
        ef.push(("domains", attrs(vec![("d", d)])));
        let r = run(&obj("Ecosystem", 0, ef));
        assert!(r.graph.is_some());
        assert!(
            r.diagnostics.iter().all(|d| d.primary.is_some()),
            "{}",
            diags(&r)
        );
        for d in &r.diagnostics {
            assert!(d.code.starts_with("E06") || d.code.starts_with("W06") || d.code == "E0205");
        }
    }
}

#[test]
fn every_code_is_explained() {
    use crate::codes::graph::CODES;
    let mut seen = std::collections::HashSet::new();
    for c in CODES {
        assert!(seen.insert(c.code), "duplicate {}", c.code);
        assert!(c.code.len() == 5 && (c.code.starts_with("E06") || c.code.starts_with("W06")));
        assert!(c.explanation.len() > 150, "{} is too short", c.code);
        assert!(c.explanation.contains("Fix"), "{} has no fix", c.code);
    }
    // Every code the resolver emits is in the catalogue.
    let src = include_str!("resolve.rs");
    for word in src.split(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != ':') {
        if let Some(name) = word.strip_prefix("codes::") {
            let known = [
                (
                    "ROOT_NOT_ECOSYSTEM",
                    crate::codes::graph::ROOT_NOT_ECOSYSTEM,
                ),
                ("BAD_NAME", crate::codes::graph::BAD_NAME),
                ("WRONG_KIND", crate::codes::graph::WRONG_KIND),
                ("UNKNOWN_USE", crate::codes::graph::UNKNOWN_USE),
                ("IMAGE_OR_BUILD", crate::codes::graph::IMAGE_OR_BUILD),
                ("BAD_FIELD", crate::codes::graph::BAD_FIELD),
                ("HOST_PORT_CLASH", crate::codes::graph::HOST_PORT_CLASH),
                (
                    "UNKNOWN_DEPENDS_ON",
                    crate::codes::graph::UNKNOWN_DEPENDS_ON,
                ),
                ("CYCLE", crate::codes::graph::CYCLE),
                ("UNKNOWN_TARGET", crate::codes::graph::UNKNOWN_TARGET),
                ("UNKNOWN_RUNS", crate::codes::graph::UNKNOWN_RUNS),
                ("NAME_CLASH", crate::codes::graph::NAME_CLASH),
                ("UNKNOWN_STEP", crate::codes::graph::UNKNOWN_STEP),
                ("BAD_EXPORTS", crate::codes::graph::BAD_EXPORTS),
                (
                    "SHADOWED_DEPENDENCY",
                    crate::codes::graph::SHADOWED_DEPENDENCY,
                ),
                (
                    "WIRED_VARIABLE_CLASH",
                    crate::codes::graph::WIRED_VARIABLE_CLASH,
                ),
            ]
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, code)| CODES.iter().any(|c| c.code == *code));
            assert_eq!(known, Some(true), "codes::{name} is not in CODES");
        }
    }
}

#[test]
fn dependency_env_may_be_a_function_of_the_instance() {
    // `env` as a function (handle 3) is called with the instance, like
    // `exports`; a function that fails (handle 9) is an error at `env`.
    let with_env = |at: u32, func: u32| {
        obj(
            "Dependency",
            at,
            vec![("image", s("kafka:3")), ("env", Data::Function(func))],
        )
    };
    let root = eco(vec![(
        "dependencies",
        attrs(vec![
            ("events", with_env(100, 3)),
            ("broken", with_env(200, 9)),
        ]),
    )]);
    let mut calls = fake();
    let r = resolve(&root, "eco", &mut calls);
    assert!(
        calls
            .calls
            .iter()
            .any(|c| c.contains("\"alias\":\"events\""))
    );
    let d = diags(&r);
    assert!(d.contains("no such function"), "{d}");
    assert!(d.contains("while computing this `env`"), "{d}");
    assert!(!d.contains("events"), "{d}");
    // The graph is still built for the good instance when asked directly.
    let root = eco(vec![(
        "dependencies",
        attrs(vec![("events", with_env(100, 3))]),
    )]);
    let r = resolve(&root, "eco", &mut fake());
    assert_eq!(
        env(node(graph(&r), "eco/events")),
        vec![
            "host=events",
            "port=5432",
            "url=postgres://app:postgres@events:5432/other"
        ]
    );
}
