//! Fuzz target: any bytes through lexer, parser, lowering and evaluation
//! with a step budget and small size limits. Must never panic, overflow
//! the stack or hang. Run: `scripts/fuzz.sh [seconds]`.
#![no_main]

use dvm_compiler::db::{Db, RootDatabase};
use dvm_compiler::eval::{Limits, evaluate_with};
use dvm_compiler::source::MemoryLoader;
use std::path::Path;
use std::sync::Arc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let text = text.to_string();
    let worker = std::thread::Builder::new()
        .stack_size(dvm_compiler::EVAL_STACK_BYTES)
        .spawn(move || {
            let loader = MemoryLoader::new([("/fuzz/lib.dvm".into(), "{ a = 1; f = x: x; }".to_string())]);
            let mut db = RootDatabase::new(Arc::new(loader));
            let file = db.set_text(Path::new("/fuzz/main.dvm"), &text);
            let _ = db.file(Path::new("/fuzz/main.dvm"));
            let limits = Limits {
                max_string_bytes: 1 << 20,
                max_list_len: 1 << 16,
            };
            let out = evaluate_with(&db, file, &[], Some(200_000), limits);
            // Every diagnostic must have a code and, if it points into the
            // file, a span inside it.
            for d in &out.diagnostics {
                assert!(!d.code.is_empty());
                if let Some(p) = &d.primary
                    && p.file.ends_with("main.dvm")
                {
                    assert!(p.span.start <= p.span.end);
                    assert!(p.span.end as usize <= text.len());
                }
            }
        });
    if let Ok(handle) = worker
        && let Err(panic) = handle.join()
    {
        std::panic::resume_unwind(panic);
    }
});
