//! Codes of types, kinds and templates (E04xx, W04xx): the same codes come
//! from the static checker and from the run-time checks.
use super::CodeInfo;

pub const TYPE_MISMATCH: &str = "E0401";
pub const UNKNOWN_FIELD: &str = "E0402";
pub const MISSING_FIELD: &str = "E0403";
pub const NOT_A_KIND: &str = "E0404";
pub const SECRET_AS_TEXT: &str = "E0405";
pub const BAD_TEMPLATE: &str = "E0406";

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: TYPE_MISMATCH,
        title: "value of the wrong type",
        explanation: "A value does not have the type its annotation or kind field asks \
for. The message names what was expected, what was found, and where the expectation \
comes from.\n\n\
Example:\n\n    Service { image = \"web\"; replicas = \"3\"; }\n\n\
`replicas` is declared `Int` in the `Service` kind, but this is a string. Fix:\n\n\
    Service { image = \"web\"; replicas = 3; }\n\n\
Unit literals are read against the expected type: `timeout = 30;` in a `Duration` \
field is an error (write `30s`), and `memory = 5m;` is one too (memory takes `Ki Mi \
Gi Ti` or `K M G T`). A string enum (`\"tcp\" | \"udp\"`) takes only the strings it \
lists. Types are checked before evaluation where the checker can see them, and at \
run time at every annotation and kind boundary, with the same message.",
    },
    CodeInfo {
        code: UNKNOWN_FIELD,
        title: "unknown field",
        explanation: "Kinds are closed records: a field that the kind (or a record type) \
does not declare is an error, usually a misspelling.\n\n\
Example:\n\n    App { path = ./api; langauge = \"go\"; }\n\n\
`App` has no field `langauge`; did you mean `language`? Fix the name:\n\n\
    App { path = ./api; language = \"go\"; }\n\n\
A record type that should accept any other field says so with `... : T`.",
    },
    CodeInfo {
        code: MISSING_FIELD,
        title: "required field missing",
        explanation: "A kind (or record type) requires a field that the value does not \
give. Fields are optional unless the kind marks them required.\n\n\
Example:\n\n    App { language = \"go\"; }\n\n\
`App` needs `path`. Fix:\n\n    App { path = ./services/api; language = \"go\"; }\n\n\
Templates are partial: `Template App { language = \"go\"; }` is fine, and the \
missing field is required when the template is called.",
    },
    CodeInfo {
        code: NOT_A_KIND,
        title: "not a kind",
        explanation: "A type annotation names a variable, so that variable must hold a kind \
(made with `kind \"Name\" { … }`), but it holds something else.\n\n\
Example:\n\n    let Flag = { enabled = true; }; f : Flag = Flag; in f\n\n\
Declare a kind:\n\n    let Flag = kind \"Flag\" { enabled : Bool }; f : Flag = Flag { enabled = true; }; in f\n\n\
For a plain record shape, use a type alias: `type Flag = { enabled : Bool };`.",
    },
    CodeInfo {
        code: SECRET_AS_TEXT,
        title: "a secret used as text",
        explanation: "A secret (`secret \"NAME\"`) never turns into text while evaluating: \
its value is only read when containers are created. Using it where plain text is \
needed (`toString`, a `String` field, a comparison) is an error.\n\n\
Example:\n\n    env.PASSWORD = builtins.substring 0 3 (secret \"PG_PASSWORD\");\n\n\
Pass the secret itself, or interpolate it into a string, which gives a string that \
is itself secret:\n\n    env.PASSWORD = secret \"PG_PASSWORD\";\n\
    env.URL = \"postgres://app:${secret \"PG_PASSWORD\"}@db/app\";",
    },
    CodeInfo {
        code: BAD_TEMPLATE,
        title: "not a template",
        explanation: "`Template` takes a kind and then a record: `Template Workspace { … }`. \
`t.extend { … }` needs `t` to be a template.\n\n\
Example:\n\n    Template \"Workspace\" { language = \"go\"; }\n\n\
Fix:\n\n    Template Workspace { language = \"go\"; }",
    },
];
