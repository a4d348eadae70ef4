//! Types: the static checker ([`infer`]) and the diagnostics both it and
//! the run-time checks produce ([`report`]).
//!
//! dvm checks types twice, with one message format: statically where the
//! checker can see them (an annotated binding, a kind applied to a literal
//! record, a template's fields, even inside functions never called), and at
//! run time at every annotation and kind boundary (`eval::contract`). Both
//! build their diagnostics with [`report`], so an error found both ways
//! reads the same and is shown once.

pub mod report;
