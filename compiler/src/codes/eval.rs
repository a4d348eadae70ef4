//! Codes of evaluation (E02xx, W02xx) and of files and imports (E03xx).
//!
//! The constant names say what went wrong; the strings are the stable codes.
use super::CodeInfo;

pub const TYPE_MISMATCH: &str = "E0201";
pub const MISSING_ATTRIBUTE: &str = "E0202";
pub const INFINITE_RECURSION: &str = "E0203";
pub const DEPTH_LIMIT: &str = "E0204";
pub const THROW: &str = "E0205";
pub const ABORT: &str = "E0206";
pub const ASSERTION: &str = "E0207";
pub const DIVISION_BY_ZERO: &str = "E0208";
pub const OVERFLOW: &str = "E0209";
pub const INDEX: &str = "E0210";
pub const MISSING_ARGUMENT: &str = "E0211";
pub const UNEXPECTED_ARGUMENT: &str = "E0212";
pub const COERCE: &str = "E0213";
pub const NOT_JSON: &str = "E0214";
pub const INCOMPARABLE: &str = "E0215";
pub const NOT_A_FUNCTION: &str = "E0216";
pub const UNDEFINED_WITH: &str = "E0217";
pub const UNIT: &str = "E0218";
pub const BAD_INPUT: &str = "E0219";
pub const ATTR_PATH: &str = "E0220";
pub const TRACE: &str = "W0201";
pub const TOO_BIG: &str = "E0221";
pub const SYNTAX_OR_NAME: &str = "E0298";
pub const INTERNAL: &str = "E0299";
pub const OUT_OF_FUEL: &str = "E0297";
pub const IMPORT_CYCLE: &str = "E0301";
pub const FILE_NOT_FOUND: &str = "E0302";
pub const IS_DIRECTORY: &str = "E0303";
pub const NOT_UTF8: &str = "E0304";
pub const TOO_LARGE: &str = "E0305";
pub const UNREADABLE: &str = "E0306";
pub const OUTSIDE_ROOT: &str = "E0307";
pub const SEARCH_PATH: &str = "E0308";
pub const IMPORT_FAILED: &str = "E0309";

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: TYPE_MISMATCH,
        title: "value of the wrong type",
        explanation: "An operator, builtin or language construct got a value of a type it cannot use.

Example:

    1 + \"2\"

`+` adds two numbers, or joins two strings; it cannot add a number to a string. Convert one side:

    toString 1 + \"2\"    # \"12\"
    1 + 2               # 3",
    },
    CodeInfo {
        code: MISSING_ATTRIBUTE,
        title: "attribute missing",
        explanation: "An attribute was selected from a set that does not have it.

Example:

    let db = { host = \"x\"; port = 5432; }; in db.prot

Fix the name (`db.port`), or give a default with `or`:

    db.timeout or 30",
    },
    CodeInfo {
        code: INFINITE_RECURSION,
        title: "infinite recursion",
        explanation: "A value needs itself to be computed.

Example:

    let x = x + 1; in x
    rec { a = b; b = a; }.a

Every binding must be computable from others without going round in a circle. Give one of them a value that does not depend on the rest.",
    },
    CodeInfo {
        code: DEPTH_LIMIT,
        title: "evaluation too deep",
        explanation: "Evaluation nested deeper than the limit of nested calls (10,000). This is almost always a recursive function without a base case, or one whose base case is never reached.

Example:

    let f = x: f x; in f 1

The diagnostic shows the chain of calls that led there. Add or fix the base case:

    let f = x: if x > 10 then x else f (x + 1); in f 1",
    },
    CodeInfo {
        code: THROW,
        title: "error thrown",
        explanation: "The configuration called `throw` with a message: it reached a case its author declared an error. Read the message; `builtins.tryEval` can catch it.

Example:

    if port < 1024 then throw \"port must be unprivileged\" else port",
    },
    CodeInfo {
        code: ABORT,
        title: "evaluation aborted",
        explanation: "The configuration called `abort` with a message. Unlike `throw`, `abort` cannot be caught by `tryEval`.

Example:

    abort \"unsupported platform\"",
    },
    CodeInfo {
        code: ASSERTION,
        title: "assertion failed",
        explanation: "An `assert cond; body` found its condition false.

Example:

    assert port > 0; { inherit port; }

Make the condition hold (here: pass a positive port), or change the assertion.",
    },
    CodeInfo {
        code: DIVISION_BY_ZERO,
        title: "division by zero",
        explanation: "A number was divided by zero.

Example:

    total / count     # with count = 0

Guard the division: `if count == 0 then 0 else total / count`.",
    },
    CodeInfo {
        code: OVERFLOW,
        title: "integer overflow",
        explanation: "An integer operation gave a result outside the 64-bit range. dvm reports this instead of silently wrapping around (as Nix 2.8 does).

Example:

    9223372036854775807 + 1

Use floats for very large numbers (`9223372036854775807.0 + 1`).",
    },
    CodeInfo {
        code: INDEX,
        title: "index out of range",
        explanation: "A list was indexed outside its bounds, or `head`/`tail` was applied to an empty list, or a length was negative.

Example:

    builtins.elemAt [ 1 2 ] 2

Indices start at 0; check `builtins.length` first.",
    },
    CodeInfo {
        code: MISSING_ARGUMENT,
        title: "missing function argument",
        explanation: "A function whose parameter is a pattern (`{ a, b }: …`) was called with a set that lacks a field that has no default.

Example:

    let f = { name, port }: name; in f { name = \"api\"; }

Pass the argument, or give it a default in the pattern: `{ name, port ? 8080 }: …`.",
    },
    CodeInfo {
        code: UNEXPECTED_ARGUMENT,
        title: "unexpected function argument",
        explanation: "A function whose pattern has no `...` was called with a field it does not name.

Example:

    let f = { name }: name; in f { name = \"api\"; nmae = \"x\"; }

Remove the extra field or fix its spelling, or accept extra fields with `{ name, ... }: …`.",
    },
    CodeInfo {
        code: COERCE,
        title: "cannot convert to a string",
        explanation: "A value that has no text form was used where text is needed: in `\"${…}\"`, `+` with a string, or a builtin that takes strings. Strings, paths and sets with `__toString` or `outPath` convert; numbers, Booleans and lists need `toString`.

Example:

    \"port ${8080}\"

Fix:

    \"port ${toString 8080}\"",
    },
    CodeInfo {
        code: NOT_JSON,
        title: "value cannot be output",
        explanation: "The result (or a value given to `toJSON`) contains something that has no JSON form: a function, or a float that is infinite or not a number. The help says where it sits.

Example:

    { greet = name: \"hi ${name}\"; }

Call the function, remove it from the output, or select another attribute with `-A`.",
    },
    CodeInfo {
        code: INCOMPARABLE,
        title: "values cannot be ordered",
        explanation: "`<`, `<=`, `>`, `>=`, `lessThan` or `sort` compared values that have no order: numbers, strings, paths and lists compare; sets, functions, Booleans and null don't, nor values of different types.

Example:

    { a = 1; } < { a = 2; }

Compare a field instead: `x.a < y.a`.",
    },
    CodeInfo {
        code: NOT_A_FUNCTION,
        title: "not a function",
        explanation: "Something that is not a function was called with an argument. Often a missing operator or parenthesis, or a list written without brackets.

Example:

    let port = 8080; in port 1

Check what you meant: `port + 1`, or `[ port 1 ]`.",
    },
    CodeInfo {
        code: UNDEFINED_WITH,
        title: "undefined variable under `with`",
        explanation: "A name under a `with` was not found lexically, and none of the enclosing `with` sets has it either. Because `with` is dynamic this can only be found while evaluating.

Example:

    with { a = 1; }; b

Fix the name, or bind it with `let`.",
    },
    CodeInfo {
        code: UNIT,
        title: "invalid unit literal",
        explanation: "A unit literal (`500ms`, `512Mi`, `10m`) could not be turned into its normal form: milliseconds for durations, bytes for memory, milli-cores for CPU. Either the value is not whole in that form (`0.5ms`), or the suffix `m` is ambiguous (minutes or milli-cores) where no type says which.

Example:

    { timeout = 10m; }

Until the field has a type, write an unambiguous unit: `600s`.",
    },
    CodeInfo {
        code: BAD_INPUT,
        title: "invalid input to a builtin",
        explanation: "A builtin got a value of the right type whose content it cannot use: invalid JSON or TOML text, an invalid regular expression, an unknown hash algorithm, lists of different lengths.

Example:

    builtins.fromJSON \"{ not json\"

The message says what was wrong with the input.",
    },
    CodeInfo {
        code: ATTR_PATH,
        title: "attribute path not found",
        explanation: "The attribute path given with `-A` does not exist in the result.

Example:

    dvm eval main.dvm -A servcies.api

Check the spelling (the help suggests a close name), or evaluate without `-A` to see the value.",
    },
    CodeInfo {
        code: TOO_BIG,
        title: "value too large",
        explanation: "An operation would build a string or a list beyond dvm's size limit (1 GiB of text, 134 million elements). This is almost always a loop that doubles a value without end.\n\nExample:\n\n    let grow = s: grow (s + s); in grow \"x\"\n\nGive the recursion a base case.",
    },
    CodeInfo {
        code: TRACE,
        title: "trace output",
        explanation: "Not an error: `builtins.trace msg value` prints `msg` while evaluating and returns `value`. Remove the `trace` call when done debugging.",
    },
    CodeInfo {
        code: SYNTAX_OR_NAME,
        title: "code with errors evaluated",
        explanation: "Evaluation reached a part of the file that has a syntax or name error reported separately. Fix that error first.",
    },
    CodeInfo {
        code: INTERNAL,
        title: "internal error",
        explanation: "dvm reached a state it should never reach. This is a bug in dvm, not in your configuration: please report it with the file that triggers it.",
    },
    CodeInfo {
        code: OUT_OF_FUEL,
        title: "evaluation budget exhausted",
        explanation: "Evaluation took more steps than the budget it was given (used by the fuzzer and by the language server to keep a runaway evaluation from hanging). Look for unbounded recursion or very large generated data.",
    },
    CodeInfo {
        code: IMPORT_CYCLE,
        title: "import cycle",
        explanation: "Files import each other in a circle, and each needs the other's value to compute its own. The message lists every file of the cycle.

Example:

    # a.dvm
    (import ./b.dvm) // { x = 1; }
    # b.dvm
    (import ./a.dvm) // { y = 2; }

Move what both need into a third file that imports neither.",
    },
    CodeInfo {
        code: FILE_NOT_FOUND,
        title: "file not found",
        explanation: "A file given on the command line or to `import`/`readFile` does not exist.

Example:

    import ./lib/util.dvm     # no such file

Check the path; relative paths are relative to the file that contains them.",
    },
    CodeInfo {
        code: IS_DIRECTORY,
        title: "directory without main.dvm",
        explanation: "A directory was given where a file is needed. Importing a directory imports its `main.dvm`, which is missing here.

Example:

    import ./services    # ./services/main.dvm does not exist

Create `main.dvm` in it, or import the file you meant.",
    },
    CodeInfo {
        code: NOT_UTF8,
        title: "file is not UTF-8",
        explanation: "A source file contains bytes that are not valid UTF-8. dvm reads source as UTF-8 text; the message gives the offset of the first invalid byte. Re-save the file as UTF-8.",
    },
    CodeInfo {
        code: TOO_LARGE,
        title: "file too large",
        explanation: "A source file is larger than the limit (64 MiB). No configuration should be that big; this is usually the wrong file (a data dump or a binary). Check the path.",
    },
    CodeInfo {
        code: UNREADABLE,
        title: "file cannot be read",
        explanation: "The operating system refused to read a file (permissions, a broken link, …). The message gives its reason.",
    },
    CodeInfo {
        code: OUTSIDE_ROOT,
        title: "read outside the project root",
        explanation: "`readFile` and `pathExists` only look at files under the project root (the entry file's directory). This keeps evaluation reproducible: the same project gives the same value on any machine.

Example:

    builtins.readFile /etc/hostname

Copy what you need into the project, or pass it in with `--argstr`.",
    },
    CodeInfo {
        code: SEARCH_PATH,
        title: "search path entry not found",
        explanation: "A `<name/path>` lookup found nothing in the `-I` entries, `DVM_PATH`, or the standard library embedded in dvm.

Example:

    import <mylib/util>

Add the directory that contains `mylib` with `-I DIR`, or set `DVM_PATH`.",
    },
    CodeInfo {
        code: IMPORT_FAILED,
        title: "import failed",
        explanation: "An imported file could not be read as source; the message says why (missing, a directory, not UTF-8, too large).",
    },
];
