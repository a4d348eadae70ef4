//! Protocol tests: each feature through the real `LspService`, from a
//! fixture to a rendered answer (insta snapshots, reviewed).

mod common;

use common::*;
use serde_json::json;

const PLATFORM: &str = r#"//- /p/main.dvm
let
  ## The port every API listens on.
  apiPort = 8080;
  mkApi = name: App { path = ./services/${name}; language = "go"; };
in
Ecosystem {
  dependencies = {
    platform-db = Dependency { image = "postgres:16"; };
  };
  domains.auth = Domain {
    apps.auth-api = App {
      path = ./services/auth-api;
      language = "go";
      uses = [ "platform-db" ];
      service = Service { image = "auth:dev"; ports = [ { container = apiPort; } ]; };
    };
  };
}
"#;

#[tokio::test]
async fn diagnostics_of_every_stage_are_published_and_cleared() {
    let mut s = Server::start(
        "//- /p/main.dvm\nlet x = 1; in\nEcosystem {\n  dependencies.db = Dependency { image = \"pg\"; };\n  domains.d = Domain {\n    apps.a = App { path = ./a; language = \"go\"; uses = [ \"dd\" ]; };\n  };\n}\n",
    )
    .await;
    let first = s.diagnostics().await;
    insta::assert_snapshot!("diagnostics_broken", render_diagnostics(&first));
    // Fixed: an empty list replaces them.
    s.change(
        std::path::Path::new("/p/main.dvm"),
        "Ecosystem {\n  domains.d = Domain {\n    apps.a = App { path = ./a; language = \"go\"; };\n  };\n}\n",
    )
    .await;
    let fixed = s.diagnostics().await;
    insta::assert_snapshot!("diagnostics_fixed", render_diagnostics(&fixed));
    // Names and evaluation errors of the same file.
    s.change(
        std::path::Path::new("/p/main.dvm"),
        "Ecosystem {\n  broken = y;\n}\n",
    )
    .await;
    let names = s.diagnostics().await;
    insta::assert_snapshot!("diagnostics_names", render_diagnostics(&names));
}

#[tokio::test]
async fn syntax_and_type_errors_with_codes() {
    let mut s =
        Server::start("//- /p/lib.dvm\n{\n  a = 1 +;\n  w = Workspace { language = 3; };\n}\n")
            .await;
    insta::assert_snapshot!(
        "diagnostics_syntax",
        render_diagnostics(&s.diagnostics().await)
    );
    s.change(
        std::path::Path::new("/p/lib.dvm"),
        "{\n  w = Workspace { language = 3; shell = \"zsh\"; };\n}\n",
    )
    .await;
    insta::assert_snapshot!(
        "diagnostics_types",
        render_diagnostics(&s.diagnostics().await)
    );
}

#[tokio::test]
async fn completion_of_kind_fields() {
    let mut s = Server::start("//- /p/main.dvm\n{ w = Workspace { l$0 }; }\n").await;
    let v = s.result("textDocument/completion", s.at_cursor()).await;
    insta::assert_snapshot!("completion_kind_fields", render_completion(&v));
}

#[tokio::test]
async fn completion_of_kind_fields_in_half_typed_code() {
    let mut s = Server::start("//- /p/main.dvm\nlet w = Workspace { language = \"go\"; $0\n").await;
    let v = s.result("textDocument/completion", s.at_cursor()).await;
    insta::assert_snapshot!("completion_half_typed", render_completion(&v));
}

#[tokio::test]
async fn completion_of_nested_fields_after_a_dot() {
    let mut s = Server::start("//- /p/main.dvm\n{ w = Workspace { nvim.$0 }; }\n").await;
    let v = s.result("textDocument/completion", s.at_cursor()).await;
    insta::assert_snapshot!("completion_nested", render_completion(&v));
}

#[tokio::test]
async fn completion_in_an_annotated_binding() {
    let mut s = Server::start(
        "//- /p/main.dvm\nlet w : Workspace = { language = \"go\"; languageV$0 }; in w\n",
    )
    .await;
    let v = s.result("textDocument/completion", s.at_cursor()).await;
    insta::assert_snapshot!("completion_annotated", render_completion(&v));
}

#[tokio::test]
async fn completion_of_names_in_scope() {
    let mut s = Server::start(
        "//- /p/main.dvm\nlet\n  ## How many.\n  count = 3;\n  f = { x, y ? 2 }: x + c$0;\nin f\n",
    )
    .await;
    let v = s.result("textDocument/completion", s.at_cursor()).await;
    insta::assert_snapshot!("completion_scope", render_completion(&v));
}

#[tokio::test]
async fn completion_of_enum_values_after_equals() {
    let mut s = Server::start("//- /p/main.dvm\nRuntime { platform = $0 }\n").await;
    let v = s.result("textDocument/completion", s.at_cursor()).await;
    insta::assert_snapshot!("completion_enum_quoted", render_completion(&v));
}

#[tokio::test]
async fn completion_of_enum_values() {
    let mut s =
        Server::start("//- /p/main.dvm\nService { image = \"x\"; ports = [ { container = 1; protocol = \"$0\"; } ]; }\n")
            .await;
    let v = s.result("textDocument/completion", s.at_cursor()).await;
    insta::assert_snapshot!("completion_enum", render_completion(&v));
}

#[tokio::test]
async fn completion_of_instance_names_in_uses() {
    let text = PLATFORM.replace("uses = [ \"platform-db\" ];", "uses = [ \"$0\" ];");
    let mut s = Server::start(&text).await;
    let v = s.result("textDocument/completion", s.at_cursor()).await;
    insta::assert_snapshot!("completion_uses", render_completion(&v));
}

#[tokio::test]
async fn completion_of_search_paths() {
    let mut s = Server::start("//- /p/main.dvm\nimport <stdlib/$0\n").await;
    let v = s.result("textDocument/completion", s.at_cursor()).await;
    insta::assert_snapshot!("completion_search_path", render_completion(&v));
}

#[tokio::test]
async fn hover_shows_type_and_doc() {
    let text = PLATFORM.replace("container = apiPort;", "container = api$0Port;");
    let mut s = Server::start(&text).await;
    let v = s.result("textDocument/hover", s.at_cursor()).await;
    insta::assert_snapshot!(
        "hover_binding",
        format!(
            "{}\n{}",
            range(&v["range"]),
            v["contents"]["value"].as_str().unwrap_or("")
        )
    );
}

#[tokio::test]
async fn hover_on_a_kind_field_shows_its_description() {
    let text = PLATFORM.replace(
        "      language = \"go\";\n      uses",
        "      lang$0uage = \"go\";\n      uses",
    );
    let mut s = Server::start(&text).await;
    let v = s.result("textDocument/hover", s.at_cursor()).await;
    insta::assert_snapshot!(
        "hover_field",
        format!(
            "{}\n{}",
            range(&v["range"]),
            v["contents"]["value"].as_str().unwrap_or("")
        )
    );
}

#[tokio::test]
async fn hover_and_definition_of_a_builtin_kind() {
    let mut s = Server::start("//- /p/main.dvm\nWork$0space { }\n").await;
    let hover = s.result("textDocument/hover", s.at_cursor()).await;
    let def = s.result("textDocument/definition", s.at_cursor()).await;
    insta::assert_snapshot!(
        "builtin_kind",
        format!(
            "{}\n{}\n{}",
            range(&hover["range"]),
            hover["contents"]["value"].as_str().unwrap_or(""),
            render_locations(&def)
        )
    );
}

#[tokio::test]
async fn definition_of_bindings_parameters_imports_and_instances() {
    let cases = [
        ("container = apiPort;", "container = api$0Port;"),
        ("path = ./services/${name};", "path = ./services/${na$0me};"),
        (
            "uses = [ \"platform-db\" ];",
            "uses = [ \"platform$0-db\" ];",
        ),
    ];
    let mut out = String::new();
    for (from, to) in cases {
        let mut s = Server::start(&PLATFORM.replace(from, to)).await;
        let v = s.result("textDocument/definition", s.at_cursor()).await;
        out.push_str(&format!("{to}\n  {}", render_locations(&v)));
    }
    let mut s = Server::start("//- /p/main.dvm\nimport ./l$0ib.dvm\n//- /p/lib.dvm\n{ }\n").await;
    let v = s.result("textDocument/definition", s.at_cursor()).await;
    out.push_str(&format!("import ./lib.dvm\n  {}", render_locations(&v)));
    let mut s = Server::start(
        "//- /p/main.dvm\nlet inherit (import ./lib.dvm) tmpl; in t$0mpl\n//- /p/lib.dvm\n{\n  tmpl = Template Workspace { };\n}\n",
    )
    .await;
    let v = s.result("textDocument/definition", s.at_cursor()).await;
    out.push_str(&format!("template\n  {}", render_locations(&v)));
    insta::assert_snapshot!("definition", out);
}

#[tokio::test]
async fn references_and_rename() {
    let text = PLATFORM.replace("apiPort = 8080;", "api$0Port = 8080;");
    let mut s = Server::start(&text).await;
    let mut p = s.at_cursor();
    p["context"] = json!({ "includeDeclaration": true });
    let refs = s.result("textDocument/references", p).await;
    let mut p = s.at_cursor();
    p["newName"] = json!("port");
    let edit = s.result("textDocument/rename", p).await;
    let text2 = PLATFORM.replace(
        "uses = [ \"platform-db\" ];",
        "uses = [ \"platform-d$0b\" ];",
    );
    let mut s2 = Server::start(&text2).await;
    let mut p = s2.at_cursor();
    p["newName"] = json!("main-db");
    let edit2 = s2.result("textDocument/rename", p).await;
    let mut p = s2.at_cursor();
    p["newName"] = json!("not a name");
    let refused = s2.request("textDocument/rename", p).await;
    insta::assert_snapshot!(
        "references_rename",
        format!(
            "references:\n{}\nrename variable:\n{}\nrename instance:\n{}\nrefused:\n{}",
            render_locations(&refs),
            serde_json::to_string_pretty(&edit["changes"]).unwrap_or_default(),
            serde_json::to_string_pretty(&edit2["changes"]).unwrap_or_default(),
            refused["error"]["message"]
        )
    );
}

#[tokio::test]
async fn document_symbols_outline_the_platform() {
    let mut s = Server::start(PLATFORM).await;
    let v = s
        .result(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": "file:///p/main.dvm" } }),
        )
        .await;
    fn render(v: &serde_json::Value, depth: usize, out: &mut String) {
        for sym in v.as_array().into_iter().flatten() {
            out.push_str(&format!(
                "{}{} ({}) {}\n",
                "  ".repeat(depth),
                sym["name"].as_str().unwrap_or(""),
                sym["detail"].as_str().unwrap_or(""),
                range(&sym["selectionRange"])
            ));
            render(&sym["children"], depth + 1, out);
        }
    }
    let mut out = String::new();
    render(&v, 0, &mut out);
    insta::assert_snapshot!("symbols", out);
}

#[tokio::test]
async fn formatting_gives_the_dvm_fmt_layout() {
    let mut s = Server::start("//- /p/main.dvm\n{ a=1; # one\n  b = [1 2]; }\n//- /p/broken.dvm\n{ a = ; }\n//- /p/done.dvm\n{ a = 1; }\n").await;
    let opts = json!({ "tabSize": 2, "insertSpaces": true });
    let v = s
        .result(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": "file:///p/main.dvm" }, "options": opts }),
        )
        .await;
    let edits = v.as_array().cloned().unwrap_or_default();
    assert_eq!(edits.len(), 1, "{v}");
    assert_eq!(
        edits[0]["newText"],
        json!("{\n  a = 1; # one\n  b = [ 1 2 ];\n}\n")
    );
    assert_eq!(
        edits[0]["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );
    // A syntax error: nothing to format; an already formatted file: no edit.
    let broken = s
        .result(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": "file:///p/broken.dvm" }, "options": opts }),
        )
        .await;
    assert_eq!(broken, serde_json::Value::Null);
    let done = s
        .result(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": "file:///p/done.dvm" }, "options": opts }),
        )
        .await;
    assert_eq!(done, json!([]));
}

#[tokio::test]
async fn unknown_files_and_positions_get_empty_answers() {
    let mut s = Server::start("//- /p/main.dvm\n{ a = 1; }\n").await;
    for (uri, line, character) in [
        ("file:///p/never.dvm", 0, 0),
        ("file:///p/main.dvm", 999, 999),
        ("untitled:Untitled-1", 0, 0),
    ] {
        let p = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
        let hover = s.result("textDocument/hover", p.clone()).await;
        let def = s.result("textDocument/definition", p).await;
        assert!(
            hover.is_null() || hover["contents"].is_object(),
            "{uri}: {hover}"
        );
        assert!(def.is_null(), "{uri}: {def}");
    }
}
