//! Codes of realising the graph on a container engine (E07xx): what
//! `dvm plan`, `dvm realise`, `dvm apply` and the other engine commands
//! report (realise.md, "Errors that must be clear").
use super::CodeInfo;

pub const ENGINE_UNREACHABLE: &str = "E0701";
pub const IMAGE_UNAVAILABLE: &str = "E0702";
pub const PORT_IN_USE: &str = "E0703";
pub const UNHEALTHY: &str = "E0704";
pub const EXITED: &str = "E0705";
pub const NAME_CLASH: &str = "E0706";
pub const SECRET_NOT_SET: &str = "E0707";
pub const STALE_PLAN: &str = "E0708";
pub const LOCKED: &str = "E0709";
pub const ENGINE_ERROR: &str = "E0710";
pub const BUILD_FAILED: &str = "E0711";
pub const TIMEOUT: &str = "E0712";
pub const STATE_ERROR: &str = "E0713";

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: ENGINE_UNREACHABLE,
        title: "the container engine cannot be reached",
        explanation: "dvm talks to the Docker Engine API on the socket named by `DOCKER_HOST`, \
the ecosystem's `runtime.socket`, or the default `unix:///var/run/docker.sock`. Nothing \
answered there.\n\n\
Example:\n\n    DOCKER_HOST=unix:///nowhere.sock dvm realise main.dvm\n\n\
Fix: start the engine (`systemctl start docker`), or point `DOCKER_HOST` at the socket it \
listens on. The command exits with status 3.",
    },
    CodeInfo {
        code: IMAGE_UNAVAILABLE,
        title: "an image is neither local nor pullable",
        explanation: "A container's image is used from the engine's local images; when it is \
not there dvm pulls it. The pull failed: the name is wrong, the registry is unreachable, \
or it needs credentials.\n\n\
Example:\n\n    dependencies.db = Dependency { image = \"postgress:16\"; };\n\n\
Fix the image name, load the image locally (`docker load`, `docker build -t NAME .`), or \
log in to the registry.",
    },
    CodeInfo {
        code: PORT_IN_USE,
        title: "a host port is already in use",
        explanation: "A `ports` entry publishes a container port on a host port, and something \
else already listens there: another container (dvm names it) or a host process.\n\n\
Example:\n\n    ports = [ { container = 80; host = 8080; } ];   # 8080 taken\n\n\
Fix: stop what holds the port, or pick another `host` port.",
    },
    CodeInfo {
        code: UNHEALTHY,
        title: "a health check does not pass",
        explanation: "A dependent starts only when what it uses is healthy. This container's \
health check failed its retries (or never passed in time); the last output of the check \
is shown.\n\n\
Example:\n\n    healthCheck = { command = [ \"pg_isready\" ]; retries = 3; };\n\n\
Fix the check (a command the image has, the right port) or the service, and look at \
`dvm logs ID`.",
    },
    CodeInfo {
        code: EXITED,
        title: "a container exited at start",
        explanation: "The container stopped while dvm waited for it to be running or healthy. \
Its last log lines are shown.\n\n\
Example:\n\n    command = [ \"sh\" \"-c\" \"exit 1\" ];\n\n\
Fix the command, the environment or the image so that the process keeps running.",
    },
    CodeInfo {
        code: NAME_CLASH,
        title: "a container name is taken by a container dvm does not manage",
        explanation: "dvm names containers `dvm-<ecosystem>-…`. A container with that name \
exists but has no `dvm.managed` label, so dvm will not touch it.\n\n\
Example:\n\n    docker run -d --name dvm-shop-db busybox sleep 1000\n\n\
Fix: remove or rename that container (`docker rm -f NAME`), or rename the ecosystem.",
    },
    CodeInfo {
        code: SECRET_NOT_SET,
        title: "a secret has no value",
        explanation: "An environment value refers to `secret \"NAME\"`. Its value is read from \
the environment variable NAME, else from dvm's secret store; neither has it.\n\n\
Example:\n\n    env.DB_PASSWORD = secret \"DB_PASSWORD\";\n\n\
Fix: `dvm secret set DB_PASSWORD` (the value is read from standard input and stored \
encrypted), or export DB_PASSWORD.",
    },
    CodeInfo {
        code: STALE_PLAN,
        title: "the saved plan is stale",
        explanation: "`dvm apply plan.json` applies a plan only if neither the graph nor the \
engine's state changed since `dvm plan --out plan.json` made it; one of them did.\n\n\
Example:\n\n    dvm plan main.dvm --out plan.json; (edit main.dvm); dvm apply plan.json\n\n\
Fix: make the plan again and review it.",
    },
    CodeInfo {
        code: LOCKED,
        title: "another dvm holds the ecosystem's lock",
        explanation: "Only one apply runs per ecosystem at a time. With `--no-wait` dvm fails \
at once instead of waiting; the holder (pid, command, since when) is named.\n\n\
Example:\n\n    dvm realise main.dvm --no-wait   # while another realise runs\n\n\
Fix: wait for the other command, or run without `--no-wait`.",
    },
    CodeInfo {
        code: ENGINE_ERROR,
        title: "the container engine refused a request",
        explanation: "The engine answered an API call with an error; its message is shown with \
the object that asked for it.\n\n\
Example:\n\n    resources.memory = 1Ki;   # below the engine's minimum\n\n\
Fix what the engine's message names.",
    },
    CodeInfo {
        code: BUILD_FAILED,
        title: "an image build failed",
        explanation: "A Service with `build = ./dir;` is built from that directory (its \
Dockerfile) through the engine. The build failed; the engine's last output is shown.\n\n\
Example:\n\n    service = Service { build = ./api; };   # ./api/Dockerfile has an error\n\n\
Fix the Dockerfile or the build context.",
    },
    CodeInfo {
        code: TIMEOUT,
        title: "a wait timed out",
        explanation: "dvm waits, with a limit, for a container to be running or healthy. The \
limit follows from the health check (start period, interval, timeout and retries). The \
message says what was awaited.\n\n\
Example:\n\n    healthCheck = { command = [ \"sleep\" \"100\" ]; timeout = 1s; retries = 1; };\n\n\
Fix the check or the service so that it becomes healthy in time.",
    },
    CodeInfo {
        code: STATE_ERROR,
        title: "dvm's state directory cannot be used",
        explanation: "dvm keeps its database, locks and secret key under `$DVM_HOME` (default \
`~/.dvm`). It could not be created, opened or written.\n\n\
Example:\n\n    DVM_HOME=/proc/nope dvm realise main.dvm\n\n\
Fix the directory's permissions or point `DVM_HOME` elsewhere.",
    },
];
