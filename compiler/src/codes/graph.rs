//! Codes of graph resolution (E06xx, W06xx): turning the evaluated
//! objects into the resolved graph (objects.md).
use super::CodeInfo;

pub const ROOT_NOT_ECOSYSTEM: &str = "E0601";
pub const BAD_NAME: &str = "E0602";
pub const WRONG_KIND: &str = "E0603";
pub const UNKNOWN_USE: &str = "E0604";
pub const IMAGE_OR_BUILD: &str = "E0605";
pub const BAD_FIELD: &str = "E0606";
pub const HOST_PORT_CLASH: &str = "E0607";
pub const UNKNOWN_DEPENDS_ON: &str = "E0608";
pub const CYCLE: &str = "E0609";
pub const UNKNOWN_TARGET: &str = "E0610";
pub const UNKNOWN_RUNS: &str = "E0611";
pub const NAME_CLASH: &str = "E0612";
pub const UNKNOWN_STEP: &str = "E0613";
pub const BAD_EXPORTS: &str = "E0614";
pub const SHADOWED_DEPENDENCY: &str = "W0601";
pub const WIRED_VARIABLE_CLASH: &str = "W0602";

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: ROOT_NOT_ECOSYSTEM,
        title: "the entry file is not an ecosystem",
        explanation: "To build a graph, the entry file's value must be an `Ecosystem`, or a \
record of ecosystems keyed by name.\n\n\
Example:\n\n    { db = postgres { }; }\n\n\
This is a plain record of dependencies, not a platform. Fix: wrap what you \
declare in an ecosystem:\n\n    Ecosystem { dependencies.db = postgres { }; }\n\n\
`dvm eval` without `--graph` still prints any value.",
    },
    CodeInfo {
        code: BAD_NAME,
        title: "invalid object name",
        explanation: "Names of ecosystems, domains, apps, dependency instances, volumes, tasks, \
workflows, pipelines and jobs become container, network and DNS names, so they must \
match `[a-z0-9][a-z0-9-]{0,62}`: lower-case letters, digits and `-`, starting with a \
letter or digit, at most 63 characters.\n\n\
Example:\n\n    domains.Auth_Service = Domain { };\n\n\
Fix: use a lower-case name with dashes:\n\n    domains.auth-service = Domain { };",
    },
    CodeInfo {
        code: WRONG_KIND,
        title: "object of the wrong kind",
        explanation: "Each child set holds one kind: `domains` holds `Domain`s, `apps` holds \
`App`s, `dependencies` holds `Dependency` instances, and so on. A value of another \
kind, a template that was never applied, or a plain value is rejected.\n\n\
Example:\n\n    domains.auth = App { path = ./auth; };\n\n\
Fix: put the app inside a domain:\n\n    domains.auth = Domain { apps.auth = App { path = ./auth; }; };",
    },
    CodeInfo {
        code: UNKNOWN_USE,
        title: "`uses` names no dependency in scope",
        explanation: "A name in `uses` is looked up from the object that carries the list \
outwards: workspace or service, app, domain, ecosystem. No scope on that path declares \
it under `dependencies`.\n\n\
Example:\n\n    Ecosystem { dependencies.platform-db = postgres { };\n      \
domains.a = Domain { apps.x = App { path = ./x; uses = [ \"platfrom-db\" ]; }; }; }\n\n\
Fix the spelling (`platform-db`), or declare the instance in a scope that \
encloses the consumer.",
    },
    CodeInfo {
        code: IMAGE_OR_BUILD,
        title: "a service needs exactly one of `image` and `build`",
        explanation: "A `Service` runs either a published image (`image = \"nginx:1.27\"`) or \
one built from a directory (`build = ./api`), never both and never neither.\n\n\
Example:\n\n    service = Service { image = \"api:dev\"; build = ./api; };\n\n\
Fix: keep the one you mean:\n\n    service = Service { build = ./api; };",
    },
    CodeInfo {
        code: BAD_FIELD,
        title: "a field is missing or has the wrong shape",
        explanation: "Graph resolution needs some fields in a usable shape: a dependency's \
`image`, an app's `path`, a task's `command`, ports as `{ container = 8080; }`, \
environment values as strings or secrets. Kinds check most of this; this error \
covers what reaches the graph anyway.\n\n\
Example:\n\n    env = { PORT = [ 8080 ]; };\n\n\
Fix: give a string (or a number, which is written as text):\n\n    env = { PORT = \"8080\"; };",
    },
    CodeInfo {
        code: HOST_PORT_CLASH,
        title: "two containers publish the same host port",
        explanation: "Two ports of the file's containers (across all its ecosystems) ask \
for the same host port and protocol; only one container could bind it.\n\n\
Example:\n\n    ports = [ { container = 8080; host = 8080; } ];   # in two services\n\n\
Fix: give one of them another host port, or none (the container is still \
reachable on the ecosystem's network):\n\n    ports = [ { container = 8080; host = 8081; } ];",
    },
    CodeInfo {
        code: UNKNOWN_DEPENDS_ON,
        title: "`dependsOn` names nothing",
        explanation: "A workflow task's `dependsOn` names sibling tasks of the same workflow; a \
pipeline stage's names sibling stages; a service's names other apps (whose services \
it starts after), looked up in its domain, then in the ecosystem.\n\n\
Example:\n\n    tasks = { lint.task = …; test = { task = …; dependsOn = [ \"lnt\" ]; }; };\n\n\
Fix the spelling: `dependsOn = [ \"lint\" ];`.",
    },
    CodeInfo {
        code: CYCLE,
        title: "a dependency cycle",
        explanation: "Workflow tasks, pipeline stages and service start order must form a DAG: \
nothing may (indirectly) wait for itself. The error lists every member of the cycle.\n\n\
Example:\n\n    a = { task = …; dependsOn = [ \"b\" ]; };\n    b = { task = …; dependsOn = [ \"a\" ]; };\n\n\
Fix: remove one `dependsOn` so that an order exists.",
    },
    CodeInfo {
        code: UNKNOWN_TARGET,
        title: "a task's `target` names no app",
        explanation: "`Task.target` names the app whose container runs the task: its \
workspace if it has one, else its service. The app is searched in the task's domain, \
then in the whole ecosystem.\n\n\
Example:\n\n    Task { target = \"auth\"; command = [ \"go\" \"test\" ]; }\n\n\
Fix: name an existing app, e.g. `target = \"auth-api\";`.",
    },
    CodeInfo {
        code: UNKNOWN_RUNS,
        title: "a job's `runs` names nothing",
        explanation: "`Job.runs` names a workflow, a pipeline or a task of the job's domain \
(or, failing that, of the ecosystem).\n\n\
Example:\n\n    jobs.nightly = Job { trigger = { schedule = \"0 3 * * *\"; }; runs = \"cii\"; };\n\n\
Fix: name an existing workflow, pipeline or task: `runs = \"ci\";`.",
    },
    CodeInfo {
        code: NAME_CLASH,
        title: "two objects get the same name",
        explanation: "Ids, container names, volume names, networks and DNS aliases must be \
unique. They are built from scope paths and names, so two different objects can \
meet: a dependency called `dev` under an app has the id of the app's workspace \
(`…/<app>/dev`), and two ecosystems with the same `name` share a network.\n\n\
Example:\n\n    apps.api = App { dependencies.dev = redis { }; workspace = Workspace { }; … };\n\n\
Fix: rename one of them, e.g. `dependencies.dev-cache`.",
    },
    CodeInfo {
        code: UNKNOWN_STEP,
        title: "a workflow step or pipeline stage names nothing",
        explanation: "A workflow task may be a `Task` or the name of a task in the domain's \
`tasks`; a pipeline stage's `workflow` may be a `Workflow` or the name of one in the \
domain's `workflows`. The name given exists in neither.\n\n\
Example:\n\n    tasks.lint = { task = \"lnit\"; };\n\n\
Fix the spelling, or declare the task under the domain's `tasks`.",
    },
    CodeInfo {
        code: BAD_EXPORTS,
        title: "a dependency's exports are not a record of strings",
        explanation: "`exports` is a record of strings (or secrets), or a function of \
`{ name, alias, id, ... }` returning one. Each entry becomes a variable in every \
consumer (`PLATFORM_DB_URL`).\n\n\
Example:\n\n    exports = { name, ... }: [ name ];\n\n\
Fix: return a record:\n\n    exports = { alias, ... }: { host = alias; port = \"5432\"; };",
    },
    CodeInfo {
        code: SHADOWED_DEPENDENCY,
        title: "a dependency instance shadows an outer one",
        explanation: "A scope declares a dependency under a name that an enclosing scope \
already declares. This makes a new, separate instance (a new container), and \
consumers inside see only the inner one. That is sometimes intended (an isolated \
test database) but often a mistake.\n\n\
Example:\n\n    Ecosystem { dependencies.db = postgres { };\n      \
domains.a = Domain { dependencies.db = postgres { }; … }; }\n\n\
Fix: to share the outer instance, delete the inner declaration and just `uses = [ \"db\" ];`; \
to keep both, give the inner one its own name (`test-db`).",
    },
    CodeInfo {
        code: WIRED_VARIABLE_CLASH,
        title: "two used dependencies set the same variable",
        explanation: "A consumer receives each used instance's exports as \
`<INSTANCE>_<KEY>` variables. Two instances produce the same variable (for example \
the app's `db` and a workspace's own `db`, or `a-b` exporting `c` and `a` exporting \
`b-c`). The instance of the inner scope wins.\n\n\
Example:\n\n    dependencies.db = postgres { };   # in the workspace, while the app uses the domain's `db`\n\n\
Fix: rename one instance, or set the variable in the consumer's own `env`, which \
always wins.",
    },
];
