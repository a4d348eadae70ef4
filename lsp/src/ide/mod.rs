//! IDE features the compiler cannot give because they touch the file
//! system (the compiler reads only through its `SourceLoader`): completion
//! of relative paths. Plain data, no LSP types.

pub mod paths;
