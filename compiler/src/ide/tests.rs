//! Tests of the IDE layer below the protocol: name resolution matches
//! lowering's scoping rules, instance lookup goes outwards with shadowing,
//! and the per-file queries re-run only for the edited file.

use super::index::name_index;
use super::instances::instances;
use crate::db::{Db, RootDatabase};
use crate::source::MemoryLoader;
use std::path::Path;
use std::sync::{Arc, Mutex};

fn db_with(text: &str) -> (RootDatabase, crate::db::SourceFile) {
    let loader = MemoryLoader::new([("/p/main.dvm".into(), text.to_string())]);
    let db = RootDatabase::new(Arc::new(loader));
    let file = db.file(Path::new("/p/main.dvm"));
    (db, file)
}

/// Each use as `name@offset -> offset of its binding`.
fn resolved(text: &str) -> Vec<String> {
    let (db, file) = db_with(text);
    let index = name_index(&db, file);
    index
        .uses
        .iter()
        .map(|u| {
            let d = &index.defs[u.def];
            format!("{}@{} -> {}", d.name, u.span.start, d.span.start)
        })
        .collect()
}

#[test]
fn let_lambda_and_pattern_bindings() {
    // a@4 f@11 x@15 a@18 x@22 f@28
    let text = "let a = 1; f = x: a + x; in f 2";
    assert_eq!(resolved(text), ["a@18 -> 4", "x@22 -> 15", "f@28 -> 11"]);
    // Pattern fields see each other in defaults; `@` binds the whole set.
    assert_eq!(resolved("{ a, b ? a }@s: s.b"), ["a@9 -> 2", "s@16 -> 13"]);
}

#[test]
fn inherit_in_a_let_names_the_outer_binding() {
    // Outer x@4; inner `inherit x;` at 19 names it and binds x there.
    assert_eq!(
        resolved("let x = 1; in let inherit x; in x"),
        ["x@26 -> 4", "x@32 -> 26"]
    );
}

#[test]
fn a_plain_record_binds_nothing_a_rec_one_does() {
    assert_eq!(resolved("{ a = 1; b = a; }"), Vec::<String>::new());
    assert_eq!(resolved("rec { a = 1; b = a; }"), ["a@17 -> 6"]);
}

#[test]
fn instances_are_looked_up_outwards_with_shadowing() {
    let text = r#"{
  dependencies.db = 1;
  inner = {
    dependencies = { db = 2; cache = 3; };
    uses = [ "db" "cache" "nope" ];
  };
  uses = [ "db" ];
}"#;
    let (db, file) = db_with(text);
    let inst = instances(&db, file);
    let shown: Vec<String> = inst
        .uses
        .iter()
        .map(|u| {
            format!(
                "{} -> {}",
                u.name,
                u.def
                    .map(|d| inst.defs[d].span.start.to_string())
                    .unwrap_or_else(|| "none".into())
            )
        })
        .collect();
    let inner_db = text.find("db = 2").unwrap_or(0);
    let outer_db = text.find("db = 1").unwrap_or(0);
    let cache = text.find("cache = 3").unwrap_or(0);
    assert_eq!(
        shown,
        [
            format!("db -> {inner_db}"),
            format!("cache -> {cache}"),
            "nope -> none".to_string(),
            format!("db -> {outer_db}"),
        ]
    );
}

#[test]
fn editing_one_file_reindexes_only_that_file() {
    let loader = MemoryLoader::new([
        ("/p/a.dvm".into(), "let x = 1; in x".to_string()),
        ("/p/b.dvm".into(), "let y = 2; in y".to_string()),
    ]);
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut db = RootDatabase::with_execution_log(Arc::new(loader), log.clone());
    let a = db.file(Path::new("/p/a.dvm"));
    let b = db.file(Path::new("/p/b.dvm"));
    name_index(&db, a);
    name_index(&db, b);
    instances(&db, b);
    if let Ok(mut l) = log.lock() {
        l.clear();
    }
    db.set_text(Path::new("/p/a.dvm"), "let x = 3; in x");
    name_index(&db, a);
    name_index(&db, b);
    instances(&db, b);
    let ran: Vec<String> = log
        .lock()
        .map(|l| {
            l.iter()
                .map(|q| q.split('(').next().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(ran, ["parse", "name_index"], "{ran:?}");
}

#[test]
fn rename_refuses_a_name_used_by_inherit() {
    let (db, file) = db_with("let x = 1; in { inherit x; y = x; }");
    let err = super::references::rename(&db, file, 4, "z");
    assert_eq!(
        err,
        Err(super::references::RenameError::Inherited { name: "x".into() })
    );
    let (db, file) = db_with("let x = 1; in { y = x; }");
    let ok = super::references::rename(&db, file, 4, "z").unwrap_or_default();
    assert_eq!(ok.len(), 2);
}
