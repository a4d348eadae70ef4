//! The VS Code extension holds together: its JSON files parse and agree
//! with each other (no VS Code or npm here). Neovim's files are loaded by
//! a real Neovim in `tests/nvim.rs`.

use serde_json::Value;
use std::path::Path;

fn json(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

#[test]
fn vscode_extension_files_parse_and_agree() {
    let package = json("editors/vscode/package.json");
    let grammar = json("editors/vscode/syntaxes/dvm.tmLanguage.json");
    let config = json("editors/vscode/language-configuration.json");
    let language = &package["contributes"]["languages"][0];
    assert_eq!(language["id"], "dvm");
    assert_eq!(language["extensions"][0], ".dvm");
    assert_eq!(language["configuration"], "./language-configuration.json");
    let g = &package["contributes"]["grammars"][0];
    assert_eq!(g["scopeName"], grammar["scopeName"]);
    assert_eq!(g["path"], "./syntaxes/dvm.tmLanguage.json");
    assert_eq!(package["main"], "./extension.js");
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("editors/vscode/extension.js")
            .exists()
    );
    // Every rule the grammar includes exists.
    let repo = grammar["repository"]
        .as_object()
        .unwrap_or_else(|| panic!("grammar has a repository"));
    let text = serde_json::to_string(&grammar).unwrap_or_default();
    for include in text.split("\"include\":\"#").skip(1) {
        let name = include.split('"').next().unwrap_or_default();
        assert!(repo.contains_key(name), "grammar includes missing #{name}");
    }
    assert_eq!(config["comments"]["lineComment"], "#");
}
