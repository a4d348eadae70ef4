//! Codes of name resolution and lowering (E01xx, W01xx).
use super::CodeInfo;

pub const UNDEFINED_VARIABLE: &str = "E0101";
pub const DUPLICATE_ATTRIBUTE: &str = "E0102";
pub const DYNAMIC_IN_LET: &str = "E0103";
pub const DYNAMIC_INHERIT: &str = "E0104";
pub const KIND_UNSUPPORTED: &str = "E0105";
pub const WITH_HIDES_NAMES: &str = "W0101";

pub const CODES: &[CodeInfo] = &[
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
        title: "kind declarations are not supported yet",
        explanation: "`kind \"Name\" { … }` declares a new kind (language.md §3): a typed \
object constructor whose fields are checked. dvm parses kind declarations, but \
checking them needs the type checker, which is not there yet; rather than accept a \
kind that checks nothing, dvm reports this error where the kind is declared.\n\n\
Example:\n\n    FeatureFlag = kind \"FeatureFlag\" { enabled : Bool, rollout : Int ? 100 };\n\n\
Fix, for now: use a plain function with defaults, which gives the same shape \
without the checks:\n\n    FeatureFlag = { enabled, rollout ? 100 }: { inherit enabled rollout; };\n\n\
Type annotations (`port : Int = 8080;`) and `type` declarations are accepted \
and not checked yet.",
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
