//! Codes of name resolution and lowering (E01xx, W01xx).
use super::CodeInfo;

pub const UNDEFINED_VARIABLE: &str = "E0101";
pub const DUPLICATE_ATTRIBUTE: &str = "E0102";
pub const DYNAMIC_IN_LET: &str = "E0103";
pub const DYNAMIC_INHERIT: &str = "E0104";
pub const KIND_UNSUPPORTED: &str = "E0105";
pub const UNKNOWN_TYPE: &str = "E0106";
pub const ALIAS_CYCLE: &str = "E0107";
pub const WITH_HIDES_NAMES: &str = "W0101";
pub const PROJECT_DEPRECATED: &str = "W0102";

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: UNKNOWN_TYPE,
        title: "unknown type",
        explanation: "A type annotation names a type that is not a base type, a kind, a \
`type` alias in scope or a variable holding a kind.\n\n\
Example:\n\n    let port : Integer = 8080; in port\n\n\
The base types are `Int Float Number Bool String Path Null Any Duration Memory Cpu \
Secret`. Fix the name:\n\n    let port : Int = 8080; in port\n\n\
Only `Template` takes an argument (`Template Workspace`).",
    },
    CodeInfo {
        code: ALIAS_CYCLE,
        title: "type alias defined as itself",
        explanation: "A `type` alias only names another alias that leads back to it, so it \
never reaches a real type.\n\n\
Example:\n\n    let type A = B; type B = A; in x\n\n\
Give one of them a real type. Recursion through a record or list is fine:\n\n\
    let type Tree = { name : String, children : [Tree] }; in x",
    },
    CodeInfo {
        code: PROJECT_DEPRECATED,
        title: "`Project` is deprecated",
        explanation: "`Project` is the old name of `Domain` (a bounded context inside an \
ecosystem). It still works and builds a `Domain`.\n\n\
Example:\n\n    domains.auth = Project { apps = { }; };\n\n\
Write:\n\n    domains.auth = Domain { apps = { }; };",
    },
    CodeInfo {
        code: UNDEFINED_VARIABLE,
        title: "undefined variable",
        explanation: "A name is used that no `let`, function parameter, `rec` record or \
builtin defines, and no enclosing `with` could provide.\n\n\
Example:\n\n    let port = 8080; in prot + 1\n\n\
`prot` is not defined. Fix the spelling:\n\n    let port = 8080; in port + 1\n\n\
dvm resolves names before evaluating anything, so every undefined name in a \
file is reported at once, even inside functions that are never called.",
    },
    CodeInfo {
        code: DUPLICATE_ATTRIBUTE,
        title: "attribute defined twice",
        explanation: "A record or `let` defines the same attribute twice.\n\n\
Example:\n\n    { port = 8080; port = 9090; }\n\n\
Keep one definition. Nested paths merge, so this is fine:\n\n    { db.host = \"x\"; db.port = 5432; }",
    },
    CodeInfo {
        code: DYNAMIC_IN_LET,
        title: "dynamic name in `let`",
        explanation: "A `let` binding's name must be written out; `${…}` names are only \
allowed in records.\n\nExample:\n\n    let ${name} = 1; in x\n\n\
Build a record instead: `builtins.listToAttrs [ { name = name; value = 1; } ]`.",
    },
    CodeInfo {
        code: DYNAMIC_INHERIT,
        title: "dynamic name in `inherit`",
        explanation: "`inherit` takes plain names: `inherit a b;` or `inherit (set) a b;`.\n\n\
Example:\n\n    { inherit ${x}; }\n\n\
Write the attribute out instead: `{ ${x} = set.${x}; }`.",
    },
    CodeInfo {
        code: KIND_UNSUPPORTED,
        title: "kind declarations not supported (retired)",
        explanation: "Early versions of dvm parsed `kind \"Name\" { … }` before the type \
checker existed and reported this error rather than accept a kind that checks \
nothing. Kinds are checked now, so this code is no longer emitted; it stays \
reserved so that it never means anything else.\n\n\
Example of a kind declaration, valid today:\n\n\
    FeatureFlag = kind \"FeatureFlag\" { enabled : Bool, rollout : Int ? 100 };",
    },
    CodeInfo {
        code: WITH_HIDES_NAMES,
        title: "`with` hides where names come from",
        explanation: "`with set; body` makes every attribute of `set` a variable in `body`. \
It is accepted for Nix compatibility, but readers (and the checker) can no longer \
tell where a name comes from, and a typo is only found at run time.\n\n\
Example:\n\n    with builtins; map toString [ 1 2 ]\n\n\
Prefer naming what you use:\n\n    let inherit (builtins) map toString; in map toString [ 1 2 ]",
    },
];
