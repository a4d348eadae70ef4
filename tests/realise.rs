//! `dvm realise` and friends against the real Docker engine. Each test has
//! its own ecosystem name (so tests run side by side) and its own
//! `DVM_HOME`, and removes its containers, networks and volumes at both
//! ends. The image is a busybox built locally `FROM scratch` (nothing can
//! be pulled): `busybox-static` must be installed (.ci/run does).
//!
//! Fixtures are in `tests/realise/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Once;

const IMAGE: &str = "dvm-test-busybox:1";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn docker(args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run docker: {e}"));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Builds the busybox test image once.
fn ensure_image() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let ok = Command::new("docker")
            .args(["image", "inspect", IMAGE])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return;
        }
        let dir = tempfile::tempdir().expect("tmp");
        let busybox = ["/bin/busybox", "/usr/bin/busybox"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("busybox-static is installed");
        std::fs::copy(busybox, dir.path().join("busybox")).expect("copy busybox");
        std::fs::write(
            dir.path().join("Dockerfile"),
            "FROM scratch\nCOPY busybox /bin/busybox\n\
             RUN [\"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox --install -s /bin && mkdir -p /tmp && chmod 1777 /tmp\"]\n",
        )
        .expect("dockerfile");
        let st = Command::new("docker")
            .args(["build", "-q", "-t", IMAGE])
            .arg(dir.path())
            .stdout(Stdio::null())
            .status()
            .expect("docker build");
        assert!(st.success(), "cannot build the test image");
    });
}

/// One test's ecosystem and state directory.
struct Eco {
    name: String,
    home: tempfile::TempDir,
}

fn cleanup(name: &str) {
    let filter = format!("label=dvm.ecosystem={name}");
    let ids = docker(&["ps", "-aq", "--filter", &filter]);
    for id in ids.lines().filter(|l| !l.is_empty()) {
        docker(&["rm", "-f", id]);
    }
    docker(&["network", "rm", &format!("dvm-{name}")]);
    let vols = docker(&["volume", "ls", "-q", "--filter", &filter]);
    for v in vols.lines().filter(|l| !l.is_empty()) {
        docker(&["volume", "rm", "-f", v]);
    }
    let built = docker(&[
        "images",
        "-q",
        "--filter",
        &format!("reference=dvm-{name}-*"),
    ]);
    for i in built.lines().filter(|l| !l.is_empty()) {
        docker(&["rmi", "-f", i]);
    }
}

impl Eco {
    fn new(name: &str) -> Eco {
        ensure_image();
        cleanup(name);
        Eco {
            name: name.to_string(),
            home: tempfile::tempdir().expect("tmp"),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dvm"));
        cmd.args(args)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .env("DVM_HOME", self.home.path())
            .env_remove("DVM_PATH")
            .env_remove("DVM_TEST_ABORT_AFTER_STEPS");
        cmd
    }

    fn run_cmd(mut cmd: Command) -> common::Run {
        let out = cmd.output().expect("run dvm");
        common::Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `dvm VERB tests/realise/FIXTURE --argstr eco NAME EXTRA…`
    fn dvm(&self, verb: &str, fixture: &str, extra: &[&str]) -> common::Run {
        let file = format!("tests/realise/{fixture}");
        let mut args = vec![verb, file.as_str(), "--argstr", "eco", &self.name];
        args.extend_from_slice(extra);
        Eco::run_cmd(self.command(&args))
    }

    /// `name → (id, StartedAt)` of the ecosystem's containers.
    fn containers(&self) -> Vec<(String, String, String)> {
        let filter = format!("label=dvm.ecosystem={}", self.name);
        let ids = docker(&["ps", "-aq", "--filter", &filter]);
        let mut out: Vec<(String, String, String)> = ids
            .lines()
            .filter(|l| !l.is_empty())
            .map(|id| {
                let info = docker(&[
                    "inspect",
                    "-f",
                    "{{.Name}} {{.Id}} {{.State.StartedAt}}",
                    id,
                ]);
                let mut it = info.split_whitespace();
                let name = it.next().unwrap_or("").trim_start_matches('/').to_string();
                let id = it.next().unwrap_or("").to_string();
                let started = it.next().unwrap_or("").to_string();
                (name, id, started)
            })
            .collect();
        out.sort();
        out
    }

    fn names(&self) -> Vec<String> {
        self.containers().into_iter().map(|(n, _, _)| n).collect()
    }

    fn volumes(&self) -> Vec<String> {
        let filter = format!("label=dvm.ecosystem={}", self.name);
        let mut v: Vec<String> = docker(&["volume", "ls", "-q", "--filter", &filter])
            .lines()
            .map(str::to_string)
            .collect();
        v.sort();
        v
    }
}

impl Drop for Eco {
    fn drop(&mut self) {
        cleanup(&self.name);
    }
}

fn ok(r: &common::Run) {
    assert_eq!(
        r.code,
        Some(0),
        "dvm failed\nstdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
}

fn expected_names(eco: &str) -> Vec<String> {
    let mut v: Vec<String> = [
        "queue",
        "shop-api-live",
        "shop-worker-cache",
        "shop-worker-live",
        "web",
    ]
    .iter()
    .map(|s| format!("dvm-{eco}-{s}"))
    .collect();
    v.sort();
    v
}

#[test]
fn create_from_empty_then_a_second_run_touches_nothing() {
    let eco = Eco::new("rt-create");
    let first = eco.dvm("realise", "basic.dvm", &[]);
    ok(&first);
    assert!(
        first.stdout.contains("+ create    rt-create/web"),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("+ network   dvm-rt-create"),
        "{}",
        first.stdout
    );
    assert!(
        first.stderr.contains("Applied: 5 created"),
        "{}",
        first.stderr
    );
    let before = eco.containers();
    assert_eq!(
        before.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
        expected_names("rt-create")
    );
    let second = eco.dvm("realise", "basic.dvm", &[]);
    ok(&second);
    assert!(second.stdout.contains("No changes."), "{}", second.stdout);
    assert!(!second.stderr.contains("Applied"), "{}", second.stderr);
    // Same containers, not restarted.
    assert_eq!(eco.containers(), before);
    let status = eco.dvm("status", "basic.dvm", &[]);
    ok(&status);
    assert!(
        status
            .stdout
            .lines()
            .any(|l| l.starts_with("rt-create/web ") && l.ends_with("healthy")),
        "{}",
        status.stdout
    );
}

#[test]
fn changing_one_env_var_recreates_exactly_that_container() {
    let eco = Eco::new("rt-env");
    ok(&eco.dvm("realise", "basic.dvm", &[]));
    let before = eco.containers();
    let r = eco.dvm("realise", "basic.dvm", &["--argstr", "greeting", "bye"]);
    ok(&r);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.starts_with("~ recreate  rt-env/shop/api/live ")
                && l.ends_with("dvm-rt-env-shop-api-live   (env changed)")),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.matches("~ recreate").count(), 1, "{}", r.stdout);
    let after = eco.containers();
    for (b, a) in before.iter().zip(after.iter()) {
        assert_eq!(a.0, b.0);
        if a.0 == "dvm-rt-env-shop-api-live" {
            assert_ne!(a.1, b.1, "the changed container was not recreated");
        } else {
            assert_eq!(a, b, "{} was touched", a.0);
        }
    }
    let env = docker(&[
        "inspect",
        "-f",
        "{{range .Config.Env}}{{println .}}{{end}}",
        "dvm-rt-env-shop-api-live",
    ]);
    assert!(env.lines().any(|l| l == "GREETING=bye"), "{env}");
    assert!(
        env.lines().any(|l| l == "WEB_URL=http://web:8080/"),
        "{env}"
    );
}

#[test]
fn removing_an_app_removes_its_containers_and_keeps_its_volume() {
    let eco = Eco::new("rt-remove");
    ok(&eco.dvm("realise", "basic.dvm", &[]));
    let r = eco.dvm("realise", "basic.dvm", &["--argstr", "withWorker", "no"]);
    ok(&r);
    assert!(
        r.stdout.contains("- remove    rt-remove/shop/worker/cache"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("note: volume dvm-rt-remove-shop-worker-cache-state of rt-remove/shop/worker/cache is kept"),
        "{}",
        r.stdout
    );
    assert_eq!(
        eco.names(),
        [
            "dvm-rt-remove-queue",
            "dvm-rt-remove-shop-api-live",
            "dvm-rt-remove-web"
        ]
    );
    assert!(
        eco.volumes()
            .contains(&"dvm-rt-remove-shop-worker-cache-state".to_string())
    );
    // destroy keeps volumes by default and says so.
    let d = eco.dvm("destroy", "basic.dvm", &[]);
    ok(&d);
    assert!(d.stdout.contains("Kept volumes"), "{}", d.stdout);
    assert!(eco.names().is_empty());
    assert_eq!(eco.volumes().len(), 2);
    let d = eco.dvm("destroy", "basic.dvm", &["--volumes"]);
    ok(&d);
    assert!(eco.volumes().is_empty());
}

#[test]
fn two_ecosystems_from_the_same_file_live_side_by_side() {
    let a = Eco::new("rt-side-a");
    let b = Eco::new("rt-side-b");
    ok(&a.dvm("realise", "basic.dvm", &[]));
    ok(&b.dvm("realise", "basic.dvm", &[]));
    assert_eq!(a.names(), expected_names("rt-side-a"));
    assert_eq!(b.names(), expected_names("rt-side-b"));
    // Each plan sees only its own ecosystem: nothing to remove.
    let again = a.dvm("plan", "basic.dvm", &["--argstr", "withWorker", "no"]);
    ok(&again);
    assert!(!again.stdout.contains("rt-side-b"), "{}", again.stdout);
    let nets = docker(&["network", "ls", "--format", "{{.Name}}"]);
    assert!(nets.lines().any(|n| n == "dvm-rt-side-a"));
    assert!(nets.lines().any(|n| n == "dvm-rt-side-b"));
    // A name taken by an unmanaged container is reported, not touched.
    let c = Eco::new("rt-side-c");
    docker(&[
        "run",
        "-d",
        "--name",
        "dvm-rt-side-c-queue",
        IMAGE,
        "sleep",
        "1000",
    ]);
    let r = c.dvm("realise", "basic.dvm", &[]);
    docker(&["rm", "-f", "dvm-rt-side-c-queue"]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stderr.contains("E0706"), "{}", r.stderr);
    assert!(r.stderr.contains("dvm does not manage"), "{}", r.stderr);
}

#[test]
fn an_unreachable_engine_is_one_clear_line_and_exit_3() {
    let eco = Eco::new("rt-noengine");
    let mut cmd = eco.command(&["plan", "tests/realise/basic.dvm"]);
    cmd.env("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    let r = Eco::run_cmd(cmd);
    assert_eq!(r.code, Some(3));
    assert_eq!(
        r.stderr,
        "error[E0701]: cannot reach the container engine at unix:///nonexistent/docker.sock: no engine socket there\n"
    );
}

#[test]
fn a_stale_plan_is_refused_and_a_fresh_one_applied() {
    let eco = Eco::new("rt-stale");
    let plan = eco.home.path().join("plan.json");
    let plan_s = plan.to_string_lossy().to_string();
    ok(&eco.dvm("plan", "basic.dvm", &["--out", &plan_s]));
    // The engine changes under the plan.
    ok(&eco.dvm("realise", "basic.dvm", &["--argstr", "withWorker", "no"]));
    let r = Eco::run_cmd(eco.command(&["apply", &plan_s]));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("E0708"), "{}", r.stderr);
    assert!(
        r.stderr.contains("the engine's state changed"),
        "{}",
        r.stderr
    );
    // A fresh plan applies, with the inputs it was made with; other inputs
    // are another graph.
    ok(&eco.dvm("plan", "basic.dvm", &["--out", &plan_s]));
    let r = Eco::run_cmd(eco.command(&[
        "apply", &plan_s, "--argstr", "eco", "rt-stale", "--argstr", "greeting", "other",
    ]));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("the graph changed"), "{}", r.stderr);
    let r = Eco::run_cmd(eco.command(&["apply", &plan_s]));
    ok(&r);
    assert_eq!(eco.names(), expected_names("rt-stale"));
}

#[test]
fn a_second_apply_waits_for_the_lock_or_fails_with_no_wait() {
    let eco = Eco::new("rt-lock");
    let first = eco
        .command(&[
            "realise",
            "tests/realise/basic.dvm",
            "--argstr",
            "eco",
            "rt-lock",
            // The api takes 4 s to be healthy: the lock is held that long.
            "--argstr",
            "apiDelay",
            "4",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait until the first holds the lock (its journal has a run).
    let db = eco.home.path().join("state.db");
    let start = std::time::Instant::now();
    while !db.exists() || containers_of(&eco.name) == 0 {
        assert!(
            start.elapsed().as_secs() < 30,
            "the first apply never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let busy = eco.dvm("realise", "basic.dvm", &["--no-wait"]);
    assert_eq!(busy.code, Some(3), "{}", busy.stderr);
    assert!(busy.stderr.contains("E0709"), "{}", busy.stderr);
    assert!(
        busy.stderr.contains("ecosystem rt-lock is locked by pid"),
        "{}",
        busy.stderr
    );
    assert!(busy.stderr.contains("dvm realise"), "{}", busy.stderr);
    let waiting = eco.dvm("realise", "basic.dvm", &["--argstr", "apiDelay", "4"]);
    ok(&waiting);
    assert!(
        waiting
            .stderr
            .contains("waiting for the lock of ecosystem rt-lock, held by pid"),
        "{}",
        waiting.stderr
    );
    assert!(waiting.stdout.contains("No changes."), "{}", waiting.stdout);
    let out = first.wait_with_output().expect("first");
    assert!(out.status.success());
}

fn containers_of(eco: &str) -> usize {
    docker(&[
        "ps",
        "-aq",
        "--filter",
        &format!("label=dvm.ecosystem={eco}"),
    ])
    .lines()
    .filter(|l| !l.is_empty())
    .count()
}

#[test]
fn aborting_after_any_number_of_steps_then_realise_converges() {
    let eco = Eco::new("rt-abort");
    let abort = |n: usize, greeting: &str| {
        let mut cmd = eco.command(&[
            "realise",
            "tests/realise/basic.dvm",
            "--argstr",
            "eco",
            "rt-abort",
            "--argstr",
            "greeting",
            greeting,
        ]);
        cmd.env("DVM_TEST_ABORT_AFTER_STEPS", n.to_string());
        let r = Eco::run_cmd(cmd);
        assert_eq!(r.code, Some(86), "abort after {n}: {}", r.stderr);
        assert!(r.stderr.contains("aborting after"), "{}", r.stderr);
    };
    let converge = |n: usize, greeting: &str| {
        let r = eco.dvm("realise", "basic.dvm", &["--argstr", "greeting", greeting]);
        ok(&r);
        assert_eq!(
            eco.names(),
            expected_names("rt-abort"),
            "after abort at {n}"
        );
        let again = eco.dvm("realise", "basic.dvm", &["--argstr", "greeting", greeting]);
        ok(&again);
        assert!(
            again.stdout.contains("No changes."),
            "after abort at {n}: {}",
            again.stdout
        );
    };
    // From empty: 3 network/volume steps, then create + start per container.
    for n in [1, 3, 4, 8, 12] {
        cleanup("rt-abort");
        abort(n, "hello");
        converge(n, "hello");
    }
    // In a recreate: after the old container is removed (1), after the new
    // one is created but not started (2).
    for (n, greeting) in [(1, "one"), (2, "two")] {
        abort(n, greeting);
        converge(n, greeting);
    }
}

#[test]
fn kill_9_in_the_middle_then_realise_converges() {
    let eco = Eco::new("rt-kill");
    let mut child = eco
        .command(&[
            "realise",
            "tests/realise/basic.dvm",
            "--argstr",
            "eco",
            "rt-kill",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill it while it waits for health checks (containers exist, not all).
    let start = std::time::Instant::now();
    while containers_of("rt-kill") < 2 && start.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let r = eco.dvm("realise", "basic.dvm", &[]);
    ok(&r);
    assert_eq!(eco.names(), expected_names("rt-kill"));
    let again = eco.dvm("realise", "basic.dvm", &[]);
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);
}

#[test]
fn failing_health_checks_and_exits_are_reported_with_their_output() {
    let eco = Eco::new("rt-fail");
    let r = eco.dvm("realise", "failing.dvm", &["--argstr", "mode", "unhealthy"]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stderr.contains("E0704"), "{}", r.stderr);
    assert!(
        r.stderr.contains("rt-fail/sick") && r.stderr.contains("is unhealthy"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("not ready yet"), "{}", r.stderr);
    assert!(r.stderr.contains("failing.dvm:"), "{}", r.stderr);
    // Its dependent was never started.
    assert!(
        !eco.names()
            .contains(&"dvm-rt-fail-shop-app-live".to_string())
    );
    let r = eco.dvm("realise", "failing.dvm", &["--argstr", "mode", "exits"]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stderr.contains("E0705"), "{}", r.stderr);
    assert!(r.stderr.contains("exited with status 3"), "{}", r.stderr);
    assert!(r.stderr.contains("config file missing"), "{}", r.stderr);
}

#[test]
fn a_host_port_in_use_names_the_port_the_line_and_the_holder() {
    let eco = Eco::new("rt-port");
    let holder = "rt-port-holder";
    docker(&["rm", "-f", holder]);
    docker(&[
        "run", "-d", "--name", holder, "-p", "18931:80", IMAGE, "sleep", "1000",
    ]);
    let r = eco.dvm("realise", "basic.dvm", &["--arg", "webPort", "18931"]);
    docker(&["rm", "-f", holder]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stderr.contains("E0703"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "host port 18931 of rt-port/web is already in use by container rt-port-holder"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("basic.dvm:"), "{}", r.stderr);
}

#[test]
fn a_secret_is_used_but_never_shown() {
    let eco = Eco::new("rt-secret");
    let value = "s3cr3t-Value-91x";
    let mut set = eco.command(&["secret", "set", "RT_TOKEN"]);
    set.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = set.spawn().expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(format!("{value}\n").as_bytes())
            .expect("write");
    }
    assert!(child.wait().expect("wait").success());
    let list = Eco::run_cmd(eco.command(&["secret", "list"]));
    ok(&list);
    assert!(list.stdout.starts_with("RT_TOKEN\t"), "{}", list.stdout);
    let key = eco.home.path().join("secret.key");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).expect("key").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let plan = eco.dvm("plan", "secret.dvm", &[]);
    ok(&plan);
    let realise = eco.dvm("realise", "secret.dvm", &[]);
    ok(&realise);
    let eval = eco.dvm("eval", "secret.dvm", &["--graph"]);
    ok(&eval);
    assert!(eval.stdout.contains("<secret:RT_TOKEN>"), "{}", eval.stdout);
    let mut shown = String::new();
    for r in [&plan, &realise, &eval, &list] {
        shown.push_str(&r.stdout);
        shown.push_str(&r.stderr);
    }
    for f in ["state.db", "state.db-wal"] {
        if let Ok(bytes) = std::fs::read(eco.home.path().join(f)) {
            shown.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    shown.push_str(&docker(&[
        "inspect",
        "-f",
        "{{json .Config.Labels}}",
        "dvm-rt-secret-app",
    ]));
    assert!(!shown.contains(value), "the secret leaked");
    // The container does get it.
    let env = docker(&["exec", "dvm-rt-secret-app", "sh", "-c", "echo $TOKEN"]);
    assert_eq!(env, value);
    // The environment wins over the store, and rotating recreates only
    // the consumer.
    let before = eco.containers();
    let mut cmd = eco.command(&[
        "realise",
        "tests/realise/secret.dvm",
        "--argstr",
        "eco",
        "rt-secret",
    ]);
    cmd.env("RT_TOKEN", "rotated-Value-22");
    let r = Eco::run_cmd(cmd);
    ok(&r);
    assert!(
        r.stdout.contains("~ recreate  rt-secret/app "),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.matches("~ recreate").count(), 1, "{}", r.stdout);
    assert!(!r.stdout.contains("rotated-Value-22") && !r.stderr.contains("rotated-Value-22"));
    let after = eco.containers();
    let other = |v: &Vec<(String, String, String)>| {
        v.iter().find(|c| c.0 == "dvm-rt-secret-plain").cloned()
    };
    assert_eq!(other(&before), other(&after));
}

#[test]
fn export_compose_is_accepted_by_docker_compose() {
    let has_compose = Command::new("docker-compose")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        has_compose,
        "docker-compose is installed (.ci/run installs it)"
    );
    let eco = Eco::new("rt-compose");
    // Pure: no engine, no state.
    let r = common::dvm_in(
        &root(),
        &[
            "export",
            "compose",
            "tests/realise/secret.dvm",
            "--argstr",
            "eco",
            "rt-compose",
        ],
    );
    ok(&r);
    assert!(r.stdout.contains("TOKEN: ${RT_TOKEN}"), "{}", r.stdout);
    assert!(!r.stdout.contains("dvm.managed"), "{}", r.stdout);
    let file = eco.home.path().join("docker-compose.yml");
    std::fs::write(&file, &r.stdout).expect("write");
    let out = Command::new("docker-compose")
        .arg("-f")
        .arg(&file)
        .args(["config", "-q"])
        .env("RT_TOKEN", "x")
        .output()
        .expect("docker-compose");
    assert!(
        out.status.success(),
        "docker-compose config refused it:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        r.stdout
    );
}

#[test]
fn logs_show_a_containers_output() {
    let eco = Eco::new("rt-logs");
    let mut cmd = eco.command(&[
        "realise",
        "tests/realise/secret.dvm",
        "--argstr",
        "eco",
        "rt-logs",
    ]);
    cmd.env("RT_TOKEN", "x");
    ok(&Eco::run_cmd(cmd));
    let r = Eco::run_cmd(eco.command(&["logs", "rt-logs/plain"]));
    ok(&r);
    assert!(r.stdout.contains("plain started"), "{}", r.stdout);
}

#[test]
fn a_service_is_built_from_its_path_a_workspace_attached_and_a_missing_image_explained() {
    let eco = Eco::new("rt-extra");
    let r = eco.dvm("realise", "extra.dvm", &[]);
    ok(&r);
    assert!(r.stderr.contains("Successfully built"), "{}", r.stderr);
    let hello = docker(&["exec", "dvm-rt-extra-dev-tool-live", "cat", "/hello.txt"]);
    assert_eq!(hello, "built by dvm");
    // The context digest is stable: nothing to rebuild or recreate.
    let again = eco.dvm("realise", "extra.dvm", &[]);
    ok(&again);
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);
    // attach: a shell in the workspace, its app's path at /workspace.
    let mut cmd = eco.command(&["attach", "tool"]);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(b"pwd; cat /workspace/hello.txt\n")
            .expect("write");
    }
    let out = child.wait_with_output().expect("attach");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "/workspace\nbuilt by dvm\n"
    );
    // An image that is neither local nor pullable: one cause, the line.
    let r = eco.dvm("realise", "extra.dvm", &["--arg", "missing", "true"]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stderr.contains("E0702"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "image dvm-test-no-such-image:1 is not available locally and cannot be pulled"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("extra.dvm:8:"), "{}", r.stderr);
}
