//! pump: an offline-first workout tracker. The library holds everything;
//! `main.rs` only parses arguments and maps errors to exit codes.

pub mod clock;
pub mod model;
