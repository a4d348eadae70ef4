//! The engine commands: `dvm plan`, `dvm apply`, `dvm realise`,
//! `dvm destroy`, `dvm status`, `dvm logs`, `dvm attach`,
//! `dvm export compose`, `dvm secret`. Arguments, prompts and printing only;
//! the flows are `dvm_realise::session`'s.
//!
//! Results (plans, tables, the compose file) go to stdout; progress and
//! diagnostics to stderr. Exit 0 ok, 1 configuration error (including a
//! stale plan or a missing secret), 2 usage, 3 engine or machine error.

use crate::cli::{InputArgs, load_graph};
use crate::render;
use clap::{Args, Subcommand};
use dvm_compiler::db::RootDatabase;
use dvm_compiler::graph::Graph;
use dvm_realise::Failure;
use dvm_realise::engine::Engine;
use dvm_realise::engine::docker::{DockerEngine, engine_host};
use dvm_realise::plan::Plan;
use dvm_realise::progress::{LiveProgress, PlainProgress, Progress};
use dvm_realise::session::{self, Planned, SecretSource};
use dvm_realise::state::{self, journal::Journal, lock, schema, secrets::SecretStore};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The platform file (default ./main.dvm).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Also save the plan (JSON) for `dvm apply`.
    #[arg(long, value_name = "PLAN.JSON")]
    out: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// A plan saved by `dvm plan --out`.
    #[arg(value_name = "PLAN.JSON")]
    plan: PathBuf,
    /// Fail at once when another dvm holds an ecosystem's lock.
    #[arg(long)]
    no_wait: bool,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args, Debug)]
pub struct RealiseArgs {
    /// The platform file (default ./main.dvm).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Apply without asking (only asked on a terminal).
    #[arg(long, short = 'y')]
    yes: bool,
    /// Fail at once when another dvm holds an ecosystem's lock.
    #[arg(long)]
    no_wait: bool,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args, Debug)]
pub struct DestroyArgs {
    /// The platform file (default ./main.dvm).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Also remove the ecosystems' volumes (their data is lost).
    #[arg(long)]
    volumes: bool,
    /// Fail at once when another dvm holds an ecosystem's lock.
    #[arg(long)]
    no_wait: bool,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The platform file (default ./main.dvm).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// A graph id (`shop/db`) or a container name.
    #[arg(value_name = "ID")]
    id: String,
    /// Keep following new output.
    #[arg(short, long)]
    follow: bool,
    /// Lines from the end to show first.
    #[arg(long, default_value_t = 100)]
    tail: usize,
}

#[derive(Args, Debug)]
pub struct AttachArgs {
    /// A workspace: its graph id (`shop/web/api/dev`), its app's name, or
    /// its container name.
    #[arg(value_name = "WORKSPACE")]
    workspace: String,
    /// The shell to run (default: the workspace's, else sh).
    #[arg(long)]
    shell: Option<String>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(subcommand)]
    what: ExportWhat,
}

#[derive(Subcommand, Debug)]
enum ExportWhat {
    /// A docker-compose file (format 2.4) of the same graph.
    Compose {
        /// The platform file (default ./main.dvm).
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
}

#[derive(Args, Debug)]
pub struct SecretArgs {
    #[command(subcommand)]
    action: SecretAction,
}

#[derive(Subcommand, Debug)]
enum SecretAction {
    /// Store a secret; the value is read from standard input (one line).
    Set { name: String },
    /// List stored secrets' names (never values).
    List,
    /// Remove a stored secret.
    Rm { name: String },
}

/// The input flags as they would be typed.
fn input_flags(input: &InputArgs) -> Vec<String> {
    let mut out = Vec::new();
    for pair in input.arg.chunks(2) {
        out.push("--arg".to_string());
        out.extend(pair.iter().cloned());
    }
    for pair in input.argstr.chunks(2) {
        out.push("--argstr".to_string());
        out.extend(pair.iter().cloned());
    }
    for i in &input.include {
        out.push("-I".to_string());
        out.push(i.clone());
    }
    out
}

/// Reads back what [`input_flags`] wrote (unknown tokens are skipped).
fn inputs_from_flags(flags: &[String]) -> InputArgs {
    let mut input = InputArgs {
        arg: Vec::new(),
        argstr: Vec::new(),
        include: Vec::new(),
    };
    let mut it = flags.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--arg" | "--argstr" => {
                if let (Some(n), Some(v)) = (it.next(), it.next()) {
                    let list = if flag == "--arg" {
                        &mut input.arg
                    } else {
                        &mut input.argstr
                    };
                    list.push(n.clone());
                    list.push(v.clone());
                }
            }
            "-I" => {
                if let Some(p) = it.next() {
                    input.include.push(p.clone());
                }
            }
            _ => {}
        }
    }
    input
}

fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => Some(rt),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            None
        }
    }
}

/// Prints failures; returns the exit status they mean (the worst).
fn fail(db: Option<&RootDatabase>, failures: &[Failure]) -> u8 {
    let diags: Vec<_> = failures.iter().map(|f| (*f.diag).clone()).collect();
    match db {
        Some(db) => eprint!("{}", render::render(db, &diags, render::color_enabled())),
        None => {
            for d in &diags {
                eprintln!("error[{}]: {}", d.code, d.message);
                for n in &d.notes {
                    eprintln!("  = note: {n}");
                }
                if let Some(h) = &d.help {
                    eprintln!("  = help: {h}");
                }
            }
        }
    }
    failures.iter().map(Failure::exit_code).max().unwrap_or(3)
}

fn progress() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(LiveProgress::new(render::color_enabled()))
    } else {
        Box::new(PlainProgress::default())
    }
}

fn file_string(file: Option<&Path>) -> String {
    let p = file
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("main.dvm"));
    std::fs::canonicalize(&p)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

async fn connect(graph: &Graph) -> Result<DockerEngine, Failure> {
    let socket = graph
        .ecosystems
        .iter()
        .find_map(|e| e.runtime.as_ref().and_then(|r| r.socket.clone()));
    let host = engine_host(socket.as_deref());
    DockerEngine::connect(&host)
        .await
        .map_err(|e| dvm_realise::apply::engine_failure(&e, "engine", None))
}

/// State dir and database.
/// The engine and the state database, which every engine command needs.
async fn connect_and_open(
    graph: &Graph,
) -> Result<(DockerEngine, PathBuf, state::Connection), Failure> {
    let engine = connect(graph).await?;
    let (home, conn) = open_state()?;
    Ok((engine, home, conn))
}

fn open_state() -> Result<(PathBuf, state::Connection), Failure> {
    let home = state::home()?;
    let conn = schema::open(&home)?;
    Ok((home, conn))
}

async fn plan_with(
    engine: &DockerEngine,
    graph: &Graph,
    file: &str,
    home: &Path,
    conn: &state::Connection,
) -> Result<Planned, Vec<Failure>> {
    let store = SecretStore::open(home, conn).map_err(|f| vec![f])?;
    let key = store.hmac_key();
    let resolve = |name: &str| store.resolve(name);
    session::make_plan(
        engine,
        graph,
        file,
        &SecretSource {
            resolve: &resolve,
            hmac_key: &key,
        },
    )
    .await
}

pub fn plan(args: PlanArgs) -> u8 {
    let (db, Some(graph)) = load_graph(&args.input, args.file.as_deref()) else {
        return 1;
    };
    let Some(rt) = runtime() else { return 3 };
    let file = file_string(args.file.as_deref());
    rt.block_on(async {
        let (engine, home, conn) = match connect_and_open(&graph).await {
            Ok(s) => s,
            Err(f) => return fail(None, &[f]),
        };
        let planned = match plan_with(&engine, &graph, &file, &home, &conn).await {
            Ok(p) => p,
            Err(fs) => return fail(Some(&db), &fs),
        };
        let mut planned = planned;
        planned.plan.inputs = input_flags(&args.input);
        print!("{}", planned.plan);
        if let Some(out) = &args.out {
            let text = match serde_json::to_string_pretty(&planned.plan) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot write the plan: {e}");
                    return 3;
                }
            };
            if let Err(e) = std::fs::write(out, text + "\n") {
                eprintln!("error: cannot write {}: {e}", out.display());
                return 3;
            }
            eprintln!(
                "Saved the plan to {}; apply it with `dvm apply {}`.",
                out.display(),
                out.display()
            );
        }
        0
    })
}

fn confirm() -> bool {
    eprint!("Apply these changes? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim(), "y" | "Y" | "yes" | "Yes")
}

/// Lock, plan (again, under the lock), check against a saved plan if
/// any, ask, apply.
fn lock_plan_apply(
    db: &RootDatabase,
    graph: &Graph,
    file: &str,
    command: &str,
    no_wait: bool,
    ask: bool,
    saved: Option<&Plan>,
) -> u8 {
    let Some(rt) = runtime() else { return 3 };
    rt.block_on(async {
        let (engine, home, conn) = match connect_and_open(graph).await {
            Ok(s) => s,
            Err(f) => return fail(None, &[f]),
        };
        let ecos = session::ecosystems(graph);
        let _locks =
            match lock::acquire(&home, &conn, &ecos, command, no_wait, &|m| eprintln!("{m}")) {
                Ok(l) => l,
                Err(f) => return fail(None, &[f]),
            };
        let planned = match plan_with(&engine, graph, file, &home, &conn).await {
            Ok(p) => p,
            Err(fs) => return fail(Some(db), &fs),
        };
        if let Some(what) = saved.and_then(|s| s.stale_against(&planned.plan)) {
            return fail(
                None,
                &[Failure::new(
                    dvm_compiler::codes::realise::STALE_PLAN,
                    format!("the plan is stale: {what} since it was made"),
                )
                .help(format!("make it again: dvm plan {file} --out PLAN.JSON"))],
            );
        }
        print!("{}", planned.plan);
        let _ = std::io::stdout().flush();
        if !planned.plan.has_changes() {
            return 0;
        }
        if ask && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() && !confirm() {
            eprintln!("Nothing applied.");
            return 0;
        }
        let journal = match Journal::start(conn, command, file) {
            Ok(j) => j,
            Err(f) => return fail(None, &[f]),
        };
        let progress = progress();
        match session::apply_plan(&engine, &planned, &journal, progress.as_ref()).await {
            Ok(o) => {
                drop(progress);
                eprintln!(
                    "Applied: {} created, {} recreated, {} started, {} removed.",
                    o.created, o.recreated, o.started, o.removed
                );
                0
            }
            Err(fs) => {
                drop(progress);
                fail(Some(db), &fs)
            }
        }
    })
}

pub fn realise(args: RealiseArgs) -> u8 {
    let (db, Some(graph)) = load_graph(&args.input, args.file.as_deref()) else {
        return 1;
    };
    let file = file_string(args.file.as_deref());
    lock_plan_apply(
        &db,
        &graph,
        &file,
        &format!("dvm realise {file}"),
        args.no_wait,
        !args.yes,
        None,
    )
}

pub fn apply(args: ApplyArgs) -> u8 {
    let text = match std::fs::read_to_string(&args.plan) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.plan.display());
            return 2;
        }
    };
    let saved: Plan = match serde_json::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!(
                "error: {} is not a plan saved by `dvm plan --out`: {e}",
                args.plan.display()
            );
            return 2;
        }
    };
    let path = PathBuf::from(&saved.file);
    // The plan's own inputs, unless the command line gives some.
    let given = input_flags(&args.input);
    let input = if given.is_empty() {
        inputs_from_flags(&saved.inputs)
    } else {
        args.input
    };
    let (db, Some(graph)) = load_graph(&input, Some(&path)) else {
        return 1;
    };
    lock_plan_apply(
        &db,
        &graph,
        &saved.file,
        &format!("dvm apply {}", args.plan.display()),
        args.no_wait,
        false,
        Some(&saved),
    )
}

pub fn destroy(args: DestroyArgs) -> u8 {
    let (_db, Some(graph)) = load_graph(&args.input, args.file.as_deref()) else {
        return 1;
    };
    let file = file_string(args.file.as_deref());
    let Some(rt) = runtime() else { return 3 };
    rt.block_on(async {
        let (engine, home, conn) = match connect_and_open(&graph).await {
            Ok(s) => s,
            Err(f) => return fail(None, &[f]),
        };
        let ecos = session::ecosystems(&graph);
        let command = format!("dvm destroy {file}");
        let _locks = match lock::acquire(&home, &conn, &ecos, &command, args.no_wait, &|m| eprintln!("{m}")) {
            Ok(l) => l,
            Err(f) => return fail(None, &[f]),
        };
        let journal = match Journal::start(conn, &command, &file) {
            Ok(j) => j,
            Err(f) => return fail(None, &[f]),
        };
        let progress = PlainProgress::default();
        match session::destroy(&engine, &ecos, args.volumes, &journal, &progress).await {
            Ok(d) => {
                println!(
                    "Removed {} container(s) and {} network(s).",
                    d.containers.len(),
                    d.networks.len()
                );
                if !d.volumes_removed.is_empty() {
                    println!("Removed volumes: {}.", d.volumes_removed.join(", "));
                }
                if !d.volumes_kept.is_empty() {
                    println!(
                        "Kept volumes (their data is safe; `dvm destroy --volumes` removes them): {}.",
                        d.volumes_kept.join(", ")
                    );
                }
                0
            }
            Err(fs) => fail(None, &fs),
        }
    })
}

pub fn status(args: StatusArgs) -> u8 {
    let (db, Some(graph)) = load_graph(&args.input, args.file.as_deref()) else {
        return 1;
    };
    let file = file_string(args.file.as_deref());
    let Some(rt) = runtime() else { return 3 };
    rt.block_on(async {
        let (engine, home, conn) = match connect_and_open(&graph).await {
            Ok(s) => s,
            Err(f) => return fail(None, &[f]),
        };
        let planned = match plan_with(&engine, &graph, &file, &home, &conn).await {
            Ok(p) => p,
            Err(fs) => return fail(Some(&db), &fs),
        };
        let rows = session::status(&engine, &planned).await;
        let w_id = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
        let w_kind = rows.iter().map(|r| r.kind.len()).max().unwrap_or(4).max(4);
        let w_c = rows
            .iter()
            .map(|r| r.container.len())
            .max()
            .unwrap_or(9)
            .max(9);
        println!(
            "{:<w_id$}  {:<w_kind$}  {:<w_c$}  STATUS",
            "ID", "KIND", "CONTAINER"
        );
        for r in rows {
            println!(
                "{:<w_id$}  {:<w_kind$}  {:<w_c$}  {}",
                r.id, r.kind, r.container, r.status
            );
        }
        0
    })
}

/// Finds a managed container by graph id, name, or (for attach) app name.
async fn find_container(
    engine: &DockerEngine,
    what: &str,
    workspace: bool,
) -> Result<String, Failure> {
    let list = engine
        .list_containers()
        .await
        .map_err(|e| dvm_realise::apply::engine_failure(&e, "engine", None))?;
    let managed = |c: &&dvm_realise::engine::ContainerSummary| {
        c.labels.get("dvm.managed").is_some_and(|v| v == "true")
    };
    let id_of = |c: &dvm_realise::engine::ContainerSummary| {
        c.labels.get("dvm.id").cloned().unwrap_or_default()
    };
    let mut hits: Vec<String> = list
        .iter()
        .filter(managed)
        .filter(|c| id_of(c) == what || c.name == what)
        .map(|c| c.name.clone())
        .collect();
    if hits.is_empty() && workspace {
        hits = list
            .iter()
            .filter(managed)
            .filter(|c| {
                let id = id_of(c);
                c.labels.get("dvm.kind").is_some_and(|k| k == "Workspace")
                    && id.ends_with("/dev")
                    && id.trim_end_matches("/dev").rsplit('/').next() == Some(what)
            })
            .map(|c| c.name.clone())
            .collect();
    }
    match hits.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Failure::new(
            dvm_compiler::codes::realise::ENGINE_ERROR,
            format!("no container managed by dvm is `{what}`"),
        )
        .help("`dvm status FILE` lists the objects and their containers")),
        many => Err(Failure::new(
            dvm_compiler::codes::realise::ENGINE_ERROR,
            format!("`{what}` matches several containers: {}", many.join(", ")),
        )
        .help("name it by its full graph id")),
    }
}

pub fn logs(args: LogsArgs) -> u8 {
    let Some(rt) = runtime() else { return 3 };
    rt.block_on(async {
        let host = engine_host(None);
        let engine = match DockerEngine::connect(&host).await {
            Ok(e) => e,
            Err(e) => {
                return fail(
                    None,
                    &[dvm_realise::apply::engine_failure(&e, "engine", None)],
                );
            }
        };
        let name = match find_container(&engine, &args.id, false).await {
            Ok(n) => n,
            Err(f) => return fail(None, &[f]),
        };
        match engine.stream_logs(&name, args.tail, args.follow).await {
            Ok(()) => 0,
            Err(e) => fail(None, &[dvm_realise::apply::engine_failure(&e, &name, None)]),
        }
    })
}

pub fn attach(args: AttachArgs) -> u8 {
    let Some(rt) = runtime() else { return 3 };
    let name = rt.block_on(async {
        let host = engine_host(None);
        let engine = match DockerEngine::connect(&host).await {
            Ok(e) => e,
            Err(e) => {
                return Err(fail(
                    None,
                    &[dvm_realise::apply::engine_failure(&e, "engine", None)],
                ));
            }
        };
        find_container(&engine, &args.workspace, true)
            .await
            .map_err(|f| fail(None, &[f]))
    });
    let name = match name {
        Ok(n) => n,
        Err(code) => return code,
    };
    let shell = args.shell.unwrap_or_else(|| "sh".to_string());
    // An interactive terminal needs raw mode and resize handling; the
    // Docker CLI's exec does both, so attach hands over to it.
    let mut cmd = std::process::Command::new("docker");
    cmd.arg("exec").arg("-i");
    if std::io::stdin().is_terminal() {
        cmd.arg("-t");
    }
    cmd.args(["-w", "/workspace", &name, &shell]);
    match cmd.status() {
        Ok(s) => s.code().and_then(|c| u8::try_from(c).ok()).unwrap_or(3),
        Err(e) => {
            eprintln!("error: cannot run `docker exec` for {name}: {e}");
            3
        }
    }
}

pub fn export(args: ExportArgs) -> u8 {
    match args.what {
        ExportWhat::Compose { file, input } => {
            let (_db, Some(graph)) = load_graph(&input, file.as_deref()) else {
                return 1;
            };
            print!("{}", dvm_realise::compose::to_compose(&graph));
            0
        }
    }
}

pub fn secret(args: SecretArgs) -> u8 {
    let (home, conn) = match open_state() {
        Ok(s) => s,
        Err(f) => return fail(None, &[f]),
    };
    let store = match SecretStore::open(&home, &conn) {
        Ok(s) => s,
        Err(f) => return fail(None, &[f]),
    };
    let valid = |n: &str| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
    };
    let res = match args.action {
        SecretAction::Set { name } => {
            if !valid(&name) {
                eprintln!("error: `{name}` is not a secret name (letters, digits, `_`, `-`, `.`)");
                return 2;
            }
            if std::io::stdin().is_terminal() {
                eprint!("Value of {name} (not echoed): ");
                let _ = std::io::stderr().flush();
            }
            let echo_off = std::io::stdin().is_terminal()
                && std::process::Command::new("stty")
                    .arg("-echo")
                    .status()
                    .is_ok_and(|s| s.success());
            let mut line = String::new();
            let read = std::io::stdin().read_line(&mut line);
            if echo_off {
                let _ = std::process::Command::new("stty").arg("echo").status();
                eprintln!();
            }
            if let Err(e) = read {
                eprintln!("error: cannot read the value: {e}");
                return 3;
            }
            let value = line.strip_suffix('\n').unwrap_or(&line);
            let value = value.strip_suffix('\r').unwrap_or(value);
            store.set(&name, value).map(|()| {
                eprintln!("Stored secret {name}.");
            })
        }
        SecretAction::List => store.list().map(|rows| {
            for (name, at) in rows {
                println!("{name}\t{}", state::show_time(at));
            }
        }),
        SecretAction::Rm { name } => store.remove(&name).map(|existed| {
            if existed {
                eprintln!("Removed secret {name}.");
            } else {
                eprintln!("No secret {name} was stored.");
            }
        }),
    };
    match res {
        Ok(()) => 0,
        Err(f) => fail(None, &[f]),
    }
}
