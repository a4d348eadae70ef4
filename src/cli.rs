//! The command line (clap): `dvm eval`, `dvm check`, `dvm graph`, `dvm get`,
//! `dvm why`, `dvm explain`.
//!
//! Conventions (lsp-and-cli.md): results on stdout, diagnostics on
//! stderr; exit 0 ok, 1 configuration error, 2 usage error, 3 runtime
//! error. Every command that reads a FILE takes `--arg`, `--argstr`, `-I`.

use crate::render;
use clap::{Args, Parser, Subcommand, ValueEnum};
use dvm_compiler::db::{ArgValue, Db, EvalRequest, RootDatabase};
use dvm_compiler::diag::Diagnostic;
use dvm_compiler::source::DiskLoader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "dvm",
    version,
    about = "A typed, Nix-style configuration language for local development platforms"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Evaluate a file (or an expression) and print its value.
    Eval(EvalArgs),
    /// Rewrite files in the canonical layout (`--check`: list the ones that differ).
    Fmt(crate::cmd_fmt::FmtArgs),
    /// Check files and report every diagnostic; exit 1 on any error.
    Check(CheckArgs),
    /// Draw the resolved object graph (dot, mermaid or JSON).
    Graph(GraphArgs),
    /// List the objects of one kind from the graph, kubectl-like.
    Get(GetArgs),
    /// Show a value and every definition that contributed to it.
    Why(WhyArgs),
    /// Print a Markdown reference of a file's definitions from its doc comments.
    Doc(crate::cmd_doc::DocArgs),
    /// Show what `realise` would change: create, recreate, remove, unchanged.
    Plan(crate::cmd_realise::PlanArgs),
    /// Apply a plan saved by `dvm plan --out`, unless it is stale.
    Apply(crate::cmd_realise::ApplyArgs),
    /// Make the container engine match the file (plan, then apply).
    Realise(crate::cmd_realise::RealiseArgs),
    /// Remove the file's containers and networks (volumes kept unless --volumes).
    Destroy(crate::cmd_realise::DestroyArgs),
    /// Each object's container: running, healthy, stale, missing.
    Status(crate::cmd_realise::StatusArgs),
    /// Print a container's output.
    Logs(crate::cmd_realise::LogsArgs),
    /// Open a shell in a workspace container.
    Attach(crate::cmd_realise::AttachArgs),
    /// Export the graph in another tool's format.
    Export(crate::cmd_realise::ExportArgs),
    /// Manage secrets (stored encrypted under $DVM_HOME).
    Secret(crate::cmd_realise::SecretArgs),
    /// Explain a diagnostic code, with an example and its fix.
    Explain {
        /// A code such as E0101.
        code: String,
    },
    /// Run the language server on stdin/stdout (for editors).
    Lsp,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct InputArgs {
    /// Pass `NAME = EXPR` to the entry file's function.
    #[arg(long = "arg", num_args = 2, value_names = ["NAME", "EXPR"], action = clap::ArgAction::Append)]
    pub(crate) arg: Vec<String>,
    /// Pass `NAME = "STR"` to the entry file's function.
    #[arg(long = "argstr", num_args = 2, value_names = ["NAME", "STR"], action = clap::ArgAction::Append)]
    pub(crate) argstr: Vec<String>,
    /// Add a search path entry for `<name/path>` lookups (`DIR` or `name=DIR`).
    #[arg(short = 'I', value_name = "PATH")]
    pub(crate) include: Vec<String>,
}

#[derive(Args, Debug)]
struct EvalArgs {
    /// The file to evaluate (a directory means its main.dvm).
    #[arg(value_name = "FILE", conflicts_with = "expr")]
    file: Option<PathBuf>,
    /// Evaluate this expression instead of a file.
    #[arg(long, value_name = "EXPR")]
    expr: Option<String>,
    /// Select an attribute path of the result, e.g. `-A services.api`.
    #[arg(short = 'A', long = "attr", value_name = "ATTR.PATH")]
    attr: Option<String>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Json)]
    output: Format,
    /// Print the resolved object graph instead of the value.
    #[arg(long, conflicts_with = "attr")]
    graph: bool,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args, Debug)]
struct GraphArgs {
    /// The platform file (default ./main.dvm).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Picture format.
    #[arg(short = 'f', long = "format", value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

#[derive(Args, Debug)]
struct GetArgs {
    /// The kind: app, service, dependency, workspace, task, … (singular or plural).
    kind: String,
    /// The platform file (default ./main.dvm).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = GetFormat::Table)]
    output: GetFormat,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum GetFormat {
    Table,
    Json,
    Yaml,
}

#[derive(Args, Debug)]
struct WhyArgs {
    /// `[FILE] ATTR.PATH`: the file (default ./main.dvm) and the path of
    /// the value to explain, e.g. `domains.auth.apps.auth-api.workspace.nvim.plugins`.
    #[arg(value_name = "ARGS", num_args = 1..=2, required = true)]
    args: Vec<String>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files to check (default ./main.dvm).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Format {
    Json,
    Yaml,
}

pub fn parse_args() -> Cli {
    Cli::parse()
}

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Eval(args) => eval(args),
        Command::Fmt(args) => crate::cmd_fmt::run(args),
        Command::Check(args) => check(args),
        Command::Graph(args) => graph(args),
        Command::Get(args) => get(args),
        Command::Why(args) => why(args),
        Command::Doc(args) => crate::cmd_doc::run(args),
        Command::Explain { code } => explain(&code),
        Command::Lsp => crate::cmd_lsp::run(),
        Command::Plan(args) => crate::cmd_realise::plan(args),
        Command::Apply(args) => crate::cmd_realise::apply(args),
        Command::Realise(args) => crate::cmd_realise::realise(args),
        Command::Destroy(args) => crate::cmd_realise::destroy(args),
        Command::Status(args) => crate::cmd_realise::status(args),
        Command::Logs(args) => crate::cmd_realise::logs(args),
        Command::Attach(args) => crate::cmd_realise::attach(args),
        Command::Export(args) => crate::cmd_realise::export(args),
        Command::Secret(args) => crate::cmd_realise::secret(args),
    }
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"))
}

/// An absolute, lexically normalised path; a directory means its main.dvm.
pub(crate) fn entry_path(file: Option<&Path>) -> PathBuf {
    let p = file
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("main.dvm"));
    let abs = if p.is_absolute() { p } else { cwd().join(p) };
    let abs = PathBuf::from(dvm_compiler::hir::lower::normalize_path(&abs));
    if abs.is_dir() {
        abs.join("main.dvm")
    } else {
        abs
    }
}

pub(crate) fn new_db(input: &InputArgs) -> RootDatabase {
    let mut db = RootDatabase::new(Arc::new(DiskLoader));
    let mut search = input.include.clone();
    if let Some(p) = std::env::var_os("DVM_PATH") {
        search.extend(
            p.to_string_lossy()
                .split(':')
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    db.set_search_path(search);
    let mut args = Vec::new();
    for pair in input.arg.chunks(2) {
        if let [name, expr] = pair {
            args.push((name.clone(), ArgValue::Expr(expr.clone())));
            db.set_text(&cwd().join(format!("<arg {name}>")), expr);
        }
    }
    for pair in input.argstr.chunks(2) {
        if let [name, s] = pair {
            args.push((name.clone(), ArgValue::Str(s.clone())));
        }
    }
    db.set_args(args);
    db
}

/// Prints diagnostics to stderr; returns whether any is an error.
pub(crate) fn report(db: &RootDatabase, diags: &[Diagnostic]) -> bool {
    if !diags.is_empty() {
        eprint!("{}", render::render(db, diags, render::color_enabled()));
    }
    diags.iter().any(Diagnostic::is_error)
}

fn eval(args: EvalArgs) -> u8 {
    let mut db = new_db(&args.input);
    let entry = match &args.expr {
        Some(e) => db.set_text(&cwd().join("<expr>"), e),
        None => {
            let path = entry_path(args.file.as_deref());
            db.file(&path)
        }
    };
    let attr_path: Vec<String> = match &args.attr {
        Some(a) if !a.is_empty() => a.split('.').map(str::to_string).collect(),
        _ => Vec::new(),
    };
    if args.graph {
        return match graph_of(&db, entry) {
            Some(g) => finish_output(print_serialized(g.as_ref(), args.output)),
            None => 1,
        };
    }
    let request = EvalRequest::new(&db, entry, attr_path);
    let out = dvm_compiler::db::evaluate(&db, request);
    let failed = report(&db, &out.diagnostics);
    match (&out.value, failed) {
        (Some(v), false) => finish_output(print_serialized(v.as_ref(), args.output)),
        _ => 1,
    }
}

fn check(args: CheckArgs) -> u8 {
    let db = new_db(&args.input);
    let files: Vec<Option<&Path>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files.iter().map(|f| Some(f.as_path())).collect()
    };
    let mut all = Vec::new();
    for f in files {
        // Evaluation, then the graph: a file whose value is not a
        // platform (a library of templates) is checked as code only.
        let entry = db.file(&entry_path(f));
        let out = dvm_compiler::db::graph(&db, entry);
        all.extend(
            out.diagnostics
                .iter()
                .filter(|d| d.code != dvm_compiler::codes::graph::ROOT_NOT_ECOSYSTEM)
                .cloned(),
        );
    }
    dvm_compiler::diag::normalize(&mut all);
    let failed = report(&db, &all);
    let errors = all.iter().filter(|d| d.is_error()).count();
    let warnings = all.len() - errors;
    if errors + warnings > 0 {
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
    u8::from(failed)
}

/// The graph of an entry file, with its diagnostics reported; `None`
/// when there is an error.
fn graph_of(
    db: &RootDatabase,
    entry: dvm_compiler::db::SourceFile,
) -> Option<Arc<dvm_compiler::graph::Graph>> {
    let out = dvm_compiler::db::graph(db, entry);
    if report(db, &out.diagnostics) {
        return None;
    }
    out.graph.clone()
}

/// The graph of a platform file (default ./main.dvm).
pub(crate) fn load_graph(
    input: &InputArgs,
    file: Option<&Path>,
) -> (RootDatabase, Option<Arc<dvm_compiler::graph::Graph>>) {
    let db = new_db(input);
    let entry = db.file(&entry_path(file));
    let graph = graph_of(&db, entry);
    (db, graph)
}

fn graph(args: GraphArgs) -> u8 {
    let (_db, Some(g)) = load_graph(&args.input, args.file.as_deref()) else {
        return 1;
    };
    let text = match args.format {
        GraphFormat::Dot => dvm_compiler::graph::to_dot(&g),
        GraphFormat::Mermaid => dvm_compiler::graph::to_mermaid(&g),
        GraphFormat::Json => return finish_output(print_serialized(g.as_ref(), Format::Json)),
    };
    finish_output(print_text(&text))
}

fn get(args: GetArgs) -> u8 {
    let (_db, Some(g)) = load_graph(&args.input, args.file.as_deref()) else {
        return 1;
    };
    if dvm_compiler::graph::NodeKind::parse(&args.kind).is_none() {
        return unknown_kind(&args.kind);
    }
    let nodes = || dvm_compiler::graph::nodes_of_kind(&g, &args.kind);
    finish_output(match args.output {
        GetFormat::Table => {
            print_text(&dvm_compiler::graph::table(&g, &args.kind).unwrap_or_default())
        }
        GetFormat::Json => print_serialized(&nodes(), Format::Json),
        GetFormat::Yaml => print_serialized(&nodes(), Format::Yaml),
    })
}

fn unknown_kind(kind: &str) -> u8 {
    eprintln!(
        "error: `{kind}` is not a kind of the graph; try app, service, workspace, dependency, \
         domain, ecosystem, task, workflow, pipeline or job"
    );
    2
}

fn why(args: WhyArgs) -> u8 {
    let (file, path) = match args.args.as_slice() {
        [path] => (None, path.clone()),
        [file, path] => (Some(PathBuf::from(file)), path.clone()),
        _ => return 2,
    };
    let db = new_db(&args.input);
    let entry = db.file(&entry_path(file.as_deref()));
    let attr_path: Vec<String> = path.split('.').map(str::to_string).collect();
    let out = dvm_compiler::eval::why::explain(&db, entry, &attr_path);
    if report(&db, &out.diagnostics) {
        return 1;
    }
    match out.text {
        Some(text) => finish_output(print_text(&text)),
        None => 1,
    }
}

/// The exit code after printing: a closed pipe (`dvm eval … | head`) is
/// not an error worth a message.
pub(crate) fn finish_output(res: std::io::Result<()>) -> u8 {
    match res {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot print the result: {e}");
            3
        }
    }
}

pub(crate) fn print_text(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Writes a value to stdout as JSON or YAML, streaming (no intermediate
/// text); a closed pipe is reported as an error for [`finish_output`].
fn print_serialized<T: serde::Serialize + ?Sized>(v: &T, format: Format) -> std::io::Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match format {
        Format::Json => serde_json::to_writer_pretty(&mut out, v).map_err(std::io::Error::other)?,
        Format::Yaml => serde_norway::to_writer(&mut out, v).map_err(std::io::Error::other)?,
    }
    if let Format::Json = format {
        out.write_all(b"\n")?;
    }
    out.flush()
}

fn explain(code: &str) -> u8 {
    match dvm_compiler::codes::lookup(code) {
        Some(info) => {
            println!("{}: {}\n\n{}", info.code, info.title, info.explanation);
            0
        }
        None => {
            eprintln!("error: `{code}` is not a dvm diagnostic code");
            let all: Vec<&str> = dvm_compiler::codes::all().iter().map(|c| c.code).collect();
            eprintln!("known codes: {}", all.join(", "));
            2
        }
    }
}
