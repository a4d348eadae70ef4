//! Codes of the syntax stage (E0001–E0099): one constant per error the
//! lexer or parser reports, and their long explanations for `dvm explain`.
//! Owns only text; which code is used where is decided in `syntax/`.
use super::CodeInfo;

pub const UNEXPECTED_TOKEN: &str = "E0001";
pub const UNEXPECTED_CHAR: &str = "E0002";
pub const UNCLOSED_DELIMITER: &str = "E0003";
pub const UNEXPECTED_CLOSER: &str = "E0004";
pub const MISSING_SEMICOLON: &str = "E0005";
pub const MISSING_EXPR: &str = "E0006";
pub const UNTERMINATED_STRING: &str = "E0007";
pub const UNTERMINATED_COMMENT: &str = "E0008";
pub const INT_OVERFLOW: &str = "E0009";
pub const NUMBER_RANGE: &str = "E0010";
pub const PATH_TRAILING_SLASH: &str = "E0011";
pub const HOME_PATH: &str = "E0012";
pub const TOO_DEEP: &str = "E0013";
pub const DUPLICATE_FORMAL: &str = "E0014";
pub const DYNAMIC_ATTR: &str = "E0015";
pub const CHAINED_COMPARISON: &str = "E0016";
pub const EXPECTED_TYPE: &str = "E0017";
pub const NOT_PLAIN_STRING: &str = "E0018";
pub const DUPLICATE_FIELD: &str = "E0019";
pub const RECORD_TYPE_ENTRY: &str = "E0020";
pub const FORMAT_UNSAFE: &str = "E0090";

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: UNEXPECTED_TOKEN,
        title: "unexpected token",
        explanation: "\
The parser found a token that cannot appear at this point. The message says
what was expected instead: a closing delimiter, a keyword such as `in`,
`then` or `else`, `=` after an attribute name, or the end of the file.

Example of the mistake:

    if enabled then 1        # no `else`

Fix: give every part of the construct.

    if enabled then 1 else 0",
    },
    CodeInfo {
        code: UNEXPECTED_CHAR,
        title: "unexpected character",
        explanation: "\
A character that is not part of the language appears outside a string or a
comment, for example a non-ASCII quote or an operator from another language.

Example of the mistake:

    { name = “api”; }      # typographic quotes

Fix: use ASCII syntax, or put the character inside a string.

    { name = \"api\"; }",
    },
    CodeInfo {
        code: UNCLOSED_DELIMITER,
        title: "unclosed delimiter",
        explanation: "\
An opening `(`, `[`, `{` or `${` has no matching closing delimiter. The
error points where the closer was expected and shows the opener. dvm
assumes the closer was there and goes on, so later errors are still found.

Example of the mistake:

    { ports = [ 80 443; }

Fix: close what you opened.

    { ports = [ 80 443 ]; }",
    },
    CodeInfo {
        code: UNEXPECTED_CLOSER,
        title: "unexpected closing delimiter",
        explanation: "\
A closing `)`, `]` or `}` does not close anything that is open at that
point: often a leftover after an edit, or the opener is missing. dvm ignores
it and goes on.

Example of the mistake:

    { a = 1; } }

Fix: remove the extra closer, or add the missing opener.

    { a = 1; }",
    },
    CodeInfo {
        code: MISSING_SEMICOLON,
        title: "missing `;`",
        explanation: "\
Every binding in an attribute set or a `let` ends with `;`, the last one
too; `assert c;` and `with e;` need theirs as well. dvm reports the binding
that lacks it and reads on as if it were there.

Example of the mistake:

    {
      name = \"api\"
      port = 8080;
    }

Fix:

    {
      name = \"api\";
      port = 8080;
    }",
    },
    CodeInfo {
        code: MISSING_EXPR,
        title: "expected an expression",
        explanation: "\
An expression is required here but something else was found, or nothing:
after `=` in a binding, after an operator, inside `( )`, or in an empty
file (a dvm file holds exactly one expression).

Example of the mistake:

    { replicas = ; }

Fix: write the value.

    { replicas = 2; }",
    },
    CodeInfo {
        code: UNTERMINATED_STRING,
        title: "unterminated string",
        explanation: "\
A string opened with `\"` or `''` is not closed before the end of the file.
Inside `\"…\"` a `\"` must be escaped as `\\\"`; inside `''…''` a `''` must be
written `'''`.

Example of the mistake:

    { greeting = \"hello; }

Fix:

    { greeting = \"hello\"; }",
    },
    CodeInfo {
        code: UNTERMINATED_COMMENT,
        title: "unterminated block comment",
        explanation: "\
A `/*` comment has no closing `*/`, so it runs to the end of the file.
Block comments do not nest.

Example of the mistake:

    /* disabled for now
    { a = 1; }

Fix:

    /* disabled for now */
    { a = 1; }",
    },
    CodeInfo {
        code: INT_OVERFLOW,
        title: "integer literal too large",
        explanation: "\
Integers are 64-bit signed: the largest is 9223372036854775807. Unlike Nix
2.x, which wraps around silently, dvm rejects a literal that does not fit.

Example of the mistake:

    { size = 99999999999999999999; }

Fix: use a smaller number, a float (`1.0e20`), or a unit (`100Gi`).

    { size = 100Gi; }",
    },
    CodeInfo {
        code: NUMBER_RANGE,
        title: "number out of range",
        explanation: "\
A float literal (or the number of a unit literal) is too large or too small
to be represented as a 64-bit float: it would become infinity or lose all
its digits. Nix rejects these too.

Example of the mistake:

    { ratio = 1.0e999; }

Fix: write a number within about 1e-308 … 1e308.

    { ratio = 1.0e9; }",
    },
    CodeInfo {
        code: PATH_TRAILING_SLASH,
        title: "path has a trailing slash",
        explanation: "\
A path literal may not end with `/`, as in Nix. A directory is written
without the final slash.

Example of the mistake:

    { src = ./services/; }

Fix:

    { src = ./services; }",
    },
    CodeInfo {
        code: HOME_PATH,
        title: "home paths are impure",
        explanation: "\
`~/…` paths depend on the user who runs dvm, so the same files would give
different values on different machines. dvm does not allow them.

Example of the mistake:

    { config = ~/dev/platform.json; }

Fix: use a path relative to the file, or pass the location in as an
argument (`dvm eval --argstr home \"$HOME\"`).

    { config = ./platform.json; }",
    },
    CodeInfo {
        code: TOO_DEEP,
        title: "expression nested too deeply",
        explanation: "\
An expression nests more than 1000 levels deep (parentheses, lists,
operators, lambdas…). The parser replaces the too-deep part by an error so
that later stages stay safe. Generated code is the usual cause.

Example of the mistake:

    ((((((((((… 2000 levels …))))))))))

Fix: name intermediate values with `let`, or build long lists and sums
with functions (`builtins.foldl'`) instead of nesting literally.",
    },
    CodeInfo {
        code: DUPLICATE_FORMAL,
        title: "duplicate formal argument",
        explanation: "\
A function pattern names the same argument twice, or its `@` name is also
one of its fields. Each name may appear once.

Example of the mistake:

    { port, host, port ? 80 }: host

Fix:

    { host, port ? 80 }: host",
    },
    CodeInfo {
        code: DYNAMIC_ATTR,
        title: "dynamic attribute not allowed here",
        explanation: "\
`${…}` attribute names are computed when the set is built, so they cannot
be used where the name must be known in advance: as the first name of a
`let` binding, or in `inherit`.

Example of the mistake:

    let ${name} = 1; in x

Fix: use a fixed name, or build an attribute set.

    let attrs = { ${name} = 1; }; in attrs",
    },
    CodeInfo {
        code: CHAINED_COMPARISON,
        title: "comparison operators cannot be chained",
        explanation: "\
`<`, `<=`, `>`, `>=`, `==` and `!=` do not associate, as in Nix:
`a < b < c` does not mean \"b is between a and c\".

Example of the mistake:

    if 0 < port < 65536 then port else 80

Fix: combine two comparisons with `&&`, or add parentheses if you meant
to compare a boolean.

    if 0 < port && port < 65536 then port else 80",
    },
    CodeInfo {
        code: EXPECTED_TYPE,
        title: "expected a type",
        explanation: "\
A type is required here, after `:` in an annotation (`port : Int = 8080;`,
`{ name : String }: …`), after `=` in `type Name = …;`, or inside another
type, but what follows is not one. A type is a name (`Int`, `String`,
`Workspace`, an alias such as `Port`), a string (`\"tcp\"`), a list `[T]`,
a record `{ a : T, b ? : T, c : T ? default, ... : T }`, a union `T | U`,
a function `T -> U`, an application `Template Workspace`, or `(T)`.
dvm skips the broken type and goes on with the rest of the binding.

Example of the mistake:

    let port : = 8080; in port

Fix: write the type, or drop the annotation (types are optional).

    let port : Int = 8080; in port",
    },
    CodeInfo {
        code: NOT_PLAIN_STRING,
        title: "interpolation not allowed here",
        explanation: "\
Types are read before anything is evaluated, so a string that is part of
a type cannot contain `${…}`: the name of a kind (`kind \"Name\" { … }`),
a string-literal type (`\"tcp\" | \"udp\"`) and a quoted field name in a
record type must be written out.

Example of the mistake:

    kind \"${prefix}Flag\" { enabled : Bool }

Fix: write the text out.

    kind \"FeatureFlag\" { enabled : Bool }",
    },
    CodeInfo {
        code: DUPLICATE_FIELD,
        title: "field declared twice in a record type",
        explanation: "\
A record type (the braces of `kind \"Name\" { … }`, or `{ a : T, … }` in an
annotation) names the same field twice. Each field has one type; the
second declaration is ignored.

Example of the mistake:

    kind \"FeatureFlag\" { enabled : Bool, rollout : Int, enabled : String }

Fix: keep one declaration per field.

    kind \"FeatureFlag\" { enabled : Bool, rollout : Int }",
    },
    CodeInfo {
        code: RECORD_TYPE_ENTRY,
        title: "malformed entry in a record type",
        explanation: "\
An entry of a record type has one of these forms, separated by `,`:

    a : T          required field
    b ? : T        optional field (may be absent)
    c : T ? e      field with a default (`e` when absent)
    ... : T        every other attribute has type `T` (last entry only)

This error is reported for an entry that mixes them: a field marked both
optional and defaulted (`b ? : T ? e`), a `...` without its type, a second
`...`, or a field after `...`.

Example of the mistake:

    { name : String, ..., port : Int }

Fix: give `...` its type and put it last.

    { name : String, port : Int, ... : Any }",
    },
    CodeInfo {
        code: FORMAT_UNSAFE,
        title: "the formatter cannot keep this file's meaning",
        explanation: "\
`dvm fmt` checks its own work: the formatted text must parse to the same
program as the original and keep every comment in order. When that check
fails the file is left exactly as it was and this error is shown. It is a
bug in `dvm fmt`, not in your file.

Example: any file that parses without errors should format; if one does
not, report it with the file.

    dvm fmt main.dvm     # error[E0090]: cannot format this file: …

Fix: keep the file as it is (it is valid) and report the problem.",
    },
];
